"""Running the room with three browsers: the laptop steers, the projector follows, a phone follows the room."""

from __future__ import annotations

import re

import pytest

from codesign import workshops
from codesign.workshops import links
from codesign.workshops.kits import get_builtin_kit
from tests.conftest import TEST_PASSCODE
from tests.e2e.conftest import PHONE, PROJECTOR

pytestmark = pytest.mark.browser

LAPTOP = {"width": 1440, "height": 900}
DRAFT = "The waiting room had nobody to ask about how long it would be."
WAIT = 30_000  # generous: the condition matters, not the speed (the bench measures that)


def _sign_in(page, url: str, path: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{url}/{path}")
    page.get_by_label("Facilitator passcode").fill(TEST_PASSCODE)
    page.get_by_role("button", name="Sign in").click()


def _waiting(page) -> str:  # type: ignore[no-untyped-def]
    metric = page.locator('[data-testid="stMetric"]').filter(has_text="Stories waiting for review")
    return str(metric.locator('[data-testid="stMetricValue"]').inner_text()).strip()


def test_laptop_steers_the_projector_and_phones_follow_the_room(live_app, browser) -> None:  # type: ignore[no-untyped-def]
    engine = live_app.engine
    workshop = workshops.create_workshop(engine, "Room test", get_builtin_kit("living-well"))
    key = workshops.display_key(engine, workshop.id)

    # The projector opens the display link: no passcode, no menu, the welcome with the code.
    projector_context = browser.new_context(viewport=PROJECTOR)
    projector = projector_context.new_page()
    projector.goto(workshops.display.display_url(key, live_app.url))
    projector.get_by_test_id("displayJoinCode").wait_for(timeout=WAIT)
    assert projector.get_by_test_id("displayJoinCode").inner_text() == workshop.code
    assert projector.get_by_label("Facilitator passcode").count() == 0
    assert projector.get_by_test_id("stSidebar").count() == 0

    # The laptop signs in on its Display screen and switches views; the projector follows.
    laptop_context = browser.new_context(viewport=LAPTOP)
    laptop = laptop_context.new_page()
    _sign_in(laptop, live_app.url, "wall")
    laptop.get_by_text("Show on the display").wait_for(timeout=WAIT)
    for label, view in (("Stories", "stories"), ("Themes", "themes"), ("Timer", "timer")):
        laptop.get_by_test_id("stRadio").get_by_text(label, exact=True).click()
        projector.locator(f".st-key-display_{view}").wait_for(timeout=WAIT)
    laptop.get_by_test_id("stRadio").get_by_text("Themes", exact=True).click()
    projector.locator(".st-key-display_themes").wait_for(timeout=WAIT)

    # The projector reloads (or the computer behind it restarts the browser): same view, no passcode.
    projector.reload()
    projector.locator(".st-key-display_themes").wait_for(timeout=WAIT)
    assert projector.get_by_label("Facilitator passcode").count() == 0
    # The key opens no facilitator screen, whatever address it is put on.
    for path in ("moderation", "wall", "workshops", "export"):
        projector.goto(f"{live_app.url}/{path}?key={key}")
        # The display reloads itself once with its size in the address; check the page it settles on.
        projector.wait_for_url(re.compile(r"[?&]screen=\d+x\d+"), timeout=WAIT)
        projector.locator(".st-key-display_themes").wait_for(timeout=WAIT)
        assert projector.get_by_label("Facilitator passcode").count() == 0
        assert projector.get_by_test_id("stSidebar").count() == 0
        assert projector.get_by_role("button").count() == 0
    projector_context.close()
    again = browser.new_context(viewport=PROJECTOR).new_page()
    again.goto(workshops.display.display_url(key, live_app.url))
    again.locator(".st-key-display_themes").wait_for(timeout=WAIT)
    again.context.close()

    # A phone joins and starts typing a story.
    phone_context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    phone = phone_context.new_page()
    phone.goto(links.join_url(workshop.code, base=live_app.url))
    phone.get_by_role("heading", name=workshop.title).wait_for(timeout=WAIT)
    phone.get_by_role("textbox", name="Your story").fill(DRAFT)

    # The laptop opens an ideas round and starts the voting; the phone is told, and keeps its draft.
    laptop.goto(f"{live_app.url}/ideas")
    laptop.get_by_role("textbox", name="Question").fill("How might we make waiting easier?")
    laptop.get_by_role("button", name="Open the round").click()
    phone.get_by_text("Ideas are open: add yours").wait_for(timeout=WAIT)
    laptop.get_by_role("button", name="Start voting").click()
    phone.get_by_text("Voting has started").wait_for(timeout=WAIT)
    assert phone.get_by_role("textbox", name="Your story").input_value() == DRAFT
    assert phone.get_by_role("link", name="Go to ideas and votes").count() == 1

    # The laptop watches the moderation queue; the phone shares; the count rises by itself.
    laptop.goto(f"{live_app.url}/moderation")
    laptop.get_by_text("Stories waiting for review").wait_for(timeout=WAIT)
    assert _waiting(laptop) == "0"
    phone.get_by_role("button", name="Preview my story").click()
    phone.get_by_role("button", name="Share my story").click()
    phone.get_by_text("Thank you. Your story has been shared").wait_for(timeout=WAIT)
    laptop.wait_for_function(
        """() => [...document.querySelectorAll('[data-testid="stMetric"]')]
                 .some(m => m.innerText.includes('Stories waiting for review') && m.innerText.includes('1'))""",
        timeout=WAIT,
    )
    assert laptop.get_by_label("Facilitator passcode").count() == 0
    phone_context.close()
    laptop_context.close()
