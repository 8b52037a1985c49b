"""The service blueprint: lanes, the three lines, fail and wait points, drafted from the journey map.

Columns are the journey's stages. Lanes run from what the person sees (physical evidence)
down to the systems and rules behind the service (support processes); three lines separate
what the person does from what staff do in view (interaction), what is in view from what is
not (visibility), and staff from the systems that support them (internal interaction).

A draft comes from the journey map (the person's actions from "what people do", touchpoints
into frontstage, proposed fail points at touchpoints that low-rated stories name) and is then edited by hand.
The service today ("as is") and the proposed one ("to be") are kept side by side.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from codesign.journeys.journey import STATUSES, JourneyMap, clean_text, is_missing, row_id
from codesign.models import BlueprintItem, BlueprintItemDraft, BlueprintVersion, Stage, StakeholderValue, Story
from codesign.workshops.kits import BLUEPRINT_LANE_KEYS

VERSIONS: dict[str, str] = {"as_is": "As is: the service today", "to_be": "To be: the service we propose"}
DEFAULT_LANE_NAMES: dict[str, str] = {
    "physical_evidence": "Physical evidence",
    "person_actions": "The person's actions",
    "frontstage": "Frontstage: what staff do in view",
    "backstage": "Backstage: what staff do out of view",
    "support_processes": "Support processes",
}
# Stages whose mean rating is below the scale's midpoint ("OK") can get a proposed fail point,
# at a touchpoint their low-rated stories name.
FAIL_BELOW = 3.0
MAX_WAIT_CHARS = 60


@dataclass(frozen=True)
class BlueprintLane:
    key: str
    name: str
    description: str = ""


@dataclass(frozen=True)
class BlueprintLine:
    """A line drawn between two lanes."""

    key: str
    name: str
    above: str
    below: str


LINES: tuple[BlueprintLine, ...] = (
    BlueprintLine("interaction", "Line of interaction", "person_actions", "frontstage"),
    BlueprintLine("visibility", "Line of visibility", "frontstage", "backstage"),
    BlueprintLine("internal", "Line of internal interaction", "backstage", "support_processes"),
)


def item_marks(item: BlueprintItem | BlueprintItemDraft) -> str:
    """The marks an item carries, in words: "FAIL POINT", "WAIT: 6 weeks"; empty when none."""
    marks = []
    if item.fail_point:
        marks.append("FAIL POINT")
    if item.wait_point:
        marks.append(f"WAIT: {item.wait_time}" if item.wait_time else "WAIT")
    return " · ".join(marks)


@dataclass(frozen=True)
class Blueprint:
    """One version of a workshop's service blueprint."""

    version: BlueprintVersion
    stages: tuple[Stage, ...]
    lanes: tuple[BlueprintLane, ...]
    items: tuple[BlueprintItem, ...]
    """Items that are not rejected, in stage, lane and position order."""
    lines: tuple[BlueprintLine, ...] = LINES

    def cell(self, stage_id: int, lane: str) -> tuple[BlueprintItem, ...]:
        return tuple(i for i in self.items if i.stage_id == stage_id and i.lane == lane)

    @property
    def fail_points(self) -> tuple[BlueprintItem, ...]:
        return tuple(i for i in self.items if i.fail_point)

    @property
    def wait_points(self) -> tuple[BlueprintItem, ...]:
        return tuple(i for i in self.items if i.wait_point)

    @property
    def title(self) -> str:
        return VERSIONS[self.version]

    def table(self, sep: str = "\n") -> list[list[str]]:
        """The blueprint as rows of plain text: a header of stages, a row per lane, a row per line.

        Items start with a bullet, one per line (or joined by ``sep``); fail and wait points are marked in square
        brackets ("[FAIL POINT]", "[WAIT: 6 weeks]"); proposed items end with "(proposed, not yet agreed)".
        Line rows have the line's name in the first column and empty cells.
        """
        rows: list[list[str]] = [["", *(s.name for s in self.stages)]]
        after = {line.above: line for line in self.lines}
        for lane in self.lanes:
            row = [lane.name]
            for stage in self.stages:
                row.append(sep.join(_item_line(i) for i in self.cell(stage.id, lane.key)))
            rows.append(row)
            if lane.key in after:
                rows.append([f"— {after[lane.key].name} —", *("" for _ in self.stages)])
        return rows


