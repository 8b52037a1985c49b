"""The display's key and state, and the facilitator's day-long sign-in, through the workshops service."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import Engine

from codesign import workshops
from codesign.errors import NotFoundError, ValidationFailed
from codesign.models import Workshop
from codesign.workshops import display, signin
from codesign.workshops.kits import get_builtin_kit


def make(engine: Engine, title: str = "Display test") -> Workshop:
    return workshops.create_workshop(engine, title, get_builtin_kit("living-well"))


def test_the_key_is_made_once_and_opens_its_own_workshop_only(engine: Engine) -> None:
    first, second = make(engine, "First"), make(engine, "Second")
    key = workshops.display_key(engine, first.id)
    assert workshops.display_key(engine, first.id) == key  # kept, not remade on every look
    assert workshops.open_display(engine, key).id == first.id
    other = workshops.display_key(engine, second.id)
    assert other != key and workshops.open_display(engine, other).id == second.id
    # The secret of one workshop with the id of another opens nothing.
    secret = key.split(".", 1)[1]
    with pytest.raises(NotFoundError):
        workshops.open_display(engine, f"{second.id}.{secret}")


def test_revoking_makes_a_new_key_and_the_old_one_stops(engine: Engine) -> None:
    workshop = make(engine)
    old = workshops.display_key(engine, workshop.id)
    new = workshops.revoke_display_key(engine, workshop.id)
    assert new != old and workshops.display_key(engine, workshop.id) == new
    with pytest.raises(NotFoundError, match="does not open a workshop"):
        workshops.open_display(engine, old)
    assert workshops.open_display(engine, new).id == workshop.id
    actions = [entry.action for entry in workshops.list_audit(engine, workshop.id)]
    assert "display_key_made" in actions and "display_key_revoked" in actions
    assert not any(old in str(entry) or new in str(entry) for entry in workshops.list_audit(engine, workshop.id))


@pytest.mark.parametrize("bad", ["", "x", "1", "1.", ".abc", "1.short", "abc.def" * 10, "9" * 13 + "." + "a" * 43])
def test_malformed_keys_open_nothing(engine: Engine, bad: str) -> None:
    make(engine)
    with pytest.raises(NotFoundError):
        workshops.open_display(engine, bad)


def test_a_deleted_workshop_key_opens_nothing(engine: Engine) -> None:
    workshop = make(engine)
    key = workshops.display_key(engine, workshop.id)
    workshops.delete_workshop(engine, workshop.id)
    with pytest.raises(NotFoundError):
        workshops.open_display(engine, key)


def test_views_the_timer_and_the_banner(engine: Engine) -> None:
    workshop = make(engine)
    assert workshops.display_state(engine, workshop.id).view == "welcome"
    state = workshops.show_on_display(engine, workshop.id, "round", round_id=7)
    assert (state.view, state.round_id) == ("round", 7)
    with pytest.raises(ValueError, match="unknown display view"):
        workshops.show_on_display(engine, workshop.id, "moderation")
    assert workshops.display_state(engine, workshop.id).view == "round"  # the refusal changed nothing
    before = datetime.now(UTC)
    timed = workshops.start_display_timer(engine, workshop.id, 5)
    assert timed.timer_ends_at is not None and timed.timer_minutes == 5
    more = workshops.add_display_minute(engine, workshop.id)
    assert more.timer_ends_at == timed.timer_ends_at + timedelta(minutes=1)
    assert more.timer_ends_at > before + timedelta(minutes=5, seconds=59)
    with pytest.raises(ValidationFailed):
        workshops.start_display_timer(engine, workshop.id, 0)
    assert workshops.stop_display_timer(engine, workshop.id).timer_ends_at is None
    assert workshops.set_display_banner(engine, workshop.id, False).banner is False
    # Changing the view keeps the timer and the banner.
    assert workshops.show_on_display(engine, workshop.id, "stories").banner is False


def test_add_a_minute_after_the_end_counts_from_now() -> None:
    now = datetime(2026, 12, 1, 10, 0, tzinfo=UTC)
    assert display.add_minute(now - timedelta(minutes=3), now) == now + timedelta(minutes=1)
    assert display.add_minute(None, now) == now + timedelta(minutes=1)
    assert display.add_minute(now + timedelta(seconds=30), now) == now + timedelta(seconds=90)
    assert display.seconds_left(now - timedelta(seconds=1), now) == 0
    assert display.seconds_left(now + timedelta(seconds=61), now) == 61


@given(st.lists(st.sampled_from(sorted(display.VIEWS)), min_size=1, max_size=12))
def test_any_sequence_of_views_leaves_the_last_one_and_counts_every_change(views: list[str]) -> None:
    state = display.DisplayState()
    for view in views:
        state = display.show(state, view)
    assert state.view == views[-1] and state.version == len(views)
    # What is stored reads back the same.
    assert display.state_from({display.DISPLAY_SETTING: state.to_json()}, None) == state


def test_hand_edited_display_settings_fall_back_to_the_welcome() -> None:
    state = display.state_from({display.DISPLAY_SETTING: {"view": "admin", "round_id": "3", "timer_minutes": -1}}, None)
    assert (state.view, state.round_id, state.timer_minutes) == ("welcome", None, 10)


# --- sign-in ---------------------------------------------------------------------------------


def test_a_signed_cookie_lasts_until_its_lifetime(engine: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    workshops.ensure_passcode(engine)
    value = workshops.facilitator_cookie(engine)
    assert workshops.check_facilitator_cookie(engine, value)
    assert not workshops.check_facilitator_cookie(engine, None)
    assert not workshops.check_facilitator_cookie(engine, value[:-1] + ("0" if value[-1] != "0" else "1"))
    issued = int(value.split(".")[1])
    monkeypatch.setenv(signin.HOURS_ENV, "1")
    secret = workshops.service._signin_secret(engine)
    fingerprint = workshops.service._fingerprint(engine, None)
    assert signin.verify(value, secret, fingerprint, issued + 3599, signin.lifetime())
    assert not signin.verify(value, secret, fingerprint, issued + 3601, signin.lifetime())


def test_resetting_the_passcode_signs_everyone_out(engine: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(workshops.PASSCODE_ENV, raising=False)
    workshops.ensure_passcode(engine)
    value = workshops.facilitator_cookie(engine)
    assert workshops.check_facilitator_cookie(engine, value)
    workshops.reset_passcode(engine)
    assert not workshops.check_facilitator_cookie(engine, value)
    assert workshops.check_facilitator_cookie(engine, workshops.facilitator_cookie(engine))


def test_changing_a_configured_passcode_signs_everyone_out(engine: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(workshops.PASSCODE_ENV, "first-passcode")
    value = workshops.facilitator_cookie(engine)
    assert workshops.check_facilitator_cookie(engine, value)
    monkeypatch.setenv(workshops.PASSCODE_ENV, "second-passcode")
    assert not workshops.check_facilitator_cookie(engine, value)


def test_the_lifetime_setting_is_read_and_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(signin.HOURS_ENV, raising=False)
    assert signin.lifetime() == timedelta(hours=12)
    monkeypatch.setenv(signin.HOURS_ENV, "8")
    assert signin.lifetime() == timedelta(hours=8)
    monkeypatch.setenv(signin.HOURS_ENV, "many")
    assert signin.lifetime() == timedelta(hours=12)


@pytest.mark.parametrize(
    ("given_path", "expected"),
    [("/wall", "/wall"), (None, "/"), ("https://evil.example/", "/"), ("//evil.example", "/"), ("/\\evil", "/")],
)
def test_after_sign_in_the_browser_goes_to_this_site_only(given_path: str | None, expected: str) -> None:
    assert signin.safe_next(given_path) == expected
