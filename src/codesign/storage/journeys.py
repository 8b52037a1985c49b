"""Repository functions for the journey map (stages, cells, evidence) and the service blueprint.

Every function is scoped by workshop: an id from one workshop never reaches another's rows,
even if a stale screen sends it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from sqlalchemy import Engine, delete, func, select
from sqlalchemy.orm import Session

from codesign.errors import NotFoundError, ValidationFailed
from codesign.models import (
    BlueprintItem,
    BlueprintItemDraft,
    BlueprintVersion,
    JourneyCell,
    JourneyCellDraft,
    Stage,
    StakeholderValue,
    StoryTheme,
)
from codesign.storage import history
from codesign.storage.db import read_session, write_session
from codesign.storage.history import HistoryEntry
from codesign.storage.schema import (
    BlueprintCellRow,
    BlueprintEvidenceRow,
    BlueprintStakeholderRow,
    JourneyCellRow,
    JourneyEvidenceRow,
    StageRow,
    StakeholderRow,
    StoryRow,
    StoryThemeRow,
    ThemeRow,
)
from codesign.storage.workshops import add_audit

STAGE_GONE = "That stage no longer exists. The screen has been refreshed."
ITEM_GONE = "That item no longer exists: someone may have removed it. The screen has been refreshed."
JOURNEY_BOARD = "journey"
BLUEPRINT_BOARD = "blueprint"
# A pain point proposed in a story's own words carries its sentence between these marks.
QUOTE_OPEN, QUOTE_CLOSE = "“", "”"


def _stage(r: StageRow) -> Stage:
    return Stage(r.id, r.key, r.name, r.prompt, r.position, r.thrive_grouping)


def _stage_rows(s: Session, workshop_id: int) -> list[StageRow]:
    return list(s.scalars(select(StageRow).where(StageRow.workshop_id == workshop_id).order_by(StageRow.position)))


def _own_stage_ids(s: Session, workshop_id: int) -> set[int]:
    return set(s.scalars(select(StageRow.id).where(StageRow.workshop_id == workshop_id)))


def _own_story_ids(s: Session, workshop_id: int, story_ids: Sequence[int]) -> list[int]:
    if not story_ids:
        return []
    wanted = {int(i) for i in story_ids}
    found = set(s.scalars(select(StoryRow.id).where(StoryRow.workshop_id == workshop_id, StoryRow.id.in_(wanted))))
    return sorted(found)


# --- stages ----------------------------------------------------------------------------------


def rename_stage(engine: Engine, workshop_id: int, stage_id: int, name: str, prompt: str | None = None) -> Stage:
    """Give a stage a new name (and optionally a new prompt).

    Raises:
        NotFoundError: If the stage is not in this workshop.
    """
    with write_session(engine) as s:
        row = s.get(StageRow, stage_id)
        if row is None or row.workshop_id != workshop_id:
            raise NotFoundError(STAGE_GONE)
        row.name = name
        if prompt is not None:
            row.prompt = prompt
        add_audit(s, workshop_id, "facilitator", "stage_renamed", "stage", stage_id)
        return _stage(row)


def reorder_stages(engine: Engine, workshop_id: int, stage_ids: Sequence[int]) -> list[Stage]:
    """Put the workshop's stages in the given order.

    Raises:
        ValidationFailed: If the ids are not exactly this workshop's stages.
    """
    with write_session(engine) as s:
        rows = {r.id: r for r in _stage_rows(s, workshop_id)}
        if sorted(stage_ids) != sorted(rows):
            raise ValidationFailed("The stages changed while you were editing. The screen has been refreshed.")
        for pos, stage_id in enumerate(stage_ids):
            rows[stage_id].position = pos
        add_audit(s, workshop_id, "facilitator", "stages_reordered", "workshop", workshop_id)
        s.flush()
        return [_stage(r) for r in sorted(rows.values(), key=lambda r: r.position)]


def insert_stage(
    engine: Engine, workshop_id: int, *, key: str, name: str, prompt: str, thrive_grouping: str | None, position: int
) -> Stage:
    """Insert a stage at a position, moving later stages one place along.

    Raises:
        ValidationFailed: If the key is taken in this workshop.
    """
    with write_session(engine) as s:
        rows = _stage_rows(s, workshop_id)
        if any(r.key == key for r in rows):
            raise ValidationFailed("There is already a stage with that name. Choose another name.")
        position = max(0, min(position, len(rows)))
        for r in rows:
            if r.position >= position:
                r.position += 1
        row = StageRow(
            workshop_id=workshop_id,
            key=key,
            name=name,
            prompt=prompt,
            thrive_grouping=thrive_grouping,
            position=position,
        )
        s.add(row)
        s.flush()
        add_audit(s, workshop_id, "facilitator", "stage_added", "stage", row.id)
        return _stage(row)


def stage_keys(engine: Engine, workshop_id: int) -> set[str]:
    with read_session(engine) as s:
        return set(s.scalars(select(StageRow.key).where(StageRow.workshop_id == workshop_id)))


# --- journey cells -----------------------------------------------------------------------------


def list_journey_cells(engine: Engine, workshop_id: int) -> list[JourneyCell]:
    """Every journey map item of a workshop, with its evidence, in stage, lane and position order."""
    with read_session(engine) as s:
        evidence: dict[int, list[int]] = defaultdict(list)
        for cell_id, story_id in s.execute(
            select(JourneyEvidenceRow.cell_id, JourneyEvidenceRow.story_id)
            .join(JourneyCellRow, JourneyCellRow.id == JourneyEvidenceRow.cell_id)
            .where(JourneyCellRow.workshop_id == workshop_id)
            .order_by(JourneyEvidenceRow.story_id)
        ):
            evidence[cell_id].append(story_id)
        rows = s.scalars(
            select(JourneyCellRow)
            .where(JourneyCellRow.workshop_id == workshop_id)
            .order_by(JourneyCellRow.stage_id, JourneyCellRow.lane, JourneyCellRow.position, JourneyCellRow.id)
        )
        return [
            JourneyCell(
                id=r.id,
                stage_id=r.stage_id,
                lane=r.lane,
                text=r.text,
                position=r.position,
                status=r.status,  # type: ignore[arg-type]
                story_ids=tuple(evidence.get(r.id, ())),
            )
            for r in rows
        ]


def _next_positions(
    s: Session, model: type[JourneyCellRow] | type[BlueprintCellRow], workshop_id: int, version: str | None = None
) -> dict[tuple[int, str], int]:
    """(stage id, lane) -> the position after the last item there, so new items go to the end."""
    query = select(model.stage_id, model.lane, func.max(model.position)).where(model.workshop_id == workshop_id)
    if version is not None:
        query = query.where(BlueprintCellRow.version == version)
    return {(stage, lane): (top or 0) + 1 for stage, lane, top in s.execute(query.group_by(model.stage_id, model.lane))}


def save_journey_edits(
    engine: Engine,
    workshop_id: int,
    *,
    added: Sequence[JourneyCellDraft] = (),
    updated: Sequence[JourneyCell] = (),
    deleted: Sequence[int] = (),
    actor: str = "facilitator",
    summary: str = "",
) -> list[int]:
    """Add, change and remove journey map items in one transaction; returns the new items' ids.

    The map as it was is recorded in the history first (who, when, what), so it can be undone.

    Raises:
        NotFoundError: If an item to change is gone, or a stage is not this workshop's.
    """
    with write_session(engine) as s:
        if added or updated or deleted:
            what = summary or f"{len(added)} added, {len(updated)} changed, {len(deleted)} removed"
            history.record(s, workshop_id, JOURNEY_BOARD, _journey_snapshot(s, workshop_id), actor=actor, summary=what)
        stages = _own_stage_ids(s, workshop_id)
        for cell in updated:
            row = s.get(JourneyCellRow, cell.id)
            if row is None or row.workshop_id != workshop_id:
                raise NotFoundError(ITEM_GONE)
            if cell.stage_id not in stages:
                raise NotFoundError(STAGE_GONE)
            if (row.stage_id, row.lane) != (cell.stage_id, cell.lane):
                row.position = _next_positions(s, JourneyCellRow, workshop_id).get((cell.stage_id, cell.lane), 0)
            row.stage_id, row.lane, row.text, row.status = cell.stage_id, cell.lane, cell.text, cell.status
        if deleted:
            s.execute(
                delete(JourneyCellRow).where(
                    JourneyCellRow.workshop_id == workshop_id, JourneyCellRow.id.in_([int(i) for i in deleted])
                )
            )
        positions = _next_positions(s, JourneyCellRow, workshop_id)
        ids: list[int] = []
        for draft in added:
            if draft.stage_id not in stages:
                raise NotFoundError(STAGE_GONE)
            slot = (draft.stage_id, draft.lane)
            row = JourneyCellRow(
                workshop_id=workshop_id,
                stage_id=draft.stage_id,
                lane=draft.lane,
                text=draft.text,
                status=draft.status,
                position=positions.get(slot, 0),
            )
            positions[slot] = row.position + 1
            s.add(row)
            s.flush()
            for story_id in _own_story_ids(s, workshop_id, draft.story_ids):
                s.add(JourneyEvidenceRow(cell_id=row.id, story_id=story_id))
            ids.append(row.id)
        if added or updated or deleted:
            add_audit(
                s,
                workshop_id,
                "facilitator",
                "journey_edited",
                "workshop",
                workshop_id,
                f"{len(added)} added, {len(updated)} changed, {len(deleted)} removed",
            )
        return ids


def set_journey_cell_status(
    engine: Engine, workshop_id: int, cell_id: int, status: str, text: str | None = None
) -> None:
    """Accept or reject an item (a proposal, usually), optionally with edited text.

    Raises:
        NotFoundError: If the item is gone.
    """
    with write_session(engine) as s:
        row = s.get(JourneyCellRow, cell_id)
        if row is None or row.workshop_id != workshop_id:
            raise NotFoundError(ITEM_GONE)
        word = {"accepted": "Accepted", "rejected": "Rejected"}.get(status, status.capitalize())
        history.record(
            s, workshop_id, JOURNEY_BOARD, _journey_snapshot(s, workshop_id), summary=f"{word} a proposed item"
        )
        row.status = status
        if text is not None:
            row.text = text
        add_audit(s, workshop_id, "facilitator", f"journey_item_{status}", "journey_cell", cell_id)


def list_story_themes(engine: Engine, workshop_id: int) -> list[StoryTheme]:
    """The theme each story of a workshop sits in (an empty list before any clustering)."""
    with read_session(engine) as s:
        rows = s.execute(
            select(StoryThemeRow.story_id, ThemeRow.id, ThemeRow.label)
            .join(ThemeRow, ThemeRow.id == StoryThemeRow.theme_id)
            .where(ThemeRow.workshop_id == workshop_id)
            .order_by(StoryThemeRow.story_id)
        )
        return [StoryTheme(story_id, theme_id, label) for story_id, theme_id, label in rows]


def list_stakeholder_names(engine: Engine, workshop_id: int) -> dict[int, str]:
    """Stakeholder id -> name, for linking blueprint items."""
    with read_session(engine) as s:
        rows = s.execute(
            select(StakeholderRow.id, StakeholderRow.name)
            .where(StakeholderRow.workshop_id == workshop_id)
            .order_by(StakeholderRow.name)
        )
        return {row.id: row.name for row in rows}


def list_stakeholders_with_aliases(engine: Engine, workshop_id: int) -> list[StakeholderValue]:
    """The map's stakeholders with their aliases, so a touchpoint can be recognised by any of its names."""
    with read_session(engine) as s:
        rows = s.scalars(
            select(StakeholderRow).where(StakeholderRow.workshop_id == workshop_id).order_by(StakeholderRow.id)
        )
        return [
            StakeholderValue(r.id, r.name, tuple(r.aliases or ()), r.kind, r.sector, r.influence, r.interest, r.notes)
            for r in rows
        ]


