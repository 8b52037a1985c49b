"""The database schema: every table of the product, in one place.

The foundation defines all of them so that capabilities added later share one data
model instead of fighting over it. Alembic migrations in ``migrations/`` create and
evolve these tables; the ORM classes here are what repository functions use.

Deletion is by foreign key: withdrawing a story deletes it, and ``ON DELETE CASCADE``
removes its theme assignment and its links to journey and blueprint evidence.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

# Stable constraint names, so migrations on SQLite (batch mode) and PostgreSQL agree.
NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    return datetime.now(UTC)


def as_utc(value: datetime) -> datetime:
    """SQLite hands back naive datetimes (stored as UTC); PostgreSQL aware ones. Make both aware."""
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map: ClassVar[dict[Any, Any]] = {dict[str, Any]: JSON, list[Any]: JSON}


def _ts() -> Mapped[datetime]:
    return mapped_column(DateTime(timezone=True), default=utcnow, nullable=False)


def _workshop_fk() -> Mapped[int]:
    return mapped_column(ForeignKey("workshops.id", ondelete="CASCADE"), index=True, nullable=False)


class AppSetting(Base):
    """Settings of the installation, such as the facilitator passcode's hash."""

    __tablename__ = "app_settings"
    key: Mapped[str] = mapped_column(String(80), primary_key=True)
    value: Mapped[str] = mapped_column(Text, nullable=False)
    updated_at: Mapped[datetime] = _ts()


class KitRow(Base):
    """A kit uploaded by a facilitator (shipped kits stay on disk)."""

    __tablename__ = "kits"
    id: Mapped[int] = mapped_column(primary_key=True)
    kit_id: Mapped[str] = mapped_column(String(60), unique=True, nullable=False)
    title: Mapped[str] = mapped_column(String(120), nullable=False)
    yaml_text: Mapped[str] = mapped_column(Text, nullable=False)
    created_at: Mapped[datetime] = _ts()


class WorkshopRow(Base):
    __tablename__ = "workshops"
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(12), unique=True, nullable=False)
    title: Mapped[str] = mapped_column(String(200), nullable=False)
    kit_id: Mapped[str] = mapped_column(String(60), nullable=False)
    # The kit as it was when the workshop was created: later edits to the file do not
    # change a running workshop.
    kit_yaml: Mapped[str] = mapped_column(Text, nullable=False)
    status: Mapped[str] = mapped_column(String(10), default="open", nullable=False)
    is_demo: Mapped[bool] = mapped_column(Boolean, default=False, nullable=False)
    settings: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict, nullable=False)
    # When the wall's activity countdown ends (set by the facilitator), or null.
    timer_ends_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = _ts()
    updated_at: Mapped[datetime] = _ts()
    __table_args__ = (CheckConstraint("status in ('open', 'closed')", name="status"),)


class StageRow(Base):
    __tablename__ = "stages"
    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = _workshop_fk()
    position: Mapped[int] = mapped_column(Integer, nullable=False)
    key: Mapped[str] = mapped_column(String(40), nullable=False)
    name: Mapped[str] = mapped_column(String(80), nullable=False)
    prompt: Mapped[str] = mapped_column(Text, default="", nullable=False)
    thrive_grouping: Mapped[str | None] = mapped_column(String(40))
    __table_args__ = (UniqueConstraint("workshop_id", "key", name="uq_stages_workshop_key"),)


class LensRow(Base):
    __tablename__ = "lenses"
    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = _workshop_fk()
    position: Mapped[int] = mapped_column(Integer, nullable=False)
    key: Mapped[str] = mapped_column(String(40), nullable=False)
    name: Mapped[str] = mapped_column(String(60), nullable=False)
    __table_args__ = (UniqueConstraint("workshop_id", "key", name="uq_lenses_workshop_key"),)


