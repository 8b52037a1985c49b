"""The JSON backup: a round trip between SQLite and PostgreSQL leaves every table equal; bad files are refused."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from sqlalchemy import Engine, select

from codesign import export
from codesign.cli.main import cli
from codesign.errors import ValidationFailed
from codesign.storage import migrate
from codesign.storage import workshops as repo
from codesign.storage.db import make_engine
from codesign.storage.schema import Base, as_utc
from tests.export.conftest import Seeded, seed_workshop

# Tables of the installation rather than of a workshop.
# Drafts are a phone's unsent words, not yet de-identified or consented to: never in a backup.
NOT_WORKSHOP_DATA = {"app_settings", "kits", "throttle_events", "story_drafts"}
AUDIT_TARGETS = {"workshop": "workshops", "story": "stories", "idea": "ideas", "theme": "themes", "action": "actions"}


def snapshot(engine: Engine) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every workshop table in the database, with ids replaced by their rank.

    Written independently of the backup code: it reads the whole database straight from
    the schema, so a column or table the backup forgot would show up as a difference.
    """
    raw: dict[str, list[dict[str, Any]]] = {}
    with engine.connect() as conn:
        for table in Base.metadata.sorted_tables:
            if table.name in NOT_WORKSHOP_DATA:
                continue
            order = list(table.primary_key.columns)
            raw[table.name] = [dict(r._mapping) for r in conn.execute(select(table).order_by(*order))]
    rank = {
        name: {row["id"]: n for n, row in enumerate(rows)} for name, rows in raw.items() if rows and "id" in rows[0]
    }
    out: dict[str, list[tuple[Any, ...]]] = {}
    for table in Base.metadata.sorted_tables:
        if table.name in NOT_WORKSHOP_DATA:
            continue
        rows = []
        for row in raw[table.name]:
            values = []
            for column in table.columns:
                value = row[column.name]
                targets = [fk.column.table.name for fk in column.foreign_keys]
                if column.name == "id":
                    value = rank[table.name][value]
                elif targets and value is not None:
                    value = rank[targets[0]][value]
                elif table.name == "audit_log" and column.name == "workshop_id":
                    value = rank["workshops"].get(value)
                elif table.name == "audit_log" and column.name == "target_id" and value is not None:
                    value = rank.get(AUDIT_TARGETS.get(row["target_type"], ""), {}).get(value)
                elif isinstance(value, datetime):
                    value = as_utc(value).isoformat()
                values.append((column.name, value))
            rows.append(tuple(values))
        out[table.name] = sorted(rows, key=repr)
    return out


def fresh(url: str) -> Engine:
    engine = make_engine(url)
    migrate.upgrade(engine)
    return engine


def test_round_trip_sqlite_postgres_sqlite_keeps_every_table_equal(any_engine: Engine, tmp_path: Path) -> None:
    source = fresh(f"sqlite:///{tmp_path / 'source.db'}")
    seeded = seed_workshop(source)
    before = snapshot(source)
    assert all(before[name] for name in before), [name for name in before if not before[name]]

    restored = export.restore_backup(any_engine, export.build_backup(source, seeded.workshop.id))
    assert restored.code == seeded.workshop.code and restored.title == seeded.workshop.title
    assert snapshot(any_engine) == before

    # And back out of the second database into a third: the trip works from either back end.
    third = fresh(f"sqlite:///{tmp_path / 'third.db'}")
    export.restore_backup(third, export.build_backup(any_engine, restored.id))
    assert snapshot(third) == before
    source.dispose()
    third.dispose()


def test_backup_file_names_its_format_and_schema(engine: Engine, seeded: Seeded) -> None:
    document = json.loads(export.build_backup(engine, seeded.workshop.id))
    assert document["format"] == export.FORMAT and document["format_version"] == export.FORMAT_VERSION
    assert document["schema_revision"] == migrate.head_revision()
    assert document["counts"]["stories"] == 9  # everything, pending and hidden included; the withdrawn one is gone
    assert "WITHDRAWN-STORY" not in json.dumps(document)


def test_restore_beside_a_workshop_with_the_same_code_draws_a_new_code(
    engine: Engine, seeded: Seeded, tmp_path: Path
) -> None:
    data = json.loads(export.build_backup(engine, seeded.workshop.id))
    for row in data["tables"]["stories"]:
        row["withdraw_code_hash"] = None  # as if from another installation
    restored = export.restore_backup(engine, json.dumps(data))
    assert restored.code != seeded.workshop.code and restored.id != seeded.workshop.id
    assert export.restored_summary(restored, seeded.workshop.code).endswith(
        f"(the code {seeded.workshop.code} was taken here): 9 stories."
    )


def test_restoring_twice_into_one_database_is_refused_and_changes_nothing(engine: Engine, seeded: Seeded) -> None:
    data = export.build_backup(engine, seeded.workshop.id)
    before = snapshot(engine)
    with pytest.raises(ValidationFailed, match="already holds stories from this backup"):
        export.restore_backup(engine, data)
    assert snapshot(engine) == before


