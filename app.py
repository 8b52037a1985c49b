"""The frame: page config, one navigation with two faces, and the router."""

from pathlib import Path

import streamlit as st

from codesign.ui import common, state
from codesign.ui.routing import page

# A file served by the app itself: a Material or emoji favicon makes every phone fetch it from
# another host (fonts.gstatic.com, a CDN), telling a third party that it joined.
FAVICON = Path(__file__).resolve().parent / "src" / "codesign" / "ui" / "assets" / "favicon.png"
st.set_page_config(page_title="codesign", page_icon=FAVICON, layout="wide", initial_sidebar_state="auto")
state.init()
common.engine()  # fail early, with one clear line, if the database is unreachable

facilitator = common.is_facilitator()
joining = "code" in st.query_params

# A projector on the display link (/?key=...) gets that one page and nothing else:
# no menu, no other page's address, no passcode form on the big screen.
if "key" in st.query_params:
    display = page("pages/display.py", title="Display", icon=":material/tv:", url_path="display", default=True)
    st.navigation([display], position="hidden").run()
    st.stop()

# The join page is always the default (served at "/"), so every other page keeps its own
# address: a signed-in facilitator's /workshops must not turn into "page not found".
join = page("pages/join.py", title="Join a workshop", icon=":material/waving_hand:", default=True)
withdraw = page("pages/withdraw.py", title="Withdraw a story", icon=":material/undo:", url_path="withdraw")
vote = page("pages/vote.py", title="Vote on ideas", icon=":material/how_to_vote:", url_path="vote")
home = page("pages/workshops.py", title="Workshops", icon=":material/dashboard:", url_path="workshops")

pages = {
    "Take part": [join, withdraw, vote],
    "Run the room": [
        home,
        page("pages/wall.py", title="Display", icon=":material/co_present:", url_path="wall"),
        page("pages/moderation.py", title="Moderation", icon=":material/shield:", url_path="moderation"),
        page("pages/agenda.py", title="Agenda", icon=":material/schedule:", url_path="agenda"),
    ],
    "Make sense": [
        page("pages/themes.py", title="Themes", icon=":material/category:", url_path="themes"),
        page("pages/stakeholders.py", title="Stakeholders", icon=":material/hub:", url_path="stakeholders"),
        page("pages/journey.py", title="Journey map", icon=":material/route:", url_path="journey"),
        page("pages/blueprint.py", title="Service blueprint", icon=":material/architecture:", url_path="blueprint"),
        page("pages/ideas.py", title="Ideas and votes", icon=":material/lightbulb:", url_path="ideas"),
        page("pages/actions.py", title="Agreed actions", icon=":material/task_alt:", url_path="actions"),
    ],
    "Share": [
        page("pages/export.py", title="Export", icon=":material/description:", url_path="export"),
    ],
}

# Participants on phones see no menu at all: only the page their link opened. Every
# facilitator page is still registered (so its address works) and asks for the passcode.
pg = st.navigation(pages, position="sidebar" if facilitator else "hidden")
if facilitator and not joining and pg.url_path == join.url_path:
    st.switch_page(home)  # a facilitator opening the app's root lands on the Workshops screen
pg.run()
