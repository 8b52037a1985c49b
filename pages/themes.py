"""Facilitator: the theme board. Find themes, then work the board by hand as a room does with sticky notes."""

import streamlit as st

from codesign import workshops
from codesign.charts.themes import theme_lens_chart, theme_stage_heatmap
from codesign.errors import CodesignError
from codesign.themes import DEFAULT_METHOD, METHODS
from codesign.themes import service as themes
from codesign.themes.board import LENS_MARKERS, numbered, separation_words, short_quote, stories_phrase
from codesign.ui import common, theme_board

LAST_RUN = "themes_last_run"
AUTO = "Let the tool choose"
CHOOSE = "Choose the number"
MAX_K = 40
SUGGESTIONS_SHOWN = 12
PER_ROW = 3

common.require_facilitator()
workshop = common.require_workshop()
engine = common.engine()

st.title("Themes")
common.show_flash()


def attempt(action, done: str) -> None:  # type: ignore[no-untyped-def]
    """Run one board change; say plainly what happened (the change is saved before the message)."""
    try:
        action()
    except CodesignError as exc:
        st.error(str(exc))
    else:
        common.flash(done)


stories = themes.approved_stories(engine, workshop.id)
board = themes.list_board(engine, workshop.id)
labels = {t.id: t.label for t in board}

top, undo_col = st.columns([4, 1], vertical_alignment="center")
with top:
    common.plain(
        f"{stories_phrase(len(stories))} approved, {len(board)} themes. Themes the room made or changed and "
        "stories moved by hand stay exactly as they are: finding themes again groups only the other stories."
    )
with undo_col:
    last_change = themes.last_change(engine, workshop.id)
    if st.button(
        "Undo",
        icon=":material/undo:",
        disabled=last_change is None,
        help=f"Take back: {last_change}" if last_change else "Nothing to take back yet.",
        width="stretch",
        key="undo",
    ):
        summary = themes.undo(engine, workshop.id)
        common.flash(f"Took back: {summary}." if summary else "Nothing left to take back.")
    if last_change:
        st.caption(f"Next: {short_quote(last_change, 60)}")

with st.form("find_themes"):
    how = st.radio("Number of themes", [AUTO, CHOOSE], horizontal=True)
    k = st.number_input(
        "Themes on the board in all (the room's themes that hold stories count; empty ones do not)",
        min_value=1,
        max_value=MAX_K,
        value=6,
        step=1,
    )
    with st.expander("Advanced"):
        method = st.selectbox(
            "Method",
            sorted(METHODS),
            index=sorted(METHODS).index(DEFAULT_METHOD),
            format_func=lambda m: METHODS[m].description,
        )
        seed = st.number_input("Seed (the same seed gives the same themes)", min_value=0, max_value=10_000, value=0)
    pressed = st.form_submit_button("Find themes", type="primary")

if pressed:
    bar = st.progress(0.0, text="Starting")
    try:
        run = themes.find_themes(
            engine,
            workshop,
            k=None if how == AUTO else int(k),
            method=method,
            seed=int(seed),
            progress=lambda fraction, note: bar.progress(min(fraction, 1.0), text=note),
        )
    except CodesignError as exc:
        st.error(str(exc))
    else:
        result = run.clustering
        st.session_state[LAST_RUN] = {
            "workshop": workshop.id,
            "message": run.message,
            "k": None if result is None else len(result.themes),
            "auto": None if result is None else result.k_chosen_automatically,
            "quality": None if result is None else result.quality,
            "method": None if result is None else result.method,
            "seed": None if result is None else result.seed,
            "scores": [] if result is None else list(result.k_scores),
        }
        bar.empty()
        st.rerun()
    bar.empty()

