"""Repository functions for a workshop's stakeholders and relationships.

The map is saved whole: :func:`save_network` replaces a workshop's stakeholders and
relationships with the given ones inside one transaction, so an import or an edit is
all or nothing. Stakeholders are matched to stored ones by id, then by name, so one that
stays on the map keeps its id (and its links from the service blueprint) across imports.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import Engine, delete, select
from sqlalchemy.orm import Session

from codesign.errors import NotFoundError
from codesign.models import RelationshipValue, StakeholderValue
from codesign.network.tables import RelationshipDraft, StakeholderDraft, name_key, validate_drafts
from codesign.storage import history
from codesign.storage.db import read_session, write_session
from codesign.storage.history import HistoryEntry
from codesign.storage.schema import RelationshipRow, StakeholderRow, WorkshopRow
from codesign.storage.workshops import add_audit

# Where the drawing's positions are kept, inside the workshop's settings (a JSON column
# every workshop already has), so the map looks the same next session and in the report.
LAYOUT_SETTING = "stakeholder_layout"
# Editor rows that could not be saved yet (no name, no end, no type), kept with the map
# and shown again, marked, until someone finishes them: {"stakeholders": [...], "relationships": [...]}.
KEPT_BACK_SETTING = "stakeholder_kept_back"
BOARD = "stakeholders"


def _stakeholder(row: StakeholderRow) -> StakeholderValue:
    return StakeholderValue(
        id=row.id,
        name=row.name,
        aliases=tuple(row.aliases or ()),
        kind=row.kind,
        sector=row.sector,
        influence=row.influence,
        interest=row.interest,
        notes=row.notes,
    )


def _relationship(row: RelationshipRow) -> RelationshipValue:
    return RelationshipValue(
        id=row.id,
        source_id=row.source_id,
        target_id=row.target_id,
        type=row.type,
        directed=row.directed,
        strength=row.strength,
        note=row.note,
    )


def list_stakeholders(engine: Engine, workshop_id: int) -> list[StakeholderValue]:
    """A workshop's stakeholders, in the order they were added."""
    with read_session(engine) as s:
        rows = s.scalars(
            select(StakeholderRow).where(StakeholderRow.workshop_id == workshop_id).order_by(StakeholderRow.id)
        )
        return [_stakeholder(r) for r in rows]


def list_relationships(engine: Engine, workshop_id: int) -> list[RelationshipValue]:
    """A workshop's relationships, in the order they were added."""
    with read_session(engine) as s:
        rows = s.scalars(
            select(RelationshipRow).where(RelationshipRow.workshop_id == workshop_id).order_by(RelationshipRow.id)
        )
        return [_relationship(r) for r in rows]


def load_network(engine: Engine, workshop_id: int) -> tuple[list[StakeholderValue], list[RelationshipValue]]:
    """Stakeholders and relationships read in one transaction, so they agree with each other."""
    with read_session(engine) as s:
        people = s.scalars(
            select(StakeholderRow).where(StakeholderRow.workshop_id == workshop_id).order_by(StakeholderRow.id)
        ).all()
        links = s.scalars(
            select(RelationshipRow).where(RelationshipRow.workshop_id == workshop_id).order_by(RelationshipRow.id)
        ).all()
        return [_stakeholder(r) for r in people], [_relationship(r) for r in links]


def _fields(draft: StakeholderDraft) -> dict[str, Any]:
    return {
        "name": draft.name,
        "aliases": list(draft.aliases),
        "kind": draft.kind,
        "sector": draft.sector,
        "influence": draft.influence,
        "interest": draft.interest,
        "notes": draft.notes,
    }


