"""On the demo: every proposed fail point rests on low-rated stories that name its touchpoint."""

from __future__ import annotations

from sqlalchemy import Engine

from codesign import demo, journeys
from codesign.storage import journeys as repo
from codesign.storage.stories import list_stories


def test_no_proposed_fail_point_lacks_a_story_that_names_its_touchpoint(engine: Engine) -> None:
    workshop = demo.load_demo(engine).workshop
    bp = journeys.load_blueprint(engine, workshop, "as_is")
    stories = {s.id: s for s in list_stories(engine, workshop.id, statuses=["approved"])}
    holders = repo.list_stakeholders_with_aliases(engine, workshop.id)
    stage_keys = {s.id: s.key for s in bp.stages}
    proposed = [i for i in bp.items if i.fail_point and i.status == "proposed"]
    assert proposed, "the demo should draft at least one fail point"
    for item in proposed:
        terms = journeys.touchpoint_terms(item.text, holders)
        naming = [
            stories[i]
            for i in item.story_ids
            if i in stories
            and stories[i].stage_key == stage_keys[item.stage_id]
            and (stories[i].emotion or 5) <= 2
            and journeys.story_names(stories[i], terms)
        ]
        assert naming, f"{item.text!r} is a proposed fail point with no low-rated story naming it"
    # And the touchpoint the room flagged as wrong is not one of them.
    assert "Family, friends and neighbours who notice a change" not in {i.text for i in proposed}
    # Every touchpoint at a stage that felt bad that a low-rated story there names is proposed.
    jmap = journeys.load_journey_map(engine, workshop)
    for js in jmap.stages:
        if js.emotion.mean is None or js.emotion.mean >= journeys.FAIL_BELOW:
            continue
        for cell in js.items.get("touchpoints", ()):
            terms = journeys.touchpoint_terms(cell.text, holders)
            named = any(journeys.story_names(stories[i], terms) for i in js.low_story_ids if i in stories)
            assert named == (cell.text in {i.text for i in proposed if i.stage_id == js.stage.id}), cell.text