last = st.session_state.get(LAST_RUN)
if last and last["workshop"] == workshop.id:
    if last["message"]:
        st.info(last["message"])
    if last["k"] is not None:
        cols = st.columns(3)
        cols[0].metric("New themes found", last["k"])
        cols[1].metric("Number chosen", "by the tool" if last["auto"] else "by you")
        cols[2].metric(
            "How clearly the themes separate",
            separation_words(last["quality"]),
            help="Low means many stories sit between themes: read the cards and move them where the room thinks.",
        )
        with st.expander("Advanced: how the themes were found"):
            quality = "not measured" if last["quality"] is None else f"{last['quality']:.3f}"
            common.plain(f"Method: {METHODS[last['method']].description} ({last['method']}). Seed: {last['seed']}.")
            common.plain(f"Silhouette (from -1 to 1; higher means themes further apart): {quality}.")
            if last["scores"]:
                st.dataframe(
                    {"themes": [s[0] for s in last["scores"]], "silhouette": [s[1] for s in last["scores"]]},
                    hide_index=True,
                )

# New stories are only suggested: a person decides where they go.
suggestions = themes.suggest_places(engine, workshop) if board else {}
if suggestions:
    by_id = {s.id: s for s in stories}
    with st.container(border=True):
        head, accept_all = st.columns([4, 1], vertical_alignment="center")
        head.subheader(f"New stories: {stories_phrase(len(suggestions))} waiting for a theme")
        if accept_all.button("Accept every suggestion", key="accept_all", width="stretch"):
            attempt(
                lambda: themes.accept_suggestions(engine, workshop.id, suggestions),
                f"Placed {stories_phrase(len(suggestions))} where suggested.",
            )
        cards = {c.story_id: c for col in themes.board_columns(engine, workshop) for c in col.cards}
        for story_id, theme_id in list(suggestions.items())[:SUGGESTIONS_SHOWN]:
            text_col, where_col, button_col = st.columns([5, 3, 1], vertical_alignment="center")
            with text_col:
                common.plain(cards[story_id].text if story_id in cards else f"#{story_id}")
            with where_col:
                common.plain(f"Suggested: {labels.get(theme_id, '')}")
            if button_col.button("Accept", key=f"accept_{story_id}"):
                attempt(
                    lambda story_id=story_id, theme_id=theme_id: themes.accept_suggestions(
                        engine, workshop.id, {story_id: theme_id}
                    ),
                    f"Placed in “{labels.get(theme_id, '')}”.",
                )
        if len(suggestions) > SUGGESTIONS_SHOWN:
            st.caption(f"{len(suggestions) - SUGGESTIONS_SHOWN} more: drag them from “Not in a theme yet” below.")

st.subheader("Board")
columns = themes.board_columns(engine, workshop)
if not board:
    st.info("No themes yet. Press Find themes, or make a theme by hand below.")
else:
    lens_list = workshops.list_lenses(engine, workshop.id)
    st.caption(
        "Drag a card to another theme to move the story; it stays where you put it. "
        + "Each card ends with the lens it was told from ("
        + ", ".join(f"{LENS_MARKERS[i % len(LENS_MARKERS)]} {lens.name}" for i, lens in enumerate(lens_list))
        + "), its stage and the feeling given."
    )
dragged = theme_board.draggable_board(columns) if board else None
if dragged is not None:
    attempt(
        lambda: themes.apply_board_drag(engine, workshop.id, theme_board.before_of(columns), dragged),
        "Moved. Finding themes again will not move it back.",
    )

if len(board) > 1:
    with st.expander("Order of the themes: drag a name to reorder"):
        order = theme_board.reorder_strip(labels)
        if order is not None:
            attempt(lambda: themes.reorder_themes(engine, workshop.id, order), "Reordered the themes.")