class StoryRow(Base):
    """A story as stored: text already de-identified; never the raw submission."""

    __tablename__ = "stories"
    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = _workshop_fk()
    stage_id: Mapped[int | None] = mapped_column(ForeignKey("stages.id", ondelete="SET NULL"))
    lens_key: Mapped[str | None] = mapped_column(String(40))
    text: Mapped[str] = mapped_column(Text, nullable=False)
    emotion: Mapped[int | None] = mapped_column(Integer)
    helped: Mapped[str] = mapped_column(Text, default="", nullable=False)
    would_have_helped: Mapped[str] = mapped_column(Text, default="", nullable=False)
    strengths: Mapped[str] = mapped_column(Text, default="", nullable=False)
    consent: Mapped[str] = mapped_column(String(20), default="themes_only", nullable=False)
    # pending -> approved | hidden (pre-moderation); hidden can be restored.
    moderation_status: Mapped[str] = mapped_column(String(12), default="pending", nullable=False)
    # Safeguarding: risk categories found, whether only historical, and whether a
    # facilitator has reviewed it. An unreviewed flagged story stays off the wall and
    # out of exports.
    risk_flags: Mapped[list[Any]] = mapped_column(JSON, default=list, nullable=False)
    risk_historical_only: Mapped[bool] = mapped_column(Boolean, default=False, nullable=False)
    risk_reviewed: Mapped[bool] = mapped_column(Boolean, default=False, nullable=False)
    # urgent | concern | past | "" (no risk): what the facilitator should do first.
    risk_severity: Mapped[str] = mapped_column(String(12), default="", server_default="", nullable=False)
    # Likely personal names and redactions, for the facilitator's review.
    privacy_flags: Mapped[list[Any]] = mapped_column(JSON, default=list, nullable=False)
    needs_attention: Mapped[bool] = mapped_column(Boolean, default=False, nullable=False)
    client_submission_id: Mapped[str] = mapped_column(String(64), nullable=False)
    withdraw_code_hash: Mapped[str | None] = mapped_column(String(128), unique=True)
    # An anonymous device token (hashed): counts participants, rate-limits, never identifies.
    device_hash: Mapped[str | None] = mapped_column(String(128), index=True)
    source: Mapped[str] = mapped_column(String(12), default="participant", nullable=False)
    created_at: Mapped[datetime] = _ts()
    updated_at: Mapped[datetime] = _ts()
    __table_args__ = (
        UniqueConstraint("workshop_id", "client_submission_id", name="uq_stories_submission"),
        CheckConstraint("emotion is null or (emotion between 1 and 5)", name="emotion"),
        CheckConstraint("consent in ('themes_only', 'anonymous_quote', 'report_quote')", name="consent"),
        CheckConstraint("moderation_status in ('pending', 'approved', 'hidden')", name="moderation"),
    )


class ThemeRow(Base):
    __tablename__ = "themes"
    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = _workshop_fk()
    label: Mapped[str] = mapped_column(String(120), nullable=False)
    description: Mapped[str] = mapped_column(Text, default="", nullable=False)
    # The room's insight statement, written on the Themes screen; the report quotes it.
    insight: Mapped[str] = mapped_column(Text, default="", server_default="", nullable=False)
    pinned: Mapped[bool] = mapped_column(Boolean, default=False, nullable=False)
    # "auto" themes come from clustering; "manual" ones were made or renamed by hand.
    origin: Mapped[str] = mapped_column(String(10), default="auto", nullable=False)
    position: Mapped[int] = mapped_column(Integer, default=0, nullable=False)
    method: Mapped[str | None] = mapped_column(String(40))
    centroid: Mapped[list[Any] | None] = mapped_column(JSON)
    created_at: Mapped[datetime] = _ts()
    updated_at: Mapped[datetime] = _ts()


class StoryThemeRow(Base):
    """Which theme a story sits in: one theme per story, like a sticky note on a board."""

    __tablename__ = "story_themes"
    story_id: Mapped[int] = mapped_column(ForeignKey("stories.id", ondelete="CASCADE"), primary_key=True)
    theme_id: Mapped[int] = mapped_column(ForeignKey("themes.id", ondelete="CASCADE"), index=True, nullable=False)
    # "manual" assignments are a facilitator's choice and re-clustering never moves them.
    source: Mapped[str] = mapped_column(String(10), default="auto", nullable=False)
    score: Mapped[float | None] = mapped_column(Float)
    created_at: Mapped[datetime] = _ts()


