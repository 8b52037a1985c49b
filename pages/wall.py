"""Facilitator, on the laptop: choose what the room's display shows, run the timer, and see it live.

The projector opens the display link (below) and follows within a couple of seconds.
Nothing here is on the projector: this screen stays on the laptop.
"""

import streamlit as st

from codesign import voting, workshops
from codesign.errors import ValidationFailed
from codesign.ui import common, display, display_text, frame

VIEW = "wall_view"
SEEN = "wall_view_seen_version"
ROUND = "wall_votes_round"

common.require_facilitator()
workshop = common.require_workshop()
engine = common.engine()
common.show_flash()
views = workshops.display.VIEWS
state = workshops.display_state(engine, workshop.id)

# Another laptop (or the CLI) may have moved the display: start from what it shows now.
if st.session_state.get(SEEN) != (workshop.id, state.version):
    st.session_state[VIEW] = state.view
    st.session_state[ROUND] = state.round_id
    st.session_state[SEEN] = (workshop.id, state.version)


def put_on_display() -> None:
    view = st.session_state[VIEW]
    round_id = st.session_state.get(ROUND) if view in ("round", "agreement") else None
    after = workshops.show_on_display(engine, workshop.id, view, round_id=round_id)
    st.session_state[SEEN] = (workshop.id, after.version)


st.sidebar.radio("Show on the display", list(views), format_func=views.__getitem__, key=VIEW, on_change=put_on_display)
if st.session_state[VIEW] in ("round", "agreement"):
    rounds = voting.list_rounds(engine, workshop.id)
    by_id = {r.id: r for r in rounds}
    choices: list[int | None] = [None, *by_id]
    if st.session_state.get(ROUND) not in choices:
        st.session_state[ROUND] = None
    st.sidebar.selectbox(
        "Round on the display",
        choices,
        format_func=lambda i: "The newest open round" if i is None else f"{by_id[i].prompt} ({by_id[i].stage_label})",
        key=ROUND,
        on_change=put_on_display,
    )
banner = st.sidebar.toggle(
    "Join banner on every view", value=state.banner, help="The slim strip with the join address and code."
)
if banner != state.banner:
    workshops.set_display_banner(engine, workshop.id, banner)
    st.rerun()

st.sidebar.subheader("Activity timer")
minutes = st.sidebar.number_input("Minutes", min_value=1, max_value=180, value=state.timer_minutes, step=1)
start, more, stop = st.sidebar.columns(3)
if start.button("Start", key="wall_timer_start", type="primary"):
    try:
        workshops.start_display_timer(engine, workshop.id, int(minutes))
    except ValidationFailed as exc:
        st.sidebar.error(str(exc))
if more.button("+1 min", key="wall_timer_more", help="Add a minute (from now if the time is up)."):
    workshops.add_display_minute(engine, workshop.id)
if stop.button("Stop", key="wall_timer_stop"):
    workshops.stop_display_timer(engine, workshop.id)

st.title("Display")
key = workshops.display_key(engine, workshop.id)
with st.expander("Put the display on the projector", expanded=state.version == 0):
    st.write(
        "On the computer driving the projector, open this link in a browser and make it full screen (F11). "
        "It needs no passcode and shows only what you choose here. Keep it private: anyone with the link "
        "sees the display. Make a new link on the Workshops screen or with `codesign display-link CODE --revoke`."
    )
    st.code(workshops.display.display_url(key, display.base_url()), language=None)
st.caption("What the room sees now (it updates by itself):")
st.html(frame.CSS)


@st.fragment(run_every=display.PREVIEW_SECONDS)
def preview() -> None:
    now = workshops.display_state(engine, workshop.id)
    with st.container(border=True, key="wall_preview"):
        display.draw(engine, workshop, now)


preview()

with st.expander("In full: the text the display shortens with “…”"):
    display_text.full_text(engine, workshop, workshops.display_state(engine, workshop.id))