def _edited(engine: Engine, seeded: Seeded, edit: Any) -> str:
    document = json.loads(export.build_backup(engine, seeded.workshop.id))
    edit(document)
    return json.dumps(document)


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (lambda d: d.update(format="something-else"), "not a codesign workshop backup"),
        (lambda d: d.update(format_version=2), "format version 2; this version of codesign reads version 1"),
        (lambda d: d.update(schema_revision="9999_future"), "schema '9999_future', which this version of codesign"),
        (lambda d: d["tables"].update(workshops=[]), "no workshop in it"),
        (lambda d: d["tables"].update(surprises=[]), "unknown table 'surprises'"),
        (lambda d: d["tables"]["stories"][0].update(mood="odd"), "unknown columns ['mood']"),
        (lambda d: d["tables"]["story_themes"][0].update(theme_id=987654), "story_themes.theme_id refers to a missing"),
        (lambda d: d["tables"]["stories"][0].update(emotion="three"), "stories.emotion has a value of the wrong kind"),
    ],
)
def test_damaged_or_foreign_backups_are_refused_clearly(
    engine: Engine, seeded: Seeded, tmp_path: Path, edit: Any, message: str
) -> None:
    target = fresh(f"sqlite:///{tmp_path / 'target.db'}")
    with pytest.raises(ValidationFailed, match=message.replace("[", r"\[").replace("(", r"\(")):
        export.restore_backup(target, _edited(engine, seeded, edit))
    assert repo.list_workshops(target) == []
    target.dispose()


@pytest.mark.parametrize("data", [b"", b"\xff\xfe not text", b"[1, 2]", b'{"format": 1}'])
def test_files_that_are_not_backups_are_refused(engine: Engine, data: bytes) -> None:
    with pytest.raises(ValidationFailed, match="not a codesign"):
        export.restore_backup(engine, data)


def test_a_backup_missing_a_newer_column_restores_with_its_default(
    engine: Engine, seeded: Seeded, tmp_path: Path
) -> None:
    def drop_notes(document: dict[str, Any]) -> None:
        for row in document["tables"]["stakeholders"]:
            del row["notes"]

    target = fresh(f"sqlite:///{tmp_path / 'target.db'}")
    restored = export.restore_backup(target, _edited(engine, seeded, drop_notes))
    assert restored.story_count == 9
    target.dispose()


def test_text_no_database_accepts_is_cleaned_on_restore(engine: Engine, seeded: Seeded, tmp_path: Path) -> None:
    def poison(document: dict[str, Any]) -> None:
        document["tables"]["workshops"][0]["title"] = "Title\x00 with NUL"
        document["tables"]["stories"][0]["text"] = "lone \ud800 surrogate"

    raw = _edited(engine, seeded, poison)
    assert "\\ud800" in raw
    target = fresh(f"sqlite:///{tmp_path / 'target.db'}")
    restored = export.restore_backup(target, raw)
    assert restored.title == "Title with NUL"
    target.dispose()


def run(*args: str):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def test_cli_exports_every_format_and_imports_the_backup(sqlite_url: str, tmp_path: Path) -> None:
    engine = fresh(sqlite_url)
    seeded = seed_workshop(engine)
    code = seeded.workshop.code
    for fmt, magic in [("docx", b"PK"), ("xlsx", b"PK"), ("csv", b"PK"), ("json", b"{")]:
        out = tmp_path / f"out.{fmt}"
        args = ["export", code.lower(), "--format", fmt, "--out", str(out), "--db", sqlite_url]
        result = run(*args, "--no-images") if fmt == "docx" else run(*args)
        assert result.exit_code == 0, result.output
        assert result.output.startswith(f"Wrote {out} (") and out.read_bytes().startswith(magic)
    other = f"sqlite:///{tmp_path / 'other.db'}"
    result = run("import", str(tmp_path / "out.json"), "--db", other)
    assert result.exit_code == 0
    assert result.output.strip() == f"Restored workshop {seeded.workshop.title!r} with code {code}: 9 stories."
    engine.dispose()


def test_cli_explains_bad_codes_and_bad_files(sqlite_url: str, tmp_path: Path) -> None:
    result = run("export", "NOPE99", "--db", sqlite_url, "--out", str(tmp_path / "x.docx"))
    assert result.exit_code == 1 and "There is no workshop with the code 'NOPE99'" in result.output
    bad = tmp_path / "notes.json"
    bad.write_text('{"hello": "world"}', encoding="utf-8")
    result = run("import", str(bad), "--db", sqlite_url)
    assert result.exit_code == 1 and "notes.json: This file is not a codesign workshop backup" in result.output
    result = run("import", str(tmp_path / "missing.json"), "--db", sqlite_url)
    assert result.exit_code == 1 and "Cannot read" in result.output


def test_the_backup_knows_every_table_of_the_schema() -> None:
    """A table added later must be taught to the backup, or a restore would silently lose it."""
    assert set(export.OWNERSHIP) == set(Base.metadata.tables) - NOT_WORKSHOP_DATA


def test_the_stakeholder_layout_follows_its_stakeholders_to_their_new_ids(engine: Engine, tmp_path: Path) -> None:
    from codesign.storage import stakeholders as stakeholder_repo

    # Another workshop first, so ids in the target differ from the source's.
    target = fresh(f"sqlite:///{tmp_path / 'target.db'}")
    seed_workshop(target, title="Already here")
    seeded = seed_workshop(engine)
    people = stakeholder_repo.list_stakeholders(engine, seeded.workshop.id)
    stakeholder_repo.save_layout(
        engine, seeded.workshop.id, {p.id: (float(n), -float(n)) for n, p in enumerate(people)}
    )
    by_name = {p.name: n for n, p in enumerate(people)}
    data = json.loads(export.build_backup(engine, seeded.workshop.id))
    for row in data["tables"]["stories"]:
        row["withdraw_code_hash"] = None
    restored = export.restore_backup(target, json.dumps(data))
    layout = stakeholder_repo.load_layout(target, restored.id)
    moved = {p.name: layout[p.id] for p in stakeholder_repo.list_stakeholders(target, restored.id)}
    assert moved == {name: (float(n), -float(n)) for name, n in by_name.items()}
    target.dispose()
