"""A story's rules: the draft, its preview (de-identified, checked for risk), withdraw codes, what an edit may do.

Pure functions and values: no database here; stories.service stores what these decide."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

from codesign.errors import ValidationFailed
from codesign.models import CONSENT_LABELS, Story
from codesign.privacy import PreparedText, most_severe, prepare_text
from codesign.privacy.names import find_names
from codesign.privacy.normalise import for_storage
from codesign.privacy.support import SupportPanel, support_panel
from codesign.workshops.codes import CODE_ALPHABET, normalise_code
from codesign.workshops.kits import Kit

# About a page of A4: enough for one moment told fully, short enough to read on a wall.
MAX_STORY_CHARS = 5_000
MAX_FIELD_CHARS = 2_000
# A draft keeps over-long text as typed so nothing is lost; this ceiling only stops a script
# from filling the database (no one types or pastes a hundred thousand characters into a phone).
DRAFT_CEILING_CHARS = 100_000


# No 0/O, 1/I/L, 5/S: the code is copied from a phone screen onto paper. 29^12 is about
# 3.5e17, far beyond guessing at ten tries per ten minutes.
WITHDRAW_ALPHABET = CODE_ALPHABET
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
class SavedDraft:
    """A story being written on one phone, as the server keeps it between visits."""

    draft: StoryDraft
    step: Literal["write", "preview"]
    client_submission_id: str
    withdraw_code: str = ""
    """Only in drafts saved before codes were derived from the phone's token; empty now."""


def draft_from_fields(fields: Mapping[str, object]) -> StoryDraft:
    """A draft from saved fields, ignoring unknown names and wrong types (a field renamed later)."""

    def text(name: str) -> str:
        value = fields.get(name)
        return value if isinstance(value, str) else ""

    def key(name: str) -> str | None:
        value = fields.get(name)
        return value if isinstance(value, str) and value else None

    emotion = fields.get("emotion")
    consent = fields.get("consent")
    return StoryDraft(
        text=text("text"),
        stage_key=key("stage_key"),
        lens_key=key("lens_key"),
        emotion=emotion if isinstance(emotion, int) and not isinstance(emotion, bool) else None,
        helped=text("helped"),
        would_have_helped=text("would_have_helped"),
        strengths=text("strengths"),
        consent=consent if isinstance(consent, str) and consent in CONSENT_LABELS else "themes_only",
    )


def over_limit(draft: StoryDraft) -> tuple[tuple[str, int, int], ...]:
    """The fields over their limit: (field name, length, limit), story first."""
    found = []
    for name in ("text", "helped", "would_have_helped", "strengths"):
        limit = MAX_STORY_CHARS if name == "text" else MAX_FIELD_CHARS
        length = len(getattr(draft, name))
        if length > limit:
            found.append((name, length, limit))
    return tuple(found)


def cut_message(name: str, length: int, limit: int) -> str:
    """What to tell someone whose text is over the limit: all of it is kept, and how much to cut."""
    what = "Your story" if name == "text" else f"Your answer to '{FIELD_NAMES[name]}'"
    return (
        f"{what} is {length:,} characters; the limit is {limit:,}. Everything you wrote is kept here: "
        f"please cut {length - limit:,} characters before you share it"
        + (", or share it as two stories." if name == "text" else ".")
    )


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
    def risk_severity(self) -> str:
        """The most urgent severity of any part: ``urgent``, ``concern``, ``past`` or ``""``."""
        return most_severe([part.risk_severity for part in self.parts])

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