def save_network(
    engine: Engine,
    workshop_id: int,
    stakeholders: Sequence[StakeholderDraft] | None,
    relationships: Sequence[RelationshipDraft] | None,
    *,
    relationship_types: Sequence[str],
    action: str = "stakeholders_saved",
    kept_back: Mapping[str, Sequence[Mapping[str, Any]]] | None = None,
    actor: str = "facilitator",
    summary: str = "",
) -> tuple[int, int]:
    """Replace a workshop's map (or one of its two tables), all or nothing, in one transaction.

    Args:
        engine: The database.
        workshop_id: The workshop.
        stakeholders: The whole list of stakeholders the map should have, or None to keep
            them as they are. Drafts with an ``id`` update that stakeholder (a rename keeps
            its links); others are matched by name; stakeholders not listed are removed
            with their relationships.
        relationships: The whole list of relationships (ends by name), or None to keep
            the relationships between the stakeholders that stay.
        relationship_types: The kit's relationship type keys.
        action: What the audit log calls this (e.g. ``stakeholders_imported``).
        kept_back: Incomplete editor rows to keep with the map, by table ("stakeholders",
            "relationships"); a table not given keeps its rows as they are.
        actor: Who made the change, for the history ("facilitator" or a room device).
        summary: What the change was, for the history.

    Returns:
        How many stakeholders and relationships the map now has.

    Raises:
        ImportRefused: If anything is wrong (nothing is changed).
        NotFoundError: If the workshop no longer exists.
    """
    with write_session(engine) as s:
        workshop = s.get(WorkshopRow, workshop_id)
        if workshop is None:
            raise NotFoundError("That workshop no longer exists.")
        before = _snapshot(s, workshop)
        existing = list(
            s.scalars(
                select(StakeholderRow).where(StakeholderRow.workshop_id == workshop_id).order_by(StakeholderRow.id)
            )
        )
        wanted = list(stakeholders) if stakeholders is not None else _drafts([_stakeholder(r) for r in existing])
        # Checked inside the transaction, against the map as it is now: nothing is
        # written unless everything is right.
        validate_drafts(wanted, relationships or [], relationship_types)
        matched = _match(existing, wanted)
        keep_ids = {row.id for row in matched.values()}
        gone = [row.id for row in existing if row.id not in keep_ids]
        if relationships is not None:
            s.execute(delete(RelationshipRow).where(RelationshipRow.workshop_id == workshop_id))
        elif gone:
            s.execute(
                delete(RelationshipRow).where(
                    RelationshipRow.workshop_id == workshop_id,
                    RelationshipRow.source_id.in_(gone) | RelationshipRow.target_id.in_(gone),
                )
            )
        for row in existing:
            if row.id not in keep_ids:
                s.delete(row)
        s.flush()
        # Renames go through a temporary name first: swapping two names would otherwise
        # trip the unique (workshop, name) constraint halfway through.
        for i, row in matched.items():
            if row.name != wanted[i].name:
                row.name = f"~renaming~{row.id}"
        s.flush()
        rows: list[StakeholderRow] = []
        for i, draft in enumerate(wanted):
            found = matched.get(i)
            if found is None:
                found = StakeholderRow(workshop_id=workshop_id, **_fields(draft))
                s.add(found)
            else:
                for key, value in _fields(draft).items():
                    setattr(found, key, value)
            rows.append(found)
        s.flush()
        ids = {name_key(draft.name): row.id for draft, row in zip(wanted, rows, strict=True)}
        for rel in relationships or []:
            s.add(
                RelationshipRow(
                    workshop_id=workshop_id,
                    source_id=ids[name_key(rel.source)],
                    target_id=ids[name_key(rel.target)],
                    type=rel.type,
                    directed=rel.directed,
                    strength=rel.strength,
                    note=rel.note,
                )
            )
        s.flush()
        if kept_back is not None:
            settings = dict(workshop.settings or {})
            kept_rows = dict(settings.get(KEPT_BACK_SETTING) or {})
            kept_rows.update({table: [dict(r) for r in kept] for table, kept in kept_back.items()})
            settings[KEPT_BACK_SETTING] = kept_rows
            workshop.settings = settings
        link_count = len(s.scalars(select(RelationshipRow.id).where(RelationshipRow.workshop_id == workshop_id)).all())
        history.record(s, workshop_id, BOARD, before, actor=actor, summary=summary or action.replace("_", " "))
        add_audit(
            s,
            workshop_id,
            "facilitator",
            action,
            "workshop",
            workshop_id,
            f"{len(wanted)} stakeholders, {link_count} relationships",
        )
    return len(wanted), link_count