# --- blueprint -------------------------------------------------------------------------------


def list_blueprint_items(engine: Engine, workshop_id: int, version: BlueprintVersion) -> list[BlueprintItem]:
    """Every item of one version of a workshop's blueprint, with its stories and stakeholders."""
    with read_session(engine) as s:
        own = select(BlueprintCellRow.id).where(
            BlueprintCellRow.workshop_id == workshop_id, BlueprintCellRow.version == version
        )
        stories: dict[int, list[int]] = defaultdict(list)
        for cell_id, story_id in s.execute(
            select(BlueprintEvidenceRow.cell_id, BlueprintEvidenceRow.story_id)
            .where(BlueprintEvidenceRow.cell_id.in_(own))
            .order_by(BlueprintEvidenceRow.story_id)
        ):
            stories[cell_id].append(story_id)
        holders: dict[int, list[int]] = defaultdict(list)
        for cell_id, holder_id in s.execute(
            select(BlueprintStakeholderRow.cell_id, BlueprintStakeholderRow.stakeholder_id)
            .where(BlueprintStakeholderRow.cell_id.in_(own))
            .order_by(BlueprintStakeholderRow.stakeholder_id)
        ):
            holders[cell_id].append(holder_id)
        rows = s.scalars(
            select(BlueprintCellRow)
            .where(BlueprintCellRow.workshop_id == workshop_id, BlueprintCellRow.version == version)
            .order_by(BlueprintCellRow.stage_id, BlueprintCellRow.lane, BlueprintCellRow.position, BlueprintCellRow.id)
        )
        return [
            BlueprintItem(
                id=r.id,
                version=r.version,  # type: ignore[arg-type]
                stage_id=r.stage_id,
                lane=r.lane,
                text=r.text,
                position=r.position,
                fail_point=r.is_fail_point,
                wait_point=r.is_wait_point,
                wait_time=r.wait_time,
                status=r.status,  # type: ignore[arg-type]
                story_ids=tuple(stories.get(r.id, ())),
                stakeholder_ids=tuple(holders.get(r.id, ())),
            )
            for r in rows
        ]


