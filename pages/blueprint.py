"""Facilitator: the service blueprint, drafted from the journey map, edited by hand, as is and to be."""

import pandas as pd
import streamlit as st

from codesign import journeys, stories
from codesign.charts import journey as charts
from codesign.errors import CodesignError
from codesign.models import BlueprintItemDraft
from codesign.ui import common
from codesign.ui.action_form import add_action_panel
from codesign.ui.history import history_panel

# The main column's width and a height that fits below the controls, in the app's wide layout
# with the sidebar open, for the screens a facilitator uses. The figure wraps its text for the
# size it is drawn at, so it is drawn at exactly that size.
SCREENS = {
    "laptop": ("Laptop (1440 px)", (960, 720)),
    "large": ("Large screen or projector (1920 px)", (1450, 880)),
}

common.require_facilitator()
workshop = common.require_workshop()
engine = common.engine()

st.title("Service blueprint")
common.show_flash()
history_panel(
    journeys.blueprint_history(engine, workshop.id),
    board="blueprint",
    undo=lambda: journeys.undo_blueprint(engine, workshop.id),
    restore=lambda entry_id: journeys.restore_blueprint(engine, workshop.id, entry_id),
)

version = st.radio(
    "Blueprint",
    list(journeys.VERSIONS),
    format_func=journeys.VERSIONS.get,
    horizontal=True,
    key="blueprint_version",
)
bp = journeys.load_blueprint(engine, workshop, version)
stages = bp.stages
lane_names = {lane.key: lane.name for lane in bp.lanes}

tab_view, tab_edit, tab_links, tab_compare = st.tabs(["Blueprint", "Edit items", "Link and mark", "As is vs to be"])

with tab_view:
    with st.form("blueprint_draft"):
        source = (
            "a copy of the “as is” blueprint (or the journey map if that is empty)"
            if version == "to_be"
            else "the journey map: touchpoints into frontstage, what people do as their actions, "
            "and proposed fail points at touchpoints that stories rated 1 or 2 name, at stages that felt bad"
        )
        st.write(f"Draft this blueprint from {source}, then edit it by hand.")
        replace = st.checkbox(
            "Replace the items already here", value=False, disabled=not bp.items, key="blueprint_replace"
        )
        if st.form_submit_button("Draft the blueprint", type="primary"):
            try:
                count = journeys.store_draft(engine, workshop, version, replace=replace)
            except CodesignError as exc:
                st.error(str(exc))
            else:
                common.flash(
                    f"Drafted {count} item(s). Edit them below."
                    if count
                    else "Nothing to draft yet: add touchpoints and what people do on the journey map, "
                    "or wait for stories with feelings."
                )
    screen = st.segmented_control(
        "Drawn for", list(SCREENS), format_func=lambda k: SCREENS[k][0], default="laptop", key="blueprint_screen"
    )
    size = SCREENS[screen or "laptop"][1]
    st.plotly_chart(
        charts.blueprint_figure(bp, size=size),
        width="content",
        config={"displayModeBar": False},
        key="blueprint_figure",
    )
    table = bp.table(sep="  ")
    st.dataframe(
        pd.DataFrame(table[1:], columns=["Lane", *table[0][1:]]), hide_index=True, width="stretch", row_height=90
    )
    st.caption(
        f"{len(bp.fail_points)} fail point(s), {len(bp.wait_points)} wait point(s). "
        "Items marked “PROPOSED, not yet agreed” (in a dashed frame) came from the draft: accept or "
        "reject them under “Edit items”. Long items are shortened with “…” in the picture; the table "
        "shows them in full."
    )

