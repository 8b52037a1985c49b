"""The display's "now / next" view: the agenda item the room is on, how long it has left, and what follows.

Agenda text is the kit's and the facilitator's, never a participant's; it is escaped all the same.
"""

from __future__ import annotations

from datetime import UTC, datetime

import streamlit as st
from sqlalchemy import Engine

from codesign import workshops
from codesign.models import Workshop
from codesign.ui import frame as d
from codesign.workshops import agenda
from codesign.workshops.display import DisplayState

_CSS = """
<style>
.d-agenda { display: flex; flex-direction: column; gap: 2.4vh; padding-top: 2vh; }
.d-agenda .d-tag { font-size: 3.4vh; font-weight: 700; text-transform: uppercase; letter-spacing: 0.08em;
  color: #111; margin: 0; }
.d-agenda .d-now { border-left: 1.4vh solid #1f4e79; padding-left: 2vw; }
.d-agenda .d-now-title { font-size: 7vh; font-weight: 800; line-height: 1.1; color: #000; margin: 0;
  overflow: hidden; display: -webkit-box; -webkit-box-orient: vertical; -webkit-line-clamp: 2; }
.d-agenda .d-left { font-size: 4.6vh; font-weight: 700; color: #000; margin: 0.6vh 0 0 0;
  font-variant-numeric: tabular-nums; }
.d-agenda .d-what { font-size: 3vh; line-height: 1.3; color: #111; margin: 1vh 0 0 0; overflow: hidden;
  display: -webkit-box; -webkit-box-orient: vertical; -webkit-line-clamp: 3; }
.d-agenda .d-next { border-left: 1.4vh dashed #555; padding-left: 2vw; }
.d-agenda .d-next-title { font-size: 5vh; font-weight: 700; line-height: 1.15; color: #000; margin: 0;
  overflow: hidden; display: -webkit-box; -webkit-box-orient: vertical; -webkit-line-clamp: 2; }
.d-agenda .d-later { font-size: 3vh; line-height: 1.3; color: #111; margin: 0; white-space: nowrap;
  overflow: hidden; text-overflow: ellipsis; }
</style>
"""


def show(engine: Engine, workshop: Workshop, state: DisplayState) -> None:
    """Now, next and the two items after, in large type."""
    del state
    st.html(_CSS)
    plan = workshops.workshop_agenda(engine, workshop)
    view = agenda.now_next(plan, datetime.now(UTC))
    parts = ['<div class="d-agenda" data-testid="displayAgenda">']
    if view.now is not None:
        left = "Time is up" if view.minutes_left == 0 else f"{view.minutes_left} min left"
        parts.append(
            f'<div class="d-now" data-testid="displayNow"><p class="d-tag">Now · {(view.position or 0) + 1}'
            f" of {view.count}</p>"
            f'<p class="d-now-title">{d.esc(view.now.title)}</p>'
            f'<p class="d-left">{d.esc(left)} · {d.esc(agenda.duration(view.now.minutes))} in all</p>'
            + (f'<p class="d-what">{d.esc(view.now.activity)}</p>' if view.now.activity else "")
            + "</div>"
        )
    elif view.next is not None:
        parts.append(
            '<div class="d-now" data-testid="displayNow"><p class="d-tag">Now</p>'
            '<p class="d-now-title">Starting soon</p></div>'
        )
    if view.next is not None:
        parts.append(
            f'<div class="d-next" data-testid="displayNext"><p class="d-tag">Next</p>'
            f'<p class="d-next-title">{d.esc(view.next.title)}</p>'
            f'<p class="d-left">{d.esc(agenda.duration(view.next.minutes))}</p></div>'
        )
    elif view.now is not None:
        parts.append(
            '<div class="d-next" data-testid="displayNext"><p class="d-tag">Next</p>'
            '<p class="d-next-title">That is the last item</p></div>'
        )
    if view.later:
        parts.append('<div><p class="d-tag">Later</p>')
        parts.extend(
            f'<p class="d-later">{d.esc(item.title)} ({d.esc(agenda.duration(item.minutes))})</p>'
            for item in view.later
        )
        parts.append("</div>")
    if view.finished:
        parts.append(
            '<div class="d-now" data-testid="displayNow"><p class="d-tag">Done</p>'
            '<p class="d-now-title">That was the last item. Thank you.</p></div>'
        )
    elif not plan.items:
        parts.append('<p class="d-now-title">No agenda yet.</p>')
    parts.append("</div>")
    st.html("".join(parts))
