"""Ideas, dot votes and agreement: budgets under concurrency, hidden results, and the consensus maths."""

from __future__ import annotations

import threading
import uuid
from collections.abc import Callable
from datetime import UTC, datetime

import pytest
from sqlalchemy import Engine, func, select

from codesign import voting, workshops
from codesign.charts import voting as charts
from codesign.errors import ClosedError, NotFoundError, ValidationFailed
from codesign.models import Lens, Workshop
from codesign.privacy import PreparedText
from codesign.storage import workshops as workshops_repo
from codesign.storage.db import read_session
from codesign.storage.schema import VoteRow
from codesign.voting import service as voting_service
from codesign.workshops.devices import hash_device
from codesign.workshops.kits import get_builtin_kit

NOW = datetime(2026, 1, 1, tzinfo=UTC)
PHONE_A = hash_device("a" * 32)
PHONE_B = hash_device("b" * 32)


def sid() -> str:
    return uuid.uuid4().hex


def new_workshop(engine: Engine, *, premoderation: bool = False) -> Workshop:
    workshop = workshops.create_workshop(engine, "Votes test", get_builtin_kit("living-well"))
    return workshops_repo.update_workshop_settings(engine, workshop.id, {"premoderation": premoderation})


def voting_round(engine: Engine, ideas: int = 4, budget: int | None = None) -> tuple[voting.Round, list[voting.Idea]]:
    """An ideas round in its voting stage, with ideas on the wall (added by the facilitator)."""
    workshop = new_workshop(engine)
    rnd = voting.open_round(engine, workshop.id, "How might we make the first call easier?", vote_budget=budget)
    added = [
        voting.submit_idea(engine, rnd.id, f"Idea number {i}", client_submission_id=sid(), device_hash=None).idea
        for i in range(ideas)
    ]
    return voting.start_voting(engine, rnd.id), added


def stored_dots(engine: Engine, round_id: int, device_hash: str | None = None) -> int:
    with read_session(engine) as s:
        query = select(func.coalesce(func.sum(VoteRow.dots), 0)).where(VoteRow.round_id == round_id)
        if device_hash:
            query = query.where(VoteRow.device_hash == device_hash)
        return int(s.scalar(query) or 0)


def run_together(calls: list[Callable[[], object]]) -> list[object]:
    """Start every call at the same moment on its own thread; return results or exceptions."""
    barrier = threading.Barrier(len(calls))
    out: list[object] = [None] * len(calls)

    def run(i: int) -> None:
        barrier.wait()
        try:
            out[i] = calls[i]()
        except Exception as exc:
            out[i] = exc

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(calls))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    return out


# --- the budget ------------------------------------------------------------------------------


def test_dots_can_stack_move_and_come_back(engine: Engine) -> None:
    rnd, ideas = voting_round(engine)
    assert rnd.vote_budget == 3  # the workshop's vote_budget setting
    ballot = voting.set_dots(engine, rnd.id, ideas[0].id, PHONE_A, 2)
    assert (ballot.used, ballot.remaining) == (2, 1)
    ballot = voting.set_dots(engine, rnd.id, ideas[1].id, PHONE_A, 1)
    assert ballot.remaining == 0
    with pytest.raises(voting.BudgetExceeded, match="Take a dot off another idea first"):
        voting.set_dots(engine, rnd.id, ideas[2].id, PHONE_A, 1)
    voting.set_dots(engine, rnd.id, ideas[0].id, PHONE_A, 0)
    ballot = voting.set_dots(engine, rnd.id, ideas[2].id, PHONE_A, 2)
    assert dict(ballot.dots) == {ideas[1].id: 1, ideas[2].id: 2}
    assert voting.get_ballot(engine, rnd.id, PHONE_A) == ballot
    assert stored_dots(engine, rnd.id) == 3


def test_each_device_has_its_own_budget(engine: Engine) -> None:
    rnd, ideas = voting_round(engine)
    voting.set_dots(engine, rnd.id, ideas[0].id, PHONE_A, 3)
    voting.set_dots(engine, rnd.id, ideas[0].id, PHONE_B, 3)
    assert stored_dots(engine, rnd.id) == 6