def derive_withdraw_code(device_token: str, client_submission_id: str) -> str:
    """The withdraw code of the story a phone shares with this submission id.

    A keyed digest (HMAC-SHA256) of the submission id under the phone's own token, so the
    phone can work its codes out again (its *My stories* shows them after a reload or on
    another day), while the server keeps neither the code nor the token: only their hashes
    and the submission id, from which the code cannot be made. Anyone holding the phone's token
    can already withdraw its stories from *My stories*, so the code gives them nothing more.
    """
    digest = hmac.new(
        device_token.encode(), f"codesign-withdraw-code:{client_submission_id}".encode(), hashlib.sha256
    ).digest()
    # 256 bits spread over 12 characters of a 29-letter alphabet (about 58 bits): the
    # remainder's bias is under 2^-190, nothing.
    number = int.from_bytes(digest, "big")
    chars = []
    for _ in range(WITHDRAW_CODE_LENGTH):
        number, index = divmod(number, len(WITHDRAW_ALPHABET))
        chars.append(WITHDRAW_ALPHABET[index])
    return "".join(chars)


def format_withdraw_code(code: str) -> str:
    """``K7QX3M9PTR2A`` -> ``K7QX-3M9P-TR2A``, easier to copy down."""
    return "-".join(code[i : i + 4] for i in range(0, len(code), 4))


def hash_withdraw_code(code: str) -> str:
    """What is stored: the code is long and random, so a plain salted digest cannot be reversed."""
    cleaned = normalise_code(code)
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
    too_long = over_limit(draft)
    if too_long:
        raise ValidationFailed(cut_message(*too_long[0]))
    if draft.stage_key is not None and draft.stage_key not in {s.key for s in kit.stages}:
        raise ValidationFailed("Please choose a part of the journey from the list, or leave it empty.")
    if draft.lens_key is not None and draft.lens_key not in {lens.key for lens in kit.lenses}:
        raise ValidationFailed("Please choose how you are taking part from the list, or leave it empty.")
    if draft.emotion is not None and draft.emotion not in (1, 2, 3, 4, 5):
        raise ValidationFailed("Please pick one of the five faces, or leave it empty.")
    if draft.consent not in CONSENT_LABELS:
        raise ValidationFailed("Please choose how your story may be used.")


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
        "risk_severity": preview.risk_severity,
        "privacy_flags": list(preview.privacy_flags),
        "needs_attention": preview.needs_attention,
    }


def story_columns(draft: StoryDraft, kit: Kit, status: str) -> dict[str, object]:
    """The stored columns for a draft, through the same pipeline as ``capture_story``
    (for bulk loads such as the demo workshop)."""
    validate_draft(draft, kit)
    return _columns(draft, preview_story(draft, kit), status)


NAME_FLAG = "possible name: "


def flags_after_redaction(flags: Sequence[str], texts: Sequence[str], vocabulary: Sequence[str]) -> tuple[str, ...]:
    """A story's privacy flags once a facilitator has taken words out.

    What was replaced when it was shared stays said ("replaced: phone number"); the likely
    names are found again in the texts as they are now, so a name the facilitator removed
    no longer holds the story back from "Approve all", and one still there keeps its flag.
    """
    kept = [flag for flag in flags if not flag.startswith(NAME_FLAG)]
    names = dict.fromkeys(name for text in texts if text for name in find_names(text, vocabulary))
    return tuple(dict.fromkeys([*kept, *(f"{NAME_FLAG}{name}" for name in names)]))


def is_removal_only(before: str, after: str) -> bool:
    """True if ``after`` is ``before`` with words taken out (and ``[removed]`` marks put in their place).

    Each character of ``after``, marks aside, must appear in ``before`` in the same order:
    nothing can be added or changed, only removed.
    """
    stripped = after.replace(REMOVED_MARK, "")
    it = iter(before)
    return all(ch in it for ch in stripped)


def rotate(items: Sequence[Story], tick: int, size: int) -> tuple[Story, ...]:
    """The window of ``size`` items shown at rotation step ``tick`` (wrapping round)."""
    if not items:
        return ()
    if len(items) <= size:
        return tuple(items)
    start = (tick * size) % len(items)
    doubled = list(items) + list(items)
    return tuple(doubled[start : start + size])