def _match(existing: Sequence[StakeholderRow], drafts: Sequence[StakeholderDraft]) -> dict[int, StakeholderRow]:
    """Draft index -> the stored row it updates: by id first, then by name."""
    by_id = {row.id: row for row in existing}
    taken: set[int] = set()
    matched: dict[int, StakeholderRow] = {}
    for i, draft in enumerate(drafts):
        if draft.id is not None and draft.id in by_id and draft.id not in taken:
            matched[i] = by_id[draft.id]
            taken.add(draft.id)
    by_name = {name_key(row.name): row for row in existing}
    for i, draft in enumerate(drafts):
        if i in matched:
            continue
        row = by_name.get(name_key(draft.name))
        if row is not None and row.id not in taken:
            matched[i] = row
            taken.add(row.id)
    return matched


def _remember(s: Session, workshop_id: int, summary: str) -> None:
    workshop = s.get(WorkshopRow, workshop_id)
    if workshop is None:
        raise NotFoundError("That workshop no longer exists.")
    history.record(s, workshop_id, BOARD, _snapshot(s, workshop), summary=summary)


def add_stakeholder(
    engine: Engine, workshop_id: int, draft: StakeholderDraft, *, relationship_types: Sequence[str]
) -> StakeholderValue:
    """Add one stakeholder to the map.

    Raises:
        ImportRefused: If the name is taken or a field is invalid.
    """
    people, links = load_network(engine, workshop_id)
    _check_with(people, links, [*_drafts(people), draft], relationship_types)
    with write_session(engine) as s:
        _remember(s, workshop_id, f"Added {draft.name}")
        row = StakeholderRow(workshop_id=workshop_id, **_fields(draft))
        s.add(row)
        s.flush()
        add_audit(s, workshop_id, "facilitator", "stakeholder_added", "stakeholder", row.id)
        return _stakeholder(row)


def update_stakeholder(
    engine: Engine, workshop_id: int, stakeholder_id: int, draft: StakeholderDraft, *, relationship_types: Sequence[str]
) -> StakeholderValue:
    """Change one stakeholder's fields.

    Raises:
        NotFoundError: If it is not in this workshop.
        ImportRefused: If the new name is taken or a field is invalid.
    """
    people, links = load_network(engine, workshop_id)
    if stakeholder_id not in {p.id for p in people}:
        raise NotFoundError("That stakeholder is no longer on the map.")
    others = [d for d in _drafts(people) if d.id != stakeholder_id]
    _check_with(people, links, [*others, draft], relationship_types, renamed={stakeholder_id: draft.name})
    with write_session(engine) as s:
        row = s.get(StakeholderRow, stakeholder_id)
        if row is None or row.workshop_id != workshop_id:
            raise NotFoundError("That stakeholder is no longer on the map.")
        _remember(s, workshop_id, f"Changed {row.name}")
        for key, value in _fields(draft).items():
            setattr(row, key, value)
        add_audit(s, workshop_id, "facilitator", "stakeholder_changed", "stakeholder", row.id)
        s.flush()
        return _stakeholder(row)


def delete_stakeholder(engine: Engine, workshop_id: int, stakeholder_id: int) -> None:
    """Remove a stakeholder and, by cascade, its relationships.

    Raises:
        NotFoundError: If it is not in this workshop.
    """
    with write_session(engine) as s:
        row = s.get(StakeholderRow, stakeholder_id)
        if row is None or row.workshop_id != workshop_id:
            raise NotFoundError("That stakeholder is no longer on the map.")
        _remember(s, workshop_id, f"Removed {row.name}")
        s.execute(
            delete(RelationshipRow).where(
                (RelationshipRow.source_id == stakeholder_id) | (RelationshipRow.target_id == stakeholder_id)
            )
        )
        s.delete(row)
        add_audit(s, workshop_id, "facilitator", "stakeholder_removed", "stakeholder", stakeholder_id)


