"""Facilitator: the live wall for the projector. One view at a time: stories, themes or votes."""

import streamlit as st

from codesign.ui import common, wall_stories, wall_themes, wall_votes
from codesign.workshops import links

common.require_facilitator()
workshop = common.require_workshop()
engine = common.engine()

VIEWS = {view.LABEL: view for view in (wall_stories, wall_themes, wall_votes)}

chosen = st.sidebar.radio("Show on the wall", list(VIEWS), key="wall_view")
left, right = st.columns([1, 4])
with left:
    st.image(links.qr_png(common.join_url(workshop.code)), width=200)
with right:
    st.title(workshop.title)
    st.metric("Join code", workshop.code)
    st.caption(common.join_url(workshop.code))
VIEWS[chosen].render(engine, workshop)
