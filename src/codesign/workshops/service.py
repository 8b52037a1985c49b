"""Workshops' use cases: create one from a kit, join it by code, open and close it, the passcode."""

from __future__ import annotations

import hmac
import os
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from typing import Any

from sqlalchemy import Engine
from sqlalchemy.exc import IntegrityError

from codesign.errors import ClosedError, NotFoundError, ThrottledError, ValidationFailed
from codesign.models import Workshop
from codesign.storage import display as display_repo
from codesign.storage import migrate
from codesign.storage import workshops as repo
from codesign.storage.db import default_url, make_engine, mask_url, vacuum
from codesign.workshops import agenda, display, signin
from codesign.workshops.codes import CODE_LENGTH, new_join_code, normalise_code
from codesign.workshops.kits import Kit, KitFile, get_builtin_kit, list_builtin_kits, parse_kit
from codesign.workshops.passcode import (
    PASSCODE_SETTING,
    configured_passcode,
    generate_passcode,
    hash_passcode,
    verify_hash,
)
from codesign.workshops.throttle import JOIN, PASSCODE, Policy, Record, wait_for, wait_words

UNKNOWN_CODE = "We couldn't find an open workshop with that code. Check the code on the screen and try again."


def available_kits(engine: Engine | None = None) -> list[KitFile]:
    """Shipped kits, then kits uploaded by facilitators (an upload with a shipped id is skipped)."""
    kits = list_builtin_kits()
    if engine is not None:
        shipped = {k.kit.id for k in kits}
        for kit_id, _title, text in repo.list_uploaded_kits(engine):
            if kit_id not in shipped:
                kits.append(KitFile(path=f"uploaded:{kit_id}", kit=parse_kit(text, kit_id, strict=False), text=text))
    return kits


def find_kit(engine: Engine, kit_id: str) -> KitFile:
    for kit_file in available_kits(engine):
        if kit_file.kit.id == kit_id:
            return kit_file
    raise NotFoundError(f"There is no workshop kit called {kit_id!r}.")


def upload_kit(engine: Engine, data: bytes, filename: str, *, replace: bool = False) -> Kit:
    """Validate an uploaded kit and store it. Nothing is stored if it is invalid.

    Workshops already made from a kit keep their own copy of it, so replacing a kit changes
    only the workshops created afterwards.

    Args:
        engine: The database.
        data: The file's bytes.
        filename: Its name, for messages.
        replace: Replace an uploaded kit with the same id (without it, that is refused).

    Raises:
        KitError: Naming the file, the field and the problem.
        ValidationFailed: If the kit's id is one of the shipped kits', or an uploaded kit's
            and ``replace`` was not asked for.
    """
    kit = parse_kit(data, source=filename)
    if kit.id in {k.kit.id for k in list_builtin_kits()}:
        raise ValidationFailed(
            f"{filename}: the id {kit.id!r} belongs to a kit that ships with codesign; choose another id."
        )
    stored = {kit_id: title for kit_id, title, _text in repo.list_uploaded_kits(engine)}
    if kit.id in stored and not replace:
        raise ValidationFailed(
            f"{filename}: a kit with the id {kit.id!r} is already stored ({stored[kit.id]!r}). Change the id in the "
            "file to keep both, or tick 'Replace the stored kit with the same id'."
        )
    repo.save_uploaded_kit(engine, kit, data.decode("utf-8-sig"))
    return kit


def create_workshop(engine: Engine, title: str, kit_file: KitFile, *, is_demo: bool = False) -> Workshop:
    """Create a workshop from a kit, with a fresh join code.

    Raises:
        ValidationFailed: If the title is empty or too long.
    """
    title = " ".join(title.split())
    if not title:
        raise ValidationFailed("Give the workshop a title.")
    if len(title) > 200:
        raise ValidationFailed("The title is too long: keep it under 200 characters.")
    for _ in range(20):
        try:
            return repo.insert_workshop(
                engine, code=new_join_code(), title=title, kit=kit_file.kit, kit_yaml=kit_file.text, is_demo=is_demo
            )
        except IntegrityError:
            continue  # the code was taken; draw another
    raise RuntimeError("Could not draw an unused join code")  # pragma: no cover


