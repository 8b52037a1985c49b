"""Domain values: frozen dataclasses that the core passes around and front ends render."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

WorkshopStatus = Literal["open", "closed"]
Consent = Literal["themes_only", "anonymous_quote", "report_quote"]
ModerationStatus = Literal["pending", "approved", "hidden"]

CONSENT_LABELS: dict[str, str] = {
    "themes_only": "Use it for themes only: never quoted",
    "anonymous_quote": "Quote it anonymously in the workshop",
    "report_quote": "Quote it anonymously in the workshop and in the report",
}

# Settings a workshop starts with; the facilitator can change them.
DEFAULT_SETTINGS: dict[str, Any] = {
    # New stories wait for a facilitator before they reach the wall.
    "premoderation": True,
    "vote_budget": 3,
    # Consent tiers whose stories the Word report may quote.
    "report_quote_consents": ["report_quote"],
    # Consent tiers whose stories the live wall may show.
    "wall_consents": ["anonymous_quote", "report_quote"],
    # Consent tiers whose words the CSV and Excel files hold: they are easily sent on, so
    # "quote in the workshop" stays in the room unless a facilitator widens this.
    "data_file_consents": ["report_quote"],
    # Data protection, as the report's appendix states it: who decides how the stories
    # are used, on what lawful basis, and how long they are kept. Empty until set.
    "data_controller": "",
    "lawful_basis": "",
    "retention": "",
    # Who the facilitator tells about a safeguarding flag, and how to reach them
    # (e.g. "Sam Patel, on site, 07700 900123"); shown with every flag in the moderation queue.
    "safeguarding_lead": "",
}


@dataclass(frozen=True)
class Stage:
    id: int
    key: str
    name: str
    prompt: str
    position: int
    thrive_grouping: str | None = None


@dataclass(frozen=True)
class Lens:
    id: int
    key: str
    name: str
    position: int


@dataclass(frozen=True)
class Workshop:
    id: int
    code: str
    title: str
    kit_id: str
    status: WorkshopStatus
    is_demo: bool
    created_at: datetime
    settings: dict[str, Any] = field(default_factory=dict)
    story_count: int = 0

    @property
    def is_open(self) -> bool:
        return self.status == "open"

    def setting(self, name: str) -> Any:
        return self.settings.get(name, DEFAULT_SETTINGS.get(name))


@dataclass(frozen=True)
class Story:
    id: int
    workshop_id: int
    text: str
    stage_key: str | None
    lens_key: str | None
    emotion: int | None
    helped: str
    would_have_helped: str
    strengths: str
    consent: Consent
    moderation_status: ModerationStatus
    risk_flags: tuple[str, ...]
    risk_historical_only: bool
    risk_reviewed: bool
    privacy_flags: tuple[str, ...]
    needs_attention: bool
    source: str
    created_at: datetime
    risk_severity: str = ""
    """``urgent`` (a plan, an attempt, danger now), ``concern``, ``past``, or ``""`` (no risk)."""

    @property
    def is_flagged(self) -> bool:
        """Has risk language that no facilitator has reviewed yet."""
        return bool(self.risk_flags) and not self.risk_reviewed


@dataclass(frozen=True)
class StakeholderValue:
    id: int
    name: str
    aliases: tuple[str, ...]
    kind: str
    sector: str
    influence: int
    interest: int
    notes: str


@dataclass(frozen=True)
class RelationshipValue:
    id: int
    source_id: int
    target_id: int
    type: str
    directed: bool
    strength: int
    note: str


@dataclass(frozen=True)
class AuditEntry:
    at: datetime
    actor: str
    action: str
    target_type: str
    target_id: int | None
    detail: str


# --- journey map and service blueprint ------------------------------------------------------

ItemStatus = Literal["proposed", "accepted", "rejected"]
BlueprintVersion = Literal["as_is", "to_be"]


@dataclass(frozen=True)
class JourneyCell:
    """One item in a stage x lane cell of the journey map, with the stories that evidence it."""

    id: int
    stage_id: int
    lane: str
    text: str
    position: int
    status: ItemStatus
    story_ids: tuple[int, ...] = ()


@dataclass(frozen=True)
class Persona:
    """A persona the room defines (UXPressia and Smaply's sense): who, in a line, and the stories behind it."""

    id: int
    name: str
    description: str
    story_ids: tuple[int, ...] = ()


@dataclass(frozen=True)
class JourneyCellDraft:
    """A journey map item not yet stored."""

    stage_id: int
    lane: str
    text: str
    status: ItemStatus = "accepted"
    story_ids: tuple[int, ...] = ()


@dataclass(frozen=True)
class BlueprintItem:
    """One item on the service blueprint: a stage x lane cell can hold several."""

    id: int
    version: BlueprintVersion
    stage_id: int
    lane: str
    text: str
    position: int
    fail_point: bool
    wait_point: bool
    wait_time: str
    status: ItemStatus
    story_ids: tuple[int, ...] = ()
    stakeholder_ids: tuple[int, ...] = ()


@dataclass(frozen=True)
class BlueprintItemDraft:
    """A blueprint item not yet stored."""

    stage_id: int
    lane: str
    text: str
    fail_point: bool = False
    wait_point: bool = False
    wait_time: str = ""
    status: ItemStatus = "accepted"
    story_ids: tuple[int, ...] = ()
    stakeholder_ids: tuple[int, ...] = ()


@dataclass(frozen=True)
class StoryTheme:
    """The theme a story sits in, as the themes screen left it."""

    story_id: int
    theme_id: int
    label: str


@dataclass(frozen=True)
class BoardTheme:
    """A theme on the board, with the stories in it."""

    id: int
    label: str
    pinned: bool
    origin: str
    """"auto" (found by clustering) or "manual" (made, renamed, merged or split by hand)."""
    position: int
    method: str | None
    centroid: tuple[float, ...] | None
    story_ids: tuple[int, ...]
    manual_story_ids: tuple[int, ...]
    key_phrases: str = ""
    """The key phrases the tool found for it, to show beside the label ("" for a theme made by hand)."""
    insight: str = ""
    """The room's insight statement: what the theme's stories tell the room ("" until someone writes one)."""

    @property
    def size(self) -> int:
        return len(self.story_ids)

    @property
    def is_manual(self) -> bool:
        """Made or changed by hand: pinned, manual origin, or holding a story moved by hand."""
        return self.pinned or self.origin == "manual" or bool(self.manual_story_ids)


@dataclass(frozen=True)
class NewTheme:
    """A theme to add to the board, with the stories to put in it automatically."""

    label: str
    story_ids: tuple[int, ...]
    method: str | None = None
    centroid: tuple[float, ...] | None = None
    scores: tuple[float, ...] = ()
    origin: str = "auto"
    key_phrases: str = ""
