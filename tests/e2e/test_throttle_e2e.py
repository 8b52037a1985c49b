"""Through the real server: a new browser and a forged X-Forwarded-For per guess are still one client."""

from __future__ import annotations

import re

import pytest

from codesign.workshops import PASSCODE

pytestmark = pytest.mark.browser

LAPTOP = {"width": 1280, "height": 800}


def _try(live_app, browser, passcode: str, forged: str) -> str:  # type: ignore[no-untyped-def]
    # A fresh browser context: new cookies, new Streamlit session, and a different forged address.
    context = browser.new_context(viewport=LAPTOP, extra_http_headers={"X-Forwarded-For": forged})
    page = context.new_page()
    page.goto(f"{live_app.url}/workshops")
    page.get_by_label("Facilitator passcode").fill(passcode)
    page.get_by_role("button", name="Sign in").click()
    alert = page.get_by_text(re.compile("didn't work|Please wait about")).first
    alert.wait_for(timeout=60_000)
    text = alert.inner_text()
    context.close()
    return text


def test_forged_addresses_and_new_sessions_do_not_buy_more_guesses(live_app, browser) -> None:  # type: ignore[no-untyped-def]
    client, everyone = PASSCODE.scopes
    # Fewer tries than everyone's allowance: only the per-client count can slow these down, and
    # it can only if every fresh session with its forged address is still seen as one client.
    tries = client.free + 6
    assert tries < everyone.free
    answers = []
    for guess in range(tries):
        answers.append(_try(live_app, browser, f"guess-{guess}", f"203.0.113.{guess + 1}"))
        if "Please wait about" in answers[-1]:
            break
    assert "Please wait about" in answers[-1], answers
    assert all("didn't work" in a for a in answers[: client.free])