def add_relationship(
    engine: Engine, workshop_id: int, draft: RelationshipDraft, *, relationship_types: Sequence[str]
) -> RelationshipValue:
    """Add one relationship between two stakeholders already on the map, by name.

    Raises:
        ImportRefused: If an end is unknown, it links a stakeholder to itself, or a field is invalid.
    """
    people, _ = load_network(engine, workshop_id)
    validate_drafts(_drafts(people), [draft], relationship_types)
    ids = {name_key(p.name): p.id for p in people}
    with write_session(engine) as s:
        _remember(s, workshop_id, f"Linked {draft.source} and {draft.target}")
        row = RelationshipRow(
            workshop_id=workshop_id,
            source_id=ids[name_key(draft.source)],
            target_id=ids[name_key(draft.target)],
            type=draft.type,
            directed=draft.directed,
            strength=draft.strength,
            note=draft.note,
        )
        s.add(row)
        s.flush()
        add_audit(s, workshop_id, "facilitator", "relationship_added", "relationship", row.id)
        return _relationship(row)


def delete_relationship(engine: Engine, workshop_id: int, relationship_id: int) -> None:
    """Remove one relationship.

    Raises:
        NotFoundError: If it is not in this workshop.
    """
    with write_session(engine) as s:
        row = s.get(RelationshipRow, relationship_id)
        if row is None or row.workshop_id != workshop_id:
            raise NotFoundError("That relationship is no longer on the map.")
        _remember(s, workshop_id, "Removed a relationship")
        s.delete(row)
        add_audit(s, workshop_id, "facilitator", "relationship_removed", "relationship", relationship_id)


def _drafts(people: Sequence[StakeholderValue]) -> list[StakeholderDraft]:
    return [
        StakeholderDraft(
            name=p.name,
            aliases=p.aliases,
            kind=p.kind,
            sector=p.sector,
            influence=p.influence,
            interest=p.interest,
            notes=p.notes,
            id=p.id,
        )
        for p in people
    ]


def _check_with(
    people: Sequence[StakeholderValue],
    links: Sequence[RelationshipValue],
    drafts: Sequence[StakeholderDraft],
    relationship_types: Sequence[str],
    renamed: Mapping[int, str] | None = None,
) -> None:
    names = {p.id: (renamed or {}).get(p.id, p.name) for p in people}
    rel_drafts = [
        RelationshipDraft(names[r.source_id], names[r.target_id], r.type, r.directed, r.strength, r.note)
        for r in links
        if r.source_id in names and r.target_id in names
    ]
    validate_drafts(drafts, rel_drafts, {*relationship_types, *(r.type for r in links)})


# --- the drawing's positions -------------------------------------------------------------


def load_layout(engine: Engine, workshop_id: int) -> dict[int, tuple[float, float]]:
    """The stored positions of the map's stakeholders (empty if never drawn)."""
    with read_session(engine) as s:
        row = s.get(WorkshopRow, workshop_id)
        raw = (row.settings or {}).get(LAYOUT_SETTING, {}) if row else {}
    out: dict[int, tuple[float, float]] = {}
    if isinstance(raw, dict):
        for key, value in raw.items():
            try:
                out[int(key)] = (float(value[0]), float(value[1]))
            except (TypeError, ValueError, IndexError):
                continue
    return out


def save_layout(
    engine: Engine,
    workshop_id: int,
    positions: Mapping[int, tuple[float, float]],
    *,
    summary: str | None = None,
    actor: str = "facilitator",
) -> None:
    """Keep the drawing's positions, so the map looks the same next time (and in the report).

    With a ``summary`` (a person moved someone, or tidied the layout) the change goes into
    the map's history and can be undone; placing new stakeholders for the first time does not.
    """
    with write_session(engine) as s:
        row = s.get(WorkshopRow, workshop_id)
        if row is None:
            raise NotFoundError("That workshop no longer exists.")
        if summary is not None:
            history.record(s, workshop_id, BOARD, _snapshot(s, row), actor=actor, summary=summary)
        settings = dict(row.settings or {})
        settings[LAYOUT_SETTING] = {str(k): [round(x, 5), round(y, 5)] for k, (x, y) in sorted(positions.items())}
        row.settings = settings


def load_kept_back(engine: Engine, workshop_id: int) -> dict[str, list[dict[str, Any]]]:
    """The editor rows kept back as incomplete, by table."""
    with read_session(engine) as s:
        row = s.get(WorkshopRow, workshop_id)
        raw = (row.settings or {}).get(KEPT_BACK_SETTING, {}) if row else {}
    raw = raw if isinstance(raw, dict) else {}
    return {table: [dict(r) for r in raw.get(table, []) if isinstance(r, dict)] for table in TABLES}


