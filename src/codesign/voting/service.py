"""Ideas, dot voting and agreement across lenses: the choices the whole room owns.

An **ideas round** asks "How might we...?" about a theme or a pain point. Ideas come from
phones through the same privacy, safeguarding and moderation path as stories. Then each
device spends a budget of dots on the ideas on the wall, several on one idea if it likes,
and can move them until the round closes.

Results stay hidden until the facilitator reveals them, so early leaders do not pull
later votes (a bandwagon). That rule lives here, in the core: ``load_round_results``,
``load_consensus``, ``load_phone`` and ``load_wall`` give no counts per idea or per
statement for a round that has not been revealed, whoever asks.

An **agreement round** asks agree / disagree / pass on statements (theme labels, ideas or
typed text), in the style of Polis, and shows for each lens (people with lived
experience, carers, staff...) where the groups agree and where they diverge.

Pure functions (``round_results``, ``consensus``, ``grid_points``) take data and return
data, so the screens, the wall and the Word report compute the same figures.
"""

from __future__ import annotations

import hashlib
import random
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal

from sqlalchemy import Engine
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from codesign.errors import ClosedError, CodesignError, NotFoundError, ThrottledError, ValidationFailed
from codesign.models import Lens
from codesign.privacy import prepare_text
from codesign.storage import voting as repo
from codesign.storage import workshops as workshops_repo
from codesign.storage.db import read_session, write_session
from codesign.storage.schema import (
    AgreementRow,
    IdeaRow,
    RoundRow,
    StatementRow,
    VoteRow,
    WorkshopRow,
    as_utc,
    utcnow,
)

RoundKind = Literal["ideas", "agreement"]
RoundStatus = Literal["ideas", "voting", "open", "closed"]
ModerationAction = Literal["approve", "hide"]
Verdict = Literal["agree", "disagree", "diverge", "mixed", "too_few"]

DEFAULT_BUDGET = 3
# A budget above a dozen dots turns choosing into spreading; the cap also bounds the
# work one device can make the database do.
MAX_BUDGET = 12
MAX_PROMPT_CHARS = 300
# Long enough for an idea with its reason; short enough to read on the wall.
MAX_IDEA_CHARS = 500
MAX_STATEMENT_CHARS = 300
# Far more than anyone types in one round; stops one phone flooding the moderation queue.
MAX_IDEAS_PER_DEVICE = 20
GRID_MIN, GRID_MAX = 1.0, 5.0
# On the 1-5 grid, an idea on the middle line counts on the hopeful side (worth doing,
# doable): the room placed it there on purpose and can nudge it.
GRID_MIDDLE = 3.0

# Consensus across lenses. One person is not a group's view, so a lens needs this many
# answers on a statement before it counts.
MIN_RESPONSES = 2
# "Most of a group" means this share of everyone in it who answered (passes included, as
# Polis counts them): a clear majority, not a coin toss.
MAJORITY = 0.6
# Groups whose agreement differs by this much (40 points) see the statement differently
# even if neither has a clear majority.
DIVERGENCE = 0.4

UNSTATED_LENS = "Did not say"
QUADRANTS = ("Quick wins", "Big projects", "Small tweaks", "Think again")
VERDICT_TITLES: dict[str, str] = {
    "agree": "Common ground: groups agree",
    "disagree": "Common ground: groups disagree",
    "diverge": "Groups diverge",
    "mixed": "No clear view",
    "too_few": "Too few answers yet",
}
ANSWERS: dict[int, str] = {1: "Agree", -1: "Disagree", 0: "Pass"}


class BudgetExceeded(ValidationFailed):
    """A device tried to place more dots than its budget for the round."""


class ResultsHidden(CodesignError):
    """The round's results have not been revealed to the room yet."""


# --- domain values ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Round:
    """An ideas round (ideas, then dot votes) or an agreement round (agree / disagree / pass)."""

    id: int
    workshop_id: int
    kind: RoundKind
    prompt: str
    status: RoundStatus
    vote_budget: int
    revealed: bool
    theme_id: int | None
    journey_cell_id: int | None
    created_at: datetime

    @property
    def is_closed(self) -> bool:
        return self.status == "closed"

    @property
    def takes_ideas(self) -> bool:
        return self.kind == "ideas" and self.status == "ideas"

    @property
    def takes_votes(self) -> bool:
        return self.kind == "ideas" and self.status == "voting"

    @property
    def takes_answers(self) -> bool:
        return self.kind == "agreement" and self.status == "open"

    @property
    def stage_label(self) -> str:
        """Where the round is, in words for the facilitator."""
        if self.kind == "agreement":
            return "open for answers" if self.status == "open" else "closed"
        return {"ideas": "collecting ideas", "voting": "voting", "closed": "closed"}.get(self.status, self.status)


@dataclass(frozen=True)
class Idea:
    """An idea as stored: de-identified text, its moderation state and its place on the grid."""

    id: int
    round_id: int
    text: str
    lens_key: str | None
    moderation_status: str
    risk_flags: tuple[str, ...]
    risk_reviewed: bool
    privacy_flags: tuple[str, ...]
    from_facilitator: bool
    impact: float | None
    effort: float | None
    created_at: datetime

    @property
    def is_flagged(self) -> bool:
        """Has risk language that no facilitator has reviewed yet."""
        return bool(self.risk_flags) and not self.risk_reviewed

    @property
    def on_wall(self) -> bool:
        """May be shown to the room and voted on."""
        return self.moderation_status == "approved" and not self.is_flagged

    @property
    def placed(self) -> bool:
        return self.impact is not None and self.effort is not None


@dataclass(frozen=True)
class IdeaSubmission:
    """What happened to an idea sent from a phone."""

    idea: Idea
    created: bool
    """False when the same submission had already been stored (a double tap or a resend)."""
    support_needed: bool
    """Risk language was found: show the participant where to find support now."""


@dataclass(frozen=True)
class Vote:
    idea_id: int
    device_hash: str
    lens_key: str | None
    dots: int


@dataclass(frozen=True)
class Ballot:
    """One device's dots in one round."""

    round_id: int
    budget: int
    dots: Mapping[int, int] = field(default_factory=dict)

    @property
    def used(self) -> int:
        return sum(self.dots.values())

    @property
    def remaining(self) -> int:
        return max(self.budget - self.used, 0)

    def on(self, idea_id: int) -> int:
        return self.dots.get(idea_id, 0)


@dataclass(frozen=True)
class IdeaResult:
    idea_id: int
    text: str
    dots: int
    voters: int
    rank: int
    by_lens: Mapping[str | None, int]
    """Dots from each lens (None: the voter did not say)."""


