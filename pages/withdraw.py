"""Participant: see this phone's own stories and withdraw one, or withdraw any story with its code."""

import streamlit as st

from codesign import stories
from codesign.errors import NotFoundError, ThrottledError
from codesign.ui import common, participant, state

state.init()
engine = common.engine()
workshop = participant.joined_workshop(engine)
kit = common.kit_of(workshop) if workshop is not None else None
participant.frame(kit)

st.title("Withdraw a story")
common.show_flash()


def take_back(story_id: int) -> None:
    try:
        stories.withdraw_own_story(engine, story_id, participant.device_token())
    except NotFoundError as exc:
        common.flash(str(exc), "error", rerun=False)
    else:
        common.flash("Your story has been deleted everywhere. Thank you for taking part.", rerun=False)


if workshop is not None:
    st.subheader("My stories")
    mine = stories.my_stories(engine, workshop.id, participant.device_token())
    codes = stories.own_withdraw_codes(engine, workshop.id, participant.device_token())
    if not mine:
        st.write("This phone has not shared a story in this workshop yet.")
    else:
        st.write("Only this phone can see this list. Withdraw a story here, or keep its code to withdraw it later.")
    for story in mine:
        with st.container(border=True):
            st.caption(f"Shared at {story.created_at:%H:%M} on {story.created_at:%d %B}")
            common.plain(story.text if len(story.text) <= 300 else story.text[:300] + "…")
            if story.id in codes:
                participant.withdraw_code(codes[story.id], key=f"withdraw_code_{story.id}")
            else:
                st.caption("This story's withdraw code was shown once, when you shared it.")
            with st.popover("Withdraw this story", width="stretch"):
                st.write("The story will be deleted for good, everywhere: the wall, themes and every export.")
                st.button(
                    "Yes, delete it", key=f"withdraw_{story.id}", type="primary", width="stretch",
                    on_click=take_back, args=(story.id,),
                )  # fmt: skip

st.subheader("Withdraw with a code")
st.write(
    "When you shared a story you were given a withdraw code. Enter it here and the story is deleted everywhere: "
    "themes, the journey map and every export. This works from any device, during the workshop and after it."
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
st.page_link("pages/join.py", label="Back to the workshop", icon=":material/arrow_back:")