def _set_links(s: Session, workshop_id: int, cell_id: int, story_ids: Sequence[int], holder_ids: Sequence[int]) -> None:
    s.execute(delete(BlueprintEvidenceRow).where(BlueprintEvidenceRow.cell_id == cell_id))
    s.execute(delete(BlueprintStakeholderRow).where(BlueprintStakeholderRow.cell_id == cell_id))
    for story_id in _own_story_ids(s, workshop_id, story_ids):
        s.add(BlueprintEvidenceRow(cell_id=cell_id, story_id=story_id))
    if holder_ids:
        wanted = {int(i) for i in holder_ids}
        for holder_id in sorted(
            s.scalars(
                select(StakeholderRow.id).where(
                    StakeholderRow.workshop_id == workshop_id, StakeholderRow.id.in_(wanted)
                )
            )
        ):
            s.add(BlueprintStakeholderRow(cell_id=cell_id, stakeholder_id=holder_id))


def save_blueprint_edits(
    engine: Engine,
    workshop_id: int,
    version: BlueprintVersion,
    *,
    added: Sequence[BlueprintItemDraft] = (),
    updated: Sequence[BlueprintItem] = (),
    deleted: Sequence[int] = (),
    replace: bool = False,
    actor: str = "facilitator",
    summary: str = "",
) -> list[int]:
    """Add, change and remove blueprint items of one version in one transaction.

    The blueprint as it was (both versions) is recorded in the history first, so it can be undone.

    Args:
        engine: The database.
        workshop_id: The workshop.
        version: "as_is" or "to_be".
        added: New items (with their story and stakeholder links).
        updated: Changed items; their links are replaced by the ones given.
        deleted: Ids of items to remove.
        replace: Remove every item of this version first (a fresh draft).

    Returns:
        The new items' ids, in the order given.

    Raises:
        NotFoundError: If an item to change is gone, or a stage is not this workshop's.
    """
    with write_session(engine) as s:
        name = "as is" if version == "as_is" else "to be"
        what = summary or (
            f"Drafted the {name} blueprint ({len(added)} items)"
            if replace
            else f"{name}: {len(added)} added, {len(updated)} changed, {len(deleted)} removed"
        )
        history.record(s, workshop_id, BLUEPRINT_BOARD, _blueprint_snapshot(s, workshop_id), actor=actor, summary=what)
        stages = _own_stage_ids(s, workshop_id)
        if replace:
            s.execute(
                delete(BlueprintCellRow).where(
                    BlueprintCellRow.workshop_id == workshop_id, BlueprintCellRow.version == version
                )
            )
        for item in updated:
            row = s.get(BlueprintCellRow, item.id)
            if row is None or row.workshop_id != workshop_id or row.version != version:
                raise NotFoundError(ITEM_GONE)
            if item.stage_id not in stages:
                raise NotFoundError(STAGE_GONE)
            row.stage_id, row.lane, row.text, row.status = item.stage_id, item.lane, item.text, item.status
            row.is_fail_point, row.is_wait_point = item.fail_point, item.wait_point
            row.wait_time = item.wait_time if item.wait_point else ""
            _set_links(s, workshop_id, row.id, item.story_ids, item.stakeholder_ids)
        if deleted:
            s.execute(
                delete(BlueprintCellRow).where(
                    BlueprintCellRow.workshop_id == workshop_id,
                    BlueprintCellRow.version == version,
                    BlueprintCellRow.id.in_([int(i) for i in deleted]),
                )
            )
        s.flush()
        positions = _next_positions(s, BlueprintCellRow, workshop_id, version)
        ids: list[int] = []
        for draft in added:
            if draft.stage_id not in stages:
                raise NotFoundError(STAGE_GONE)
            slot = (draft.stage_id, draft.lane)
            row = BlueprintCellRow(
                workshop_id=workshop_id,
                version=version,
                stage_id=draft.stage_id,
                lane=draft.lane,
                text=draft.text,
                position=positions.get(slot, 0),
                is_fail_point=draft.fail_point,
                is_wait_point=draft.wait_point,
                wait_time=draft.wait_time if draft.wait_point else "",
                status=draft.status,
            )
            positions[slot] = row.position + 1
            s.add(row)
            s.flush()
            _set_links(s, workshop_id, row.id, draft.story_ids, draft.stakeholder_ids)
            ids.append(row.id)
        add_audit(
            s,
            workshop_id,
            "facilitator",
            "blueprint_replaced" if replace else "blueprint_edited",
            "workshop",
            workshop_id,
            f"{version}: {len(added)} added, {len(updated)} changed, {len(deleted)} removed",
        )
        return ids