@dataclass(frozen=True)
class RoundResults:
    """The dot-vote count of one round: ideas on the wall, most dots first."""

    round_id: int
    prompt: str
    budget: int
    total_dots: int
    voters: int
    ideas: tuple[IdeaResult, ...]

    def top(self, n: int) -> tuple[IdeaResult, ...]:
        return self.ideas[:n]


@dataclass(frozen=True)
class Progress:
    """What may be shown before the reveal: how many took part, not how the votes fall."""

    round_id: int
    ideas_on_wall: int
    ideas_waiting: int
    voters: int
    dots_cast: int
    answers: int


@dataclass(frozen=True)
class Statement:
    id: int
    round_id: int
    text: str
    idea_id: int | None
    theme_id: int | None
    position: int


@dataclass(frozen=True)
class Agreement:
    statement_id: int
    device_hash: str
    lens_key: str | None
    value: int
    """1 agree, -1 disagree, 0 pass."""


@dataclass(frozen=True)
class LensAgreement:
    """How one group answered one statement."""

    lens_key: str | None
    lens_name: str
    agree: int
    disagree: int
    passed: int

    @property
    def responses(self) -> int:
        return self.agree + self.disagree + self.passed

    @property
    def agree_share(self) -> float:
        return self.agree / self.responses if self.responses else 0.0

    @property
    def disagree_share(self) -> float:
        return self.disagree / self.responses if self.responses else 0.0

    @property
    def pass_share(self) -> float:
        return self.passed / self.responses if self.responses else 0.0

    @property
    def counts(self) -> bool:
        """Enough answers for this group's view to count (and the group is known)."""
        return self.lens_key is not None and self.responses >= MIN_RESPONSES


@dataclass(frozen=True)
class StatementConsensus:
    """Where the groups stand on one statement, in numbers and in plain words."""

    statement_id: int
    text: str
    by_lens: tuple[LensAgreement, ...]
    verdict: Verdict
    group_agreement: float
    """Polis's group-informed consensus: the product over counted groups of (agree + 1) / (answers + 2)."""
    group_disagreement: float
    spread: float | None
    """Largest minus smallest agree share among counted groups (None with fewer than two)."""
    summary: str

    @property
    def responses(self) -> int:
        return sum(lens.responses for lens in self.by_lens)


@dataclass(frozen=True)
class Consensus:
    """An agreement round's statements, with common ground first and divided ones after."""

    round_id: int
    prompt: str
    lenses: tuple[tuple[str | None, str], ...]
    statements: tuple[StatementConsensus, ...]

    @property
    def common_ground(self) -> tuple[StatementConsensus, ...]:
        return tuple(s for s in self.statements if s.verdict in ("agree", "disagree"))

    @property
    def divergent(self) -> tuple[StatementConsensus, ...]:
        return tuple(s for s in self.statements if s.verdict == "diverge")


@dataclass(frozen=True)
class GridPoint:
    """An idea placed on the impact and effort grid."""

    idea_id: int
    round_id: int
    text: str
    impact: float
    effort: float
    dots: int | None
    """Dots it got, if its round's results have been revealed."""
    quadrant: str


@dataclass(frozen=True)
class Topic:
    """Something a round can be about: a theme or a pain point on the journey map."""

    kind: Literal["theme", "pain_point"]
    id: int
    label: str

    @property
    def suggested_prompt(self) -> str:
        return f"How might we improve: {self.label}?"


@dataclass(frozen=True)
class PhoneRound:
    """One round as a phone sees it: never another device's choices before the reveal."""

    round: Round
    ideas: tuple[Idea, ...]
    """Ideas on the wall, in an order of this device's own (not by votes)."""
    my_ideas: tuple[Idea, ...]
    ballot: Ballot | None
    statements: tuple[Statement, ...]
    my_answers: Mapping[int, int]
    results: RoundResults | None
    consensus: Consensus | None


@dataclass(frozen=True)
class WallVotes:
    """What the wall's votes view shows."""

    round: Round | None
    ideas: tuple[Idea, ...]
    statements: tuple[Statement, ...]
    progress: Progress | None
    results: RoundResults | None
    consensus: Consensus | None
    grid: tuple[GridPoint, ...]


@dataclass(frozen=True)
class VotingReport:
    """Everything the Word report needs about ideas and votes, revealed results only."""

    rounds: tuple[Round, ...]
    results: Mapping[int, RoundResults]
    consensus: Mapping[int, Consensus]
    grid: tuple[GridPoint, ...]
    lens_names: Mapping[str, str]


# --- conversions -----------------------------------------------------------------------------


def _round(row: RoundRow) -> Round:
    return Round(
        id=row.id,
        workshop_id=row.workshop_id,
        kind=row.kind,  # type: ignore[arg-type]
        prompt=row.prompt,
        status=row.status,  # type: ignore[arg-type]
        vote_budget=row.vote_budget,
        revealed=row.revealed,
        theme_id=row.theme_id,
        journey_cell_id=row.journey_cell_id,
        created_at=as_utc(row.created_at),
    )


def _idea(row: IdeaRow) -> Idea:
    return Idea(
        id=row.id,
        round_id=row.round_id,
        text=row.text,
        lens_key=row.lens_key,
        moderation_status=row.moderation_status,
        risk_flags=tuple(row.risk_flags or ()),
        risk_reviewed=row.risk_reviewed,
        privacy_flags=tuple(row.privacy_flags or ()),
        from_facilitator=row.device_hash is None,
        impact=row.impact,
        effort=row.effort,
        created_at=as_utc(row.created_at),
    )


def _vote(row: VoteRow) -> Vote:
    return Vote(idea_id=row.idea_id, device_hash=row.device_hash, lens_key=row.lens_key, dots=row.dots)


def _statement(row: StatementRow) -> Statement:
    return Statement(row.id, row.round_id, row.text, row.idea_id, row.theme_id, row.position)


def _agreement(row: AgreementRow) -> Agreement:
    return Agreement(row.statement_id, row.device_hash, row.lens_key, row.value)


# --- pure functions --------------------------------------------------------------------------


