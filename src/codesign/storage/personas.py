"""Repository functions for the personas a room defines on its journey map.

Every function is scoped by workshop: a persona or story id from another workshop is never
read or linked, even if a stale screen sends it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from sqlalchemy import Engine, delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from codesign.errors import NotFoundError, ValidationFailed
from codesign.models import Persona
from codesign.storage.db import read_session, write_session
from codesign.storage.schema import PersonaRow, PersonaStoryRow, StoryRow
from codesign.storage.workshops import add_audit

PERSONA_GONE = "That persona no longer exists: someone may have removed it. The screen has been refreshed."
NAME_TAKEN = "There is already a persona with that name. Choose another name."


def list_personas(engine: Engine, workshop_id: int) -> list[Persona]:
    """The workshop's personas in the order they were made, each with its linked stories."""
    with read_session(engine) as s:
        rows = list(s.scalars(select(PersonaRow).where(PersonaRow.workshop_id == workshop_id).order_by(PersonaRow.id)))
        links: dict[int, list[int]] = defaultdict(list)
        if rows:
            for persona_id, story_id in s.execute(
                select(PersonaStoryRow.persona_id, PersonaStoryRow.story_id)
                .where(PersonaStoryRow.persona_id.in_([r.id for r in rows]))
                .order_by(PersonaStoryRow.story_id)
            ):
                links[persona_id].append(story_id)
        return [Persona(r.id, r.name, r.description, tuple(links.get(r.id, ()))) for r in rows]


def _link(s: Session, workshop_id: int, persona_id: int, story_ids: Sequence[int]) -> None:
    s.execute(delete(PersonaStoryRow).where(PersonaStoryRow.persona_id == persona_id))
    wanted = {int(i) for i in story_ids}
    if wanted:
        own = s.scalars(select(StoryRow.id).where(StoryRow.workshop_id == workshop_id, StoryRow.id.in_(wanted)))
        for story_id in sorted(own):
            s.add(PersonaStoryRow(persona_id=persona_id, story_id=story_id))


def save_persona(
    engine: Engine,
    workshop_id: int,
    *,
    name: str,
    description: str,
    story_ids: Sequence[int],
    persona_id: int | None = None,
) -> Persona:
    """Add a persona (persona_id None) or change one: its name, description and linked stories.

    Raises:
        NotFoundError: If the persona to change is gone.
        ValidationFailed: If another persona of the workshop has the name.
    """
    try:
        with write_session(engine) as s:
            if persona_id is None:
                row = PersonaRow(workshop_id=workshop_id, name=name, description=description)
                s.add(row)
            else:
                found = s.get(PersonaRow, persona_id)
                if found is None or found.workshop_id != workshop_id:
                    raise NotFoundError(PERSONA_GONE)
                row = found
                row.name, row.description = name, description
            s.flush()
            _link(s, workshop_id, row.id, story_ids)
            action = "persona_added" if persona_id is None else "persona_changed"
            add_audit(s, workshop_id, "facilitator", action, "workshop", workshop_id)
            s.flush()
            linked = tuple(
                s.scalars(
                    select(PersonaStoryRow.story_id)
                    .where(PersonaStoryRow.persona_id == row.id)
                    .order_by(PersonaStoryRow.story_id)
                )
            )
            return Persona(row.id, row.name, row.description, linked)
    except IntegrityError:  # the name was taken a moment ago, on another laptop
        raise ValidationFailed(NAME_TAKEN) from None


def delete_persona(engine: Engine, workshop_id: int, persona_id: int) -> None:
    """Remove a persona and its links (the stories stay). Removing one already gone does nothing."""
    with write_session(engine) as s:
        done = s.execute(
            delete(PersonaRow).where(PersonaRow.workshop_id == workshop_id, PersonaRow.id == persona_id)
        ).rowcount  # type: ignore[attr-defined]
        if done:
            add_audit(s, workshop_id, "facilitator", "persona_removed", "workshop", workshop_id)
