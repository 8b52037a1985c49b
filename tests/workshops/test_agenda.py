"""Agendas: each kit has a half day and a full day that add up; a workshop's agenda is edited without losing a row."""

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine

from codesign import workshops
from codesign.errors import KitError, ValidationFailed
from codesign.models import Workshop
from codesign.workshops import agenda
from codesign.workshops.kits import builtin_kit_paths, get_builtin_kit, load_kit_file, parse_kit

SHIPPED = builtin_kit_paths()
T0 = datetime(2026, 3, 4, 10, 0, tzinfo=UTC)


def make(engine: Engine, kit: str = "living-well") -> Workshop:
    return workshops.create_workshop(engine, "Agenda test", get_builtin_kit(kit))


def row(order: float | None, minutes: float | None, title: str | None, what: str | None = "") -> dict[str, object]:
    return {"Order": order, "Minutes": minutes, "Item": title, "What happens": what, "Needs": ""}


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.name)
def test_every_kit_offers_a_half_day_and_a_full_day_that_add_up(path: Path) -> None:
    kit = load_kit_file(path).kit
    lengths = {a.key: a.minutes for a in kit.agendas}
    assert {"half_day", "full_day"} <= set(lengths)
    assert 165 <= lengths["half_day"] <= 195, "a half day is about three hours"
    assert lengths["full_day"] >= 300
    for plan in kit.agendas:
        assert plan.minutes == sum(item.minutes for item in plan.items)
    # The file's own words say so too: the claimed minutes are written beside the items.
    raw = yaml.safe_load(path.read_text())
    for plan in raw["agendas"]:
        assert plan["minutes"] == sum(item["minutes"] for item in plan["items"])
    # A new workshop starts from the kit's first agenda, a half day.
    assert kit.agendas[0].key == "half_day"


def test_a_kit_whose_agenda_does_not_add_up_is_refused_with_the_field_named() -> None:
    raw = yaml.safe_load(SHIPPED[0].read_text())
    raw["agendas"][0]["minutes"] += 30
    with pytest.raises(KitError) as caught:
        parse_kit(yaml.safe_dump(raw), "mine.yaml")
    message = str(caught.value)
    assert "mine.yaml" in message and "agendas" in message and "add up to" in message


def test_a_kit_written_with_one_agenda_still_reads() -> None:
    raw = yaml.safe_load(SHIPPED[0].read_text())
    items = raw.pop("agendas")[1]["items"]
    raw["agenda"] = items
    kit = parse_kit(yaml.safe_dump(raw), "old.yaml")
    assert [i.title for i in kit.agenda] == [i["title"] for i in items]
    assert kit.total_minutes == sum(i["minutes"] for i in items)


def test_the_table_reorders_retimes_adds_and_removes() -> None:
    plan = agenda.kit_agenda(get_builtin_kit("living-well").kit)
    rows = agenda.table_rows(plan)
    first, second, third = rows[0], rows[1], rows[2]
    edited = [
        {**second, "Order": 1},  # moved up
        {**first, "Order": 2, "Minutes": 25},  # moved down and given more time
        # third removed
        *rows[3:],
        row(None, 10, "Stretch break", "Stand up, move about."),  # added at the end
    ]
    result = agenda.rows_from_table(edited, plan.items)
    titles = [i.title for i in result.items]
    assert titles[:2] == [second["Item"], first["Item"]]
    assert third["Item"] not in titles
    assert titles[-1] == "Stretch break"
    assert result.items[1].minutes == 25
    # An item keeps the screen the kit gave it.
    assert result.items[1].screen == plan.items[0].screen
    assert not result.kept_back


def test_a_row_put_between_two_others_by_its_order_number() -> None:
    result = agenda.rows_from_table([row(1, 10, "A"), row(2, 10, "B"), row(1.5, 5, "Between")])
    assert [i.title for i in result.items] == ["A", "Between", "B"]


def test_half_filled_rows_are_kept_and_marked_and_blank_rows_ignored() -> None:
    result = agenda.rows_from_table(
        [
            row(1, 20, "Welcome"),
            row(2, None, "Lunch", "Sandwiches"),  # no minutes yet
            row(3, 15, "  ", "Something with no title"),  # no title
            row(None, None, None, None),  # a blank row from Enter
        ]
    )
    assert [i.title for i in result.items] == ["Welcome"]
    assert [k["needs"] for k in result.kept_back] == ["minutes", "a title"]
    assert result.kept_back[0]["title"] == "Lunch" and result.kept_back[0]["activity"] == "Sandwiches"
    assert result.ignored_blank == 1
    assert "kept at the end of the table" in result.message
    # Shown again at the end of the table, marked, and complete once the minutes are typed.
    plan = agenda.edit(agenda.Agenda(), result)
    table = agenda.table_rows(plan)
    assert [r["Needs"] for r in table] == ["", "Needs minutes", "Needs a title"]
    table[1]["Minutes"] = 45
    again = agenda.rows_from_table(table, plan.items)
    assert [i.title for i in again.items] == ["Welcome", "Lunch"]
    assert [k["needs"] for k in again.kept_back] == ["a title"]


cell_text = st.one_of(st.none(), st.just(""), st.text(min_size=1, max_size=30))
cell_minutes = st.one_of(st.none(), st.floats(allow_nan=True, allow_infinity=False), st.integers(-5, 600))
rows_strategy = st.lists(
    st.fixed_dictionaries(
        {
            "Order": st.one_of(st.none(), st.floats(-10, 100, allow_nan=False)),
            "Minutes": cell_minutes,
            "Item": cell_text,
            "What happens": cell_text,
            "Needs": st.just(""),
        }
    ),
    max_size=15,
)


