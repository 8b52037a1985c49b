"""The service blueprint's core: drafting from the journey map, edits, tables and the as-is/to-be comparison."""

from __future__ import annotations

from typing import Any

from codesign import journeys
from codesign.models import BlueprintItem, BlueprintItemDraft, JourneyCell, StakeholderValue
from tests.journeys.test_journey import LENSES, QUOTABLE, STAGES, make_story


def item(id: int, stage_id: int, lane: str, text: str, **overrides: Any) -> BlueprintItem:
    fields: dict[str, Any] = {
        "id": id,
        "version": "as_is",
        "stage_id": stage_id,
        "lane": lane,
        "text": text,
        "position": id,
        "fail_point": False,
        "wait_point": False,
        "wait_time": "",
        "status": "accepted",
    }
    fields.update(overrides)
    return BlueprintItem(**fields)


def journey_with(cells: list[JourneyCell], stories: list[Any]) -> journeys.JourneyMap:
    return journeys.journey_map(STAGES, cells, stories, LENSES, quote_consents=QUOTABLE)


GP = StakeholderValue(9, "GP practice", ("GP", "doctor", "surgery"), "service", "primary_care", 4, 3, "")


def test_draft_proposes_a_fail_point_only_where_low_rated_stories_name_the_touchpoint() -> None:
    stories = [make_story(stage_key="asking", emotion=4, text="The GP receptionist was kind.") for _ in range(3)]
    named = [
        make_story(stage_key="waiting", emotion=1, text="The referral letters never came."),
        make_story(stage_key="waiting", emotion=2, text="Nobody rang.", would_have_helped="A referral letter."),
    ]
    unnamed = make_story(stage_key="waiting", emotion=1, text="I waited and waited.")
    by_alias = make_story(stage_key="waiting", emotion=2, text="My doctor said to wait.")
    good = make_story(stage_key="waiting", emotion=5, text="The duty line rang me back.")
    stories += [*named, unnamed, by_alias, good]
    cells = [
        JourneyCell(1, 1, "doing", "Rings the GP", 0, "accepted", (stories[0].id,)),
        JourneyCell(2, 1, "touchpoints", "GP receptionist", 0, "accepted"),
        JourneyCell(3, 2, "touchpoints", "Referral letter", 0, "accepted"),
        JourneyCell(4, 2, "touchpoints", "Duty line", 0, "accepted"),
        JourneyCell(5, 2, "touchpoints", "Surgery reception team", 0, "accepted"),
        JourneyCell(6, 3, "touchpoints", "Rejected touchpoint", 0, "rejected"),
    ]
    drafts = journeys.draft_from_journey(journey_with(cells, stories), stories, [GP])
    assert drafts == (
        BlueprintItemDraft(1, "person_actions", "Rings the GP", story_ids=(stories[0].id,)),
        # Named in a story, but one that felt fine: not a fail point.
        BlueprintItemDraft(1, "frontstage", "GP receptionist"),
        BlueprintItemDraft(
            2, "frontstage", "Referral letter", fail_point=True, status="proposed", story_ids=tuple(s.id for s in named)
        ),
        # Only a good story names the duty line.
        BlueprintItemDraft(2, "frontstage", "Duty line"),
        # "Surgery" is an alias of the GP practice, and "doctor" another: a story naming either counts.
        BlueprintItemDraft(
            2, "frontstage", "Surgery reception team", fail_point=True, status="proposed", story_ids=(by_alias.id,)
        ),
    )


def test_touchpoint_terms_split_the_name_and_add_the_map_s_aliases() -> None:
    terms = journeys.touchpoint_terms("GP practice and its reception team", [GP])
    assert terms == ("GP practice and its reception team", "gp practice", "reception team", "GP", "doctor", "surgery")
    # Generic words alone never name a touchpoint: "family" and "friends" are in every other story.
    assert journeys.touchpoint_terms("Family, friends and neighbours who notice a change") == (
        "Family, friends and neighbours who notice a change",
        "neighbours",
    )
    story = make_story(text="The pharmacists were the only ones who asked.")
    assert journeys.story_names(story, journeys.touchpoint_terms("A pharmacist or GP receptionist")) == "pharmacist"
    assert journeys.story_names(make_story(text="My practitioner was lovely."), ["practice"]) is None


def test_draft_proposes_no_fail_points_where_feeling_is_ok_or_no_touchpoint_is_named() -> None:
    fine = [make_story(stage_key="waiting", emotion=3, text="The referral letter came.") for _ in range(3)]
    cells = [JourneyCell(3, 2, "touchpoints", "Referral letter", 0, "accepted")]
    assert not any(d.fail_point for d in journeys.draft_from_journey(journey_with(cells, fine), fine))
    low = [make_story(stage_key="waiting", emotion=1) for _ in range(3)]
    assert journeys.draft_from_journey(journey_with([], low), low) == ()


