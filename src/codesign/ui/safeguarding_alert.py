"""The urgent safeguarding alert on the facilitator's screens.

A small fragment that re-runs on its own every ``CHECK_EVERY`` and looks for stories and
ideas with an urgent flag (a plan, an attempt, danger now) that no facilitator has reviewed.
It shows no participant text, only how many and where to go, and it is left out of the
live wall, which is on the projector.
"""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import urlparse

import streamlit as st
from sqlalchemy import Engine

from codesign import stories, voting

CHECK_EVERY = timedelta(seconds=2)
SEEN = "safeguarding_alert_seen"
TOAST = "safeguarding_alert_toast"
# Pages whose screen the room sees: the alert stays off them.
PROJECTED_PATHS = ("/wall",)


def _path() -> str:
    try:
        url = st.context.url
    except Exception:
        return ""
    return urlparse(url or "").path.rstrip("/")


def urgent_counts(engine: Engine, workshop_id: int) -> tuple[int, int, list[str]]:
    """How many stories and ideas carry an unreviewed urgent flag, and a key for each."""
    flagged_stories = stories.urgent_flags(engine, workshop_id)
    flagged_ideas = voting.urgent_idea_flags(engine, workshop_id)
    keys = [f"story:{s.id}" for s in flagged_stories] + [f"idea:{i.id}" for i in flagged_ideas]
    return len(flagged_stories), len(flagged_ideas), keys


def _message(n_stories: int, n_ideas: int) -> str:
    parts = []
    if n_stories:
        parts.append(f"{n_stories} {'story' if n_stories == 1 else 'stories'}")
    if n_ideas:
        parts.append(f"{n_ideas} {'idea' if n_ideas == 1 else 'ideas'}")
    return " and ".join(parts)


def render(engine: Engine, workshop_id: int, *, compact: bool = False, on_moderation: bool = False) -> None:
    """Draw the alert where it is called (the moderation page, or the sidebar when ``compact``),
    checking again every ``CHECK_EVERY`` without waiting for the page to be rerun."""
    path = _path()
    if path.endswith(PROJECTED_PATHS) or (compact and path.endswith("/moderation")):
        return  # off the projector; the moderation page draws its own, fuller alert

    @st.fragment(run_every=CHECK_EVERY)
    def _alert() -> None:
        pending = st.session_state.pop(TOAST, "")
        if pending:
            st.toast(pending, icon=":material/warning:")
        n_stories, n_ideas, keys = urgent_counts(engine, workshop_id)
        first_look = SEEN not in st.session_state
        seen: set[str] = st.session_state.setdefault(SEEN, set())
        new = [k for k in keys if k not in seen]
        seen.update(keys)
        if not keys:
            return
        what = _message(n_stories, n_ideas)
        if new and not first_look:
            # A flag that arrived while this screen was open: say so, and on the moderation
            # page rerun the whole page so the queue below shows it too.
            where = "in the queue below" if on_moderation else "waiting on Moderation"
            message = f"New urgent safeguarding flag: {what} {where}."
            if on_moderation:
                st.session_state[TOAST] = message
                st.rerun(scope="app")
            st.toast(message, icon=":material/warning:")
        if compact:
            # A warning box in the sidebar: it stands out there without being mistaken for an
            # error about what the facilitator is doing on the page itself.
            st.warning(f"Urgent safeguarding: {what} to review now.", icon=":material/warning:")
        else:
            st.error(
                f"Urgent safeguarding flag: {what} may mean a life is at risk now. "
                "If anyone is in danger now, call 999. Then tell the safeguarding lead and review it below.",
                icon=":material/warning:",
            )
        if not on_moderation:
            st.page_link("pages/moderation.py", label="Open Moderation", icon=":material/shield:")

    _alert()
