"""The stakeholder map's use cases: load and save the map and its drawing positions.

The rules (the graph, findings in service language, tables in and out) live in
``network.analysis`` and ``network.tables``; only this module talks to storage.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd
from sqlalchemy import Engine

from codesign.errors import NotFoundError
from codesign.models import RelationshipValue, StakeholderValue
from codesign.network.tables import (
    SaveReport,
    relationship_changes,
    relationship_drafts,
    relationship_rows,
    stakeholder_changes,
    stakeholder_rows,
)
from codesign.storage import stakeholders as repo
from codesign.storage.history import HistoryEntry
from codesign.workshops.kits import RelationshipType

# The same names as in storage (kept here too: storage imports this package's rules, so this
# module must not need storage's module to be fully loaded when it is imported).
LAYOUT_SETTING = "stakeholder_layout"
KEPT_BACK_SETTING = "stakeholder_kept_back"

__all__ = [
    "KEPT_BACK_SETTING",
    "LAYOUT_SETTING",
    "HistoryEntry",
    "add_relationship",
    "add_stakeholder",
    "delete_relationship",
    "delete_stakeholder",
    "list_map_history",
    "list_relationships",
    "list_stakeholders",
    "load_kept_back",
    "load_layout",
    "load_network",
    "place_stakeholder",
    "restore_map",
    "save_layout",
    "save_network",
    "save_relationship_rows",
    "save_stakeholder_rows",
    "undo_map",
    "update_stakeholder",
]


# Thin use cases over the repository. They call it at run time, not at import, because
# ``storage.stakeholders`` imports ``network.tables`` and so may be half-loaded while this
# module is imported.


def list_stakeholders(engine: Engine, workshop_id: int) -> list[StakeholderValue]:
    """A workshop's stakeholders, in the order they were added."""
    return repo.list_stakeholders(engine, workshop_id)


def list_relationships(engine: Engine, workshop_id: int) -> list[RelationshipValue]:
    """A workshop's relationships, in the order they were added."""
    return repo.list_relationships(engine, workshop_id)


def load_network(engine: Engine, workshop_id: int) -> tuple[list[StakeholderValue], list[RelationshipValue]]:
    """Stakeholders and relationships read in one transaction."""
    return repo.load_network(engine, workshop_id)


def save_network(engine: Engine, workshop_id: int, *args: Any, **kwargs: Any) -> tuple[int, int]:
    """Replace a workshop's map, all or nothing (see ``storage.stakeholders.save_network``)."""
    return repo.save_network(engine, workshop_id, *args, **kwargs)


def add_stakeholder(engine: Engine, workshop_id: int, *args: Any, **kwargs: Any) -> StakeholderValue:
    """Add one stakeholder to the map."""
    return repo.add_stakeholder(engine, workshop_id, *args, **kwargs)


def update_stakeholder(engine: Engine, workshop_id: int, *args: Any, **kwargs: Any) -> StakeholderValue:
    """Change one stakeholder's fields."""
    return repo.update_stakeholder(engine, workshop_id, *args, **kwargs)


def delete_stakeholder(engine: Engine, workshop_id: int, stakeholder_id: int) -> None:
    """Remove a stakeholder and its relationships."""
    repo.delete_stakeholder(engine, workshop_id, stakeholder_id)


def add_relationship(engine: Engine, workshop_id: int, *args: Any, **kwargs: Any) -> RelationshipValue:
    """Add one relationship between two stakeholders on the map."""
    return repo.add_relationship(engine, workshop_id, *args, **kwargs)


def delete_relationship(engine: Engine, workshop_id: int, relationship_id: int) -> None:
    """Remove one relationship."""
    repo.delete_relationship(engine, workshop_id, relationship_id)


def load_layout(engine: Engine, workshop_id: int) -> dict[int, tuple[float, float]]:
    """The stored positions of the map's stakeholders."""
    return repo.load_layout(engine, workshop_id)


def save_layout(engine: Engine, workshop_id: int, positions: Mapping[int, tuple[float, float]], **kwargs: Any) -> None:
    """Keep the drawing's positions (with ``summary=...``, as an undoable change)."""
    repo.save_layout(engine, workshop_id, positions, **kwargs)


def load_kept_back(engine: Engine, workshop_id: int) -> dict[str, list[dict[str, Any]]]:
    """The editor rows kept back as incomplete, by table."""
    return repo.load_kept_back(engine, workshop_id)


def list_map_history(engine: Engine, workshop_id: int, *, limit: int = 50) -> list[HistoryEntry]:
    """The map's recorded changes, newest first."""
    return repo.list_history(engine, workshop_id, limit=limit)


def save_stakeholder_rows(
    engine: Engine, workshop_id: int, table: pd.DataFrame, *, relationship_types: Sequence[str]
) -> SaveReport:
    """Save the stakeholders editor: rows with a name are saved, rows without are kept back, marked.

    Raises:
        ImportRefused: If a saved row has a problem (nothing is changed).
    """
    rows = stakeholder_rows(table)
    before, _ = repo.load_network(engine, workshop_id)
    report = stakeholder_changes(before, rows.stakeholders, kept_back=len(rows.incomplete))
    repo.save_network(
        engine,
        workshop_id,
        rows.stakeholders,
        None,
        relationship_types=relationship_types,
        action="stakeholders_edited",
        kept_back={"stakeholders": rows.incomplete},
        summary=report.describe(),
    )
    return report


def save_relationship_rows(
    engine: Engine, workshop_id: int, table: pd.DataFrame, *, types: Sequence[RelationshipType]
) -> SaveReport:
    """Save the relationships editor: complete rows replace the map's relationships, the rest are kept back.

    Raises:
        ImportRefused: If a strength or direction cannot be read (nothing is changed).
    """
    people, links = repo.load_network(engine, workshop_id)
    rows = relationship_rows(table, types, [p.name for p in people])
    report = relationship_changes(
        relationship_drafts(people, links), rows.relationships, kept_back=len(rows.incomplete)
    )
    repo.save_network(
        engine,
        workshop_id,
        None,
        rows.relationships,
        relationship_types=[t.key for t in types],
        action="relationships_edited",
        kept_back={"relationships": rows.incomplete},
        summary=report.describe(),
    )
    return report


def place_stakeholder(engine: Engine, workshop_id: int, stakeholder_id: int, x: float, y: float) -> None:
    """Put one stakeholder where the room wants it on the drawing (recorded, so it can be undone).

    Raises:
        NotFoundError: If the stakeholder is no longer on the map.
    """
    people = {p.id: p for p in repo.list_stakeholders(engine, workshop_id)}
    if stakeholder_id not in people:
        raise NotFoundError("That stakeholder is no longer on the map.")
    positions = repo.load_layout(engine, workshop_id)
    positions[stakeholder_id] = (float(x), float(y))
    repo.save_layout(engine, workshop_id, positions, summary=f"Moved {people[stakeholder_id].name}")


def undo_map(engine: Engine, workshop_id: int) -> HistoryEntry | None:
    """Take back the last change to the stakeholder map; None if there is nothing to undo."""
    return repo.restore_network(engine, workshop_id)


def restore_map(engine: Engine, workshop_id: int, entry_id: int) -> HistoryEntry | None:
    """Put the map back as it was before change ``entry_id`` (that change and every later one are undone)."""
    return repo.restore_network(engine, workshop_id, entry_id)