def test_round_budget_comes_from_the_workshop_setting(engine: Engine) -> None:
    workshop = new_workshop(engine)
    workshops_repo.update_workshop_settings(engine, workshop.id, {"vote_budget": 5})
    assert voting.open_round(engine, workshop.id, "How might we?").vote_budget == 5
    assert voting.open_round(engine, workshop.id, "How might we?", vote_budget=2).vote_budget == 2
    with pytest.raises(ValidationFailed):
        voting.open_round(engine, workshop.id, "How might we?", vote_budget=0)


@pytest.mark.parametrize("stage", ["ideas", "closed"])
def test_votes_only_while_voting(engine: Engine, stage: str) -> None:
    rnd, ideas = voting_round(engine)
    voting.set_dots(engine, rnd.id, ideas[0].id, PHONE_A, 1)
    if stage == "closed":
        voting.close_round(engine, rnd.id)
    else:
        fresh = voting.open_round(engine, rnd.workshop_id, "Another?")
        idea = voting.submit_idea(engine, fresh.id, "Idea", client_submission_id=sid(), device_hash=None).idea
        rnd, ideas = fresh, [idea]
    with pytest.raises(ClosedError):
        voting.set_dots(engine, rnd.id, ideas[0].id, PHONE_A, 2)


def test_hidden_idea_gives_its_dots_back(engine: Engine) -> None:
    rnd, ideas = voting_round(engine)
    voting.set_dots(engine, rnd.id, ideas[0].id, PHONE_A, 3)
    voting.moderate_idea(engine, ideas[0].id, "hide")
    assert voting.get_ballot(engine, rnd.id, PHONE_A).remaining == 3
    with pytest.raises(NotFoundError):
        voting.set_dots(engine, rnd.id, ideas[0].id, PHONE_A, 1)
    voting.set_dots(engine, rnd.id, ideas[1].id, PHONE_A, 3)
    voting.moderate_idea(engine, ideas[0].id, "approve")  # restored: its old dots do not come back
    assert voting.get_ballot(engine, rnd.id, PHONE_A).used == 3
    assert stored_dots(engine, rnd.id, PHONE_A) == 3


def test_budget_holds_when_one_device_taps_many_ideas_at_once(any_engine: Engine) -> None:
    """A phone and a second tab of it (or a burst of taps): one dot each on eight ideas at the same moment."""
    rnd, ideas = voting_round(any_engine, ideas=8)
    results = run_together([lambda i=i: voting.set_dots(any_engine, rnd.id, i.id, PHONE_A, 1) for i in ideas])
    accepted = [r for r in results if isinstance(r, voting.Ballot)]
    refused = [r for r in results if isinstance(r, voting.BudgetExceeded)]
    assert (len(accepted), len(refused)) == (3, 5), results
    assert stored_dots(any_engine, rnd.id, PHONE_A) == 3
    assert voting.get_ballot(any_engine, rnd.id, PHONE_A).used == 3


def test_double_taps_count_once(any_engine: Engine) -> None:
    """The same tap sent four times at once: one vote of two dots."""
    rnd, ideas = voting_round(any_engine)
    results = run_together([lambda: voting.set_dots(any_engine, rnd.id, ideas[0].id, PHONE_A, 2)] * 4)
    assert all(isinstance(r, voting.Ballot) for r in results), results
    with read_session(any_engine) as s:
        rows = s.scalars(select(VoteRow).where(VoteRow.round_id == rnd.id)).all()
        assert [(r.idea_id, r.dots) for r in rows] == [(ideas[0].id, 2)]


def test_two_phones_spending_at_once_both_count(any_engine: Engine) -> None:
    rnd, ideas = voting_round(any_engine)
    calls: list[Callable[[], object]] = []
    for phone in (PHONE_A, PHONE_B):
        calls += [lambda p=phone, i=i: voting.set_dots(any_engine, rnd.id, i.id, p, 1) for i in ideas]
    results = run_together(calls)
    assert sum(isinstance(r, voting.Ballot) for r in results) == 6, results
    assert all(isinstance(r, voting.Ballot | voting.BudgetExceeded) for r in results)
    assert stored_dots(any_engine, rnd.id, PHONE_A) == stored_dots(any_engine, rnd.id, PHONE_B) == 3


# --- ideas -----------------------------------------------------------------------------------


