"""Facilitator: the live wall for the projector."""

import streamlit as st

from codesign import links
from codesign.ui import common

common.require_facilitator()
workshop = common.require_workshop()

st.title(workshop.title)
left, right = st.columns([1, 2])
with left:
    st.image(links.qr_png(links.join_url(workshop.code)), width=260)
with right:
    st.metric("Join at the address below, or scan the code", workshop.code)
    st.code(links.join_url(workshop.code), language=None)
st.info("The live wall of approved stories arrives with story capture and moderation.")
