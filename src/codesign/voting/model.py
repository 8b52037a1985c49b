"""The room's choices as values: rounds, ideas, votes, ballots, statements, results and consensus.

Frozen dataclasses and the numbers that shape the rules; no database here."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal

from codesign.errors import CodesignError, ValidationFailed

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


GRID_MIN = 1.0


GRID_MAX = 5.0


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
    risk_severity: str = ""
    """``urgent``, ``concern``, ``past`` or ``""``, as for a story."""

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
