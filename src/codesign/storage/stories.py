"""Repository functions for stories."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from codesign.models import Story
from codesign.storage.db import read_session
from codesign.storage.schema import StageRow, StoryRow, as_utc


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
