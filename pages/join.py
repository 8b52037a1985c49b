"""Participant: join a workshop by QR link (?code=...) or by typing the code, then share a story."""

import streamlit as st

from codesign import stories, workshops
from codesign.errors import NotFoundError, ThrottledError
from codesign.ui import common, participant, room, state, story_form

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
if st.session_state.get(state.PARTICIPANT_WORKSHOP_ID) is None and code_in_link:
    # The workshop closed while this phone had a story on the go: give the words back.
    left = stories.draft_left_in(engine, code_in_link, participant.device_token())
    if left is not None:
        closed, kept = left
        participant.frame(common.kit_of(closed))
        st.title(closed.title)
        story_form.not_kept(engine, closed, kept.draft)
        st.stop()

workshop = participant.joined_workshop(engine)

if workshop is None:
    participant.frame()
    st.title("Join a workshop")
    st.write("Type the code shown on the screen at the front of the room. You don't need an account.")
    with st.form("join", enter_to_submit=True):
        code = st.text_input("Workshop code", value=code_in_link, max_chars=12,
                             placeholder="e.g. K7QX3M")  # fmt: skip
        if st.form_submit_button("Join", type="primary", width="stretch"):
            try_join(code)
            if st.session_state.get(state.PARTICIPANT_WORKSHOP_ID) is not None:
                st.rerun()
    st.page_link("pages/withdraw.py", label="Withdraw a story you shared", icon=":material/undo:")
    st.divider()
    st.page_link("pages/workshops.py", label="Facilitating? Sign in", icon=":material/key:")
    st.stop()

kit = common.kit_of(workshop)
participant.frame(kit)
st.title(workshop.title)
room.follow(engine, workshop.id)
easy = participant.easy_read(kit)
if easy and kit.easy_read is not None:
    participant.lines(kit.easy_read.welcome)

if not workshop.is_open:
    kept = story_form.saved_draft(engine, workshop)
    if kept is not None and kept.draft.text.strip():
        story_form.not_kept(engine, workshop, kept.draft)
    else:
        st.info("This workshop is closed, so it is not taking new stories. Thank you for taking part.")
    st.page_link("pages/withdraw.py", label="My stories and withdrawing", icon=":material/undo:")
    st.stop()

# Short, with "more" to open, so the story box is on the first screen of a phone.
if easy and kit.easy_read is not None:
    with st.expander("Your privacy"):
        participant.lines(kit.easy_read.privacy)
        st.markdown(story_form.PRIVACY_NOTICE)
else:
    first, _, rest = kit.welcome.partition(". ")
    st.write(first + ("." if rest else "") + " " + story_form.PRIVACY_SHORT)
    with st.expander("More about today, and your privacy"):
        if rest:
            st.write(rest)
        st.markdown(story_form.PRIVACY_NOTICE)
    st.markdown(f"**{kit.story_prompts.story}**")
story_form.render(engine, workshop, kit, easy=easy)
st.divider()
st.page_link("pages/withdraw.py", label="My stories", icon=":material/undo:")
st.page_link("pages/vote.py", label="Ideas and votes", icon=":material/how_to_vote:")
