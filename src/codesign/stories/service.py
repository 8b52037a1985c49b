"""Stories from phones: capture (normalise -> de-identify -> safeguarding -> store), consent,
withdrawal, and moderation.

Only de-identified text is ever stored. A story with risk language is accepted, never
blocked; it waits for a facilitator's private review and stays off the wall and out of
exports until then. A facilitator's edit can only remove words, never add them.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import asdict
from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine
from sqlalchemy.exc import IntegrityError

from codesign import workshops
from codesign.errors import NotFoundError, ThrottledError, ValidationFailed
from codesign.models import Story, Workshop
from codesign.privacy.normalise import for_storage
from codesign.privacy.safeguarding import URGENT, severity_rank
from codesign.storage import stories as repo
from codesign.storage.db import wipe_freed, write_session
from codesign.stories.capture import (
    DRAFT_CEILING_CHARS,
    EDITABLE_FIELDS,
    FIELD_NAMES,
    REMOVED_MARK,
    SUBMISSION_ID_MAX,
    WITHDRAW_CODE_LENGTH,
    CaptureResult,
    SavedDraft,
    StoryDraft,
    WallSnapshot,
    _columns,
    derive_withdraw_code,
    draft_from_fields,
    flags_after_redaction,
    hash_withdraw_code,
    is_removal_only,
    preview_story,
    validate_draft,
)
from codesign.stories.withdrawal import label_after_withdrawal, rewrite_item
from codesign.workshops.devices import hash_device

# A person might share several stories in a workshop; a script sharing hundreds is not
# a person. Twelve in ten minutes is far above what anyone types on a phone.
RATE_LIMIT_STORIES = 12
RATE_LIMIT_WINDOW = timedelta(minutes=10)

TOO_MANY = (
    "You've shared a lot of stories in a short time. Thank you! Please wait a few minutes before sending another."
)
WRONG_CODE = "We couldn't find a story with that code. Check the code and try again: it has 12 letters and numbers."


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
        withdraw_code: The code to show the participant, if the phone was given one before codes were
            derived (an older draft); by default the code is derived from the phone's token and the
            submission id, so the same phone can see it again (``own_withdraw_codes``).
        now: The time, for tests of the rate limit.

    Raises:
        ClosedError: If the workshop is closed.
        ValidationFailed: If the draft breaks a rule (nothing is stored).
        ThrottledError: If this phone has sent too many stories in a short time.
    """
    # Read again: the workshop may have closed while the phone was on the preview.
    workshop = workshops.get_workshop(engine, workshop.id)
    workshops.require_open(workshop)
    if not client_submission_id or len(client_submission_id) > SUBMISSION_ID_MAX:
        raise ValidationFailed("This form has expired. Please reload the page and send your story again.")
    kit = workshops.kit_of(engine, workshop)
    validate_draft(draft, kit)
    preview = preview_story(draft, kit)
    device = hash_device(device_token)
    code = withdraw_code or derive_withdraw_code(device_token, client_submission_id)
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
                # The draft goes in the same transaction: shared, it is no longer a draft.
                repo.delete_draft(s, workshop.id, device)
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


def withdraw_story(engine: Engine, code: str, *, client_key: str = "anonymous") -> None:
    """Delete the story that a withdraw code belongs to, everywhere, also after the workshop.

    Raises:
        ThrottledError: After too many wrong codes from one client.
        NotFoundError: If no story has that code (it may already be withdrawn).
    """
    workshops.check_throttle(engine, workshops.WITHDRAW, client_key)
    if len(workshops.normalise_code(code)) != WITHDRAW_CODE_LENGTH:
        workshops.record_failure(engine, workshops.WITHDRAW, client_key)
        raise NotFoundError(WRONG_CODE)
    gone = repo.delete_by_withdraw_hash(
        engine, hash_withdraw_code(code), relabel=label_after_withdrawal, rewrite=rewrite_item
    )
    if gone is None:
        workshops.record_failure(engine, workshops.WITHDRAW, client_key)
        raise NotFoundError(WRONG_CODE)
    # Committed; now make the old copies in SQLite's write-ahead log unreadable too.
    wipe_freed(engine)


def my_stories(engine: Engine, workshop_id: int, device_token: str) -> list[Story]:
    """The stories this phone shared in this workshop (found by its anonymous token), oldest first."""
    return repo.list_by_device(engine, workshop_id, hash_device(device_token))


def own_withdraw_codes(engine: Engine, workshop_id: int, device_token: str) -> dict[int, str]:
    """The withdraw codes of this phone's stories in this workshop, worked out again from its token.

    Story id -> code, for every story whose stored hash matches the code this token gives; a
    story shared before codes were derived (its code was random and only its hash is kept) is
    left out: its code was shown once, and *My stories* still withdraws it.
    """
    found: dict[int, str] = {}
    for story_id, submission_id, code_hash in repo.list_device_submissions(
        engine, workshop_id, hash_device(device_token)
    ):
        code = derive_withdraw_code(device_token, submission_id)
        if code_hash is not None and hash_withdraw_code(code) == code_hash:
            found[story_id] = code
    return found


