"""The command line: ``codesign ...`` or ``python -m codesign ...``. A thin front end over the core."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from codesign import demo, workshops
from codesign.cli.common import command_line, db_option, open_database
from codesign.cli.display import display_link_cmd
from codesign.cli.export import export_cmd, import_cmd
from codesign.cli.stakeholders import stakeholders_group
from codesign.cli.themes import themes_command
from codesign.errors import CodesignError, KitError
from codesign.workshops import links
from codesign.workshops.kits import load_kit_file


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="codesign")
def cli() -> None:
    """codesign: co-design workshops for mental-health and social-care services.

    Every command takes --db URL; without it, the same database as the app is used.
    """


@cli.command("demo")
@db_option
@click.option("--reset", is_flag=True, help="Delete the demo workshop and create it again.")
def demo_cmd(db_url: str | None, reset: bool) -> None:
    """Create the demo workshop (if there is none), or recreate it with --reset."""
    engine = open_database(db_url)
    result = demo.load_demo(engine, reset=reset)
    verb = "Created" if result.created else "Kept the existing"
    click.echo(
        f"{verb} demo workshop {result.workshop.title!r}: code {result.workshop.code}, {result.stories} stories."
    )


@cli.group("workshops")
def workshops_group() -> None:
    """List workshops."""


@workshops_group.command("list")
@db_option
def workshops_list(db_url: str | None) -> None:
    """List every workshop with its code, status, kit and number of stories."""
    engine = open_database(db_url)
    rows = workshops.list_workshops(engine)
    if not rows:
        click.echo(f"No workshops yet. Create one in the app, or run `{command_line('demo')}`.")
        return
    click.echo(f"{'CODE':<8} {'STATUS':<7} {'STORIES':>7}  {'KIT':<22} TITLE")
    for w in rows:
        click.echo(f"{w.code:<8} {w.status:<7} {w.story_count:>7}  {w.kit_id:<22} {w.title}")


@cli.group("kits")
def kits_group() -> None:
    """List and validate workshop kits."""


@kits_group.command("list")
@db_option
def kits_list(db_url: str | None) -> None:
    """List the shipped kits and any uploaded to this database."""
    engine = open_database(db_url)
    for kit_file in workshops.available_kits(engine):
        kit = kit_file.kit
        click.echo(
            f"{kit.id:<24} {kit.title}  ({len(kit.stages)} stages, {len(kit.stakeholders)} stakeholders, "
            f"agendas: {', '.join(f'{a.name} {a.minutes} min' for a in kit.agendas)})"
        )


@kits_group.command("validate")
@db_option
@click.argument("paths", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=Path))
def kits_validate(db_url: str | None, paths: tuple[Path, ...]) -> None:
    """Check kit files; print one line per problem and exit 1 if any is invalid."""
    del db_url  # validation needs no database; the option is accepted like everywhere else
    failed = False
    for path in paths:
        try:
            kit_file = load_kit_file(path)
        except KitError as exc:
            failed = True
            for problem in exc.problems:
                click.echo(f"{path}: {problem}")
            continue
        click.echo(f"{path}: ok ({kit_file.kit.id})")
    if failed:
        sys.exit(1)


@cli.group("db")
def db_group() -> None:
    """Database maintenance."""


@db_group.command("upgrade")
@db_option
def db_upgrade(db_url: str | None) -> None:
    """Create or upgrade the database schema to the newest version."""
    engine = open_database(db_url)
    click.echo(f"Schema at revision {workshops.schema_revision(engine)} in {workshops.masked_url(str(engine.url))}.")


@cli.command("purge")
@db_option
@click.option(
    "--days", type=int, default=None, help="Keep workshops this many days (default: CODESIGN_RETENTION_DAYS)."
)
@click.option("--dry-run", is_flag=True, help="Only list the workshops that would be deleted.")
def purge_cmd(db_url: str | None, days: int | None, dry_run: bool) -> None:
    """Delete workshops older than the retention period, with all they hold, and compact the database."""
    engine = open_database(db_url)
    keep = days or workshops.retention_days()
    expired = workshops.expired_workshops(engine, days=keep)
    for w in expired:
        click.echo(
            f"{'Would delete' if dry_run else 'Deleting'} {w.code} {w.title!r} (created {w.created_at:%Y-%m-%d})"
        )
    if dry_run:
        click.echo(f"{len(expired)} workshop{'s are' if len(expired) != 1 else ' is'} older than {keep} days.")
        return
    gone = workshops.purge_expired(engine, days=keep)
    vacuum = "VACUUM" if engine.dialect.name == "postgresql" else "checkpoint and VACUUM"
    click.echo(f"Deleted {len(gone)} workshop{'s' if len(gone) != 1 else ''} older than {keep} days; ran {vacuum}.")


@cli.group("passcode")
def passcode_group() -> None:
    """The facilitator passcode."""


@passcode_group.command("reset")
@db_option
def passcode_reset(db_url: str | None) -> None:
    """Generate a new facilitator passcode and print it once (only its hash is kept)."""
    engine = open_database(db_url)
    if workshops.configured_passcode(_secrets_passcode()):
        workshops.clear_passcode_throttle(engine)
        click.echo("The passcode is set by CODESIGN_FACILITATOR_PASSCODE or .streamlit/secrets.toml; change it there.")
        click.echo("Every wrong try has been forgotten, so sign-in answers at once.")
        return
    click.echo(f"New facilitator passcode: {workshops.reset_passcode(engine)}")
    click.echo("Every wrong try has been forgotten, so sign-in answers at once.")


@cli.command("setup")
@db_option
@click.option("--no-demo", is_flag=True, help="Do not create the demo workshop.")
@click.option("--port", type=int, default=links.DEFAULT_PORT, show_default=True, help="The port Streamlit will use.")
def setup_cmd(db_url: str | None, no_demo: bool, port: int) -> None:
    """Prepare to run the app: schema, demo workshop, passcode, and the addresses to open."""
    url = db_url or workshops.database_url()
    where = workshops.masked_url(url)
    if url.startswith("sqlite:///"):
        where = _shown(Path(url.removeprefix("sqlite:///")))
    if url.startswith("sqlite:///") and not Path(url.removeprefix("sqlite:///")).exists():
        click.echo(f"Creating the database… {where}")
    else:
        click.echo(f"Opening the database… {where}")
    engine = open_database(url)
    if not no_demo and not workshops.list_workshops(engine):
        click.echo("Loading the demo…", nl=False)
        result = demo.load_demo(engine)
        click.echo(f" done: {result.workshop.title!r}, join code {result.workshop.code}, {result.stories} stories.")
    new = workshops.ensure_passcode(engine, _secrets_passcode())
    if new:
        click.echo("")
        click.echo(f"  Facilitator passcode: {new}")
        again = "make passcode-reset" if _under_make_run() else command_line("passcode reset")
        click.echo(f"  Write it down now: it is shown only this once (for a new one: {again}).")
        click.echo("")
    if not _under_make_run():
        click.echo(f"Facilitators, on this machine: http://localhost:{port}/workshops")
        lan = links.guess_lan_address()
        if lan:
            click.echo(f"Phones on the same network:  http://{lan}:{port}  (or set CODESIGN_BASE_URL)")


def _shown(path: Path) -> str:
    """A path relative to this folder when it is inside it, as a person would type it."""
    try:
        return str(path.absolute().relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def _under_make_run() -> bool:
    """`make run` prints the addresses once the app answers, not before."""
    return os.environ.get("CODESIGN_SERVE_NEXT") == "1"


def _secrets_passcode() -> str | None:
    """The passcode from .streamlit/secrets.toml, read without starting Streamlit."""
    import tomllib

    path = Path(".streamlit/secrets.toml")
    if not path.is_file():
        return None
    try:
        value = tomllib.loads(path.read_text(encoding="utf-8")).get("facilitator_passcode")
    except (tomllib.TOMLDecodeError, OSError):
        return None
    return str(value) if value else None


cli.add_command(export_cmd)
cli.add_command(import_cmd)
cli.add_command(stakeholders_group)
cli.add_command(themes_command)
cli.add_command(display_link_cmd)


def main() -> None:
    try:
        cli(standalone_mode=True)
    except CodesignError as exc:
        click.echo(f"Error: {exc}", err=True)
        sys.exit(2)
