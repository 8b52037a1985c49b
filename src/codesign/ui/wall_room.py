"""The display's room views: the welcome (QR code and join code), the timer, and the pause screen."""

from __future__ import annotations

from datetime import UTC, datetime

import streamlit as st
from sqlalchemy import Engine

from codesign.models import Workshop
from codesign.ui import common
from codesign.ui import frame as d
from codesign.workshops import links
from codesign.workshops.display import DisplayState, clock, seconds_left

_CSS = """
<style>
.st-key-d_qr img { height: 52vh !important; width: auto !important; max-width: none !important; }
.d-welcome-title { font-size: 5.4vh; font-weight: 800; line-height: 1.1; margin: 0 0 2vh 0; color: #000; }
.d-join { font-size: 3.6vh; line-height: 1.25; color: #000; margin: 0; }
.d-join b { font-weight: 800; }
.d-codelabel { font-size: 3.4vh; color: #000; margin: 3vh 0 0 0; }
.d-joincode { font-size: 13vh; font-weight: 800; letter-spacing: 0.14em; line-height: 1; color: #000; margin: 0; }
.d-timer { text-align: center; padding-top: 10vh; }
.d-timer .d-clockbig { font-size: 34vh; font-weight: 800; line-height: 1; font-variant-numeric: tabular-nums;
  color: #111; }
.d-timer .d-label { font-size: 4vh; color: #111; }
.d-timer.d-ended { background: #b00020; border-radius: 2vh; padding: 8vh 0 6vh 0; margin-top: 4vh;
  animation: d-flash 1s step-start 6; }
.d-timer.d-ended .d-clockbig, .d-timer.d-ended .d-label { color: #fff; }
@keyframes d-flash { 50% { background: #000; } }
.d-pause { height: 90vh; background: #000; border-radius: 1vh; }
</style>
"""


def welcome(engine: Engine, workshop: Workshop, state: DisplayState) -> None:
    """The QR code, the address and the join code, readable from the back of the room."""
    del engine, state
    st.html(_CSS)
    url = common.join_url(workshop.code)
    left, right = st.columns([5, 7], gap="large", vertical_alignment="center")
    with left, st.container(key="d_qr"):
        # The address and code beside it say the same in words, for anyone who cannot scan.
        st.image(links.qr_png(url), width=600, alt="QR code that opens this workshop's join page on a phone")
    with right:
        st.html(
            f'<p class="d-welcome-title">{d.esc(workshop.title)}</p>'
            '<p class="d-join">Scan the code with your phone camera, or go to</p>'
            f'<p class="d-join" data-testid="displayJoinAddress"><b>{d.esc(d.short_address(workshop.code))}</b></p>'
            '<p class="d-codelabel">and type the code</p>'
            f'<p class="d-joincode" data-testid="displayJoinCode">{d.esc(workshop.code)}</p>'
            '<p class="d-join" style="margin-top:3vh">No account needed. You choose what is shared.</p>'
        )


def timer(engine: Engine, workshop: Workshop, state: DisplayState) -> None:
    """The countdown, full screen; at zero it turns red and flashes a few times."""
    del engine
    st.html(_CSS)
    d.banner(workshop, state)
    left = seconds_left(state.timer_ends_at, datetime.now(UTC))
    if left is None:
        st.html('<div class="d-timer"><p class="d-label">No timer is running.</p></div>')
        return
    if left == 0:
        st.html(
            '<div class="d-timer d-ended" data-testid="displayTimerEnded"><p class="d-clockbig">00:00</p>'
            '<p class="d-label">Time is up</p></div>'
        )
        return
    st.html(
        f'<div class="d-timer"><p class="d-clockbig">{clock(left)}</p>'
        f'<p class="d-label">left of {state.timer_minutes} minutes</p></div>'
    )


def pause(engine: Engine, workshop: Workshop, state: DisplayState) -> None:
    """A blank screen while the room takes a break or the facilitator needs the projector dark."""
    del engine, workshop, state
    st.html(_CSS)
    st.html('<div class="d-pause" data-testid="displayPause"></div>')
