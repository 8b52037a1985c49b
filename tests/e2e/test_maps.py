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


# The stakeholder network (its key changes after each click, to clear the chart's selection).
NET = "document.querySelector('[class*=\"st-key-stakeholder_network_\"] .js-plotly-plot')"
# Where a stakeholder (or, for -1, the click-to-place grid point farthest from every stakeholder)
# is drawn: its data position and its place on the screen, from the figure's computed layout.
WHERE = """
(id) => {
  const gd = NET;
  gd.scrollIntoView({block: 'center'});  // the whole drawing on screen, so a click lands on it
  const full = gd._fullLayout;
  const plot = gd.querySelector('.main-svg').getBoundingClientRect();
  const screen = (x, y) => [plot.left + full.xaxis._offset + full.xaxis.l2p(x),
                            plot.top + full.yaxis._offset + full.yaxis.l2p(y)];
  const ids = (t) => (t.customdata || []).map((c) => (Array.isArray(c) ? c[0] : c));
  const nodes = [];
  let found = null;
  gd.data.forEach((t) => ids(t).forEach((c, i) => {
    if (c >= 0) nodes.push([t.x[i], t.y[i]]);
    if (c === id && id >= 0) found = [t.x[i], t.y[i]];
  }));
  if (id < 0) {
    let best = -1;
    gd.data.forEach((t) => ids(t).forEach((c, i) => {
      if (c !== -1) return;
      const [px, py] = screen(t.x[i], t.y[i]);
      const gaps = nodes.map(([x, y]) => { const [qx, qy] = screen(x, y); return Math.hypot(px - qx, py - qy); });
      const near = Math.min(...gaps);
      if (near > best) { best = near; found = [t.x[i], t.y[i]]; }
    }));
  }
  return found && {data: found, screen: screen(found[0], found[1])};
}
""".replace("NET", NET)


def test_a_stakeholder_placed_on_the_network_keeps_its_place_after_a_reload(live_app, browser) -> None:  # type: ignore[no-untyped-def]
    from codesign import network

    workshop = demo.load_demo(live_app.engine).workshop
    person = network.sorted_by_name(network.list_stakeholders(live_app.engine, workshop.id))[0]
    context = browser.new_context(viewport=LAPTOP)
    page = context.new_page()
    sign_in(page, f"{live_app.url}/stakeholders")
    page.get_by_text("Arrange the map").wait_for(timeout=90_000)
    page.get_by_text("Arrange the map").click()
    page.get_by_text("Click a stakeholder to pick it up, then click where it should go.").wait_for(timeout=90_000)
    page.wait_for_function(f"() => {NET}?.data?.some((t) => (t.customdata || []).includes(-1))", timeout=90_000)
    before = page.evaluate(WHERE, person.id)
    page.mouse.click(*before["screen"])
    page.get_by_text(f"Now click where {person.name} should go").wait_for(timeout=90_000)
    page.wait_for_function(f"() => {NET}?.data?.some((t) => (t.customdata || []).includes(-1))", timeout=90_000)
    spot = page.evaluate(WHERE, -1)
    page.mouse.click(*spot["screen"])
    page.get_by_text(f"Moved {person.name}.").wait_for(timeout=90_000)
    shot(page, "stakeholder-placed-1440", '[class*="st-key-stakeholder_network_"]')
    saved = network.load_layout(live_app.engine, workshop.id)[person.id]
    assert saved == pytest.approx(tuple(spot["data"]), abs=1e-4)  # positions are kept to 5 places
    assert saved != pytest.approx(tuple(before["data"]), abs=1e-3)
    page.reload()
    page.get_by_text("Arrange the map").wait_for(timeout=90_000)
    page.wait_for_function(f"() => {NET}?.data?.length > 0", timeout=90_000)
    after = page.evaluate(WHERE, person.id)
    assert tuple(after["data"]) == pytest.approx(saved, abs=1e-6)
    context.close()


