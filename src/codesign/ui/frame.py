"""What every display view shares: the style, the slim join banner, headings and body text.

Only our own words and the workshop's configuration pass through ``st.html`` here, and
always escaped; participant text goes through ``ui.common.plain`` (``st.text``).
"""

from __future__ import annotations

import html
from datetime import UTC, datetime
from typing import Any

import streamlit as st

from codesign.models import Workshop
from codesign.workshops import links
from codesign.workshops.display import DisplayState, clock, seconds_left

# Constant styling (no participant text in it). On the display: no menu, no header, no
# toolbar and little padding, the whole screen is the room's (CHROME); the views' type
# (CSS) is shared with the laptop's preview.
CHROME = """
<style>
header[data-testid="stHeader"], [data-testid="stToolbar"], [data-testid="stSidebar"],
[data-testid="stSidebarCollapsedControl"], [data-testid="stDecoration"], [data-testid="stStatusWidget"],
[data-testid="stElementToolbar"] {
  display: none !important;
}
[data-testid="stMainBlockContainer"] { padding: 1.2vh 2vw 0 2vw !important; max-width: 100% !important; }
[data-testid="stMain"] { overflow: hidden; }
/* The display redraws every second; Streamlit fades what it is redrawing, which on a projector is
   text at under 2:1 contrast for a moment. The room reads the last view until the next is drawn. */
[data-stale="true"], [data-stale="true"] * { opacity: 1 !important; transition: none !important; }
.stApp { background: #fff; color: #111; }
[data-testid="stVerticalBlock"] { gap: 1.2vh; }
</style>
"""
CSS = """
<style>
.d-banner { display: flex; align-items: center; gap: 2vw; background: #111; color: #fff;
  padding: 0.4vh 1.5vw; border-radius: 0.8vh; font-size: 2.8vh; line-height: 1.2; }
.d-banner .d-code { font-size: 4.6vh; font-weight: 800; letter-spacing: 0.12em; }
.d-banner .d-clock { margin-left: auto; font-size: 4.6vh; font-weight: 700; font-variant-numeric: tabular-nums; }
.d-banner .d-clock.d-ended { background: #b00020; padding: 0 1vw; border-radius: 0.6vh; }
.d-h { font-size: 3.4vh; font-weight: 700; line-height: 1.2; margin: 0; color: #111; }
.d-body { font-size: 2.8vh; line-height: 1.3; color: #111; margin: 0; }
.d-big { font-size: 7vh; font-weight: 800; line-height: 1.1; color: #111; margin: 0; }
[class*="st-key-d_"] [data-testid="stText"], [class*="st-key-d_"] [data-testid="stText"] div {
  font-family: "Source Sans Pro", sans-serif; font-size: 2.8vh; line-height: 1.3; color: #111;
  white-space: pre-wrap; overflow: hidden; display: -webkit-box; -webkit-box-orient: vertical;
  -webkit-line-clamp: 3;
}
.st-key-d_newest [data-testid="stText"], .st-key-d_newest [data-testid="stText"] div {
  font-size: 4vh !important; -webkit-line-clamp: 7 !important;
}
.st-key-d_prompt [data-testid="stText"], .st-key-d_prompt [data-testid="stText"] div {
  font-size: 3.6vh !important; font-weight: 700; -webkit-line-clamp: 2 !important;
}
.st-key-d_items [data-testid="stText"], .st-key-d_items [data-testid="stText"] div { -webkit-line-clamp: 2 !important; }
.d-counts { display: flex; flex-direction: column; gap: 0.5vh; margin-top: 0.6vh; }
.d-count { display: grid; grid-template-columns: 1fr auto; column-gap: 1vw; font-size: 2.8vh; line-height: 1.2;
  color: #111; }
.d-count i { grid-column: 1 / span 2; display: block; height: 0.5vh; background: #1f4e79; border-radius: 0.3vh; }
[data-testid="stProgress"] p { font-size: 2.8vh !important; line-height: 1.2; }
[data-testid="stProgress"] { gap: 0.2vh; }
/* Figures are drawn for a 1920x1080 screen; other screens scale the drawing (see figure()). */
[class*="st-key-d_figure"] { overflow: hidden; }
</style>
"""


def esc(text: object) -> str:
    return html.escape(str(text), quote=True)


def banner(workshop: Workshop, state: DisplayState) -> None:
    """The slim join banner: address, code and, while a timer runs, the time left."""
    left = seconds_left(state.timer_ends_at, datetime.now(UTC))
    timer = ""
    if left is not None:
        ended = " d-ended" if left == 0 else ""
        timer = f'<span class="d-clock{ended}">{"Time is up" if left == 0 else clock(left)}</span>'
    st.html(
        f'<div class="d-banner" data-testid="displayBanner"><span>Join at {esc(short_address(workshop.code))}</span>'
        f'<span>code <span class="d-code">{esc(workshop.code)}</span></span>{timer}</div>'
    )


def short_address(code: str) -> str:
    """Where to type the code: the app's address without its scheme, as people type it."""
    del code  # the code is shown beside it, big; the address alone is shorter to type
    port = st.get_option("server.port")
    return links.base_url(int(port) if port else None).split("://", 1)[-1]


def heading(text: str) -> None:
    st.html(f'<p class="d-h">{esc(text)}</p>')


def body(text: str) -> None:
    st.html(f'<p class="d-body">{esc(text)}</p>')


# Plotly lays its text out for the size it is given, so a figure is drawn for the screen
# it is on: the display's page learns its size once (SIZE_SCRIPT) and keeps it in its address.
SCREEN_PARAM = "screen"
DEFAULT_SCREEN = (1920, 1080)
SIZE_SCRIPT = """
<script>
(function () {
  const top = window.parent || window;
  const want = top.innerWidth + "x" + top.innerHeight;
  const url = new URL(top.location.href);
  if (url.searchParams.get("screen") !== want) {
    url.searchParams.set("screen", want);
    top.location.replace(url.toString());
  }
  if (!top.__codesignResize) {
    top.__codesignResize = true;
    let timer = null;
    top.addEventListener("resize", () => { clearTimeout(timer); timer = setTimeout(() => {
      const now = new URL(top.location.href);
      now.searchParams.set("screen", top.innerWidth + "x" + top.innerHeight);
      top.location.replace(now.toString());
    }, 800); });
  }
})();
</script>
"""


def screen() -> tuple[int, int]:
    """The display's size in CSS pixels, as its page reported it (1920x1080 until it has)."""
    raw = str(st.query_params.get(SCREEN_PARAM, ""))
    width, _x, height = raw.partition("x")
    if width.isdigit() and height.isdigit() and 320 <= int(width) <= 8000 and 240 <= int(height) <= 5000:
        return int(width), int(height)
    return DEFAULT_SCREEN


def figure_size(height_at_1080: int) -> tuple[int, int]:
    """A figure's size on this screen: the full width less the margins, a height scaled from 1080p."""
    width, height = screen()
    return int(width * 0.96) - 8, int(height_at_1080 * height / 1080)


def scaled(px_at_1080: float) -> int:
    """A figure's font size on this screen, from its size at 1080p."""
    return max(10, round(px_at_1080 * screen()[1] / 1080))


def figure(fig: Any, width: int, height: int) -> None:
    """A Plotly figure on the display at the given size, never interactive."""
    fig.update_layout(width=width, height=height, autosize=False)
    with st.container(key="d_figure"):
        st.plotly_chart(fig, width="content", config={"displayModeBar": False, "staticPlot": True})
