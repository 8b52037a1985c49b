"""Participant: withdraw a story with the code shown when it was shared."""

import streamlit as st

from codesign import stories
from codesign.errors import NotFoundError, ThrottledError
from codesign.ui import common

engine = common.engine()

st.title("Withdraw a story")
st.write(
    "When you shared a story you were given a withdraw code. Enter it here and the story is deleted everywhere: "
    "themes, the journey map and every export. This works during the workshop and after it."
)
with st.form("withdraw"):
    code = st.text_input("Withdraw code", max_chars=20, placeholder="e.g. K7QX-3M9P-TR2A")
    sure = st.checkbox("I understand the story will be deleted for good")
    submitted = st.form_submit_button("Withdraw my story", type="primary", width="stretch")
if submitted:
    if not sure:
        st.error("Please tick the box to confirm, then press the button again.")
    else:
        try:
            stories.withdraw_story(engine, code, client_key=common.client_key())
        except (NotFoundError, ThrottledError) as exc:
            st.error(str(exc))
        else:
            st.success("Your story has been deleted everywhere. Thank you for taking part.")
st.page_link("pages/join.py", label="Back to the workshop", icon="👋")
