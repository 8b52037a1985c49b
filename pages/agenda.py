"""Facilitator: the workshop's agenda. Start from one of the kit's (half day, full day), change it, run it.

Reorder by the Order numbers, retime by the minutes, add a row at the bottom, delete a row
with its checkbox. A half-filled row is kept at the end of the table, marked with what it
needs, never dropped. "Next item" moves the room on: the display's "Now / next" view and
its timer follow.
"""

from datetime import UTC, datetime

import pandas as pd
import streamlit as st

from codesign import workshops
from codesign.errors import CodesignError
from codesign.ui import common

EDITING = "agenda_editing_version"

common.require_facilitator()
workshop = common.require_workshop()
engine = common.engine()
kit = common.kit_of(workshop)
agenda = workshops.agenda

st.title("Agenda")
common.show_flash()
plan = workshops.workshop_agenda(engine, workshop)
source = next((a.name for a in kit.agendas if a.key == plan.source), "")
st.caption(
    f"{len(plan.items)} items, {agenda.duration(plan.total_minutes)} in all"
    + (f", started from the kit's {source.lower()} agenda" if source else "")
    + ". Change it below; the display's Now / next view follows what you run."
)

# --- running the day -------------------------------------------------------------------------
live = agenda.now_next(plan, datetime.now(UTC))
with st.container(border=True, key="agenda_now"):
    # Agenda text is shown as plain text (st.text): typed on screen, it is never read as markdown.
    if live.now is not None:
        st.subheader("Now")
        common.plain(live.now.title)
        st.caption(f"{live.minutes_left} of {live.now.minutes} min left" if live.minutes_left else "Its time is up.")
    elif live.finished:
        st.subheader("The last item is done.")
    else:
        st.subheader("Not started yet")
    if live.next is not None:
        st.caption("Next")
        common.plain(f"{live.next.title} ({agenda.duration(live.next.minutes)})")
    go, pick, show = st.columns([2, 3, 2], vertical_alignment="bottom")
    label = "Start the first item" if plan.current is None and not plan.finished else "Next item"
    if go.button(label, type="primary", disabled=live.next is None, key="agenda_next"):
        try:
            workshops.next_agenda_item(engine, workshop)
        except CodesignError as exc:
            st.error(str(exc))
        else:
            st.rerun()
    names = {n: f"{n + 1}. {item.title}" for n, item in enumerate(plan.items)}
    if names:
        chosen = pick.selectbox("Or start another item", list(names), format_func=names.__getitem__)
        if pick.button("Start this item", key="agenda_start"):
            try:
                workshops.start_agenda_item(engine, workshop, chosen)
            except CodesignError as exc:
                st.error(str(exc))
            else:
                st.rerun()
    if show.button("Show Now / next on the display", key="agenda_show"):
        workshops.show_on_display(engine, workshop.id, "agenda")
        st.toast("The display shows Now / next.")
    st.caption(
        "Starting an item also starts the display's timer for its minutes (+1 min and Stop on the Display screen)."
    )

# --- changing it -------------------------------------------------------------------------------
st.subheader("Change the agenda")
# The table keeps what was typed until it is saved: its key changes only when this laptop
# saves or chooses to load someone else's change, never because another laptop saved.
# The table is drawn from the agenda as this laptop last loaded it (EDITING: workshop, version, rows).
if st.session_state.get(EDITING, (None,))[0] != workshop.id:
    st.session_state[EDITING] = (workshop.id, plan.version, agenda.table_rows(plan))
_id, editing_version, base_rows = st.session_state[EDITING]
if editing_version != plan.version:
    st.warning("Someone else changed this agenda since you opened the table. Your table is as you left it.")
    if st.button("Load their version (your unsaved changes in the table are lost)"):
        st.session_state[EDITING] = (workshop.id, plan.version, agenda.table_rows(plan))
        st.rerun()

table = pd.DataFrame(base_rows, columns=list(agenda.COLUMNS)).astype(
    {"Order": "float", "Minutes": "float", "Item": "str", "What happens": "str", "Needs": "str"}
)
edited = st.data_editor(
    table,
    num_rows="dynamic",
    hide_index=True,
    width="stretch",
    key=f"agenda_table_{workshop.id}_{editing_version}",
    column_order=list(agenda.COLUMNS),
    disabled=["Needs"],
    column_config={
        "Order": st.column_config.NumberColumn(
            "Order", help="Items run in this order. Type 2.5 to put a row between 2 and 3.", width="small"
        ),
        "Minutes": st.column_config.NumberColumn("Minutes", min_value=1, max_value=agenda.MAX_MINUTES, step=1),
        "Item": st.column_config.TextColumn("Item", max_chars=agenda.MAX_TITLE, width="medium"),
        "What happens": st.column_config.TextColumn("What happens", max_chars=agenda.MAX_ACTIVITY, width="large"),
        "Needs": st.column_config.TextColumn("Needs", help="What a row still needs before it joins the agenda."),
    },
)
rows = edited.to_dict("records")
preview = agenda.rows_from_table(rows, plan.items)
st.caption(
    f"The table adds up to {agenda.duration(sum(i.minutes for i in preview.items))}"
    + (f"; {len(preview.kept_back)} row(s) not complete yet." if preview.kept_back else ".")
)
if st.button("Save the agenda", type="primary", key="agenda_save"):
    try:
        saved, result = workshops.save_agenda(engine, workshop, rows, expected_version=editing_version)
    except CodesignError as exc:
        st.error(str(exc))
    else:
        st.session_state[EDITING] = (workshop.id, saved.version, agenda.table_rows(saved))
        common.flash(result.message)

with st.expander("Start again from one of the kit's agendas"):
    choices = {a.key: f"{a.name} ({agenda.duration(a.minutes)}, {len(a.items)} items)" for a in kit.agendas}
    key = st.radio("The kit's agendas", list(choices), format_func=choices.__getitem__, key="agenda_kit_choice")
    st.caption("This replaces the agenda above. The one it replaces can be put back with one click.")
    if st.button("Use this agenda", key="agenda_use_kit"):
        fresh = workshops.use_kit_agenda(engine, workshop, key)
        st.session_state[EDITING] = (workshop.id, fresh.version, agenda.table_rows(fresh))
        common.flash(f"The agenda is now the kit's {choices[key]}.")
    if workshops.has_previous_agenda(engine, workshop) and st.button(
        "Put back the agenda it replaced", key="agenda_put_back"
    ):
        back = workshops.restore_previous_agenda(engine, workshop)
        st.session_state[EDITING] = (workshop.id, back.version, agenda.table_rows(back))
        common.flash("The earlier agenda is back.")
