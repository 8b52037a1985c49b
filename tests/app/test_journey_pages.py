"""The journey map and blueprint screens: render, edit, propose and judge, draft, compare."""

from __future__ import annotations

import json

from sqlalchemy import Engine

from codesign import journeys
from codesign.storage import journeys as repo
from codesign.storage import workshops as workshop_repo
from tests.app.conftest import page

JOURNEY = "pages/journey.py"
BLUEPRINT = "pages/blueprint.py"


def demo(engine: Engine):  # type: ignore[no-untyped-def]
    return workshop_repo.list_workshops(engine)[0]


def button(at, label: str):  # type: ignore[no-untyped-def]
    return next(b for b in at.button if b.label == label)


def charts(at) -> list[dict]:  # type: ignore[no-untyped-def, type-arg]
    return [json.loads(c.proto.spec) for c in at.get("plotly_chart")]


def table_with(at, column: str):  # type: ignore[no-untyped-def]
    """The first dataframe on the screen that has this column (the history panel has its own)."""
    return next(d.value for d in at.dataframe if column in d.value.columns)


def test_journey_screen_shows_the_map_and_the_curve_for_every_lens(app, demo_engine: Engine) -> None:  # type: ignore[no-untyped-def]
    at = page(app(facilitator=True), JOURNEY)
    assert not at.exception, at.exception
    assert at.title[0].value == "Journey map"
    stages = [s.name for s in workshop_repo.list_stages(demo_engine, demo(demo_engine).id)]
    table = table_with(at, "Lane")
    assert list(table.columns) == ["Lane", *stages]
    assert list(table["Lane"])[:5] == [name for _k, name in journeys.LANES]
    journey_map, curve = charts(at)
    # The map is drawn at the laptop's column width with every stage in it.
    assert journey_map["layout"]["width"] == 960
    assert len(journey_map["data"][-1]["header"]["values"]) == len(stages) + 1
    lenses = workshop_repo.list_lenses(demo_engine, demo(demo_engine).id)
    assert [t["name"].removesuffix(" (no ratings yet)") for t in curve["data"]] == [lens.name for lens in lenses]


def test_adding_an_item_stores_it_and_shows_it_on_the_map(app, demo_stories_engine: Engine) -> None:  # type: ignore[no-untyped-def]
    w = demo(demo_stories_engine)
    waiting = next(s for s in workshop_repo.list_stages(demo_stories_engine, w.id) if s.key == "waiting")
    at = page(app(facilitator=True), JOURNEY)
    at.selectbox(key="journey_add_stage").set_value(waiting.id)
    at.selectbox(key="journey_add_lane").set_value("touchpoints")
    at.text_input(key="journey_add_text").input("Referral letter from the GP")
    button(at, "Add item").click().run()
    assert not at.exception, at.exception
    (cell,) = repo.list_journey_cells(demo_stories_engine, w.id)
    assert (cell.stage_id, cell.lane, cell.text, cell.status) == (
        waiting.id,
        "touchpoints",
        "Referral letter from the GP",
        "accepted",
    )
    assert at.success[0].value == "Item added."
    assert "• Referral letter from the GP" in list(table_with(at, "Lane")[waiting.name])


def test_an_empty_item_is_refused_with_a_friendly_line(app, demo_stories_engine: Engine) -> None:  # type: ignore[no-untyped-def]
    at = page(app(facilitator=True), JOURNEY)
    button(at, "Add item").click().run()
    assert [e.value for e in at.error] == ["Write something for the item first."]
    assert repo.list_journey_cells(demo_stories_engine, demo(demo_stories_engine).id) == []


def test_pain_points_are_proposed_then_accepted_with_an_edit_or_rejected(app, demo_stories_engine: Engine) -> None:  # type: ignore[no-untyped-def]
    w = demo(demo_stories_engine)
    at = page(app(facilitator=True), JOURNEY)
    button(at, "Propose pain points").click().run()
    proposals = repo.list_journey_cells(demo_stories_engine, w.id)
    assert proposals and {c.status for c in proposals} == {"proposed"}
    assert all(c.story_ids for c in proposals)
    assert at.success[0].value == f"{len(proposals)} new pain point(s) proposed."
    first, second = proposals[0], proposals[1]
    at.text_area(key=f"proposal_text_{first.id}").input("People wait with no contact at all")
    button_in_form = [b for b in at.button if b.label == "Accept"]
    button_in_form[0].click().run()
    assert not at.exception, at.exception
    cells = {c.id: c for c in repo.list_journey_cells(demo_stories_engine, w.id)}
    assert (cells[first.id].status, cells[first.id].text) == ("accepted", "People wait with no contact at all")
    next(b for b in at.button if b.label == "Reject").click().run()
    cells = {c.id: c for c in repo.list_journey_cells(demo_stories_engine, w.id)}
    assert cells[second.id].status == "rejected"
    stage = next(js for js in journeys.load_journey_map(demo_stories_engine, w).stages if js.stage.id == first.stage_id)
    assert "• People wait with no contact at all" in list(table_with(at, "Lane")[stage.stage.name])


