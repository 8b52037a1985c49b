"""Facilitator: the service blueprint."""

import streamlit as st

from codesign.storage.stories import list_stories
from codesign.ui import common

common.require_facilitator()
workshop = common.require_workshop()
engine = common.engine()

st.title("Service blueprint")
stories = list_stories(engine, workshop.id, statuses=["approved"])
st.metric("Approved stories in this workshop", len(stories))
st.info("The service blueprint arrives here in a coming release.")
