"""Every free-text field goes through the safeguarding check: the story, what helped, what
would have helped, strengths, and ideas; the severity is stored with the flag."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import Engine

from codesign import stories, voting, workshops
from codesign.errors import ValidationFailed
from codesign.workshops.kits import get_builtin_kit

PLAN = "I have a plan and I know when I will do it."


@pytest.mark.parametrize("field", ["text", "helped", "would_have_helped", "strengths"])
def test_risk_in_any_story_field_flags_the_story_with_its_severity(engine: Engine, field: str) -> None:
    workshop = workshops.create_workshop(engine, "Fields", get_builtin_kit("living-well"))
    answers = {"text": "The café was kind.", "helped": "", "would_have_helped": "", "strengths": ""}
    answers[field] = PLAN
    draft = stories.StoryDraft(**answers)
    result = stories.capture_story(
        engine, workshop, draft, client_submission_id=uuid.uuid4().hex, device_token="d" * 32
    )
    assert result.support is not None  # the phone shows the support panel
    stored = stories.get_story(engine, result.story.id)
    assert stored.risk_flags and stored.risk_severity == "urgent" and stored.moderation_status == "pending"
    assert [s.id for s in stories.urgent_flags(engine, workshop.id)] == [stored.id]
    assert stored.id not in [s.id for s in stories.shareable_stories(engine, workshop.id)]


def test_an_idea_is_checked_the_same_way_and_an_urgent_one_is_found(engine: Engine) -> None:
    workshop = workshops.create_workshop(engine, "Ideas", get_builtin_kit("living-well"))
    rnd = voting.open_round(engine, workshop.id, "How might we make the first call easier?")
    calm = voting.submit_idea(
        engine, rnd.id, "A call back within a day", client_submission_id="a" * 8, device_hash="p1"
    )
    worried = voting.submit_idea(
        engine, rnd.id, "I keep thinking about ending it", client_submission_id="b" * 8, device_hash="p1"
    )
    urgent = voting.submit_idea(engine, rnd.id, PLAN, client_submission_id="c" * 8, device_hash="p2")
    assert not calm.support_needed and worried.support_needed and urgent.support_needed
    assert worried.idea.risk_severity == "concern" and urgent.idea.risk_severity == "urgent"
    assert [i.id for i in voting.urgent_idea_flags(engine, workshop.id)] == [urgent.idea.id]
    voting.moderate_idea(engine, urgent.idea.id, "hide")
    assert [i.id for i in voting.urgent_idea_flags(engine, workshop.id)] == [urgent.idea.id]  # hidden is not reviewed
    # A plain Approve is refused: an idea with risk language needs the safeguarding review a story gets.
    with pytest.raises(ValidationFailed, match="safeguarding review"):
        voting.moderate_idea(engine, urgent.idea.id, "approve")
    assert [i.id for i in voting.urgent_idea_flags(engine, workshop.id)] == [urgent.idea.id]
    voting.review_idea_safeguarding(engine, urgent.idea.id, show=True)
    assert voting.urgent_idea_flags(engine, workshop.id) == []


def test_the_safeguarding_queue_puts_the_most_urgent_first_and_review_clears_the_alert(engine: Engine) -> None:
    workshop = workshops.create_workshop(engine, "Queue", get_builtin_kit("living-well"))

    def share(text: str) -> int:
        draft = stories.StoryDraft(text=text)
        sub = uuid.uuid4().hex
        return stories.capture_story(engine, workshop, draft, client_submission_id=sub, device_token="d" * 32).story.id

    past = share("I used to self-harm years ago.")
    urgent = share(PLAN)
    concern = share("Most days I think about dying.")
    later_urgent = share("I can't keep myself safe tonight.")
    queue = stories.moderation_queue(engine, workshop.id)["safeguarding"]
    assert [s.id for s in queue] == [later_urgent, urgent, concern, past]
    assert [s.risk_severity for s in queue] == ["urgent", "urgent", "concern", "past"]
    stories.review_safeguarding(engine, urgent, show=False)
    stories.review_safeguarding(engine, later_urgent, show=False)
    assert stories.urgent_flags(engine, workshop.id) == []