def test_stages_can_be_renamed_moved_and_added(app, demo_engine: Engine) -> None:  # type: ignore[no-untyped-def]
    w = demo(demo_engine)
    stages = workshop_repo.list_stages(demo_engine, w.id)
    at = page(app(facilitator=True), JOURNEY)
    at.selectbox(key="stage_edit_choice").set_value(stages[2].id)
    at.text_input(key="stage_edit_name").input("Waiting for a first appointment")
    button(at, "Rename").click().run()
    assert workshop_repo.list_stages(demo_engine, w.id)[2].name == "Waiting for a first appointment"
    at.selectbox(key="stage_edit_choice").set_value(stages[2].id)
    button(at, "Move earlier").click().run()
    assert workshop_repo.list_stages(demo_engine, w.id)[1].id == stages[2].id
    at.text_input(key="stage_add_name").input("Back to work")
    button(at, "Add stage").click().run()
    assert workshop_repo.list_stages(demo_engine, w.id)[-1].name == "Back to work"
    assert list(table_with(at, "stage")["stage"])[-1] == "Back to work"
    at.text_input(key="stage_add_name").input("back to work")
    button(at, "Add stage").click().run()
    assert [e.value for e in at.error] == ["There is already a stage called “back to work”. Choose another name."]


def test_projector_view_shows_only_the_whole_map(app, demo_engine: Engine) -> None:  # type: ignore[no-untyped-def]
    at = page(app(facilitator=True), JOURNEY)
    at.toggle(key="journey_projector").set_value(True).run()
    assert not at.exception, at.exception
    assert len(at.title) == 0 and len(at.dataframe) == 0
    (figure,) = charts(at)
    assert [t["type"] for t in figure["data"]][-1] == "table"
    assert (figure["layout"]["width"], figure["layout"]["height"]) == (1600, 900)


def test_blueprint_screen_drafts_from_the_journey_and_adds_a_wait_point(app, demo_stories_engine: Engine) -> None:  # type: ignore[no-untyped-def]
    w = demo(demo_stories_engine)
    stages = workshop_repo.list_stages(demo_stories_engine, w.id)
    journeys.add_item(demo_stories_engine, w.id, stages[2].id, "touchpoints", "Referral letter")
    journeys.add_item(demo_stories_engine, w.id, stages[2].id, "touchpoints", "CMHT waiting list")
    at = page(app(facilitator=True), BLUEPRINT)
    assert not at.exception, at.exception
    assert at.title[0].value == "Service blueprint"
    button(at, "Draft the blueprint").click().run()
    assert not at.exception, at.exception
    bp = journeys.load_blueprint(demo_stories_engine, w, "as_is")
    letter = next(i for i in bp.items if i.text == "Referral letter")
    assert letter.lane == "frontstage" and not letter.fail_point  # no low-rated story at waiting names it
    waiting_list = next(i for i in bp.items if i.text == "CMHT waiting list")
    assert waiting_list.fail_point and waiting_list.status == "proposed" and waiting_list.story_ids
    assert at.success[0].value == f"Drafted {len(bp.items)} item(s). Edit them below."

    at.selectbox(key="blueprint_add_stage").set_value(stages[2].id)
    at.selectbox(key="blueprint_add_lane").set_value("backstage")
    at.text_input(key="blueprint_add_text").input("Referrals triaged once a week")
    at.text_input(key="blueprint_add_wait_time").input("6 to 12 weeks")
    button(at, "Add item").click().run()
    triage = next(i for i in journeys.load_blueprint(demo_stories_engine, w, "as_is").items if i.lane == "backstage")
    assert (triage.text, triage.wait_point, triage.wait_time) == (
        "Referrals triaged once a week",
        True,
        "6 to 12 weeks",
    )
    table = table_with(at, "Lane")
    assert "• Referrals triaged once a week [WAIT: 6 to 12 weeks]" in list(table[stages[2].name])
    marked = table_with(at, "marks")
    assert set(marked["marks"]) == {"FAIL POINT", "WAIT: 6 to 12 weeks"}

    # A second draft without "replace" explains instead of wiping the edits.
    button(at, "Draft the blueprint").click().run()
    assert "already has items" in at.error[0].value
    assert len(journeys.load_blueprint(demo_stories_engine, w, "as_is").items) == len(bp.items) + 1