def test_blueprint_table_marks_fail_and_wait_points_and_draws_the_lines() -> None:
    bp = journeys.assemble_blueprint(
        "as_is",
        STAGES,
        [
            item(1, 2, "frontstage", "Referral letter", fail_point=True, status="proposed"),
            item(2, 2, "backstage", "Triage meeting", wait_point=True, wait_time="6 weeks"),
            item(3, 1, "person_actions", "Rings the GP"),
            item(4, 1, "person_actions", "Rejected", status="rejected"),
            item(5, 1, "nowhere", "Unknown lane"),
        ],
    )
    assert [i.id for i in bp.items] == [3, 1, 2]
    table = bp.table()
    assert [row[0] for row in table] == [
        "",
        "Physical evidence",
        "The person's actions",
        "— Line of interaction —",
        "Frontstage: what staff do in view",
        "— Line of visibility —",
        "Backstage: what staff do out of view",
        "— Line of internal interaction —",
        "Support processes",
    ]
    assert table[4][2] == "• Referral letter [FAIL POINT] (proposed, not yet agreed)"
    assert table[6][2] == "• Triage meeting [WAIT: 6 weeks]"
    assert table[2][1] == "• Rings the GP"
    assert (len(bp.fail_points), len(bp.wait_points)) == (1, 1)


def test_compare_as_is_and_to_be() -> None:
    as_is = journeys.assemble_blueprint(
        "as_is", STAGES, [item(1, 2, "frontstage", "Referral letter", fail_point=True), item(2, 1, "backstage", "Same")]
    )
    to_be = journeys.assemble_blueprint(
        "to_be",
        STAGES,
        [
            item(3, 2, "frontstage", "Call within 48 hours", version="to_be"),
            item(4, 1, "backstage", "Same", version="to_be"),
        ],
    )
    comparison = journeys.compare_blueprints(as_is, to_be)
    assert comparison.fail_points == (1, 0) and comparison.wait_points == (0, 0)
    (changed,) = comparison.changed
    assert (changed.stage.key, changed.lane.key) == ("waiting", "frontstage")
    assert changed.as_is == ("• Referral letter [FAIL POINT]",) and changed.to_be == ("• Call within 48 hours",)
    assert comparison.table()[1:] == [
        ["Asking for help", "Backstage: what staff do out of view", "• Same", "• Same", ""],
        [
            "Waiting",
            "Frontstage: what staff do in view",
            "• Referral letter [FAIL POINT]",
            "• Call within 48 hours",
            "yes",
        ],
    ]


def test_copy_as_drafts_keeps_marks_and_links() -> None:
    bp = journeys.assemble_blueprint(
        "as_is", STAGES, [item(1, 2, "backstage", "Triage", wait_point=True, wait_time="6 weeks", story_ids=(5,))]
    )
    assert journeys.copy_as_drafts(bp) == (
        BlueprintItemDraft(2, "backstage", "Triage", wait_point=True, wait_time="6 weeks", story_ids=(5,)),
    )


def test_grid_edits_mark_points_change_text_add_and_delete() -> None:
    bp = journeys.assemble_blueprint(
        "as_is", STAGES, [item(1, 2, "frontstage", "Letter", story_ids=(9,)), item(2, 1, "backstage", "Gone")]
    )
    rows = journeys.blueprint_grid_rows(bp)
    assert rows[1]["lane"] == "Frontstage: what staff do in view" and rows[1]["stories"] == 1
    rows[1].update({"fail point": True, "wait time": " 3  weeks ", "text": "Letter sent"})
    rows = [rows[1]]
    rows.append(
        {"id": None, "stage": "Waiting", "lane": "Support processes", "text": "Waiting list", "wait point": True}
    )
    edits = journeys.blueprint_edits(bp, rows)
    (changed,) = edits.updated
    assert (changed.text, changed.fail_point, changed.wait_point, changed.wait_time, changed.story_ids) == (
        "Letter sent",
        True,
        True,
        "3 weeks",
        (9,),
    )
    assert edits.deleted == (2,)
    assert edits.added == (BlueprintItemDraft(2, "support_processes", "Waiting list", wait_point=True),)
    unchanged = journeys.blueprint_edits(bp, journeys.blueprint_grid_rows(bp))
    assert unchanged.empty and not unchanged.problems


def test_empty_grid_cells_are_not_marks() -> None:
    import pandas as pd

    bp = journeys.assemble_blueprint("as_is", STAGES, [])
    row = {"id": pd.NA, "stage": "Waiting", "lane": "Backstage: what staff do out of view", "text": "Triage"}
    row |= {"fail point": pd.NA, "wait point": pd.NA, "wait time": pd.NA, "status": pd.NA}
    assert journeys.blueprint_edits(bp, [row]).added == (BlueprintItemDraft(2, "backstage", "Triage"),)


def test_grid_rows_with_an_unknown_lane_are_problems() -> None:
    bp = journeys.assemble_blueprint("as_is", STAGES, [])
    edits = journeys.blueprint_edits(bp, [{"id": None, "stage": "Waiting", "lane": "Somewhere", "text": "x"}])
    assert edits.problems == ("Row 1: choose a stage and a lane.",) and edits.empty


def test_marked_items_list_fail_and_wait_points_with_their_links() -> None:
    bp = journeys.assemble_blueprint(
        "as_is",
        STAGES,
        [
            item(1, 2, "frontstage", "Letter", fail_point=True, story_ids=(4, 7), stakeholder_ids=(3,)),
            item(2, 1, "backstage", "x"),
        ],
    )
    assert journeys.marked_items(bp, {3: "GP practice"}) == [
        {
            "stage": "Waiting",
            "lane": "Frontstage: what staff do in view",
            "item": "Letter",
            "marks": "FAIL POINT",
            "stories": "#4, #7",
            "stakeholders": "GP practice",
        }
    ]
