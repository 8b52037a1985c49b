"""Facilitator: ideas rounds, moderation, dot voting, the reveal, consensus across lenses, and the grid."""

import uuid

import streamlit as st

from codesign import voting
from codesign.charts import voting as charts
from codesign.errors import CodesignError
from codesign.ui import common, moderation_queue
from codesign.ui.action_form import add_action_panel

ROUND = "ideas_round_id"
LIVE_SECONDS = 2.0

common.require_facilitator()
workshop = common.require_workshop()
engine = common.engine()
lens_names = voting.lens_names(engine, workshop.id)


def act(action, *args, done: str = "") -> None:  # type: ignore[no-untyped-def]
    """Run a core action from a button; a refusal becomes one friendly line."""
    try:
        action(engine, *args)
    except CodesignError as exc:
        common.flash(str(exc), "error", rerun=False)
    else:
        if done:
            common.flash(done, rerun=False)


st.title("Ideas and votes")
common.show_flash()

rounds = voting.list_rounds(engine, workshop.id)
with st.expander("Start a round", expanded=not rounds):
    topics = voting.list_topics(engine, workshop.id)
    with st.form("new_round"):
        kind = st.radio(
            "Kind of round",
            ["ideas", "agreement"],
            format_func=lambda k: "Ideas, then dot voting" if k == "ideas" else "Agree, disagree or pass",
            horizontal=True,
        )
        topic = st.selectbox(
            "About a theme or a pain point (optional)",
            [None, *topics],
            format_func=lambda t: (
                "Nothing in particular" if t is None else f"{'Theme' if t.kind == 'theme' else 'Pain point'}: {t.label}"
            ),
        )
        prompt = st.text_input("Question", placeholder="How might we ...?", max_chars=voting.MAX_PROMPT_CHARS)
        budget = st.number_input(
            "Dots per phone", min_value=1, max_value=voting.MAX_BUDGET, value=int(workshop.setting("vote_budget"))
        )
        if st.form_submit_button("Open the round", type="primary"):
            try:
                opened = voting.open_round(
                    engine,
                    workshop.id,
                    prompt or (topic.suggested_prompt if topic else ""),
                    kind=kind,
                    theme_id=topic.id if topic and topic.kind == "theme" else None,
                    journey_cell_id=topic.id if topic and topic.kind == "pain_point" else None,
                    vote_budget=int(budget),
                )
            except CodesignError as exc:
                st.error(str(exc))
            else:
                st.session_state[ROUND] = opened.id
                st.rerun()

if not rounds:
    st.info("No rounds yet. Start one above: participants see it on their phones straight away.")
    st.stop()

by_id = {r.id: r for r in rounds}
if st.session_state.get(ROUND) not in by_id:
    st.session_state[ROUND] = rounds[0].id
round_id = st.selectbox(
    "Round", list(by_id), format_func=lambda i: f"{by_id[i].prompt} ({by_id[i].stage_label})", key=ROUND
)
rnd = by_id[round_id]
progress = voting.get_progress(engine, rnd.id)


# The counts and the ideas queue refresh by themselves (fragments, not a rerun of the page),
# so ideas from phones show here within a few seconds.
@st.fragment(run_every=LIVE_SECONDS)
def live_counts() -> None:
    now = voting.get_progress(engine, rnd.id)
    cols = st.columns(4)
    if rnd.kind == "ideas":
        cols[0].metric("Ideas on the wall", now.ideas_on_wall)
        cols[1].metric("Waiting for you", now.ideas_waiting)
        cols[2].metric("Phones that voted", now.voters)
        cols[3].metric("Dots placed", f"{now.dots_cast}")
    else:
        cols[0].metric("Phones that answered", now.voters)
        cols[1].metric("Answers", now.answers)


live_counts()


def idea_action(action, idea_id: int, *args, done: str) -> None:  # type: ignore[no-untyped-def]
    """An idea's button: run it, then rerun the whole page so every count and tab agrees."""
    try:
        action(engine, idea_id, *args)
    except CodesignError as exc:
        common.flash(str(exc), "error")
    else:
        common.flash(done)


@st.fragment(run_every=LIVE_SECONDS)
def live_ideas(round_id: int) -> None:
    ideas = voting.list_ideas(engine, round_id)
    if not ideas:
        st.info("No ideas yet. They appear here as phones send them.")
    lead = str(workshop.setting("safeguarding_lead") or "")
    status = {"pending": "waiting for review", "approved": "on the wall", "hidden": "hidden"}
    for idea in voting.moderation_order(ideas):
        with st.container(border=True):
            if idea.is_flagged:
                # The same private review as a story, never a plain Approve (also on Moderation).
                moderation_queue.render_idea_card(engine, idea, lead=lead)
                continue
            common.plain(idea.text)
            if idea.privacy_flags:
                common.plain("Check: " + "; ".join(idea.privacy_flags))
            st.caption(
                status.get(idea.moderation_status, idea.moderation_status)
                + (" · from the facilitator" if idea.from_facilitator else "")
            )
            left, right = st.columns(2)
            if idea.moderation_status != "approved" and left.button("Approve", key=f"approve_{idea.id}"):
                idea_action(voting.moderate_idea, idea.id, "approve", done="Approved: it is on the wall.")
            if idea.moderation_status != "hidden" and right.button("Hide", key=f"hide_{idea.id}"):
                idea_action(voting.moderate_idea, idea.id, "hide", done="Hidden: its dots went back to the phones.")


