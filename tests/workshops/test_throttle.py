"""Throttles that cannot be dodged by a new identity per guess, nor turned into a lock-out."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import Engine

from codesign import stories, workshops
from codesign.errors import NotFoundError, ThrottledError
from codesign.workshops.kits import get_builtin_kit
from codesign.workshops.throttle import PASSCODE, Record, Scope, pause, wait_for, wait_words


def _later(seconds: float) -> datetime:
    return datetime.now(UTC) + timedelta(seconds=seconds)


def test_a_new_client_per_guess_is_still_slowed(engine: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(workshops.PASSCODE_ENV, "right-one")
    everyone = PASSCODE.scopes[1]
    for guess in range(everyone.free):
        # A fresh browser session (or forged address) for every guess: a new client key each time.
        assert not workshops.check_passcode(engine, f"guess-{guess}", client_key=f"session:{guess}")
    with pytest.raises(ThrottledError, match="wait about"):
        workshops.check_passcode(engine, "guess-next", client_key="session:brand-new")
    # The pause is a slowing, not a lock: once it has run, the right passcode gets in.
    workshops.check_throttle(engine, PASSCODE, "session:facilitator", now=_later(everyone.max_delay.total_seconds()))


def test_a_pause_never_exceeds_its_cap_however_many_guesses(engine: Engine) -> None:
    everyone = PASSCODE.scopes[1]
    for _ in range(everyone.free + 40):
        workshops.record_failure(engine, PASSCODE, "ip:guesser")
    with pytest.raises(ThrottledError):
        workshops.check_throttle(engine, PASSCODE, "ip:facilitator")
    workshops.check_throttle(engine, PASSCODE, "ip:facilitator", now=_later(everyone.max_delay.total_seconds() + 1))


def test_turned_away_attempts_are_not_checked_and_not_counted(engine: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(workshops.PASSCODE_ENV, "right-one")
    for _ in range(PASSCODE.scopes[0].free):
        workshops.check_passcode(engine, "wrong", client_key="ip:laptop")
    for _ in range(5):
        # Even the right passcode is not checked during a pause: a guesser learns nothing from it.
        with pytest.raises(ThrottledError):
            workshops.check_passcode(engine, "right-one", client_key="ip:laptop")
    from codesign.storage import workshops as repo

    key = PASSCODE.keys("ip:laptop")["client"]
    assert repo.attempt_records(engine, [key], PASSCODE.window)[key][0] == PASSCODE.scopes[0].free


def test_passcode_reset_lets_the_facilitator_straight_back_in(engine: Engine) -> None:
    workshops.ensure_passcode(engine)
    for guess in range(PASSCODE.scopes[1].free + 3):
        workshops.record_failure(engine, PASSCODE, f"session:{guess}")
    with pytest.raises(ThrottledError):
        workshops.check_passcode(engine, "anything", client_key="ip:facilitator")
    new = workshops.reset_passcode(engine)
    assert workshops.check_passcode(engine, new, client_key="ip:facilitator")


def test_join_code_guesses_from_many_clients_are_slowed_for_all(engine: Engine) -> None:
    w = workshops.create_workshop(engine, "W", get_builtin_kit("living-well"))
    everyone = workshops.JOIN.scopes[1]
    for guess in range(everyone.free):
        with pytest.raises(NotFoundError):
            workshops.join(engine, "ZZZZZZ", client_key=f"session:{guess}")
    with pytest.raises(ThrottledError):
        workshops.join(engine, w.code, client_key="session:new-phone")
    later = _later(everyone.max_delay.total_seconds())
    workshops.check_throttle(engine, workshops.JOIN, "session:new-phone", now=later)


def test_withdraw_code_guesses_from_many_clients_are_slowed_for_all(engine: Engine) -> None:
    everyone = workshops.WITHDRAW.scopes[1]
    for guess in range(everyone.free):
        with pytest.raises(NotFoundError):
            stories.withdraw_story(engine, "AAAA-BBBB-CCCC", client_key=f"session:{guess}")
    with pytest.raises(ThrottledError):
        stories.withdraw_story(engine, "AAAA-BBBB-DDDD", client_key="session:another")


def test_one_clients_success_does_not_clear_everyones_count(engine: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(workshops.PASSCODE_ENV, "right-one")
    for guess in range(PASSCODE.scopes[1].free - 1):
        workshops.check_passcode(engine, "wrong", client_key=f"session:{guess}")
    assert workshops.check_passcode(engine, "right-one", client_key="ip:facilitator")
    workshops.check_passcode(engine, "wrong", client_key="session:last")
    with pytest.raises(ThrottledError):
        workshops.check_passcode(engine, "wrong", client_key="session:after")


SCOPE = Scope("all", 3, timedelta(minutes=5), timedelta(seconds=1), timedelta(seconds=40))


@given(st.integers(min_value=0, max_value=10_000))
def test_the_pause_grows_with_failures_and_stops_at_its_cap(failures: int) -> None:
    assert timedelta(0) <= pause(SCOPE, failures) <= SCOPE.max_delay
    assert pause(SCOPE, failures) <= pause(SCOPE, failures + 1)
    assert (pause(SCOPE, failures) == timedelta(0)) == (failures < SCOPE.free)


@given(st.lists(st.tuples(st.integers(0, 200), st.integers(0, 600)), min_size=2, max_size=2))
def test_the_wait_is_the_longest_of_the_scopes_and_never_beyond_a_cap(pairs: list[tuple[int, int]]) -> None:
    now = datetime(2026, 1, 1, tzinfo=UTC)
    records = {
        scope.name: Record(failures, now - timedelta(seconds=ago))
        for scope, (failures, ago) in zip(PASSCODE.scopes, pairs, strict=True)
    }
    wait = wait_for(PASSCODE, records, now)
    assert timedelta(0) <= wait <= max(s.max_delay for s in PASSCODE.scopes)


def test_waits_in_words() -> None:
    assert wait_words(timedelta(seconds=0.2)) == "about 1 second"
    assert wait_words(timedelta(seconds=30)) == "about 30 seconds"
    assert wait_words(timedelta(minutes=4, seconds=10)) == "about 5 minutes"
