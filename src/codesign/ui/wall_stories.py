"""The display's stories view: the newest approved story, two earlier ones rotating, counts by stage and lens.

Participant text is drawn with ``st.text`` (through ``common.plain``), so markup in a
story shows literally and fetches nothing. Long stories are cut at a few lines with a
visible "…" (CSS line clamp) so the view always fits the screen; the full text is on
the laptop's Moderation screen.
"""

from __future__ import annotations

import time

import streamlit as st
from sqlalchemy import Engine

from codesign import stories
from codesign.models import Workshop
from codesign.ui import common
from codesign.ui import frame as d
from codesign.workshops.display import DisplayState

LABEL = "Stories"
# How long each set of older stories stays up before the next set.
ROTATE_SECONDS = 12
ROTATING = 2
# Counts by stage and by lens: a kit has up to about eight of each; more would not fit.
MAX_BARS = 8


def show(engine: Engine, workshop: Workshop, state: DisplayState) -> None:
    """Draw the stories view (16:9, readable from the back of the room)."""
    del state
    snapshot = stories.wall_snapshot(engine, workshop)
    left, right = st.columns([3, 2], gap="large")
    with left:
        if not snapshot.stories:
            d.heading("Stories will appear here once they are approved.")
        else:
            newest, *older = snapshot.stories
            d.heading("Just shared")
            with st.container(border=True, key="d_newest"):
                common.plain(newest.text)
            shown = stories.rotate(older, int(time.time() // ROTATE_SECONDS), ROTATING)
            if shown:
                d.heading("Earlier stories")
                with st.container(key="d_rotating"):
                    for story in shown:
                        with st.container(border=True):
                            common.plain(story.text)
    with right:
        st.html(f'<p class="d-h">Stories shared <span class="d-big">{snapshot.total}</span></p>')
        _counts("By stage", snapshot.by_stage)
        _counts("By lens", snapshot.by_lens)


def _counts(title: str, counts: tuple[tuple[str, int], ...]) -> None:
    # Thin bars in HTML, not a chart: they redraw in a few milliseconds on every refresh.
    # The labels are the kit's stage and lens names (configuration, escaped), never stories.
    most = max([n for _, n in counts] + [1])
    rows = "".join(
        f'<div class="d-count"><span>{d.esc(name)}</span><b>{n}</b><i style="width:{100 * n / most:.0f}%"></i></div>'
        for name, n in counts[:MAX_BARS]
    )
    st.html(f'<p class="d-h">{d.esc(title)}</p><div class="d-counts">{rows}</div>')
