"""A workshop's own agenda: the kit's plan as the facilitator changed it, and what is on now.

Pure values and functions (no database). A workshop starts from one of its kit's agendas
(a half day, a full day); the facilitator reorders, retimes, adds and removes items on the
Agenda screen. The agenda lives in the workshop's settings under ``agenda``; until it is
first saved the workshop follows its kit's first agenda.

A row the facilitator half filled in (a title without minutes, minutes without a title) is
never dropped: it is kept with the agenda, marked with what it still needs, and shown again
at the end of the table.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import Any

from codesign.workshops.kits import AgendaItem as KitItem
from codesign.workshops.kits import Kit

AGENDA_SETTING = "agenda"
# The agenda that choosing another kit agenda replaced, so one click puts it back.
BEFORE_SETTING = "agenda_before"
MAX_MINUTES = 480
MAX_ITEMS = 60
MAX_TITLE = 80
MAX_ACTIVITY = 600

# The columns of the Agenda screen's table, in order.
COLUMNS = ("Order", "Minutes", "Item", "What happens", "Needs")


@dataclass(frozen=True)
class Item:
    """One agenda item: how long, what it is called, what happens in it."""

    minutes: int
    title: str
    activity: str = ""
    screen: str | None = None


@dataclass(frozen=True)
class Agenda:
    """A workshop's agenda and where the room is in it.

    Attributes:
        items: The items in the order they run.
        source: The kit agenda it started from (its key).
        kept_back: Rows not complete enough to be items, as typed, each with ``needs``.
        current: The index of the item on now, or None before the first is started.
        started_at: When the current item started (UTC).
        version: Raised on every save, so two laptops cannot overwrite each other unseen.
        finished: True once the room has moved on past the last item.
    """

    items: tuple[Item, ...] = ()
    source: str = ""
    kept_back: tuple[Mapping[str, Any], ...] = ()
    current: int | None = None
    started_at: datetime | None = None
    version: int = 0
    finished: bool = False

    @property
    def total_minutes(self) -> int:
        return sum(item.minutes for item in self.items)

    def to_json(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "items": [
                {"minutes": i.minutes, "title": i.title, "activity": i.activity, "screen": i.screen} for i in self.items
            ],
            "kept_back": [dict(row) for row in self.kept_back],
            "current": self.current,
            "started_at": self.started_at.isoformat() if self.started_at else None,
            "version": self.version,
            "finished": self.finished,
        }


@dataclass(frozen=True)
class NowNext:
    """What the display's "now / next" view shows."""

    now: Item | None
    next: Item | None
    ends_at: datetime | None
    minutes_left: int | None
    position: int | None
    count: int
    later: tuple[Item, ...] = field(default_factory=tuple)
    finished: bool = False


def from_kit_items(items: Iterable[KitItem]) -> tuple[Item, ...]:
    return tuple(Item(i.minutes, i.title, i.activity, i.screen) for i in items)


def kit_agenda(kit: Kit, key: str | None = None) -> Agenda:
    """The agenda a workshop has before anyone changes it: one of its kit's (the first by default)."""
    chosen = kit.find_agenda(key or kit.agendas[0].key)
    return Agenda(items=from_kit_items(chosen.items), source=chosen.key)


def from_settings(settings: Mapping[str, Any], kit: Kit) -> Agenda:
    """The workshop's agenda from its settings, or its kit's first agenda if none was saved.

    Tolerates hand-edited values: an item that is not complete is kept back, never lost.
    """
    raw = settings.get(AGENDA_SETTING)
    if not isinstance(raw, Mapping) or not isinstance(raw.get("items"), list):
        return kit_agenda(kit)
    items: list[Item] = []
    kept: list[Mapping[str, Any]] = []
    for entry in raw["items"]:
        if not isinstance(entry, Mapping):
            continue
        item = _item(entry.get("minutes"), entry.get("title"), entry.get("activity"))
        if isinstance(item, Item):
            screen = entry.get("screen")
            items.append(replace(item, screen=screen if isinstance(screen, str) else None))
        else:
            kept.append(_kept_row(entry.get("minutes"), entry.get("title"), entry.get("activity"), item))
    for row in raw.get("kept_back") or []:
        if isinstance(row, Mapping):
            kept.append(dict(row))
    current = raw.get("current")
    started = raw.get("started_at")
    started_at: datetime | None = None
    if isinstance(started, str):
        try:
            started_at = datetime.fromisoformat(started)
        except ValueError:
            started_at = None
    return Agenda(
        items=tuple(items),
        source=str(raw.get("source") or ""),
        kept_back=tuple(kept),
        current=current if isinstance(current, int) and 0 <= current < len(items) else None,
        started_at=started_at,
        version=int(raw.get("version") or 0),
        finished=bool(raw.get("finished")) and not (isinstance(current, int) and 0 <= current < len(items)),
    )


