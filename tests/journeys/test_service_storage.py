"""Journey and blueprint storage on both back ends: stages, items, evidence, links, scoping, cascades."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import Engine, select

from codesign import journeys, stories, workshops
from codesign.errors import NotFoundError, ValidationFailed
from codesign.models import BlueprintItemDraft, JourneyCellDraft, Workshop
from codesign.storage import journeys as repo
from codesign.storage import workshops as workshop_repo
from codesign.storage.db import write_session
from codesign.storage.schema import StakeholderRow, StoryRow, StoryThemeRow, ThemeRow
from codesign.storage.stories import add_story_row
from codesign.stories.capture import hash_withdraw_code
from codesign.workshops.kits import get_builtin_kit


def new_workshop(engine: Engine, kit: str = "living-well") -> Workshop:
    return workshops.create_workshop(engine, "Journey test", get_builtin_kit(kit))


def add_stories(engine: Engine, workshop: Workshop, specs: list[dict[str, Any]]) -> list[int]:
    ids = []
    with write_session(engine) as s:
        for i, spec in enumerate(specs):
            fields = {
                "text": f"Synthetic story {i}",
                "lens_key": "lived_experience",
                "emotion": 3,
                "consent": "anonymous_quote",
                "moderation_status": "approved",
                "client_submission_id": f"t-{workshop.id}-{i}-{len(ids)}",
            } | spec
            stage = fields.pop("stage", "waiting")
            ids.append(add_story_row(s, workshop.id, stage, **fields).id)
    return ids


def test_stages_rename_reorder_and_add(any_engine: Engine) -> None:
    w = new_workshop(any_engine)
    stages = workshop_repo.list_stages(any_engine, w.id)
    journeys.rename_stage(any_engine, w.id, stages[2].id, "  Waiting   for help ")
    moved = journeys.move_stage(any_engine, w.id, stages[2].id, -2)
    assert [s.name for s in moved][:3] == ["Waiting for help", stages[0].name, stages[1].name]
    assert journeys.move_stage(any_engine, w.id, stages[2].id, -5)[0].id == stages[2].id  # clamped at the start
    added = journeys.add_stage(any_engine, w.id, "Back to work", position=1)
    after = workshop_repo.list_stages(any_engine, w.id)
    assert after[1] == added and added.key == "back_to_work"
    assert [s.position for s in after] == list(range(len(stages) + 1))
    with pytest.raises(ValidationFailed, match="already a stage"):
        journeys.add_stage(any_engine, w.id, "back to WORK")
    with pytest.raises(ValidationFailed, match="Give the stage a name"):
        journeys.rename_stage(any_engine, w.id, added.id, "   ")
    with pytest.raises(ValidationFailed):
        journeys.add_stage(any_engine, w.id, "x" * 81)


def test_stage_edits_never_reach_another_workshop(any_engine: Engine) -> None:
    w, other = new_workshop(any_engine), new_workshop(any_engine)
    theirs = workshop_repo.list_stages(any_engine, other.id)[0]
    with pytest.raises(NotFoundError):
        journeys.rename_stage(any_engine, w.id, theirs.id, "Hijacked")
    with pytest.raises(ValidationFailed):
        journeys.move_stage(any_engine, w.id, theirs.id, 1)
    assert workshop_repo.list_stages(any_engine, other.id)[0].name == theirs.name


def test_new_thrive_stage_keeps_its_grouping(any_engine: Engine) -> None:
    w = new_workshop(any_engine, "cyp-thrive")
    stage = journeys.add_stage(any_engine, w.id, "Back at school", thrive_grouping="getting_advice")
    jmap = journeys.load_journey_map(any_engine, w)
    assert jmap.shows_thrive
    assert next(js.thrive for js in jmap.stages if js.stage.id == stage.id) == "Getting advice"
    with pytest.raises(ValidationFailed):
        journeys.add_stage(any_engine, w.id, "Elsewhere", thrive_grouping="tier_4")


def test_journey_items_add_edit_delete_with_evidence(any_engine: Engine) -> None:
    w = new_workshop(any_engine)
    stages = workshop_repo.list_stages(any_engine, w.id)
    story_ids = add_stories(any_engine, w, [{"emotion": 1}, {"emotion": 2}])
    first = journeys.add_item(any_engine, w.id, stages[0].id, "doing", "Rings the GP")
    repo.save_journey_edits(
        any_engine,
        w.id,
        added=[JourneyCellDraft(stages[2].id, "pain_points", "Nobody called", "proposed", (*story_ids, 999_999))],
    )
    cells = repo.list_journey_cells(any_engine, w.id)
    assert [(c.lane, c.text, c.status, c.story_ids) for c in cells] == [
        ("doing", "Rings the GP", "accepted", ()),
        ("pain_points", "Nobody called", "proposed", tuple(sorted(story_ids))),
    ]
    rows = journeys.grid_rows(cells, stages)
    rows[0]["text"] = "Rings the GP practice"
    rows.append({"id": None, "stage": stages[1].name, "lane": "Opportunities", "text": "A named contact"})
    del rows[1]
    journeys.save_edits(any_engine, w.id, journeys.journey_edits(journeys.grid_cells(cells, stages), rows, stages))
    after = repo.list_journey_cells(any_engine, w.id)
    assert {(c.id == first, c.text) for c in after} == {(True, "Rings the GP practice"), (False, "A named contact")}
    with pytest.raises(ValidationFailed):
        journeys.add_item(any_engine, w.id, stages[0].id, "doing", "   ")


def test_proposals_are_stored_once_and_accepted_edited_or_rejected(any_engine: Engine) -> None:
    w = new_workshop(any_engine)
    add_stories(any_engine, w, [{"emotion": 1}, {"emotion": 2}, {"emotion": 2}, {"emotion": 5, "stage": "crisis"}])
    assert journeys.store_pain_point_proposals(any_engine, w) == 1
    assert journeys.store_pain_point_proposals(any_engine, w) == 0  # not proposed twice
    (proposal,) = repo.list_journey_cells(any_engine, w.id)
    assert proposal.status == "proposed" and len(proposal.story_ids) == 3
    journeys.decide_proposal(any_engine, w.id, proposal.id, "accepted", "  No contact while waiting ")
    (accepted,) = repo.list_journey_cells(any_engine, w.id)
    assert (accepted.status, accepted.text) == ("accepted", "No contact while waiting")
    journeys.decide_proposal(any_engine, w.id, proposal.id, "rejected")
    assert journeys.store_pain_point_proposals(any_engine, w) == 0  # a rejected proposal stays rejected
    with pytest.raises(ValidationFailed):
        journeys.decide_proposal(any_engine, w.id, proposal.id, "accepted", " ")
    other = new_workshop(any_engine)
    with pytest.raises(NotFoundError):
        journeys.decide_proposal(any_engine, other.id, proposal.id, "accepted")


def test_themes_are_read_from_the_themes_tables(any_engine: Engine) -> None:
    w = new_workshop(any_engine)
    ids = add_stories(
        any_engine,
        w,
        [
            {"emotion": 1, "text": "Nobody kept in touch with me while I waited for months."},
            {"emotion": 2, "text": "I waited for months and nobody kept in touch at all."},
            {"emotion": 2, "text": "The forms were long."},
        ],
    )
    with write_session(any_engine) as s:
        theme = ThemeRow(workshop_id=w.id, label="Nobody kept in touch")
        s.add(theme)
        s.flush()
        for story_id in ids[:2]:
            s.add(StoryThemeRow(story_id=story_id, theme_id=theme.id))
    assert [(t.story_id, t.label) for t in repo.list_story_themes(any_engine, w.id)] == [
        (ids[0], "Nobody kept in touch"),
        (ids[1], "Nobody kept in touch"),
    ]
    journeys.store_pain_point_proposals(any_engine, w)
    (cell,) = repo.list_journey_cells(any_engine, w.id)
    # Grouped by the theme, worded by the stories (the two sentences share as much: the shorter
    # wins), never named after the theme.
    assert cell.text == (
        "“I waited for months and nobody kept in touch at all.” (2 of 3 stories rated at this stage felt bad)"
    )
    assert cell.story_ids == tuple(ids[:2])


def test_withdrawing_a_story_removes_it_from_evidence_and_quotes(any_engine: Engine) -> None:
    w = new_workshop(any_engine)
    (story_id,) = add_stories(any_engine, w, [{"emotion": 1, "text": "Words to withdraw"}])
    journeys.store_pain_point_proposals(any_engine, w)
    assert "Words to withdraw" in str(journeys.load_journey_map(any_engine, w).table())
    with write_session(any_engine) as s:
        s.delete(s.get(StoryRow, story_id))
    (cell,) = repo.list_journey_cells(any_engine, w.id)
    assert cell.story_ids == ()
    assert "Words to withdraw" not in str(journeys.load_journey_map(any_engine, w).table())


def test_withdrawal_removes_a_proposal_in_the_storys_words_and_every_copy_in_history(any_engine: Engine) -> None:
    w = new_workshop(any_engine)
    code = "ABCD2345EFGH"
    words = "Nobody rang me back for eleven long weeks."
    (gone, kept) = add_stories(
        any_engine,
        w,
        [
            {"emotion": 1, "text": words, "withdraw_code_hash": hash_withdraw_code(code)},
            {"emotion": 2, "text": "It felt too long and I was not sure who to ask."},
        ],
    )
    assert journeys.store_pain_point_proposals(any_engine, w) == 1
    (cell,) = repo.list_journey_cells(any_engine, w.id)
    assert words in cell.text
    # The map changes again, so the quoting item is also in a history snapshot.
    journeys.add_item(any_engine, w.id, cell.stage_id, "touchpoints", "Waiting-list letter")
    assert words in str([h.snapshot for h in journeys.journey_history(any_engine, w.id)])
    stories.withdraw_story(any_engine, code)
    assert [c.text for c in repo.list_journey_cells(any_engine, w.id)] == ["Waiting-list letter"]
    snapshots = str([h.snapshot for h in journeys.journey_history(any_engine, w.id)])
    assert words not in snapshots and str(gone) not in snapshots.replace(str(kept), "")
    # Undo brings the map back without the withdrawn words.
    journeys.undo_journey(any_engine, w.id)
    assert words not in str(repo.list_journey_cells(any_engine, w.id))


def test_undo_and_restore_the_journey_map_and_the_blueprint(any_engine: Engine) -> None:
    w = new_workshop(any_engine)
    stage = workshop_repo.list_stages(any_engine, w.id)[0]
    (story,) = add_stories(any_engine, w, [{"emotion": 2, "stage": stage.key}])
    first = journeys.add_item(any_engine, w.id, stage.id, "touchpoints", "Duty line")
    journeys.add_item(any_engine, w.id, stage.id, "doing", "Rings the duty line")
    repo.save_journey_edits(any_engine, w.id, deleted=[first])
    assert [c.text for c in repo.list_journey_cells(any_engine, w.id)] == ["Rings the duty line"]
    history = journeys.journey_history(any_engine, w.id)
    assert [h.summary for h in history] == [
        "0 added, 0 changed, 1 removed",
        "1 added, 0 changed, 0 removed",
        "1 added, 0 changed, 0 removed",
    ]
    assert {h.actor for h in history} == {"facilitator"}
    undone = journeys.undo_journey(any_engine, w.id)
    assert undone is not None and undone.summary == "0 added, 0 changed, 1 removed"
    cells = repo.list_journey_cells(any_engine, w.id)
    assert sorted(c.text for c in cells) == ["Duty line", "Rings the duty line"]
    assert first in {c.id for c in cells}  # the item comes back with its id
    journeys.restore_journey(any_engine, w.id, journeys.journey_history(any_engine, w.id)[-1].id)
    assert repo.list_journey_cells(any_engine, w.id) == []
    assert journeys.undo_journey(any_engine, w.id) is None
    # The blueprint: a link to a story survives an undo.
    item = journeys.add_blueprint_item(
        any_engine, w.id, "as_is", BlueprintItemDraft(stage.id, "frontstage", "Duty line", story_ids=(story,))
    )
    repo.save_blueprint_edits(any_engine, w.id, "as_is", deleted=[item])
    assert repo.list_blueprint_items(any_engine, w.id, "as_is") == []
    journeys.undo_blueprint(any_engine, w.id)
    (back,) = repo.list_blueprint_items(any_engine, w.id, "as_is")
    assert (back.id, back.text, back.story_ids) == (item, "Duty line", (story,))
    journeys.restore_blueprint(any_engine, w.id, journeys.blueprint_history(any_engine, w.id)[-1].id)
    assert repo.list_blueprint_items(any_engine, w.id, "as_is") == []


def test_map_quotes_follow_the_workshops_consent_settings(any_engine: Engine) -> None:
    w = new_workshop(any_engine)
    add_stories(
        any_engine,
        w,
        [
            {"text": "Workshop only", "consent": "anonymous_quote"},
            {"text": "Report too", "consent": "report_quote"},
            {"text": "Never quoted", "consent": "themes_only"},
        ],
    )
    screen = str(journeys.load_journey_map(any_engine, w).table())
    report = str(journeys.load_journey_map(any_engine, w, for_report=True).table())
    assert "Workshop only" in screen and "Report too" in screen and "Never quoted" not in screen
    assert "Workshop only" not in report and "Report too" in report and "Never quoted" not in report


def test_blueprint_draft_edit_link_and_versions(any_engine: Engine) -> None:
    w = new_workshop(any_engine)
    stages = workshop_repo.list_stages(any_engine, w.id)
    story_ids = add_stories(
        any_engine,
        w,
        [
            {"emotion": 1, "text": "The referral letter never came."},
            {"emotion": 1, "text": "I chased the referral letters for weeks."},
            {"emotion": 2, "text": "My GP said the referral letter had gone."},
            {"emotion": 2, "text": "Nobody rang."},  # low, but does not name the letter: not evidence
        ],
    )[:3]
    journeys.add_item(any_engine, w.id, stages[2].id, "touchpoints", "Referral letter")
    journeys.add_item(any_engine, w.id, stages[2].id, "doing", "Waits by the phone")
    assert journeys.store_draft(any_engine, w, "as_is") == 2
    with pytest.raises(ValidationFailed, match="already has items"):
        journeys.store_draft(any_engine, w, "as_is")
    bp = journeys.load_blueprint(any_engine, w, "as_is")
    assert [lane.name for lane in bp.lanes] == [
        lane.name for lane in get_builtin_kit("living-well").kit.blueprint_lanes
    ]
    letter = next(i for i in bp.items if i.lane == "frontstage")
    assert (letter.text, letter.fail_point, letter.status, letter.story_ids) == (
        "Referral letter",
        True,
        "proposed",
        tuple(sorted(story_ids)),
    )
    wait_id = journeys.add_blueprint_item(
        any_engine,
        w.id,
        "as_is",
        BlueprintItemDraft(stages[2].id, "backstage", "Weekly triage", wait_time="6 weeks"),
    )
    with any_engine.connect() as conn:
        gp = conn.scalar(
            select(StakeholderRow.id).where(StakeholderRow.workshop_id == w.id, StakeholderRow.name == "GP practice")
        )
    assert gp is not None
    bp = journeys.load_blueprint(any_engine, w, "as_is")
    waiting = next(i for i in bp.items if i.id == wait_id)
    assert (waiting.wait_point, waiting.wait_time) == (True, "6 weeks")
    journeys.link_item(any_engine, w.id, waiting, story_ids=[story_ids[0]], stakeholder_ids=[gp, 999_999])
    linked = next(i for i in journeys.load_blueprint(any_engine, w, "as_is").items if i.id == wait_id)
    assert (linked.story_ids, linked.stakeholder_ids) == ((story_ids[0],), (gp,))
    assert repo.list_stakeholder_names(any_engine, w.id)[gp] == "GP practice"

    # The "to be" starts as a copy of the "as is", then the two differ.
    assert journeys.store_draft(any_engine, w, "to_be") == 3
    to_be = journeys.load_blueprint(any_engine, w, "to_be")
    rows = journeys.blueprint_grid_rows(to_be)
    for row in rows:
        row["fail point"] = False
        if row["text"] == "Weekly triage":
            row["text"] = "Same-day triage"
            row["wait point"] = False
            row["wait time"] = ""
    journeys.save_blueprint_edits(any_engine, w.id, "to_be", journeys.blueprint_edits(to_be, rows))
    comparison = journeys.compare_blueprints(
        journeys.load_blueprint(any_engine, w, "as_is"), journeys.load_blueprint(any_engine, w, "to_be")
    )
    assert comparison.fail_points == (1, 0) and comparison.wait_points == (1, 0)
    assert {(r.lane.key, r.to_be) for r in comparison.changed} == {
        ("frontstage", ("• Referral letter (proposed, not yet agreed)",)),
        ("backstage", ("• Same-day triage",)),
    }
    # Redrafting with replace starts the version again; the other version is untouched.
    assert journeys.store_draft(any_engine, w, "as_is", replace=True) == 2
    assert len(journeys.load_blueprint(any_engine, w, "to_be").items) == 3


def test_blueprint_edits_are_scoped_to_the_workshop_and_version(any_engine: Engine) -> None:
    w, other = new_workshop(any_engine), new_workshop(any_engine)
    stage = workshop_repo.list_stages(any_engine, w.id)[0]
    (item_id,) = repo.save_blueprint_edits(
        any_engine, w.id, "as_is", added=[BlueprintItemDraft(stage.id, "backstage", "x")]
    )
    item = journeys.load_blueprint(any_engine, w, "as_is").items[0]
    with pytest.raises(NotFoundError):
        repo.save_blueprint_edits(any_engine, other.id, "as_is", updated=[item])
    with pytest.raises(NotFoundError):
        repo.save_blueprint_edits(any_engine, w.id, "to_be", updated=[item])
    repo.save_blueprint_edits(any_engine, other.id, "as_is", deleted=[item_id])
    assert [i.id for i in journeys.load_blueprint(any_engine, w, "as_is").items] == [item_id]
    their_stage = workshop_repo.list_stages(any_engine, other.id)[0]
    with pytest.raises(NotFoundError):
        journeys.add_blueprint_item(any_engine, w.id, "as_is", BlueprintItemDraft(their_stage.id, "backstage", "y"))
