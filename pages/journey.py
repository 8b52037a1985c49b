"""Facilitator: the journey map, its emotion curve, pain points to judge, stages, and a projector view."""

import pandas as pd
import streamlit as st

from codesign import journeys, stories
from codesign.charts import journey as charts
from codesign.errors import CodesignError
from codesign.ui import common
from codesign.ui.action_form import add_action_panel
from codesign.ui.history import history_panel
from codesign.workshops.kits import THRIVE_GROUPINGS

# Tall enough for a few lines of quotes per cell; every lane shows without scrolling the table.
MAP_ROW_PX = 110
# The main column's width in the app's wide layout with the sidebar open, on a 1440 px laptop:
# the map is drawn at this width so every stage shows, its text wrapped to its column.
MAP_SIZE = (960, 760)

common.require_facilitator()
workshop = common.require_workshop()
engine = common.engine()

projector = st.toggle("Projector view", key="journey_projector", help="The whole map at 16:9, for the room.")
views = {
    v.value: v
    for v in journeys.journey_views(
        journeys.list_lenses(engine, workshop.id), journeys.list_personas(engine, workshop.id)
    )
}
chosen_view = st.selectbox(
    "Show the journey of",
    list(views),
    format_func=lambda v: views[v].title,
    key="journey_view",
    help="Everyone, one lens, or a persona the room defined (under “Personas”): its curve, feelings and quotes. "
    "The items on the map are the room's, the same for all.",
)
view, jmap = journeys.load_view(engine, workshop, chosen_view or journeys.EVERYONE)
stages = [js.stage for js in jmap.stages]

if projector:
    # Drawn at a fixed 16:9 size: the figure wraps its text for that size (collapse the sidebar on the projector).
    st.plotly_chart(
        charts.journey_map_figure(jmap, title=workshop.title), width="content", config={"displayModeBar": False}
    )
    st.stop()

st.title("Journey map" if view.kind == journeys.EVERYONE else f"Journey map · {view.title}")
common.show_flash()
history_panel(
    journeys.journey_history(engine, workshop.id),
    board="journey map",
    undo=lambda: journeys.undo_journey(engine, workshop.id),
    restore=lambda entry_id: journeys.restore_journey(engine, workshop.id, entry_id),
)

if not stages:
    st.info("This workshop has no stages yet. Add one under “Stages” below.")

approved = stories.approved_stories(engine, workshop.id)
tab_map, tab_curve, tab_pains, tab_edit, tab_personas, tab_stages = st.tabs(
    ["Map", "Emotion curve", "Pain points to judge", "Edit items", "Personas", "Stages"]
)

with tab_map:
    # Every stage on one screen: the figure wraps each cell's text to its column.
    st.plotly_chart(
        charts.journey_map_figure(jmap, size=MAP_SIZE),
        width="content",
        config={"displayModeBar": False},
        key="journey_map_figure",
    )
    with st.expander("The map as a table (full text)"):
        table = jmap.table(sep="  ")
        st.dataframe(
            pd.DataFrame(table[1:], columns=["Lane", *table[0][1:]]),
            hide_index=True,
            width="stretch",
            row_height=MAP_ROW_PX,
            height=40 + MAP_ROW_PX * (len(table) - 1),
        )
    st.caption(
        "Quotes come only from approved stories whose consent allows quoting in the workshop. "
        "Proposed items appear once accepted."
    )

with tab_curve:
    st.plotly_chart(charts.emotion_curve_figure(jmap.curve), width="stretch")
    st.caption(
        f"Mean feeling per stage for each lens, with ±1 standard deviation. Hollow points and shaded stages "
        f"have fewer than {jmap.curve.thin_below} ratings: thin evidence, worth asking about."
    )
    if jmap.curve.unplaced:
        st.caption(f"{jmap.curve.unplaced} stories have no stage and are not on the curve.")
    with st.expander("The numbers behind the curve"):
        st.dataframe(pd.DataFrame(journeys.curve_table(jmap.curve)), hide_index=True, width="stretch")

