"""The laptop's "in full" panel: the whole text of what the display shortens with "…".

The display cuts long stories, ideas, statements and map cells so each view fits the
screen; the facilitator, asked what a card says, opens this panel on the Display screen.
Participant text is shown with ``st.text`` and dataframe cells only.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pandas as pd
import streamlit as st
from sqlalchemy import Engine

from codesign import journeys, stories, voting, workshops
from codesign.models import Workshop
from codesign.ui import common
from codesign.workshops import agenda
from codesign.workshops.display import DisplayState

# Tall enough rows that a cell's wrapped text reads without opening it.
ROW_PX = 90


def _round(engine: Engine, workshop_id: int, state: DisplayState, kind: str) -> voting.WallVotes:
    """The round the display shows: the laptop's choice, else the newest open one of this kind."""
    round_id = state.round_id
    if round_id is None:
        rounds = [r for r in voting.list_rounds(engine, workshop_id) if r.kind == kind]
        chosen = max([r for r in rounds if not r.is_closed] or rounds, key=lambda r: r.id, default=None)
        round_id = chosen.id if chosen else None
    if round_id is None:
        return voting.WallVotes(None, (), (), None, None, None, ())
    return voting.load_wall(engine, workshop_id, round_id)


def _table(rows: list[list[str]]) -> None:
    frame = pd.DataFrame(rows[1:], columns=["Lane", *rows[0][1:]])
    st.dataframe(frame, hide_index=True, width="stretch", row_height=ROW_PX, height=40 + ROW_PX * (len(rows) - 1))


def full_text(engine: Engine, workshop: Workshop, state: DisplayState) -> None:
    """Everything the current display view may shorten, in full."""
    view = state.view
    if view == "stories":
        snapshot = stories.wall_snapshot(engine, workshop)
        if not snapshot.stories:
            st.caption("No story is on the display yet.")
        for story in snapshot.stories:
            with st.container(border=True):
                st.caption(f"Story #{story.id}")
                common.plain(story.text)
    elif view in ("round", "agreement"):
        wall = _round(engine, workshop.id, state, "ideas" if view == "round" else "agreement")
        if wall.round is None:
            st.caption("No round is on the display yet.")
            return
        common.plain(wall.round.prompt)
        texts = [i.text for i in wall.ideas] if wall.round.kind == "ideas" else [s.text for s in wall.statements]
        for text in sorted(texts, key=str.casefold):
            with st.container(border=True):
                common.plain(text)
    elif view == "journey":
        jmap = journeys.load_journey_map(engine, workshop)
        if jmap.stages:
            _table(jmap.table(sep="  "))
        else:
            st.caption("The journey map has no stages yet.")
    elif view == "blueprint":
        bp = journeys.load_blueprint(engine, workshop, "as_is")
        if bp.stages:
            _table(bp.table(sep="  "))
        else:
            st.caption("The blueprint has no stages yet.")
    elif view == "agenda":
        plan = workshops.workshop_agenda(engine, workshop)
        now = agenda.now_next(plan, datetime.now(UTC))
        for item in (now.now, now.next, *now.later):
            if item is not None:
                with st.container(border=True):
                    # Typed on a laptop, but never rendered as markdown: a picture in it would be fetched.
                    st.text(f"{item.title} ({agenda.duration(item.minutes)})")
                    if item.activity:
                        st.text(item.activity)
    else:
        st.caption("Nothing on this view is shortened.")
