"""The Moderation screen keeps up: counts refresh by themselves, and "Approve all" leaves flagged stories alone."""

from __future__ import annotations

from sqlalchemy import Engine

from codesign import stories, workshops
from codesign.models import Workshop
from codesign.workshops.kits import get_builtin_kit
from tests.app.conftest import page

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