class StakeholderRow(Base):
    __tablename__ = "stakeholders"
    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = _workshop_fk()
    name: Mapped[str] = mapped_column(String(80), nullable=False)
    aliases: Mapped[list[Any]] = mapped_column(JSON, default=list, nullable=False)
    kind: Mapped[str] = mapped_column(String(20), default="service", nullable=False)
    sector: Mapped[str] = mapped_column(String(40), default="other", nullable=False)
    influence: Mapped[int] = mapped_column(Integer, default=3, nullable=False)
    interest: Mapped[int] = mapped_column(Integer, default=3, nullable=False)
    notes: Mapped[str] = mapped_column(Text, default="", nullable=False)
    __table_args__ = (
        UniqueConstraint("workshop_id", "name", name="uq_stakeholders_workshop_name"),
        CheckConstraint("influence between 1 and 5", name="influence"),
        CheckConstraint("interest between 1 and 5", name="interest"),
    )


class RelationshipRow(Base):
    __tablename__ = "relationships"
    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = _workshop_fk()
    source_id: Mapped[int] = mapped_column(ForeignKey("stakeholders.id", ondelete="CASCADE"), nullable=False)
    target_id: Mapped[int] = mapped_column(ForeignKey("stakeholders.id", ondelete="CASCADE"), nullable=False)
    type: Mapped[str] = mapped_column(String(40), nullable=False)
    directed: Mapped[bool] = mapped_column(Boolean, default=True, nullable=False)
    strength: Mapped[int] = mapped_column(Integer, default=2, nullable=False)
    note: Mapped[str] = mapped_column(Text, default="", nullable=False)
    __table_args__ = (CheckConstraint("strength between 1 and 3", name="strength"),)


class JourneyCellRow(Base):
    """One item on the journey map: a stage x lane cell can hold several."""

    __tablename__ = "journey_cells"
    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = _workshop_fk()
    stage_id: Mapped[int] = mapped_column(ForeignKey("stages.id", ondelete="CASCADE"), index=True, nullable=False)
    # doing | touchpoints | thoughts_feelings | pain_points | opportunities
    lane: Mapped[str] = mapped_column(String(30), nullable=False)
    text: Mapped[str] = mapped_column(Text, nullable=False)
    position: Mapped[int] = mapped_column(Integer, default=0, nullable=False)
    # proposed (by the tool) | accepted | rejected; items typed by hand are accepted.
    status: Mapped[str] = mapped_column(String(10), default="accepted", nullable=False)
    created_at: Mapped[datetime] = _ts()


class JourneyEvidenceRow(Base):
    __tablename__ = "journey_evidence"
    cell_id: Mapped[int] = mapped_column(ForeignKey("journey_cells.id", ondelete="CASCADE"), primary_key=True)
    story_id: Mapped[int] = mapped_column(ForeignKey("stories.id", ondelete="CASCADE"), primary_key=True)


class PersonaRow(Base):
    """A persona the room defines: a name, a short description, and the stories it is drawn from."""

    __tablename__ = "personas"
    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = _workshop_fk()
    name: Mapped[str] = mapped_column(String(80), nullable=False)
    description: Mapped[str] = mapped_column(Text, default="", nullable=False)
    created_at: Mapped[datetime] = _ts()
    __table_args__ = (UniqueConstraint("workshop_id", "name", name="uq_personas_workshop_name"),)


class PersonaStoryRow(Base):
    """A story a persona is drawn from; withdrawing the story deletes the link with it."""

    __tablename__ = "persona_stories"
    persona_id: Mapped[int] = mapped_column(ForeignKey("personas.id", ondelete="CASCADE"), primary_key=True)
    story_id: Mapped[int] = mapped_column(ForeignKey("stories.id", ondelete="CASCADE"), primary_key=True, index=True)