def withdraw_own_story(engine: Engine, story_id: int, device_token: str) -> None:
    """Delete one of this phone's own stories, everywhere, without typing its code.

    Raises:
        NotFoundError: If the story is gone or was not shared from this phone.
    """
    if repo.delete_own_story(engine, story_id, hash_device(device_token)) is None:
        raise NotFoundError("That story is no longer here: it may have been withdrawn already.")


# --- drafts --------------------------------------------------------------------------------


def load_draft(engine: Engine, workshop_id: int, device_token: str) -> SavedDraft | None:
    """The story this phone was writing in this workshop, as last saved, or None."""
    found = repo.get_draft(engine, workshop_id, hash_device(device_token))
    if found is None:
        return None
    return SavedDraft(
        draft=draft_from_fields(found["fields"]),
        step=found["step"],
        client_submission_id=found["client_submission_id"],
        withdraw_code=found["withdraw_code"],
    )


def save_draft(engine: Engine, workshop_id: int, device_token: str, saved: SavedDraft) -> None:
    """Keep what this phone has typed so far, durably, before the page says anything.

    Over-long text is kept as typed (the person is told how much to cut), up to a hard
    ceiling that only a script would reach.

    Raises:
        ValidationFailed: If a field is beyond the ceiling (nothing is saved).
    """
    for name in ("text", "helped", "would_have_helped", "strengths"):
        if len(getattr(saved.draft, name)) > DRAFT_CEILING_CHARS:
            raise ValidationFailed(
                f"The {FIELD_NAMES[name]} is {len(getattr(saved.draft, name)):,} characters long, far over the "
                "limit, so it could not be kept. Please shorten it."
            )
    repo.put_draft(
        engine,
        workshop_id,
        hash_device(device_token),
        step=saved.step,
        fields=asdict(saved.draft),
        client_submission_id=saved.client_submission_id,
        withdraw_code=saved.withdraw_code,
    )


def draft_left_in(engine: Engine, code: str, device_token: str) -> tuple[Workshop, SavedDraft] | None:
    """A draft this phone left in a workshop that has closed since (joining by its code is refused).

    Only the phone holding the token gets anything back, and only its own words.
    """
    cleaned = workshops.normalise_code(code)
    workshop = workshops.find_workshop_by_code(engine, cleaned) if cleaned else None
    if workshop is None or workshop.is_open:
        return None
    saved = load_draft(engine, workshop.id, device_token)
    return (workshop, saved) if saved is not None and saved.draft.text.strip() else None


def discard_draft(engine: Engine, workshop_id: int, device_token: str) -> None:
    """Forget the story this phone was writing."""
    with write_session(engine) as s:
        repo.delete_draft(s, workshop_id, hash_device(device_token))


# --- moderation ----------------------------------------------------------------------------


def approve_story(engine: Engine, story_id: int) -> Story:
    """Approve a story for the wall. One with unreviewed risk language stays off the wall
    until ``review_safeguarding``."""
    return repo.update_story(engine, story_id, action="story_approved", moderation_status="approved")


def approve_unflagged(engine: Engine, workshop_id: int) -> int:
    """Approve every waiting story that has no risk language, no likely names and no strong language.

    Stories with any flag stay in the queue for a facilitator to read one by one.

    Returns:
        How many stories were approved.
    """
    waiting = moderation_queue(engine, workshop_id)["pending"]
    clear = [s for s in waiting if not (s.risk_flags or s.privacy_flags or s.needs_attention)]
    for story in clear:
        approve_story(engine, story.id)
    return len(clear)


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
    kit = workshops.kit_of(engine, workshops.get_workshop(engine, story.workshop_id))
    texts = [after if name == field_name else str(getattr(story, name)) for name in EDITABLE_FIELDS]
    flags = list(flags_after_redaction(story.privacy_flags, texts, kit.vocabulary))
    return repo.update_story(
        engine,
        story_id,
        action="story_redacted",
        detail=FIELD_NAMES[field_name],
        privacy_flags=flags,
        **{field_name: after},
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
    # Most urgent first (a plan, an attempt or danger now), newest first within each severity.
    queues["safeguarding"].sort(key=lambda story: severity_rank(story.risk_severity))
    return queues


def urgent_flags(engine: Engine, workshop_id: int) -> list[Story]:
    """Stories with an urgent safeguarding flag that no facilitator has reviewed yet, newest first
    (hidden ones too: hiding a story is not reviewing it)."""
    return [s for s in reversed(repo.list_stories(engine, workshop_id)) if s.is_flagged and s.risk_severity == URGENT]


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


# Reads that need no rule of their own; pages and other capabilities read stories here.
list_stories = repo.list_stories
get_story = repo.get_story


def approved_stories(engine: Engine, workshop_id: int) -> list[Story]:
    """The approved stories of a workshop (risk-flagged ones included: callers filter by use)."""
    return repo.list_stories(engine, workshop_id, statuses=["approved"])