if board:
    st.subheader("Change a theme")
    summaries = {s.theme.id: s for s in themes.board_summaries(engine, workshop)}
    for start in range(0, len(board), PER_ROW):
        row = board[start : start + PER_ROW]
        for position, (column, theme) in enumerate(zip(st.columns(PER_ROW), row, strict=False), start=start + 1):
            size = summaries[theme.id].size
            with column, st.container(border=True, key=f"theme_{theme.id}"):
                common.plain(numbered(position, theme.label) + ("  (pinned)" if theme.pinned else ""))
                st.caption(stories_phrase(size) + (" · the room's" if theme.is_manual else " · found by the tool"))
                if theme.key_phrases:
                    common.plain(f"Key phrases: {theme.key_phrases}")
                if theme.insight:
                    common.plain(f"The room's insight: {theme.insight}")
                rename, merge, more = st.columns(3)
                with rename.popover("Rename", width="stretch"), st.form(f"rename_{theme.id}", border=False):
                    name = st.text_input("New name", value=theme.label, max_chars=themes.MAX_LABEL_CHARS)
                    if st.form_submit_button("Rename"):
                        attempt(
                            lambda tid=theme.id, n=name: themes.rename_theme(engine, workshop.id, tid, n), "Renamed."
                        )
                with merge.popover("Merge", width="stretch"), st.form(f"merge_{theme.id}", border=False):
                    others = [t.id for t in board if t.id != theme.id]
                    into = st.selectbox("Move every story of this theme into", others, format_func=labels.get)
                    if st.form_submit_button("Merge") and into is not None:
                        attempt(
                            lambda tid=theme.id, keep=into: themes.merge_themes(engine, workshop.id, keep, tid),
                            f"Merged into “{labels.get(into, '')}”.",
                        )
                with more.popover("More", width="stretch"):
                    with st.form(f"insight_{theme.id}", border=False):
                        insight = st.text_area(
                            "The room's insight",
                            value=theme.insight,
                            help="What these stories tell the room, in a sentence or two. The report quotes it.",
                            key=f"insight_text_{theme.id}",
                        )
                        if st.form_submit_button("Save insight"):
                            attempt(
                                lambda tid=theme.id, text=insight: themes.set_insight(engine, workshop.id, tid, text),
                                "Saved the insight: the report quotes it under this theme.",
                            )
                    if st.button("Split in two", key=f"split_{theme.id}", disabled=size < 2):
                        attempt(
                            lambda tid=theme.id: themes.split_theme(engine, workshop, tid),
                            "Split in two: the new theme sits beside it.",
                        )
                    if st.button("Unpin" if theme.pinned else "Pin", key=f"pin_{theme.id}"):
                        attempt(
                            lambda tid=theme.id, p=not theme.pinned: themes.set_pinned(engine, workshop.id, tid, p),
                            "Unpinned." if theme.pinned else "Pinned: finding themes again keeps it as it is.",
                        )
                    warn = f" Its {stories_phrase(size)} go back to “Not in a theme yet”." if size else ""
                    if st.button("Delete theme", key=f"delete_{theme.id}", help="Undo brings it back." + warn):
                        attempt(lambda tid=theme.id: themes.delete_theme(engine, workshop.id, tid), "Deleted." + warn)

with st.expander("Make a theme, or move a story without dragging"):
    with st.form("new_theme"):
        name = st.text_input("Name of the new theme", max_chars=themes.MAX_LABEL_CHARS)
        if st.form_submit_button("Make theme"):
            attempt(
                lambda: themes.create_theme(engine, workshop.id, name), "Made an empty theme at the end of the board."
            )
    if board:
        with st.form("move_story"):
            by_id = {s.id: s for s in stories}
            story = st.selectbox(
                "Story", list(by_id), format_func=lambda i: f"#{i} " + short_quote(by_id[i].text, 90), key="move_story"
            )
            target = st.selectbox("Move it to", list(labels), format_func=labels.get, key="move_target")
            if st.form_submit_button("Move") and story is not None and target is not None:
                attempt(
                    lambda: themes.move_story(engine, workshop.id, story, target),
                    "Moved. Finding themes again will not move it back.",
                )

if board:
    summaries_list = themes.board_summaries(engine, workshop)
    with st.expander("Every story of every theme, in full"):
        for position, summary in enumerate(summaries_list, start=1):
            common.plain(f"{numbered(position, summary.theme.label)} · {stories_phrase(summary.size)}")
            if summary.stories:
                st.dataframe(
                    {
                        "story": [s.text for s in summary.stories],
                        "placed": [
                            "by hand" if s.id in summary.theme.manual_story_ids else "by the tool"
                            for s in summary.stories
                        ],
                    },
                    hide_index=True,
                    width="stretch",
                )
    stages = workshops.list_stages(engine, workshop.id)
    lenses = workshops.list_lenses(engine, workshop.id)
    st.plotly_chart(theme_stage_heatmap(summaries_list, stages), width="stretch")
    st.plotly_chart(theme_lens_chart(summaries_list, lenses), width="stretch")
