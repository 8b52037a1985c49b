"""``codesign stakeholders``: findings, export and import from the command line."""

from __future__ import annotations

import io
from pathlib import Path

import networkx as nx
from click.testing import CliRunner, Result
from sqlalchemy import Engine

from codesign.cli.main import cli
from codesign.models import Workshop
from codesign.storage import stakeholders as repo


def run(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def test_findings(sqlite_url: str, engine: Engine, make_workshop) -> None:  # type: ignore[no-untyped-def]
    workshop: Workshop = make_workshop()
    result = run("stakeholders", "findings", workshop.code.lower(), "--db", sqlite_url)
    assert result.exit_code == 0
    assert result.output.splitlines()[0] == (
        "- Primary care and Secondary mental health meet through a single weak link: GP practice and "
        "Single point of access (structural hole between sectors)"
    )


def test_export_then_import_round_trip(sqlite_url: str, engine: Engine, make_workshop, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    source: Workshop = make_workshop("From")
    target: Workshop = make_workshop("To")
    repo.save_network(engine, target.id, [], [], relationship_types=["referral"])
    for fmt in ("csv", "graphml", "kumu"):
        result = run("stakeholders", "export", source.code, "--format", fmt, "--out", str(tmp_path), "--db", sqlite_url)
        assert result.exit_code == 0, result.output
    graph = nx.read_graphml(io.BytesIO((tmp_path / f"{source.code}-stakeholders.graphml").read_bytes()))
    assert graph.number_of_nodes() == len(repo.list_stakeholders(engine, source.id))
    csvs = [str(tmp_path / f"{source.code}-{n}.csv") for n in ("stakeholders", "relationships")]
    result = run("stakeholders", "import", target.code, *csvs, "--db", sqlite_url)
    assert result.exit_code == 0, result.output
    assert result.output.startswith("Imported 20 stakeholders and 27 relationships")
    repo.save_network(engine, target.id, [], [], relationship_types=["referral"])
    result = run(
        "stakeholders",
        "import",
        target.code,
        str(tmp_path / f"{source.code}-stakeholders-kumu.xlsx"),
        "--db",
        sqlite_url,
    )
    assert result.exit_code == 0, result.output
    assert [s.name for s in repo.list_stakeholders(engine, target.id)] == [
        s.name for s in repo.list_stakeholders(engine, source.id)
    ]


def test_a_bad_import_changes_nothing(sqlite_url: str, engine: Engine, make_workshop, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    workshop: Workshop = make_workshop()
    before = repo.load_network(engine, workshop.id)
    bad = tmp_path / "s.csv"
    bad.write_text("name\nA\na\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["stakeholders", "import", workshop.code, str(bad), "--db", sqlite_url])
    assert result.exit_code == 1
    assert "'a' appears twice" in result.output
    assert repo.load_network(engine, workshop.id) == before


def test_unknown_workshop_code(sqlite_url: str) -> None:
    result = CliRunner().invoke(cli, ["stakeholders", "findings", "NOPE99", "--db", sqlite_url])
    assert result.exit_code == 2 and "no workshop with the code 'NOPE99'" in result.output
