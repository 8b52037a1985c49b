"""The room's figures: dots per idea, consensus across lenses, the impact and effort grid.

Pure functions that take data and return data, so the screens, the display and the report
compute the same figures."""

from __future__ import annotations

import hashlib
import random
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence

from codesign.errors import ValidationFailed
from codesign.models import Lens
from codesign.voting.model import (
    DIVERGENCE,
    GRID_MIDDLE,
    MAJORITY,
    QUADRANTS,
    UNSTATED_LENS,
    Agreement,
    Consensus,
    GridPoint,
    Idea,
    IdeaResult,
    LensAgreement,
    Round,
    RoundResults,
    Statement,
    StatementConsensus,
    Verdict,
    Vote,
)


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


def counted(n: int, noun: str) -> str:
    """ "1 phone", "2 phones": counts in plain words."""
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


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