# --- history: snapshots, undo, restore, withdrawal ------------------------------------------------


def quoted(text: str) -> str | None:
    """The sentence an item quotes from a story (between “ and ”), or None."""
    start = text.find(QUOTE_OPEN)
    end = text.find(QUOTE_CLOSE, start + 1)
    return text[start + 1 : end] if start >= 0 and end > start + 1 else None


def _quote_sources(s: Session, cells: Sequence[JourneyCellRow], evidence: dict[int, list[int]]) -> dict[int, int]:
    """Cell id -> the story whose words it quotes (only cells that quote one of their stories)."""
    wanted = {c.id: quoted(c.text) for c in cells}
    ids = {sid for cid, q in wanted.items() if q for sid in evidence.get(cid, ())}
    if not ids:
        return {}
    texts: dict[int, str] = dict(s.execute(select(StoryRow.id, StoryRow.text).where(StoryRow.id.in_(ids))).all())
    out: dict[int, int] = {}
    for cid, q in wanted.items():
        for sid in evidence.get(cid, ()):
            if q and q in texts.get(sid, ""):
                out[cid] = sid
                break
    return out


def _journey_evidence(s: Session, workshop_id: int) -> dict[int, list[int]]:
    evidence: dict[int, list[int]] = defaultdict(list)
    for cell_id, story_id in s.execute(
        select(JourneyEvidenceRow.cell_id, JourneyEvidenceRow.story_id)
        .join(JourneyCellRow, JourneyCellRow.id == JourneyEvidenceRow.cell_id)
        .where(JourneyCellRow.workshop_id == workshop_id)
        .order_by(JourneyEvidenceRow.story_id)
    ):
        evidence[cell_id].append(story_id)
    return evidence