with tab_pains:
    st.write(
        "Pain points are proposed where stages felt bad on average, in the stories' own words: the most "
        "typical sentence of the stories rated 1 or 2 there (only from stories whose consent lets the screen "
        "show them), with how many stories it stands for. Accept, edit or reject each one."
    )
    if st.button("Propose pain points", type="primary"):
        try:
            added = journeys.store_pain_point_proposals(engine, workshop)
        except CodesignError as exc:
            st.error(str(exc))
        else:
            common.flash(f"{added} new pain point(s) proposed." if added else "No new pain points to propose.")
    pending = [(js, cell) for js in jmap.stages for cell in js.proposals]
    if not pending:
        st.info("No proposals waiting.")
    for js, cell in pending:
        with st.container(border=True):
            st.text(f"{js.stage.name} · {journeys.LANE_NAMES.get(cell.lane, cell.lane)}")
            common.plain(cell.text)
            rows = journeys.evidence_rows(cell.story_ids, approved, stages, quote_consents=jmap.quote_consents)
            with st.expander(f"The {len(rows)} stories behind it"):
                st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch")
            with st.form(f"proposal_{cell.id}"):
                edited = st.text_area("Pain point", value=cell.text, key=f"proposal_text_{cell.id}")
                accept, reject = st.columns(2)
                accepted = accept.form_submit_button("Accept", type="primary")
                rejected = reject.form_submit_button("Reject")
            if accepted or rejected:
                try:
                    journeys.decide_proposal(
                        engine,
                        workshop.id,
                        cell.id,
                        "accepted" if accepted else "rejected",
                        edited if accepted else None,
                    )
                except CodesignError as exc:
                    st.error(str(exc))
                else:
                    common.flash("Accepted." if accepted else "Rejected.")
    add_action_panel(engine, workshop, first="pain_point", where="a pain point")

with tab_edit:
    if stages:
        with st.form("journey_add", clear_on_submit=True):
            st.subheader("Add an item")
            col_stage, col_lane = st.columns(2)
            stage_id = common.stage_selectbox(stages, key="journey_add_stage", where=col_stage)
            lane = col_lane.selectbox(
                "Lane", list(journeys.LANE_NAMES), format_func=journeys.LANE_NAMES.get, key="journey_add_lane"
            )
            text = st.text_input("Item", max_chars=journeys.MAX_ITEM_CHARS, key="journey_add_text")
            if st.form_submit_button("Add item", type="primary"):
                try:
                    journeys.add_item(engine, workshop.id, stage_id, lane, text)
                except CodesignError as exc:
                    st.error(str(exc))
                else:
                    common.flash("Item added.")
        st.subheader("Edit in the grid")
        st.caption(
            "Change text, stage, lane or status; add rows at the bottom; clear the text or delete a row to remove it."
        )
        cells = journeys.list_journey_cells(engine, workshop.id)
        shown = journeys.grid_cells(cells, stages)
        edited_grid = st.data_editor(
            pd.DataFrame(
                journeys.grid_rows(cells, stages), columns=["id", "stage", "lane", "text", "status", "stories"]
            ),
            key="journey_grid",
            num_rows="dynamic",
            hide_index=True,
            width="stretch",
            column_config={
                "id": None,
                "stage": st.column_config.SelectboxColumn("Stage", options=[s.name for s in stages], required=True),
                "lane": st.column_config.SelectboxColumn(
                    "Lane", options=list(journeys.LANE_NAMES.values()), required=True
                ),
                "text": st.column_config.TextColumn("Item", max_chars=journeys.MAX_ITEM_CHARS, width="large"),
                "status": st.column_config.SelectboxColumn("Status", options=list(journeys.STATUSES.values())),
                "stories": st.column_config.NumberColumn("Stories", disabled=True),
            },
        )
        if st.button("Save grid changes"):
            edits = journeys.journey_edits(shown, edited_grid.to_dict("records"), stages)
            try:
                journeys.save_edits(engine, workshop.id, edits)
            except CodesignError as exc:
                st.error(str(exc))
            else:
                common.flash(
                    "Nothing changed."
                    if edits.empty
                    else f"Saved: {len(edits.added)} added, {len(edits.updated)} changed, {len(edits.deleted)} removed."
                )

