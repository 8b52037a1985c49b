"""Facilitator: the actions the room agreed, with an owner, a date, a measure, and what each one answers."""

import pandas as pd
import streamlit as st

from codesign import actions
from codesign.errors import CodesignError
from codesign.ui import common
from codesign.ui.action_form import action_form

EDITING = "actions_editing_id"

common.require_facilitator()
workshop = common.require_workshop()
engine = common.engine()

st.title("Agreed actions")
st.write(
    "Write down what the room agreed before people leave: the action, who will own it (a role or an organisation), "
    "by when, and how you will know it is working. Link each action to the pain points, fail points, ideas and "
    'themes it answers: the report\'s "You said, we will" section is built from these links.'
)
common.show_flash()

agreed = actions.list_actions(engine, workshop.id)
options = actions.link_options(engine, workshop.id)

if agreed:
    st.dataframe(
        pd.DataFrame(
            [
                {
                    "#": n,
                    "Action": a.text,
                    "Owner": actions.owner_text(a.owner),
                    "By when": actions.due_text(a.due),
                    "Measure": a.measure,
                    "Status": actions.STATUSES[a.status],
                    "Answers": "; ".join(actions.describe_links(a, options)),
                }
                for n, a in enumerate(agreed, start=1)
            ]
        ),
        hide_index=True,
        width="stretch",
    )
else:
    st.info("No actions yet. Add the first one below.")


st.subheader("Add an action")
action_form(engine, workshop, "new_action", options=options)

if agreed:
    st.subheader("Change, reorder or delete an action")
    by_id = {a.id: a for a in agreed}
    if st.session_state.get(EDITING) not in by_id:
        st.session_state[EDITING] = agreed[0].id
    chosen = st.selectbox(
        "Action",
        list(by_id),
        format_func=lambda i: f"{list(by_id).index(i) + 1}. {by_id[i].text[:90]}",
        key=EDITING,
    )
    current = by_id[chosen]
    up, down, remove = st.columns(3)
    try:
        if up.button("Move up", icon=":material/arrow_upward:", disabled=agreed[0].id == chosen):
            actions.move_action(engine, workshop.id, chosen, -1)
            st.rerun()
        if down.button("Move down", icon=":material/arrow_downward:", disabled=agreed[-1].id == chosen):
            actions.move_action(engine, workshop.id, chosen, 1)
            st.rerun()
        if remove.button("Delete this action", icon=":material/delete:"):
            actions.delete_action(engine, workshop.id, chosen)
            common.flash("Deleted the action.")
    except CodesignError as exc:
        common.flash(str(exc), "error")
    action_form(engine, workshop, f"edit_action_{chosen}", current, options=options)
