"""The display's themes view: the room's board of story cards in large type.

Each theme is a tile, numbered and named as on the Themes screen ("3. No word from anyone while
waiting"), with its number of stories, a bar of who told them (one colour per lens) and, when
there is room, a few of its stories as cards: a short quote within the wall's consent, marked
with its lens's colour and the shape the laptop's cards use. The lens colours are the charts'
(colour-blind safe and far apart in lightness), so they stay apart on a greyscale projector too.

The view fits a 16:9 screen without scrolling: the fewer the themes, the more cards each shows
(see ``plan_for``); type is in ``vh``, at least 2.8vh (30 px at 1080p). The display's fragment
redraws it every second, so a move on the laptop is on the wall a second or two later.
Participant text (labels, quotes) goes through ``common.plain`` (``st.text``); ``st.html`` only
carries our own words, numbers and the kit's lens names, escaped.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import streamlit as st
from sqlalchemy import Engine

from codesign import workshops
from codesign.charts.themes import LENS_COLOURS
from codesign.models import Lens, Story, Workshop
from codesign.themes import service as themes
from codesign.themes.board import (
    LENS_MARKERS,
    ThemeSummary,
    numbered,
    quotable,
    quote_consents,
    short_quote,
    stories_phrase,
)
from codesign.ui import common
from codesign.ui import frame as d
from codesign.workshops.display import DisplayState

LABEL = "Themes"
# More themes than this do not fit at a size the back of the room can read; the rest are
# named as a count, to be seen on the laptop.
MAX_TILES = 40
NOT_SAID = "#FFFFFF"  # a story whose lens was not given: an empty (outlined) mark


@dataclass(frozen=True)
class Plan:
    """How the tiles are laid out for a number of themes."""

    columns: int
    cards: int
    """Story cards per tile."""
    card_chars: int
    """A card's quote is cut (at a word, with "…") to about this many characters..."""
    card_lines: int
    """... and to this many lines on the screen."""
    header_lines: int
    compact: bool
    """Headers in body type (many small tiles)."""


def plan_for(themes_shown: int) -> Plan:
    """The layout for this many themes on a 16:9 screen at 2.8vh type and up."""
    if themes_shown <= 3:
        return Plan(max(themes_shown, 1), 3, 150, 4, 2, False)
    if themes_shown <= 4:
        return Plan(4, 3, 90, 4, 2, False)
    if themes_shown <= 8:
        return Plan(4, 2, 60, 3, 2, False)
    if themes_shown <= 12:
        return Plan(4, 1, 60, 2, 1, False)
    if themes_shown <= 20:
        return Plan(5, 0, 0, 1, 2, False)
    return Plan(6, 0, 0, 1, 1, True)


def lens_colour(index: int | None) -> str:
    return NOT_SAID if index is None else LENS_COLOURS[index % len(LENS_COLOURS)]


def lens_marker(index: int | None) -> str:
    return "○" if index is None else LENS_MARKERS[index % len(LENS_MARKERS)]


