"""The Agreed actions screen: add, refuse with the text kept, change, delete."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Engine

from codesign import actions, demo
from tests.app.conftest import page


def test_facilitator_adds_changes_and_deletes_an_action(app, engine: Engine) -> None:  # type: ignore[no-untyped-def]
    workshop = demo.load_demo(engine).workshop
    at = page(app(facilitator=True), "pages/actions.py")
    assert not at.exception, at.exception
    assert at.title[0].value == "Agreed actions"
    table = at.dataframe[0].value
    assert len(table) == 4 and list(table.columns)[:4] == ["#", "Action", "Owner", "By when"]

    # An empty action is refused, and what was typed in the other fields stays.
    at.text_input[0].set_value("Peer support lead")
    at.button[0].click().run()
    assert "cannot be empty" in at.error[0].value and "still in the form" in at.error[0].value
    assert at.text_input[0].value == "Peer support lead"
    assert len(actions.list_actions(engine, workshop.id)) == 4

    at.text_area[0].set_value("Open a peer group in the library on Thursdays")
    at.date_input[0].set_value(date(2027, 2, 26))
    at.multiselect[0].select(at.multiselect[0].options[0])
    at.button[0].click().run()
    assert not at.exception, at.exception
    assert at.success[0].value == "Added the action."
    stored = actions.list_actions(engine, workshop.id)[-1]
    assert (stored.text, stored.owner, stored.due) == (
        "Open a peer group in the library on Thursdays",
        "Peer support lead",
        date(2027, 2, 26),
    )
    assert len(stored.links) == 1
    assert len(at.dataframe[0].value) == 5

    at.selectbox(key="actions_editing_id").set_value(stored.id).run()
    edit = at.text_area[1]
    edit.set_value("Open two peer groups")
    next(b for b in at.button if b.label == "Save changes").click().run()
    assert at.success[0].value == "Saved the changes."
    assert actions.list_actions(engine, workshop.id)[-1].text == "Open two peer groups"

    next(b for b in at.button if b.label == "Delete this action").click().run()
    assert at.success[0].value == "Deleted the action."
    assert len(actions.list_actions(engine, workshop.id)) == 4
