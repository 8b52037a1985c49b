"""AppTest: the moderation screen's safeguarding queue, its next steps, the lead setting and the urgent alert."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import Engine

from codesign import stories, workshops
from codesign.models import Workshop
from codesign.workshops.kits import get_builtin_kit
from tests.app.conftest import moderation_tab, page


@pytest.fixture
def workshop(engine: Engine) -> Workshop:
    return workshops.create_workshop(engine, "Safeguarding test", get_builtin_kit("living-well"))


def share(engine: Engine, workshop: Workshop, text: str) -> int:
    draft = stories.StoryDraft(text=text)
    sub = uuid.uuid4().hex
    return stories.capture_story(engine, workshop, draft, client_submission_id=sub, device_token="d" * 32).story.id


def test_the_queue_shows_the_most_urgent_first_with_what_to_do(app, engine: Engine, workshop: Workshop) -> None:  # type: ignore[no-untyped-def]
    share(engine, workshop, "Most days I think about dying.")
    share(engine, workshop, "I have a plan and I know when I will do it.")
    at = page(app(facilitator=True), "pages/moderation.py")
    assert not at.exception, at.exception
    # The urgent alert, at the top of the page, before any tab is opened.
    assert any("Urgent safeguarding flag: 1 story" in e.value and "999" in e.value for e in at.error)
    assert any("No safeguarding lead is set" in w.value for w in at.warning)
    tab = at.tabs[0]
    assert tab.label == "Safeguarding review (2)"
    flags = [e.value for e in tab.error]
    assert flags[0].startswith("Safeguarding. Urgent") and "Concern" in flags[1]
    assert [t.value for t in tab.text] == [
        "I have a plan and I know when I will do it.",
        "Most days I think about dying.",
    ]
    steps = [m.value for m in tab.markdown if m.value.startswith("What to do")]
    assert "999" in steps[0] and "your safeguarding lead" in steps[0] and "999" not in steps[1]


def test_the_safeguarding_lead_is_a_workshop_setting_named_in_every_next_step(
    app, engine: Engine, workshop: Workshop
) -> None:  # type: ignore[no-untyped-def]
    share(engine, workshop, "I can't keep myself safe tonight.")
    at = moderation_tab(page(app(facilitator=True), "pages/moderation.py"), "settings")
    settings_tab = at.tabs[-1]
    settings_tab.text_input[0].input("Sam Patel, on site, 07700 900123").run()
    next(b for b in at.button if b.label == "Save settings").click().run()
    assert not at.exception, at.exception
    assert (
        workshops.get_workshop(engine, workshop.id).setting("safeguarding_lead") == "Sam Patel, on site, 07700 900123"
    )
    moderation_tab(at, "safeguarding")
    steps = [m.value for m in at.tabs[0].markdown if m.value.startswith("What to do")]
    assert steps and "Sam Patel, on site, 07700 900123" in steps[0]
    assert not any("No safeguarding lead is set" in w.value for w in at.warning)


def test_other_facilitator_screens_show_the_alert_in_the_sidebar_until_it_is_reviewed(
    app, engine: Engine, workshop: Workshop
) -> None:  # type: ignore[no-untyped-def]
    at = page(app(facilitator=True), "pages/themes.py")
    assert not any("Urgent safeguarding" in e.value for e in at.sidebar.warning)
    story_id = share(engine, workshop, "I've got the tablets ready and I'm going to take them tonight.")
    at.run()
    assert any("Urgent safeguarding: 1 story to review now" in e.value for e in at.sidebar.warning)
    stories.review_safeguarding(engine, story_id, show=False)
    at.run()
    assert not any("Urgent safeguarding" in e.value for e in at.sidebar.warning)