def test_ideas_from_phones_wait_for_moderation_and_a_resend_stores_one(engine: Engine) -> None:
    workshop = new_workshop(engine, premoderation=True)
    rnd = voting.open_round(engine, workshop.id, "How might we?")
    submission = sid()
    first = voting.submit_idea(
        engine, rnd.id, "  A text line\u0301 for carers ", client_submission_id=submission, device_hash=PHONE_A
    )
    again = voting.submit_idea(engine, rnd.id, "changed", client_submission_id=submission, device_hash=PHONE_A)
    assert first.created and not again.created
    assert again.idea.id == first.idea.id
    assert first.idea.text == "A text liné for carers"  # normalised (NFC) and trimmed
    assert first.idea.moderation_status == "pending" and not first.idea.on_wall
    assert voting.load_wall(engine, workshop.id).ideas == ()
    # Another phone cannot fetch that idea by guessing its submission id.
    with pytest.raises(ValidationFailed):
        voting.submit_idea(engine, rnd.id, "x", client_submission_id=submission, device_hash=PHONE_B)
    voting.moderate_idea(engine, first.idea.id, "approve")
    assert [i.text for i in voting.load_wall(engine, workshop.id).ideas] == ["A text liné for carers"]


def test_double_sent_idea_is_stored_once_under_concurrency(any_engine: Engine) -> None:
    workshop = new_workshop(any_engine)
    rnd = voting.open_round(any_engine, workshop.id, "How might we?")
    submission = sid()
    results = run_together(
        [
            lambda: voting.submit_idea(
                any_engine, rnd.id, "Same idea", client_submission_id=submission, device_hash=PHONE_A
            )
        ]
        * 3
    )
    assert all(isinstance(r, voting.IdeaSubmission) for r in results), results
    assert sum(r.created for r in results) == 1  # type: ignore[union-attr]
    assert len(voting.list_ideas(any_engine, rnd.id)) == 1