def _journey_snapshot(s: Session, workshop_id: int) -> dict[str, object]:
    """The journey map's items as they are now. An item that quotes a story names it under
    ``story_id``, so withdrawing that story drops the item from every snapshot too."""
    cells = list(s.scalars(select(JourneyCellRow).where(JourneyCellRow.workshop_id == workshop_id)))
    evidence = _journey_evidence(s, workshop_id)
    sources = _quote_sources(s, cells, evidence)
    out = []
    for c in cells:
        item: dict[str, object] = {
            "id": c.id,
            "stage_id": c.stage_id,
            "lane": c.lane,
            "text": c.text,
            "position": c.position,
            "status": c.status,
            "story_ids": evidence.get(c.id, []),
        }
        if c.id in sources:
            item["story_id"] = sources[c.id]
        out.append(item)
    return {"cells": out}


def _blueprint_snapshot(s: Session, workshop_id: int) -> dict[str, object]:
    rows = list(s.scalars(select(BlueprintCellRow).where(BlueprintCellRow.workshop_id == workshop_id)))
    own = [r.id for r in rows]
    stories: dict[int, list[int]] = defaultdict(list)
    holders: dict[int, list[int]] = defaultdict(list)
    if own:
        for cell_id, story_id in s.execute(
            select(BlueprintEvidenceRow.cell_id, BlueprintEvidenceRow.story_id).where(
                BlueprintEvidenceRow.cell_id.in_(own)
            )
        ):
            stories[cell_id].append(story_id)
        for cell_id, holder_id in s.execute(
            select(BlueprintStakeholderRow.cell_id, BlueprintStakeholderRow.stakeholder_id).where(
                BlueprintStakeholderRow.cell_id.in_(own)
            )
        ):
            holders[cell_id].append(holder_id)
    return {
        "items": [
            {
                "id": r.id,
                "version": r.version,
                "stage_id": r.stage_id,
                "lane": r.lane,
                "text": r.text,
                "position": r.position,
                "is_fail_point": r.is_fail_point,
                "is_wait_point": r.is_wait_point,
                "wait_time": r.wait_time,
                "status": r.status,
                "story_ids": sorted(stories.get(r.id, [])),
                "stakeholder_ids": sorted(holders.get(r.id, [])),
            }
            for r in rows
        ]
    }