def kit_of(engine: Engine, workshop: Workshop) -> Kit:
    """The kit a workshop was created with (as it was then).

    A workshop's kit is copied in when it is created and never changes, so it is read and
    parsed once per workshop and process: every phone's rerun asks for it, and the read of the
    YAML text alone cost about 8 ms of server CPU per rerun.
    """
    return _kit_of_workshop(engine, str(engine.url), workshop.id, workshop.kit_id, workshop.created_at)


@lru_cache(maxsize=256)
def _kit_of_workshop(engine: Engine, _url: str, workshop_id: int, kit_id: str, _created: datetime) -> Kit:
    # The URL and creation time are part of the key: tests open many databases in one process,
    # and SQLite can give a new workshop the id of a deleted one.
    return _parse_cached(repo.workshop_kit_yaml(engine, workshop_id), kit_id)


@lru_cache(maxsize=64)
def _parse_cached(text: str, source: str) -> Kit:
    return parse_kit(text, source, strict=False)


def join(engine: Engine, code: str, *, client_key: str = "anonymous") -> Workshop:
    """Find the open workshop a participant's code refers to.

    Every failure gives the same message, so a guess learns nothing about other workshops.

    Raises:
        ThrottledError: After too many attempts from one client in a few minutes.
        NotFoundError: If no open workshop has that code.
    """
    check_throttle(engine, JOIN, client_key)
    cleaned = normalise_code(code)
    workshop = repo.find_workshop_by_code(engine, cleaned) if len(cleaned) == CODE_LENGTH else None
    if workshop is None or not workshop.is_open:
        record_failure(engine, JOIN, client_key)
        raise NotFoundError(UNKNOWN_CODE)
    return workshop


def check_throttle(engine: Engine, policy: Policy, client_key: str, *, now: datetime | None = None) -> None:
    """Turn an attempt away, unchecked, while any of the policy's scopes is pausing.

    Raises:
        ThrottledError: Saying how long to wait.
    """
    keys = policy.keys(client_key)
    found = repo.attempt_records(engine, list(keys.values()), policy.window)
    records = {name: Record(*found[key]) for name, key in keys.items()}
    wait = wait_for(policy, records, now or datetime.now(UTC))
    if wait.total_seconds() > 0:
        raise ThrottledError(f"Too many tries in a short time. Please wait {wait_words(wait)} and try again.")


def record_failure(engine: Engine, policy: Policy, client_key: str) -> None:
    """Count one failed attempt in every scope of the policy (this client's and everyone's)."""
    repo.record_attempts(engine, list(policy.keys(client_key).values()), policy.window)


def require_open(workshop: Workshop) -> None:
    if not workshop.is_open:
        raise ClosedError("This workshop is closed, so it is not taking new contributions. Thank you for taking part.")


def close_workshop(engine: Engine, workshop_id: int) -> Workshop:
    return repo.set_workshop_status(engine, workshop_id, "closed")


def reopen_workshop(engine: Engine, workshop_id: int) -> Workshop:
    return repo.set_workshop_status(engine, workshop_id, "open")


def get_builtin(kit_id: str) -> KitFile:
    return get_builtin_kit(kit_id)


def ensure_passcode(engine: Engine, secrets_value: str | None = None) -> str | None:
    """Make sure a facilitator passcode exists.

    Returns:
        A newly generated passcode (to print once), or None if one was configured or stored.
    """
    if configured_passcode(secrets_value) or repo.get_app_setting(engine, PASSCODE_SETTING):
        return None
    passcode = generate_passcode()
    if repo.set_app_setting(engine, PASSCODE_SETTING, hash_passcode(passcode), only_if_missing=True):
        return passcode
    return None