with tab_personas:
    st.write(
        "A persona is who the room has in mind: a name, a line about them, and the stories they are drawn from. "
        "Choose one under “Show the journey of” to see the map and the curve through their stories. "
        "A story withdrawn later leaves every persona."
    )
    personas = journeys.list_personas(engine, workshop.id)
    choices = journeys.persona_story_choices(engine, workshop)
    if personas:
        st.dataframe(
            pd.DataFrame(
                [
                    {"persona": p.name, "who": p.description, "stories": len(journeys.persona_stories(p, approved))}
                    for p in personas
                ]
            ),
            hide_index=True,
            width="stretch",
            column_config={
                "persona": st.column_config.TextColumn("Persona"),
                "who": st.column_config.TextColumn("Who", width="large"),
                "stories": st.column_config.NumberColumn("Stories"),
            },
        )
    names = {p.id: p.name for p in personas}
    editing = st.selectbox(
        "Persona",
        [None, *names],
        format_func=lambda i: "Add a new persona" if i is None else f"Change “{names[i]}”",
        key="persona_choice",
    )
    current = next((p for p in personas if p.id == editing), None)
    # A new persona's form is keyed by how many there are: once one is added the form starts empty,
    # while a refused one (a name taken) keeps everything typed.
    form_id = str(current.id) if current else f"new{len(personas)}"
    with st.form(f"persona_form_{form_id}"):
        name = st.text_input(
            "Name",
            value=current.name if current else "",
            max_chars=journeys.MAX_PERSONA_NAME,
            key=f"persona_name_{form_id}",
        )
        description = st.text_area(
            "Who they are, in a line or two",
            value=current.description if current else "",
            max_chars=journeys.MAX_PERSONA_DESCRIPTION,
            key=f"persona_description_{form_id}",
        )
        linked = st.multiselect(
            "Stories they are drawn from",
            list(choices),
            default=[i for i in (current.story_ids if current else ()) if i in choices],
            format_func=choices.get,
            key=f"persona_stories_{form_id}",
            help="Type to search. Words show only for stories whose consent lets the workshop see them.",
        )
        save_col, delete_col = st.columns(2)
        saved = save_col.form_submit_button("Save persona" if current else "Add persona", type="primary")
        confirm = delete_col.checkbox("Remove this persona", key=f"persona_confirm_{form_id}") if current else False
        removed = delete_col.form_submit_button("Remove") if current else False
    if saved:
        try:
            kept = journeys.save_persona(
                engine, workshop.id, name, description, linked, persona_id=current.id if current else None
            )
        except CodesignError as exc:
            st.error(str(exc))
        else:
            common.flash(f"Persona saved, drawn from {len(kept.story_ids)} stories.")
    elif removed and current:
        if confirm:
            journeys.delete_persona(engine, workshop.id, current.id)
            common.flash("Persona removed. Its stories are still in the workshop.")
        else:
            st.warning("Tick “Remove this persona” first: removing it cannot be undone.")

with tab_stages:
    shows_thrive = jmap.shows_thrive
    if stages:
        st.dataframe(
            pd.DataFrame(
                [
                    {"#": i + 1, "stage": s.name, "THRIVE": THRIVE_GROUPINGS.get(s.thrive_grouping or "", "")}
                    for i, s in enumerate(stages)
                ],
                columns=["#", "stage", "THRIVE"] if shows_thrive else ["#", "stage"],
            ),
            hide_index=True,
        )
        with st.form("stage_rename"):
            st.subheader("Rename or move a stage")
            chosen = common.stage_selectbox(stages, key="stage_edit_choice", where=st)
            new_name = st.text_input("New name", max_chars=journeys.MAX_STAGE_NAME, key="stage_edit_name")
            rename_col, up_col, down_col = st.columns(3)
            do_rename = rename_col.form_submit_button("Rename")
            do_up = up_col.form_submit_button("Move earlier")
            do_down = down_col.form_submit_button("Move later")
        if do_rename or do_up or do_down:
            try:
                if do_rename:
                    journeys.rename_stage(engine, workshop.id, chosen, new_name)
                else:
                    journeys.move_stage(engine, workshop.id, chosen, -1 if do_up else 1)
            except CodesignError as exc:
                st.error(str(exc))
            else:
                common.flash("Stage renamed." if do_rename else "Stage moved.")
    with st.form("stage_add", clear_on_submit=True):
        st.subheader("Add a stage")
        name = st.text_input("Name of the new stage", max_chars=journeys.MAX_STAGE_NAME, key="stage_add_name")
        after = st.selectbox(
            "Put it after",
            [-1, *range(len(stages))],
            index=len(stages),
            format_func=lambda i: "the start" if i < 0 else stages[i].name,
            key="stage_add_after",
        )
        grouping = None
        if shows_thrive:
            grouping = st.selectbox(
                "THRIVE grouping", list(THRIVE_GROUPINGS), format_func=THRIVE_GROUPINGS.get, key="stage_add_thrive"
            )
        if st.form_submit_button("Add stage"):
            try:
                journeys.add_stage(engine, workshop.id, name, position=after + 1, thrive_grouping=grouping)
            except CodesignError as exc:
                st.error(str(exc))
            else:
                common.flash("Stage added.")
    st.caption("New stages appear on the participants' story form, the curve and the blueprint.")
