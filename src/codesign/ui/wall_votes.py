"""The live wall's votes view: dot-vote results after the reveal, and the impact and effort grid."""

from __future__ import annotations

import streamlit as st
from sqlalchemy import Engine

from codesign.models import Workshop

LABEL = "Votes"


def render(engine: Engine, workshop: Workshop) -> None:
    """Draw this view of the wall for the projector (16:9, readable from the back of the room)."""
    del engine, workshop
    st.info("Dot-vote results after the reveal, and the impact and effort grid will show here.")