def round_results(round_: Round, ideas: Sequence[Idea], votes: Sequence[Vote]) -> RoundResults:
    """Count a round's dots: ideas on the wall only, most dots first (ties: oldest idea first).

    Dots on an idea that was later hidden do not count.

    Args:
        round_: The ideas round.
        ideas: Its ideas (any moderation state; only those on the wall are counted).
        votes: Its votes.

    Returns:
        The results, with dots per idea and per lens and the number of devices that voted.
    """
    shown = [idea for idea in ideas if idea.on_wall and idea.round_id == round_.id]
    shown_ids = {idea.id for idea in shown}
    dots: dict[int, int] = defaultdict(int)
    voters: dict[int, set[str]] = defaultdict(set)
    by_lens: dict[int, dict[str | None, int]] = defaultdict(lambda: defaultdict(int))
    devices: set[str] = set()
    for vote in votes:
        if vote.idea_id not in shown_ids or vote.dots <= 0:
            continue
        dots[vote.idea_id] += vote.dots
        voters[vote.idea_id].add(vote.device_hash)
        by_lens[vote.idea_id][vote.lens_key] += vote.dots
        devices.add(vote.device_hash)
    ordered = sorted(shown, key=lambda idea: (-dots[idea.id], idea.id))
    results: list[IdeaResult] = []
    for position, idea in enumerate(ordered):
        # Equal dots share a rank ("joint 2nd"), so the order of ties carries no meaning.
        rank = results[-1].rank if results and results[-1].dots == dots[idea.id] else position + 1
        results.append(
            IdeaResult(
                idea_id=idea.id,
                text=idea.text,
                dots=dots[idea.id],
                voters=len(voters[idea.id]),
                rank=rank,
                by_lens=dict(by_lens[idea.id]),
            )
        )
    return RoundResults(
        round_id=round_.id,
        prompt=round_.prompt,
        budget=round_.vote_budget,
        total_dots=sum(dots.values()),
        voters=len(devices),
        ideas=tuple(results),
    )


def _lens_pairs(lenses: Sequence[Lens]) -> list[tuple[str | None, str]]:
    return [(lens.key, lens.name) for lens in lenses]


def consensus(
    round_: Round, statements: Sequence[Statement], agreements: Sequence[Agreement], lenses: Sequence[Lens]
) -> Consensus:
    """Where the groups (lenses) agree and where they diverge, statement by statement.

    For each statement and lens: the shares who agree, disagree and pass. A lens counts
    when it has at least ``MIN_RESPONSES`` answers. The verdict:

    - ``agree``: in every counted lens at least ``MAJORITY`` agree (common ground);
    - ``disagree``: in every counted lens at least ``MAJORITY`` disagree;
    - ``diverge``: one lens mostly agrees while another mostly disagrees, or the agree
      shares of two lenses are ``DIVERGENCE`` or more apart;
    - ``mixed``: none of these; ``too_few``: fewer than two lenses count.

    ``group_agreement`` is Polis's group-informed consensus: the product over counted lenses
    of (agree + 1) / (answers + 2). It is high only when every group agrees, and orders the
    statements (common ground first).

    Args:
        round_: The agreement round.
        statements: Its statements.
        agreements: Every answer to them.
        lenses: The workshop's lenses, in order; answers with no lens form a "did not say" group
            that is shown but never counted.

    Returns:
        The consensus, statements ordered by verdict then group agreement.
    """
    lens_list = _lens_pairs(lenses)
    known = {key for key, _ in lens_list}
    tallies: dict[int, dict[str | None, list[int]]] = defaultdict(lambda: defaultdict(lambda: [0, 0, 0]))
    for answer in agreements:
        lens_key = answer.lens_key if answer.lens_key in known else None
        slot = {1: 0, -1: 1, 0: 2}.get(answer.value)
        if slot is not None:
            tallies[answer.statement_id][lens_key][slot] += 1
    unstated_used = any(None in per_lens for per_lens in tallies.values())
    columns = lens_list + ([(None, UNSTATED_LENS)] if unstated_used else [])
    rows = [_statement_consensus(statement, tallies[statement.id], columns) for statement in statements]
    order = {"agree": 0, "disagree": 1, "diverge": 2, "mixed": 3, "too_few": 4}
    rows.sort(key=lambda row: (order[row.verdict], -row.group_agreement, row.statement_id))
    return Consensus(round_id=round_.id, prompt=round_.prompt, lenses=tuple(columns), statements=tuple(rows))


def _statement_consensus(
    statement: Statement, tally: Mapping[str | None, list[int]], columns: Sequence[tuple[str | None, str]]
) -> StatementConsensus:
    by_lens = tuple(LensAgreement(key, name, *tally.get(key, [0, 0, 0])) for key, name in columns)
    counted = [lens for lens in by_lens if lens.counts]
    group_agreement = group_disagreement = 0.0
    spread: float | None = None
    if counted:
        group_agreement = group_disagreement = 1.0
        for lens in counted:
            group_agreement *= (lens.agree + 1) / (lens.responses + 2)
            group_disagreement *= (lens.disagree + 1) / (lens.responses + 2)
    verdict: Verdict
    if len(counted) < 2:
        verdict = "too_few"
    else:
        shares = [lens.agree_share for lens in counted]
        spread = max(shares) - min(shares)
        if all(lens.agree_share >= MAJORITY for lens in counted):
            verdict = "agree"
        elif all(lens.disagree_share >= MAJORITY for lens in counted):
            verdict = "disagree"
        elif (
            any(lens.agree_share >= MAJORITY for lens in counted)
            and any(lens.disagree_share >= MAJORITY for lens in counted)
        ) or spread >= DIVERGENCE - 1e-9:
            verdict = "diverge"
        else:
            verdict = "mixed"
    return StatementConsensus(
        statement_id=statement.id,
        text=statement.text,
        by_lens=by_lens,
        verdict=verdict,
        group_agreement=group_agreement if len(counted) >= 2 else 0.0,
        group_disagreement=group_disagreement if len(counted) >= 2 else 0.0,
        spread=spread,
        summary=_summary(verdict, counted),
    )


def _pct(share: float) -> str:
    return f"{round(share * 100)}%"


def _summary(verdict: Verdict, counted: Sequence[LensAgreement]) -> str:
    """The verdict in plain words, naming the groups and their shares."""
    if verdict == "too_few":
        return "Too few answers yet to compare groups: at least two groups need two answers each."
    if verdict == "agree":
        parts = ", ".join(f"{lens.lens_name} {_pct(lens.agree_share)}" for lens in counted)
        return f"Common ground: most people in every group agree ({parts})."
    if verdict == "disagree":
        parts = ", ".join(f"{lens.lens_name} {_pct(lens.disagree_share)}" for lens in counted)
        return f"Common ground: most people in every group disagree ({parts})."
    if verdict == "diverge":
        most = max(counted, key=lambda lens: (lens.agree_share, -lens.disagree_share))
        least = min(counted, key=lambda lens: (lens.agree_share, -lens.disagree_share))
        if least.disagree_share >= MAJORITY:
            return (
                f"Groups diverge: most of {most.lens_name} agree ({_pct(most.agree_share)}), "
                f"but most of {least.lens_name} disagree ({_pct(least.disagree_share)})."
            )
        return (
            f"Groups diverge: {most.lens_name} agree far more ({_pct(most.agree_share)}) "
            f"than {least.lens_name} ({_pct(least.agree_share)})."
        )
    return "No clear view: no group has a clear majority either way."


