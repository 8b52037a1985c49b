"""The journey map's and the service blueprint's use cases: load what the rules need, apply them, save.

Pure rules live in journeys.journey and journeys.blueprint; only this module talks to storage."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import Engine
from sqlalchemy.exc import IntegrityError

from codesign import workshops as workshop_core
from codesign.errors import NotFoundError, ValidationFailed
from codesign.journeys import personas as persona_rules
from codesign.journeys.blueprint import (
    MAX_WAIT_CHARS,
    VERSIONS,
    Blueprint,
    BlueprintEdits,
    BlueprintLane,
    assemble_blueprint,
    copy_as_drafts,
    draft_from_journey,
)
from codesign.journeys.journey import (
    LANE_NAMES,
    JourneyEdits,
    JourneyMap,
    _stage_name,
    clean_text,
    journey_map,
    new_proposals,
    propose_pain_points,
    stage_key_for,
)
from codesign.journeys.personas import EVERYONE, JourneyView, journey_views, persona_fields
from codesign.models import (
    BlueprintItem,
    BlueprintItemDraft,
    BlueprintVersion,
    JourneyCellDraft,
    Lens,
    Persona,
    Stage,
    Workshop,
)
from codesign.storage import journeys as repo
from codesign.storage import personas as persona_repo
from codesign.storage import stories as story_repo
from codesign.storage import workshops as workshop_repo
from codesign.storage.history import HistoryEntry
from codesign.workshops.kits import BLUEPRINT_LANE_KEYS, THRIVE_GROUPINGS


def load_journey_map(
    engine: Engine,
    workshop: Workshop,
    *,
    for_report: bool = False,
    lens: str | None = None,
    persona_id: int | None = None,
) -> JourneyMap:
    """Read a workshop's journey map from the database.

    Args:
        engine: The database.
        workshop: The workshop.
        for_report: Quote only the consent tiers the report may quote (else those the wall may show).
        lens: Show the journey as people of one lens told it (None: everyone).
        persona_id: Show the journey of one persona: its linked stories only.

    Raises:
        NotFoundError: If the persona is gone.
    """
    kit = workshop_core.kit_of(engine, workshop)
    consents = workshop.setting("report_quote_consents" if for_report else "wall_consents") or []
    story_ids = None
    if persona_id is not None:
        story_ids = get_persona(engine, workshop.id, persona_id).story_ids
    return journey_map(
        workshop_repo.list_stages(engine, workshop.id),
        repo.list_journey_cells(engine, workshop.id),
        story_repo.list_stories(engine, workshop.id, statuses=["approved"]),
        workshop_repo.list_lenses(engine, workshop.id),
        quote_consents=tuple(consents),
        scale_labels=[p.label for p in kit.emotion_scale],
        lens=lens,
        story_ids=story_ids,
    )


def load_view(engine: Engine, workshop: Workshop, value: str) -> tuple[JourneyView, JourneyMap]:
    """The journey map for a picker's choice ("all", "lens:<key>", "persona:<id>").

    A choice that no longer exists (a persona removed on another laptop, a lens renamed away)
    falls back to everyone, so the screen never fails on a stale choice.
    """
    views = {v.value: v for v in journey_views(list_lenses(engine, workshop.id), list_personas(engine, workshop.id))}
    view = views.get(value, views[EVERYONE])
    if view.kind == "lens":
        return view, load_journey_map(engine, workshop, lens=view.key)
    if view.kind == "persona":
        try:
            return view, load_journey_map(engine, workshop, persona_id=int(view.key))
        except NotFoundError:
            view = views[EVERYONE]
    return view, load_journey_map(engine, workshop)


def list_personas(engine: Engine, workshop_id: int) -> list[Persona]:
    """The workshop's personas, each with the stories still linked to it."""
    return persona_repo.list_personas(engine, workshop_id)


def get_persona(engine: Engine, workshop_id: int, persona_id: int) -> Persona:
    """One persona of the workshop.

    Raises:
        NotFoundError: If it is gone.
    """
    for persona in persona_repo.list_personas(engine, workshop_id):
        if persona.id == persona_id:
            return persona
    raise NotFoundError(persona_repo.PERSONA_GONE)


