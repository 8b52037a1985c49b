"""The room's display in a real browser: every view fits the screen and reads from the back of the room."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from codesign import demo, workshops

pytestmark = pytest.mark.browser

SIZES = [(1920, 1080), (1280, 720)]
# Figures (results, the curve, the map, the blueprint) draw their text
# in SVG; the sizes below are checked on the display's HTML text.
BODY_PX, NEWEST_PX, CODE_PX, ADDRESS_PX, BANNER_CODE_PX = 28, 40, 96, 32, 48

MEASURE = """
(view) => {
  const box = document.querySelector(`[class*="st-key-display_${view}"]`);
  const main = document.querySelector('[data-testid="stMain"]');
  const block = document.querySelector('[data-testid="stMainBlockContainer"]');
  const tall = Math.max(document.documentElement.scrollHeight, document.body.scrollHeight,
                        main ? main.scrollHeight : 0, block ? block.getBoundingClientRect().bottom : 0);
  const wide = Math.max(document.documentElement.scrollWidth, main ? main.scrollWidth : 0);
  const sizes = [];
  for (const el of box.querySelectorAll('*')) {
    if (el.closest('svg')) continue;
    const own = [...el.childNodes].some(n => n.nodeType === 3 && n.textContent.trim());
    const r = el.getBoundingClientRect();
    if (own && r.width > 0 && r.height > 0) {
      sizes.push([el.textContent.trim().slice(0, 40), parseFloat(getComputedStyle(el).fontSize)]);
    }
  }
  const px = (sel) => {
    const e = document.querySelector(sel);
    return e ? parseFloat(getComputedStyle(e).fontSize) : null;
  };
  const address = document.querySelector('[data-testid="displayJoinAddress"]');
  const qr = document.querySelector('.st-key-d_qr img');
  const newest = document.querySelector('.st-key-d_newest [data-testid="stText"] div')
              || document.querySelector('.st-key-d_newest [data-testid="stText"]');
  return {tall, wide, height: innerHeight, width: innerWidth, sizes,
          code: px('[data-testid="displayJoinCode"]'),
          address: address ? px('[data-testid="displayJoinAddress"]') : null,
          addressColour: address ? getComputedStyle(address).color : null,
          addressOpacity: address ? getComputedStyle(address).opacity : null,
          qr: qr ? qr.getBoundingClientRect().height : null,
          newest: newest ? parseFloat(getComputedStyle(newest).fontSize) : null,
          bannerCode: px('.d-banner .d-code')};
}
"""


def shots() -> Path | None:
    where = os.environ.get("CODESIGN_SCREENSHOTS")
    return Path(where) if where else None


@pytest.mark.parametrize(("width", "height"), SIZES, ids=[f"{w}x{h}" for w, h in SIZES])
def test_every_display_view_fits_and_is_legible(live_app, browser, width: int, height: int) -> None:  # type: ignore[no-untyped-def]
    engine = live_app.engine
    workshop = demo.load_demo(engine).workshop
    key = workshops.display_key(engine, workshop.id)
    workshops.start_display_timer(engine, workshop.id, 5)
    context = browser.new_context(viewport={"width": width, "height": height})
    screen = context.new_page()
    screen.goto(workshops.display.display_url(key, live_app.url))
    scale = height / 1080
    for view in workshops.display.VIEWS:
        workshops.show_on_display(engine, workshop.id, view)
        screen.locator(f'[class*="st-key-display_{view}"]').wait_for(timeout=30_000)
        if view in ("emotion", "journey", "blueprint"):
            screen.locator(".st-key-d_figure .main-svg").first.wait_for(timeout=30_000)
        if view == "themes":
            screen.locator('[class*="st-key-d_th_"]').first.wait_for(timeout=30_000)
        if view not in ("welcome", "pause", "timer"):
            screen.locator(f'[class*="st-key-display_{view}"] .d-banner .d-code').wait_for(timeout=30_000)
        if view == "stories":
            screen.locator('.st-key-d_newest [data-testid="stText"]').wait_for(timeout=30_000)
        if view == "welcome":
            screen.get_by_test_id("displayJoinCode").wait_for(timeout=30_000)
            screen.locator(".st-key-d_qr img").wait_for(timeout=30_000)
            screen.wait_for_function("document.querySelector('.st-key-d_qr img').complete", timeout=30_000)
        screen.wait_for_timeout(400)  # let the last element of this view land before measuring
        found = screen.evaluate(MEASURE, view)
        where = shots()
        if where is not None:
            where.mkdir(parents=True, exist_ok=True)
            screen.screenshot(path=str(where / f"display-{view}-{width}x{height}.png"))
        assert found["tall"] <= height + 1, (view, found["tall"])
        assert found["wide"] <= width + 1, (view, found["wide"])
        small = [(text, size) for text, size in found["sizes"] if size < BODY_PX * scale - 0.5]
        assert not small, (view, small)
        if view == "welcome":
            assert found["code"] >= CODE_PX * scale, found["code"]
            assert found["address"] >= ADDRESS_PX * scale, found["address"]
            assert found["addressColour"] == "rgb(0, 0, 0)" and found["addressOpacity"] == "1"
            assert found["qr"] >= 0.4 * height, found["qr"]
        elif view not in ("pause", "timer"):
            assert found["bannerCode"] >= BANNER_CODE_PX * scale, (view, found["bannerCode"])
        if view == "stories":
            assert found["newest"] >= NEWEST_PX * scale, found["newest"]
    context.close()