def quadrant(impact: float, effort: float) -> str:
    """The impact and effort grid's quadrant for a placement on the 1-5 scales."""
    high_impact = impact >= GRID_MIDDLE
    low_effort = effort <= GRID_MIDDLE
    if high_impact and low_effort:
        return QUADRANTS[0]
    if high_impact:
        return QUADRANTS[1]
    if low_effort:
        return QUADRANTS[2]
    return QUADRANTS[3]


def grid_points(ideas: Sequence[Idea], results: Iterable[RoundResults] = ()) -> tuple[GridPoint, ...]:
    """The ideas placed on the impact and effort grid, with their dots where revealed.

    Args:
        ideas: Ideas, any round; those on the wall and placed on both scales are kept.
        results: Revealed results of their rounds (dots are left out for others).

    Returns:
        One point per placed idea, highest impact first.
    """
    dots = {item.idea_id: item.dots for result in results for item in result.ideas}
    points = [
        GridPoint(
            idea_id=idea.id,
            round_id=idea.round_id,
            text=idea.text,
            impact=float(idea.impact),
            effort=float(idea.effort),
            dots=dots.get(idea.id),
            quadrant=quadrant(float(idea.impact), float(idea.effort)),
        )
        for idea in ideas
        if idea.on_wall and idea.impact is not None and idea.effort is not None
    ]
    points.sort(key=lambda p: (-p.impact, p.effort, p.idea_id))
    return tuple(points)


def device_order(ideas: Sequence[Idea], device_hash: str) -> tuple[Idea, ...]:
    """Ideas in an order of this device's own: stable across reloads, unrelated to votes.

    Everyone seeing the same list top to bottom favours the first ideas; a per-device
    shuffle spreads that out and says nothing about how others voted.
    """
    seed = int(hashlib.sha256(device_hash.encode()).hexdigest()[:16], 16)
    shuffled = sorted(ideas, key=lambda idea: idea.id)
    random.Random(seed).shuffle(shuffled)
    return tuple(shuffled)


# --- rounds ----------------------------------------------------------------------------------


def _clean_prompt(prompt: str) -> str:
    text = " ".join(prompt.split())
    if not text:
        raise ValidationFailed('Write the question for the round, for example "How might we ...?"')
    if len(text) > MAX_PROMPT_CHARS:
        raise ValidationFailed(f"The question is too long: keep it under {MAX_PROMPT_CHARS} characters.")
    return text


def open_round(
    engine: Engine,
    workshop_id: int,
    prompt: str,
    *,
    kind: RoundKind = "ideas",
    theme_id: int | None = None,
    journey_cell_id: int | None = None,
    vote_budget: int | None = None,
) -> Round:
    """Open a round: an ideas round starts by collecting ideas, an agreement round takes answers.

    Args:
        engine: The database.
        workshop_id: The workshop.
        prompt: The question, such as "How might we make the first phone call easier?".
        kind: "ideas" or "agreement".
        theme_id: The theme it is about, if any.
        journey_cell_id: The pain point on the journey map it is about, if any.
        vote_budget: Dots per device; default the workshop's ``vote_budget`` setting (3).

    Raises:
        ValidationFailed: For an empty or long prompt, or a budget out of range.
        ClosedError: If the workshop is closed.
    """
    text = _clean_prompt(prompt)
    if kind not in ("ideas", "agreement"):
        raise ValidationFailed("A round is either an ideas round or an agreement round.")
    with write_session(engine) as s:
        workshop = s.get(WorkshopRow, workshop_id)
        if workshop is None:
            raise NotFoundError("That workshop no longer exists.")
        if workshop.status != "open":
            raise ClosedError("This workshop is closed: reopen it to start a round.")
        budget = vote_budget if vote_budget is not None else (workshop.settings or {}).get("vote_budget")
        budget = int(budget) if budget is not None else DEFAULT_BUDGET
        if not 1 <= budget <= MAX_BUDGET:
            raise ValidationFailed(f"Give each phone between 1 and {MAX_BUDGET} dots.")
        row = RoundRow(
            workshop_id=workshop_id,
            kind=kind,
            prompt=text,
            theme_id=theme_id,
            journey_cell_id=journey_cell_id,
            status="ideas" if kind == "ideas" else "open",
            vote_budget=budget,
            revealed=False,
        )
        s.add(row)
        s.flush()
        workshops_repo.add_audit(s, workshop_id, "facilitator", f"{kind}_round_opened", "round", row.id)
        return _round(row)


def _locked_round(s: Session, round_id: int) -> RoundRow:
    row = repo.lock_round(s, round_id)
    if row is None:
        raise NotFoundError("That round no longer exists.")
    return row


def _change_round(engine: Engine, round_id: int, action: str, **changes: object) -> Round:
    with write_session(engine) as s:
        row = _locked_round(s, round_id)
        for name, value in changes.items():
            setattr(row, name, value)
        workshops_repo.add_audit(s, row.workshop_id, "facilitator", action, "round", row.id)
        return _round(row)


def start_voting(engine: Engine, round_id: int) -> Round:
    """Stop taking ideas and start the dot vote.

    Raises:
        ValidationFailed: If the round is not an ideas round collecting ideas.
    """
    current = get_round(engine, round_id)
    if not current.takes_ideas:
        raise ValidationFailed("Voting can start only on an ideas round that is still collecting ideas.")
    return _change_round(engine, round_id, "voting_started", status="voting")


def close_round(engine: Engine, round_id: int) -> Round:
    """Close a round: no more ideas, dots or answers; the results stay as they are."""
    return _change_round(engine, round_id, "round_closed", status="closed")


def reopen_round(engine: Engine, round_id: int) -> Round:
    """Undo a close: an ideas round goes back to voting, an agreement round to taking answers."""
    current = get_round(engine, round_id)
    status = "voting" if current.kind == "ideas" else "open"
    return _change_round(engine, round_id, "round_reopened", status=status)


def set_revealed(engine: Engine, round_id: int, revealed: bool = True) -> Round:
    """Reveal a round's results to the room (phones and the wall), or hide them again."""
    return _change_round(engine, round_id, "results_revealed" if revealed else "results_hidden", revealed=revealed)


def get_round(engine: Engine, round_id: int) -> Round:
    with read_session(engine) as s:
        row = s.get(RoundRow, round_id)
        if row is None:
            raise NotFoundError("That round no longer exists.")
        return _round(row)


def list_rounds(engine: Engine, workshop_id: int) -> list[Round]:
    """A workshop's rounds, newest first."""
    with read_session(engine) as s:
        return [_round(row) for row in repo.round_rows(s, workshop_id)]


