"""Retention: workshops past the configured period are deleted with all they hold, then the database compacted."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Engine, select, update

from codesign import stories, workshops
from codesign.errors import ValidationFailed
from codesign.storage.schema import StoryRow, WorkshopRow
from codesign.workshops.kits import get_builtin_kit


def _age(engine: Engine, workshop_id: int, days: int) -> None:
    with engine.begin() as conn:
        conn.execute(
            update(WorkshopRow)
            .where(WorkshopRow.id == workshop_id)
            .values(created_at=datetime.now(UTC) - timedelta(days=days))
        )


def test_purge_deletes_expired_workshops_and_their_stories(any_engine: Engine) -> None:
    old = workshops.create_workshop(any_engine, "Old", get_builtin_kit("living-well"))
    kept = workshops.create_workshop(any_engine, "Recent", get_builtin_kit("living-well"))
    stories.capture_story(
        any_engine,
        old,
        stories.StoryDraft(text="An old story."),
        client_submission_id="s1",
        device_token=workshops.new_device_token(),
    )
    _age(any_engine, old.id, 200)
    _age(any_engine, kept.id, 100)
    assert [w.id for w in workshops.expired_workshops(any_engine)] == [old.id]
    gone = workshops.purge_expired(any_engine)  # runs VACUUM on PostgreSQL, VACUUM and a checkpoint on SQLite
    assert [w.id for w in gone] == [old.id]
    assert [w.id for w in workshops.list_workshops(any_engine)] == [kept.id]
    with any_engine.connect() as conn:
        assert conn.scalar(select(StoryRow.id).where(StoryRow.workshop_id == old.id)) is None


def test_retention_days_comes_from_the_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CODESIGN_RETENTION_DAYS", raising=False)
    assert workshops.retention_days() == 180
    monkeypatch.setenv("CODESIGN_RETENTION_DAYS", "30")
    assert workshops.retention_days() == 30
    monkeypatch.setenv("CODESIGN_RETENTION_DAYS", "forever")
    with pytest.raises(ValidationFailed, match="whole number"):
        workshops.retention_days()
