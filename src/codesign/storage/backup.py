"""The JSON backup format: every row of a workshop, checked, migrated and inserted with new ids.

Used by ``export.service`` (build and restore), the only caller.

The backup holds every row of every table that belongs to the workshop, every column,
so a restore gives the same workshop: stories in moderation, hidden ones, safeguarding
flags, withdraw-code hashes (so a participant can still withdraw from the restored copy)
and the audit log. It is therefore as sensitive as the database itself. Withdrawn
stories were deleted when they were withdrawn, so they are not in it.

Rows keep their ids inside the file; a restore gives them new ids in the target
database and rewrites every reference, so a backup restores into any database, SQLite
or PostgreSQL, beside the workshops already there.

The file names the schema revision it was made with. A backup from an older revision
that this code knows is migrated as it is read (columns added since then take their
defaults); one from an unknown (newer) revision, or from another file format version,
is refused with a message that says what to do.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from alembic.script import ScriptDirectory
from alembic.util import CommandError
from sqlalchemy import Column, Connection, Table, insert, select
from sqlalchemy.types import JSON, Boolean, Date, DateTime, Float, Integer

from codesign.errors import ValidationFailed
from codesign.models import Workshop
from codesign.sanitiser import storable
from codesign.storage import migrate
from codesign.storage.schema import Base, as_utc
from codesign.storage.stakeholders import LAYOUT_SETTING

NewCode = Callable[[], str]

FORMAT = "codesign-workshop-backup"
FORMAT_VERSION = 1

# A workshop's tables, parents before children, each with how its rows are found: by
# the workshop's id in a column, or through a parent table's rows.
BY_WORKSHOP = "workshop"
OWNERSHIP: dict[str, tuple[str, str, str | None]] = {
    # table: (kind, column, parent table)
    "workshops": (BY_WORKSHOP, "id", None),
    "stages": (BY_WORKSHOP, "workshop_id", None),
    "lenses": (BY_WORKSHOP, "workshop_id", None),
    "stories": (BY_WORKSHOP, "workshop_id", None),
    "themes": (BY_WORKSHOP, "workshop_id", None),
    "story_themes": ("parent", "story_id", "stories"),
    "stakeholders": (BY_WORKSHOP, "workshop_id", None),
    "relationships": (BY_WORKSHOP, "workshop_id", None),
    "journey_cells": (BY_WORKSHOP, "workshop_id", None),
    "journey_evidence": ("parent", "cell_id", "journey_cells"),
    "blueprint_cells": (BY_WORKSHOP, "workshop_id", None),
    "blueprint_evidence": ("parent", "cell_id", "blueprint_cells"),
    "blueprint_stakeholders": ("parent", "cell_id", "blueprint_cells"),
    "personas": (BY_WORKSHOP, "workshop_id", None),
    "persona_stories": ("parent", "persona_id", "personas"),
    "rounds": (BY_WORKSHOP, "workshop_id", None),
    "ideas": (BY_WORKSHOP, "workshop_id", None),
    "votes": ("parent", "round_id", "rounds"),
    "statements": ("parent", "round_id", "rounds"),
    "agreements": ("parent", "statement_id", "statements"),
    "actions": (BY_WORKSHOP, "workshop_id", None),
    "action_links": ("parent", "action_id", "actions"),
    "audit_log": (BY_WORKSHOP, "workshop_id", None),
    "history": (BY_WORKSHOP, "workshop_id", None),
}
# The audit log refers to records by (type, id) rather than by foreign key.
AUDIT_TARGETS = {
    "workshop": "workshops",
    "story": "stories",
    "idea": "ideas",
    "theme": "themes",
    "action": "actions",
}

# Data changes a migration needs beyond new columns taking their defaults:
# revision -> function(tables) -> tables, applied to backups made at that revision.
UPGRADES: dict[str, Callable[[dict[str, list[dict[str, Any]]]], dict[str, list[dict[str, Any]]]]] = {}


def workshop_tables() -> list[Table]:
    """The tables a backup holds, in an order where parents come before children."""
    by_name = {t.name: t for t in Base.metadata.sorted_tables}
    return [by_name[name] for name in insert_order()]


def insert_order() -> list[str]:
    # OWNERSHIP lists parents first; the audit log, which has no foreign key, after workshops.
    missing = set(OWNERSHIP) - set(Base.metadata.tables)
    if missing:  # pragma: no cover - a renamed table would break backups silently
        raise RuntimeError(f"backup knows tables the schema lacks: {sorted(missing)}")
    return list(OWNERSHIP)


def read_document(data: bytes | str) -> dict[str, Any]:
    try:
        document = json.loads(data)
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise ValidationFailed("This file is not a codesign backup: it is not valid JSON.") from None
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise ValidationFailed("This file is not a codesign workshop backup (made with Export, JSON backup).")
    version = document.get("format_version")
    if version != FORMAT_VERSION:
        raise ValidationFailed(
            f"This backup is in format version {version!r}; this version of codesign reads version "
            f"{FORMAT_VERSION}. Restore it with the version of codesign that made it, or a newer one."
        )
    if not isinstance(document.get("tables"), dict) or not document["tables"].get("workshops"):
        raise ValidationFailed("This backup is damaged: it has no workshop in it.")
    return document


def migrate_document(document: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    """Bring the backup's tables to this code's schema, or refuse with a clear message."""
    revision = str(document.get("schema_revision", ""))
    head = migrate.head_revision()
    tables: dict[str, list[dict[str, Any]]] = document["tables"]
    if revision != head:
        path = _upgrade_path(revision, head)
        for step in path:
            if step in UPGRADES:
                tables = UPGRADES[step](tables)
    known = {t.name: t for t in workshop_tables()}
    for name, rows in tables.items():
        if name not in known:
            raise ValidationFailed(f"This backup is damaged: it has an unknown table {name!r}.")
        if not isinstance(rows, list) or not all(isinstance(r, dict) for r in rows):
            raise ValidationFailed(f"This backup is damaged: the table {name!r} is not a list of rows.")
        columns = set(known[name].c.keys())
        for row in rows:
            unknown = set(row) - columns
            if unknown and revision == head:
                raise ValidationFailed(
                    f"This backup is damaged: the table {name!r} has unknown columns {sorted(unknown)}."
                )
            for column in unknown:
                del row[column]  # dropped by a later migration
    if len(tables["workshops"]) != 1:
        raise ValidationFailed("This backup is damaged: it should hold exactly one workshop.")
    return tables


def _upgrade_path(revision: str, head: str) -> list[str]:
    """The revisions between a backup's and this code's head, oldest first."""
    script = ScriptDirectory.from_config(migrate.alembic_config())
    try:
        known = script.get_revision(revision) if revision else None
    except CommandError:
        known = None
    if known is None:
        raise ValidationFailed(
            f"This backup was made with database schema {revision or '(none)'!r}, which this version of codesign "
            f"does not know (its schema is {head!r}). It probably comes from a newer codesign: restore it with "
            "that version, or upgrade this one first."
        )
    walked = [r.revision for r in script.iterate_revisions(head, revision)]
    return list(reversed(walked))


def refuse_duplicates(conn: Connection, tables: dict[str, list[dict[str, Any]]]) -> None:
    stories = Base.metadata.tables["stories"]
    hashes = [r["withdraw_code_hash"] for r in tables.get("stories", []) if r.get("withdraw_code_hash")]
    for start in range(0, len(hashes), 500):
        chunk = hashes[start : start + 500]
        if conn.execute(select(stories.c.id).where(stories.c.withdraw_code_hash.in_(chunk)).limit(1)).first():
            raise ValidationFailed(
                "This database already holds stories from this backup: the workshop seems to be here already. "
                "Restore into another database, or delete that workshop first."
            )


def insert_rows(conn: Connection, tables: dict[str, list[dict[str, Any]]], new_code: NewCode) -> int:
    maps: dict[str, dict[int, int]] = {}
    for table in workshop_tables():
        rows = tables.get(table.name, [])
        if not rows:
            maps[table.name] = {}
            continue
        prepared = [_prepare_row(table, row, maps) for row in rows]
        if table.name == "workshops":
            prepared[0]["code"] = _free_code(conn, table, str(prepared[0].get("code", "")), new_code)
        if "id" in table.c:
            old_ids = [int(row["id"]) for row in rows]
            for row in prepared:
                row.pop("id", None)
            result = conn.execute(
                insert(table).returning(table.c.id, sort_by_parameter_order=True),
                prepared,
            )
            maps[table.name] = dict(zip(old_ids, result.scalars().all(), strict=True))
        else:
            conn.execute(insert(table), prepared)
    new_id = next(iter(maps["workshops"].values()))
    _remap_layout(conn, new_id, maps.get("stakeholders", {}))
    return new_id


def _remap_layout(conn: Connection, workshop_id: int, stakeholder_ids: dict[int, int]) -> None:
    """The stakeholder map's stored positions are keyed by stakeholder id: give them the new ids."""
    table = Base.metadata.tables["workshops"]
    settings = conn.execute(select(table.c.settings).where(table.c.id == workshop_id)).scalar_one()
    layout = (settings or {}).get(LAYOUT_SETTING)
    if not isinstance(layout, dict):
        return
    moved = {}
    for key, position in layout.items():
        try:
            new = stakeholder_ids.get(int(key))
        except (TypeError, ValueError):
            continue
        if new is not None:
            moved[str(new)] = position
    conn.execute(table.update().where(table.c.id == workshop_id).values(settings={**settings, LAYOUT_SETTING: moved}))


