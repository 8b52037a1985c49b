"""``codesign stakeholders ...``: the stakeholder map from the command line (findings, export, import)."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from sqlalchemy import Engine

from codesign import network, workshops
from codesign.cli.common import command_line, db_option, open_database
from codesign.errors import CodesignError
from codesign.export import network as network_export
from codesign.models import Workshop
from codesign.network.tables import UploadedFile, read_network_files

SEED = network.DEFAULT_SEED


def _workshop(engine: Engine, code: str) -> Workshop:
    found = workshops.find_workshop_by_code(engine, workshops.normalise_code(code))
    if found is None:
        hint = command_line("workshops list")
        click.echo(f"Error: there is no workshop with the code {code!r} (see `{hint}`).", err=True)
        sys.exit(2)
    return found


@click.group("stakeholders")
def stakeholders_group() -> None:
    """The stakeholder map: findings, export and import."""


@stakeholders_group.command("findings")
@db_option
@click.argument("code")
def findings_cmd(db_url: str | None, code: str) -> None:
    """Print the findings of a workshop's stakeholder map, most important first."""
    engine = open_database(db_url)
    workshop = _workshop(engine, code)
    kit = workshops.kit_of(engine, workshop)
    people, links = network.load_network(engine, workshop.id)
    found = network.find_findings(network.build_graph(people, links), expected_links=kit.expected_links, seed=SEED)
    if not found:
        click.echo("No findings: the map has no stakeholders yet.")
    for finding in found:
        click.echo(f"- {finding.headline}")
        click.echo(f"  {finding.why}")


@stakeholders_group.command("export")
@db_option
@click.argument("code")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["csv", "graphml", "kumu"]),
    default="csv",
    show_default=True,
    help="csv: stakeholders.csv and relationships.csv; graphml: for Gephi; kumu: Kumu's .xlsx layout.",
)
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=Path("exports"), show_default=True)
def export_cmd(db_url: str | None, code: str, fmt: str, out: Path) -> None:
    """Write a workshop's stakeholder map to files in a folder."""
    engine = open_database(db_url)
    workshop = _workshop(engine, code)
    kit = workshops.kit_of(engine, workshop)
    type_names = {t.key: t.name for t in kit.relationship_types}
    people, links = network.load_network(engine, workshop.id)
    files: dict[str, bytes]
    if fmt == "csv":
        files = {
            "stakeholders.csv": network_export.stakeholders_csv(people),
            "relationships.csv": network_export.relationships_csv(people, links),
        }
    elif fmt == "graphml":
        files = {"stakeholders.graphml": network_export.network_graphml(people, links, type_names=type_names)}
    else:
        files = {"stakeholders-kumu.xlsx": network_export.kumu_xlsx(people, links, type_names=type_names)}
    out.mkdir(parents=True, exist_ok=True)
    for name, data in files.items():
        (out / f"{workshop.code}-{name}").write_bytes(data)
        click.echo(f"Wrote {out / f'{workshop.code}-{name}'}")


@stakeholders_group.command("import")
@db_option
@click.argument("code")
@click.argument("paths", nargs=-1, required=True, type=click.Path(dir_okay=False, exists=True, path_type=Path))
def import_cmd(db_url: str | None, code: str, paths: tuple[Path, ...]) -> None:
    """Replace a workshop's map with a Kumu .xlsx, or stakeholders and relationships CSV files."""
    engine = open_database(db_url)
    workshop = _workshop(engine, code)
    kit = workshops.kit_of(engine, workshop)
    try:
        result = read_network_files([UploadedFile(p.name, p.read_bytes()) for p in paths], kit.relationship_types)
        count, link_count = network.save_network(
            engine,
            workshop.id,
            result.stakeholders,
            result.relationships,
            relationship_types=[t.key for t in kit.relationship_types],
            action="stakeholders_imported",
        )
    except CodesignError as exc:
        click.echo(f"Error: {exc}", err=True)
        sys.exit(1)
    click.echo(f"Imported {count} stakeholders and {link_count} relationships into {workshop.code}.")
    for note in result.notes:
        click.echo(f"Note: {note}")
