"""Repository functions for stories."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Engine, delete, func, select, update
from sqlalchemy.orm import Session

from codesign.errors import NotFoundError
from codesign.models import Story
from codesign.storage import history
from codesign.storage.db import read_session, write_session
from codesign.storage.schema import (
    AuditRow,
    BlueprintCellRow,
    BlueprintEvidenceRow,
    JourneyCellRow,
    JourneyEvidenceRow,
    StageRow,
    StoryDraftRow,
    StoryRow,
    StoryThemeRow,
    ThemeRow,
    as_utc,
    utcnow,
)
from codesign.storage.workshops import add_audit


def to_story(row: StoryRow, stage_key: str | None) -> Story:
    return Story(
        id=row.id,
        workshop_id=row.workshop_id,
        text=row.text,
        stage_key=stage_key,
        lens_key=row.lens_key,
        emotion=row.emotion,
        helped=row.helped,
        would_have_helped=row.would_have_helped,
        strengths=row.strengths,
        consent=row.consent,  # type: ignore[arg-type]
        moderation_status=row.moderation_status,  # type: ignore[arg-type]
        risk_flags=tuple(row.risk_flags or ()),
        risk_historical_only=row.risk_historical_only,
        risk_reviewed=row.risk_reviewed,
        privacy_flags=tuple(row.privacy_flags or ()),
        needs_attention=row.needs_attention,
        source=row.source,
        created_at=as_utc(row.created_at),
        risk_severity=row.risk_severity or "",
    )


def stage_ids(s: Session, workshop_id: int) -> dict[str, int]:
    """Stage key -> stage id for one workshop."""
    rows = s.execute(select(StageRow.key, StageRow.id).where(StageRow.workshop_id == workshop_id)).all()
    return dict(rows)


def add_story_row(s: Session, workshop_id: int, stage_key: str | None, **fields: Any) -> StoryRow:
    """Add a story inside the caller's write transaction; fields are StoryRow columns."""
    stage_id = stage_ids(s, workshop_id).get(stage_key) if stage_key else None
    row = StoryRow(workshop_id=workshop_id, stage_id=stage_id, **fields)
    s.add(row)
    s.flush()
    return row


def list_stories(
    engine: Engine,
    workshop_id: int,
    *,
    statuses: Sequence[str] | None = None,
) -> list[Story]:
    """Stories of one workshop, oldest first, optionally only with the given moderation statuses."""
    with read_session(engine) as s:
        query = (
            select(StoryRow, StageRow.key)
            .outerjoin(StageRow, StoryRow.stage_id == StageRow.id)
            .where(StoryRow.workshop_id == workshop_id)
            .order_by(StoryRow.created_at, StoryRow.id)
        )
        if statuses is not None:
            query = query.where(StoryRow.moderation_status.in_(list(statuses)))
        return [to_story(row, key) for row, key in s.execute(query).all()]


def find_submission(s: Session, workshop_id: int, client_submission_id: str) -> StoryRow | None:
    """The story a phone already submitted under this id, inside the caller's transaction."""
    return s.scalar(
        select(StoryRow).where(
            StoryRow.workshop_id == workshop_id, StoryRow.client_submission_id == client_submission_id
        )
    )


def get_story(engine: Engine, story_id: int) -> Story:
    """One story.

    Raises:
        NotFoundError: If it does not exist (for example, it was withdrawn).
    """
    with read_session(engine) as s:
        row = s.get(StoryRow, story_id)
        if row is None:
            raise NotFoundError(STORY_GONE)
        key = s.scalar(select(StageRow.key).where(StageRow.id == row.stage_id)) if row.stage_id else None
        return to_story(row, key)


STORY_GONE = "That story no longer exists: it may have been withdrawn."


def update_story(
    engine: Engine,
    story_id: int,
    *,
    action: str,
    actor: str = "facilitator",
    detail: str = "",
    **fields: Any,
) -> Story:
    """Change columns of one story and record the action in the audit log, in one transaction.

    Raises:
        NotFoundError: If the story does not exist.
    """
    with write_session(engine) as s:
        row = s.get(StoryRow, story_id)
        if row is None:
            raise NotFoundError(STORY_GONE)
        for name, value in fields.items():
            setattr(row, name, value)
        row.updated_at = utcnow()
        add_audit(s, row.workshop_id, actor, action, "story", row.id, detail)
        s.flush()
        key = s.scalar(select(StageRow.key).where(StageRow.id == row.stage_id)) if row.stage_id else None
        return to_story(row, key)


