"""The display's "You said, we will" view: the actions the room agreed, each beside what it answers.

Shown at the end of the day, so people leave knowing what happens next and who owns it.
Action text, owners and the pain points, fail points, ideas and themes they answer are drawn
with ``st.text`` (through ``common.plain``), shortened to about three lines with a visible "…"
so five rows fit the screen; the full text is on the Agreed actions screen and in the report.
"""

from __future__ import annotations

import dataclasses

import streamlit as st
from sqlalchemy import Engine

from codesign import actions
from codesign.models import Workshop
from codesign.ui import common
from codesign.ui import frame as d
from codesign.workshops.display import DisplayState

LABEL = "You said, we will"
# Rows that fit a 16:9 screen below the banner, read from the back of the room.
MAX_SHOWN = 5
# About three lines of the display's body type in each column: five rows then fit any 16:9 screen.
SAID_CHARS = 120
WILL_CHARS = 150
OWNER_CHARS = 90
SAID_ORDER = ("pain_point", "fail_point", "theme", "idea")


def _short(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0].rstrip(" ,;:") + "…"


def show(engine: Engine, workshop: Workshop, state: DisplayState) -> None:
    """Draw the actions view (16:9): "You said" on the left, "We will" with owner and date on the right."""
    del state
    agreed = actions.list_actions(engine, workshop.id)
    if not agreed:
        d.heading("You said, we will: the actions the room agrees will appear here.")
        return
    options = actions.link_options(engine, workshop.id)
    said, will = st.columns([2, 3], gap="large")
    said.html('<p class="d-h">You said</p>')
    will.html('<p class="d-h">We will</p>')
    for n, action in enumerate(agreed[:MAX_SHOWN], start=1):
        # What people said first (pain points, fail points, themes), then the ideas that led to the action.
        ordered = sorted(action.links, key=lambda link: SAID_ORDER.index(link.kind))
        answers = actions.describe_links(dataclasses.replace(action, links=tuple(ordered)), options)
        with st.container(border=True, key=f"d_action_{n}"):
            left, right = st.columns([2, 3], gap="large")
            with left:
                common.plain(_short("; ".join(answers), SAID_CHARS) if answers else "—")
            with right:
                common.plain(_short(action.text, WILL_CHARS))
                owner = _short(actions.owner_text(action.owner), OWNER_CHARS)
                common.plain(f"{owner} · {actions.due_text(action.due)}")
    if len(agreed) > MAX_SHOWN:
        more = len(agreed) - MAX_SHOWN
        d.body(f"And {more} more {'action' if more == 1 else 'actions'}: all of them are in the report.")
