"""Participant: ideas and votes from a phone."""

import streamlit as st

st.title("Vote on ideas")
st.info("When the facilitator opens an ideas round, you can add ideas and vote here.")
st.page_link("pages/join.py", label="Back to the workshop", icon="👋")