def list_topics(engine: Engine, workshop_id: int) -> list[Topic]:
    """Themes, then pain points on the journey map, that a round can be about."""
    with read_session(engine) as s:
        themes = [Topic("theme", i, label) for i, label in repo.theme_labels(s, workshop_id)]
        pains = [Topic("pain_point", i, text) for i, text in repo.pain_points(s, workshop_id)]
    return themes + pains


# --- ideas -----------------------------------------------------------------------------------


def submit_idea(
    engine: Engine,
    round_id: int,
    text: str,
    *,
    client_submission_id: str,
    device_hash: str | None,
    lens_key: str | None = None,
    vocabulary: Iterable[str] = (),
) -> IdeaSubmission:
    """Store an idea from a phone (or from the facilitator, with no device).

    The text goes through ``privacy.prepare_text`` like a story's: identifying details are
    replaced before anything is stored. An idea waits for the facilitator when the workshop
    pre-moderates, and always when it has risk language; the facilitator's own ideas go
    straight to the wall. Sending the same submission twice stores one idea.

    Args:
        engine: The database.
        round_id: The ideas round.
        text: What the participant typed.
        client_submission_id: A random id the phone made for this idea (a resend reuses it).
        device_hash: The phone's hashed device token; None for the facilitator.
        lens_key: The participant's lens, if they gave one.
        vocabulary: Service and place names that are not personal names (from the kit).

    Raises:
        ValidationFailed: For empty or long text or a missing submission id.
        ClosedError: If the round is not taking ideas or the workshop is closed.
        ThrottledError: If one phone has sent too many ideas in the round.
    """
    submission = client_submission_id.strip()
    if not submission or len(submission) > 64:
        raise ValidationFailed("Something went wrong sending your idea. Please try again.")
    prepared = prepare_text(text, vocabulary)
    if not prepared.text:
        raise ValidationFailed("Write your idea before sending it.")
    if len(prepared.text) > MAX_IDEA_CHARS:
        raise ValidationFailed(f"Your idea is a little long: keep it under {MAX_IDEA_CHARS} characters.")
    try:
        with write_session(engine) as s:
            rnd = _locked_round(s, round_id)
            existing = repo.idea_by_submission(s, rnd.workshop_id, submission)
            if existing is not None:
                return _resent(existing, device_hash)
            workshop = s.get(WorkshopRow, rnd.workshop_id)
            if workshop is None or workshop.status != "open":
                raise ClosedError("This workshop is closed, so it is not taking new ideas. Thank you for taking part.")
            if not _round(rnd).takes_ideas:
                raise ClosedError("This round is not taking new ideas now.")
            if device_hash is not None and repo.count_device_ideas(s, round_id, device_hash) >= MAX_IDEAS_PER_DEVICE:
                raise ThrottledError("Thank you for all your ideas! That's the most one phone can add in a round.")
            premoderation = bool((workshop.settings or {}).get("premoderation", True))
            by_facilitator = device_hash is None
            waits = prepared.has_risk or (premoderation and not by_facilitator)
            row = IdeaRow(
                workshop_id=rnd.workshop_id,
                round_id=round_id,
                text=prepared.text,
                lens_key=lens_key,
                moderation_status="pending" if waits else "approved",
                risk_flags=list(prepared.risk_flags),
                risk_reviewed=False,
                privacy_flags=[*prepared.redactions, *(f"possible name: {n}" for n in prepared.name_flags)],
                client_submission_id=submission,
                device_hash=device_hash,
            )
            s.add(row)
            s.flush()
            if prepared.has_risk:
                workshops_repo.add_audit(s, rnd.workshop_id, "system", "idea_risk_flagged", "idea", row.id)
            return IdeaSubmission(_idea(row), created=True, support_needed=prepared.has_risk)
    except IntegrityError:
        # Two sends of one submission raced (PostgreSQL): the other one stored it.
        with read_session(engine) as s:
            rnd_row = s.get(RoundRow, round_id)
            existing = repo.idea_by_submission(s, rnd_row.workshop_id, submission) if rnd_row else None
            if existing is None:
                raise
            return _resent(existing, device_hash)


def _resent(row: IdeaRow, device_hash: str | None) -> IdeaSubmission:
    if row.device_hash != device_hash:
        # Another phone's submission id: never hand back someone else's idea.
        raise ValidationFailed("Something went wrong sending your idea. Please try again.")
    return IdeaSubmission(_idea(row), created=False, support_needed=bool(row.risk_flags))


def list_ideas(engine: Engine, round_id: int) -> list[Idea]:
    """Every idea of a round, any moderation state (for the facilitator), oldest first."""
    with read_session(engine) as s:
        return [_idea(row) for row in repo.idea_rows(s, [round_id])]


def moderate_idea(engine: Engine, idea_id: int, action: ModerationAction) -> Idea:
    """Approve an idea (which also marks any risk language as reviewed) or hide it.

    Hiding an idea gives its dots back to the phones' budgets (and they stay given back if
    the idea is approved again).
    """
    if action not in ("approve", "hide"):
        raise ValidationFailed("Choose approve or hide.")
    with write_session(engine) as s:
        row = s.get(IdeaRow, idea_id)
        if row is None:
            raise NotFoundError("That idea no longer exists.")
        # Queue behind votes in flight, so none lands on the idea after its dots are given back.
        _locked_round(s, row.round_id)
        if action == "approve":
            row.moderation_status = "approved"
            row.risk_reviewed = True
        else:
            row.moderation_status = "hidden"
            # The dots go back to the phones for good: restoring the idea later must not
            # push a phone that has re-spent them over its budget.
            repo.delete_idea_votes(s, row.id)
        workshops_repo.add_audit(s, row.workshop_id, "facilitator", f"idea_{action}d", "idea", row.id)
        return _idea(row)


def place_ideas(engine: Engine, placements: Mapping[int, tuple[float | None, float | None]]) -> list[Idea]:
    """Place ideas on the impact and effort grid (1-5 each), or take them off with None.

    Args:
        engine: The database.
        placements: Idea id -> (impact, effort).

    Raises:
        ValidationFailed: If a value is outside 1 to 5, or only one of the two is given.
    """
    for impact, effort in placements.values():
        if (impact is None) != (effort is None):
            raise ValidationFailed("Give an idea both an impact and an effort, or neither.")
        for value in (impact, effort):
            if value is not None and not GRID_MIN <= float(value) <= GRID_MAX:
                raise ValidationFailed("Impact and effort go from 1 (low) to 5 (high).")
    placed: list[Idea] = []
    with write_session(engine) as s:
        for idea_id, (impact, effort) in placements.items():
            row = s.get(IdeaRow, idea_id)
            if row is None:
                raise NotFoundError("That idea no longer exists.")
            row.impact = None if impact is None else float(impact)
            row.effort = None if effort is None else float(effort)
            placed.append(_idea(row))
        if placed:
            workshop_id = s.get(IdeaRow, placed[0].id).workshop_id  # type: ignore[union-attr]
            workshops_repo.add_audit(s, workshop_id, "facilitator", "ideas_placed", "idea", None, str(len(placed)))
    return placed


