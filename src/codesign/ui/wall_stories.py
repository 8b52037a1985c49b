"""The live wall's stories view: the newest approved stories, rotating, with counts by stage and lens."""

from __future__ import annotations

import streamlit as st
from sqlalchemy import Engine

from codesign.models import Workshop

LABEL = "Stories"


def render(engine: Engine, workshop: Workshop) -> None:
    """Draw this view of the wall for the projector (16:9, readable from the back of the room)."""
    del engine, workshop
    st.info("The newest approved stories, rotating, with counts by stage and lens will show here.")
