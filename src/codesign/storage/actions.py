"""Repository functions for agreed actions and their links, scoped by workshop.

An id from one workshop never reaches another's rows: links are checked against the
workshop's own pain points, fail points, ideas and themes before they are stored.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from sqlalchemy import Engine, delete, func, select
from sqlalchemy.orm import Session

from codesign.actions.rules import Action, ActionDraft, Link, LinkOption
from codesign.errors import NotFoundError
from codesign.storage.db import read_session, write_session
from codesign.storage.schema import (
    ActionLinkRow,
    ActionRow,
    BlueprintCellRow,
    IdeaRow,
    JourneyCellRow,
    StageRow,
    ThemeRow,
    utcnow,
)
from codesign.storage.workshops import add_audit

ACTION_GONE = "That action no longer exists: someone may have deleted it. The screen has been refreshed."
_COLUMN = {
    "pain_point": "journey_cell_id",
    "fail_point": "blueprint_cell_id",
    "idea": "idea_id",
    "theme": "theme_id",
}


def _link_of(row: ActionLinkRow) -> Link:
    if row.journey_cell_id is not None:
        return Link("pain_point", row.journey_cell_id)
    if row.blueprint_cell_id is not None:
        return Link("fail_point", row.blueprint_cell_id)
    if row.idea_id is not None:
        return Link("idea", row.idea_id)
    assert row.theme_id is not None
    return Link("theme", row.theme_id)


def list_actions(engine: Engine, workshop_id: int) -> list[Action]:
    """The workshop's actions in the order the room put them."""
    with read_session(engine) as s:
        rows = s.scalars(
            select(ActionRow).where(ActionRow.workshop_id == workshop_id).order_by(ActionRow.position, ActionRow.id)
        ).all()
        links: dict[int, list[Link]] = defaultdict(list)
        for link in s.scalars(
            select(ActionLinkRow)
            .where(ActionLinkRow.action_id.in_([r.id for r in rows] or [-1]))
            .order_by(ActionLinkRow.id)
        ):
            links[link.action_id].append(_link_of(link))
        return [
            Action(
                id=r.id,
                text=r.text,
                owner=r.owner,
                due=r.due,
                measure=r.measure,
                status=r.status,  # type: ignore[arg-type]
                position=r.position,
                created_at=r.created_at,
                links=tuple(links[r.id]),
            )
            for r in rows
        ]


def link_options(engine: Engine, workshop_id: int) -> list[LinkOption]:
    """Everything of this workshop an action can answer, in the order the screens show them."""
    with read_session(engine) as s:
        return _link_options(s, workshop_id)


def _link_options(s: Session, workshop_id: int) -> list[LinkOption]:
    stage_name = dict(s.execute(select(StageRow.id, StageRow.name).where(StageRow.workshop_id == workshop_id)).all())
    stage_order = dict(
        s.execute(select(StageRow.id, StageRow.position).where(StageRow.workshop_id == workshop_id)).all()
    )
    options: list[LinkOption] = []
    pains = s.scalars(
        select(JourneyCellRow).where(
            JourneyCellRow.workshop_id == workshop_id,
            JourneyCellRow.lane == "pain_points",
            JourneyCellRow.status == "accepted",
        )
    ).all()
    for c in sorted(pains, key=lambda c: (stage_order.get(c.stage_id, 0), c.position, c.id)):
        options.append(LinkOption("pain_point", c.id, f"{stage_name.get(c.stage_id, '')}: {c.text}"))
    fails = s.scalars(
        select(BlueprintCellRow).where(
            BlueprintCellRow.workshop_id == workshop_id,
            BlueprintCellRow.is_fail_point.is_(True),
            BlueprintCellRow.status == "accepted",
        )
    ).all()
    for f in sorted(fails, key=lambda f: (f.version, stage_order.get(f.stage_id, 0), f.position, f.id)):
        version = "as is" if f.version == "as_is" else "to be"
        options.append(LinkOption("fail_point", f.id, f"{stage_name.get(f.stage_id, '')} ({version}): {f.text}"))
    ideas = s.scalars(
        select(IdeaRow)
        .where(IdeaRow.workshop_id == workshop_id, IdeaRow.moderation_status == "approved")
        .order_by(IdeaRow.round_id, IdeaRow.id)
    ).all()
    for i in ideas:
        if i.risk_flags and not i.risk_reviewed:
            continue
        options.append(LinkOption("idea", i.id, i.text))
    for t in s.scalars(
        select(ThemeRow).where(ThemeRow.workshop_id == workshop_id).order_by(ThemeRow.position, ThemeRow.id)
    ):
        options.append(LinkOption("theme", t.id, t.label))
    return options


