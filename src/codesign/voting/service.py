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

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence

from sqlalchemy import Engine
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from codesign.errors import ClosedError, NotFoundError, ThrottledError, ValidationFailed
from codesign.models import Lens
from codesign.privacy import prepare_text
from codesign.privacy.safeguarding import URGENT, severity_rank
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
from codesign.voting.model import (
    ANSWERS,
    DEFAULT_BUDGET,
    GRID_MAX,
    GRID_MIN,
    MAX_BUDGET,
    MAX_IDEA_CHARS,
    MAX_IDEAS_PER_DEVICE,
    MAX_PROMPT_CHARS,
    MAX_STATEMENT_CHARS,
    Agreement,
    Ballot,
    BudgetExceeded,
    Consensus,
    GridPoint,
    Idea,
    IdeaSubmission,
    ModerationAction,
    PhoneRound,
    Progress,
    ResultsHidden,
    Round,
    RoundKind,
    RoundResults,
    Statement,
    Topic,
    Vote,
    VotingReport,
    WallVotes,
)
from codesign.voting.results import (
    consensus,
    device_order,
    grid_points,
    round_results,
)

# --- domain values ---------------------------------------------------------------------------


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
        risk_severity=row.risk_severity or "",
    )


def _vote(row: VoteRow) -> Vote:
    return Vote(idea_id=row.idea_id, device_hash=row.device_hash, lens_key=row.lens_key, dots=row.dots)


def _statement(row: StatementRow) -> Statement:
    return Statement(row.id, row.round_id, row.text, row.idea_id, row.theme_id, row.position)


def _agreement(row: AgreementRow) -> Agreement:
    return Agreement(row.statement_id, row.device_hash, row.lens_key, row.value)


# --- pure functions --------------------------------------------------------------------------


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
        raise ValidationFailed(
            f"Your idea is a little long: {len(prepared.text):,} characters, and the limit is {MAX_IDEA_CHARS:,}. "
            f"Everything you wrote is still in the box: please cut {len(prepared.text) - MAX_IDEA_CHARS:,} characters."
        )
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
                risk_severity=prepared.risk_severity,
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


def urgent_idea_flags(engine: Engine, workshop_id: int) -> list[Idea]:
    """Ideas of a workshop with an urgent safeguarding flag that no facilitator has reviewed, newest first."""
    with read_session(engine) as s:
        ideas = [_idea(row) for row in repo.workshop_idea_rows(s, workshop_id)]
    return [idea for idea in reversed(ideas) if idea.is_flagged and idea.risk_severity == URGENT]


def flagged_ideas(engine: Engine, workshop_id: int) -> list[Idea]:
    """Ideas waiting for a safeguarding review (risk language nobody reviewed, not hidden),
    most urgent first, newest first within each severity: the same queue a story joins."""
    with read_session(engine) as s:
        ideas = [_idea(row) for row in repo.workshop_idea_rows(s, workshop_id)]
    waiting = [idea for idea in reversed(ideas) if idea.is_flagged and idea.moderation_status != "hidden"]
    return sorted(waiting, key=lambda idea: severity_rank(idea.risk_severity))


NEEDS_REVIEW = (
    "This idea has risk language: it needs a safeguarding review, not a plain approval. "
    "Read it, follow your safeguarding procedure, then choose 'Reviewed: approve' or 'Reviewed: keep hidden'."
)


def review_idea_safeguarding(engine: Engine, idea_id: int, *, show: bool) -> Idea:
    """Record a facilitator's private safeguarding review of an idea: approve it for the wall, or hide it.

    Like ``stories.review_safeguarding``: the review is recorded (never the idea's text),
    and hiding gives the idea's dots back to the phones.
    """
    with write_session(engine) as s:
        row = s.get(IdeaRow, idea_id)
        if row is None:
            raise NotFoundError("That idea no longer exists.")
        _locked_round(s, row.round_id)
        row.risk_reviewed = True
        row.moderation_status = "approved" if show else "hidden"
        if not show:
            repo.delete_idea_votes(s, row.id)
        workshops_repo.add_audit(
            s,
            row.workshop_id,
            "facilitator",
            "idea_safeguarding_reviewed",
            "idea",
            row.id,
            "approved" if show else "hidden",
        )
        return _idea(row)


def moderate_idea(engine: Engine, idea_id: int, action: ModerationAction) -> Idea:
    """Approve an idea or hide it.

    An idea with risk language that nobody has reviewed cannot be approved here: it needs
    ``review_idea_safeguarding``, as a story does. Hiding an idea gives its dots back to the
    phones' budgets (and they stay given back if the idea is approved again).

    Raises:
        ValidationFailed: On "approve" for an idea waiting for a safeguarding review.
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
            if row.risk_flags and not row.risk_reviewed:
                raise ValidationFailed(NEEDS_REVIEW)
            row.moderation_status = "approved"
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


# --- tables for screens ----------------------------------------------------------------------


def wall_ideas(engine: Engine, workshop_id: int) -> list[Idea]:
    """Every idea on the wall in a workshop's ideas rounds (to turn into agreement statements)."""
    with read_session(engine) as s:
        return [idea for idea in (_idea(r) for r in repo.workshop_idea_rows(s, workshop_id)) if idea.on_wall]
