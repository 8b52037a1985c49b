"""Agreed actions: what the room agreed to do, who will do it, by when, and how progress will be measured.

An action answers something the workshop found: a pain point on the journey map, a fail
point on the blueprint, an idea people voted for, or a theme. These rules take and return
values; ``actions.service`` loads and saves them.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Literal

from codesign.errors import ValidationFailed
from codesign.sanitiser import clean_text

LinkKind = Literal["pain_point", "fail_point", "idea", "theme"]
LINK_KINDS: tuple[LinkKind, ...] = ("pain_point", "fail_point", "idea", "theme")
LINK_NAMES: dict[str, str] = {
    "pain_point": "Pain point",
    "fail_point": "Fail point",
    "idea": "Idea",
    "theme": "Theme",
}
ActionStatus = Literal["agreed", "under_way", "done"]
STATUSES: dict[str, str] = {"agreed": "Agreed", "under_way": "Under way", "done": "Done"}

MAX_ACTION_CHARS = 500
MAX_OWNER_CHARS = 200
MAX_MEASURE_CHARS = 500
# A deadline further away than this is almost always a typing slip (2062 for 2026).
MAX_YEARS_AHEAD = 10


@dataclass(frozen=True)
class Link:
    """What an action answers: a pain point, fail point, idea or theme, by its id."""

    kind: LinkKind
    target_id: int


@dataclass(frozen=True)
class ActionDraft:
    """An action as typed on the screen, before it is checked and stored."""

    text: str
    owner: str = ""
    due: date | None = None
    measure: str = ""
    status: ActionStatus = "agreed"
    links: tuple[Link, ...] = ()


@dataclass(frozen=True)
class Action:
    """A stored agreed action."""

    id: int
    text: str
    owner: str
    due: date | None
    measure: str
    status: ActionStatus
    position: int
    created_at: datetime
    links: tuple[Link, ...] = ()

    def answers(self, kind: str, target_id: int) -> bool:
        return any(link.kind == kind and link.target_id == target_id for link in self.links)


@dataclass(frozen=True)
class LinkOption:
    """Something an action can answer, with the words the screens show for it."""

    kind: LinkKind
    target_id: int
    label: str

    @property
    def link(self) -> Link:
        return Link(self.kind, self.target_id)

    @property
    def described(self) -> str:
        return f"{LINK_NAMES[self.kind]}: {self.label}"


def check_draft(draft: ActionDraft, *, today: date) -> ActionDraft:
    """Clean and check an action; the message says exactly what to change.

    Raises:
        ValidationFailed: If the action is empty, a field is too long, the status is
            unknown or the date is far in the future.
    """
    text = " ".join(clean_text(draft.text).split())
    owner = " ".join(clean_text(draft.owner).split())
    measure = " ".join(clean_text(draft.measure).split())
    problems = []
    if not text:
        problems.append("Write what was agreed: the action cannot be empty.")
    if len(text) > MAX_ACTION_CHARS:
        problems.append(f"The action is {len(text)} characters; keep it under {MAX_ACTION_CHARS}.")
    if len(owner) > MAX_OWNER_CHARS:
        problems.append(f"The owner is {len(owner)} characters; keep it under {MAX_OWNER_CHARS}.")
    if len(measure) > MAX_MEASURE_CHARS:
        problems.append(f"The measure is {len(measure)} characters; keep it under {MAX_MEASURE_CHARS}.")
    if draft.status not in STATUSES:
        problems.append(f"Unknown status {draft.status!r}.")
    if draft.due is not None and draft.due.year > today.year + MAX_YEARS_AHEAD:
        problems.append(f"The date {draft.due:%d %B %Y} is more than {MAX_YEARS_AHEAD} years away: check the year.")
    if problems:
        raise ValidationFailed(" ".join(problems))
    links = tuple(dict.fromkeys(link for link in draft.links if link.kind in LINK_KINDS))
    return ActionDraft(text, owner, draft.due, measure, draft.status, links)


def answering(actions: Iterable[Action], kind: str, target_id: int) -> tuple[Action, ...]:
    """The actions that answer one pain point, fail point, idea or theme."""
    return tuple(a for a in actions if a.answers(kind, target_id))


def describe_links(action: Action, options: Sequence[LinkOption]) -> tuple[str, ...]:
    """What an action answers, in words; links whose target has gone are left out."""
    label = {(o.kind, o.target_id): o.described for o in options}
    return tuple(label[(link.kind, link.target_id)] for link in action.links if (link.kind, link.target_id) in label)


def due_text(due: date | None) -> str:
    """A date as the report and screens write it ("30 June 2027"), or "No date set"."""
    return f"{due.day} {due:%B %Y}" if due is not None else "No date set"


def owner_text(owner: str) -> str:
    return owner or "Not yet agreed"
