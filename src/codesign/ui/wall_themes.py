"""The display's themes view: the theme board in large type, and a few short quotes."""

from __future__ import annotations

import streamlit as st
from sqlalchemy import Engine

from codesign.charts.themes import theme_board_figure
from codesign.models import Workshop
from codesign.themes import service as themes
from codesign.ui import common
from codesign.ui import frame as d
from codesign.workshops.display import DisplayState

LABEL = "Themes"
# Quotes shown under the board: the room reads them from the back, so few and short.
WALL_QUOTES = 2
WALL_QUOTE_CHARS = 160
# The board's height on a 1080-pixel-high screen (other screens scale it).
BOARD_HEIGHT = 700


def show(engine: Engine, workshop: Workshop, state: DisplayState) -> None:
    """Draw the themes view (16:9, readable from the back of the room)."""
    del state
    summaries = themes.board_summaries(engine, workshop)
    if not any(summary.size for summary in summaries):
        d.heading("No themes yet: the facilitator finds them on the Themes screen.")
        return
    figure = theme_board_figure(summaries, font_size=d.scaled(30))
    d.figure(figure, *d.figure_size(BOARD_HEIGHT))
    biggest = sorted((s for s in summaries if s.quotes), key=lambda s: -s.size)[:WALL_QUOTES]
    with st.container(key="d_quotes"):
        for summary in biggest:
            quote = next((q for q in summary.quotes if len(q) <= WALL_QUOTE_CHARS), None)
            if quote:
                common.plain(f"“{quote}”")
