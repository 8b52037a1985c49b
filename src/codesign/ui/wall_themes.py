"""The live wall's themes view: the theme board in large type."""

from __future__ import annotations

import streamlit as st
from sqlalchemy import Engine

from codesign.models import Workshop

LABEL = "Themes"


def render(engine: Engine, workshop: Workshop) -> None:
    """Draw this view of the wall for the projector (16:9, readable from the back of the room)."""
    del engine, workshop
    st.info("The theme board in large type will show here.")