with tab_edit:
    if stages:
        with st.form("blueprint_add", clear_on_submit=True):
            st.subheader("Add an item")
            col_stage, col_lane = st.columns(2)
            stage_id = common.stage_selectbox(stages, key="blueprint_add_stage", where=col_stage)
            lane = col_lane.selectbox("Lane", list(lane_names), format_func=lane_names.get, key="blueprint_add_lane")
            text = st.text_input("Item", max_chars=500, key="blueprint_add_text")
            col_fail, col_wait, col_time = st.columns(3)
            fail = col_fail.checkbox("Fail point", key="blueprint_add_fail")
            wait = col_wait.checkbox("Wait point", key="blueprint_add_wait")
            wait_time = col_time.text_input(
                "Waiting time, if known", max_chars=journeys.MAX_WAIT_CHARS, key="blueprint_add_wait_time"
            )
            if st.form_submit_button("Add item", type="primary"):
                try:
                    journeys.add_blueprint_item(
                        engine,
                        workshop.id,
                        version,
                        BlueprintItemDraft(stage_id, lane, text, fail_point=fail, wait_point=wait, wait_time=wait_time),
                    )
                except CodesignError as exc:
                    st.error(str(exc))
                else:
                    common.flash("Item added.")
        st.subheader("Edit in the grid")
        st.caption(
            "Tick fail and wait points, give waiting times, accept or reject proposed items, add or delete rows."
        )
        edited = st.data_editor(
            pd.DataFrame(
                journeys.blueprint_grid_rows(bp),
                columns=[
                    "id",
                    "stage",
                    "lane",
                    "text",
                    "fail point",
                    "wait point",
                    "wait time",
                    "status",
                    "stories",
                    "stakeholders",
                ],
            ),
            key=f"blueprint_grid_{version}",
            num_rows="dynamic",
            hide_index=True,
            width="stretch",
            column_config={
                "id": None,
                "stage": st.column_config.SelectboxColumn("Stage", options=[s.name for s in stages], required=True),
                "lane": st.column_config.SelectboxColumn("Lane", options=list(lane_names.values()), required=True),
                "text": st.column_config.TextColumn("Item", max_chars=500, width="large"),
                "fail point": st.column_config.CheckboxColumn("Fail point", default=False),
                "wait point": st.column_config.CheckboxColumn("Wait point", default=False),
                "wait time": st.column_config.TextColumn("Waiting time", max_chars=journeys.MAX_WAIT_CHARS),
                "status": st.column_config.SelectboxColumn("Status", options=["Proposed", "Accepted", "Rejected"]),
                "stories": st.column_config.NumberColumn("Stories", disabled=True),
                "stakeholders": st.column_config.NumberColumn("Stakeholders", disabled=True),
            },
        )
        if st.button("Save grid changes"):
            edits = journeys.blueprint_edits(bp, edited.to_dict("records"))
            try:
                journeys.save_blueprint_edits(engine, workshop.id, version, edits)
            except CodesignError as exc:
                st.error(str(exc))
            else:
                common.flash(
                    "Nothing changed."
                    if edits.empty
                    else f"Saved: {len(edits.added)} added, {len(edits.updated)} changed, {len(edits.deleted)} removed."
                )
    else:
        st.info("Add stages on the Journey map screen first: they are the blueprint's columns.")

with tab_links:
    holders = journeys.list_stakeholder_names(engine, workshop.id)
    stories = stories.approved_stories(engine, workshop.id)
    choices = journeys.story_choices(stories, stages)
    if bp.items:
        items = {i.id: i for i in bp.items}
        chosen_id = st.selectbox(
            "Item",
            list(items),
            format_func=lambda i: f"{lane_names[items[i].lane]} · {items[i].text[:80]}",
            key=f"blueprint_link_item_{version}",
        )
        item = items[chosen_id]
        with st.form(f"blueprint_link_{item.id}"):
            story_ids = st.multiselect(
                "Stories behind it",
                list(choices),
                default=[s for s in item.story_ids if s in choices],
                format_func=choices.get,
            )
            holder_ids = st.multiselect(
                "Stakeholders involved",
                list(holders),
                default=[h for h in item.stakeholder_ids if h in holders],
                format_func=holders.get,
            )
            if st.form_submit_button("Save links", type="primary"):
                try:
                    journeys.link_item(engine, workshop.id, item, story_ids=story_ids, stakeholder_ids=holder_ids)
                except CodesignError as exc:
                    st.error(str(exc))
                else:
                    common.flash("Links saved.")
    else:
        st.info("No items yet.")
    st.subheader("Fail and wait points")
    marked = journeys.marked_items(bp, holders)
    if marked:
        st.dataframe(pd.DataFrame(marked), hide_index=True, width="stretch")
    else:
        st.info("No fail or wait points marked yet.")
    add_action_panel(engine, workshop, first="fail_point", where="a fail point")

with tab_compare:
    as_is = bp if version == "as_is" else journeys.load_blueprint(engine, workshop, "as_is")
    to_be = bp if version == "to_be" else journeys.load_blueprint(engine, workshop, "to_be")
    comparison = journeys.compare_blueprints(as_is, to_be)
    left, right = st.columns(2)
    figures = charts.blueprint_pair_figure(as_is, to_be, size=(size[0] - 40, size[1]))
    left.plotly_chart(figures[0], width="content", config={"displayModeBar": False}, key="compare_as_is")
    right.plotly_chart(figures[1], width="content", config={"displayModeBar": False}, key="compare_to_be")
    left.metric("Fail points (as is)", comparison.fail_points[0])
    right.metric(
        "Fail points (to be)",
        comparison.fail_points[1],
        delta=comparison.fail_points[1] - comparison.fail_points[0],
        delta_color="inverse",
    )
    rows = comparison.table()
    if len(rows) > 1:
        st.dataframe(pd.DataFrame(rows[1:], columns=rows[0]), hide_index=True, width="stretch")
