"""The Agenda screen: a workshop's agenda changed on screen, half-filled rows kept, the room moved on."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import Engine

from codesign import workshops
from codesign.models import Workshop
from codesign.ui import display
from tests.app.conftest import page

PAGE = "pages/agenda.py"


def button(at: Any, label: str) -> Any:
    return next(b for b in at.button if b.label == label)


def editor_key(at: Any) -> str:
    """The table's widget key: it changes only when this laptop saves or loads another's change."""
    workshop_id, version, _rows = at.session_state["agenda_editing_version"]
    return f"agenda_table_{workshop_id}_{version}"


def captions(at: Any) -> str:
    return "\n".join(c.value for c in at.caption)


@pytest.fixture
def workshop(make_workshop: Any) -> Workshop:
    return make_workshop("Agenda day")  # type: ignore[no-any-return]


def test_the_screen_shows_the_kits_half_day_to_start_with(app: Any, engine: Engine, workshop: Workshop) -> None:
    at = page(app(facilitator=True), PAGE)
    assert not at.exception, at.exception
    plan = workshops.workshop_agenda(engine, workshop)
    assert plan.source == "half_day"
    assert at.data_editor[0].value["Item"].tolist() == [i.title for i in plan.items]
    assert "3 hours in all" in at.caption[0].value and "half day" in at.caption[0].value.lower()


def test_a_typed_title_is_shown_as_plain_text(app: Any, engine: Engine, workshop: Workshop) -> None:
    plan = workshops.workshop_agenda(engine, workshop)
    rows = workshops.agenda.table_rows(plan)
    rows[0]["Item"] = "![x](http://example.org/p.png) **Welcome**"
    workshops.save_agenda(engine, workshop, rows, expected_version=plan.version)
    workshops.next_agenda_item(engine, workshop)
    at = page(app(facilitator=True), PAGE)
    assert at.text[0].value == "![x](http://example.org/p.png) **Welcome**"
    assert not any("example.org" in m.value for m in at.markdown)


def test_reorder_retime_add_remove_and_a_half_filled_row_kept(app: Any, engine: Engine, workshop: Workshop) -> None:
    at = page(app(facilitator=True), PAGE)
    before = workshops.workshop_agenda(engine, workshop)
    titles = [i.title for i in before.items]
    at.session_state[editor_key(at)] = {
        "edited_rows": {1: {"Order": 0.5, "Minutes": 50}},  # the second item first, with 50 minutes
        "added_rows": [
            {"Order": None, "Minutes": 10, "Item": "Stretch", "What happens": "Stand and move."},
            {"Item": "Lunch", "What happens": "Sandwiches in the hall"},  # no minutes yet
        ],
        "deleted_rows": [2],
    }
    at.run()
    assert "1 row(s) not complete yet" in " ".join(c.value for c in at.caption)
    button(at, "Save the agenda").click().run()
    assert not at.exception, at.exception
    assert "kept at the end of the table" in at.success[0].value
    saved = workshops.workshop_agenda(engine, workshop)
    assert [i.title for i in saved.items] == [titles[1], titles[0], *titles[3:], "Stretch"]
    assert saved.items[0].minutes == 50
    assert [k["title"] for k in saved.kept_back] == ["Lunch"]
    # The table shows the kept row at the end, marked, with what was typed.
    at.run()
    table = at.data_editor[0].value
    assert table["Item"].tolist()[-1] == "Lunch" and table["Needs"].tolist()[-1] == "Needs minutes"
    assert table["What happens"].tolist()[-1] == "Sandwiches in the hall"


def test_another_laptops_save_never_overwrites_what_is_typed(app: Any, engine: Engine, workshop: Workshop) -> None:
    at = page(app(facilitator=True), PAGE)
    half = workshops.workshop_agenda(engine, workshop)
    assert half.items[0].minutes == 15 and half.total_minutes == 180
    key = editor_key(at)
    at.session_state[key] = {"edited_rows": {0: {"Minutes": 25}}, "added_rows": [], "deleted_rows": []}
    at.run()
    # Meanwhile another laptop chooses the full day.
    workshops.use_kit_agenda(engine, workshop, "full_day")
    at.run()
    assert any("Someone else changed this agenda" in w.value for w in at.warning)
    # Still the half day as this laptop loaded it, with the edit (15 -> 25 minutes) in it.
    assert at.data_editor[0].value["Item"].tolist() == [i.title for i in half.items]
    assert "The table adds up to 3 h 10 min" in captions(at)
    button(at, "Save the agenda").click().run()
    assert any("Someone else changed this agenda" in e.value for e in at.error)
    assert workshops.workshop_agenda(engine, workshop).source == "full_day"  # theirs stands
    assert "The table adds up to 3 h 10 min" in captions(at)


def test_next_item_moves_the_room_on_and_the_display_shows_now_and_next(
    app: Any, engine: Engine, workshop: Workshop
) -> None:
    at = page(app(facilitator=True), PAGE)
    plan = workshops.workshop_agenda(engine, workshop)
    button(at, "Start the first item").click().run()
    assert not at.exception, at.exception
    assert at.subheader[0].value == "Now" and at.text[0].value == plan.items[0].title
    button(at, "Next item").click().run()
    assert at.text[0].value == plan.items[1].title
    assert at.text[1].value == f"{plan.items[2].title} ({plan.items[2].minutes} min)"
    assert workshops.display_state(engine, workshop.id).timer_minutes == plan.items[1].minutes
    button(at, "Show Now / next on the display").click().run()
    assert workshops.display_state(engine, workshop.id).view == "agenda"
    # The display link's page draws it.
    key = workshops.display_key(engine, workshop.id)
    screen = app(query={"key": key})
    screen.run()
    assert not screen.exception, screen.exception
    shown = "\n".join(str(h.proto.body) for h in screen.get("html"))
    assert plan.items[1].title in shown and plan.items[2].title in shown
    assert 'data-testid="displayNow"' in shown and 'data-testid="displayNext"' in shown
    assert display.VIEWS["agenda"] is not None


def test_choosing_the_full_day_and_putting_the_edited_one_back(app: Any, engine: Engine, workshop: Workshop) -> None:
    at = page(app(facilitator=True), PAGE)
    at.session_state[editor_key(at)] = {"edited_rows": {0: {"Minutes": 33}}, "added_rows": [], "deleted_rows": []}
    at.run()
    button(at, "Save the agenda").click().run()
    at.radio(key="agenda_kit_choice").set_value("full_day").run()
    button(at, "Use this agenda").click().run()
    assert workshops.workshop_agenda(engine, workshop).source == "full_day"
    assert "Full day" in at.success[0].value
    button(at, "Put back the agenda it replaced").click().run()
    assert workshops.workshop_agenda(engine, workshop).items[0].minutes == 33
    at.run()
    assert at.data_editor[0].value["Minutes"].tolist()[0] == 33
