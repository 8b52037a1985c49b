"""The theme board as people work it: columns of story cards to drag (the projector's board in
large type is ``ui.wall_themes``).

Dragging uses ``streamlit-sortables`` (its scripts and styles ship inside the package, so the
browser asks nothing of any other host). Cards and headers are plain strings, which the
component renders as text, never as HTML.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence

from streamlit_sortables import sort_items

from codesign.themes.board import BoardColumn, story_id_of

# Sticky notes on a wall: fixed-width columns that wrap, white cards with dark text.
_BOARD_STYLE = """
.sortable-component.vertical { gap: 10px; align-items: flex-start; }
.sortable-component.vertical .sortable-container {
  flex: 1 1 240px; max-width: 340px; margin: 0; padding: 0; border-radius: 8px;
  background: #f3f4f6; border: 1px solid #d1d5db;
}
.sortable-container-header {
  background: #1f2937; color: #fff; font-weight: 600; padding: 8px 10px; border-radius: 8px 8px 0 0;
  font-size: 15px; line-height: 1.3; text-align: left;
}
.sortable-container-body { background: #f3f4f6; min-height: 64px; padding: 6px; }
.sortable-item, .sortable-item:hover {
  background: #fffbe6; color: #111827; border: 1px solid #e5d9a8; border-radius: 6px;
  margin: 6px 0; padding: 7px 9px; font-size: 13.5px; line-height: 1.35; text-align: left;
  box-shadow: 0 1px 2px rgba(0,0,0,.08);
}
"""


def _signature(columns: Sequence[BoardColumn]) -> str:
    # A new key whenever the board changes, so the component starts from the saved board
    # rather than from the order of an earlier drag.
    text = "|".join(f"{c.key}:{c.header}:" + ",".join(str(card.story_id) for card in c.cards) for c in columns)
    return hashlib.sha1(text.encode(), usedforsecurity=False).hexdigest()[:12]


def draggable_board(columns: Sequence[BoardColumn], *, key: str = "theme_board") -> dict[str, list[int]] | None:
    """Draw every column of cards; return the board after a drag (column key -> story ids), else None."""
    if not columns:
        return None
    items = [{"header": c.header, "items": [card.text for card in c.cards]} for c in columns]
    result = sort_items(
        items,
        multi_containers=True,
        direction="vertical",
        custom_style=_BOARD_STYLE,
        key=f"{key}_{_signature(columns)}",
    )
    if not result or len(result) != len(columns):
        return None
    after: dict[str, list[int]] = {}
    for column, container in zip(columns, result, strict=True):
        ids = [story_id_of(str(text)) for text in container.get("items", [])]
        after[column.key] = [i for i in ids if i is not None]
    before = {c.key: [card.story_id for card in c.cards] for c in columns}
    return None if after == before else after


def before_of(columns: Sequence[BoardColumn]) -> dict[str, list[int]]:
    """The board as columns of story ids, to compare a drag with."""
    return {c.key: [card.story_id for card in c.cards] for c in columns}


def reorder_strip(labels: Mapping[int, str], *, key: str = "theme_order") -> list[int] | None:
    """A row of theme names to drag into a new order; returns the new order of ids after a drag."""
    if len(labels) < 2:
        return None
    names = [f"{label}  ·  #{theme_id}" for theme_id, label in labels.items()]
    signature = hashlib.sha1("|".join(names).encode(), usedforsecurity=False).hexdigest()[:12]
    result = sort_items(names, direction="horizontal", key=f"{key}_{signature}")
    order = [story_id_of(str(name)) for name in result]
    ids = [i for i in order if i is not None]
    return None if ids == list(labels) else ids