def _blank(value: object) -> bool:
    if value is None:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    return isinstance(value, str) and not value.strip()


def _minutes(value: object) -> int | str:
    """Whole minutes from a cell, or what is wrong with it."""
    if _blank(value):
        return "minutes"
    try:
        number = float(str(value).strip())
    except ValueError:
        return "minutes as a number"
    if math.isnan(number) or number != int(number):
        return "whole minutes"
    if not 1 <= number <= MAX_MINUTES:
        return f"minutes from 1 to {MAX_MINUTES}"
    return int(number)


def _item(minutes: object, title: object, activity: object) -> Item | str:
    """An item from three cells, or what the row still needs (``"minutes, a title"``)."""
    needs: list[str] = []
    got = _minutes(minutes)
    if isinstance(got, str):
        needs.append(got)
    text = "" if _blank(title) else str(title).strip()
    if not text:
        needs.append("a title")
    elif len(text) > MAX_TITLE:
        needs.append(f"a title of at most {MAX_TITLE} characters")
    what = "" if _blank(activity) else str(activity).strip()
    if len(what) > MAX_ACTIVITY:
        needs.append(f"a description of at most {MAX_ACTIVITY} characters")
    if needs:
        return ", ".join(needs)
    assert isinstance(got, int)
    return Item(got, text, what)


def _kept_row(minutes: object, title: object, activity: object, needs: str) -> dict[str, Any]:
    """A half-filled row as typed (JSON-safe), with what it needs."""

    def cell(value: object) -> str:
        return "" if _blank(value) else str(value)

    return {"minutes": cell(minutes), "title": cell(title), "activity": cell(activity), "needs": needs}


@dataclass(frozen=True)
class EditResult:
    """What saving the table made of its rows."""

    items: tuple[Item, ...]
    kept_back: tuple[Mapping[str, Any], ...]
    ignored_blank: int

    @property
    def message(self) -> str:
        saved = f"Saved {len(self.items)} item{'s' if len(self.items) != 1 else ''}"
        total = sum(i.minutes for i in self.items)
        text = f"{saved}, {duration(total)} in all."
        if self.kept_back:
            n = len(self.kept_back)
            text += (
                f" {n} row{'s are' if n != 1 else ' is'} kept at the end of the table, marked with what "
                f"{'they need' if n != 1 else 'it needs'}, and not on the agenda until complete."
            )
        return text


def rows_from_table(rows: Sequence[Mapping[str, Any]], previous: Sequence[Item] = ()) -> EditResult:
    """The agenda the facilitator's table describes.

    Rows run in the order of their "Order" number (a row without one keeps its place in the
    table, after the numbered rows it follows); a row that is complete becomes an item; a
    row with something typed but not enough is kept back with what it needs; an empty row
    (from pressing Enter) is ignored. An item keeps the screen it had when its title is unchanged.

    Args:
        rows: The table's rows, with the keys of :data:`COLUMNS`.
        previous: The items before the edit (to keep their screens).
    """
    screens = {item.title: item.screen for item in previous}
    keyed: list[tuple[float, int, Mapping[str, Any]]] = []
    last = 0.0
    for position, row in enumerate(rows):
        order = row.get("Order")
        try:
            number = math.nan if order is None or _blank(order) else float(order)
        except (TypeError, ValueError):
            number = math.nan
        if math.isnan(number):
            number = last + 0.001 * (position + 1) / (len(rows) + 1)
        else:
            last = number
        keyed.append((number, position, row))
    keyed.sort(key=lambda k: (k[0], k[1]))
    items: list[Item] = []
    kept: list[Mapping[str, Any]] = []
    blank = 0
    for _number, _position, row in keyed:
        minutes, title, activity = row.get("Minutes"), row.get("Item"), row.get("What happens")
        if all(_blank(v) for v in (minutes, title, activity)):
            blank += 1
            continue
        got = _item(minutes, title, activity)
        if isinstance(got, Item):
            items.append(replace(got, screen=screens.get(got.title)))
        else:
            kept.append(_kept_row(minutes, title, activity, got))
    if len(items) > MAX_ITEMS:
        for extra in items[MAX_ITEMS:]:
            kept.append(
                _kept_row(extra.minutes, extra.title, extra.activity, f"room: an agenda holds {MAX_ITEMS} items")
            )
        items = items[:MAX_ITEMS]
    return EditResult(tuple(items), tuple(kept), blank)