def _blank(value: object) -> bool:
    return (
        value is None
        or (isinstance(value, float) and math.isnan(value))
        or (isinstance(value, str) and not value.strip())
    )


@settings(max_examples=200, deadline=None)
@given(rows_strategy)
def test_no_typed_row_is_ever_lost(rows: list[dict[str, object]]) -> None:
    """Every row with anything typed in it ends up on the agenda or kept back, with its words."""
    result = agenda.rows_from_table(rows)
    typed = [r for r in rows if not all(_blank(r[c]) for c in ("Minutes", "Item", "What happens"))]
    assert len(result.items) + len(result.kept_back) == len(typed)
    assert result.ignored_blank == len(rows) - len(typed)
    kept_titles = [k["title"] for k in result.kept_back] + [i.title for i in result.items]
    for r in typed:
        if not _blank(r["Item"]):
            assert str(r["Item"]).strip() in [str(t).strip() for t in kept_titles]
    # And a second save of the table as shown changes nothing.
    plan = agenda.edit(agenda.Agenda(), result)
    again = agenda.rows_from_table(agenda.table_rows(plan), plan.items)
    assert again.items == result.items
    assert [k["needs"] for k in again.kept_back] == [k["needs"] for k in result.kept_back]


def test_now_next_and_minutes_left() -> None:
    plan = agenda.Agenda(items=(agenda.Item(20, "Welcome"), agenda.Item(40, "Stories"), agenda.Item(15, "Break")))
    before = agenda.now_next(plan, T0)
    assert before.now is None and before.next is not None and before.next.title == "Welcome"
    on = agenda.advance(plan, T0)
    view = agenda.now_next(on, T0 + timedelta(minutes=5, seconds=30))
    assert view.now is not None and view.now.title == "Welcome" and view.minutes_left == 15
    assert view.next is not None and view.next.title == "Stories"
    assert agenda.now_next(on, T0 + timedelta(minutes=30)).minutes_left == 0
    last = agenda.advance(agenda.advance(on, T0), T0)
    assert agenda.now_next(last, T0).now.title == "Break"  # type: ignore[union-attr]
    assert agenda.now_next(last, T0).next is None
    done = agenda.advance(last, T0)
    assert done.finished and agenda.now_next(done, T0).now is None and agenda.now_next(done, T0).next is None


def test_a_workshop_starts_from_the_kits_half_day_and_keeps_its_edits(engine: Engine) -> None:
    workshop = make(engine)
    kit = get_builtin_kit("living-well").kit
    plan = workshops.workshop_agenda(engine, workshop)
    assert plan.source == "half_day" and plan.total_minutes == kit.find_agenda("half_day").minutes
    rows = agenda.table_rows(plan)
    rows[0]["Minutes"] = 30
    rows.append(row(None, None, "Lunch"))
    saved, result = workshops.save_agenda(engine, workshop, rows, expected_version=plan.version)
    assert result.kept_back and saved.items[0].minutes == 30
    again = workshops.workshop_agenda(engine, workshop)
    assert again.items == saved.items and [k["title"] for k in again.kept_back] == ["Lunch"]
    # Another laptop's save is never overwritten unseen: a save from the old version is refused.
    with pytest.raises(ValidationFailed, match="Someone else changed this agenda"):
        workshops.save_agenda(engine, workshop, agenda.table_rows(plan), expected_version=plan.version)
    assert workshops.workshop_agenda(engine, workshop).items == saved.items
    # Choosing the full day replaces it, and one click puts the edited one back.
    full = workshops.use_kit_agenda(engine, workshop, "full_day")
    assert full.source == "full_day" and full.total_minutes == kit.find_agenda("full_day").minutes
    back = workshops.restore_previous_agenda(engine, workshop)
    assert back.items == saved.items and [k["title"] for k in back.kept_back] == ["Lunch"]


def test_moving_the_room_on_runs_the_displays_timer(engine: Engine) -> None:
    workshop = make(engine)
    plan = workshops.next_agenda_item(engine, workshop)
    assert plan.current == 0
    state = workshops.display_state(engine, workshop.id)
    assert state.timer_minutes == plan.items[0].minutes and state.timer_ends_at is not None
    left = state.timer_ends_at - datetime.now(UTC)
    assert timedelta(minutes=plan.items[0].minutes - 1) < left <= timedelta(minutes=plan.items[0].minutes)
    third = workshops.start_agenda_item(engine, workshop, 2)
    assert third.current == 2
    assert workshops.display_state(engine, workshop.id).timer_minutes == third.items[2].minutes
    # Editing the agenda keeps the item on now, by its title, wherever it moves.
    rows = agenda.table_rows(third)
    rows[2]["Order"] = 0
    saved, _ = workshops.save_agenda(engine, workshop, rows, expected_version=third.version)
    assert saved.current == 0 and saved.items[0].title == third.items[2].title
    workshops.start_agenda_item(engine, workshop, None)
    assert workshops.display_state(engine, workshop.id).timer_ends_at is None


def test_the_report_shows_the_workshops_own_agenda(engine: Engine) -> None:
    from codesign import export

    workshop = make(engine)
    plan = workshops.workshop_agenda(engine, workshop)
    rows = agenda.table_rows(plan)[:2]
    workshops.save_agenda(engine, workshop, rows, expected_version=plan.version)
    data = export.gather_report_data(engine, workshop.id, with_figures=False)
    assert [a.title for a in data.agenda] == [r["Item"] for r in rows]