def reset_passcode(engine: Engine) -> str:
    """Generate and store a new passcode, replacing the old hash, and forget every wrong try.

    This is the facilitator's way back in from the machine itself when someone else's guesses
    have made sign-in pause: the old passcode stops working and the count starts again.
    """
    passcode = generate_passcode()
    repo.set_app_setting(engine, PASSCODE_SETTING, hash_passcode(passcode))
    clear_passcode_throttle(engine)
    return passcode


def clear_passcode_throttle(engine: Engine) -> int:
    """Forget every wrong passcode try, from every client; returns how many were forgotten."""
    return repo.clear_attempts_like(engine, f"{PASSCODE.secret}:")


def check_passcode(engine: Engine, attempt: str, *, client_key: str, secrets_value: str | None = None) -> bool:
    """Check a facilitator's passcode, slowing repeated failures per client and from everyone.

    Raises:
        ThrottledError: While a pause is running (see ``workshops.throttle.PASSCODE``); the
            attempt is not checked.
    """
    check_throttle(engine, PASSCODE, client_key)
    configured = configured_passcode(secrets_value)
    if configured is not None:
        ok = hmac.compare_digest(attempt.strip().encode(), configured.encode())
    else:
        stored = repo.get_app_setting(engine, PASSCODE_SETTING)
        ok = stored is not None and verify_hash(attempt.strip(), stored)
    if ok:
        # Only this client's count: a guesser elsewhere keeps the shared pause running.
        repo.clear_attempts(engine, PASSCODE.keys(client_key)["client"])
    else:
        record_failure(engine, PASSCODE, client_key)
    return ok


RETENTION_ENV = "CODESIGN_RETENTION_DAYS"
# Long enough to write up and share back after a series of sessions, short enough that a
# room's stories are not kept for years by default.
DEFAULT_RETENTION_DAYS = 180


def retention_days() -> int:
    """How many days a workshop is kept (``CODESIGN_RETENTION_DAYS``, else 180).

    Raises:
        ValidationFailed: If the setting is not a whole number of at least 1.
    """
    raw = os.environ.get(RETENTION_ENV, "").strip()
    if not raw:
        return DEFAULT_RETENTION_DAYS
    try:
        days = int(raw)
    except ValueError:
        days = 0
    if days < 1:
        raise ValidationFailed(f"{RETENTION_ENV} must be a whole number of days, 1 or more (it is {raw!r}).")
    return days


def expired_workshops(engine: Engine, *, days: int | None = None, now: datetime | None = None) -> list[Workshop]:
    """Workshops created longer ago than the retention period, oldest first."""
    cutoff = (now or datetime.now(UTC)) - timedelta(days=days or retention_days())
    return sorted((w for w in repo.list_workshops(engine) if w.created_at < cutoff), key=lambda w: w.created_at)


def purge_expired(engine: Engine, *, days: int | None = None, now: datetime | None = None) -> list[Workshop]:
    """Delete every workshop older than the retention period, then compact the database.

    Each workshop goes with everything in it (stories, themes, maps, votes) by cascade; the
    audit log keeps only that it was deleted. Then SQLite's write-ahead log is emptied and the
    file rebuilt, or PostgreSQL's ``VACUUM`` is run (see ``storage.db.vacuum`` for what it
    does not do).

    Returns:
        The workshops deleted.
    """
    gone = expired_workshops(engine, days=days, now=now)
    for workshop in gone:
        repo.delete_workshop(engine, workshop.id, actor="retention")
    vacuum(engine)
    return gone


# Reads and small writes that need no rule of their own: the service is still the only door
# to storage for pages, the CLI and other capabilities.
get_workshop = repo.get_workshop
list_workshops = repo.list_workshops
find_workshop_by_code = repo.find_workshop_by_code
update_workshop_settings = repo.update_workshop_settings
delete_workshop = repo.delete_workshop
list_stages = repo.list_stages
list_lenses = repo.list_lenses
get_timer = repo.get_timer
set_timer = repo.set_timer
list_audit = repo.list_audit


def database_url() -> str:
    """The database this installation uses (``CODESIGN_DATABASE_URL`` or the SQLite file)."""
    return default_url()


def masked_url(url: str) -> str:
    """The database URL with any password hidden, for messages."""
    return mask_url(url)


