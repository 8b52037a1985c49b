"""History of a workshop's boards (theme board, stakeholder map, journey map, blueprint), for undo.

Each change is recorded with the board as it was *before* it, who made it and when. Undo takes
the newest record of a board, hands its snapshot back to the capability's service to restore,
and deletes the record; restoring an earlier version works the same way from any record.
Snapshots hold ids and the room's own words, never a story's text.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Engine, delete, func, select
from sqlalchemy.orm import Session

from codesign.storage.db import read_session
from codesign.storage.schema import HistoryRow, as_utc

BOARDS = ("themes", "stakeholders", "journey", "blueprint")
# Enough to take back a morning's slips; older records are dropped so a long day stays small.
KEEP_PER_BOARD = 200


@dataclass(frozen=True)
class HistoryEntry:
    """One recorded change: the board before it, who made it and when."""

    id: int
    board: str
    actor: str
    summary: str
    at: datetime
    snapshot: dict[str, Any]


def _entry(row: HistoryRow) -> HistoryEntry:
    return HistoryEntry(
        id=row.id,
        board=row.board,
        actor=row.actor,
        summary=row.summary,
        at=as_utc(row.at),
        snapshot=dict(row.snapshot),
    )


def record(
    s: Session, workshop_id: int, board: str, snapshot: dict[str, Any], *, actor: str = "facilitator", summary: str = ""
) -> None:
    """Record the board as it was before a change, inside the change's own transaction."""
    if board not in BOARDS:
        raise ValueError(f"unknown board {board!r}")
    s.add(HistoryRow(workshop_id=workshop_id, board=board, actor=actor[:40], summary=summary[:200], snapshot=snapshot))
    s.flush()
    ids = s.scalars(
        select(HistoryRow.id)
        .where(HistoryRow.workshop_id == workshop_id, HistoryRow.board == board)
        .order_by(HistoryRow.id.desc())
        .offset(KEEP_PER_BOARD)
    ).all()
    if ids:
        s.execute(delete(HistoryRow).where(HistoryRow.id.in_(ids)))


def list_history(engine: Engine, workshop_id: int, board: str, *, limit: int = 50) -> list[HistoryEntry]:
    """The newest recorded changes of a board first."""
    with read_session(engine) as s:
        rows = s.scalars(
            select(HistoryRow)
            .where(HistoryRow.workshop_id == workshop_id, HistoryRow.board == board)
            .order_by(HistoryRow.id.desc())
            .limit(limit)
        ).all()
        return [_entry(r) for r in rows]


def count_history(engine: Engine, workshop_id: int, board: str) -> int:
    with read_session(engine) as s:
        return int(
            s.scalar(
                select(func.count())
                .select_from(HistoryRow)
                .where(HistoryRow.workshop_id == workshop_id, HistoryRow.board == board)
            )
            or 0
        )


def take_back(s: Session, workshop_id: int, board: str, entry_id: int | None = None) -> HistoryEntry | None:
    """Remove and return the newest record of a board (or record ``entry_id`` and every newer one).

    Called inside the transaction that restores the returned snapshot, so undo is all or nothing.
    """
    query = select(HistoryRow).where(HistoryRow.workshop_id == workshop_id, HistoryRow.board == board)
    if entry_id is None:
        row = s.scalars(query.order_by(HistoryRow.id.desc()).limit(1)).first()
    else:
        row = s.scalars(query.where(HistoryRow.id == entry_id)).first()
    if row is None:
        return None
    entry = _entry(row)
    s.execute(
        delete(HistoryRow).where(
            HistoryRow.workshop_id == workshop_id, HistoryRow.board == board, HistoryRow.id >= row.id
        )
    )
    return entry


def forget_story(s: Session, workshop_id: int, story_id: int) -> None:
    """Drop a withdrawn story's id from every snapshot of the workshop (snapshots never hold its text)."""
    for row in s.scalars(select(HistoryRow).where(HistoryRow.workshop_id == workshop_id)).all():
        cleaned = _without(row.snapshot, story_id)
        if cleaned != row.snapshot:
            row.snapshot = cleaned


def _without(value: Any, story_id: int) -> Any:
    # By convention a snapshot names stories only under keys "story_id" and "...story_ids".
    if isinstance(value, dict):
        out: dict[str, Any] = {}
        for key, item in value.items():
            if key == "story_id" and item == story_id:
                return None
            if key.endswith("story_ids") and isinstance(item, list):
                out[key] = [v for v in item if v != story_id]
            else:
                out[key] = _without(item, story_id)
        return out
    if isinstance(value, list):
        kept = [_without(v, story_id) for v in value]
        return [v for v in kept if v is not None]
    return value