# --- dot votes -------------------------------------------------------------------------------


def _ballot(s: Session, rnd: RoundRow, device_hash: str) -> Ballot:
    rows = repo.device_vote_rows(s, rnd.id, device_hash)
    ideas = {row.id: _idea(row) for row in repo.idea_rows(s, [rnd.id])}
    dots = {v.idea_id: v.dots for v in rows if v.dots > 0 and v.idea_id in ideas and ideas[v.idea_id].on_wall}
    return Ballot(round_id=rnd.id, budget=rnd.vote_budget, dots=dots)


def set_dots(
    engine: Engine, round_id: int, idea_id: int, device_hash: str, dots: int, *, lens_key: str | None = None
) -> Ballot:
    """Put exactly ``dots`` of this device's dots on one idea (0 takes them all back).

    Absolute, not "one more": a double tap sends the same number twice and changes nothing
    the second time. The budget is checked and the vote written in one transaction that
    holds the round's lock, so no interleaving of phones or taps can overspend it.

    Raises:
        BudgetExceeded: If the device's dots on the round's ideas would exceed its budget.
        ClosedError: If the round is not voting (or the workshop is closed).
        NotFoundError: If the idea is not on the wall in this round.
        ValidationFailed: For a negative number.
    """
    if dots < 0:
        raise ValidationFailed("Dots cannot be negative.")
    with write_session(engine) as s:
        rnd = _locked_round(s, round_id)
        workshop = s.get(WorkshopRow, rnd.workshop_id)
        if workshop is None or workshop.status != "open":
            raise ClosedError("This workshop is closed, so voting has ended. Thank you for taking part.")
        if not _round(rnd).takes_votes:
            raise ClosedError("Voting is not open for this round.")
        idea = s.get(IdeaRow, idea_id)
        if idea is None or idea.round_id != round_id or not _idea(idea).on_wall:
            raise NotFoundError("That idea is not up for voting any more.")
        ballot = _ballot(s, rnd, device_hash)
        elsewhere = ballot.used - ballot.on(idea_id)
        if elsewhere + dots > rnd.vote_budget:
            left = rnd.vote_budget - elsewhere
            raise BudgetExceeded(
                f"You have {rnd.vote_budget} dots in this round and {max(left, 0)} free for this idea. "
                "Take a dot off another idea first."
            )
        row = repo.vote_row(s, idea_id, device_hash)
        if dots == 0:
            if row is not None:
                repo.delete_vote(s, idea_id, device_hash)
        elif row is None:
            s.add(VoteRow(round_id=round_id, idea_id=idea_id, device_hash=device_hash, lens_key=lens_key, dots=dots))
        else:
            row.dots = dots
            row.lens_key = lens_key
            row.updated_at = utcnow()
        new_dots = {k: v for k, v in ballot.dots.items() if k != idea_id}
        if dots:
            new_dots[idea_id] = dots
        return Ballot(round_id=round_id, budget=rnd.vote_budget, dots=new_dots)


def get_ballot(engine: Engine, round_id: int, device_hash: str) -> Ballot:
    """This device's own dots in a round (never anyone else's)."""
    with read_session(engine) as s:
        rnd = s.get(RoundRow, round_id)
        if rnd is None:
            raise NotFoundError("That round no longer exists.")
        return _ballot(s, rnd, device_hash)


def get_progress(engine: Engine, round_id: int) -> Progress:
    """Participation so far, safe to show before the reveal."""
    with read_session(engine) as s:
        return _progress(s, round_id)


def _progress(s: Session, round_id: int) -> Progress:
    ideas = [_idea(row) for row in repo.idea_rows(s, [round_id])]
    on_wall = {idea.id for idea in ideas if idea.on_wall}
    votes = [v for v in repo.vote_rows(s, [round_id]) if v.idea_id in on_wall and v.dots > 0]
    statements = repo.statement_rows(s, [round_id])
    answers = repo.agreement_rows(s, [st.id for st in statements])
    return Progress(
        round_id=round_id,
        ideas_on_wall=len(on_wall),
        ideas_waiting=sum(1 for idea in ideas if idea.moderation_status == "pending"),
        voters=len({v.device_hash for v in votes} | {a.device_hash for a in answers}),
        dots_cast=sum(v.dots for v in votes),
        answers=len(answers),
    )


def load_round_results(engine: Engine, round_id: int) -> RoundResults:
    """A round's dot-vote results, once revealed.

    Raises:
        ResultsHidden: If the facilitator has not revealed them (whoever asks).
    """
    with read_session(engine) as s:
        rnd = s.get(RoundRow, round_id)
        if rnd is None:
            raise NotFoundError("That round no longer exists.")
        return _results(s, rnd)


def _results(s: Session, rnd: RoundRow) -> RoundResults:
    if not rnd.revealed:
        raise ResultsHidden("The results of this round have not been revealed yet.")
    ideas = [_idea(row) for row in repo.idea_rows(s, [rnd.id])]
    votes = [_vote(row) for row in repo.vote_rows(s, [rnd.id])]
    return round_results(_round(rnd), ideas, votes)


# --- lenses ----------------------------------------------------------------------------------


def device_lens(engine: Engine, workshop_id: int, device_hash: str) -> str | None:
    """The lens this phone gave last (on a vote, an answer or a story), if any."""
    with read_session(engine) as s:
        return repo.latest_device_lens(s, workshop_id, device_hash)


def set_device_lens(engine: Engine, workshop_id: int, device_hash: str, lens_key: str | None) -> None:
    """Change this phone's lens on all its votes and answers in the workshop.

    Raises:
        ValidationFailed: If the lens is not one of the workshop's.
    """
    if lens_key is not None and lens_key not in {lens.key for lens in workshops_repo.list_lenses(engine, workshop_id)}:
        raise ValidationFailed("Choose one of the groups in the list.")
    with write_session(engine) as s:
        repo.relabel_device(s, workshop_id, device_hash, lens_key)


# --- agreement rounds ------------------------------------------------------------------------