def delete_by_withdraw_hash(
    engine: Engine,
    code_hash: str,
    *,
    relabel: Callable[[str, str, Sequence[str]], str] | None = None,
    rewrite: Callable[[str, dict[str, str]], str] | None = None,
) -> int | None:
    """Delete the story with this withdraw-code hash, and what was made from it; return its workshop id.

    In the same transaction: the database's cascades remove its theme assignment and its
    journey and blueprint evidence links; proposed journey and blueprint items it evidenced
    are deleted (the tool can propose again from the stories left); every theme of the
    workshop found by clustering is renamed by ``relabel`` (given its name, the withdrawn
    story's words and the texts of the stories in it now), or deleted if the story was its
    last; items of the workshop repeating a changed name are rewritten by ``rewrite``; older
    audit rows and undo history lose the story's id. The audit log records only that a
    withdrawal happened: no story id, no text.

    Returns:
        The workshop id, or None if no story has that hash.
    """
    with write_session(engine) as s:
        row = s.scalars(select(StoryRow).where(StoryRow.withdraw_code_hash == code_hash)).first()
        if row is None:
            return None
        story_id, workshop_id = row.id, row.workshop_id
        said = " ".join([row.text, row.helped, row.would_have_helped, row.strengths])
        theme_ids = list(s.scalars(select(StoryThemeRow.theme_id).where(StoryThemeRow.story_id == story_id)))
        journey_cells = list(
            s.scalars(select(JourneyEvidenceRow.cell_id).where(JourneyEvidenceRow.story_id == story_id))
        )
        blueprint_cells = list(
            s.scalars(select(BlueprintEvidenceRow.cell_id).where(BlueprintEvidenceRow.story_id == story_id))
        )
        # Journey items in the story's own words go with it.
        # (Imported here: the journeys repository reaches workshops, which imports this module's callers.)
        from codesign.storage import journeys

        journeys.forget_story(s, workshop_id, story_id)
        s.execute(delete(StoryRow).where(StoryRow.id == story_id))
        renamed = _relabel_themes(s, workshop_id, theme_ids, said, relabel)
        _forget_items(s, JourneyCellRow, workshop_id, journey_cells, renamed, rewrite)
        _forget_items(s, BlueprintCellRow, workshop_id, blueprint_cells, renamed, rewrite)
        s.execute(
            update(AuditRow)
            .where(AuditRow.target_type == "story", AuditRow.target_id == story_id)
            .values(target_id=None)
        )
        history.forget_story(s, workshop_id, story_id)
        add_audit(s, workshop_id, "participant", "story_withdrawn")
        return workshop_id


def _relabel_themes(
    s: Session,
    workshop_id: int,
    held: Sequence[int],
    said: str,
    relabel: Callable[[str, str, Sequence[str]], str] | None,
) -> dict[str, str]:
    renamed: dict[str, str] = {}
    auto = s.scalars(select(ThemeRow).where(ThemeRow.workshop_id == workshop_id, ThemeRow.origin == "auto")).all()
    for theme in auto:
        texts = list(
            s.scalars(
                select(StoryRow.text)
                .join(StoryThemeRow, StoryThemeRow.story_id == StoryRow.id)
                .where(StoryThemeRow.theme_id == theme.id)
            )
        )
        old = theme.label
        if not texts and theme.id in held:
            s.delete(theme)
            renamed[old] = ""
        elif relabel is not None:
            theme.label = relabel(old, said, texts)
            theme.updated_at = utcnow()
            if theme.label != old:
                renamed[old] = theme.label
            if theme.label != old or theme.id in held:
                # Its key phrases were drawn from the stories too: they come back at the next "Find themes".
                theme.description = ""
    s.flush()
    return renamed


def _forget_items(
    s: Session,
    row_type: type[JourneyCellRow] | type[BlueprintCellRow],
    workshop_id: int,
    evidenced: Sequence[int],
    renamed: dict[str, str],
    rewrite: Callable[[str, dict[str, str]], str] | None,
) -> None:
    cells: list[Any] = list(s.scalars(select(row_type).where(row_type.workshop_id == workshop_id)).all())
    for cell in cells:
        if cell.status == "proposed" and cell.id in evidenced:
            s.delete(cell)
        elif rewrite is not None and renamed:
            cell.text = rewrite(cell.text, {old: new or "a removed theme" for old, new in renamed.items()})


def count_recent_by_device(s: Session, device_hash: str, since: datetime) -> int:
    """Stories one device stored since a time, inside the caller's transaction (for the rate limit)."""
    query = select(func.count(StoryRow.id)).where(StoryRow.device_hash == device_hash, StoryRow.created_at >= since)
    return s.scalar(query) or 0


def count_by_stage_and_lens(engine: Engine, workshop_id: int) -> tuple[dict[str | None, int], dict[str | None, int]]:
    """How many stories (hidden ones left out) there are by stage key and by lens key."""
    with read_session(engine) as s:
        base = (
            select(StageRow.key, StoryRow.lens_key, func.count(StoryRow.id))
            .select_from(StoryRow)
            .outerjoin(StageRow, StoryRow.stage_id == StageRow.id)
            .where(StoryRow.workshop_id == workshop_id, StoryRow.moderation_status != "hidden")
            .group_by(StageRow.key, StoryRow.lens_key)
        )
        by_stage: dict[str | None, int] = {}
        by_lens: dict[str | None, int] = {}
        for stage_key, lens_key, n in s.execute(base).all():
            by_stage[stage_key] = by_stage.get(stage_key, 0) + n
            by_lens[lens_key] = by_lens.get(lens_key, 0) + n
        return by_stage, by_lens


