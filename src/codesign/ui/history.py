"""The history-and-undo panel the stakeholder map, the journey map and the blueprint share."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, Protocol

import pandas as pd
import streamlit as st

from codesign.ui import common


class Entry(Protocol):
    """A recorded change, as the boards' services return it."""

    id: int
    actor: str
    summary: str
    at: Any


# The panel lists this many changes (the history itself keeps more, see storage.history).
HISTORY_SHOWN = 50


def _who(actor: str) -> str:
    return "Facilitator" if actor == "facilitator" else f"Room device {actor}"


def history_panel(
    entries: Sequence[Entry],
    *,
    board: str,
    undo: Callable[[], Entry | None],
    restore: Callable[[int], Entry | None],
) -> None:
    """An expander with the board's recorded changes (who, when, what), undo and restore.

    Args:
        entries: The board's changes, newest first.
        board: What the board is called on screen ("stakeholder map").
        undo: Takes back the newest change; returns it (None if nothing was left).
        restore: Puts the board back as it was before a change, by its id.
    """
    count = f"{len(entries)} change{'' if len(entries) == 1 else 's'}"
    with st.expander(f"History and undo ({'the latest ' if len(entries) >= HISTORY_SHOWN else ''}{count})"):
        if not entries:
            st.caption(f"No changes to the {board} recorded yet. Every save from now on can be undone here.")
            return
        newest = entries[0]
        st.text(f"Last change: {newest.summary} ({_who(newest.actor)}, {newest.at:%H:%M:%S} UTC)")
        if st.button("Undo the last change", key=f"undo_{board}", type="primary"):
            done = undo()
            common.flash(f"Undone: {done.summary}" if done else "Nothing left to undo.")
        st.dataframe(
            pd.DataFrame(
                [
                    {"when (UTC)": f"{e.at:%Y-%m-%d %H:%M:%S}", "who": _who(e.actor), "what changed": e.summary}
                    for e in entries
                ]
            ),
            hide_index=True,
            width="stretch",
        )
        labels: dict[int, str] = {e.id: f"{e.at:%H:%M:%S} · {e.summary}" for e in entries}
        with st.form(f"restore_{board}"):
            chosen = st.selectbox(
                f"Put the {board} back as it was before",
                list(labels),
                format_func=lambda i: labels[i],
                key=f"restore_pick_{board}",
            )
            if st.form_submit_button("Restore this version") and chosen is not None:
                done = restore(int(chosen))
                common.flash(
                    f"The {board} is back as it was before: {done.summary}" if done else "That version is gone."
                )