def save_persona(
    engine: Engine,
    workshop_id: int,
    name: str,
    description: str,
    story_ids: Sequence[int],
    *,
    persona_id: int | None = None,
) -> Persona:
    """Add a persona (no persona_id) or change one; only this workshop's stories are linked.

    Raises:
        ValidationFailed: If the name is empty, too long or taken, or the description too long.
        NotFoundError: If the persona to change is gone.
    """
    name, description = persona_fields(name, description, list_personas(engine, workshop_id), persona_id)
    return persona_repo.save_persona(
        engine, workshop_id, name=name, description=description, story_ids=story_ids, persona_id=persona_id
    )


def delete_persona(engine: Engine, workshop_id: int, persona_id: int) -> None:
    """Remove a persona; its stories stay where they are."""
    persona_repo.delete_persona(engine, workshop_id, persona_id)


def persona_story_choices(engine: Engine, workshop: Workshop) -> dict[int, str]:
    """Approved stories as labels for a persona's story picker (words only within the wall's consents)."""
    return persona_rules.story_choices(
        story_repo.list_stories(engine, workshop.id, statuses=["approved"]),
        workshop_repo.list_stages(engine, workshop.id),
        workshop_repo.list_lenses(engine, workshop.id),
        quote_consents=tuple(workshop.setting("wall_consents") or []),
    )


def list_lenses(engine: Engine, workshop_id: int) -> list[Lens]:
    """The workshop's lenses, for the journey's "as told by" choice."""
    return workshop_repo.list_lenses(engine, workshop_id)


def save_edits(engine: Engine, workshop_id: int, edits: JourneyEdits) -> None:
    """Store a grid edit in one transaction.

    Raises:
        ValidationFailed: If the edit has problems (nothing is stored).
    """
    if edits.problems:
        raise ValidationFailed("\n".join(edits.problems))
    repo.save_journey_edits(engine, workshop_id, added=edits.added, updated=edits.updated, deleted=edits.deleted)


def rename_stage(engine: Engine, workshop_id: int, stage_id: int, name: str) -> Stage:
    """Rename a stage; stories, items and blueprint columns stay with it.

    Raises:
        ValidationFailed: If the name is empty, too long or already used.
    """
    clean = _stage_name(name, workshop_repo.list_stages(engine, workshop_id), stage_id)
    return repo.rename_stage(engine, workshop_id, stage_id, clean)


def move_stage(engine: Engine, workshop_id: int, stage_id: int, steps: int) -> list[Stage]:
    """Move a stage earlier (negative steps) or later in the journey.

    Raises:
        ValidationFailed: If the stage is no longer there.
    """
    ids = [s.id for s in workshop_repo.list_stages(engine, workshop_id)]
    if stage_id not in ids:
        raise ValidationFailed("That stage no longer exists. The screen has been refreshed.")
    old = ids.index(stage_id)
    ids.pop(old)
    ids.insert(max(0, min(len(ids), old + steps)), stage_id)
    return repo.reorder_stages(engine, workshop_id, ids)


def add_stage(
    engine: Engine, workshop_id: int, name: str, *, position: int | None = None, thrive_grouping: str | None = None
) -> Stage:
    """Add a stage to the journey (at the end unless a position is given).

    Raises:
        ValidationFailed: If the name is empty, too long or already used, or the grouping is unknown.
    """
    stages = workshop_repo.list_stages(engine, workshop_id)
    clean = _stage_name(name, stages)
    if thrive_grouping is not None and thrive_grouping not in THRIVE_GROUPINGS:
        raise ValidationFailed("Choose one of the THRIVE groupings.")
    key = stage_key_for(clean, repo.stage_keys(engine, workshop_id))
    try:
        return repo.insert_stage(
            engine,
            workshop_id,
            key=key,
            name=clean,
            prompt=clean,
            thrive_grouping=thrive_grouping,
            position=len(stages) if position is None else position,
        )
    except IntegrityError:  # someone added a stage with the same name a moment ago
        raise ValidationFailed("There is already a stage with that name. Choose another name.") from None