def _item_line(item: BlueprintItem) -> str:
    marks = item_marks(item)
    text = f"• {item.text}"
    if marks:
        text += f" [{marks}]"
    if item.status == "proposed":
        text += " (proposed, not yet agreed)"
    return text


def assemble_blueprint(
    version: BlueprintVersion,
    stages: Sequence[Stage],
    items: Sequence[BlueprintItem],
    lanes: Sequence[BlueprintLane] | None = None,
) -> Blueprint:
    """Put a blueprint together from its parts (rejected items and unknown lanes are left out)."""
    lanes = tuple(lanes or (BlueprintLane(k, DEFAULT_LANE_NAMES[k]) for k in BLUEPRINT_LANE_KEYS))
    order = {s.id: s.position for s in stages}
    lane_order = [lane.key for lane in lanes]
    kept = sorted(
        (i for i in items if i.status != "rejected" and i.lane in lane_order and i.stage_id in order),
        key=lambda i: (order[i.stage_id], lane_order.index(i.lane), i.position, i.id),
    )
    return Blueprint(version, tuple(stages), tuple(lanes), tuple(kept))


# --- drafting from the journey map ------------------------------------------------------------------


# Words too common to say which touchpoint a story is about: a part of a touchpoint's name that
# is only one of these does not count as naming it (the stakeholder map's aliases always count).
GENERIC_WORDS = frozenset(
    """work help support people family friends service services team change forms form letter
    letters group groups activities community care health staff someone appointment appointments
    session sessions phone call calls""".split()
)
LEADING_WORDS = ("a ", "an ", "the ", "its ", "their ", "your ", "our ")


def _phrase(text: str) -> str:
    return " ".join(re.findall(r"[\w&'’-]+", text.casefold()))


def _names_in(term: str, text: str) -> bool:
    """Whether ``text`` names ``term`` as whole words (a plural counts: "pharmacist" in "pharmacists")."""
    phrase = _phrase(term)
    if not phrase:
        return False
    return re.search(rf"(?<![\w&]){re.escape(phrase)}(?:s|es)?(?![\w&])", _phrase(text)) is not None


def touchpoint_terms(touchpoint: str, stakeholders: Sequence[StakeholderValue] = ()) -> tuple[str, ...]:
    """The names a story may use for a touchpoint: its own name and the parts of it
    ("GP practice and its reception team" -> "GP practice", "reception team"), plus the name
    and aliases of every stakeholder on the map that the touchpoint names by name or alias."""
    terms: dict[str, str] = {}

    def add(term: str) -> None:
        clean = _phrase(term)
        if clean and clean not in terms:
            terms[clean] = term.strip()

    add(touchpoint)
    head = re.split(r"\b(?:who|that|which|where|when)\b", touchpoint, maxsplit=1)[0]
    for part in re.split(r",|/|;|\bor\b|\band\b|\(|\)", head):
        part = part.strip().casefold()
        for word in LEADING_WORDS:
            if part.startswith(word):
                part = part[len(word) :]
        words = _phrase(part).split()
        if not words or (len(words) == 1 and (words[0] in GENERIC_WORDS or len(words[0]) < 3)):
            continue
        add(part)
    for holder in stakeholders:
        names = (holder.name, *holder.aliases)
        # A touchpoint names a stakeholder only by a telling word: "Family, friends and neighbours"
        # does not name "Carers and families" just because "family" is one of its aliases.
        telling = [name for name in names if _phrase(name) not in GENERIC_WORDS]
        if any(_names_in(name, touchpoint) for name in telling):
            for name in names:
                add(name)
    return tuple(terms.values())


def story_names(story: Story, terms: Sequence[str]) -> str | None:
    """The first of ``terms`` the story names (in what it says, what helped or would have), or None."""
    said = " ".join((story.text, story.helped, story.would_have_helped))
    return next((term for term in terms if _names_in(term, said)), None)