def list_history(engine: Engine, workshop_id: int, board: str, *, limit: int = 50) -> list[HistoryEntry]:
    """The journey map's ("journey") or the blueprint's ("blueprint") recorded changes, newest first."""
    return history.list_history(engine, workshop_id, board, limit=limit)


def _existing(s: Session, model: type[StoryRow] | type[StakeholderRow], workshop_id: int, ids: set[int]) -> set[int]:
    if not ids:
        return set()
    return set(s.scalars(select(model.id).where(model.workshop_id == workshop_id, model.id.in_(ids))))


@dataclass(frozen=True)
class _Board:
    """How one map's snapshot goes back into its tables: its rows, their columns, and their links."""

    name: str
    """The history board."""
    key: str
    """Where the snapshot keeps its rows."""
    model: type[JourneyCellRow] | type[BlueprintCellRow]
    columns: tuple[str, ...]
    """Row columns, named as in the snapshot."""
    links: tuple[tuple[str, type[StoryRow] | type[StakeholderRow], Callable[[int, int], object]], ...]
    """(snapshot key of linked ids, the linked table, a link row for (item id, linked id))."""
    audit: str


_JOURNEY = _Board(
    JOURNEY_BOARD,
    "cells",
    JourneyCellRow,
    ("stage_id", "lane", "text", "position", "status"),
    (("story_ids", StoryRow, lambda item, story: JourneyEvidenceRow(cell_id=item, story_id=story)),),
    "journey_restored",
)
_BLUEPRINT = _Board(
    BLUEPRINT_BOARD,
    "items",
    BlueprintCellRow,
    ("version", "stage_id", "lane", "text", "position", "is_fail_point", "is_wait_point", "wait_time", "status"),
    (
        ("story_ids", StoryRow, lambda item, story: BlueprintEvidenceRow(cell_id=item, story_id=story)),
        (
            "stakeholder_ids",
            StakeholderRow,
            lambda item, holder: BlueprintStakeholderRow(cell_id=item, stakeholder_id=holder),
        ),
    ),
    "blueprint_restored",
)


