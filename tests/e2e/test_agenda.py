"""The agenda in a real browser: the laptop moves the room on, the projector's Now / next follows and fits."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from codesign import workshops
from codesign.workshops.kits import get_builtin_kit
from tests.conftest import TEST_PASSCODE

pytestmark = pytest.mark.browser

WAIT = 30_000  # generous: the condition matters, not the speed
SIZES = [(1920, 1080), (1280, 720)]


def _tall(page) -> float:  # type: ignore[no-untyped-def]
    return float(
        page.evaluate(
            """() => {
      const main = document.querySelector('[data-testid="stMain"]');
      const block = document.querySelector('[data-testid="stMainBlockContainer"]');
      return Math.max(document.documentElement.scrollHeight, main ? main.scrollHeight : 0,
                      block ? block.getBoundingClientRect().bottom : 0);
    }"""
        )
    )


def _font(page, test_id: str, selector: str) -> float:  # type: ignore[no-untyped-def]
    element = page.get_by_test_id(test_id).locator(selector).first
    return float(element.evaluate("e => parseFloat(getComputedStyle(e).fontSize)"))


def test_the_laptop_moves_the_room_on_and_the_display_shows_now_and_next(live_app, browser) -> None:  # type: ignore[no-untyped-def]
    engine = live_app.engine
    workshop = workshops.create_workshop(engine, "Agenda room", get_builtin_kit("living-well"))
    plan = workshops.workshop_agenda(engine, workshop)
    key = workshops.display_key(engine, workshop.id)

    laptop = browser.new_context(viewport={"width": 1440, "height": 900}).new_page()
    laptop.goto(f"{live_app.url}/agenda")
    laptop.get_by_label("Facilitator passcode").fill(TEST_PASSCODE)
    laptop.get_by_role("button", name="Sign in").click()
    laptop.get_by_role("button", name="Show Now / next on the display").click()

    projectors = []
    for width, height in SIZES:
        context = browser.new_context(viewport={"width": width, "height": height})
        screen = context.new_page()
        screen.goto(workshops.display.display_url(key, live_app.url))
        screen.get_by_test_id("displayNext").wait_for(timeout=WAIT)
        projectors.append((screen, width, height))
    for screen, _w, _h in projectors:
        screen.get_by_test_id("displayNow").get_by_text("Starting soon").wait_for(timeout=WAIT)
        screen.get_by_test_id("displayNext").get_by_text(plan.items[0].title).wait_for(timeout=WAIT)

    laptop.get_by_role("button", name="Start the first item").click()
    for screen, _w, _h in projectors:
        screen.get_by_test_id("displayNow").get_by_text(plan.items[0].title).wait_for(timeout=WAIT)
        screen.get_by_test_id("displayNext").get_by_text(plan.items[1].title).wait_for(timeout=WAIT)
    laptop.get_by_role("button", name="Next item").click()
    where = os.environ.get("CODESIGN_SCREENSHOTS")
    for screen, width, height in projectors:
        screen.get_by_test_id("displayNow").get_by_text(plan.items[1].title).wait_for(timeout=WAIT)
        screen.get_by_test_id("displayNext").get_by_text(plan.items[2].title).wait_for(timeout=WAIT)
        screen.get_by_test_id("displayNow").get_by_text(f"{plan.items[1].minutes} min left").wait_for(timeout=WAIT)
        # Fits without scrolling; legible from the back (28 px body at 1080p, scaled for 720p).
        assert _tall(screen) <= height + 1
        scale = height / 1080
        assert _font(screen, "displayNow", ".d-now-title") >= 40 * scale
        assert _font(screen, "displayNext", ".d-next-title") >= 40 * scale
        assert _font(screen, "displayNow", ".d-what") >= 28 * scale
        if where:
            Path(where).mkdir(parents=True, exist_ok=True)
            screen.screenshot(path=str(Path(where) / f"display-agenda-{width}x{height}.png"))
        screen.context.close()
    laptop.context.close()