def test_a_half_filled_relationship_row_is_kept_back_and_marked_in_the_browser(live_app, browser) -> None:  # type: ignore[no-untyped-def]
    from codesign import network

    workshop = demo.load_demo(live_app.engine).workshop
    links = len(network.load_network(live_app.engine, workshop.id)[1])
    context = browser.new_context(viewport=LAPTOP)
    page = context.new_page()
    sign_in(page, f"{live_app.url}/stakeholders")
    page.get_by_role("tab", name="Edit the map").wait_for(timeout=90_000)
    page.get_by_role("tab", name="Edit the map").click()
    grid = page.locator(".st-key-relationships_editor_0")
    grid.wait_for(timeout=90_000)
    grid.scroll_into_view_if_needed()
    grid.hover()
    # The editor's own "Add row" button, then type a note only: From, To and Type stay empty.
    table = ".st-key-relationships_editor_0 table[role=grid]"
    rows = int(page.locator(table).get_attribute("aria-rowcount") or 0)
    grid.get_by_role("button", name="Add row").click()
    # The grid scrolls to the new row: wait until it is drawn (its accessible row is there too).
    # (Row 1 is the header and the last the grid's own "add" row, so the new row is number ``rows``.)
    page.wait_for_function(
        f"() => document.querySelector('{table}').getAttribute('aria-rowcount') == {rows + 1}"
        f" && document.querySelector('{table} tr[aria-rowindex=\"{rows}\"]') !== null",
        timeout=90_000,
    )
    # The new row is the last one shown: click its last column ("Kept back: needs", read-only),
    # then step left to Note, as a person using the keyboard would.
    box = grid.locator("canvas").first.bounding_box()
    page.mouse.click(box["x"] + box["width"] - 60, box["y"] + box["height"] - 18)
    page.wait_for_function(
        f'() => document.querySelector(\'{table} tr[aria-rowindex="{rows}"] td[aria-colindex="7"]\')'
        "?.getAttribute('aria-selected') === 'true'",
        timeout=90_000,
    )
    page.keyboard.press("ArrowLeft")
    # Typing goes to the selected cell: wait until the new row's Note (column 6) is the one.
    page.wait_for_function(
        f'() => document.querySelector(\'{table} tr[aria-rowindex="{rows}"] td[aria-colindex="6"]\')'
        "?.getAttribute('aria-selected') === 'true'",
        timeout=90_000,
    )
    # Enter opens the grid's cell editor (typed keys would open it too, but the first few can be
    # lost while it opens); Enter again closes it and keeps the text in the row.
    page.keyboard.press("Enter")
    page.locator("textarea.gdg-input").wait_for(timeout=90_000)
    page.keyboard.type("Ask who funds the peer line")
    page.wait_for_function(
        "() => document.querySelector('textarea.gdg-input')?.value === 'Ask who funds the peer line'", timeout=90_000
    )
    page.keyboard.press("Enter")
    page.locator("textarea.gdg-input").wait_for(state="detached", timeout=90_000)
    # The grid holds the note, and the app has taken the edit (no run in progress), before Save:
    # a person's next click is never as quick as the keyboard's.
    page.wait_for_function(
        f'() => document.querySelector(\'{table} tr[aria-rowindex="{rows}"] td[aria-colindex="6"]\')'
        "?.textContent.includes('Ask who funds the peer line')",
        timeout=90_000,
    )
    page.locator('[data-testid="stStatusWidget"]').wait_for(state="detached", timeout=90_000)
    page.get_by_role("button", name="Save relationships").click()
    try:
        page.locator("[data-testid=stAlertContentSuccess]", has_text="1 row kept back as incomplete").wait_for(
            timeout=90_000
        )
    finally:
        shot(page, "relationship-saved-1440")
    kept = network.load_kept_back(live_app.engine, workshop.id)["relationships"]
    assert [row["note"] for row in kept] == ["Ask who funds the peer line"]
    assert "From" in kept[0]["missing"] and "To" in kept[0]["missing"] and "Type" in kept[0]["missing"]
    assert len(network.load_network(live_app.engine, workshop.id)[1]) == links  # nothing else changed
    # Shown again after the save (and after a reload), at the end of the table with its marker.
    page.reload()
    page.get_by_role("tab", name="Edit the map").wait_for(timeout=90_000)
    page.get_by_role("tab", name="Edit the map").click()
    grid = page.locator(".st-key-relationships_editor_0")
    grid.wait_for(timeout=90_000)
    # Its accessible row is drawn once the grid is scrolled to its end.
    # The grid draws only the rows in view: scroll it down until the kept-back row is drawn.
    found = (
        "() => [...document.querySelectorAll('" + table + " td')].some((c) => c.textContent.includes('Ask who funds'))"
    )
    for _ in range(90):
        grid.hover()
        page.mouse.wheel(0, 5000)
        if page.evaluate(found):
            break
        page.wait_for_timeout(1000)
    page.wait_for_function(found, timeout=90_000)
    cells = page.evaluate(
        f"() => [...document.querySelectorAll('{table} tr')].map((r) => [...r.cells].map((c) => c.textContent))"
    )
    (row,) = [r for r in cells if any("Ask who funds" in c for c in r)]
    assert "Needs: From, To, Type" in row, row
    grid.scroll_into_view_if_needed()
    shot(page, "relationship-kept-back-1440", ".st-key-relationships_editor_0")
    context.close()
