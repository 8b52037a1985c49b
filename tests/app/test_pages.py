"""Every page renders; facilitator pages ask for the passcode; participants see only their workshop."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine

from codesign import workshops
from codesign.storage import workshops as repo
from codesign.ui import state
from tests.app.conftest import page
from tests.conftest import TEST_PASSCODE

FACILITATOR_PAGES = [
    "pages/workshops.py",
    "pages/wall.py",
    "pages/moderation.py",
    "pages/agenda.py",
    "pages/themes.py",
    "pages/stakeholders.py",
    "pages/journey.py",
    "pages/blueprint.py",
    "pages/ideas.py",
    "pages/export.py",
]
PARTICIPANT_PAGES = ["pages/join.py", "pages/withdraw.py", "pages/vote.py"]


def texts(at) -> str:  # type: ignore[no-untyped-def]
    parts = [e.value for e in at.markdown] + [e.value for e in at.text] + [e.value for e in at.title]
    parts += [e.value for e in at.info] + [e.value for e in at.error] + [e.value for e in at.subheader]
    return "\n".join(str(p) for p in parts)


@pytest.mark.parametrize("path", FACILITATOR_PAGES)
def test_facilitator_page_asks_for_the_passcode(app, demo_engine: Engine, path: str) -> None:  # type: ignore[no-untyped-def]
    at = page(app(), path)
    assert not at.exception
    assert at.title[0].value == "Facilitator sign-in"
    assert len(at.text_input) == 1 and at.text_input[0].label == "Facilitator passcode"
    demo_title = repo.list_workshops(demo_engine)[0].title
    assert demo_title not in texts(at)


@pytest.mark.parametrize("path", FACILITATOR_PAGES)
def test_facilitator_page_renders_the_demo_workshop(app, demo_engine: Engine, path: str) -> None:  # type: ignore[no-untyped-def]
    at = page(app(facilitator=True), path)
    assert not at.exception, at.exception
    assert at.title[0].value != "Facilitator sign-in"
    demo = repo.list_workshops(demo_engine)[0]
    assert at.sidebar.selectbox[0].value == demo.id


@pytest.mark.parametrize("path", FACILITATOR_PAGES)
def test_facilitator_page_with_no_workshops(app, engine: Engine, path: str) -> None:  # type: ignore[no-untyped-def]
    at = page(app(facilitator=True), path)
    assert not at.exception, at.exception


@pytest.mark.parametrize("path", PARTICIPANT_PAGES)
def test_participant_page_renders(app, demo_engine: Engine, path: str) -> None:  # type: ignore[no-untyped-def]
    at = page(app(), path)
    assert not at.exception


def test_right_passcode_signs_in_and_wrong_one_is_refused(app, demo_engine: Engine) -> None:  # type: ignore[no-untyped-def]
    at = page(app(), "pages/workshops.py")
    at.text_input[0].input("not the passcode")
    at.button[0].click().run()
    assert [e.value for e in at.error] == ["That passcode didn't work."]
    assert at.session_state[state.FACILITATOR] is False
    at.text_input[0].input(TEST_PASSCODE)
    at.button[0].click().run()
    assert at.session_state[state.FACILITATOR] is True
    assert at.title[0].value == "Workshops"


def test_wrong_passcodes_are_throttled(app, demo_engine: Engine) -> None:  # type: ignore[no-untyped-def]
    at = page(app(), "pages/workshops.py")
    for _ in range(5):
        at.text_input[0].input("guess")
        at.button[0].click().run()
    at.text_input[0].input(TEST_PASSCODE)
    at.button[0].click().run()
    assert "Too many tries" in at.error[0].value
    assert at.session_state[state.FACILITATOR] is False


def test_a_new_browser_session_per_guess_is_still_slowed(app, demo_engine: Engine) -> None:  # type: ignore[no-untyped-def]
    from codesign.workshops import PASSCODE

    for guess in range(PASSCODE.scopes[1].free):
        at = page(app(), "pages/workshops.py")  # a fresh session for every guess
        at.text_input[0].input(f"guess-{guess}")
        at.button[0].click().run()
        assert "didn't work" in at.error[0].value
    at = page(app(), "pages/workshops.py")
    at.text_input[0].input(TEST_PASSCODE)
    at.button[0].click().run()
    assert "Please wait about" in at.error[0].value
    assert at.session_state[state.FACILITATOR] is False


def test_join_link_shows_the_workshop_and_first_prompt(app, demo_engine: Engine) -> None:  # type: ignore[no-untyped-def]
    demo = repo.list_workshops(demo_engine)[0]
    at = app(query={"code": demo.code})
    at.run()
    assert not at.exception
    assert at.title[0].value == demo.title
    kit = workshops.kit_of(demo_engine, demo)
    assert kit.story_prompts.story in texts(at)
    # The participant sees no menu and nothing of other workshops.
    assert at.session_state[state.PARTICIPANT_WORKSHOP_ID] == demo.id


def test_typed_code_joins_case_and_spaces_ignored(app, demo_engine: Engine) -> None:  # type: ignore[no-untyped-def]
    demo = repo.list_workshops(demo_engine)[0]
    at = app()
    at.run()
    at.text_input[0].input(f" {demo.code[:3].lower()} {demo.code[3:]} ")
    at.button[0].click().run()
    assert at.title[0].value == demo.title


@pytest.mark.parametrize("code", ["ZZZZZZ", "", "<script>", "x" * 40])
def test_unknown_code_gives_one_friendly_message(app, demo_engine: Engine, code: str) -> None:  # type: ignore[no-untyped-def]
    at = app(query={"code": code}) if code else app()
    at.run()
    if code:
        assert [e.value for e in at.error] == [workshops.UNKNOWN_CODE]
    assert at.title[0].value == "Join a workshop"


def test_closed_workshop_gives_the_same_message_as_an_unknown_code(app, demo_engine: Engine) -> None:  # type: ignore[no-untyped-def]
    demo = repo.list_workshops(demo_engine)[0]
    workshops.close_workshop(demo_engine, demo.id)
    at = app(query={"code": demo.code})
    at.run()
    assert [e.value for e in at.error] == [workshops.UNKNOWN_CODE]


def test_facilitator_creates_a_workshop_and_closes_it(app, engine: Engine) -> None:  # type: ignore[no-untyped-def]
    at = page(app(facilitator=True), "pages/workshops.py")
    title_box = next(t for t in at.text_input if t.label == "Title")
    title_box.input("Crisis pathway redesign")
    next(b for b in at.button if b.label == "Create workshop").click().run()
    assert not at.exception, at.exception
    created = repo.list_workshops(engine)
    assert [w.title for w in created] == ["Crisis pathway redesign"]
    assert any(m.value == created[0].code for m in at.metric)
    next(b for b in at.button if b.label.startswith("Close the workshop")).click().run()
    assert repo.get_workshop(engine, created[0].id).status == "closed"
    next(b for b in at.button if b.label == "Reopen the workshop").click().run()
    assert repo.get_workshop(engine, created[0].id).status == "open"


def test_creating_without_a_title_explains(app, engine: Engine) -> None:  # type: ignore[no-untyped-def]
    at = page(app(facilitator=True), "pages/workshops.py")
    next(b for b in at.button if b.label == "Create workshop").click().run()
    assert [e.value for e in at.error] == ["Give the workshop a title."]
    assert repo.list_workshops(engine) == []


def test_unreachable_database_is_one_clear_line(app, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("CODESIGN_DATABASE_URL", "postgresql+psycopg://someone:s3cret@127.0.0.1:1/codesign")
    at = app()
    at.run()
    assert not at.exception
    [error] = at.error
    assert error.value.startswith("Cannot open the database at postgresql+psycopg://someone:***@127.0.0.1:1/codesign")
    assert "s3cret" not in error.value


def test_chosen_workshop_survives_switching_pages(app, demo_engine: Engine) -> None:  # type: ignore[no-untyped-def]
    other = workshops.create_workshop(demo_engine, "Second workshop", workshops.find_kit(demo_engine, "cyp-thrive"))
    at = page(app(facilitator=True), "pages/workshops.py")
    at.sidebar.selectbox[0].select(other.id).run()
    assert at.session_state[state.WORKSHOP_ID] == other.id
    for path in ("pages/wall.py", "pages/themes.py", "pages/workshops.py"):
        at.switch_page(path).run()
        assert not at.exception, at.exception
        assert at.sidebar.selectbox[0].value == other.id


def test_workshops_screen_offers_to_delete_expired_workshops(app, demo_engine: Engine) -> None:  # type: ignore[no-untyped-def]
    from datetime import UTC, datetime, timedelta

    from sqlalchemy import update

    from codesign.storage.schema import WorkshopRow

    demo = repo.list_workshops(demo_engine)[0]
    with demo_engine.begin() as conn:
        conn.execute(
            update(WorkshopRow)
            .where(WorkshopRow.id == demo.id)
            .values(created_at=datetime.now(UTC) - timedelta(days=365))
        )
    at = page(app(facilitator=True), "pages/workshops.py")
    assert any("older than the retention period (180 days)" in e.label for e in at.expander)
    delete = next(b for b in at.button if b.label == "Delete the expired workshops")
    assert delete.disabled
    at.checkbox(key="purge_sure").check().run()
    next(b for b in at.button if b.label == "Delete the expired workshops").click().run()
    assert repo.list_workshops(demo_engine) == []
    assert "Deleted 1 workshop older than 180 days." in [s.value for s in at.success]
