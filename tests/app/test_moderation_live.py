"""The Moderation screen keeps up: counts refresh by themselves, and "Approve all" leaves flagged stories alone."""

from __future__ import annotations

from sqlalchemy import Engine

from codesign import stories, workshops
from codesign.models import Workshop
from codesign.workshops.kits import get_builtin_kit
from tests.app.conftest import moderation_tab, page

CLEAN = ("The café volunteers made a cup of tea while I waited.", "The leaflet listed the drop-in hours clearly.")
NAMED = "Dr Patel at the surgery was brilliant with my son Kieran."


def _share(engine: Engine, workshop: Workshop, text: str, sub: str) -> int:
    draft = stories.StoryDraft(text, consent="anonymous_quote")
    return stories.capture_story(
        engine, workshop, draft, client_submission_id=sub, device_token=sub.ljust(32, "0")
    ).story.id


def test_approve_all_approves_only_stories_without_flags(app, engine: Engine) -> None:  # type: ignore[no-untyped-def]
    workshop = workshops.create_workshop(engine, "Moderation test", get_builtin_kit("living-well"))
    clean = [_share(engine, workshop, text, f"c{i}") for i, text in enumerate(CLEAN)]
    named = _share(engine, workshop, NAMED, "n1")
    risky = _share(engine, workshop, "Some nights I want to kill myself.", "r1")
    assert stories.get_story(engine, named).privacy_flags  # the precondition: a likely name is flagged
    at = page(app(facilitator=True), "pages/moderation.py")
    metric = next(m for m in at.metric if m.label == "Stories waiting for review")
    assert metric.value == "4"
    moderation_tab(at, "pending")
    next(b for b in at.button if b.label == "Approve all stories without flags").click().run()
    assert not at.exception, at.exception
    assert [stories.get_story(engine, i).moderation_status for i in clean] == ["approved", "approved"]
    assert stories.get_story(engine, named).moderation_status == "pending"
    assert stories.get_story(engine, risky).moderation_status == "pending"
    assert any("Approved 2 stories without flags" in s.value for s in at.success)
    assert next(m for m in at.metric if m.label == "Stories waiting for review").value == "2"


def test_the_count_includes_a_story_shared_after_the_screen_opened(app, engine: Engine) -> None:  # type: ignore[no-untyped-def]
    workshop = workshops.create_workshop(engine, "Live count", get_builtin_kit("living-well"))
    at = page(app(facilitator=True), "pages/moderation.py")
    assert next(m for m in at.metric if m.label == "Stories waiting for review").value == "0"
    _share(engine, workshop, CLEAN[0], "late1")
    at.run()  # what the fragment's own refresh does in the browser (tests/e2e/test_room.py)
    assert next(m for m in at.metric if m.label == "Stories waiting for review").value == "1"


def test_a_flagged_idea_joins_the_safeguarding_queue_and_count(app, engine: Engine) -> None:  # type: ignore[no-untyped-def]
    from codesign import voting

    workshop = workshops.create_workshop(engine, "Idea review", get_builtin_kit("living-well"))
    rnd = voting.open_round(engine, workshop.id, "How might we make the first visit easier?")
    _share(engine, workshop, "I have thought about ending my life most days this month.", "r1")
    at = page(app(facilitator=True), "pages/moderation.py")
    count = next(m for m in at.metric if m.label == "Waiting for a safeguarding review")
    assert count.value == "1" and at.tabs[0].label == "Safeguarding review (1)"
    idea = voting.submit_idea(
        engine,
        rnd.id,
        "I am going to take all my tablets tonight.",
        client_submission_id="i1",
        device_hash=workshops.hash_device("p" * 32),
    ).idea
    assert idea.is_flagged and idea.risk_severity == "urgent"
    at.run()  # the fragment's refresh
    assert not at.exception, at.exception
    assert next(m for m in at.metric if m.label == "Waiting for a safeguarding review").value == "2"
    assert at.tabs[0].label == "Safeguarding review (2)"
    # Most urgent first: the idea with a plan tonight comes before the story.
    texts = [t.value for t in at.tabs[0].text]
    assert texts.index(idea.text) < texts.index("I have thought about ending my life most days this month.")
    review = next(b for b in at.button if b.key == f"idea-review-hide-{idea.id}")
    review.click().run()
    assert not at.exception, at.exception
    assert voting.flagged_ideas(engine, workshop.id) == []
    assert next(m for m in at.metric if m.label == "Waiting for a safeguarding review").value == "1"


def test_the_chosen_tab_stays_open_when_the_counts_change(app, engine: Engine) -> None:  # type: ignore[no-untyped-def]
    workshop = workshops.create_workshop(engine, "Tabs", get_builtin_kit("living-well"))
    at = page(app(facilitator=True), "pages/moderation.py")
    at.session_state["moderation_tabs"] = "Approved (0)"  # the facilitator clicks the tab
    at.run()
    assert at.session_state["moderation_tabs"] == "Approved (0)"
    assert "No approved stories yet." in [i.value for i in at.info]  # only the open tab is drawn
    assert at.session_state["moderation_tab"] == "approved"
    _share(engine, workshop, CLEAN[0], "t1")
    at.run()  # a refresh with a new count in the "Waiting" label
    assert at.tabs[1].label == "Waiting (1)"
    assert at.session_state["moderation_tab"] == "approved"
    assert at.session_state["moderation_tabs"] == "Approved (0)"  # the tab that is open