def add_statements(
    engine: Engine,
    round_id: int,
    *,
    texts: Sequence[str] = (),
    idea_ids: Sequence[int] = (),
    theme_ids: Sequence[int] = (),
) -> list[Statement]:
    """Add statements to an agreement round: typed, from ideas on the wall, or from theme labels.

    Raises:
        ValidationFailed: For an empty or long statement, or a round that is not an agreement round.
        ClosedError: If the round is closed.
    """
    cleaned: list[str] = []
    for raw in texts:
        prepared = prepare_text(raw)
        if not prepared.text:
            continue
        if len(prepared.text) > MAX_STATEMENT_CHARS:
            raise ValidationFailed(f"Keep each statement under {MAX_STATEMENT_CHARS} characters.")
        cleaned.append(prepared.text)
    added: list[Statement] = []
    with write_session(engine) as s:
        rnd = _locked_round(s, round_id)
        if rnd.kind != "agreement":
            raise ValidationFailed("Statements belong to agreement rounds.")
        if rnd.status == "closed":
            raise ClosedError("This round is closed.")
        position = repo.next_statement_position(s, round_id)
        items: list[tuple[str, int | None, int | None]] = [(text, None, None) for text in cleaned]
        for idea_id in idea_ids:
            idea = s.get(IdeaRow, idea_id)
            if idea is None or idea.workshop_id != rnd.workshop_id or not _idea(idea).on_wall:
                raise NotFoundError("That idea is not on the wall.")
            items.append((idea.text[:MAX_STATEMENT_CHARS], idea.id, None))
        labels = dict(repo.theme_labels(s, rnd.workshop_id))
        for theme_id in theme_ids:
            if theme_id not in labels:
                raise NotFoundError("That theme no longer exists.")
            items.append((labels[theme_id][:MAX_STATEMENT_CHARS], None, theme_id))
        for text, from_idea, from_theme in items:
            row = StatementRow(round_id=round_id, text=text, idea_id=from_idea, theme_id=from_theme, position=position)
            position += 1
            s.add(row)
            s.flush()
            added.append(_statement(row))
        if added:
            workshops_repo.add_audit(
                s, rnd.workshop_id, "facilitator", "statements_added", "round", rnd.id, str(len(added))
            )
    return added


def list_statements(engine: Engine, round_id: int) -> list[Statement]:
    with read_session(engine) as s:
        return [_statement(row) for row in repo.statement_rows(s, [round_id])]


def answer_statement(
    engine: Engine, statement_id: int, device_hash: str, value: int, *, lens_key: str | None = None
) -> int:
    """Record this device's agree (1), disagree (-1) or pass (0); a new answer replaces the old.

    Raises:
        ClosedError: If the round is not taking answers.
        ValidationFailed: For any other value.
    """
    if value not in ANSWERS:
        raise ValidationFailed("Choose agree, disagree or pass.")
    with write_session(engine) as s:
        statement = s.get(StatementRow, statement_id)
        if statement is None:
            raise NotFoundError("That statement no longer exists.")
        rnd = _locked_round(s, statement.round_id)
        workshop = s.get(WorkshopRow, rnd.workshop_id)
        if workshop is None or workshop.status != "open" or not _round(rnd).takes_answers:
            raise ClosedError("This round is not taking answers now.")
        row = repo.agreement_row(s, statement_id, device_hash)
        if row is None:
            s.add(AgreementRow(statement_id=statement_id, device_hash=device_hash, lens_key=lens_key, value=value))
        else:
            row.value = value
            row.lens_key = lens_key
            row.updated_at = utcnow()
        return value


def load_consensus(engine: Engine, round_id: int) -> Consensus:
    """An agreement round's consensus across lenses, once revealed.

    Raises:
        ResultsHidden: If the facilitator has not revealed it.
    """
    with read_session(engine) as s:
        rnd = s.get(RoundRow, round_id)
        if rnd is None:
            raise NotFoundError("That round no longer exists.")
        return _consensus(s, rnd, workshops_repo.list_lenses(engine, rnd.workshop_id))


def _consensus(s: Session, rnd: RoundRow, lenses: Sequence[Lens]) -> Consensus:
    if not rnd.revealed:
        raise ResultsHidden("The results of this round have not been revealed yet.")
    statements = [_statement(row) for row in repo.statement_rows(s, [rnd.id])]
    answers = [_agreement(row) for row in repo.agreement_rows(s, [st.id for st in statements])]
    return consensus(_round(rnd), statements, answers, lenses)


# --- what each screen gets -------------------------------------------------------------------

# A phone shows the rounds that are running, and revealed ones just after; older rounds
# would only make the page longer.
PHONE_ROUNDS = 3


def load_phone(engine: Engine, workshop_id: int, device_hash: str) -> tuple[PhoneRound, ...]:
    """The rounds a phone shows, newest first, holding only what this device may see.

    Open rounds come with the ideas on the wall (in this device's own order), its own ideas,
    its own dots or answers; revealed rounds also with their results. Nothing about other
    devices' votes before the reveal.
    """
    lenses = workshops_repo.list_lenses(engine, workshop_id)
    out: list[PhoneRound] = []
    with read_session(engine) as s:
        rows = [row for row in repo.round_rows(s, workshop_id) if row.status != "closed" or row.revealed]
        for rnd in rows[:PHONE_ROUNDS]:
            raw_rows = repo.idea_rows(s, [rnd.id])
            ideas = [_idea(row) for row in raw_rows]
            statements = [_statement(row) for row in repo.statement_rows(s, [rnd.id])]
            mine = {
                row.statement_id: row.value
                for row in repo.agreement_rows(s, [st.id for st in statements])
                if row.device_hash == device_hash
            }
            own = tuple(_idea(r) for r in raw_rows if r.device_hash == device_hash)
            out.append(
                PhoneRound(
                    round=_round(rnd),
                    ideas=device_order([i for i in ideas if i.on_wall], device_hash),
                    my_ideas=own,
                    ballot=_ballot(s, rnd, device_hash) if rnd.kind == "ideas" else None,
                    statements=tuple(statements),
                    my_answers=mine,
                    results=_results(s, rnd) if rnd.revealed and rnd.kind == "ideas" else None,
                    consensus=_consensus(s, rnd, lenses) if rnd.revealed and rnd.kind == "agreement" else None,
                )
            )
    return tuple(out)


