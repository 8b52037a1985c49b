"""The display's themes view in a real browser: the room's board of cards fits the screen at any
number of themes, reads from the back, names themes as the Themes screen does, marks each card's
lens by a colour that survives greyscale, and follows a change on the laptop by itself."""

from __future__ import annotations

import itertools

import pytest

from codesign import demo, workshops
from codesign.charts.themes import LENS_COLOURS
from codesign.storage import themes as repo
from codesign.themes import service as themes
from tests.e2e.test_display import BODY_PX, MEASURE, shots

pytestmark = pytest.mark.browser

SIZES = [(1920, 1080), (1280, 720)]
# The demo's own board, then boards of more and more themes (the Themes screen asks up to 40).
THEME_COUNTS = [None, 4, 8, 12, 20, 40]

TILES = """
() => [...document.querySelectorAll('[class*="st-key-d_th_"] [data-testid="stText"]')]
  .map(e => e.textContent.trim())
"""
CARD_COLOURS = """
() => [...document.querySelectorAll('[class*="st-key-d_card_"]')].map(e => {
  const m = e.className.match(/_lens(\\w+)x/);
  return [m ? m[1] : null, getComputedStyle(e).boxShadow];
})
"""


def grey(hex_colour: str) -> float:
    """Relative luminance (WCAG), as a greyscale projector or print would show the colour."""

    def channel(c: int) -> float:
        v = c / 255
        return v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4

    r, g, b = (int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def test_lens_colours_differ_in_greyscale() -> None:
    # The kit's lenses (up to four in every shipped kit) must stay apart without colour.
    greys = sorted(grey(c) for c in LENS_COLOURS[:4])
    assert all(b - a > 0.1 for a, b in itertools.pairwise(greys)), greys


@pytest.mark.parametrize(("width", "height"), SIZES, ids=[f"{w}x{h}" for w, h in SIZES])
def test_themes_board_fits_reads_and_follows_the_laptop(live_app, browser, width: int, height: int) -> None:  # type: ignore[no-untyped-def]
    engine = live_app.engine
    workshop = demo.load_demo(engine).workshop
    workshops.show_on_display(engine, workshop.id, "themes")
    key = workshops.display_key(engine, workshop.id)
    context = browser.new_context(viewport={"width": width, "height": height})
    screen = context.new_page()
    screen.goto(workshops.display.display_url(key, live_app.url))
    scale = height / 1080
    for count in THEME_COUNTS:
        if count is not None:
            for theme in repo.list_board(engine, workshop.id):  # start afresh: every story free again
                themes.delete_theme(engine, workshop.id, theme.id)
            themes.find_themes(engine, workshop, k=count)
        board = repo.list_board(engine, workshop.id)
        # Numbered and named as on the Themes screen: the board's place, empty themes counted.
        expected = [f"{i}. {t.label}" for i, t in enumerate(board, start=1) if t.size]
        headers = [c.header for c in themes.board_columns(engine, workshop)]
        assert all(any(h.startswith(name + " · ") for h in headers) for name in expected)
        # The display follows the new board by itself (its fragment redraws every second).
        same = f"(want) => JSON.stringify(({TILES})()) === JSON.stringify(want)"
        screen.wait_for_function(same, arg=expected[:40], timeout=60_000)
        screen.wait_for_timeout(400)  # let the last card land before measuring
        found = screen.evaluate(MEASURE, "themes")
        where = shots()
        if where is not None:
            where.mkdir(parents=True, exist_ok=True)
            screen.screenshot(path=str(where / f"display-themes-{count or 'demo'}-{width}x{height}.png"))
        assert found["tall"] <= height + 1, (count, found["tall"])
        assert found["wide"] <= width + 1, (count, found["wide"])
        small = [(text, size) for text, size in found["sizes"] if size < BODY_PX * scale - 0.5]
        assert not small, (count, small)
        # Each card's mark is its lens's colour (kit order), the same as the key above the board.
        lenses = workshops.list_lenses(engine, workshop.id)
        for lens, shadow in screen.evaluate(CARD_COLOURS):
            if lens != "n":
                r, g, b = (int(LENS_COLOURS[int(lens)][i : i + 2], 16) for i in (1, 3, 5))
                assert f"rgb({r}, {g}, {b})" in shadow, (lens, shadow)
        key_text = screen.get_by_test_id("displayLensKey").inner_text()
        assert all(lens.name in key_text for lens in lenses)

    # A change on the laptop reaches the wall by itself: the display is never touched.
    first = next(t for t in repo.list_board(engine, workshop.id) if t.size)
    themes.rename_theme(engine, workshop.id, first.id, "Nobody rang back")
    position = [t.id for t in repo.list_board(engine, workshop.id)].index(first.id) + 1
    screen.locator('[class*="st-key-d_th_"]', has_text=f"{position}. Nobody rang back").wait_for(timeout=60_000)
    context.close()