def test_to_be_starts_as_a_copy_and_is_compared_side_by_side(app, demo_stories_engine: Engine) -> None:  # type: ignore[no-untyped-def]
    w = demo(demo_stories_engine)
    journeys.store_draft(demo_stories_engine, w, "as_is")
    at = page(app(facilitator=True), BLUEPRINT)
    at.radio(key="blueprint_version").set_value("to_be").run()
    button(at, "Draft the blueprint").click().run()
    assert not at.exception, at.exception
    as_is = journeys.load_blueprint(demo_stories_engine, w, "as_is")
    to_be = journeys.load_blueprint(demo_stories_engine, w, "to_be")
    assert [i.text for i in to_be.items] == [i.text for i in as_is.items]
    figures = charts(at)
    assert [f["layout"]["title"]["text"] for f in figures] == [
        journeys.VERSIONS["to_be"],
        journeys.VERSIONS["as_is"],
        journeys.VERSIONS["to_be"],
    ]
    metrics = {m.label: m.value for m in at.metric}
    assert metrics == {
        "Fail points (as is)": str(len(as_is.fail_points)),
        "Fail points (to be)": str(len(to_be.fail_points)),
    }


def test_undo_restores_a_deleted_journey_item(app, demo_stories_engine: Engine) -> None:  # type: ignore[no-untyped-def]
    w = demo(demo_stories_engine)
    waiting = next(s for s in workshop_repo.list_stages(demo_stories_engine, w.id) if s.key == "waiting")
    kept = journeys.add_item(demo_stories_engine, w.id, waiting.id, "doing", "Rings to check they are not lost")
    gone = journeys.add_item(demo_stories_engine, w.id, waiting.id, "touchpoints", "Duty line")
    at = page(app(facilitator=True), JOURNEY)
    grid = table_with(at, "text")
    at.session_state["journey_grid"] = {
        "edited_rows": {},
        "added_rows": [],
        "deleted_rows": [list(grid["id"]).index(gone)],
    }
    at.run()
    button(at, "Save grid changes").click().run()
    assert not at.exception, at.exception
    assert at.success[0].value == "Saved: 0 added, 0 changed, 1 removed."
    assert [c.id for c in repo.list_journey_cells(demo_stories_engine, w.id)] == [kept]
    assert "• Duty line" not in list(table_with(at, "Lane")[waiting.name])
    history = table_with(at, "what changed")
    assert list(history["who"]) == ["Facilitator"] * 3 and history["what changed"][0] == "0 added, 0 changed, 1 removed"
    button(at, "Undo the last change").click().run()
    assert not at.exception, at.exception
    assert at.success[0].value == "Undone: 0 added, 0 changed, 1 removed"
    cells = {c.id: c for c in repo.list_journey_cells(demo_stories_engine, w.id)}
    assert set(cells) == {kept, gone} and cells[gone].text == "Duty line"
    assert "• Duty line" in list(table_with(at, "Lane")[waiting.name])


def test_a_persona_is_defined_and_its_journey_shown(app, demo_stories_engine: Engine) -> None:  # type: ignore[no-untyped-def]
    w = demo(demo_stories_engine)
    at = page(app(facilitator=True), JOURNEY)
    chosen = list(journeys.persona_story_choices(demo_stories_engine, w))[:3]
    at.text_input(key="persona_name_new0").input("Ada, who waited")
    at.text_area(key="persona_description_new0").input("Lives alone; waited nine weeks for a first call.")
    at.multiselect(key="persona_stories_new0").set_value(chosen)
    button(at, "Add persona").click().run()
    assert not at.exception, at.exception
    assert at.success[0].value == "Persona saved, drawn from 3 stories."
    (ada,) = journeys.list_personas(demo_stories_engine, w.id)
    assert (ada.name, len(ada.story_ids)) == ("Ada, who waited", 3)
    who = table_with(at, "persona")
    assert list(who["persona"]) == ["Ada, who waited"] and list(who["stories"]) == [3]
    # The form starts empty again; a second persona with the same name is refused, and what
    # was typed stays in the form.
    assert at.text_input(key="persona_name_new1").value == ""
    at.text_input(key="persona_name_new1").input("ADA, who waited")
    button(at, "Add persona").click().run()
    assert "already a persona" in at.error[0].value
    assert at.text_input(key="persona_name_new1").value == "ADA, who waited"
    # The journey through Ada's stories: her ratings only.
    at.selectbox(key="journey_view").set_value(f"persona:{ada.id}").run()
    assert not at.exception, at.exception
    assert at.title[0].value == "Journey map · Persona: Ada, who waited"
    numbers = table_with(at, "evidence")
    rated = journeys.load_journey_map(demo_stories_engine, w, persona_id=ada.id).curve.rated
    assert sum(numbers[numbers["lens"] == "All lenses"]["ratings"]) == rated <= 3
    # Removing asks first, then leaves the stories where they are.
    at.selectbox(key="persona_choice").set_value(ada.id).run()
    button(at, "Remove").click().run()
    assert "Tick “Remove this persona” first" in at.warning[0].value
    at.checkbox(key=f"persona_confirm_{ada.id}").check()
    button(at, "Remove").click().run()
    assert not at.exception, at.exception
    assert journeys.list_personas(demo_stories_engine, w.id) == []
    assert at.selectbox(key="journey_view").value == "all"
