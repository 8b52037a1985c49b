"""Participant: withdraw a story with the code shown when it was shared."""

import streamlit as st

st.title("Withdraw a story")
st.write(
    "When you shared a story you were given a withdraw code. Enter it here and the story is deleted everywhere: "
    "themes, the journey map and every export."
)
st.info("Withdrawal opens here with the story form.")