def _style(lenses: Sequence[Lens], plan: Plan) -> str:
    # Constant rules plus one colour rule per lens (kit order); no participant text.
    per_lens = "".join(
        f'[class*="st-key-d_card_"][class*="_lens{i}x"] {{ box-shadow: inset 1.1vw 0 0 {lens_colour(i)}; }}\n'
        for i in range(len(lenses))
    )
    small_headers = '[class*="st-key-d_th_"] [data-testid="stText"] { font-size: 2.8vh !important; }'
    if not plan.compact:
        small_headers = ""
    return f"""
<style>
[class*="st-key-d_tile_"] {{ padding: 0.9vh 0.8vw !important; gap: 0.7vh !important;
  border: 0.25vh solid #111 !important; border-radius: 0.9vh !important; background: #f3f4f6; }}
.st-key-d_themes [data-testid="stElementContainer"] {{ width: 100% !important; }}
.st-key-d_themes [data-testid="stText"] {{ display: block !important; }}
.st-key-d_themes [data-testid="stText"] > span {{ display: -webkit-box; -webkit-box-orient: vertical; overflow: hidden;
  -webkit-line-clamp: {plan.card_lines}; }}
[class*="st-key-d_th_"] [data-testid="stText"] {{ font-size: 3.2vh !important; font-weight: 700;
  line-height: 1.2 !important; }}
[class*="st-key-d_th_"] [data-testid="stText"] > span {{ -webkit-line-clamp: {plan.header_lines}; }}
{small_headers}
[class*="st-key-d_card_"] {{ background: #fff; border: 0.15vh solid #555; border-radius: 0.6vh;
  padding: 0.5vh 0.6vw 0.5vh 1.9vw; box-shadow: inset 1.1vw 0 0 {NOT_SAID}; }}
{per_lens}
.d-size {{ display: flex; align-items: center; gap: 0.8vw; font-size: 2.8vh; line-height: 1.25; color: #111;
  margin: 0; }}
.d-lensbar {{ display: flex; flex: 1 1 auto; height: 1.6vh; border: 0.15vh solid #111; border-radius: 0.3vh;
  overflow: hidden; min-width: 4vw; }}
.d-lensbar i {{ display: block; height: 100%; }}
.d-lensbar i + i {{ border-left: 0.15vh solid #111; }}
.d-legend {{ display: flex; flex-wrap: wrap; align-items: center; gap: 0.4vh 1.6vw; font-size: 2.8vh; line-height: 1.25;
  color: #111; margin: 0; }}
.d-legend b {{ display: inline-block; width: 2.2vh; height: 2.2vh; border: 0.15vh solid #111; border-radius: 0.3vh;
  vertical-align: -0.3vh; margin-right: 0.4vw; }}
</style>
"""


def _legend(lenses: Sequence[Lens], more: int) -> str:
    items = "".join(
        f'<span><b style="background:{lens_colour(i)}"></b>{d.esc(lens_marker(i))} {d.esc(lens.name)}</span>'
        for i, lens in enumerate(lenses)
    )
    tail = f"<span>· {more} more {'theme' if more == 1 else 'themes'} on the laptop</span>" if more else ""
    return f'<div class="d-legend" data-testid="displayLensKey"><span>Who told them:</span>{items}{tail}</div>'


def _size_row(summary: ThemeSummary, by_name: dict[str, int]) -> str:
    segments = "".join(
        f'<i style="width:{share * 100:.1f}%;background:{lens_colour(by_name.get(name))}"></i>'
        for name, share in sorted(summary.lens_shares.items(), key=lambda item: by_name.get(item[0], 99))
    )
    count = f"<span>{d.esc(stories_phrase(summary.size))}</span>"
    return f'<div class="d-size">{count}<span class="d-lensbar">{segments}</span></div>'


def _cards(summary: ThemeSummary, consents: Sequence[str], limit: int) -> list[Story]:
    return [s for s in summary.stories if quotable(s, consents)][:limit]


def show(engine: Engine, workshop: Workshop, state: DisplayState) -> None:
    """Draw the themes view (16:9, readable from the back of the room)."""
    del state
    summaries = themes.board_summaries(engine, workshop)
    placed = [(position, s) for position, s in enumerate(summaries, start=1) if s.size]
    if not placed:
        d.heading("No themes yet: the facilitator finds them on the Themes screen.")
        return
    lenses = workshops.list_lenses(engine, workshop.id)
    order = {lens.key: i for i, lens in enumerate(lenses)}
    by_name = {lens.name: i for i, lens in enumerate(lenses)}
    consents = quote_consents(workshop)
    shown, more = placed[:MAX_TILES], len(placed) - MAX_TILES
    plan = plan_for(len(shown))
    st.html(_style(lenses, plan) + _legend(lenses, max(more, 0)))
    with st.container(key="d_themes"):
        for start in range(0, len(shown), plan.columns):
            row = st.columns(plan.columns, gap="small")
            for column, (position, summary) in zip(row, shown[start : start + plan.columns], strict=False):
                theme_id = summary.theme.id
                with column, st.container(key=f"d_tile_{theme_id}"):
                    name = numbered(position, summary.theme.label)
                    with st.container(key=f"d_th_{theme_id}"):
                        common.plain(name)
                    st.html(_size_row(summary, by_name))
                    for story in _cards(summary, consents, plan.cards):
                        index = order.get(story.lens_key or "")
                        lens_key = "n" if index is None else str(index)
                        with st.container(key=f"d_card_{theme_id}_{story.id}_lens{lens_key}x"):
                            common.plain(f"{lens_marker(index)} “{short_quote(story.text, plan.card_chars)}”")
