"""The live wall's stories view: the newest approved stories, rotating, with counts by stage and lens.

The panel refreshes itself with ``st.fragment(run_every=...)``: no page reload, no
flicker, and an approved story is on the wall within ``REFRESH_SECONDS``. Participant
text is drawn with ``st.text``, so markup in a story shows literally and fetches nothing.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

import streamlit as st
from sqlalchemy import Engine

from codesign import stories, workshops
from codesign.errors import NotFoundError
from codesign.models import Workshop
from codesign.ui import common

LABEL = "Stories"
# An approved story must be on the wall within 3 s. Measured here with a 2 s refresh:
# median 0.8 s but up to 2.4 s on a busy machine, too close; 1.5 s leaves room for the
# query and the browser. Each refresh is a few small reads per projector.
REFRESH_SECONDS = 1.5
# How long each set of older stories stays up before the next set.
ROTATE_SECONDS = 12
ROTATING = 2

# Constant styling for the projector (no participant text in it): big type, high contrast.
WALL_CSS = """
<style>
.st-key-wall_newest [data-testid="stText"], .st-key-wall_newest [data-testid="stText"] div {
  font-family: "Source Sans Pro", sans-serif; font-size: 2.4rem; line-height: 1.35; color: #111;
  white-space: pre-wrap;
}
.st-key-wall_rotating [data-testid="stText"], .st-key-wall_rotating [data-testid="stText"] div {
  font-family: "Source Sans Pro", sans-serif; font-size: 1.7rem; line-height: 1.35; color: #111;
  white-space: pre-wrap;
}
.st-key-wall_timer [data-testid="stMetricValue"] { font-size: 4rem; }
[data-testid="stProgress"] p { font-size: 1.3rem; }
</style>
"""


def render(engine: Engine, workshop: Workshop) -> None:
    """Draw this view of the wall for the projector (16:9, readable from the back of the room)."""
    _timer_controls(engine, workshop)
    st.markdown(WALL_CSS, unsafe_allow_html=True)
    _live(engine, workshop.id)


def _timer_controls(engine: Engine, workshop: Workshop) -> None:
    st.sidebar.subheader("Activity timer")
    minutes = st.sidebar.number_input("Minutes", min_value=1, max_value=180, value=10, step=1, key="wall_minutes")
    start, stop = st.sidebar.columns(2)
    if start.button("Start", key="wall_timer_start", type="primary"):
        workshops.set_timer(engine, workshop.id, datetime.now(UTC) + timedelta(minutes=int(minutes)))
    if stop.button("Stop", key="wall_timer_stop"):
        workshops.set_timer(engine, workshop.id, None)


def _countdown(ends_at: datetime | None) -> str | None:
    if ends_at is None:
        return None
    left = max(0, int((ends_at - datetime.now(UTC)).total_seconds()))
    return f"{left // 60:02d}:{left % 60:02d}"


@st.fragment(run_every=REFRESH_SECONDS)
def _live(engine: Engine, workshop_id: int) -> None:
    try:
        workshop = workshops.get_workshop(engine, workshop_id)
    except NotFoundError as exc:
        st.error(str(exc))
        return
    snapshot = stories.wall_snapshot(engine, workshop)
    left, right = st.columns([3, 2], gap="large")
    with left:
        if not snapshot.stories:
            st.subheader("Stories will appear here once they are approved.")
        else:
            newest, *older = snapshot.stories
            st.subheader("Just shared")
            with st.container(border=True, key="wall_newest"):
                common.plain(newest.text)
            shown = stories.rotate(older, int(time.time() // ROTATE_SECONDS), ROTATING)
            if shown:
                st.subheader("Earlier stories")
                with st.container(key="wall_rotating"):
                    for story in shown:
                        with st.container(border=True):
                            common.plain(story.text)
    with right:
        countdown = _countdown(workshops.get_timer(engine, workshop_id))
        if countdown is not None:
            with st.container(key="wall_timer"):
                st.metric("Time left for this activity", countdown)
        st.metric("Stories shared", snapshot.total)
        _counts("By stage", snapshot.by_stage)
        _counts("By lens", snapshot.by_lens)


def _counts(title: str, counts: tuple[tuple[str, int], ...]) -> None:
    # Progress bars, not a chart: they redraw in a few milliseconds on every refresh, where
    # two Plotly figures kept the projector's browser busy and delayed the next refresh.
    # The labels are the kit's stage and lens names (configuration, not participant text).
    st.subheader(title)
    most = max([n for _, n in counts] + [1])
    for name, n in counts:
        st.progress(n / most, text=f"{name}: {n}")