def open_database(url: str | None = None, *, upgrade: bool = True) -> Engine:
    """Connect to the database and bring its schema up to date.

    Raises:
        StorageUnavailable: With one line naming the masked URL and the fix.
    """
    engine = make_engine(url or default_url())
    if upgrade:
        migrate.upgrade(engine)
    return engine


def schema_revision(engine: Engine) -> str | None:
    """The schema revision the database is at (None before the first upgrade)."""
    return migrate.current_revision(engine)


# --- the room's display: a read-only link per workshop, steered from the laptop ----------

INVALID_DISPLAY_KEY = (
    "This display link does not open a workshop: it may have been replaced. "
    "Ask the facilitator for the current display link (Workshops screen)."
)


def display_key(engine: Engine, workshop_id: int) -> str:
    """The workshop's display key, made on first use and kept until revoked."""
    settings, _ends, _code, _status = display_repo.read(engine, workshop_id)
    key = settings.get(display.KEY_SETTING)
    if isinstance(key, str) and display.key_workshop_id(key) == workshop_id:
        return key
    made: list[str] = []

    def change(current: dict[str, Any], ends: datetime | None) -> tuple[dict[str, Any], datetime | None]:
        existing = current.get(display.KEY_SETTING)
        if isinstance(existing, str) and display.key_workshop_id(existing) == workshop_id:
            made.append(existing)  # another tab made it first: keep that one
            return current, ends
        made.append(display.new_key(workshop_id))
        return {**current, display.KEY_SETTING: made[-1]}, ends

    display_repo.write(engine, workshop_id, change, audit="display_key_made")
    return made[-1]


def revoke_display_key(engine: Engine, workshop_id: int) -> str:
    """Replace the display key: every display on the old link stops within a refresh."""
    fresh = display.new_key(workshop_id)
    display_repo.write(
        engine,
        workshop_id,
        lambda current, ends: ({**current, display.KEY_SETTING: fresh}, ends),
        audit="display_key_revoked",
    )
    return fresh


def open_display(engine: Engine, key: str) -> Workshop:
    """The workshop a display key opens, read-only.

    Raises:
        NotFoundError: For a malformed, revoked or unknown key (one message for all).
    """
    workshop_id = display.key_workshop_id(key or "")
    if workshop_id is None:
        raise NotFoundError(INVALID_DISPLAY_KEY)
    try:
        settings, _ends, _code, _status = display_repo.read(engine, workshop_id)
    except NotFoundError:
        raise NotFoundError(INVALID_DISPLAY_KEY) from None
    stored = settings.get(display.KEY_SETTING)
    if not isinstance(stored, str) or not hmac.compare_digest(stored.encode(), key.encode()):
        raise NotFoundError(INVALID_DISPLAY_KEY)
    return repo.get_workshop(engine, workshop_id)


def display_state(engine: Engine, workshop_id: int) -> display.DisplayState:
    """What the workshop's displays show now."""
    settings, ends, _code, _status = display_repo.read(engine, workshop_id)
    return display.state_from(settings, ends)


def _change_state(
    engine: Engine,
    workshop_id: int,
    step: Callable[[display.DisplayState], display.DisplayState],
) -> display.DisplayState:
    done: list[display.DisplayState] = []

    def change(current: dict[str, Any], ends: datetime | None) -> tuple[dict[str, Any], datetime | None]:
        before = display.state_from(current, ends)
        after = step(before)
        after = replace(after, version=before.version + 1)
        done.append(after)
        return {**current, display.DISPLAY_SETTING: after.to_json()}, after.timer_ends_at

    display_repo.write(engine, workshop_id, change)
    return done[-1]


def show_on_display(
    engine: Engine, workshop_id: int, view: str, *, round_id: int | None = None
) -> display.DisplayState:
    """Put a view on every display of the workshop (they follow within a refresh)."""
    return _change_state(engine, workshop_id, lambda s: display.show(s, view, round_id=round_id))