def _own_links(s: Session, workshop_id: int, links: Sequence[Link]) -> list[Link]:
    known = {(o.kind, o.target_id) for o in _link_options(s, workshop_id)}
    return [link for link in links if (link.kind, link.target_id) in known]


def _write_links(s: Session, action_id: int, links: Sequence[Link]) -> None:
    s.execute(delete(ActionLinkRow).where(ActionLinkRow.action_id == action_id))
    for link in links:
        s.add(ActionLinkRow(action_id=action_id, **{_COLUMN[link.kind]: link.target_id}))


def add_action(engine: Engine, workshop_id: int, draft: ActionDraft) -> tuple[int, int]:
    """Store a checked action; returns its id and how many of its links were kept.

    A link to something deleted meanwhile (or from another workshop) is not kept.
    """
    with write_session(engine) as s:
        last = s.scalar(select(func.max(ActionRow.position)).where(ActionRow.workshop_id == workshop_id))
        row = ActionRow(
            workshop_id=workshop_id,
            text=draft.text,
            owner=draft.owner,
            due=draft.due,
            measure=draft.measure,
            status=draft.status,
            position=(last if last is not None else -1) + 1,
        )
        s.add(row)
        s.flush()
        kept = _own_links(s, workshop_id, draft.links)
        _write_links(s, row.id, kept)
        add_audit(s, workshop_id, "facilitator", "action_added", "action", row.id)
        return row.id, len(kept)


def update_action(engine: Engine, workshop_id: int, action_id: int, draft: ActionDraft) -> int:
    """Replace an action's fields and links; returns how many links were kept.

    Raises:
        NotFoundError: If the action is gone.
    """
    with write_session(engine) as s:
        row = s.get(ActionRow, action_id)
        if row is None or row.workshop_id != workshop_id:
            raise NotFoundError(ACTION_GONE)
        row.text, row.owner, row.due, row.measure, row.status = (
            draft.text,
            draft.owner,
            draft.due,
            draft.measure,
            draft.status,
        )
        row.updated_at = utcnow()
        kept = _own_links(s, workshop_id, draft.links)
        _write_links(s, row.id, kept)
        add_audit(s, workshop_id, "facilitator", "action_changed", "action", row.id)
        return len(kept)


def delete_action(engine: Engine, workshop_id: int, action_id: int) -> None:
    """Delete an action and its links.

    Raises:
        NotFoundError: If the action is gone.
    """
    with write_session(engine) as s:
        row = s.get(ActionRow, action_id)
        if row is None or row.workshop_id != workshop_id:
            raise NotFoundError(ACTION_GONE)
        s.delete(row)
        add_audit(s, workshop_id, "facilitator", "action_deleted", "action", action_id)


def move_action(engine: Engine, workshop_id: int, action_id: int, step: int) -> None:
    """Move an action up (-1) or down (+1) in the list."""
    with write_session(engine) as s:
        rows = list(
            s.scalars(
                select(ActionRow).where(ActionRow.workshop_id == workshop_id).order_by(ActionRow.position, ActionRow.id)
            )
        )
        index = next((n for n, r in enumerate(rows) if r.id == action_id), None)
        if index is None:
            raise NotFoundError(ACTION_GONE)
        other = index + step
        if 0 <= other < len(rows):
            rows[index], rows[other] = rows[other], rows[index]
        for n, r in enumerate(rows):
            r.position = n