buttons = st.columns(3)
if rnd.takes_ideas:
    buttons[0].button("Start voting", type="primary", on_click=act, args=(voting.start_voting, rnd.id))
if not rnd.is_closed:
    buttons[1].button("Close the round", on_click=act, args=(voting.close_round, rnd.id))
else:
    buttons[1].button("Reopen the round", on_click=act, args=(voting.reopen_round, rnd.id))
if rnd.revealed:
    buttons[2].button("Hide the results again", on_click=act, args=(voting.set_revealed, rnd.id, False))
else:
    buttons[2].button(
        "Reveal the results",
        type="primary" if rnd.status != "ideas" else "secondary",
        on_click=act,
        args=(voting.set_revealed, rnd.id, True),
        help="Phones and the wall show the results from now on, live.",
    )

if rnd.kind == "ideas":
    moderate, results_tab, grid_tab = st.tabs(["Ideas", "Results", "Impact and effort"])
    ideas = voting.list_ideas(engine, rnd.id)
    with moderate:
        if rnd.takes_ideas:
            with st.form("facilitator_idea", clear_on_submit=True):
                own = st.text_input("Add an idea yourself (it goes straight to the wall)")
                if st.form_submit_button("Add the idea"):
                    try:
                        voting.submit_idea(engine, rnd.id, own, client_submission_id=uuid.uuid4().hex, device_hash=None)
                    except CodesignError as exc:
                        st.error(str(exc))
                    else:
                        st.rerun()
        live_ideas(rnd.id)
    results = voting.load_round_results(engine, rnd.id) if rnd.revealed else None
    with results_tab:
        if results is None:
            st.info(
                "Results are hidden until you reveal them, so early leaders don't pull later votes. "
                f"So far: {voting.counted(progress.dots_cast, 'dot')} from {voting.counted(progress.voters, 'phone')}."
            )
        else:
            st.plotly_chart(charts.results_bar(results, lens_names), width="stretch")
            st.dataframe(voting.results_table(results, lens_names), hide_index=True, width="stretch")
    with grid_tab:
        candidates = voting.grid_candidates(ideas, results)
        if not candidates:
            st.info("Ideas on the wall can be placed on the grid.")
        else:
            st.caption("Place the top ideas with the room: impact and effort from 1 (low) to 5 (high).")
            edited = st.data_editor(
                voting.grid_table(candidates),
                hide_index=True,
                disabled=["id", "Idea"],
                column_config={
                    "id": None,
                    "Impact": st.column_config.NumberColumn(min_value=1, max_value=5, step=0.5),
                    "Effort": st.column_config.NumberColumn(min_value=1, max_value=5, step=0.5),
                },
                key=f"grid_{rnd.id}",
                width="stretch",
            )
            if st.button("Save the grid", type="primary"):
                try:
                    voting.place_ideas(engine, voting.placements_from_table(edited))
                except CodesignError as exc:
                    st.error(str(exc))
                else:
                    common.flash("Saved: the grid is on the wall and in the report.")
        grid = voting.load_grid(engine, workshop.id)
        if grid:
            st.plotly_chart(charts.impact_effort_grid(grid), width="stretch")
else:
    statements_tab, consensus_tab = st.tabs(["Statements", "Consensus"])
    with statements_tab:
        if not rnd.is_closed:
            themes = [t for t in voting.list_topics(engine, workshop.id) if t.kind == "theme"]
            on_wall = voting.wall_ideas(engine, workshop.id)
            with st.form("statements", clear_on_submit=True):
                typed = st.text_area("Statements, one per line")
                from_themes = st.multiselect(
                    "From themes",
                    [t.id for t in themes],
                    format_func=lambda i: next(t.label for t in themes if t.id == i),
                )
                from_ideas = st.multiselect(
                    "From ideas",
                    [i.id for i in on_wall],
                    format_func=lambda i: next(x.text for x in on_wall if x.id == i),
                )
                if st.form_submit_button("Add the statements"):
                    try:
                        voting.add_statements(
                            engine, rnd.id, texts=typed.splitlines(), idea_ids=from_ideas, theme_ids=from_themes
                        )
                    except CodesignError as exc:
                        st.error(str(exc))
                    else:
                        st.rerun()
        statements = voting.list_statements(engine, rnd.id)
        if not statements:
            st.info("No statements yet.")
        for statement in statements:
            common.plain(f"• {statement.text}")
    with consensus_tab:
        if not rnd.revealed:
            st.info(
                "Hidden until you reveal it. So far: "
                f"{voting.counted(progress.answers, 'answer')} from {voting.counted(progress.voters, 'phone')}."
            )
        else:
            agreement = voting.load_consensus(engine, rnd.id)
            st.plotly_chart(charts.consensus_chart(agreement), width="stretch")
            for item in agreement.statements:
                with st.container(border=True):
                    st.caption(voting.VERDICT_TITLES[item.verdict])
                    common.plain(item.text)
                    common.plain(item.summary)

add_action_panel(engine, workshop, first="idea", where="an idea or a statement")
