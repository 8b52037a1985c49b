"""Repository functions for rounds, ideas, dot votes, statements and agreements.

They run inside the caller's transaction (a ``Session`` from ``write_session`` or
``read_session``), so ``codesign.voting`` can check a budget and write the vote in one
transaction.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from codesign.storage.schema import (
    AgreementRow,
    IdeaRow,
    JourneyCellRow,
    RoundRow,
    StatementRow,
    StoryRow,
    ThemeRow,
    VoteRow,
)


def lock_round(s: Session, round_id: int) -> RoundRow | None:
    """The round, locked for the rest of the transaction.

    On PostgreSQL this is ``SELECT ... FOR UPDATE``: every write that checks a budget or a
    round's status queues on the round's row, so two phones (or a double tap) cannot both
    spend the last dot. SQLite ignores FOR UPDATE; there ``write_session`` has already
    taken the database's write lock with ``BEGIN IMMEDIATE``.
    """
    return s.scalar(select(RoundRow).where(RoundRow.id == round_id).with_for_update())


def round_rows(s: Session, workshop_id: int) -> list[RoundRow]:
    """Every round of a workshop, newest first."""
    query = select(RoundRow).where(RoundRow.workshop_id == workshop_id).order_by(RoundRow.id.desc())
    return list(s.scalars(query))


def idea_rows(s: Session, round_ids: Sequence[int]) -> list[IdeaRow]:
    """Ideas of some rounds, oldest first."""
    if not round_ids:
        return []
    return list(s.scalars(select(IdeaRow).where(IdeaRow.round_id.in_(list(round_ids))).order_by(IdeaRow.id)))


def workshop_idea_rows(s: Session, workshop_id: int) -> list[IdeaRow]:
    return list(s.scalars(select(IdeaRow).where(IdeaRow.workshop_id == workshop_id).order_by(IdeaRow.id)))


def idea_by_submission(s: Session, workshop_id: int, client_submission_id: str) -> IdeaRow | None:
    return s.scalar(
        select(IdeaRow).where(IdeaRow.workshop_id == workshop_id, IdeaRow.client_submission_id == client_submission_id)
    )


def count_device_ideas(s: Session, round_id: int, device_hash: str) -> int:
    query = select(func.count(IdeaRow.id)).where(IdeaRow.round_id == round_id, IdeaRow.device_hash == device_hash)
    return s.scalar(query) or 0


def vote_rows(s: Session, round_ids: Sequence[int]) -> list[VoteRow]:
    if not round_ids:
        return []
    return list(s.scalars(select(VoteRow).where(VoteRow.round_id.in_(list(round_ids))).order_by(VoteRow.id)))


def device_vote_rows(s: Session, round_id: int, device_hash: str) -> list[VoteRow]:
    query = select(VoteRow).where(VoteRow.round_id == round_id, VoteRow.device_hash == device_hash)
    return list(s.scalars(query))


def vote_row(s: Session, idea_id: int, device_hash: str) -> VoteRow | None:
    return s.scalar(select(VoteRow).where(VoteRow.idea_id == idea_id, VoteRow.device_hash == device_hash))


def statement_rows(s: Session, round_ids: Sequence[int]) -> list[StatementRow]:
    if not round_ids:
        return []
    query = (
        select(StatementRow)
        .where(StatementRow.round_id.in_(list(round_ids)))
        .order_by(StatementRow.position, StatementRow.id)
    )
    return list(s.scalars(query))


def agreement_rows(s: Session, statement_ids: Sequence[int]) -> list[AgreementRow]:
    if not statement_ids:
        return []
    query = select(AgreementRow).where(AgreementRow.statement_id.in_(list(statement_ids))).order_by(AgreementRow.id)
    return list(s.scalars(query))


def agreement_row(s: Session, statement_id: int, device_hash: str) -> AgreementRow | None:
    return s.scalar(
        select(AgreementRow).where(AgreementRow.statement_id == statement_id, AgreementRow.device_hash == device_hash)
    )


def next_statement_position(s: Session, round_id: int) -> int:
    highest = s.scalar(select(func.max(StatementRow.position)).where(StatementRow.round_id == round_id))
    return 0 if highest is None else highest + 1


def theme_labels(s: Session, workshop_id: int) -> list[tuple[int, str]]:
    """(theme id, label) of a workshop's themes, in board order."""
    query = (
        select(ThemeRow.id, ThemeRow.label)
        .where(ThemeRow.workshop_id == workshop_id)
        .order_by(ThemeRow.position, ThemeRow.id)
    )
    return [(int(i), str(label)) for i, label in s.execute(query).all()]


def pain_points(s: Session, workshop_id: int) -> list[tuple[int, str]]:
    """(journey cell id, text) of the journey map's pain points that were not rejected."""
    query = (
        select(JourneyCellRow.id, JourneyCellRow.text)
        .where(
            JourneyCellRow.workshop_id == workshop_id,
            JourneyCellRow.lane == "pain_points",
            JourneyCellRow.status != "rejected",
        )
        .order_by(JourneyCellRow.stage_id, JourneyCellRow.position, JourneyCellRow.id)
    )
    return [(int(i), str(text)) for i, text in s.execute(query).all()]


def latest_device_lens(s: Session, workshop_id: int, device_hash: str) -> str | None:
    """The lens this device gave most recently: on a vote or agreement, else on a story."""
    round_ids = select(RoundRow.id).where(RoundRow.workshop_id == workshop_id)
    vote = s.scalar(
        select(VoteRow.lens_key)
        .where(VoteRow.round_id.in_(round_ids), VoteRow.device_hash == device_hash, VoteRow.lens_key.is_not(None))
        .order_by(VoteRow.updated_at.desc(), VoteRow.id.desc())
        .limit(1)
    )
    if vote:
        return str(vote)
    statement_ids = select(StatementRow.id).where(StatementRow.round_id.in_(round_ids))
    answer = s.scalar(
        select(AgreementRow.lens_key)
        .where(
            AgreementRow.statement_id.in_(statement_ids),
            AgreementRow.device_hash == device_hash,
            AgreementRow.lens_key.is_not(None),
        )
        .order_by(AgreementRow.updated_at.desc(), AgreementRow.id.desc())
        .limit(1)
    )
    if answer:
        return str(answer)
    story = s.scalar(
        select(StoryRow.lens_key)
        .where(StoryRow.workshop_id == workshop_id, StoryRow.device_hash == device_hash, StoryRow.lens_key.is_not(None))
        .order_by(StoryRow.id.desc())
        .limit(1)
    )
    return str(story) if story else None


def relabel_device(s: Session, workshop_id: int, device_hash: str, lens_key: str | None) -> None:
    """Give every vote and answer of one device in a workshop a new lens."""
    round_ids = select(RoundRow.id).where(RoundRow.workshop_id == workshop_id)
    s.execute(
        update(VoteRow)
        .where(VoteRow.round_id.in_(round_ids), VoteRow.device_hash == device_hash)
        .values(lens_key=lens_key)
    )
    statement_ids = select(StatementRow.id).where(StatementRow.round_id.in_(round_ids))
    s.execute(
        update(AgreementRow)
        .where(AgreementRow.statement_id.in_(statement_ids), AgreementRow.device_hash == device_hash)
        .values(lens_key=lens_key)
    )


def delete_vote(s: Session, idea_id: int, device_hash: str) -> None:
    s.execute(delete(VoteRow).where(VoteRow.idea_id == idea_id, VoteRow.device_hash == device_hash))


def delete_idea_votes(s: Session, idea_id: int) -> None:
    s.execute(delete(VoteRow).where(VoteRow.idea_id == idea_id))
