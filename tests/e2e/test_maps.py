"""The stakeholder map, the journey map and the blueprint in a real browser at laptop and projector sizes."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any

import pytest

from codesign import demo, journeys
from codesign.storage import journeys as journey_repo
from tests.conftest import TEST_PASSCODE
from tests.e2e.conftest import PROJECTOR

pytestmark = pytest.mark.browser

# The charts in the page, found by their Streamlit keys (hidden tabs hold other charts).
BP = "document.querySelector('.st-key-blueprint_figure .js-plotly-plot')"


def js(code: str) -> str:
    """A script with the chart names filled in."""
    return code.replace("BP", BP)


LAPTOP = {"width": 1440, "height": 900}
# Screenshots to look at (not assertions): in the temporary folder unless CODESIGN_SHOTS says where.
SHOTS = Path(os.environ.get("CODESIGN_SHOTS", tempfile.gettempdir())) / "codesign-shots"

# Every item annotation of the blueprint against its cell, from the figure's computed layout and
# the text's box in the page: [name, text box, cell box] for each one outside its cell.
OUTSIDE_CELLS = js("""
() => {
  const gd = BP;
  const full = gd._fullLayout;
  const plot = gd.querySelector('.main-svg').getBoundingClientRect();
  const cells = full.meta.cells;
  const px = (x, y) => [
    plot.left + full.xaxis._offset + full.xaxis.l2p(x),
    plot.top + full.yaxis._offset + full.yaxis.l2p(y),
  ];
  const bad = [];
  let checked = 0;
  gd.layout.annotations.forEach((a, k) => {
    if (!a.name || !a.name.startsWith('cell:')) return;
    const [x0, y0, x1, y1] = cells[a.name];
    const [left, bottom] = px(x0, y0);
    const [right, top] = px(x1, y1);
    const el = gd.querySelector(`.annotation[data-index="${k}"] .annotation-text`);
    const box = el.getBoundingClientRect();
    checked += 1;
    if (box.left < left - 1 || box.right > right + 1 || box.top < top - 1 || box.bottom > bottom + 1) {
      bad.push([a.name, [box.left, box.top, box.right, box.bottom], [left, top, right, bottom]]);
    }
  });
  return {checked, bad, width: full.width, container: gd.parentElement.getBoundingClientRect().width};
}
""")


def sign_in(page: Any, url: str) -> None:
    page.goto(url)
    page.get_by_label("Facilitator passcode").wait_for(timeout=90_000)
    page.get_by_label("Facilitator passcode").fill(TEST_PASSCODE)
    page.get_by_role("button", name="Sign in").click()


def shot(page: Any, name: str, element: str | None = None) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)
    if element is not None:
        page.locator(element).first.screenshot(path=str(SHOTS / f"{name}-figure.png"))


@pytest.mark.parametrize(("viewport", "screen"), [(LAPTOP, "Laptop (1440 px)"), (PROJECTOR, None)])
def test_blueprint_has_no_item_text_outside_its_cell(live_app, browser, viewport, screen) -> None:  # type: ignore[no-untyped-def]
    workshop = demo.load_demo(live_app.engine).workshop
    assert journeys.load_blueprint(live_app.engine, workshop).items
    context = browser.new_context(viewport=viewport)
    page = context.new_page()
    sign_in(page, f"{live_app.url}/blueprint")
    page.get_by_text("Drawn for").wait_for(timeout=90_000)
    if screen is None:
        page.get_by_text("Large screen or projector (1920 px)").click()
        page.wait_for_function(
            js("() => BP?._fullLayout?.width === 1450"),
            timeout=90_000,
        )
    page.wait_for_function(
        js("() => BP?.querySelectorAll('.annotation').length > 10"),
        timeout=90_000,
    )
    result = page.evaluate(OUTSIDE_CELLS)
    shot(page, f"blueprint-{viewport['width']}", ".st-key-blueprint_figure")
    assert result["checked"] > 10
    assert result["bad"] == []
    assert result["width"] <= result["container"] + 1  # the figure is not wider than the column it sits in
    context.close()


def test_undo_restores_a_deleted_journey_item_in_the_browser(live_app, browser) -> None:  # type: ignore[no-untyped-def]
    workshop = demo.load_demo(live_app.engine).workshop
    stage = journeys.load_journey_map(live_app.engine, workshop).stages[0].stage
    item = journeys.add_item(live_app.engine, workshop.id, stage.id, "doing", "Asks a neighbour to come along")
    context = browser.new_context(viewport=LAPTOP)
    page = context.new_page()
    sign_in(page, f"{live_app.url}/journey")
    page.get_by_role("tab", name="Edit items").wait_for(timeout=90_000)
    page.get_by_role("tab", name="Edit items").click()
    page.get_by_role("button", name="Save grid changes").wait_for(timeout=90_000)
    # Someone removes the item (here through the service, as the grid's save does).
    journey_repo.save_journey_edits(live_app.engine, workshop.id, deleted=[item], summary="Removed an item")
    assert item not in {c.id for c in journey_repo.list_journey_cells(live_app.engine, workshop.id)}
    page.reload()  # the sign-in lasts across a reload
    page.get_by_text("History and undo").wait_for(timeout=90_000)
    page.get_by_text("History and undo").click()
    page.get_by_text("Last change: Removed an item").wait_for(timeout=90_000)
    page.get_by_role("button", name="Undo the last change").click()
    page.get_by_text("Undone: Removed an item").wait_for(timeout=90_000)
    shot(page, "journey-undone-1440")
    cells = {c.id: c for c in journey_repo.list_journey_cells(live_app.engine, workshop.id)}
    assert cells[item].text == "Asks a neighbour to come along"
    context.close()