def draft_from_journey(
    jmap: JourneyMap,
    stories: Sequence[Story] = (),
    stakeholders: Sequence[StakeholderValue] = (),
    *,
    fail_below: float = FAIL_BELOW,
) -> tuple[BlueprintItemDraft, ...]:
    """Draft a blueprint from the journey map, for the room to edit.

    - The person's actions come from the map's "what people do" items.
    - Touchpoints become frontstage items.
    - At stages that felt bad (mean below ``fail_below``), a touchpoint is proposed as a fail
      point only if a story rated 1 or 2 there names it, by its name, a part of it, or the
      name or an alias of a stakeholder it names (:func:`touchpoint_terms`); those stories
      are its evidence. A touchpoint nobody's low-rated story mentions is not a fail point.

    Returns:
        Draft items in stage order; nothing for a map with no items.
    """
    by_id = {story.id: story for story in stories}
    drafts: list[BlueprintItemDraft] = []
    for js in jmap.stages:
        felt_bad = js.emotion.mean is not None and js.emotion.mean < fail_below
        low = [by_id[i] for i in js.low_story_ids if i in by_id] if felt_bad else []
        for cell in js.items.get("doing", ()):
            drafts.append(BlueprintItemDraft(js.stage.id, "person_actions", cell.text, story_ids=cell.story_ids))
        for cell in js.items.get("touchpoints", ()):
            terms = touchpoint_terms(cell.text, stakeholders)
            evidence = tuple(sorted(s.id for s in low if story_names(s, terms)))
            fail_here = bool(evidence)
            drafts.append(
                BlueprintItemDraft(
                    js.stage.id,
                    "frontstage",
                    cell.text,
                    fail_point=fail_here,
                    status="proposed" if fail_here else "accepted",
                    story_ids=tuple(sorted(set(cell.story_ids) | set(evidence))),
                )
            )
    return tuple(drafts)


def copy_as_drafts(blueprint: Blueprint) -> tuple[BlueprintItemDraft, ...]:
    """Every item of a blueprint as drafts: the "to be" starts as a copy of the "as is"."""
    return tuple(
        BlueprintItemDraft(
            i.stage_id,
            i.lane,
            i.text,
            i.fail_point,
            i.wait_point,
            i.wait_time,
            i.status,
            i.story_ids,
            i.stakeholder_ids,
        )
        for i in blueprint.items
    )


# --- comparing as is and to be ---------------------------------------------------------------------


@dataclass(frozen=True)
class ComparisonRow:
    stage: Stage
    lane: BlueprintLane
    as_is: tuple[str, ...]
    to_be: tuple[str, ...]

    @property
    def changed(self) -> bool:
        return self.as_is != self.to_be


@dataclass(frozen=True)
class BlueprintComparison:
    """The two versions cell by cell, with their fail and wait points counted."""

    rows: tuple[ComparisonRow, ...]
    fail_points: tuple[int, int]
    wait_points: tuple[int, int]

    @property
    def changed(self) -> tuple[ComparisonRow, ...]:
        return tuple(r for r in self.rows if r.changed)

    def table(self) -> list[list[str]]:
        """Rows of plain text: stage, lane, as is, to be, changed (only cells with items)."""
        rows = [["Stage", "Lane", "As is", "To be", "Changed"]]
        for r in self.rows:
            if r.as_is or r.to_be:
                rows.append(
                    [r.stage.name, r.lane.name, "\n".join(r.as_is), "\n".join(r.to_be), "yes" if r.changed else ""]
                )
        return rows


def compare_blueprints(as_is: Blueprint, to_be: Blueprint) -> BlueprintComparison:
    """Compare the service today with the proposed one, stage by stage and lane by lane."""
    rows = tuple(
        ComparisonRow(
            stage,
            lane,
            tuple(_item_line(i) for i in as_is.cell(stage.id, lane.key)),
            tuple(_item_line(i) for i in to_be.cell(stage.id, lane.key)),
        )
        for stage in as_is.stages
        for lane in as_is.lanes
    )
    return BlueprintComparison(
        rows,
        (len(as_is.fail_points), len(to_be.fail_points)),
        (len(as_is.wait_points), len(to_be.wait_points)),
    )


# --- editing ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class BlueprintEdits:
    added: tuple[BlueprintItemDraft, ...] = ()
    updated: tuple[BlueprintItem, ...] = ()
    deleted: tuple[int, ...] = ()
    problems: tuple[str, ...] = ()

    @property
    def empty(self) -> bool:
        return not (self.added or self.updated or self.deleted)


