"""The Display screen's "in full" panel: what the projector shortens with "…" is one click away on the laptop."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine

from codesign import journeys, stories, workshops
from codesign.storage import workshops as repo
from tests.app.conftest import page

LONG = (
    "The first appointment letter came three weeks after the date it gave, so I missed it and went back to the "
    "bottom of the list. Nobody rang to ask why I had not come. When I finally got through, the person on the "
    "phone was kind, but she could only book me in for another six weeks, and the letter for that one came late "
    "too. By then I had stopped expecting anything from the service at all, and my sister had to ring for me."
)


def test_a_long_story_on_the_display_is_in_full_on_the_laptop(app: Any, demo_engine: Engine) -> None:
    workshop = repo.list_workshops(demo_engine)[0]
    draft = stories.StoryDraft(LONG, consent="anonymous_quote")
    story = stories.capture_story(demo_engine, workshop, draft, client_submission_id="long1", device_token="l" * 32)
    stories.approve_story(demo_engine, story.story.id)
    workshops.show_on_display(demo_engine, workshop.id, "stories")
    at = page(app(facilitator=True), "pages/wall.py")
    assert not at.exception, at.exception
    panel = next(e for e in at.expander if e.label.startswith("In full"))
    assert LONG in [t.value for t in panel.text]


def test_the_journey_maps_cells_are_in_full_on_the_laptop(app: Any, demo_engine: Engine) -> None:
    workshop = repo.list_workshops(demo_engine)[0]
    workshops.show_on_display(demo_engine, workshop.id, "journey")
    at = page(app(facilitator=True), "pages/wall.py")
    assert not at.exception, at.exception
    panel = next(e for e in at.expander if e.label.startswith("In full"))
    table = panel.dataframe[0].value
    jmap = journeys.load_journey_map(demo_engine, workshop)
    expected = jmap.table(sep="  ")
    assert list(table.columns)[1:] == expected[0][1:]
    assert table.values.tolist() == expected[1:]


def test_a_view_that_shortens_nothing_says_so(app: Any, demo_engine: Engine) -> None:
    workshop = repo.list_workshops(demo_engine)[0]
    workshops.show_on_display(demo_engine, workshop.id, "welcome")
    at = page(app(facilitator=True), "pages/wall.py")
    panel = next(e for e in at.expander if e.label.startswith("In full"))
    assert "Nothing on this view is shortened." in [c.value for c in panel.caption]