def _restore(engine: Engine, workshop_id: int, board: _Board, entry_id: int | None) -> HistoryEntry | None:
    """Put a map back as its snapshot holds it, in one transaction.

    Items come back with their ids and the links to stories and stakeholders that are still
    there; items of a stage removed since are left out. Returns the change taken back, or None.
    """
    with write_session(engine) as s:
        entry = history.take_back(s, workshop_id, board.name, entry_id)
        if entry is None:
            return None
        stages = _own_stage_ids(s, workshop_id)
        rows = [r for r in entry.snapshot.get(board.key, []) if isinstance(r, dict) and r["stage_id"] in stages]
        still = {
            key: _existing(s, model, workshop_id, {int(x) for r in rows for x in r.get(key, [])})
            for key, model, _link in board.links
        }
        s.execute(delete(board.model).where(board.model.workshop_id == workshop_id))
        s.flush()
        for r in rows:
            s.add(board.model(id=r["id"], workshop_id=workshop_id, **{c: r[c] for c in board.columns}))
        s.flush()
        for r in rows:
            for key, _model, link in board.links:
                for other in sorted({int(x) for x in r.get(key, [])} & still[key]):
                    s.add(link(r["id"], other))
        add_audit(s, workshop_id, "facilitator", board.audit, "workshop", workshop_id, entry.summary)
        return entry


def restore_journey(engine: Engine, workshop_id: int, entry_id: int | None = None) -> HistoryEntry | None:
    """Undo the last change to the journey map, or go back to how it was before change ``entry_id``."""
    return _restore(engine, workshop_id, _JOURNEY, entry_id)


def restore_blueprint(engine: Engine, workshop_id: int, entry_id: int | None = None) -> HistoryEntry | None:
    """Undo the last change to the blueprint (both versions), or go back to before change ``entry_id``."""
    return _restore(engine, workshop_id, _BLUEPRINT, entry_id)


def forget_story(s: Session, workshop_id: int, story_id: int) -> None:
    """On withdrawal, inside its transaction and before the story goes: remove the journey items
    that quote the story's words, and the story from every history snapshot."""
    cells = list(s.scalars(select(JourneyCellRow).where(JourneyCellRow.workshop_id == workshop_id)))
    sources = _quote_sources(s, cells, _journey_evidence(s, workshop_id))
    gone = [cid for cid, sid in sources.items() if sid == story_id]
    if gone:
        s.execute(delete(JourneyCellRow).where(JourneyCellRow.id.in_(gone)))
    history.forget_story(s, workshop_id, story_id)
