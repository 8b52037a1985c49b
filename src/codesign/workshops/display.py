"""The room's display: what the projector shows, its read-only link key, and the timer's rules.

Pure values and functions (no database). The facilitator's laptop writes a
:class:`DisplayState` into the workshop's settings; every display that opened the
workshop's display link reads it about once a second and draws that view.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any, Literal
from urllib.parse import urlencode

# Where the state and the key live inside the workshop's settings (JSON, no migration).
DISPLAY_SETTING = "display"
KEY_SETTING = "display_key"

# The views a facilitator can put on the display, in the order the laptop offers them.
VIEWS: dict[str, str] = {
    "welcome": "Welcome",
    "agenda": "Now / next",
    "stories": "Stories",
    "themes": "Themes",
    "round": "Votes",
    "agreement": "Agreement",
    "emotion": "Emotion curve",
    "journey": "Journey map",
    "blueprint": "Blueprint",
    "actions": "You said, we will",
    "timer": "Timer",
    "pause": "Pause",
}
View = Literal[
    "welcome",
    "agenda",
    "stories",
    "themes",
    "round",
    "agreement",
    "emotion",
    "journey",
    "blueprint",
    "actions",
    "timer",
    "pause",
]

# The longest countdown the laptop can start (an agenda item longer than this runs its first 3 hours).
MAX_TIMER_MINUTES = 180

# The secret part of a key: 32 bytes from the OS, far beyond guessing.
_SECRET_BYTES = 32


@dataclass(frozen=True)
class DisplayState:
    """What every display of one workshop shows now.

    Attributes:
        view: One of :data:`VIEWS`.
        round_id: The voting or agreement round on the display (None: the newest).
        banner: Whether views other than the welcome show the slim join banner.
        timer_ends_at: When the countdown reaches zero (UTC), or None when no timer runs.
        timer_minutes: The length the facilitator last started, for the progress ring.
        version: Raised on every change, so a display can tell a change from a refresh.
    """

    view: View = "welcome"
    round_id: int | None = None
    banner: bool = True
    timer_ends_at: datetime | None = None
    timer_minutes: int = 10
    version: int = 0

    def to_json(self) -> dict[str, Any]:
        return {
            "view": self.view,
            "round_id": self.round_id,
            "banner": self.banner,
            "timer_minutes": self.timer_minutes,
            "version": self.version,
        }


def state_from(settings: dict[str, Any], timer_ends_at: datetime | None) -> DisplayState:
    """Read the display's state from a workshop's settings, tolerating old or hand-edited values."""
    raw = settings.get(DISPLAY_SETTING) or {}
    view = raw.get("view")
    round_id = raw.get("round_id")
    minutes = raw.get("timer_minutes")
    return DisplayState(
        view=view if view in VIEWS else "welcome",
        round_id=round_id if isinstance(round_id, int) else None,
        banner=bool(raw.get("banner", True)),
        timer_ends_at=timer_ends_at,
        timer_minutes=minutes if isinstance(minutes, int) and minutes > 0 else 10,
        version=int(raw.get("version") or 0),
    )


def show(state: DisplayState, view: str, *, round_id: int | None = None) -> DisplayState:
    """The state after the facilitator puts ``view`` on the display."""
    if view not in VIEWS:
        raise ValueError(f"unknown display view {view!r}")
    return replace(state, view=view, round_id=round_id, version=state.version + 1)  # type: ignore[arg-type]


def seconds_left(ends_at: datetime | None, now: datetime) -> int | None:
    """Whole seconds until the timer ends (0 once it has ended), or None without a timer."""
    if ends_at is None:
        return None
    return max(0, int((ends_at - now).total_seconds() + 0.999))


def add_minute(ends_at: datetime | None, now: datetime) -> datetime:
    """A minute more: from the current end, or from now if the timer has ended or never ran."""
    base = ends_at if ends_at is not None and ends_at > now else now
    return base + timedelta(minutes=1)


def clock(seconds: int) -> str:
    return f"{seconds // 60:02d}:{seconds % 60:02d}"


def new_key(workshop_id: int) -> str:
    """A fresh display key: the workshop's id, a dot, then the secret.

    The id only says where to look; the secret decides. A restored copy of a workshop
    gets a new id, so its copied key opens nothing until the facilitator makes a new one.
    """
    return f"{workshop_id}.{secrets.token_urlsafe(_SECRET_BYTES)}"


def key_workshop_id(key: str) -> int | None:
    """The workshop id a key names, or None if the key is not shaped like one."""
    head, dot, secret = key.partition(".")
    if not dot or not head.isdigit() or len(head) > 12 or len(secret) < 40 or len(key) > 120:
        return None
    return int(head)


def display_url(key: str, base: str) -> str:
    """The address a projector opens: ``BASE/?key=...``.

    At the root, like the join links: Streamlit serves its default page only there, and
    the app makes the display the only page of a session that arrives with a key.
    """
    return f"{base.rstrip('/')}/?{urlencode({'key': key})}"
