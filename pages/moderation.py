"""Facilitator: the moderation queue and the private safeguarding review."""

import streamlit as st

from codesign.storage.stories import list_stories
from codesign.ui import common

common.require_facilitator()
workshop = common.require_workshop()
engine = common.engine()

st.title("Moderation")
pending = list_stories(engine, workshop.id, statuses=["pending"])
st.metric("Stories waiting for review", len(pending))
st.info("Approving, hiding and redacting stories arrives with story capture.")