def set_display_banner(engine: Engine, workshop_id: int, banner: bool) -> display.DisplayState:
    """Show or hide the slim join banner on views other than the welcome."""
    return _change_state(engine, workshop_id, lambda s: replace(s, banner=banner))


def start_display_timer(engine: Engine, workshop_id: int, minutes: int) -> display.DisplayState:
    """Start (or restart) the activity countdown shown on the display."""
    if not 1 <= minutes <= display.MAX_TIMER_MINUTES:
        raise ValidationFailed(f"A timer runs from 1 to {display.MAX_TIMER_MINUTES} minutes.")
    ends = datetime.now(UTC) + timedelta(minutes=minutes)
    return _change_state(engine, workshop_id, lambda s: replace(s, timer_ends_at=ends, timer_minutes=minutes))


def add_display_minute(engine: Engine, workshop_id: int) -> display.DisplayState:
    """One more minute on the countdown (from now if it had already ended)."""
    now = datetime.now(UTC)
    return _change_state(
        engine,
        workshop_id,
        lambda s: replace(s, timer_ends_at=display.add_minute(s.timer_ends_at, now)),
    )


def stop_display_timer(engine: Engine, workshop_id: int) -> display.DisplayState:
    """Take the countdown off the display."""
    return _change_state(engine, workshop_id, lambda s: replace(s, timer_ends_at=None))


# --- the workshop's agenda: the kit's plan as the facilitator changed it, and what is on now ---

AGENDA_CHANGED = (
    "Someone else changed this agenda since you opened it. Your table is still here: "
    "copy what you need, then reload to see theirs."
)


def workshop_agenda(engine: Engine, workshop: Workshop) -> agenda.Agenda:
    """The workshop's agenda (its kit's first agenda until it is first saved)."""
    settings, _ends, _code, _status = display_repo.read(engine, workshop.id)
    return agenda.from_settings(settings, kit_of(engine, workshop))


def _change_agenda(
    engine: Engine,
    workshop: Workshop,
    step: Callable[[agenda.Agenda, display.DisplayState], tuple[agenda.Agenda, display.DisplayState]],
    *,
    expected_version: int | None = None,
    keep_before: bool = False,
    audit: str | None = None,
) -> agenda.Agenda:
    kit = kit_of(engine, workshop)
    done: list[agenda.Agenda] = []

    def change(current: dict[str, Any], ends: datetime | None) -> tuple[dict[str, Any], datetime | None]:
        before = agenda.from_settings(current, kit)
        if expected_version is not None and before.version != expected_version:
            raise ValidationFailed(AGENDA_CHANGED)
        state = display.state_from(current, ends)
        after, new_state = step(before, state)
        after = replace(after, version=before.version + 1)
        done.append(after)
        settings = {**current, agenda.AGENDA_SETTING: after.to_json()}
        if keep_before:
            settings[agenda.BEFORE_SETTING] = before.to_json()
        if new_state != state:
            settings[display.DISPLAY_SETTING] = replace(new_state, version=state.version + 1).to_json()
        return settings, new_state.timer_ends_at

    display_repo.write(engine, workshop.id, change, audit=audit)
    return done[-1]


def save_agenda(
    engine: Engine, workshop: Workshop, rows: list[dict[str, Any]], *, expected_version: int
) -> tuple[agenda.Agenda, agenda.EditResult]:
    """Save the Agenda screen's table: complete rows become the agenda, half-filled ones are kept back.

    Raises:
        ValidationFailed: If someone else saved the agenda since ``expected_version`` was read.
    """
    results: list[agenda.EditResult] = []

    def step(before: agenda.Agenda, state: display.DisplayState) -> tuple[agenda.Agenda, display.DisplayState]:
        result = agenda.rows_from_table(rows, before.items)
        results.append(result)
        return agenda.edit(before, result), state

    after = _change_agenda(engine, workshop, step, expected_version=expected_version)
    return after, results[-1]


