"""The display link's page: it shows the workshop's display and nothing a facilitator has, whatever is asked."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import Engine
from streamlit.testing.v1 import AppTest

from codesign import stories, workshops
from codesign.models import Workshop
from codesign.storage import workshops as repo
from codesign.ui import state
from tests.app.conftest import page
from tests.app.test_pages import FACILITATOR_PAGES

PENDING = "A story still waiting for the facilitator about the night bus."


def everything(at: AppTest) -> str:
    parts = [str(e.value) for kind in ("markdown", "text", "title", "error", "info") for e in getattr(at, kind)]
    parts += [str(h.proto.body) for h in at.get("html")]
    return "\n".join(parts)


def controls(at: AppTest) -> int:
    kinds = ("button", "text_input", "text_area", "selectbox", "radio", "toggle", "checkbox", "number_input")
    return sum(len(getattr(at, kind)) for kind in kinds) + len(at.get("form"))


@pytest.fixture
def keyed(demo_engine: Engine) -> tuple[Engine, Workshop, str]:
    workshop = repo.list_workshops(demo_engine)[0]
    draft = stories.StoryDraft(PENDING, consent="anonymous_quote")
    stories.capture_story(demo_engine, workshop, draft, client_submission_id="pending1", device_token="a" * 32)
    return demo_engine, workshop, workshops.display_key(demo_engine, workshop.id)


def test_the_display_link_shows_the_workshop_without_a_passcode(app, keyed) -> None:  # type: ignore[no-untyped-def]
    engine, workshop, key = keyed
    at = app(query={"key": key})
    at.run()
    assert not at.exception, at.exception
    shown = everything(at)
    assert workshop.code in shown and "Facilitator sign-in" not in shown
    assert controls(at) == 0 and len(at.sidebar) == 0
    assert not at.session_state[state.FACILITATOR]
    workshops.show_on_display(engine, workshop.id, "stories")
    at.run()
    assert "Just shared" in everything(at)


@pytest.mark.parametrize("path", FACILITATOR_PAGES)
def test_the_display_key_opens_no_facilitator_page(app, keyed, path: str) -> None:  # type: ignore[no-untyped-def]
    _engine, _workshop, key = keyed
    at = app(query={"key": key})
    at.run()
    # A session that arrived with a key has one page registered: the display. (The real
    # browser's version of this, an address like /moderation?key=..., is in tests/e2e/test_room.py.)
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        at.switch_page(path)
    at.run()
    assert not at.exception, at.exception
    shown = everything(at)
    assert controls(at) == 0 and len(at.sidebar) == 0
    assert PENDING not in shown and key not in shown
    assert "Facilitator sign-in" not in shown and not at.session_state[state.FACILITATOR]


def test_the_display_key_cannot_act(app, keyed) -> None:  # type: ignore[no-untyped-def]
    engine, workshop, key = keyed
    before = workshops.display_state(engine, workshop.id)
    waiting = stories.moderation_queue(engine, workshop.id)["pending"]
    for path in ("pages/wall.py", "pages/moderation.py", "pages/workshops.py"):
        at = app(query={"key": key})
        at.run()
        assert controls(at) == 0  # nothing to press, type or choose
        with pytest.raises(ValueError):
            at.switch_page(path)
    assert workshops.display_state(engine, workshop.id) == before
    assert workshops.display_key(engine, workshop.id) == key
    assert stories.moderation_queue(engine, workshop.id)["pending"] == waiting and PENDING in [s.text for s in waiting]


def test_a_revoked_or_foreign_key_shows_only_a_plain_refusal(app, keyed) -> None:  # type: ignore[no-untyped-def]
    engine, workshop, key = keyed
    other = workshops.create_workshop(engine, "Another room", workshops.find_kit(engine, "cyp-thrive"))
    foreign = f"{other.id}.{key.split('.', 1)[1]}"
    workshops.revoke_display_key(engine, workshop.id)
    for bad in (key, foreign, "nonsense"):
        at = app(query={"key": bad})
        at.run()
        assert not at.exception, at.exception
        assert [e.value for e in at.error] == [workshops.INVALID_DISPLAY_KEY]
        shown = everything(at)
        assert workshop.code not in shown and other.code not in shown and workshop.title not in shown


def test_the_display_stops_within_a_refresh_after_revoke(app, keyed) -> None:  # type: ignore[no-untyped-def]
    engine, workshop, key = keyed
    at = app(query={"key": key})
    at.run()
    assert workshop.code in everything(at)
    workshops.revoke_display_key(engine, workshop.id)
    at.run()  # what the fragment's next refresh does
    assert workshops.INVALID_DISPLAY_KEY in everything(at) and workshop.code not in everything(at)


def test_the_laptop_chooses_the_view_and_sees_the_link(app, keyed) -> None:  # type: ignore[no-untyped-def]
    engine, workshop, key = keyed
    at = page(app(facilitator=True), "pages/wall.py")
    assert not at.exception, at.exception
    assert any(key in str(c.value) for c in at.code)
    for view in ("themes", "journey", "timer", "pause", "welcome"):
        at.sidebar.radio[0].set_value(view).run()
        assert not at.exception, at.exception
        assert workshops.display_state(engine, workshop.id).view == view
    next(b for b in at.sidebar.button if b.label == "Start").click().run()
    ends = workshops.display_state(engine, workshop.id).timer_ends_at
    next(b for b in at.sidebar.button if b.label == "+1 min").click().run()
    assert ends is not None
    assert workshops.display_state(engine, workshop.id).timer_ends_at == ends + timedelta(minutes=1)


def test_the_workshops_screen_shows_the_display_link_and_can_replace_it(app, keyed) -> None:  # type: ignore[no-untyped-def]
    engine, workshop, key = keyed
    at = page(app(facilitator=True), "pages/workshops.py")
    assert any(key in str(c.value) for c in at.code)
    next(b for b in at.button if b.label.startswith("Make a new display link")).click().run()
    new = workshops.display_key(engine, workshop.id)
    assert new != key and any(new in str(c.value) for c in at.code)
