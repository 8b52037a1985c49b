"""The live wall's themes view: the theme board in large type."""

from __future__ import annotations

import streamlit as st
from sqlalchemy import Engine

from codesign.charts.themes import theme_board_figure
from codesign.models import Workshop
from codesign.themes import service as themes
from codesign.ui import common

LABEL = "Themes"
# Quotes shown under the board: the room reads them from the back, so few and short.
WALL_QUOTES = 4
WALL_QUOTE_CHARS = 220
# Static style only (no participant text): plain-text quotes in large type on the projector.
_STYLE = """
<style>
[data-testid="stText"] { font-size: 1.6rem; line-height: 1.35; white-space: pre-wrap; font-family: inherit; }
</style>
"""


def render(engine: Engine, workshop: Workshop) -> None:
    """Draw this view of the wall for the projector (16:9, readable from the back of the room)."""
    summaries = themes.board_summaries(engine, workshop)
    if not any(summary.size for summary in summaries):
        st.info("No themes yet: the facilitator finds them on the Themes screen.")
        return
    st.plotly_chart(theme_board_figure(summaries), width="stretch", config={"displayModeBar": False})
    st.html(_STYLE)
    biggest = sorted((s for s in summaries if s.quotes), key=lambda s: -s.size)[:WALL_QUOTES]
    for summary in biggest:
        quote = next((q for q in summary.quotes if len(q) <= WALL_QUOTE_CHARS), None)
        if quote:
            common.plain(f"“{quote}”")