def use_kit_agenda(engine: Engine, workshop: Workshop, key: str) -> agenda.Agenda:
    """Start the workshop's agenda again from one of its kit's; the one it replaces can be put back."""
    kit = kit_of(engine, workshop)
    fresh = agenda.kit_agenda(kit, key)
    return _change_agenda(
        engine, workshop, lambda before, state: (replace(fresh, version=before.version), state), keep_before=True
    )


def restore_previous_agenda(engine: Engine, workshop: Workshop) -> agenda.Agenda:
    """Put back the agenda that choosing a kit agenda replaced (and keep the replaced one in turn)."""
    settings, _ends, _code, _status = display_repo.read(engine, workshop.id)
    previous = settings.get(agenda.BEFORE_SETTING)
    if not isinstance(previous, dict):
        raise NotFoundError("There is no earlier agenda to put back.")
    kit = kit_of(engine, workshop)
    old = agenda.from_settings({agenda.AGENDA_SETTING: previous}, kit)
    return _change_agenda(
        engine, workshop, lambda before, state: (replace(old, version=before.version), state), keep_before=True
    )


def has_previous_agenda(engine: Engine, workshop: Workshop) -> bool:
    settings, _ends, _code, _status = display_repo.read(engine, workshop.id)
    return isinstance(settings.get(agenda.BEFORE_SETTING), dict)


def _with_timer(item: agenda.Agenda, state: display.DisplayState, now: datetime) -> display.DisplayState:
    if item.current is None:
        return replace(state, timer_ends_at=None)
    minutes = min(item.items[item.current].minutes, display.MAX_TIMER_MINUTES)
    return replace(state, timer_ends_at=now + timedelta(minutes=minutes), timer_minutes=minutes)


def start_agenda_item(engine: Engine, workshop: Workshop, index: int | None) -> agenda.Agenda:
    """Put an agenda item on now (None: nothing), and run the display's timer for its minutes."""
    now = datetime.now(UTC)

    def step(before: agenda.Agenda, state: display.DisplayState) -> tuple[agenda.Agenda, display.DisplayState]:
        if index is not None and not 0 <= index < len(before.items):
            raise NotFoundError("That agenda item is no longer there: the agenda was changed.")
        after = agenda.start(before, index, now)
        return after, _with_timer(after, state, now)

    return _change_agenda(engine, workshop, step)


def next_agenda_item(engine: Engine, workshop: Workshop) -> agenda.Agenda:
    """Move the room on to the next agenda item, with its timer."""
    now = datetime.now(UTC)

    def step(before: agenda.Agenda, state: display.DisplayState) -> tuple[agenda.Agenda, display.DisplayState]:
        after = agenda.advance(before, now)
        return after, _with_timer(after, state, now)

    return _change_agenda(engine, workshop, step)


# --- the facilitator's sign-in for a working day --------------------------------------------


def _signin_secret(engine: Engine) -> str:
    secret = repo.get_app_setting(engine, signin.SECRET_SETTING)
    if secret is None:
        repo.set_app_setting(engine, signin.SECRET_SETTING, signin.new_secret(), only_if_missing=True)
        secret = repo.get_app_setting(engine, signin.SECRET_SETTING)
    assert secret is not None
    return secret


def _fingerprint(engine: Engine, secrets_value: str | None) -> str:
    configured = configured_passcode(secrets_value)
    record = "env:" + configured if configured is not None else repo.get_app_setting(engine, PASSCODE_SETTING) or ""
    return signin.passcode_fingerprint(record)


def facilitator_cookie(engine: Engine, *, secrets_value: str | None = None) -> str:
    """A signed cookie value for a facilitator who has just given the right passcode."""
    now = int(datetime.now(UTC).timestamp())
    return signin.sign(_signin_secret(engine), _fingerprint(engine, secrets_value), now)


def check_facilitator_cookie(engine: Engine, value: str | None, *, secrets_value: str | None = None) -> bool:
    """Whether a cookie value still signs a facilitator in (right secret, same passcode, not expired)."""
    if not value:
        return False
    now = int(datetime.now(UTC).timestamp())
    return signin.verify(value, _signin_secret(engine), _fingerprint(engine, secrets_value), now, signin.lifetime())
