"""Facilitator: the actions the room agreed, with an owner, a date, a measure, and what each one answers."""

import pandas as pd
import streamlit as st

from codesign import actions
from codesign.errors import CodesignError
from codesign.ui import common

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
option_of = {o.link: o for o in options}

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


def action_form(key: str, current: actions.Action | None) -> None:
    """The form to add an action or change one; what was typed stays in the form if it is refused."""
    with st.form(key, clear_on_submit=False):
        text = st.text_area(
            "Action", value=current.text if current else "", max_chars=actions.MAX_ACTION_CHARS, height=80
        )
        left, right = st.columns(2)
        owner = left.text_input(
            "Owner (a role or organisation, not a person's name)",
            value=current.owner if current else "",
            max_chars=actions.MAX_OWNER_CHARS,
            placeholder="e.g. Community mental health team manager",
        )
        due = right.date_input("By when (optional)", value=current.due if current else None, format="DD/MM/YYYY")
        measure = st.text_input(
            "How progress will be measured",
            value=current.measure if current else "",
            max_chars=actions.MAX_MEASURE_CHARS,
            placeholder="e.g. Share of people waiting who had a check-in in the last two weeks",
        )
        status = st.selectbox(
            "Status",
            list(actions.STATUSES),
            index=list(actions.STATUSES).index(current.status) if current else 0,
            format_func=actions.STATUSES.__getitem__,
        )
        links = st.multiselect(
            "What it answers",
            [o.link for o in options],
            default=[link for link in (current.links if current else ()) if link in option_of],
            format_func=lambda link: option_of[link].described,
            placeholder="Pain points, fail points, ideas and themes",
        )
        if st.form_submit_button("Save changes" if current else "Add the action", type="primary"):
            draft = actions.ActionDraft(text, owner, due, measure, status, tuple(links))
            try:
                if current is None:
                    _stored, dropped = actions.add_action(engine, workshop.id, draft)
                else:
                    dropped = actions.update_action(engine, workshop.id, current.id, draft)
            except CodesignError as exc:
                st.error(f"{exc} Nothing was saved; your text is still in the form.")
            else:
                note = f" {dropped} link(s) were not kept: what they pointed at has been deleted." if dropped else ""
                common.flash(("Saved the changes." if current else "Added the action.") + note)


st.subheader("Add an action")
action_form("new_action", None)

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
    action_form(f"edit_action_{chosen}", current)
