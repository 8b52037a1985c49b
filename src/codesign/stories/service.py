"""Stories from phones: capture (normalise -> de-identify -> safeguarding -> store), consent,
withdrawal, and moderation.

Only de-identified text is ever stored. A story with risk language is accepted, never
blocked; it waits for a facilitator's private review and stays off the wall and out of
exports until then. A facilitator's edit can only remove words, never add them.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine
from sqlalchemy.exc import IntegrityError

from codesign import workshops
from codesign.errors import NotFoundError, ThrottledError, ValidationFailed
from codesign.kits import Kit
from codesign.models import CONSENT_LABELS, Story, Workshop
from codesign.participants import hash_device
from codesign.privacy import PreparedText, prepare_text
from codesign.privacy.normalise import for_storage
from codesign.privacy.support import SupportPanel, support_panel
from codesign.storage import stories as repo
from codesign.storage import workshops as workshop_repo
from codesign.storage.db import write_session

# About a page of A4: enough for one moment told fully, short enough to read on a wall.
MAX_STORY_CHARS = 5_000
MAX_FIELD_CHARS = 2_000
# A person might share several stories in a workshop; a script sharing hundreds is not
# a person. Twelve in ten minutes is far above what anyone types on a phone.
RATE_LIMIT_STORIES = 12
RATE_LIMIT_WINDOW = timedelta(minutes=10)
WITHDRAW_ATTEMPTS = 10
WITHDRAW_WINDOW = timedelta(minutes=10)
# No 0/O, 1/I/L, 5/S: the code is copied from a phone screen onto paper. 29^12 is about
# 3.5e17, far beyond guessing at ten tries per ten minutes.
WITHDRAW_ALPHABET = workshops.CODE_ALPHABET
WITHDRAW_CODE_LENGTH = 12
SUBMISSION_ID_MAX = 64
# What a facilitator may put where words were removed; it adds no meaning.
REMOVED_MARK = "[removed]"
EDITABLE_FIELDS = ("text", "helped", "would_have_helped", "strengths")
FIELD_NAMES = {
    "text": "story",
    "helped": "what helped",
    "would_have_helped": "what would have helped",
    "strengths": "strengths and support",
}

NO_STORY = "Please write your story before sending it. Only the story is needed; everything else is optional."
TOO_MANY = (
    "You've shared a lot of stories in a short time. Thank you! Please wait a few minutes before sending another."
)
WRONG_CODE = "We couldn't find a story with that code. Check the code and try again: it has 12 letters and numbers."


@dataclass(frozen=True)
class StoryDraft:
    """What a participant typed in the story form, before anything is stored."""

    text: str
    stage_key: str | None = None
    lens_key: str | None = None
    emotion: int | None = None
    helped: str = ""
    would_have_helped: str = ""
    strengths: str = ""
    consent: str = "themes_only"


@dataclass(frozen=True)
class StoryPreview:
    """A draft as it will be stored and shown, with what was found in it."""

    story: PreparedText
    helped: PreparedText
    would_have_helped: PreparedText
    strengths: PreparedText
    support: SupportPanel | None = None
    """The support panel to show, when any part carries risk language."""

    @property
    def parts(self) -> tuple[PreparedText, ...]:
        return (self.story, self.helped, self.would_have_helped, self.strengths)

    @property
    def redactions(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(label for part in self.parts for label in part.redactions))

    @property
    def name_flags(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(name for part in self.parts for name in part.name_flags))

    @property
    def risk_flags(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(flag for part in self.parts for flag in part.risk_flags))

    @property
    def has_risk(self) -> bool:
        return bool(self.risk_flags)

    @property
    def risk_historical_only(self) -> bool:
        risky = [part for part in self.parts if part.has_risk]
        return bool(risky) and all(part.risk_historical_only for part in risky)

    @property
    def needs_attention(self) -> bool:
        return any(part.needs_attention for part in self.parts)

    @property
    def privacy_flags(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(flag for part in self.parts for flag in part.privacy_flags))


@dataclass(frozen=True)
class CaptureResult:
    """What happened when a story was submitted."""

    story: Story
    withdraw_code: str
    """Shown once to the participant; only its hash is stored."""
    duplicate: bool
    """True if this submission id had already been stored (a double tap or a reconnect)."""
    preview: StoryPreview

    @property
    def support(self) -> SupportPanel | None:
        """The support panel to show with the confirmation, if the story carries risk language."""
        return self.preview.support


@dataclass(frozen=True)
class WallSnapshot:
    """What the stories view of the live wall shows."""

    by_stage: tuple[tuple[str, int], ...]
    by_lens: tuple[tuple[str, int], ...]
    stories: tuple[Story, ...]
    total: int


def new_submission_id() -> str:
    """A client submission id: one per story form, so a double tap stores one story."""
    return secrets.token_hex(16)


def new_withdraw_code() -> str:
    """A fresh withdraw code, 12 characters, shown in groups of four."""
    return "".join(secrets.choice(WITHDRAW_ALPHABET) for _ in range(WITHDRAW_CODE_LENGTH))


def format_withdraw_code(code: str) -> str:
    """``K7QX3M9PTR2A`` -> ``K7QX-3M9P-TR2A``, easier to copy down."""
    return "-".join(code[i : i + 4] for i in range(0, len(code), 4))


def hash_withdraw_code(code: str) -> str:
    """What is stored: the code is long and random, so a plain salted digest cannot be reversed."""
    cleaned = workshops.normalise_code(code)
    return hashlib.sha256(f"codesign-withdraw:{cleaned}".encode()).hexdigest()


def preview_story(draft: StoryDraft, kit: Kit) -> StoryPreview:
    """The draft as it will be stored: de-identified, with names, risk and strong language found.

    Args:
        draft: What the participant typed.
        kit: The workshop's kit (its vocabulary is not personal names; its region picks the support panel).
    """
    vocabulary = kit.vocabulary
    story, helped, would_have_helped, strengths = (
        prepare_text(value, vocabulary)
        for value in (draft.text, draft.helped, draft.would_have_helped, draft.strengths)
    )
    risky = any(part.has_risk for part in (story, helped, would_have_helped, strengths))
    return StoryPreview(
        story, helped, would_have_helped, strengths, support=support_panel(kit.support_region) if risky else None
    )


def validate_draft(draft: StoryDraft, kit: Kit) -> None:
    """Check a draft against the kit and the limits.

    Raises:
        ValidationFailed: With one friendly line saying what to change.
    """
    if not for_storage(draft.text):
        raise ValidationFailed(NO_STORY)
    if len(draft.text) > MAX_STORY_CHARS:
        raise ValidationFailed(
            f"Your story is {len(draft.text):,} characters long; the limit is {MAX_STORY_CHARS:,}. "
            "Please shorten it, or share it as two stories."
        )
    for name in ("helped", "would_have_helped", "strengths"):
        value = getattr(draft, name)
        if len(value) > MAX_FIELD_CHARS:
            raise ValidationFailed(
                f"The answer to '{FIELD_NAMES[name]}' is {len(value):,} characters long; "
                f"the limit is {MAX_FIELD_CHARS:,}. Please shorten it."
            )
    if draft.stage_key is not None and draft.stage_key not in {s.key for s in kit.stages}:
        raise ValidationFailed("Please choose a part of the journey from the list, or leave it empty.")
    if draft.lens_key is not None and draft.lens_key not in {lens.key for lens in kit.lenses}:
        raise ValidationFailed("Please choose how you are taking part from the list, or leave it empty.")
    if draft.emotion is not None and draft.emotion not in (1, 2, 3, 4, 5):
        raise ValidationFailed("Please pick one of the five faces, or leave it empty.")
    if draft.consent not in CONSENT_LABELS:
        raise ValidationFailed("Please choose how your story may be used.")


def capture_story(
    engine: Engine,
    workshop: Workshop,
    draft: StoryDraft,
    *,
    client_submission_id: str,
    device_token: str,
    withdraw_code: str | None = None,
    now: datetime | None = None,
) -> CaptureResult:
    """Store one story from a phone: normalise, de-identify, check for risk, store.

    Idempotent by ``client_submission_id``: submitting the same id again (a double tap,
    a reconnect) stores nothing new and returns the first story. The phone keeps the
    withdraw code with its submission id, so a repeat can show the same code.

    Args:
        engine: The database.
        workshop: The workshop the phone joined.
        draft: What the participant typed.
        client_submission_id: The form's id (see ``new_submission_id``).
        device_token: The phone's anonymous token; only its hash is stored.
        withdraw_code: The code to show the participant; a new one if not given.
        now: The time, for tests of the rate limit.

    Raises:
        ClosedError: If the workshop is closed.
        ValidationFailed: If the draft breaks a rule (nothing is stored).
        ThrottledError: If this phone has sent too many stories in a short time.
    """
    workshops.require_open(workshop)
    if not client_submission_id or len(client_submission_id) > SUBMISSION_ID_MAX:
        raise ValidationFailed("This form has expired. Please reload the page and send your story again.")
    kit = workshops.kit_of(engine, workshop)
    validate_draft(draft, kit)
    preview = preview_story(draft, kit)
    device = hash_device(device_token)
    code = withdraw_code or new_withdraw_code()
    now = now or datetime.now(UTC)
    # Premoderation (on by default) puts every story in the queue; with it off, a story
    # still waits if it has risk language, likely names or strong language.
    premoderated = bool(workshop.setting("premoderation"))
    status = (
        "pending" if premoderated or preview.has_risk or preview.name_flags or preview.needs_attention else "approved"
    )
    try:
        with write_session(engine) as s:
            existing = repo.find_submission(s, workshop.id, client_submission_id)
            if existing is None:
                if repo.count_recent_by_device(s, device, now - RATE_LIMIT_WINDOW) >= RATE_LIMIT_STORIES:
                    raise ThrottledError(TOO_MANY)
                row = repo.add_story_row(
                    s,
                    workshop.id,
                    draft.stage_key,
                    **_columns(draft, preview, status),
                    client_submission_id=client_submission_id,
                    withdraw_code_hash=hash_withdraw_code(code),
                    device_hash=device,
                    source="participant",
                )
                story_id, duplicate = row.id, False
            else:
                story_id, duplicate = existing.id, True
    except IntegrityError:
        # Two requests with one submission id raced; the other one stored the story.
        with write_session(engine) as s:
            existing = repo.find_submission(s, workshop.id, client_submission_id)
        if existing is None:
            raise
        story_id, duplicate = existing.id, True
    return CaptureResult(
        story=repo.get_story(engine, story_id),
        withdraw_code=code,
        duplicate=duplicate,
        preview=preview,
    )


def _columns(draft: StoryDraft, preview: StoryPreview, status: str) -> dict[str, object]:
    return {
        "lens_key": draft.lens_key,
        "text": preview.story.text,
        "emotion": draft.emotion,
        "helped": preview.helped.text,
        "would_have_helped": preview.would_have_helped.text,
        "strengths": preview.strengths.text,
        "consent": draft.consent,
        "moderation_status": status,
        "risk_flags": list(preview.risk_flags),
        "risk_historical_only": preview.risk_historical_only,
        "privacy_flags": list(preview.privacy_flags),
        "needs_attention": preview.needs_attention,
    }


def story_columns(draft: StoryDraft, kit: Kit, status: str) -> dict[str, object]:
    """The stored columns for a draft, through the same pipeline as ``capture_story``
    (for bulk loads such as the demo workshop)."""
    validate_draft(draft, kit)
    return _columns(draft, preview_story(draft, kit), status)


def withdraw_story(engine: Engine, code: str, *, client_key: str = "anonymous") -> None:
    """Delete the story that a withdraw code belongs to, everywhere, also after the workshop.

    Raises:
        ThrottledError: After too many wrong codes from one client.
        NotFoundError: If no story has that code (it may already be withdrawn).
    """
    key = f"withdraw:{client_key}"
    if workshop_repo.count_attempts(engine, key, WITHDRAW_WINDOW) >= WITHDRAW_ATTEMPTS:
        raise ThrottledError("Too many tries in a short time. Please wait a few minutes and try again.")
    if len(workshops.normalise_code(code)) != WITHDRAW_CODE_LENGTH:
        workshop_repo.record_attempt(engine, key, WITHDRAW_WINDOW)
        raise NotFoundError(WRONG_CODE)
    if repo.delete_by_withdraw_hash(engine, hash_withdraw_code(code)) is None:
        workshop_repo.record_attempt(engine, key, WITHDRAW_WINDOW)
        raise NotFoundError(WRONG_CODE)


# --- moderation ----------------------------------------------------------------------------


def approve_story(engine: Engine, story_id: int) -> Story:
    """Approve a story for the wall. One with unreviewed risk language stays off the wall
    until ``review_safeguarding``."""
    return repo.update_story(engine, story_id, action="story_approved", moderation_status="approved")


def hide_story(engine: Engine, story_id: int) -> Story:
    """Hide a story from the wall and exports; it can be restored."""
    return repo.update_story(engine, story_id, action="story_hidden", moderation_status="hidden")


def restore_story(engine: Engine, story_id: int) -> Story:
    """Bring a hidden story back to the queue, to be approved again."""
    story = repo.get_story(engine, story_id)
    if story.moderation_status != "hidden":
        raise ValidationFailed("Only a hidden story can be restored.")
    return repo.update_story(engine, story_id, action="story_restored", moderation_status="pending")


def review_safeguarding(engine: Engine, story_id: int, *, show: bool) -> Story:
    """Record a facilitator's private safeguarding review: approve the story or hide it.

    Args:
        engine: The database.
        story_id: The flagged story.
        show: True to approve it for the wall (its consent allowing), False to hide it.
    """
    return repo.update_story(
        engine,
        story_id,
        action="safeguarding_reviewed",
        detail="approved" if show else "hidden",
        risk_reviewed=True,
        moderation_status="approved" if show else "hidden",
    )


def is_removal_only(before: str, after: str) -> bool:
    """True if ``after`` is ``before`` with words taken out (and ``[removed]`` marks put in their place).

    Each character of ``after``, marks aside, must appear in ``before`` in the same order:
    nothing can be added or changed, only removed.
    """
    stripped = after.replace(REMOVED_MARK, "")
    it = iter(before)
    return all(ch in it for ch in stripped)


def redact_story(engine: Engine, story_id: int, field_name: str, new_value: str) -> Story:
    """Save a facilitator's redaction: the new text may only remove words from the old.

    Raises:
        ValidationFailed: If the edit adds or changes any text, or the field is not editable.
    """
    if field_name not in EDITABLE_FIELDS:
        raise ValidationFailed(f"The {field_name!r} of a story cannot be edited.")
    story = repo.get_story(engine, story_id)
    before = str(getattr(story, field_name))
    # Collapsing the spaces left where words were taken out is itself only a removal.
    after = re.sub(r" {2,}", " ", for_storage(new_value))
    if after == before:
        return story
    if not is_removal_only(before, after):
        raise ValidationFailed(
            "An edit can only take words out, never add or change them: the story stays in the participant's "
            f"own words. Delete the words to redact (you may leave {REMOVED_MARK} in their place)."
        )
    if field_name == "text" and not after.replace(REMOVED_MARK, "").strip():
        raise ValidationFailed("That would remove the whole story. Hide the story instead.")
    return repo.update_story(
        engine, story_id, action="story_redacted", detail=FIELD_NAMES[field_name], **{field_name: after}
    )


# --- reading -------------------------------------------------------------------------------


def moderation_queue(engine: Engine, workshop_id: int) -> dict[str, list[Story]]:
    """Stories by queue: ``safeguarding`` (risk language not yet reviewed), ``pending``,
    ``approved`` and ``hidden``; newest first within each."""
    queues: dict[str, list[Story]] = {"safeguarding": [], "pending": [], "approved": [], "hidden": []}
    for story in reversed(repo.list_stories(engine, workshop_id)):
        if story.is_flagged and story.moderation_status != "hidden":
            queues["safeguarding"].append(story)
        else:
            queues[story.moderation_status].append(story)
    return queues


def shareable_stories(engine: Engine, workshop_id: int) -> list[Story]:
    """Stories that may leave the moderation screen (the wall, themes, exports): approved, and
    without risk language that no facilitator has reviewed. Consent is the caller's to check."""
    return [s for s in repo.list_stories(engine, workshop_id, statuses=["approved"]) if not s.is_flagged]


def wall_snapshot(engine: Engine, workshop: Workshop, *, limit: int = 12) -> WallSnapshot:
    """What the live wall's stories view shows: counts by stage and lens (hidden stories
    left out) and the newest approved, unflagged stories whose consent allows display."""
    kit = workshops.kit_of(engine, workshop)
    by_stage, by_lens = repo.count_by_stage_and_lens(engine, workshop.id)
    stages = tuple((stage.name, by_stage.get(stage.key, 0)) for stage in kit.stages)
    lenses = tuple((lens.name, by_lens.get(lens.key, 0)) for lens in kit.lenses)
    consents: Sequence[str] = workshop.setting("wall_consents") or ()
    stories = repo.newest_approved(engine, workshop.id, consents, limit) if consents else []
    return WallSnapshot(stages, lenses, tuple(stories), total=sum(by_stage.values()))


def rotate(items: Sequence[Story], tick: int, size: int) -> tuple[Story, ...]:
    """The window of ``size`` items shown at rotation step ``tick`` (wrapping round)."""
    if not items:
        return ()
    if len(items) <= size:
        return tuple(items)
    start = (tick * size) % len(items)
    doubled = list(items) + list(items)
    return tuple(doubled[start : start + size])