def _prepare_row(table: Table, row: dict[str, Any], maps: dict[str, dict[int, int]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for column in table.columns:
        if column.name not in row:
            continue  # a column added since the backup was made takes its default
        value = row[column.name]
        target = _reference(table, column)
        if target is not None and value is not None:
            mapped = maps.get(target, {}).get(int(value))
            if mapped is None:
                if column.nullable and target != "workshops":
                    value = None  # e.g. a round's theme that the backup did not hold
                else:
                    raise ValidationFailed(
                        f"This backup is damaged: {table.name}.{column.name} refers to a missing {target} row."
                    )
            else:
                value = mapped
        # Text from a file may hold what no database accepts (NUL, lone surrogates).
        out[column.name] = _from_json(column, storable(value))
    if table.name == "audit_log" and out.get("target_id") is not None:
        target_table = AUDIT_TARGETS.get(str(out.get("target_type", "")))
        # A record of something since deleted keeps no id: it would point at a stranger here.
        out["target_id"] = maps.get(target_table, {}).get(int(out["target_id"])) if target_table else None
    return out


def _reference(table: Table, column: Column[Any]) -> str | None:
    """The table a column points at by id: its foreign key, or the audit log's workshop."""
    for fk in column.foreign_keys:
        return str(fk.column.table.name)
    if table.name == "audit_log" and column.name == "workshop_id":
        return "workshops"
    return None


def _free_code(conn: Connection, table: Table, code: str, new_code: NewCode) -> str:
    taken = {c for (c,) in conn.execute(select(table.c.code))}
    if code and code not in taken:
        return code
    while True:
        candidate = new_code()
        if candidate not in taken:
            return candidate


def to_json(column: Column[Any], value: Any) -> Any:
    if isinstance(value, datetime):
        return as_utc(value).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return value


def _from_json(column: Column[Any], value: Any) -> Any:
    if value is None:
        return None
    kind = column.type
    try:
        if isinstance(kind, DateTime):
            return as_utc(datetime.fromisoformat(str(value)))
        if isinstance(kind, Date):
            return date.fromisoformat(str(value))
        if isinstance(kind, Boolean):
            if not isinstance(value, bool):
                raise ValueError
            return value
        if isinstance(kind, Integer):
            if isinstance(value, bool) or not isinstance(value, int):
                raise ValueError
            return value
        if isinstance(kind, Float):
            return float(value)
        if isinstance(kind, JSON):
            return value
    except (TypeError, ValueError):
        raise ValidationFailed(
            f"This backup is damaged: {column.table.name}.{column.name} has a value of the wrong kind."
        ) from None
    if not isinstance(value, str):
        raise ValidationFailed(f"This backup is damaged: {column.table.name}.{column.name} should be text.")
    return value


def restored_summary(workshop: Workshop, original_code: str) -> str:
    """One line for the person restoring: what came back, and under which code."""
    note = "" if workshop.code == original_code else f" (the code {original_code} was taken here)"
    return f"Restored workshop {workshop.title!r} with code {workshop.code}{note}: {workshop.story_count} stories."


def original_code(data: bytes | str) -> str:
    """The join code the backup was made with."""
    return str(read_document(data).get("workshop", {}).get("code", ""))