def store_pain_point_proposals(engine: Engine, workshop: Workshop) -> int:
    """Propose pain points in the stories' own words, and store the new ones.

    Each is the most typical sentence of the stage's low-rated stories (from stories whose
    consent allows the screen to show it), grouped by today's themes if there are any.

    Returns:
        How many new proposals were stored.
    """
    jmap = load_journey_map(engine, workshop)
    stories = story_repo.list_stories(engine, workshop.id, statuses=["approved"])
    proposals = propose_pain_points(
        jmap.curve, stories, repo.list_story_themes(engine, workshop.id), quote_consents=jmap.quote_consents
    )
    drafts = new_proposals(proposals, repo.list_journey_cells(engine, workshop.id))
    if drafts:
        repo.save_journey_edits(engine, workshop.id, added=drafts)
    return len(drafts)


def decide_proposal(engine: Engine, workshop_id: int, cell_id: int, decision: str, text: str | None = None) -> None:
    """Accept (optionally with edited text) or reject a proposed item.

    Raises:
        ValidationFailed: If the decision is unknown or the edited text is empty.
        NotFoundError: If the item is gone.
    """
    if decision not in ("accepted", "rejected"):
        raise ValidationFailed("Choose accept or reject.")
    clean = None if text is None else clean_text(text)
    if clean is not None and not clean:
        raise ValidationFailed("Write the pain point, or reject it.")
    repo.set_journey_cell_status(engine, workshop_id, cell_id, decision, clean)


def add_item(engine: Engine, workshop_id: int, stage_id: int, lane: str, text: str) -> int:
    """Add one item typed by the facilitator (accepted) to a stage and lane; returns its id.

    Raises:
        ValidationFailed: If the text is empty or the lane unknown.
    """
    clean = clean_text(text)
    if not clean:
        raise ValidationFailed("Write something for the item first.")
    if lane not in LANE_NAMES:
        raise ValidationFailed("Choose one of the lanes.")
    return repo.save_journey_edits(engine, workshop_id, added=[JourneyCellDraft(stage_id, lane, clean)])[0]


def kit_lanes(engine: Engine, workshop: Workshop) -> tuple[BlueprintLane, ...]:
    """The blueprint lanes in the workshop kit's own words."""
    kit = workshop_core.kit_of(engine, workshop)
    return tuple(BlueprintLane(lane.key, lane.name, lane.description) for lane in kit.blueprint_lanes)


def load_blueprint(engine: Engine, workshop: Workshop, version: BlueprintVersion = "as_is") -> Blueprint:
    """Read one version of a workshop's blueprint, with the kit's lane names."""
    if version not in VERSIONS:
        raise ValidationFailed("A blueprint is either “as is” or “to be”.")
    return assemble_blueprint(
        version,
        workshop_repo.list_stages(engine, workshop.id),
        repo.list_blueprint_items(engine, workshop.id, version),
        kit_lanes(engine, workshop),
    )


def store_draft(engine: Engine, workshop: Workshop, version: BlueprintVersion, *, replace: bool = False) -> int:
    """Draft a version from the journey map (or, for "to be", copy the "as is" if it has items) and store it.

    Args:
        engine: The database.
        workshop: The workshop.
        version: Which blueprint to draft.
        replace: Replace the version's items; without it, a version that has items is left alone.

    Returns:
        How many items were stored.

    Raises:
        ValidationFailed: If the version already has items and replace is False.
    """
    if repo.list_blueprint_items(engine, workshop.id, version) and not replace:
        raise ValidationFailed(
            "This blueprint already has items. Tick “replace” to draft it again (the current items are removed)."
        )
    drafts: tuple[BlueprintItemDraft, ...] = ()
    if version == "to_be":
        drafts = copy_as_drafts(load_blueprint(engine, workshop, "as_is"))
    if not drafts:
        drafts = draft_from_journey(
            load_journey_map(engine, workshop),
            story_repo.list_stories(engine, workshop.id, statuses=["approved"]),
            repo.list_stakeholders_with_aliases(engine, workshop.id),
        )
    repo.save_blueprint_edits(engine, workshop.id, version, added=drafts, replace=True)
    return len(drafts)


