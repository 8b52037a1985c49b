"""The display's voting views: a round under way (its ideas in large type), its results after the reveal,
and an agreement round's statements with where the groups stand.

Results and counts come only from ``voting.load_wall``, which gives none for a round the
facilitator has not revealed.
"""

from __future__ import annotations

import streamlit as st
from sqlalchemy import Engine

from codesign import voting
from codesign.charts import voting as charts
from codesign.models import Workshop
from codesign.ui import common
from codesign.ui import frame as d
from codesign.workshops.display import DisplayState

LABEL = "Votes"
# What fits at 16:9 in large type: two columns of ideas, a few statements.
MAX_IDEAS = 12
MAX_STATEMENTS = 5
RESULTS_HEIGHT = 760  # on a 1080-pixel-high screen; other screens scale it


def _round_for(engine: Engine, workshop_id: int, state: DisplayState, kind: str) -> voting.WallVotes:
    """The round the laptop chose, else the newest open round of this kind, else the newest of it."""
    round_id = state.round_id
    if round_id is None:
        rounds = [r for r in voting.list_rounds(engine, workshop_id) if r.kind == kind]
        open_ones = [r for r in rounds if not r.is_closed]
        chosen = max(open_ones or rounds, key=lambda r: r.id, default=None)
        round_id = chosen.id if chosen else None
    if round_id is None:
        return voting.WallVotes(None, (), (), None, None, None, ())
    return voting.load_wall(engine, workshop_id, round_id)


def show_round(engine: Engine, workshop: Workshop, state: DisplayState) -> None:
    """An ideas round: the question, the ideas (alphabetical, never by dots), results once revealed."""
    view = _round_for(engine, workshop.id, state, "ideas")
    rnd, progress = view.round, view.progress
    if rnd is None or progress is None:
        d.heading("No ideas round yet. When the facilitator opens one, it shows here.")
        return
    if rnd.kind != "ideas":
        show_agreement(engine, workshop, state)
        return
    with st.container(key="d_prompt"):
        common.plain(rnd.prompt)
    if view.results is not None:
        names = voting.lens_names(engine, workshop.id)
        figure = charts.results_bar(view.results, names, top=8, large=True)
        figure.update_layout(font={"size": d.scaled(22)}, title={"font": {"size": d.scaled(28)}})
        d.figure(figure, *d.figure_size(RESULTS_HEIGHT))
        return
    if rnd.status == "ideas":
        d.body(f"Ideas on the wall: {progress.ideas_on_wall}. Add yours on your phone; voting opens next.")
    else:
        d.body(f"Voting is open: {progress.voters} phones have voted. Results stay hidden until the reveal.")
    ideas = sorted(view.ideas, key=lambda i: i.text.casefold())
    columns = st.columns(2, gap="large")
    for index, idea in enumerate(ideas[:MAX_IDEAS]):
        with columns[index % 2], st.container(border=True, key=f"d_items_{idea.id}"):
            common.plain(idea.text)
    if len(ideas) > MAX_IDEAS:
        d.body(f"… and {len(ideas) - MAX_IDEAS} more ideas: see them all on your phone.")


def show_agreement(engine: Engine, workshop: Workshop, state: DisplayState) -> None:
    """An agreement round: its statements, then, once revealed, where the groups stand on each."""
    view = _round_for(engine, workshop.id, state, "agreement")
    rnd, progress = view.round, view.progress
    if rnd is None or progress is None:
        d.heading("No agreement round yet. When the facilitator opens one, it shows here.")
        return
    if rnd.kind != "agreement":
        show_round(engine, workshop, state)
        return
    with st.container(key="d_prompt"):
        common.plain(rnd.prompt)
    if view.consensus is None:
        d.body(
            f"Mark agree, disagree or pass on your phone: {progress.voters} phones have answered. "
            "Where the groups stand shows once the facilitator reveals it."
        )
        for statement in view.statements[:MAX_STATEMENTS]:
            with st.container(border=True, key=f"d_items_s{statement.id}"):
                common.plain(statement.text)
        return
    for item in view.consensus.statements[:MAX_STATEMENTS]:
        with st.container(border=True, key=f"d_items_c{item.statement_id}"):
            common.plain(item.text)
            d.body(item.summary)
    if len(view.consensus.statements) > MAX_STATEMENTS:
        d.body(f"… and {len(view.consensus.statements) - MAX_STATEMENTS} more on the laptop's Ideas screen.")