TABLES = ("stakeholders", "relationships")


# --- history: the map as it was, and going back to it ------------------------------------


def _snapshot(s: Session, workshop: WorkshopRow) -> dict[str, Any]:
    """The whole map as it is now (no story text: stakeholders, links, layout, kept-back rows)."""
    people = s.scalars(
        select(StakeholderRow).where(StakeholderRow.workshop_id == workshop.id).order_by(StakeholderRow.id)
    ).all()
    links = s.scalars(
        select(RelationshipRow).where(RelationshipRow.workshop_id == workshop.id).order_by(RelationshipRow.id)
    ).all()
    settings = workshop.settings or {}
    return {
        "stakeholders": [{"id": p.id, **_fields_of(p)} for p in people],
        "relationships": [
            {
                "source_id": r.source_id,
                "target_id": r.target_id,
                "type": r.type,
                "directed": r.directed,
                "strength": r.strength,
                "note": r.note,
            }
            for r in links
        ],
        "layout": dict(settings.get(LAYOUT_SETTING) or {}),
        "kept_back": dict(settings.get(KEPT_BACK_SETTING) or {}),
    }


def _fields_of(row: StakeholderRow) -> dict[str, Any]:
    return {
        "name": row.name,
        "aliases": list(row.aliases or ()),
        "kind": row.kind,
        "sector": row.sector,
        "influence": row.influence,
        "interest": row.interest,
        "notes": row.notes,
    }


def list_history(engine: Engine, workshop_id: int, *, limit: int = 50) -> list[HistoryEntry]:
    """The map's recorded changes, newest first."""
    return history.list_history(engine, workshop_id, BOARD, limit=limit)


def restore_network(engine: Engine, workshop_id: int, entry_id: int | None = None) -> HistoryEntry | None:
    """Undo the last change to the map (or go back to the map as it was before change ``entry_id``).

    Stakeholders come back with their ids, so blueprint links of those still on the map stay.
    The change and every later one leave the history, in the same transaction.

    Returns:
        The change taken back, or None if there was nothing to undo.
    """
    with write_session(engine) as s:
        workshop = s.get(WorkshopRow, workshop_id)
        if workshop is None:
            raise NotFoundError("That workshop no longer exists.")
        entry = history.take_back(s, workshop_id, BOARD, entry_id)
        if entry is None:
            return None
        snap = entry.snapshot
        wanted = {int(p["id"]): p for p in snap.get("stakeholders", [])}
        s.execute(delete(RelationshipRow).where(RelationshipRow.workshop_id == workshop_id))
        rows = {
            r.id: r for r in s.scalars(select(StakeholderRow).where(StakeholderRow.workshop_id == workshop_id)).all()
        }
        for row_id, row in rows.items():
            if row_id not in wanted:
                s.delete(row)
            else:
                row.name = f"~restoring~{row_id}"
        s.flush()
        for row_id, fields in wanted.items():
            values = {k: fields[k] for k in ("name", "aliases", "kind", "sector", "influence", "interest", "notes")}
            if row_id in rows:
                for key, value in values.items():
                    setattr(rows[row_id], key, value)
            else:
                s.add(StakeholderRow(id=row_id, workshop_id=workshop_id, **values))
        s.flush()
        for link in snap.get("relationships", []):
            if link["source_id"] in wanted and link["target_id"] in wanted:
                s.add(RelationshipRow(workshop_id=workshop_id, **link))
        settings = dict(workshop.settings or {})
        settings[LAYOUT_SETTING] = dict(snap.get("layout") or {})
        settings[KEPT_BACK_SETTING] = dict(snap.get("kept_back") or {})
        workshop.settings = settings
        add_audit(s, workshop_id, "facilitator", "stakeholders_restored", "workshop", workshop_id, entry.summary)
        return entry


__all__ = [
    "KEPT_BACK_SETTING",
    "TABLES",
    "add_relationship",
    "add_stakeholder",
    "delete_relationship",
    "delete_stakeholder",
    "list_history",
    "list_relationships",
    "list_stakeholders",
    "load_kept_back",
    "load_layout",
    "load_network",
    "restore_network",
    "save_layout",
    "save_network",
    "update_stakeholder",
]
