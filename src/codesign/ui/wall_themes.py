"""The live wall's themes view: the theme board in large type."""

from __future__ import annotations

import streamlit as st
from sqlalchemy import Engine

from codesign.models import Workshop
from codesign.themes import service as themes
from codesign.ui import theme_board

LABEL = "Themes"


def render(engine: Engine, workshop: Workshop) -> None:
    """Draw this view of the wall for the projector (16:9, readable from the back of the room)."""
    summaries = themes.board_summaries(engine, workshop)
    if not any(summary.size for summary in summaries):
        st.info("No themes yet: the facilitator finds them on the Themes screen.")
        return
    theme_board.wall_board(summaries)
