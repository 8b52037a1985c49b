"""Participant: join a workshop by QR link (?code=...) or by typing the code."""

import streamlit as st

from codesign import workshops
from codesign.errors import NotFoundError, ThrottledError
from codesign.ui import common, room, state, story_form

state.init()
engine = common.engine()


def try_join(code: str) -> None:
    try:
        workshop = workshops.join(engine, code, client_key=common.client_key())
    except (NotFoundError, ThrottledError) as exc:
        st.error(str(exc))
        return
    st.session_state[state.PARTICIPANT_WORKSHOP_ID] = workshop.id
    st.query_params["code"] = workshop.code


code_in_link = st.query_params.get("code", "")
joined_id = st.session_state.get(state.PARTICIPANT_WORKSHOP_ID)
if joined_id is None and code_in_link:
    try_join(code_in_link)
    joined_id = st.session_state.get(state.PARTICIPANT_WORKSHOP_ID)

workshop = None
if joined_id is not None:
    try:
        workshop = workshops.get_workshop(engine, joined_id)
    except NotFoundError:
        st.session_state[state.PARTICIPANT_WORKSHOP_ID] = None

if workshop is None:
    st.title("Join a workshop")
    st.write("Type the code shown on the screen at the front of the room. You don't need an account.")
    with st.form("join"):
        code = st.text_input("Workshop code", value=code_in_link, max_chars=12, placeholder="e.g. K7QX3M")
        if st.form_submit_button("Join", type="primary", use_container_width=True):
            try_join(code)
            if st.session_state.get(state.PARTICIPANT_WORKSHOP_ID) is not None:
                st.rerun()
    st.page_link("pages/withdraw.py", label="Withdraw a story you shared", icon="↩️")
    st.divider()
    st.page_link("pages/workshops.py", label="Facilitating? Sign in", icon="🔑")
    st.stop()

kit = common.kit_of(workshop)
st.title(workshop.title)
room.follow(engine, workshop.id)
common.plain(kit.welcome)
if not workshop.is_open:
    st.info("This workshop is closed, so it is not taking new stories. Thank you for taking part.")
    st.stop()
with st.expander("Your privacy: what we collect, who sees it, how to withdraw"):
    st.markdown(story_form.PRIVACY_NOTICE)
st.subheader(kit.story_prompts.story)
with st.expander("The journey we are looking at"):
    for stage in kit.stages:
        st.markdown(f"**{stage.name}** — {stage.prompt}")
story_form.render(engine, workshop, kit)
st.page_link("pages/vote.py", label="Ideas and votes", icon=":material/how_to_vote:")