def table_rows(agenda: Agenda) -> list[dict[str, Any]]:
    """The Agenda screen's table: the items numbered 1, 2, 3..., then the kept-back rows."""
    rows: list[dict[str, Any]] = [
        {"Order": n, "Minutes": i.minutes, "Item": i.title, "What happens": i.activity, "Needs": ""}
        for n, i in enumerate(agenda.items, start=1)
    ]
    for row in agenda.kept_back:
        rows.append(
            {
                "Order": None,
                "Minutes": _number(row.get("minutes")),
                "Item": str(row.get("title", "")),
                "What happens": str(row.get("activity", "")),
                "Needs": f"Needs {row.get('needs', 'more')}",
            }
        )
    return rows


def _number(value: object) -> float | None:
    """A kept row's minutes as typed, for the table's number column (even when out of range)."""
    try:
        number = float(str(value).strip())
    except ValueError:
        return None
    return None if math.isnan(number) else number


def edit(agenda: Agenda, result: EditResult) -> Agenda:
    """The agenda after a save. The item on now stays on now if it is still there (by title)."""
    current = None
    if agenda.current is not None and agenda.current < len(agenda.items):
        title = agenda.items[agenda.current].title
        current = next((n for n, i in enumerate(result.items) if i.title == title), None)
    return replace(
        agenda,
        items=result.items,
        kept_back=result.kept_back,
        current=current,
        started_at=agenda.started_at if current is not None else None,
        version=agenda.version + 1,
    )


def start(agenda: Agenda, index: int | None, now: datetime) -> Agenda:
    """Put item ``index`` on now (None: nothing is on), from ``now``."""
    if index is not None and not 0 <= index < len(agenda.items):
        raise ValueError("no such agenda item")
    return replace(
        agenda,
        current=index,
        started_at=now if index is not None else None,
        version=agenda.version + 1,
        finished=False,
    )


def advance(agenda: Agenda, now: datetime) -> Agenda:
    """Move on to the next item (the first, before any has started); past the last, the day is done."""
    if agenda.finished:
        return agenda
    nxt = 0 if agenda.current is None else agenda.current + 1
    if nxt >= len(agenda.items):
        return replace(start(agenda, None, now), finished=True)
    return start(agenda, nxt, now)


def now_next(agenda: Agenda, now: datetime, *, later: int = 2) -> NowNext:
    """What is on now, what comes next, and how long the current item has left.

    Before any item is started, "next" is the first item; after the last, neither is set.
    """
    items = agenda.items
    if agenda.finished:
        return NowNext(None, None, None, None, None, len(items), finished=True)
    if agenda.current is None:
        return NowNext(None, items[0] if items else None, None, None, None, len(items), items[1 : 1 + later])
    current = items[agenda.current]
    ends = agenda.started_at + timedelta(minutes=current.minutes) if agenda.started_at else None
    left = max(0, math.ceil((ends - now).total_seconds() / 60)) if ends else None
    following = items[agenda.current + 1 :]
    return NowNext(
        current,
        following[0] if following else None,
        ends,
        left,
        agenda.current,
        len(items),
        tuple(following[1 : 1 + later]),
    )


def duration(minutes: int) -> str:
    """``185`` -> ``"3 h 5 min"``; ``180`` -> ``"3 hours"``; ``45`` -> ``"45 min"``."""
    hours, rest = divmod(minutes, 60)
    if not hours:
        return f"{rest} min"
    if not rest:
        return f"{hours} hour{'s' if hours != 1 else ''}"
    return f"{hours} h {rest} min"


def timetable(items: Sequence[Item], start_at: datetime) -> list[tuple[datetime, Item]]:
    """When each item starts if the day starts at ``start_at`` and every item keeps its time."""
    out: list[tuple[datetime, Item]] = []
    at = start_at
    for item in items:
        out.append((at, item))
        at += timedelta(minutes=item.minutes)
    return out
