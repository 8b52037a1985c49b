"""The frame: page config, one navigation with two faces, and the router."""

import streamlit as st

from codesign.ui import common, state

st.set_page_config(page_title="codesign", page_icon="🤝", layout="wide", initial_sidebar_state="auto")
state.init()
common.engine()  # fail early, with one clear line, if the database is unreachable

facilitator = common.is_facilitator()
joining = "code" in st.query_params

join = st.Page(
    "pages/join.py", title="Join a workshop", icon=":material/waving_hand:", default=not facilitator or joining
)
withdraw = st.Page("pages/withdraw.py", title="Withdraw a story", icon=":material/undo:", url_path="withdraw")
vote = st.Page("pages/vote.py", title="Vote on ideas", icon=":material/how_to_vote:", url_path="vote")
home = st.Page(
    "pages/workshops.py",
    title="Workshops",
    icon=":material/dashboard:",
    url_path="workshops",
    default=facilitator and not joining,
)

pages = {
    "Take part": [join, withdraw, vote],
    "Run the room": [
        home,
        st.Page("pages/wall.py", title="Live wall", icon=":material/co_present:", url_path="wall"),
        st.Page("pages/moderation.py", title="Moderation", icon=":material/shield:", url_path="moderation"),
    ],
    "Make sense": [
        st.Page("pages/themes.py", title="Themes", icon=":material/category:", url_path="themes"),
        st.Page("pages/stakeholders.py", title="Stakeholders", icon=":material/hub:", url_path="stakeholders"),
        st.Page("pages/journey.py", title="Journey map", icon=":material/route:", url_path="journey"),
        st.Page("pages/blueprint.py", title="Service blueprint", icon=":material/architecture:", url_path="blueprint"),
        st.Page("pages/ideas.py", title="Ideas and votes", icon=":material/lightbulb:", url_path="ideas"),
    ],
    "Share": [
        st.Page("pages/export.py", title="Export", icon=":material/description:", url_path="export"),
    ],
}

# Participants on phones see no menu at all: only the page their link opened. Every
# facilitator page is still registered (so its address works) and asks for the passcode.
pg = st.navigation(pages, position="sidebar" if facilitator else "hidden")
pg.run()
