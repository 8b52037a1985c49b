"""Phones follow the room: a one-line banner under the title when the facilitator opens an activity.

The banner lives in its own fragment, so it refreshes without rerunning the page: a story
being typed stays as it is, and the participant decides when to go (or stays to add a
story or withdraw one).
"""

from __future__ import annotations

import threading
import time
import weakref

import streamlit as st
from sqlalchemy import Engine

from codesign import voting

# Phones follow within 5 s: a 2 s refresh, and the room's activity read at most once a
# second per workshop by this process, however many phones ask (100 phones refreshing every
# 2 s would otherwise be 50 reads a second).
REFRESH_SECONDS = 2.0
SHARED_FOR_SECONDS = 1.0

# Constant style. The banner takes its own place in the page, under the title, one line tall: a
# fixed bar would cover the story box on a phone's first screen, hide the field being typed in
# behind it (WCAG 2.2 2.4.11, focus not obscured) and take a quarter of the screen at 200% zoom.
_STYLE = """
<style>
.st-key-room_banner { background: #fff8d6; padding: 0.25rem 0.75rem !important; gap: 0 !important; }
.st-key-room_banner a[href] p { font-weight: 600; }
</style>
"""

# What each open round asks of the room, and where the banner's button goes.
MESSAGES = {
    "ideas": "Ideas are open: add yours",
    "voting": "Voting has started",
    "agreement": "Agree or disagree has started",
}


def room_activity(rounds: list[voting.Round]) -> tuple[str, int] | None:
    """The activity phones should be pointed to: the newest round still taking part, if any."""
    live = [r for r in rounds if r.takes_ideas or r.takes_votes or r.takes_answers]
    if not live:
        return None
    newest = max(live, key=lambda r: r.id)
    kind = "agreement" if newest.kind == "agreement" else ("voting" if newest.takes_votes else "ideas")
    return kind, newest.id


def follow(engine: Engine, workshop_id: int) -> None:
    """Show the room's current activity as a banner with a button, refreshed by itself."""
    _banner(engine, workshop_id)


_SEEN: weakref.WeakKeyDictionary[Engine, dict[int, tuple[float, tuple[str, int] | None]]] = weakref.WeakKeyDictionary()
_SEEN_LOCK = threading.Lock()


def current_activity(engine: Engine, workshop_id: int) -> tuple[str, int] | None:
    """The room's activity, as read by this process less than ``SHARED_FOR_SECONDS`` ago."""
    now = time.monotonic()
    with _SEEN_LOCK:
        seen = _SEEN.setdefault(engine, {}).get(workshop_id)
    if seen is not None and now - seen[0] < SHARED_FOR_SECONDS:
        return seen[1]
    activity = room_activity(voting.list_rounds(engine, workshop_id))
    with _SEEN_LOCK:
        _SEEN.setdefault(engine, {})[workshop_id] = (now, activity)
    return activity


@st.fragment(run_every=REFRESH_SECONDS)
def _banner(engine: Engine, workshop_id: int) -> None:
    activity = current_activity(engine, workshop_id)
    if activity is None:
        return
    kind, _round_id = activity
    st.html(_STYLE)
    with st.container(border=True, key="room_banner"):
        st.page_link("pages/vote.py", label=f"{MESSAGES[kind]}: go to ideas and votes", icon=":material/how_to_vote:")
