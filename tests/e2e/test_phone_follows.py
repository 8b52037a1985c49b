"""A phone on the vote page follows the room without losing an idea being typed."""

from __future__ import annotations

import pytest

from codesign import voting, workshops
from codesign.workshops import links
from codesign.workshops.kits import get_builtin_kit
from tests.e2e.conftest import PHONE

pytestmark = pytest.mark.browser

WAIT = 30_000  # generous: the condition matters, not the speed (bench/bench_display.py measures it)
HALF_TYPED = "A text message the day before, saying who"


def test_voting_starts_while_an_idea_is_half_typed(live_app, browser) -> None:  # type: ignore[no-untyped-def]
    engine = live_app.engine
    workshop = workshops.create_workshop(engine, "Follow the room", get_builtin_kit("living-well"))
    rnd = voting.open_round(engine, workshop.id, "How might we make the first visit easier?")
    voting.submit_idea(engine, rnd.id, "A map of the building", client_submission_id="f1", device_hash=None)

    phone = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True).new_page()
    phone.goto(links.join_url(workshop.code, base=live_app.url))
    phone.get_by_role("heading", name=workshop.title).wait_for(timeout=WAIT)
    phone.get_by_role("link", name="Ideas and votes", exact=True).click()
    box = phone.get_by_role("textbox", name="Your idea")
    box.fill(HALF_TYPED)

    voting.start_voting(engine, rnd.id)  # what the laptop's "Start voting" calls
    phone.get_by_text("Voting has started").wait_for(timeout=WAIT)
    assert box.input_value() == HALF_TYPED  # still there, and the phone says so
    phone.get_by_text("your words are still in the box").wait_for(timeout=WAIT)
    phone.get_by_role("button", name="Show the voting").click()
    phone.get_by_role("button", name="+ Add a dot").first.wait_for(timeout=WAIT)
    # The participant can still go back to add a story or withdraw one.
    assert phone.get_by_role("link", name="Add a story").count() == 1
    assert phone.get_by_role("link", name="Withdraw a story you shared").count() == 1
    phone.get_by_role("link", name="Add a story").click()
    phone.get_by_role("textbox", name="Your story").wait_for(timeout=WAIT)
    phone.context.close()
