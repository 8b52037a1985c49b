"""The facilitator's sign-in in a real browser: a working day across reloads, tabs and browser restarts."""

from __future__ import annotations

import time

import pytest

from codesign import workshops
from codesign.workshops import signin
from codesign.workshops.kits import get_builtin_kit
from tests.conftest import TEST_PASSCODE

pytestmark = pytest.mark.browser

LAPTOP = {"width": 1440, "height": 900}
WAIT = 30_000


def test_sign_in_lasts_across_reloads_tabs_and_a_browser_restart(live_app, browser) -> None:  # type: ignore[no-untyped-def]
    workshops.create_workshop(live_app.engine, "Sign-in test", get_builtin_kit("living-well"))
    context = browser.new_context(viewport=LAPTOP)
    requested: list[str] = []
    context.on("request", lambda request: requested.append(request.url))
    laptop = context.new_page()
    laptop.goto(f"{live_app.url}/moderation")
    laptop.get_by_label("Facilitator passcode").fill(TEST_PASSCODE)
    laptop.get_by_role("button", name="Sign in").click()
    laptop.get_by_role("heading", name="Moderation").wait_for(timeout=WAIT)
    assert laptop.url.startswith(f"{live_app.url}/moderation")
    assert not any(TEST_PASSCODE in url for url in requested)  # the passcode never goes into an address

    [cookie] = [c for c in context.cookies() if c["name"] == signin.COOKIE_NAME]
    assert cookie["httpOnly"] and cookie["sameSite"] == "Strict" and cookie["path"] == "/"
    assert 11.5 * 3600 < cookie["expires"] - time.time() <= 12 * 3600 + 60
    assert signin.COOKIE_NAME not in laptop.evaluate("document.cookie")  # out of reach of scripts

    laptop.reload()
    laptop.get_by_role("heading", name="Moderation").wait_for(timeout=WAIT)
    second_tab = context.new_page()
    second_tab.goto(f"{live_app.url}/wall")
    second_tab.get_by_role("heading", name="Display").wait_for(timeout=WAIT)
    assert second_tab.get_by_label("Facilitator passcode").count() == 0

    # The browser is closed and opened again: its cookies come back, and so does the sign-in.
    saved = context.storage_state()
    context.close()
    restarted = browser.new_context(viewport=LAPTOP, storage_state=saved)
    again = restarted.new_page()
    again.goto(f"{live_app.url}/workshops")
    again.get_by_role("heading", name="Workshops").wait_for(timeout=WAIT)
    assert again.get_by_label("Facilitator passcode").count() == 0

    # Signing out ends it for this browser.
    again.get_by_role("button", name="Sign out").click()
    again.get_by_label("Facilitator passcode").wait_for(timeout=WAIT)
    assert not [c for c in restarted.cookies() if c["name"] == signin.COOKIE_NAME]
    again.goto(f"{live_app.url}/moderation")
    again.get_by_label("Facilitator passcode").wait_for(timeout=WAIT)
    restarted.close()


def test_a_forged_or_used_sign_in_ticket_signs_nobody_in(live_app, browser) -> None:  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport=LAPTOP)
    page = context.new_page()
    response = page.goto(f"{live_app.url}/_codesign/signin?ticket=made-up&next=/workshops")
    assert response is not None and response.status == 400
    assert not [c for c in context.cookies() if c["name"] == signin.COOKIE_NAME]
    page.goto(f"{live_app.url}/workshops")
    page.get_by_label("Facilitator passcode").wait_for(timeout=WAIT)
    context.add_cookies([{"name": signin.COOKIE_NAME, "value": "v1.1700000000.00", "url": live_app.url}])
    page.reload()
    page.get_by_label("Facilitator passcode").wait_for(timeout=WAIT)
    context.close()