class BlueprintCellRow(Base):
    __tablename__ = "blueprint_cells"
    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = _workshop_fk()
    # "as_is" (the service today) or "to_be" (the proposed one).
    version: Mapped[str] = mapped_column(String(10), default="as_is", nullable=False)
    stage_id: Mapped[int] = mapped_column(ForeignKey("stages.id", ondelete="CASCADE"), index=True, nullable=False)
    lane: Mapped[str] = mapped_column(String(30), nullable=False)
    text: Mapped[str] = mapped_column(Text, nullable=False)
    position: Mapped[int] = mapped_column(Integer, default=0, nullable=False)
    is_fail_point: Mapped[bool] = mapped_column(Boolean, default=False, nullable=False)
    is_wait_point: Mapped[bool] = mapped_column(Boolean, default=False, nullable=False)
    wait_time: Mapped[str] = mapped_column(String(60), default="", nullable=False)
    status: Mapped[str] = mapped_column(String(10), default="accepted", nullable=False)
    created_at: Mapped[datetime] = _ts()
    __table_args__ = (CheckConstraint("version in ('as_is', 'to_be')", name="version"),)


class BlueprintEvidenceRow(Base):
    __tablename__ = "blueprint_evidence"
    cell_id: Mapped[int] = mapped_column(ForeignKey("blueprint_cells.id", ondelete="CASCADE"), primary_key=True)
    story_id: Mapped[int] = mapped_column(ForeignKey("stories.id", ondelete="CASCADE"), primary_key=True)


class BlueprintStakeholderRow(Base):
    __tablename__ = "blueprint_stakeholders"
    cell_id: Mapped[int] = mapped_column(ForeignKey("blueprint_cells.id", ondelete="CASCADE"), primary_key=True)
    stakeholder_id: Mapped[int] = mapped_column(ForeignKey("stakeholders.id", ondelete="CASCADE"), primary_key=True)


class RoundRow(Base):
    """An ideas round (ideas and dot votes) or an agreement round (agree / disagree / pass)."""

    __tablename__ = "rounds"
    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = _workshop_fk()
    kind: Mapped[str] = mapped_column(String(12), nullable=False)
    prompt: Mapped[str] = mapped_column(Text, nullable=False)
    theme_id: Mapped[int | None] = mapped_column(ForeignKey("themes.id", ondelete="SET NULL"))
    journey_cell_id: Mapped[int | None] = mapped_column(ForeignKey("journey_cells.id", ondelete="SET NULL"))
    # ideas -> voting -> closed; agreement rounds go open -> closed.
    status: Mapped[str] = mapped_column(String(10), default="ideas", nullable=False)
    vote_budget: Mapped[int] = mapped_column(Integer, default=3, nullable=False)
    revealed: Mapped[bool] = mapped_column(Boolean, default=False, nullable=False)
    created_at: Mapped[datetime] = _ts()
    __table_args__ = (CheckConstraint("kind in ('ideas', 'agreement')", name="kind"),)


class IdeaRow(Base):
    """An idea from a phone: the same privacy, safeguarding and moderation path as a story."""

    __tablename__ = "ideas"
    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = _workshop_fk()
    round_id: Mapped[int] = mapped_column(ForeignKey("rounds.id", ondelete="CASCADE"), index=True, nullable=False)
    text: Mapped[str] = mapped_column(Text, nullable=False)
    lens_key: Mapped[str | None] = mapped_column(String(40))
    moderation_status: Mapped[str] = mapped_column(String(12), default="pending", nullable=False)
    risk_flags: Mapped[list[Any]] = mapped_column(JSON, default=list, nullable=False)
    risk_reviewed: Mapped[bool] = mapped_column(Boolean, default=False, nullable=False)
    risk_severity: Mapped[str] = mapped_column(String(12), default="", server_default="", nullable=False)
    privacy_flags: Mapped[list[Any]] = mapped_column(JSON, default=list, nullable=False)
    client_submission_id: Mapped[str] = mapped_column(String(64), nullable=False)
    device_hash: Mapped[str | None] = mapped_column(String(128))
    # Placement on the impact / effort grid (1-5), set by the facilitator.
    impact: Mapped[float | None] = mapped_column(Float)
    effort: Mapped[float | None] = mapped_column(Float)
    created_at: Mapped[datetime] = _ts()
    __table_args__ = (UniqueConstraint("workshop_id", "client_submission_id", name="uq_ideas_submission"),)