def newest_approved(engine: Engine, workshop_id: int, consents: Sequence[str], limit: int) -> list[Story]:
    """Approved stories with one of the given consents, most recently approved first, leaving out any with
    risk language that no facilitator has reviewed."""
    with read_session(engine) as s:
        query = (
            select(StoryRow, StageRow.key)
            .outerjoin(StageRow, StoryRow.stage_id == StageRow.id)
            .where(
                StoryRow.workshop_id == workshop_id,
                StoryRow.moderation_status == "approved",
                StoryRow.consent.in_(list(consents)),
            )
            # Newest approval first: a story approved just now goes to the top of the wall
            # even if it was written an hour ago.
            .order_by(StoryRow.updated_at.desc(), StoryRow.id.desc())
            # Flagged stories are filtered below (JSON emptiness differs by back end), so
            # read a few more than asked for.
            .limit(limit * 4 + 20)
        )
        stories = [to_story(row, key) for row, key in s.execute(query).all()]
    return [story for story in stories if not story.is_flagged][:limit]


def delete_own_story(engine: Engine, story_id: int, device_hash: str) -> int | None:
    """Delete a story if this device shared it; return its workshop id, or None if it is not this device's.

    Audited like a withdrawal by code: the fact only, no story id, no text.
    """
    with write_session(engine) as s:
        workshop_id = s.scalar(
            select(StoryRow.workshop_id).where(StoryRow.id == story_id, StoryRow.device_hash == device_hash)
        )
        if workshop_id is None:
            return None
        s.execute(delete(StoryRow).where(StoryRow.id == story_id, StoryRow.device_hash == device_hash))
        add_audit(s, workshop_id, "participant", "story_withdrawn")
        return int(workshop_id)


def list_by_device(engine: Engine, workshop_id: int, device_hash: str) -> list[Story]:
    """The stories one device shared in one workshop, oldest first."""
    with read_session(engine) as s:
        query = (
            select(StoryRow, StageRow.key)
            .outerjoin(StageRow, StoryRow.stage_id == StageRow.id)
            .where(StoryRow.workshop_id == workshop_id, StoryRow.device_hash == device_hash)
            .order_by(StoryRow.created_at, StoryRow.id)
        )
        return [to_story(row, key) for row, key in s.execute(query).all()]


def list_device_submissions(engine: Engine, workshop_id: int, device_hash: str) -> list[tuple[int, str, str | None]]:
    """(story id, submission id, withdraw code hash) of the stories one device shared in one workshop."""
    with read_session(engine) as s:
        query = select(StoryRow.id, StoryRow.client_submission_id, StoryRow.withdraw_code_hash).where(
            StoryRow.workshop_id == workshop_id, StoryRow.device_hash == device_hash
        )
        return [(int(i), str(sub), code) for i, sub, code in s.execute(query).all()]


# --- drafts ------------------------------------------------------------------------------------


def get_draft(engine: Engine, workshop_id: int, device_hash: str) -> dict[str, Any] | None:
    """The draft one device keeps in one workshop, as a plain mapping, or None."""
    with read_session(engine) as s:
        row = s.scalar(
            select(StoryDraftRow).where(
                StoryDraftRow.workshop_id == workshop_id, StoryDraftRow.device_hash == device_hash
            )
        )
        if row is None:
            return None
        return {
            "step": row.step,
            "fields": dict(row.fields),
            "client_submission_id": row.client_submission_id,
            "withdraw_code": row.withdraw_code,
            "updated_at": as_utc(row.updated_at),
        }


def put_draft(
    engine: Engine,
    workshop_id: int,
    device_hash: str,
    *,
    step: str,
    fields: dict[str, Any],
    client_submission_id: str,
    withdraw_code: str,
) -> None:
    """Create or replace one device's draft, durably, in one short transaction."""
    with write_session(engine) as s:
        row = s.scalar(
            select(StoryDraftRow).where(
                StoryDraftRow.workshop_id == workshop_id, StoryDraftRow.device_hash == device_hash
            )
        )
        if row is None:
            row = StoryDraftRow(workshop_id=workshop_id, device_hash=device_hash)
            s.add(row)
        row.step = step
        row.fields = fields
        row.client_submission_id = client_submission_id
        row.withdraw_code = withdraw_code
        row.updated_at = utcnow()


def delete_draft(s: Session, workshop_id: int, device_hash: str) -> None:
    """Forget one device's draft, inside the caller's transaction (the share that stored it, or a discard)."""
    s.execute(
        delete(StoryDraftRow).where(StoryDraftRow.workshop_id == workshop_id, StoryDraftRow.device_hash == device_hash)
    )
