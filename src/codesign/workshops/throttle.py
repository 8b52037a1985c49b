"""Throttling rules for secrets people type (join codes, withdraw codes, the passcode): no database here.

Each secret's failures are counted in several scopes at once: the client (its address, or its
browser session when there is none) and everyone together. A new browser session or a forged
``X-Forwarded-For`` header changes nothing in the "everyone" scope, so guessing from many
identities at once is slowed as much as guessing from one.

A scope never locks anyone out for long: past its free tries, each further failure doubles a
pause (``base_delay``, then twice that, and so on, up to ``max_delay``) before the next attempt
is checked at all. An attempt during a pause is turned away unchecked and not counted, so a
guesser gets at most one check per pause, and a facilitator whose passcode is being guessed by
someone else waits at most ``max_delay`` (or resets the passcode with ``codesign passcode reset``,
which also clears the count).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta


@dataclass(frozen=True)
class Scope:
    """How failures are counted under one key."""

    name: str
    """"client" or "all"."""
    free: int
    """Failures within the window before any pause."""
    window: timedelta
    """How far back failures count."""
    base_delay: timedelta
    """The pause after the first failure past the free ones."""
    max_delay: timedelta
    """The longest pause, whatever the count."""


@dataclass(frozen=True)
class Record:
    """Recent failures under one key: how many in the window, and when the last one was."""

    failures: int
    last: datetime | None


@dataclass(frozen=True)
class Policy:
    """The scopes one secret is counted in."""

    secret: str
    """A short name used in the keys: "join", "withdraw", "passcode"."""
    scopes: tuple[Scope, ...]

    def keys(self, client_key: str) -> dict[str, str]:
        """The key for each scope: one per client, one shared by everyone."""
        return {s.name: f"{self.secret}:{client_key if s.name == 'client' else '*'}" for s in self.scopes}

    @property
    def window(self) -> timedelta:
        return max(s.window for s in self.scopes)


def pause(scope: Scope, failures: int) -> timedelta:
    """The pause after ``failures`` failures in the window (zero while they are within the free tries)."""
    over = failures - scope.free
    if over < 0:
        return timedelta(0)
    # Capped before the power so that a long run of failures cannot overflow.
    doubled: timedelta = scope.base_delay * (2 ** min(over, 30))
    return min(doubled, scope.max_delay)


def wait_for(policy: Policy, records: Mapping[str, Record], now: datetime) -> timedelta:
    """How long this attempt must wait before it may be checked (zero: check it now).

    Args:
        policy: The secret's scopes.
        records: The recent failures under each scope's name.
        now: The current time (UTC).
    """
    longest = timedelta(0)
    for scope in policy.scopes:
        record = records.get(scope.name)
        if record is None or record.last is None:
            continue
        remaining = record.last + pause(scope, record.failures) - now
        longest = max(longest, remaining)
    return longest


def wait_words(wait: timedelta) -> str:
    """A pause in words for the person waiting: "about 20 seconds", "about 3 minutes"."""
    seconds = max(1, int(wait.total_seconds() + 0.999))
    if seconds < 90:
        return f"about {seconds} second{'s' if seconds != 1 else ''}"
    minutes = (seconds + 59) // 60
    return f"about {minutes} minutes"


def _scopes(
    client: tuple[int, timedelta, timedelta, timedelta], everyone: tuple[int, timedelta, timedelta, timedelta]
) -> tuple[Scope, ...]:
    return (Scope("client", *client), Scope("all", *everyone))


_S = timedelta(seconds=1)
_MIN = timedelta(minutes=1)

# Join codes: a phone mistyping the code on the screen a few times is normal; ten misses from one
# phone in five minutes is guessing. A whole room of phones fumbling the code together stays within
# the shared allowance of 60; past it everyone's next try waits a few seconds, never more than 30.
JOIN = Policy("join", _scopes((10, 5 * _MIN, 5 * _S, 5 * _MIN), (60, 5 * _MIN, 1 * _S, 30 * _S)))
# Withdraw codes are long and shown once, so a miss is rare: the same shape, fewer free tries.
WITHDRAW = Policy("withdraw", _scopes((10, 10 * _MIN, 5 * _S, 5 * _MIN), (30, 10 * _MIN, 1 * _S, 30 * _S)))
# The passcode (about 35 bits): five typos from one laptop are free, then the pause doubles from
# 2 s up to a minute. Everyone's failures together: 20 free, then up to a minute. A guesser gets at
# most about 60 checks an hour; the facilitator never waits more than a minute.
PASSCODE = Policy("passcode", _scopes((5, 15 * _MIN, 2 * _S, 1 * _MIN), (20, 15 * _MIN, 1 * _S, 1 * _MIN)))

POLICIES: Sequence[Policy] = (JOIN, WITHDRAW, PASSCODE)