class VoteRow(Base):
    """Dots one device put on one idea; the budget is checked in the same transaction."""

    __tablename__ = "votes"
    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("rounds.id", ondelete="CASCADE"), index=True, nullable=False)
    idea_id: Mapped[int] = mapped_column(ForeignKey("ideas.id", ondelete="CASCADE"), nullable=False)
    device_hash: Mapped[str] = mapped_column(String(128), nullable=False)
    lens_key: Mapped[str | None] = mapped_column(String(40))
    dots: Mapped[int] = mapped_column(Integer, nullable=False)
    updated_at: Mapped[datetime] = _ts()
    __table_args__ = (
        UniqueConstraint("idea_id", "device_hash", name="uq_votes_idea_device"),
        CheckConstraint("dots >= 0", name="dots"),
    )


class StatementRow(Base):
    """A statement people mark agree / disagree / pass on (Polis style)."""

    __tablename__ = "statements"
    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("rounds.id", ondelete="CASCADE"), index=True, nullable=False)
    text: Mapped[str] = mapped_column(Text, nullable=False)
    idea_id: Mapped[int | None] = mapped_column(ForeignKey("ideas.id", ondelete="SET NULL"))
    theme_id: Mapped[int | None] = mapped_column(ForeignKey("themes.id", ondelete="SET NULL"))
    position: Mapped[int] = mapped_column(Integer, default=0, nullable=False)


class AgreementRow(Base):
    __tablename__ = "agreements"
    id: Mapped[int] = mapped_column(primary_key=True)
    statement_id: Mapped[int] = mapped_column(
        ForeignKey("statements.id", ondelete="CASCADE"), index=True, nullable=False
    )
    device_hash: Mapped[str] = mapped_column(String(128), nullable=False)
    lens_key: Mapped[str | None] = mapped_column(String(40))
    # 1 agree, -1 disagree, 0 pass
    value: Mapped[int] = mapped_column(Integer, nullable=False)
    updated_at: Mapped[datetime] = _ts()
    __table_args__ = (
        UniqueConstraint("statement_id", "device_hash", name="uq_agreements_statement_device"),
        CheckConstraint("value in (-1, 0, 1)", name="value"),
    )


class AuditRow(Base):
    """Who did what, when: moderation, withdrawal and deletion. Never the story text."""

    __tablename__ = "audit_log"
    id: Mapped[int] = mapped_column(primary_key=True)
    # Not a foreign key: the record of a deleted workshop's erasure outlives it.
    workshop_id: Mapped[int | None] = mapped_column(Integer, index=True)
    at: Mapped[datetime] = _ts()
    actor: Mapped[str] = mapped_column(String(20), nullable=False)
    action: Mapped[str] = mapped_column(String(40), nullable=False)
    target_type: Mapped[str] = mapped_column(String(20), default="", nullable=False)
    target_id: Mapped[int | None] = mapped_column(Integer)
    detail: Mapped[str] = mapped_column(String(200), default="", nullable=False)


class ThrottleRow(Base):
    """Recent attempts per key (join codes, passcodes, submissions), for rate limits
    that hold across server processes."""

    __tablename__ = "throttle_events"
    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(160), nullable=False)
    at: Mapped[datetime] = _ts()
    __table_args__ = (Index("ix_throttle_key_at", "key", "at"),)


class HistoryRow(Base):
    """One change to a workshop's theme board, stakeholder map, journey map or blueprint, for undo.

    ``snapshot`` is the board as it was *before* the change (ids and the room's own words;
    never story text), so undo restores it and any earlier version can be brought back.
    """

    __tablename__ = "history"
    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = mapped_column(ForeignKey("workshops.id", ondelete="CASCADE"), nullable=False)
    board: Mapped[str] = mapped_column(String(20), nullable=False)
    """"themes", "stakeholders", "journey" or "blueprint"."""
    actor: Mapped[str] = mapped_column(String(40), nullable=False)
    """"facilitator" or "room device"."""
    summary: Mapped[str] = mapped_column(String(200), default="", nullable=False)
    at: Mapped[datetime] = _ts()
    snapshot: Mapped[dict[str, Any]] = mapped_column(JSON, nullable=False)
    __table_args__ = (Index("ix_history_workshop_board", "workshop_id", "board", "id"),)


