"""The actions capability's use cases: check what the facilitator typed, then store it."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import Engine

from codesign import workshops
from codesign.actions.rules import Action, ActionDraft, LinkOption, check_draft
from codesign.storage import actions as repo


def list_actions(engine: Engine, workshop_id: int) -> list[Action]:
    """The workshop's agreed actions, in the room's order."""
    return repo.list_actions(engine, workshop_id)


def link_options(engine: Engine, workshop_id: int) -> list[LinkOption]:
    """The pain points, fail points, ideas and themes an action can answer."""
    return repo.link_options(engine, workshop_id)


def add_action(engine: Engine, workshop_id: int, draft: ActionDraft) -> tuple[Action, int]:
    """Check and store a new action.

    Returns:
        The stored action and how many of the chosen links were dropped because their
        pain point, fail point, idea or theme had been deleted meanwhile.

    Raises:
        ValidationFailed: If the action is empty or too long (nothing is stored).
        NotFoundError: If the workshop is gone.
    """
    workshops.get_workshop(engine, workshop_id)
    checked = check_draft(draft, today=datetime.now(UTC).date())
    action_id, kept = repo.add_action(engine, workshop_id, checked)
    stored = next(a for a in repo.list_actions(engine, workshop_id) if a.id == action_id)
    return stored, len(checked.links) - kept


def update_action(engine: Engine, workshop_id: int, action_id: int, draft: ActionDraft) -> int:
    """Check and save changes to an action; returns how many chosen links were dropped (see ``add_action``).

    Raises:
        ValidationFailed: If the action is empty or too long (nothing is changed).
        NotFoundError: If the action was deleted meanwhile.
    """
    checked = check_draft(draft, today=datetime.now(UTC).date())
    kept = repo.update_action(engine, workshop_id, action_id, checked)
    return len(checked.links) - kept


def delete_action(engine: Engine, workshop_id: int, action_id: int) -> None:
    """Delete an action.

    Raises:
        NotFoundError: If it was already deleted.
    """
    repo.delete_action(engine, workshop_id, action_id)


def move_action(engine: Engine, workshop_id: int, action_id: int, step: int) -> None:
    """Move an action one place up (-1) or down (+1)."""
    repo.move_action(engine, workshop_id, action_id, step)