def blueprint_grid_rows(blueprint: Blueprint) -> list[dict[str, object]]:
    """Rows for the editing grid, with stages and lanes by name."""
    stage_names = {s.id: s.name for s in blueprint.stages}
    lane_names = {lane.key: lane.name for lane in blueprint.lanes}
    return [
        {
            "id": i.id,
            "stage": stage_names[i.stage_id],
            "lane": lane_names[i.lane],
            "text": i.text,
            "fail point": i.fail_point,
            "wait point": i.wait_point,
            "wait time": i.wait_time,
            "status": STATUSES[i.status],
            "stories": len(i.story_ids),
            "stakeholders": len(i.stakeholder_ids),
        }
        for i in blueprint.items
    ]


def _flag(value: object) -> bool:
    if is_missing(value):
        return False
    if isinstance(value, str):
        return value.strip().lower() in {"true", "yes", "1", "y"}
    return bool(value)


def blueprint_edits(blueprint: Blueprint, rows: Sequence[Mapping[str, object]]) -> BlueprintEdits:
    """Turn the edited grid back into changes (rows as from ``grid_rows``; new rows have no id).

    A row left out, or whose text was cleared, is deleted. A wait time marks the item as a
    wait point. Returns problems (one line each, naming the row) and no changes if any row
    cannot be read.
    """
    stages = {s.name: s.id for s in blueprint.stages}
    lanes = {lane.name: lane.key for lane in blueprint.lanes} | {lane.key: lane.key for lane in blueprint.lanes}
    statuses = {name: key for key, name in STATUSES.items()} | {key: key for key in STATUSES}
    old = {i.id: i for i in blueprint.items}
    added: list[BlueprintItemDraft] = []
    updated: list[BlueprintItem] = []
    kept: set[int] = set()
    cleared: set[int] = set()
    problems: list[str] = []
    for number, row in enumerate(rows, start=1):
        text = clean_text(row.get("text"))
        item_id = row_id(row.get("id"))
        stage_id = stages.get(clean_text(row.get("stage")))
        lane = lanes.get(clean_text(row.get("lane")))
        status = statuses.get(clean_text(row.get("status")), "accepted")
        wait_time = clean_text(row.get("wait time"), MAX_WAIT_CHARS)
        fail = _flag(row.get("fail point"))
        wait = _flag(row.get("wait point")) or bool(wait_time)
        known = item_id is not None and item_id in old
        if known:
            kept.add(item_id)  # type: ignore[arg-type]
        if not text:
            if known:
                cleared.add(item_id)  # type: ignore[arg-type]
            continue
        if stage_id is None or lane is None:
            problems.append(f"Row {number}: choose a stage and a lane.")
            continue
        if known:
            item = old[item_id]  # type: ignore[index]
            new = BlueprintItem(
                item.id,
                item.version,
                stage_id,
                lane,
                text,
                item.position,
                fail,
                wait,
                wait_time if wait else "",
                status,  # type: ignore[arg-type]
                item.story_ids,
                item.stakeholder_ids,
            )
            if new != item:
                updated.append(new)
        else:
            added.append(BlueprintItemDraft(stage_id, lane, text, fail, wait, wait_time if wait else "", status))  # type: ignore[arg-type]
    if problems:
        return BlueprintEdits(problems=tuple(problems))
    return BlueprintEdits(tuple(added), tuple(updated), tuple(sorted((set(old) - kept) | cleared)))


def marked_items(blueprint: Blueprint, stakeholder_names: Mapping[int, str]) -> list[dict[str, object]]:
    """Fail and wait points as rows: stage, lane, item, marks, stories and stakeholders."""
    stage_names = {s.id: s.name for s in blueprint.stages}
    lane_names = {lane.key: lane.name for lane in blueprint.lanes}
    return [
        {
            "stage": stage_names[i.stage_id],
            "lane": lane_names[i.lane],
            "item": i.text,
            "marks": item_marks(i),
            "stories": ", ".join(f"#{s}" for s in i.story_ids),
            "stakeholders": ", ".join(stakeholder_names.get(h, "?") for h in i.stakeholder_ids),
        }
        for i in blueprint.items
        if i.fail_point or i.wait_point
    ]


def story_choices(stories: Sequence[Story], stages: Sequence[Stage]) -> dict[int, str]:
    """Story id -> a short label without the story's words, for pickers that link stories."""
    names = {s.key: s.name for s in stages}
    return {
        s.id: f"#{s.id} · {names.get(str(s.stage_key), 'no stage')} · {s.lens_key or 'no lens'} · "
        + (f"feeling {s.emotion}/5" if s.emotion is not None else "no rating")
        for s in stories
        if s.moderation_status == "approved" and not s.is_flagged
    }
