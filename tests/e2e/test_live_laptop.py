"""The laptop keeps up by itself in a real browser: the ideas queue, the moderation tabs, the timer's end."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from codesign import stories, voting, workshops
from codesign.storage import display as display_repo
from codesign.workshops.kits import get_builtin_kit
from tests.conftest import TEST_PASSCODE
from tests.e2e.conftest import PROJECTOR

pytestmark = pytest.mark.browser

WAIT = 30_000  # generous: the condition matters, not the speed (bench/bench_display.py measures it)
LAPTOP = {"width": 1440, "height": 900}


def _laptop(browser, url: str, path: str):  # type: ignore[no-untyped-def]
    page = browser.new_context(viewport=LAPTOP).new_page()
    page.goto(f"{url}/{path}")
    page.get_by_label("Facilitator passcode").fill(TEST_PASSCODE)
    page.get_by_role("button", name="Sign in").click()
    return page


def test_ideas_arrive_by_themselves_and_a_flagged_one_needs_the_review(live_app, browser) -> None:  # type: ignore[no-untyped-def]
    engine = live_app.engine
    workshop = workshops.create_workshop(engine, "Ideas live", get_builtin_kit("living-well"))
    rnd = voting.open_round(engine, workshop.id, "How might we make evenings easier?")
    laptop = _laptop(browser, live_app.url, "ideas")
    laptop.get_by_text("No ideas yet").wait_for(timeout=WAIT)
    phone = workshops.hash_device("f" * 32)
    voting.submit_idea(
        engine, rnd.id, "An evening drop-in at the library", client_submission_id="e1", device_hash=phone
    )
    laptop.get_by_text("An evening drop-in at the library").wait_for(timeout=WAIT)
    flagged = voting.submit_idea(
        engine, rnd.id, "I am going to take all my tablets tonight.", client_submission_id="e2", device_hash=phone
    ).idea
    card = laptop.locator(f".st-key-idea-review-{flagged.id}")
    card.get_by_text("I am going to take all my tablets tonight.").wait_for(timeout=WAIT)
    assert card.get_by_role("button", name="Reviewed: approve").count() == 1
    assert card.get_by_role("button", name="Approve", exact=True).count() == 0
    card.get_by_role("button", name="Reviewed: keep hidden").click()
    card.wait_for(state="detached", timeout=WAIT)
    assert voting.flagged_ideas(engine, workshop.id) == []
    laptop.context.close()


def test_the_chosen_moderation_tab_stays_open_as_stories_arrive(live_app, browser) -> None:  # type: ignore[no-untyped-def]
    engine = live_app.engine
    workshop = workshops.create_workshop(engine, "Tabs live", get_builtin_kit("living-well"))
    laptop = _laptop(browser, live_app.url, "moderation")
    laptop.get_by_role("tab", name="Approved (0)").click()
    laptop.get_by_text("No approved stories yet.").wait_for(timeout=WAIT)
    draft = stories.StoryDraft("The receptionist found me a quiet room to wait in.", consent="anonymous_quote")
    stories.capture_story(engine, workshop, draft, client_submission_id="t1", device_token="t" * 32)
    laptop.get_by_role("tab", name="Waiting (1)").wait_for(timeout=WAIT)
    laptop.get_by_text("No approved stories yet.").wait_for(timeout=WAIT)  # still on the tab the facilitator chose
    assert laptop.get_by_role("tab", name="Approved (0)").get_attribute("aria-selected") == "true"
    laptop.context.close()


def test_the_timer_ends_with_a_signal_and_a_minute_can_be_added(live_app, browser) -> None:  # type: ignore[no-untyped-def]
    engine = live_app.engine
    workshop = workshops.create_workshop(engine, "Timer", get_builtin_kit("living-well"))
    key = workshops.display_key(engine, workshop.id)
    workshops.start_display_timer(engine, workshop.id, 5)
    workshops.show_on_display(engine, workshop.id, "timer")
    screen = browser.new_context(viewport=PROJECTOR).new_page()
    screen.goto(workshops.display.display_url(key, live_app.url))
    screen.locator(".d-timer .d-clockbig").wait_for(timeout=WAIT)
    # The time runs out (set the end a second ago, as if five minutes had passed).
    ended = datetime.now(UTC) - timedelta(seconds=1)
    display_repo.write(engine, workshop.id, lambda settings, _ends: (settings, ended))
    signal = screen.get_by_test_id("displayTimerEnded")
    signal.get_by_text("Time is up").wait_for(timeout=WAIT)
    background = signal.evaluate("e => getComputedStyle(e).backgroundColor")
    assert background in ("rgb(176, 0, 32)", "rgb(0, 0, 0)")  # red, flashing to black
    # Other views keep the signal in the banner.
    workshops.show_on_display(engine, workshop.id, "stories")
    screen.locator(".d-banner .d-clock.d-ended").get_by_text("Time is up").wait_for(timeout=WAIT)
    # The facilitator adds a minute from the laptop: the countdown is back.
    laptop = _laptop(browser, live_app.url, "wall")
    laptop.get_by_role("button", name="+1 min").click()
    screen.locator(".d-banner .d-clock:not(.d-ended)").wait_for(timeout=WAIT)
    assert screen.locator(".d-banner .d-clock").inner_text().startswith(("01:0", "00:5"))
    laptop.context.close()
    screen.context.close()
