"""``codesign display-link CODE [--revoke]``: the read-only link a projector opens for one workshop."""

from __future__ import annotations

import sys

import click

from codesign import workshops
from codesign.cli.common import db_option, open_database
from codesign.workshops import links


@click.command("display-link")
@db_option
@click.argument("code")
@click.option("--revoke", is_flag=True, help="Replace the key: displays on the old link stop showing the workshop.")
def display_link_cmd(db_url: str | None, code: str, revoke: bool) -> None:
    """Print the workshop's display link (made on first use); --revoke makes a new one.

    The link shows only what the facilitator puts on the display: no menu, no passcode,
    no facilitator screen. Treat it like a key to the projector.
    """
    engine = open_database(db_url)
    workshop = workshops.find_workshop_by_code(engine, workshops.normalise_code(code))
    if workshop is None:
        click.echo(f"Error: there is no workshop with the code {code!r} (see `codesign workshops list`).", err=True)
        sys.exit(2)
    if revoke:
        key = workshops.revoke_display_key(engine, workshop.id)
        click.echo("Made a new display link; the old one no longer works.", err=True)
    else:
        key = workshops.display_key(engine, workshop.id)
    click.echo(workshops.display.display_url(key, links.base_url()))