def save_blueprint_edits(engine: Engine, workshop_id: int, version: BlueprintVersion, edits: BlueprintEdits) -> None:
    """Store a grid edit in one transaction.

    Raises:
        ValidationFailed: If the edit has problems (nothing is stored).
    """
    if edits.problems:
        raise ValidationFailed("\n".join(edits.problems))
    repo.save_blueprint_edits(
        engine, workshop_id, version, added=edits.added, updated=edits.updated, deleted=edits.deleted
    )


def link_item(
    engine: Engine,
    workshop_id: int,
    item: BlueprintItem,
    *,
    story_ids: Sequence[int],
    stakeholder_ids: Sequence[int],
) -> None:
    """Set the stories and stakeholders an item is linked to (ids from other workshops are ignored)."""
    changed = BlueprintItem(
        item.id,
        item.version,
        item.stage_id,
        item.lane,
        item.text,
        item.position,
        item.fail_point,
        item.wait_point,
        item.wait_time,
        item.status,
        tuple(story_ids),
        tuple(stakeholder_ids),
    )
    repo.save_blueprint_edits(engine, workshop_id, item.version, updated=[changed])


def add_blueprint_item(
    engine: Engine,
    workshop_id: int,
    version: BlueprintVersion,
    draft: BlueprintItemDraft,
) -> int:
    """Add one item typed by the facilitator; returns its id.

    Raises:
        ValidationFailed: If the text is empty, the lane unknown or the version unknown.
    """
    text = clean_text(draft.text)
    if not text:
        raise ValidationFailed("Write something for the item first.")
    if draft.lane not in BLUEPRINT_LANE_KEYS:
        raise ValidationFailed("Choose one of the lanes.")
    if version not in VERSIONS:
        raise ValidationFailed("A blueprint is either “as is” or “to be”.")
    wait_time = clean_text(draft.wait_time, MAX_WAIT_CHARS)
    wait = draft.wait_point or bool(wait_time)
    clean = BlueprintItemDraft(
        draft.stage_id,
        draft.lane,
        text,
        draft.fail_point,
        wait,
        wait_time if wait else "",
        draft.status,
        draft.story_ids,
        draft.stakeholder_ids,
    )
    return repo.save_blueprint_edits(engine, workshop_id, version, added=[clean])[0]


list_journey_cells = repo.list_journey_cells
list_stakeholder_names = repo.list_stakeholder_names
list_blueprint_items = repo.list_blueprint_items


def journey_history(engine: Engine, workshop_id: int) -> list[HistoryEntry]:
    """The journey map's recorded changes (who, when, what), newest first."""
    return repo.list_history(engine, workshop_id, repo.JOURNEY_BOARD)


def blueprint_history(engine: Engine, workshop_id: int) -> list[HistoryEntry]:
    """The blueprint's recorded changes (both versions), newest first."""
    return repo.list_history(engine, workshop_id, repo.BLUEPRINT_BOARD)


def undo_journey(engine: Engine, workshop_id: int) -> HistoryEntry | None:
    """Take back the last change to the journey map; None if there is nothing to undo."""
    return repo.restore_journey(engine, workshop_id)


def restore_journey(engine: Engine, workshop_id: int, entry_id: int) -> HistoryEntry | None:
    """Put the journey map back as it was before change ``entry_id`` (it and later changes are undone)."""
    return repo.restore_journey(engine, workshop_id, entry_id)


def undo_blueprint(engine: Engine, workshop_id: int) -> HistoryEntry | None:
    """Take back the last change to the blueprint; None if there is nothing to undo."""
    return repo.restore_blueprint(engine, workshop_id)


def restore_blueprint(engine: Engine, workshop_id: int, entry_id: int) -> HistoryEntry | None:
    """Put the blueprint back as it was before change ``entry_id``."""
    return repo.restore_blueprint(engine, workshop_id, entry_id)
