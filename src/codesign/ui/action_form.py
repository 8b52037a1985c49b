"""The form that records an agreed action: on the Agreed actions screen, and beside the journey map,
the blueprint and the ideas, where the room agrees it.

What was typed stays in the form when it is refused, and a saved action is in the database
before the screen says so.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import cast

import streamlit as st
from sqlalchemy import Engine

from codesign import actions
from codesign.actions.rules import ActionStatus
from codesign.errors import CodesignError
from codesign.models import Workshop
from codesign.ui import common


def action_form(
    engine: Engine,
    workshop: Workshop,
    key: str,
    current: actions.Action | None = None,
    *,
    options: Sequence[actions.LinkOption] | None = None,
    first: str | None = None,
) -> None:
    """The form to add an action (``current`` None) or change one.

    Args:
        engine: The database.
        workshop: The workshop the action belongs to.
        key: The form's key (unique on its page).
        current: The action to change, or None to add one.
        options: What an action can answer (loaded if not given).
        first: A link kind ("pain_point", "fail_point", "idea", "theme") offered first: the one
            the screen the form sits on is about.
    """
    options = list(options if options is not None else actions.link_options(engine, workshop.id))
    if first is not None:
        options.sort(key=lambda o: o.kind != first)
    option_of = {o.link: o for o in options}
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
            draft = actions.ActionDraft(text, owner, due, measure, cast(ActionStatus, status), tuple(links))
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


def add_action_panel(engine: Engine, workshop: Workshop, *, first: str, where: str) -> None:
    """ "Add an action" in a closed expander, for the screens where the room agrees one.

    Args:
        engine: The database.
        workshop: The workshop.
        first: The link kind the screen is about, offered first in "What it answers".
        where: The screen's words for what the action answers ("a pain point"), for the hint.
    """
    agreed = actions.list_actions(engine, workshop.id)
    label = "Add an action" + (f" ({len(agreed)} agreed so far)" if agreed else "")
    with st.expander(label, icon=":material/task_alt:"):
        st.caption(
            f"When the room agrees what to do about {where}, write it down here: it goes on the Agreed actions "
            'screen, the display\'s "You said, we will" view and the report.'
        )
        action_form(engine, workshop, f"add_action_{first}", first=first)