def round_signature(engine: Engine, workshop_id: int) -> tuple[tuple[int, str, bool, int, int], ...]:
    """A cheap fingerprint of what phones show: each round's stage, reveal, ideas on the wall and statements.

    A phone polls it and redraws only when it changes. It carries no counts of votes or
    answers, so polling it tells nothing before the reveal.
    """
    with read_session(engine) as s:
        rows = repo.round_rows(s, workshop_id)[:PHONE_ROUNDS]
        ids = [r.id for r in rows]
        shown: dict[int, int] = defaultdict(int)
        for row in repo.idea_rows(s, ids):
            if _idea(row).on_wall:
                shown[row.round_id] += 1
        statements: dict[int, int] = defaultdict(int)
        for statement in repo.statement_rows(s, ids):
            statements[statement.round_id] += 1
        # Ideas on the wall matter to a phone only while it votes; counting them while people
        # type would redraw the idea form under their thumbs each time one is approved.
        return tuple(
            (r.id, r.status, r.revealed, shown[r.id] if r.status == "voting" else 0, statements[r.id]) for r in rows
        )


def load_wall(engine: Engine, workshop_id: int, round_id: int | None = None) -> WallVotes:
    """What the wall's votes view shows: a round (default: the newest), and the grid.

    Counts per idea or statement are included only once the round is revealed.
    """
    lenses = workshops_repo.list_lenses(engine, workshop_id)
    with read_session(engine) as s:
        rows = repo.round_rows(s, workshop_id)
        rnd = next((r for r in rows if r.id == round_id), None) if round_id is not None else None
        if rnd is None and rows:
            rnd = next((r for r in rows if r.status != "closed"), rows[0])
        grid = _grid(s, workshop_id, rows)
        if rnd is None:
            return WallVotes(None, (), (), None, None, None, grid)
        ideas = tuple(i for i in (_idea(r) for r in repo.idea_rows(s, [rnd.id])) if i.on_wall)
        return WallVotes(
            round=_round(rnd),
            ideas=ideas,
            statements=tuple(_statement(r) for r in repo.statement_rows(s, [rnd.id])),
            progress=_progress(s, rnd.id),
            results=_results(s, rnd) if rnd.revealed and rnd.kind == "ideas" else None,
            consensus=_consensus(s, rnd, lenses) if rnd.revealed and rnd.kind == "agreement" else None,
            grid=grid,
        )


def _grid(s: Session, workshop_id: int, rows: Sequence[RoundRow]) -> tuple[GridPoint, ...]:
    ideas = [_idea(r) for r in repo.workshop_idea_rows(s, workshop_id)]
    placed_rounds = {idea.round_id for idea in ideas if idea.placed}
    revealed = [_results(s, r) for r in rows if r.revealed and r.kind == "ideas" and r.id in placed_rounds]
    return grid_points(ideas, revealed)


def load_grid(engine: Engine, workshop_id: int) -> tuple[GridPoint, ...]:
    """Ideas placed on the impact and effort grid, with dots from revealed rounds."""
    with read_session(engine) as s:
        return _grid(s, workshop_id, repo.round_rows(s, workshop_id))


def load_report(engine: Engine, workshop_id: int) -> VotingReport:
    """Every round, revealed results and consensus, and the grid: what the Word report shows."""
    lenses = workshops_repo.list_lenses(engine, workshop_id)
    with read_session(engine) as s:
        rows = repo.round_rows(s, workshop_id)
        results = {r.id: _results(s, r) for r in rows if r.revealed and r.kind == "ideas"}
        agreed = {r.id: _consensus(s, r, lenses) for r in rows if r.revealed and r.kind == "agreement"}
        return VotingReport(
            rounds=tuple(_round(r) for r in reversed(rows)),
            results=results,
            consensus=agreed,
            grid=_grid(s, workshop_id, rows),
            lens_names={lens.key: lens.name for lens in lenses},
        )


def lens_names(engine: Engine, workshop_id: int) -> dict[str, str]:
    """Lens key -> name for a workshop, for charts and labels."""
    return {lens.key: lens.name for lens in workshops_repo.list_lenses(engine, workshop_id)}


def counted(n: int, noun: str) -> str:
    """ "1 phone", "2 phones": counts in plain words."""
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


# --- tables for screens ----------------------------------------------------------------------


def results_table(results: RoundResults, lens_names: Mapping[str, str] | None = None) -> list[dict[str, object]]:
    """One row per idea: rank, idea, dots, phones, and dots per lens when names are given."""
    rows: list[dict[str, object]] = []
    for item in results.ideas:
        row: dict[str, object] = {"Rank": item.rank, "Idea": item.text, "Dots": item.dots, "Phones": item.voters}
        for key, name in (lens_names or {}).items():
            row[name] = item.by_lens.get(key, 0)
        rows.append(row)
    return rows


def moderation_order(ideas: Sequence[Idea]) -> list[Idea]:
    """Ideas for the facilitator: flagged first, then waiting, on the wall, hidden; oldest first within each."""

    def weight(idea: Idea) -> int:
        if idea.is_flagged:
            return 0
        return {"pending": 1, "approved": 2}.get(idea.moderation_status, 3)

    return sorted(ideas, key=lambda idea: (weight(idea), idea.id))


def grid_candidates(ideas: Sequence[Idea], results: RoundResults | None, top: int = 8) -> list[Idea]:
    """The ideas to place on the grid: the top ``top`` by dots once revealed, else every idea on the wall.

    Ideas already placed stay in the list, so a placement can be changed.
    """
    shown = [idea for idea in ideas if idea.on_wall]
    if results is None:
        return shown
    chosen = {item.idea_id for item in results.top(top)}
    ranked = {item.idea_id: n for n, item in enumerate(results.ideas)}
    keep = [idea for idea in shown if idea.id in chosen or idea.placed]
    return sorted(keep, key=lambda idea: ranked.get(idea.id, len(ranked)))


def grid_table(ideas: Sequence[Idea]) -> list[dict[str, object]]:
    """Rows for the facilitator's grid editor: the idea, its impact and its effort (blank if unplaced)."""
    return [{"id": idea.id, "Idea": idea.text, "Impact": idea.impact, "Effort": idea.effort} for idea in ideas]


def placements_from_table(rows: Iterable[Mapping[str, object]]) -> dict[int, tuple[float | None, float | None]]:
    """The grid editor's rows back as placements for ``place_ideas`` (blank cells are None)."""

    def number(value: object) -> float | None:
        if value is None or value == "":
            return None
        try:
            result = float(value)  # type: ignore[arg-type]
        except (TypeError, ValueError):
            raise ValidationFailed("Impact and effort are numbers from 1 to 5.") from None
        return None if result != result else result  # NaN from an emptied cell

    return {int(row["id"]): (number(row.get("Impact")), number(row.get("Effort"))) for row in rows}  # type: ignore[call-overload]


def wall_ideas(engine: Engine, workshop_id: int) -> list[Idea]:
    """Every idea on the wall in a workshop's ideas rounds (to turn into agreement statements)."""
    with read_session(engine) as s:
        return [idea for idea in (_idea(r) for r in repo.workshop_idea_rows(s, workshop_id)) if idea.on_wall]
