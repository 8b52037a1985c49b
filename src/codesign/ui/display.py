"""The room's display: the page a projector opens with the display link, steered from the laptop.

The display holds no state of its own. Its fragment reads the workshop's display state
(``workshops.display_state``) about once a second and draws that view, so a reload, a
restart or a second screen shows the same thing. The key is checked on every refresh:
after ``codesign display-link CODE --revoke`` an open display stops within a second.

Type is sized in ``vh`` so it holds on any 16:9 screen: at 1080 px, 2.8vh is 30 px (body),
4vh is 43 px (the newest story), 13vh is 140 px (the join code), 4.6vh is 50 px (the
banner's code). Figures are drawn for the screen's own size, which the page reports once
in its address (``&screen=WxH``, see ``frame.SIZE_SCRIPT``).
"""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st
from sqlalchemy import Engine

from codesign import workshops
from codesign.errors import NotFoundError
from codesign.models import Workshop
from codesign.ui import frame, wall_actions, wall_agenda, wall_journey, wall_room, wall_stories, wall_themes, wall_votes
from codesign.workshops import links
from codesign.workshops.display import DisplayState

KEY_PARAM = "key"
# The display follows the laptop within 2 s: a 1 s refresh leaves a second for the
# query, the send and the browser's redraw. Each refresh is three small reads.
REFRESH_SECONDS = 1.0

View = Callable[[Engine, Workshop, DisplayState], None]
VIEWS: dict[str, View] = {
    "welcome": wall_room.welcome,
    "agenda": wall_agenda.show,
    "stories": wall_stories.show,
    "themes": wall_themes.show,
    "round": wall_votes.show_round,
    "agreement": wall_votes.show_agreement,
    "emotion": wall_journey.emotion,
    "journey": wall_journey.journey,
    "blueprint": wall_journey.blueprint,
    "actions": wall_actions.show,
    "timer": wall_room.timer,
    "pause": wall_room.pause,
}


def render(engine: Engine) -> None:
    """The display page: check the key, then draw whatever the laptop chose, live."""
    st.html(frame.CHROME + frame.CSS)
    st.html(frame.SIZE_SCRIPT, unsafe_allow_javascript=True)
    key = str(st.query_params.get(KEY_PARAM, ""))
    try:
        workshops.open_display(engine, key)
    except NotFoundError as exc:
        st.error(str(exc))
        st.stop()
    _live(engine, key)


@st.fragment(run_every=REFRESH_SECONDS)
def _live(engine: Engine, key: str) -> None:
    try:
        workshop = workshops.open_display(engine, key)
    except NotFoundError as exc:
        st.error(str(exc))
        return
    state = workshops.display_state(engine, workshop.id)
    draw(engine, workshop, state)


def draw(engine: Engine, workshop: Workshop, state: DisplayState) -> None:
    """One view of the display (also the laptop's preview of it)."""
    with st.container(key=f"display_{state.view}"):
        if state.view not in ("welcome", "pause", "timer") and state.banner:
            frame.banner(workshop, state)
        VIEWS[state.view](engine, workshop, state)


# The laptop's preview of the display refreshes a little less often than the display.
PREVIEW_SECONDS = 2.0


def base_url() -> str:
    """The app's address on the port this server really uses (for the display link)."""
    port = st.get_option("server.port")
    return links.base_url(int(port) if port else None)


def link_panel(engine: Engine, workshop: Workshop) -> None:
    """The display link with a copy button (``st.code`` has one), and a way to replace it."""
    st.subheader("Display link for the projector")
    key = workshops.display_key(engine, workshop.id)
    st.code(workshops.display.display_url(key, base_url()), language=None)
    st.caption(
        "Open it on the computer driving the projector (no passcode there), then choose what it shows on the "
        "Display screen. Anyone with the link sees the display, nothing else: make a new one if it got out."
    )
    if st.button("Make a new display link (the old one stops working)", key=f"display_revoke_{workshop.id}"):
        workshops.revoke_display_key(engine, workshop.id)
        st.rerun()
