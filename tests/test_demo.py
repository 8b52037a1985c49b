"""The demo workshop: every facilitator step already taken, through the product's own functions."""

from __future__ import annotations

import io

from docx import Document
from sqlalchemy import Engine

from codesign import demo, journeys, voting
from codesign.export import build_workshop_report
from codesign.models import Workshop
from codesign.storage import themes as theme_repo
from codesign.storage import workshops as workshop_repo
from codesign.storage.stories import list_stories
from codesign.workshops.kits import get_builtin_kit

FILLED_LANES = ("doing", "touchpoints", "opportunities")


def fingerprint(engine: Engine, workshop: Workshop) -> dict[str, object]:
    """What a facilitator sees on each screen, without database ids, so two loads can be compared."""
    rounds = {r.kind: r for r in voting.list_rounds(engine, workshop.id)}
    jmap = journeys.load_journey_map(engine, workshop)
    return {
        "themes": [(t.label, len(t.story_ids)) for t in theme_repo.list_board(engine, workshop.id)],
        "journey": [
            (js.stage.key, lane, cell.text, cell.status)
            for js in jmap.stages
            for lane, cells in js.items.items()
            for cell in cells
        ],
        "blueprint": [(i.lane, i.text, i.fail_point) for i in journeys.load_blueprint(engine, workshop).items],
        "results": voting.results_table(voting.load_round_results(engine, rounds["ideas"].id)),
        "grid": [(p.text, p.impact, p.effort) for p in voting.load_grid(engine, workshop.id)],
        "consensus": [(s.text, s.verdict) for s in voting.load_consensus(engine, rounds["agreement"].id).statements],
    }


def check_rich(engine: Engine, workshop: Workshop) -> None:
    approved = {s.id for s in list_stories(engine, workshop.id, statuses=["approved"])}
    board = theme_repo.list_board(engine, workshop.id)
    assert len(board) >= 2
    assert {i for t in board for i in t.story_ids} == approved
    assert not any(t.is_manual for t in board)  # found once, nothing pinned or renamed

    jmap = journeys.load_journey_map(engine, workshop)
    for js in jmap.stages:
        for lane in FILLED_LANES:
            assert 2 <= len(js.items.get(lane, ())) <= 3, (js.stage.key, lane)
    accepted = [c for js in jmap.stages for c in js.items.get("pain_points", ()) if c.status == "accepted"]
    assert len(accepted) == demo.ACCEPTED_PAIN_POINTS and all(c.story_ids for c in accepted)

    bp = journeys.load_blueprint(engine, workshop, "as_is")
    assert {i.lane for i in bp.items} >= {"person_actions", "frontstage"}
    assert bp.fail_points

    rounds = {r.kind: r for r in voting.list_rounds(engine, workshop.id)}
    ideas, agreement = rounds["ideas"], rounds["agreement"]
    assert ideas.revealed and agreement.revealed
    results = voting.load_round_results(engine, ideas.id)
    spec = demo.demo_data()["ideas_round"]
    assert len(results.ideas) == len(spec["ideas"])
    assert results.voters == len(spec["voters"]) and results.total_dots > 0
    for n in range(len(spec["voters"])):
        assert 0 < voting.get_ballot(engine, ideas.id, demo.demo_device(n)).used <= ideas.vote_budget
    grid = voting.load_grid(engine, workshop.id)
    assert len(grid) == 4 and {p.quadrant for p in grid} >= {"Quick wins", "Big projects"}

    verdicts = [s.verdict for s in voting.load_consensus(engine, agreement.id).statements]
    assert len(verdicts) == 4 and "agree" in verdicts and "diverge" in verdicts


def test_the_demo_has_every_facilitator_step_and_reset_recreates_it(any_engine: Engine) -> None:
    first = demo.load_demo(any_engine)
    assert first.created and first.stories >= 60
    assert (first.rounds, first.themes > 0, first.journey_items > 0, first.blueprint_items > 0) == (2, True, True, True)
    check_rich(any_engine, first.workshop)
    seen = fingerprint(any_engine, first.workshop)

    again = demo.load_demo(any_engine)
    assert not again.created and again.workshop.id == first.workshop.id

    fresh = demo.load_demo(any_engine, reset=True)
    assert fresh.created
    (only,) = [w for w in workshop_repo.list_workshops(any_engine) if w.is_demo]
    assert only.code == fresh.workshop.code and only.code != first.workshop.code
    check_rich(any_engine, fresh.workshop)
    assert fingerprint(any_engine, fresh.workshop) == seen  # seeded: the same demo every time


def test_the_demo_stories_alone_leave_every_step_to_the_facilitator(engine: Engine) -> None:
    workshop = demo.create_demo_workshop(engine)
    assert workshop.is_demo and workshop.story_count == len(demo.demo_data()["stories"])
    assert theme_repo.list_board(engine, workshop.id) == []
    assert voting.list_rounds(engine, workshop.id) == []
    assert journeys.load_blueprint(engine, workshop).items == ()


def test_the_demo_content_fits_the_kit_and_the_rounds() -> None:
    data = demo.demo_data()
    kit = get_builtin_kit(data["workshop"]["kit"]).kit
    assert list(data["journey"]) == [stage.key for stage in kit.stages]
    for lanes in data["journey"].values():
        assert tuple(lanes) == FILLED_LANES
        assert all(2 <= len(texts) <= 3 for texts in lanes.values())
    voters = data["ideas_round"]["voters"]
    lens_keys = {lens.key for lens in kit.lenses}
    assert set(voters) <= lens_keys
    for idea in data["ideas_round"]["ideas"]:
        assert voters[idea["device"]] == idea["lens"]  # an idea's phone votes with the same lens
    for statement in data["agreement_round"]["statements"]:
        assert {lens: len(letters) for lens, letters in statement["answers"].items()} == {
            lens: voters.count(lens) for lens in statement["answers"]
        }
        assert set("".join(statement["answers"].values())) <= set(demo.ANSWER_LETTERS)


def report_text(docx_bytes: bytes) -> str:
    document = Document(io.BytesIO(docx_bytes))
    parts = [p.text for p in document.paragraphs]
    parts += [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join(parts)


def test_the_demo_report_has_something_in_every_section(engine: Engine) -> None:
    workshop = demo.load_demo(engine).workshop
    text = report_text(build_workshop_report(engine, workshop.id, chart_images=False))
    data = demo.demo_data()
    for theme in theme_repo.list_board(engine, workshop.id):
        assert theme.label in text
    assert data["journey"]["waiting"]["opportunities"][0] in text
    assert data["ideas_round"]["ideas"][0]["text"] in text
    assert data["agreement_round"]["statements"][0]["text"] in text
