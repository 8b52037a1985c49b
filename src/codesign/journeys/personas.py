"""Personas and lenses: whose journey the map and the emotion curve show, and how they compare.

Experience-based co-design compares the journeys of people who use a service, carers and
staff. A lens is what each storyteller chose on their phone; a persona is what the room
defines on top: a name, a line saying who this is, and the stories it is drawn from (as
UXPressia and Smaply do). A persona holds only links to stories: withdrawing a story takes
it out of every persona, and a persona's journey is computed from the stories each time.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass

from codesign.errors import ValidationFailed
from codesign.journeys.journey import EmotionCurve, clean_text, counts_in_curve, may_quote, shorten
from codesign.models import Lens, Persona, Stage, Story

MAX_PERSONA_NAME = 80
MAX_PERSONA_DESCRIPTION = 400
# How much of a story a persona's story picker shows, when consent allows showing it at all:
# enough to recognise it, short enough for a pick list.
CHOICE_QUOTE_CHARS = 70
# A gap of a whole point on a 5-point scale between two lenses at one stage is the difference
# between "bad" and "OK": worth the room's attention.
LENS_GAP = 1.0

EVERYONE = "all"


@dataclass(frozen=True)
class JourneyView:
    """Whose journey is shown: everyone, one lens, or one persona."""

    kind: str
    """"all", "lens" or "persona"."""
    key: str = ""
    """The lens key, or the persona id as text."""
    title: str = "Everyone"

    @property
    def value(self) -> str:
        """One string for a picker: "all", "lens:<key>" or "persona:<id>"."""
        return EVERYONE if self.kind == EVERYONE else f"{self.kind}:{self.key}"


def journey_views(lenses: Sequence[Lens], personas: Sequence[Persona]) -> tuple[JourneyView, ...]:
    """Every way to show the journey: everyone, then each lens, then each persona."""
    return (
        JourneyView(EVERYONE),
        *(JourneyView("lens", lens.key, f"Lens: {lens.name}") for lens in lenses),
        *(JourneyView("persona", str(p.id), f"Persona: {p.name}") for p in personas),
    )


def persona_fields(
    name: str, description: str, personas: Sequence[Persona], persona_id: int | None = None
) -> tuple[str, str]:
    """A persona's name and description, cleaned and checked.

    Raises:
        ValidationFailed: If the name is empty, too long or another persona's; or the description too long.
    """
    clean_name = clean_text(name, MAX_PERSONA_NAME + 1)
    clean_description = clean_text(description, MAX_PERSONA_DESCRIPTION + 1)
    if not clean_name:
        raise ValidationFailed("Give the persona a name, for example “Sam, a carer for his mum”.")
    if len(clean_name) > MAX_PERSONA_NAME:
        raise ValidationFailed(f"Keep the persona's name under {MAX_PERSONA_NAME} characters.")
    if len(clean_description) > MAX_PERSONA_DESCRIPTION:
        raise ValidationFailed(f"Keep the description under {MAX_PERSONA_DESCRIPTION} characters.")
    if any(p.name.casefold() == clean_name.casefold() and p.id != persona_id for p in personas):
        raise ValidationFailed(f"There is already a persona called “{clean_name}”. Choose another name.")
    return clean_name, clean_description


def persona_stories(persona: Persona, stories: Sequence[Story]) -> list[Story]:
    """The persona's stories among ``stories`` (stories withdrawn since are simply gone)."""
    linked = set(persona.story_ids)
    return [s for s in stories if s.id in linked]


def story_choices(
    stories: Sequence[Story], stages: Sequence[Stage], lenses: Sequence[Lens], *, quote_consents: Collection[str]
) -> dict[int, str]:
    """Story id -> a label for the persona's story picker: number, stage, lens and feeling, and the
    story's opening words only where consent allows showing them here."""
    stage_names = {s.key: s.name for s in stages}
    lens_names = {lens.key: lens.name for lens in lenses}
    out: dict[int, str] = {}
    for story in stories:
        if not counts_in_curve(story):
            continue
        parts = [
            f"#{story.id}",
            stage_names.get(str(story.stage_key), "no stage"),
            lens_names.get(str(story.lens_key), "no lens"),
            f"feeling {story.emotion}/5" if story.emotion is not None else "no rating",
        ]
        if may_quote(story, quote_consents):
            parts.append(f"“{shorten(story.text, CHOICE_QUOTE_CHARS)}”")
        out[story.id] = " · ".join(parts)
    return out


def lens_gaps(curve: EmotionCurve, *, gap: float = LENS_GAP) -> tuple[str, ...]:
    """Where the lenses felt a stage differently: one sentence per stage whose best and worst
    lens means are at least ``gap`` apart, in the curve's own numbers.

    Only lenses the workshop has count (not stories without a lens), and only ratings that
    exist: a lens with no rating at a stage is not compared there.
    """
    out: list[str] = []
    for i, stage in enumerate(curve.stages):
        rated = [(s.lens_name, s.points[i]) for s in curve.series if s.known and s.points[i].mean is not None]
        if len(rated) < 2:
            continue
        low = min(rated, key=lambda r: r[1].mean or 0.0)
        high = max(rated, key=lambda r: r[1].mean or 0.0)
        if (high[1].mean or 0.0) - (low[1].mean or 0.0) < gap:
            continue
        thin = " Thin evidence: ask the room." if low[1].thin or high[1].thin else ""
        out.append(
            f"{stage.name}: {low[0]} {low[1].describe().split(' · ')[0]}, "
            f"{high[0]} {high[1].describe().split(' · ')[0]}.{thin}"
        )
    return tuple(out)


def comparison_grid(stages: Sequence[Stage], columns: Sequence[tuple[str, EmotionCurve]]) -> list[list[str]]:
    """Stage by column (a persona, or everyone), each cell the curve's own words ("2.3 of 5 (n=7)")."""
    header = ["Stage", *(name for name, _curve in columns)]
    rows = [[stage.name, *(curve.overall[i].describe() for _name, curve in columns)] for i, stage in enumerate(stages)]
    return [header, *rows]