def test_risk_flagged_idea_stays_off_the_wall_until_reviewed(engine: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    workshop = new_workshop(engine, premoderation=False)
    rnd = voting.open_round(engine, workshop.id, "How might we?")
    fine = voting.submit_idea(engine, rnd.id, "Evening drop-in", client_submission_id=sid(), device_hash=PHONE_A)
    assert fine.idea.on_wall  # no pre-moderation: straight to the wall
    monkeypatch.setattr(
        voting_service, "prepare_text", lambda text, vocabulary=(): PreparedText(text=text, risk_flags=("self-harm",))
    )
    flagged = voting.submit_idea(engine, rnd.id, "Risky words", client_submission_id=sid(), device_hash=PHONE_A)
    assert flagged.support_needed
    assert flagged.idea.is_flagged and not flagged.idea.on_wall
    assert [i.id for i in voting.load_wall(engine, workshop.id).ideas] == [fine.idea.id]
    assert [i.id for i in voting.load_phone(engine, workshop.id, PHONE_B)[0].ideas] == [fine.idea.id]
    # A plain Approve is refused: risk language needs the safeguarding review a story gets.
    with pytest.raises(ValidationFailed, match="needs a safeguarding review"):
        voting.moderate_idea(engine, flagged.idea.id, "approve")
    assert [i.id for i in voting.flagged_ideas(engine, workshop.id)] == [flagged.idea.id]
    reviewed = voting.review_idea_safeguarding(engine, flagged.idea.id, show=True)
    assert reviewed.risk_reviewed and reviewed.on_wall
    assert voting.flagged_ideas(engine, workshop.id) == []
    actions = [(e.action, e.detail) for e in workshops.list_audit(engine, workshop.id)]
    assert ("idea_safeguarding_reviewed", "approved") in actions


def test_a_flagged_idea_kept_hidden_gives_its_dots_back(engine: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    workshop = new_workshop(engine, premoderation=False)
    rnd = voting.open_round(engine, workshop.id, "How might we?")
    monkeypatch.setattr(
        voting_service,
        "prepare_text",
        lambda text, vocabulary=(): PreparedText(text=text, risk_flags=("suicide",), risk_severity="urgent"),
    )
    flagged = voting.submit_idea(engine, rnd.id, "Risky words", client_submission_id=sid(), device_hash=PHONE_A)
    hidden = voting.review_idea_safeguarding(engine, flagged.idea.id, show=False)
    assert hidden.risk_reviewed and hidden.moderation_status == "hidden" and not hidden.on_wall
    assert voting.urgent_idea_flags(engine, workshop.id) == []


@pytest.mark.parametrize(
    ("text", "message"),
    [("", "Write your idea"), ("   \n ", "Write your idea"), ("x" * 501, "a little long")],
)
def test_bad_ideas_are_refused_kindly(engine: Engine, text: str, message: str) -> None:
    workshop = new_workshop(engine)
    rnd = voting.open_round(engine, workshop.id, "How might we?")
    with pytest.raises(ValidationFailed, match=message):
        voting.submit_idea(engine, rnd.id, text, client_submission_id=sid(), device_hash=PHONE_A)


def test_ideas_only_while_collecting(engine: Engine) -> None:
    rnd, _ = voting_round(engine)
    with pytest.raises(ClosedError, match="not taking new ideas"):
        voting.submit_idea(engine, rnd.id, "Late idea", client_submission_id=sid(), device_hash=PHONE_A)


# --- hidden results --------------------------------------------------------------------------


def test_results_stay_hidden_from_every_reader_until_revealed(engine: Engine) -> None:
    rnd, ideas = voting_round(engine)
    voting.set_dots(engine, rnd.id, ideas[2].id, PHONE_B, 3)
    before = voting.load_phone(engine, rnd.workshop_id, PHONE_A)[0]
    with pytest.raises(voting.ResultsHidden):
        voting.load_round_results(engine, rnd.id)
    assert before.results is None
    assert before.ballot is not None and before.ballot.used == 0  # only its own dots
    wall = voting.load_wall(engine, rnd.workshop_id)
    assert wall.results is None and wall.progress is not None
    assert (wall.progress.voters, wall.progress.dots_cast) == (1, 3)  # participation only
    assert voting.load_report(engine, rnd.workshop_id).results == {}
    # The phone's order of ideas is its own and does not follow the votes.
    voting.set_dots(engine, rnd.id, ideas[0].id, PHONE_B, 0)
    assert voting.load_phone(engine, rnd.workshop_id, PHONE_A)[0].ideas == before.ideas

    voting.set_revealed(engine, rnd.id)
    results = voting.load_round_results(engine, rnd.id)
    assert [(r.idea_id, r.dots) for r in results.ideas[:1]] == [(ideas[2].id, 3)]
    assert voting.load_phone(engine, rnd.workshop_id, PHONE_A)[0].results == results
    assert voting.load_wall(engine, rnd.workshop_id).results == results
    voting.set_revealed(engine, rnd.id, False)
    assert voting.load_wall(engine, rnd.workshop_id).results is None


def test_hidden_agreement_round_gives_no_consensus(engine: Engine) -> None:
    workshop = new_workshop(engine)
    rnd = voting.open_round(engine, workshop.id, "Where do we stand?", kind="agreement")
    [statement] = voting.add_statements(engine, rnd.id, texts=["Evening appointments matter"])
    voting.answer_statement(engine, statement.id, PHONE_A, 1, lens_key="staff")
    with pytest.raises(voting.ResultsHidden):
        voting.load_consensus(engine, rnd.id)
    assert voting.load_phone(engine, workshop.id, PHONE_B)[0].consensus is None
    assert voting.load_wall(engine, workshop.id).consensus is None
    voting.set_revealed(engine, rnd.id)
    assert voting.load_consensus(engine, rnd.id).statements[0].by_lens[2].agree == 1


# --- pure functions --------------------------------------------------------------------------


def idea(i: int, *, status: str = "approved", round_id: int = 1, **over: object) -> voting.Idea:
    fields: dict[str, object] = {
        "id": i, "round_id": round_id, "text": f"idea {i}", "lens_key": None, "moderation_status": status,
        "risk_flags": (), "risk_reviewed": False, "privacy_flags": (), "from_facilitator": False,
        "impact": None, "effort": None, "created_at": NOW,
    }  # fmt: skip
    fields.update(over)
    return voting.Idea(**fields)  # type: ignore[arg-type]


def a_round(kind: str = "ideas") -> voting.Round:
    return voting.Round(1, 1, kind, "How might we?", "voting", 3, True, None, None, NOW)  # type: ignore[arg-type]


def test_round_results_counts_ranks_ties_and_skips_hidden_ideas() -> None:
    ideas = [idea(1), idea(2), idea(3), idea(4, status="hidden")]
    votes = [
        voting.Vote(1, "d1", "staff", 2),
        voting.Vote(2, "d1", "staff", 1),
        voting.Vote(2, "d2", "carer_family", 1),
        voting.Vote(2, "d3", None, 1),
        voting.Vote(3, "d2", "carer_family", 2),
        voting.Vote(4, "d3", None, 2),  # on a hidden idea: does not count
    ]
    results = voting.round_results(a_round(), ideas, votes)
    assert [(r.idea_id, r.dots, r.voters, r.rank) for r in results.ideas] == [
        (2, 3, 3, 1),
        (1, 2, 1, 2),
        (3, 2, 1, 2),
    ]
    assert results.ideas[0].by_lens == {"staff": 1, "carer_family": 1, None: 1}
    assert (results.total_dots, results.voters) == (7, 3)


LENSES = [Lens(1, "lived_experience", "Lived experience", 0), Lens(2, "staff", "Staff", 1)]


def answers(
    statement_id: int, lens: str | None, agree: int = 0, disagree: int = 0, passed: int = 0
) -> list[voting.Agreement]:
    values = [1] * agree + [-1] * disagree + [0] * passed
    return [voting.Agreement(statement_id, f"{lens}-{statement_id}-{n}", lens, v) for n, v in enumerate(values)]


def test_consensus_worked_example() -> None:
    """Four statements, two lenses; every figure below is worked by hand.

    1 "Evening appointments": lived experience 3 agree 1 disagree (75% agree); staff 2 agree
      1 pass (67%). Both at least 60%: common ground. Group-informed consensus
      (3+1)/(4+2) x (2+1)/(3+2) = 0.6667 x 0.6 = 0.4.
    2 "Peer workers at the first call": lived experience 3 agree 1 pass (75%); staff 3
      disagree (100% disagree): groups diverge. (4/6) x (1/5) = 0.1333.
    3 "Longer assessments": one lived-experience answer, two staff: too few to compare.
    4 "One shared record": lived experience 1 agree 1 disagree (50%); staff 1 agree
      1 disagree 1 pass (33%): no majority, spread 17 points: no clear view.
    A fifth answer with no lens is shown in its own column but never counted.
    """
    statements = [voting.Statement(i, 1, text, None, None, i) for i, text in enumerate(
        ["", "Evening appointments", "Peer workers at the first call", "Longer assessments", "One shared record"]
    ) if i]  # fmt: skip
    given = (
        answers(1, "lived_experience", agree=3, disagree=1)
        + answers(1, "staff", agree=2, passed=1)
        + answers(1, None, disagree=1)
        + answers(2, "lived_experience", agree=3, passed=1)
        + answers(2, "staff", disagree=3)
        + answers(3, "lived_experience", agree=1)
        + answers(3, "staff", agree=2)
        + answers(4, "lived_experience", agree=1, disagree=1)
        + answers(4, "staff", agree=1, disagree=1, passed=1)
    )
    result = voting.consensus(a_round("agreement"), statements, given, LENSES)
    assert result.lenses == (("lived_experience", "Lived experience"), ("staff", "Staff"), (None, "Did not say"))
    by_id = {s.statement_id: s for s in result.statements}
    assert [s.statement_id for s in result.statements] == [1, 2, 4, 3]
    assert [by_id[i].verdict for i in (1, 2, 3, 4)] == ["agree", "diverge", "too_few", "mixed"]
    one = by_id[1]
    assert [(lens.agree, lens.disagree, lens.passed) for lens in one.by_lens] == [(3, 1, 0), (2, 0, 1), (0, 1, 0)]
    assert one.by_lens[0].agree_share == 0.75 and one.by_lens[1].agree_share == pytest.approx(2 / 3)
    assert one.group_agreement == pytest.approx(0.4)
    assert one.spread == pytest.approx(0.75 - 2 / 3)
    assert one.summary == "Common ground: most people in every group agree (Lived experience 75%, Staff 67%)."
    assert by_id[2].group_agreement == pytest.approx(4 / 6 * 1 / 5)
    assert by_id[2].summary == (
        "Groups diverge: most of Lived experience agree (75%), but most of Staff disagree (100%)."
    )
    assert by_id[3].group_agreement == 0.0 and by_id[3].spread is None
    assert by_id[4].spread == pytest.approx(0.5 - 1 / 3)
    assert by_id[4].summary == "No clear view: no group has a clear majority either way."
    assert [s.statement_id for s in result.common_ground] == [1]
    assert [s.statement_id for s in result.divergent] == [2]


@pytest.mark.parametrize(
    ("impact", "effort", "expected"),
    [(5, 1, "Quick wins"), (3, 3, "Quick wins"), (4, 4, "Big projects"), (2, 2, "Small tweaks"), (1, 5, "Think again")],
)
def test_quadrants(impact: float, effort: float, expected: str) -> None:
    assert voting.quadrant(impact, effort) == expected


def test_grid_keeps_placed_ideas_and_dots_only_where_revealed(engine: Engine) -> None:
    rnd, ideas = voting_round(engine)
    voting.set_dots(engine, rnd.id, ideas[0].id, PHONE_A, 2)
    voting.place_ideas(engine, {ideas[0].id: (5, 2), ideas[1].id: (2, 4)})
    grid = voting.load_grid(engine, rnd.workshop_id)
    assert [(p.idea_id, p.quadrant, p.dots) for p in grid] == [
        (ideas[0].id, "Quick wins", None),
        (ideas[1].id, "Think again", None),
    ]
    voting.set_revealed(engine, rnd.id)
    assert [p.dots for p in voting.load_grid(engine, rnd.workshop_id)] == [2, 0]
    voting.place_ideas(engine, {ideas[1].id: (None, None)})
    assert len(voting.load_report(engine, rnd.workshop_id).grid) == 1


@pytest.mark.parametrize("placement", [(0, 3), (3, 6), (3, None)])
def test_grid_refuses_bad_placements(engine: Engine, placement: tuple[float | None, float | None]) -> None:
    _, ideas = voting_round(engine)
    with pytest.raises(ValidationFailed):
        voting.place_ideas(engine, {ideas[0].id: placement})


def test_answers_replace_and_lens_follows_the_device(engine: Engine) -> None:
    workshop = new_workshop(engine)
    rnd = voting.open_round(engine, workshop.id, "Where do we stand?", kind="agreement")
    [first, second] = voting.add_statements(engine, rnd.id, texts=["One", "Two", "  "])
    voting.answer_statement(engine, first.id, PHONE_A, 1, lens_key="staff")
    voting.answer_statement(engine, first.id, PHONE_A, -1, lens_key="staff")
    voting.answer_statement(engine, second.id, PHONE_A, 0, lens_key="staff")
    assert voting.device_lens(engine, workshop.id, PHONE_A) == "staff"
    voting.set_device_lens(engine, workshop.id, PHONE_A, "carer_family")
    voting.set_revealed(engine, rnd.id)
    result = voting.load_consensus(engine, rnd.id)
    carers = {s.statement_id: s.by_lens[1] for s in result.statements}
    assert (carers[first.id].disagree, carers[second.id].passed) == (1, 1)
    with pytest.raises(ValidationFailed):
        voting.answer_statement(engine, first.id, PHONE_A, 2)
    voting.close_round(engine, rnd.id)
    with pytest.raises(ClosedError):
        voting.answer_statement(engine, first.id, PHONE_A, 1)


# --- charts ----------------------------------------------------------------------------------


def test_charts_draw_and_escape_participant_text() -> None:
    ideas = [
        idea(1, text='<a href="http://x.test">click</a> evening clinic', impact=4.0, effort=2.0),
        idea(2, text="Same words"),
        idea(3, text="Same words"),
    ]
    results = voting.round_results(a_round(), ideas, [voting.Vote(1, "d1", "staff", 2)])
    bar = charts.results_bar(results, {"staff": "Staff"})
    top_label = bar.layout.yaxis.ticktext[-1]
    assert "&lt;a href" in top_label and "<a " not in top_label
    assert list(bar.data[0].x) == [0, 0, 2]  # two ideas with the same words stay two bars
    assert "2 dots from 1 phone" in bar.layout.title.text
    grid = charts.impact_effort_grid(voting.grid_points(ideas, [results]), large=True)
    assert grid.data[0].x == (2.0,) and grid.data[0].customdata == (2,)
    statements = [voting.Statement(1, 1, "Evening <b>clinic</b>", None, None, 0)]
    chart = charts.consensus_chart(
        voting.consensus(a_round("agreement"), statements, answers(1, "staff", agree=2), LENSES)
    )
    assert "&lt;b&gt;clinic&lt;/b&gt;" in chart.layout.yaxis.ticktext[0]
    assert chart.layout.xaxis.ticktext == ("Staff",)  # a lens nobody answered from is left out
    assert [list(row) for row in chart.data[0].text] == [["100% agree<br>0% disagree<br>(2 answers)"]]


@pytest.mark.parametrize(
    ("row", "expected"),
    [
        ({"id": 4, "Impact": 4, "Effort": 2.5}, (4.0, 2.5)),
        ({"id": 4, "Impact": None, "Effort": None}, (None, None)),
        ({"id": 4, "Impact": float("nan"), "Effort": ""}, (None, None)),
    ],
)
def test_grid_editor_rows_become_placements(row: dict[str, object], expected: tuple[object, object]) -> None:
    assert voting.placements_from_table([row]) == {4: expected}


def test_grid_editor_refuses_words() -> None:
    with pytest.raises(ValidationFailed, match="numbers from 1 to 5"):
        voting.placements_from_table([{"id": 1, "Impact": "high", "Effort": 2}])


def test_round_signature_ignores_ideas_while_people_type(engine: Engine) -> None:
    workshop = new_workshop(engine)
    rnd = voting.open_round(engine, workshop.id, "How might we?")
    before = voting.round_signature(engine, workshop.id)
    voting.submit_idea(engine, rnd.id, "An idea", client_submission_id=sid(), device_hash=None)
    assert voting.round_signature(engine, workshop.id) == before == ((rnd.id, "ideas", False, 0, 0),)


def test_round_signature_moves_with_the_round_never_with_the_votes(engine: Engine) -> None:
    rnd, ideas = voting_round(engine)
    before = voting.round_signature(engine, rnd.workshop_id)
    assert before == ((rnd.id, "voting", False, 4, 0),)
    voting.set_dots(engine, rnd.id, ideas[0].id, PHONE_A, 3)
    assert voting.round_signature(engine, rnd.workshop_id) == before
    voting.set_revealed(engine, rnd.id)
    assert voting.round_signature(engine, rnd.workshop_id) == ((rnd.id, "voting", True, 4, 0),)


def test_rounds_on_a_theme_or_a_pain_point(engine: Engine) -> None:
    from codesign.storage.db import write_session
    from codesign.storage.schema import JourneyCellRow, StageRow, ThemeRow

    workshop = new_workshop(engine)
    with write_session(engine) as s:
        stage = s.scalars(select(StageRow).where(StageRow.workshop_id == workshop.id)).first()
        assert stage is not None
        s.add(ThemeRow(workshop_id=workshop.id, label="Waiting without news"))
        s.add(JourneyCellRow(workshop_id=workshop.id, stage_id=stage.id, lane="pain_points", text="No call back"))
        s.add(
            JourneyCellRow(workshop_id=workshop.id, stage_id=stage.id, lane="pain_points", text="x", status="rejected")
        )
        s.add(JourneyCellRow(workshop_id=workshop.id, stage_id=stage.id, lane="doing", text="Rings the GP"))
    topics = voting.list_topics(engine, workshop.id)
    assert [(t.kind, t.label) for t in topics] == [("theme", "Waiting without news"), ("pain_point", "No call back")]
    theme, pain = topics
    on_theme = voting.open_round(engine, workshop.id, theme.suggested_prompt, theme_id=theme.id)
    on_pain = voting.open_round(engine, workshop.id, "How might we call back?", journey_cell_id=pain.id)
    assert on_theme.prompt == "How might we improve: Waiting without news?" and on_theme.theme_id == theme.id
    assert on_pain.journey_cell_id == pain.id
    statement_round = voting.open_round(engine, workshop.id, "Agree?", kind="agreement")
    [statement] = voting.add_statements(engine, statement_round.id, theme_ids=[theme.id])
    assert (statement.text, statement.theme_id) == ("Waiting without news", theme.id)
