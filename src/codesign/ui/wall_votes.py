"""The live wall's votes view: the round under way, results live after the reveal only, and the grid."""

from __future__ import annotations

import streamlit as st
from sqlalchemy import Engine

from codesign import voting
from codesign.charts import voting as charts
from codesign.models import Workshop
from codesign.ui import common

LABEL = "Votes"
ROUND = "wall_votes_round"
# Often enough that dots appear while people vote after the reveal; each refresh is one
# small read.
REFRESH_SECONDS = 3


def render(engine: Engine, workshop: Workshop) -> None:
    """Draw this view of the wall for the projector (16:9, readable from the back of the room)."""
    rounds = voting.list_rounds(engine, workshop.id)
    by_id = {r.id: r for r in rounds}
    choices: list[int | None] = [None, *by_id]
    if st.session_state.get(ROUND) not in choices:
        st.session_state[ROUND] = None
    st.sidebar.selectbox(
        "Round on the wall",
        choices,
        format_func=lambda i: "The newest round" if i is None else by_id[i].prompt,
        key=ROUND,
    )
    _live(engine, workshop.id, st.session_state.get(ROUND))


@st.fragment(run_every=REFRESH_SECONDS)
def _live(engine: Engine, workshop_id: int, round_id: int | None) -> None:
    view = voting.load_wall(engine, workshop_id, round_id)
    rnd = view.round
    if rnd is None:
        st.info("No ideas round yet. When the facilitator opens one, it shows here.")
    else:
        st.subheader("Ideas round" if rnd.kind == "ideas" else "Agree or disagree")
        common.plain(rnd.prompt)
        if rnd.kind == "ideas":
            _ideas_round(engine, workshop_id, view)
        else:
            _agreement_round(view)
    if view.grid:
        st.plotly_chart(charts.impact_effort_grid(view.grid, large=True), width="stretch")


def _ideas_round(engine: Engine, workshop_id: int, view: voting.WallVotes) -> None:
    rnd, progress = view.round, view.progress
    assert rnd is not None and progress is not None
    if view.results is not None:
        names = voting.lens_names(engine, workshop_id)
        st.plotly_chart(charts.results_bar(view.results, names, top=10, large=True), width="stretch")
        return
    left, right = st.columns(2)
    left.metric("Ideas on the wall", progress.ideas_on_wall)
    if rnd.status == "ideas":
        right.metric("Waiting to be checked", progress.ideas_waiting)
        st.info("Add your ideas on your phone. Voting opens next.")
    else:
        right.metric("Phones that have voted", progress.voters)
        st.info("Results stay hidden until the facilitator reveals them.")
    if view.ideas:
        # Alphabetical, never by dots: the wall must not hint at how the vote is going.
        st.dataframe(
            [{"Ideas": idea.text} for idea in sorted(view.ideas, key=lambda i: i.text.casefold())],
            hide_index=True,
            width="stretch",
        )


def _agreement_round(view: voting.WallVotes) -> None:
    progress = view.progress
    assert progress is not None
    if view.consensus is not None:
        st.plotly_chart(charts.consensus_chart(view.consensus, large=True), width="stretch")
        st.dataframe(
            [{"Statement": item.text, "Where the groups stand": item.summary} for item in view.consensus.statements],
            hide_index=True,
            width="stretch",
        )
        return
    st.metric("Phones that have answered", progress.voters)
    st.info("Mark agree, disagree or pass on your phone. The facilitator reveals where the groups stand.")
    if view.statements:
        st.dataframe([{"Statements": s.text} for s in view.statements], hide_index=True, width="stretch")
