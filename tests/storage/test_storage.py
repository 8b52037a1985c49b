"""Storage on both back ends: schema, workshops, cascades, throttling, concurrency."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from sqlalchemy import Engine, inspect, select

from codesign import demo, workshops
from codesign.errors import NotFoundError, StorageUnavailable, ThrottledError
from codesign.storage import migrate
from codesign.storage import workshops as repo
from codesign.storage.db import make_engine, mask_url, write_session
from codesign.storage.schema import Base, StakeholderRow, StoryRow
from codesign.storage.stories import add_story_row, list_stories
from codesign.workshops.kits import get_builtin_kit

ALL_TABLES = {
    "workshops", "stages", "lenses", "stories", "themes", "story_themes", "stakeholders", "relationships",
    "journey_cells", "journey_evidence", "blueprint_cells", "blueprint_evidence", "blueprint_stakeholders",
    "rounds", "ideas", "votes", "statements", "agreements", "audit_log", "throttle_events", "app_settings", "kits",
    "history", "story_drafts", "actions", "action_links", "personas", "persona_stories",
}  # fmt: skip


def test_migrations_create_every_table(any_engine: Engine) -> None:
    tables = set(inspect(any_engine).get_table_names())
    assert tables >= ALL_TABLES
    assert set(Base.metadata.tables) == ALL_TABLES
    assert migrate.current_revision(any_engine) == migrate.head_revision()


def test_upgrade_is_idempotent(any_engine: Engine) -> None:
    migrate.upgrade(any_engine)
    assert migrate.current_revision(any_engine) == migrate.head_revision()


def test_workshop_is_created_with_its_kit(any_engine: Engine) -> None:
    kit_file = get_builtin_kit("living-well")
    w = workshops.create_workshop(any_engine, "  Joining   up care ", kit_file)
    assert w.title == "Joining up care"
    assert len(w.code) == workshops.CODE_LENGTH and set(w.code) <= set(workshops.CODE_ALPHABET)
    assert [s.key for s in repo.list_stages(any_engine, w.id)] == [s.key for s in kit_file.kit.stages]
    assert [lens.key for lens in repo.list_lenses(any_engine, w.id)] == [lens.key for lens in kit_file.kit.lenses]
    with any_engine.connect() as conn:
        names = set(conn.scalars(select(StakeholderRow.name).where(StakeholderRow.workshop_id == w.id)))
    assert names == {s.name for s in kit_file.kit.stakeholders}
    assert workshops.kit_of(any_engine, w) == kit_file.kit
    assert w.setting("premoderation") is True


def test_close_and_reopen(any_engine: Engine) -> None:
    w = workshops.create_workshop(any_engine, "W", get_builtin_kit("cyp-thrive"))
    assert workshops.join(any_engine, w.code).id == w.id
    workshops.close_workshop(any_engine, w.id)
    with pytest.raises(NotFoundError):
        workshops.join(any_engine, w.code)
    workshops.reopen_workshop(any_engine, w.id)
    assert workshops.join(any_engine, w.code.lower()).id == w.id
    actions = [a.action for a in repo.list_audit(any_engine, w.id)]
    assert actions == ["workshop_open", "workshop_closed", "workshop_created"]


def test_join_is_throttled_after_repeated_wrong_codes(any_engine: Engine) -> None:
    w = workshops.create_workshop(any_engine, "W", get_builtin_kit("living-well"))
    for _ in range(workshops.JOIN.scopes[0].free):
        with pytest.raises(NotFoundError):
            workshops.join(any_engine, "AAAAAA", client_key="phone-1")
    with pytest.raises(ThrottledError):
        workshops.join(any_engine, w.code, client_key="phone-1")
    assert workshops.join(any_engine, w.code, client_key="phone-2").id == w.id


def test_story_submission_id_is_unique_per_workshop(any_engine: Engine) -> None:
    w = workshops.create_workshop(any_engine, "W", get_builtin_kit("living-well"))
    with write_session(any_engine) as s:
        add_story_row(s, w.id, "no-such-stage", text="one", client_submission_id="abc")
    with pytest.raises(Exception, match=r"(?i)unique|duplicate"), write_session(any_engine) as s:
        add_story_row(s, w.id, None, text="two", client_submission_id="abc")
    assert [st.text for st in list_stories(any_engine, w.id)] == ["one"]


def test_deleting_a_workshop_removes_everything_in_it(any_engine: Engine) -> None:
    result = demo.load_demo(any_engine)
    assert result.stories >= 60
    repo.delete_workshop(any_engine, result.workshop.id)
    with any_engine.connect() as conn:
        assert conn.scalar(select(StoryRow.id).limit(1)) is None
        assert conn.scalar(select(StakeholderRow.id).limit(1)) is None
    assert next(a.action for a in repo.list_audit(any_engine, result.workshop.id)) == "workshop_deleted"


def test_record_attempt_counts_within_the_window(any_engine: Engine) -> None:
    assert repo.record_attempt(any_engine, "k", timedelta(minutes=1)) == 1
    assert repo.record_attempt(any_engine, "k", timedelta(minutes=1)) == 2
    assert repo.count_attempts(any_engine, "k", timedelta(minutes=1)) == 2
    repo.clear_attempts(any_engine, "k")
    assert repo.count_attempts(any_engine, "k", timedelta(minutes=1)) == 0


def test_attempts_are_recorded_and_read_under_several_keys(any_engine: Engine) -> None:
    window = timedelta(minutes=1)
    repo.record_attempts(any_engine, ["p:a", "p:*"], window)
    repo.record_attempts(any_engine, ["p:b", "p:*"], window)
    records = repo.attempt_records(any_engine, ["p:a", "p:*", "p:c"], window)
    assert records["p:a"][0] == 1 and records["p:*"][0] == 2 and records["p:c"] == (0, None)
    assert records["p:*"][1] is not None and records["p:*"][1].tzinfo is not None
    assert repo.clear_attempts_like(any_engine, "p:") == 4
    assert repo.attempt_records(any_engine, ["p:*"], window)["p:*"] == (0, None)


def test_concurrent_writers_lose_nothing(any_engine: Engine) -> None:
    """Many threads writing at once: every write lands (BEGIN IMMEDIATE + busy timeout on SQLite)."""
    w = workshops.create_workshop(any_engine, "W", get_builtin_kit("living-well"))
    errors: list[BaseException] = []

    def submit(n: int) -> None:
        try:
            for i in range(10):
                with write_session(any_engine) as s:
                    add_story_row(s, w.id, None, text=f"story {n}-{i}", client_submission_id=f"{n}-{i}")
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=submit, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert len(list_stories(any_engine, w.id)) == 80


def test_unreachable_database_gives_one_clear_line() -> None:
    url = "postgresql+psycopg://someone:s3cret@127.0.0.1:1/nowhere"
    with pytest.raises(StorageUnavailable) as info:
        make_engine(url)
    message = str(info.value)
    assert "s3cret" not in message and "***" in message
    assert "127.0.0.1:1/nowhere" in message
    assert "\n" not in message


def test_malformed_url_is_explained() -> None:
    with pytest.raises(StorageUnavailable, match="not valid"):
        make_engine("not a url")


def test_mask_url_hides_the_password() -> None:
    assert mask_url("postgresql://u:pw@h/db") == "postgresql://u:***@h/db"