class StoryDraftRow(Base):
    """A story being written on one phone, kept so that a reload, a lost connection or a server
    restart gives it back. One per device and workshop; deleted when the story is shared or
    discarded, and with its workshop.

    ``fields`` is what the person typed, before de-identification: it is shown only to the
    device that holds the token whose hash is ``device_hash``, and never leaves this table.
    """

    __tablename__ = "story_drafts"
    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = mapped_column(ForeignKey("workshops.id", ondelete="CASCADE"), nullable=False)
    device_hash: Mapped[str] = mapped_column(String(128), nullable=False)
    step: Mapped[str] = mapped_column(String(12), default="write", nullable=False)
    """"write" (the form) or "preview"."""
    fields: Mapped[dict[str, Any]] = mapped_column(JSON, nullable=False)
    # The form's submission id, so a share repeated after a restart stores one story and shows the
    # same code (derived from the phone's token and this id). ``withdraw_code`` is set only in drafts
    # saved before codes were derived; it is empty now.
    client_submission_id: Mapped[str] = mapped_column(String(64), nullable=False)
    withdraw_code: Mapped[str] = mapped_column(String(20), nullable=False)
    updated_at: Mapped[datetime] = _ts()
    __table_args__ = (
        UniqueConstraint("workshop_id", "device_hash", name="uq_story_drafts_workshop_device"),
        CheckConstraint("step in ('write', 'preview')", name="step"),
    )


class ActionRow(Base):
    """An action the room agreed: what, who (a role or organisation), by when, and how progress is measured."""

    __tablename__ = "actions"
    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = _workshop_fk()
    text: Mapped[str] = mapped_column(Text, nullable=False)
    owner: Mapped[str] = mapped_column(String(200), default="", nullable=False)
    due: Mapped[date | None] = mapped_column(Date)
    measure: Mapped[str] = mapped_column(Text, default="", nullable=False)
    # agreed -> under_way -> done
    status: Mapped[str] = mapped_column(String(12), default="agreed", nullable=False)
    position: Mapped[int] = mapped_column(Integer, default=0, nullable=False)
    created_at: Mapped[datetime] = _ts()
    updated_at: Mapped[datetime] = _ts()
    __table_args__ = (CheckConstraint("status in ('agreed', 'under_way', 'done')", name="status"),)


class ActionLinkRow(Base):
    """What an action answers: exactly one of a pain point, a fail point, an idea or a theme.

    Each target has its own foreign key, so deleting the item deletes the link and a
    backup restores the link to the item's new id.
    """

    __tablename__ = "action_links"
    id: Mapped[int] = mapped_column(primary_key=True)
    action_id: Mapped[int] = mapped_column(ForeignKey("actions.id", ondelete="CASCADE"), index=True, nullable=False)
    journey_cell_id: Mapped[int | None] = mapped_column(ForeignKey("journey_cells.id", ondelete="CASCADE"))
    blueprint_cell_id: Mapped[int | None] = mapped_column(ForeignKey("blueprint_cells.id", ondelete="CASCADE"))
    idea_id: Mapped[int | None] = mapped_column(ForeignKey("ideas.id", ondelete="CASCADE"))
    theme_id: Mapped[int | None] = mapped_column(ForeignKey("themes.id", ondelete="CASCADE"))
    __table_args__ = (
        CheckConstraint(
            "(CASE WHEN journey_cell_id IS NULL THEN 0 ELSE 1 END)"
            " + (CASE WHEN blueprint_cell_id IS NULL THEN 0 ELSE 1 END)"
            " + (CASE WHEN idea_id IS NULL THEN 0 ELSE 1 END) + (CASE WHEN theme_id IS NULL THEN 0 ELSE 1 END) = 1",
            name="one_target",
        ),
    )
