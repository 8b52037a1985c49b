"""Facilitator: group approved stories into themes, then affinity-map by hand."""

import streamlit as st

from codesign import workshops
from codesign.charts.themes import theme_lens_chart, theme_stage_heatmap
from codesign.errors import CodesignError
from codesign.themes import DEFAULT_METHOD, METHODS
from codesign.themes import service as themes
from codesign.themes.board import quote_consents, summarise_board
from codesign.ui import common

LAST_RUN = "themes_last_run"
AUTO = "Let the tool choose"
CHOOSE = "Choose the number"
THEME_PICKERS = ("rename_target", "merge_keep", "merge_other", "split_target", "move_target")

common.require_facilitator()
workshop = common.require_workshop()
engine = common.engine()

st.title("Themes")


def story_choice(text: str) -> str:
    return text if len(text) <= 90 else text[:89] + "…"


placed = themes.place_new_stories(engine, workshop)
if placed:
    st.info(f"Placed {placed} newly approved stories into their nearest themes (marked automatic).")
common.show_flash()

stories = themes.approved_stories(engine, workshop.id)
with st.form("find_themes"):
    st.write(f"{len(stories)} approved stories. Pinned themes and stories moved by hand are kept.")
    how = st.radio("Number of themes", [AUTO, CHOOSE], horizontal=True)
    k = st.number_input("Themes", min_value=1, max_value=30, value=6, step=1)
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
            "k": None if result is None else result.k,
            "auto": None if result is None else result.k_chosen_automatically,
            "quality": None if result is None else result.quality,
            "scores": [] if result is None else list(result.k_scores),
        }
    bar.empty()

last = st.session_state.get(LAST_RUN)
if last and last["workshop"] == workshop.id:
    if last["message"]:
        st.info(last["message"])
    if last["k"] is not None:
        cols = st.columns(3)
        cols[0].metric("New themes found", last["k"])
        cols[1].metric("Number chosen", "by the tool" if last["auto"] else "by you")
        quality = "n/a" if last["quality"] is None else f"{last['quality']:.2f}"
        cols[2].metric("Quality (silhouette, -1 to 1)", quality, help="Higher means tighter, better separated themes.")
        if last["scores"]:
            st.dataframe(
                {"themes": [s[0] for s in last["scores"]], "silhouette": [s[1] for s in last["scores"]]},
                hide_index=True,
            )

board = themes.list_board(engine, workshop.id)
if not board:
    st.info("No themes yet. Press Find themes, or create a theme by hand below.")

labels = {t.id: f"{i}. {t.label}" for i, t in enumerate(board, start=1)}
theme_ids = list(labels)
# A choice kept from before the board changed (a merged theme, a new run) would show as
# empty; forget it so the widget starts on the first theme again.
for key, options in {**dict.fromkeys(THEME_PICKERS, theme_ids), "move_story": [s.id for s in stories]}.items():
    if key in st.session_state and st.session_state[key] not in options:
        del st.session_state[key]
rename_tab, merge_tab, split_tab, move_tab, new_tab = st.tabs(["Rename", "Merge", "Split", "Move a story", "New theme"])
with rename_tab, st.form("rename_theme"):
    target = st.selectbox("Theme", theme_ids, format_func=labels.get, key="rename_target")
    new_name = st.text_input("New name", max_chars=themes.MAX_LABEL_CHARS)
    if st.form_submit_button("Rename") and target is not None:
        try:
            themes.rename_theme(engine, workshop.id, target, new_name)
            common.flash("Renamed.")
        except CodesignError as exc:
            st.error(str(exc))
with merge_tab, st.form("merge_themes"):
    keep = st.selectbox("Keep this theme", theme_ids, format_func=labels.get, key="merge_keep")
    other = st.selectbox("…and move into it every story of", theme_ids, format_func=labels.get, key="merge_other")
    if st.form_submit_button("Merge") and keep is not None and other is not None:
        try:
            themes.merge_themes(engine, workshop.id, keep, other)
            common.flash("Merged.")
        except CodesignError as exc:
            st.error(str(exc))
with split_tab, st.form("split_theme"):
    target = st.selectbox("Theme to split in two", theme_ids, format_func=labels.get, key="split_target")
    if st.form_submit_button("Split") and target is not None:
        try:
            themes.split_theme(engine, workshop, target)
            common.flash("Split in two: the new theme sits beside it.")
        except CodesignError as exc:
            st.error(str(exc))
with move_tab, st.form("move_story"):
    by_id = {s.id: s for s in stories}
    story = st.selectbox("Story", list(by_id), format_func=lambda i: story_choice(by_id[i].text), key="move_story")
    target = st.selectbox("Move it to", theme_ids, format_func=labels.get, key="move_target")
    if st.form_submit_button("Move") and story is not None and target is not None:
        try:
            themes.move_story(engine, workshop.id, story, target)
            common.flash("Moved. Finding themes again will not move it back.")
        except CodesignError as exc:
            st.error(str(exc))
with new_tab, st.form("new_theme"):
    name = st.text_input("Name of the new theme", max_chars=themes.MAX_LABEL_CHARS)
    if st.form_submit_button("Create theme"):
        try:
            themes.create_theme(engine, workshop.id, name)
            common.flash("Created an empty theme at the end of the board.")
        except CodesignError as exc:
            st.error(str(exc))

if board:
    stages = workshops.list_stages(engine, workshop.id)
    lenses = workshops.list_lenses(engine, workshop.id)
    summaries = summarise_board(board, stories, stages, lenses, quote_consents(workshop))
    for number, summary in enumerate(summaries, start=1):
        theme = summary.theme
        with st.container(border=True):
            head, pin = st.columns([5, 1])
            with head:
                common.plain(f"{number}. {theme.label}" + ("  (pinned)" if theme.pinned else ""))
                facts = [f"{summary.size} stories"]
                if summary.mean_emotion is not None:
                    facts.append(f"mean emotion {summary.mean_emotion:.1f} of 5")
                facts.append(", ".join(f"{name} {share:.0%}" for name, share in summary.lens_shares.items()))
                common.plain(" · ".join(f for f in facts if f))
                if summary.stages:
                    common.plain("Stages: " + ", ".join(summary.stages))
            with pin:
                if st.button("Unpin" if theme.pinned else "Pin", key=f"pin_{theme.id}"):
                    themes.set_pinned(engine, workshop.id, theme.id, not theme.pinned)
                    common.flash("Unpinned." if theme.pinned else "Pinned: finding themes again will keep it.")
            for quote in summary.quotes:
                common.plain(f"“{quote}”")
            with st.expander(f"Stories in this theme ({summary.size})"):
                st.dataframe(
                    {
                        "story": [s.text for s in summary.stories],
                        "placed": [
                            "by hand" if s.id in theme.manual_story_ids else "automatic" for s in summary.stories
                        ],
                    },
                    hide_index=True,
                    width="stretch",
                )
    st.plotly_chart(theme_stage_heatmap(summaries, stages), width="stretch")
    st.plotly_chart(theme_lens_chart(summaries, lenses), width="stretch")
