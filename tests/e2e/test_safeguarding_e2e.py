"""A phone shares a plan to end a life: support on the phone, an urgent alert on the laptop, nothing on the wall."""

from __future__ import annotations

import pytest

from codesign import stories, workshops
from codesign.workshops import links
from codesign.workshops.kits import get_builtin_kit
from tests.conftest import TEST_PASSCODE
from tests.e2e.conftest import PHONE, PROJECTOR

pytestmark = pytest.mark.browser

STORY = "I have a plan and I know when I will do it."
WAIT = 30_000  # generous: the machine may be busy; the alert itself checks every 2 s


def _sign_in(page, url: str, path: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{url}/{path}")
    page.get_by_label("Facilitator passcode").fill(TEST_PASSCODE)
    page.get_by_role("button", name="Sign in").click()


def test_an_urgent_disclosure_shows_support_alerts_the_laptop_and_never_reaches_the_wall(live_app, browser) -> None:  # type: ignore[no-untyped-def]
    from playwright.sync_api import expect

    engine = live_app.engine
    workshop = workshops.create_workshop(engine, "Safeguarding e2e", get_builtin_kit("living-well"))
    workshops.update_workshop_settings(engine, workshop.id, {"safeguarding_lead": "Sam Patel, 07700 900123"})

    laptop_context = browser.new_context(viewport={"width": 1440, "height": 900})
    laptop = laptop_context.new_page()
    _sign_in(laptop, live_app.url, "moderation")
    laptop.get_by_role("heading", name="Moderation").wait_for(timeout=WAIT)
    alert = laptop.get_by_test_id("stAlertContentError").filter(has_text="Urgent safeguarding flag")
    assert alert.count() == 0

    wall_context = browser.new_context(viewport=PROJECTOR)
    wall = wall_context.new_page()
    # The projector opens the display link (no passcode) and the laptop puts the stories view on it.
    workshops.show_on_display(engine, workshop.id, "stories")
    wall.goto(workshops.display.display_url(workshops.display_key(engine, workshop.id), live_app.url))
    wall.get_by_text("Stories shared").wait_for(timeout=WAIT)

    phone_context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    phone = phone_context.new_page()
    phone.goto(links.join_url(workshop.code, base=live_app.url))
    phone.get_by_role("heading", name=workshop.title).wait_for(timeout=WAIT)
    phone.get_by_role("textbox", name="Your story").fill(STORY)
    phone.get_by_role("button", name="Preview my story").click()
    phone.get_by_text("Support is here if you need it").wait_for(timeout=WAIT)
    phone.get_by_role("button", name="Share my story").click()
    phone.get_by_text("Thank you. Your story has been shared").wait_for(timeout=WAIT)
    phone.get_by_text("Support is here if you need it").wait_for(timeout=WAIT)

    [story] = stories.list_stories(engine, workshop.id)
    assert story.risk_severity == "urgent" and story.moderation_status == "pending"

    # The laptop's moderation screen raises the alert without anyone reloading it.
    expect(alert).to_contain_text("Urgent safeguarding flag: 1 story", timeout=WAIT)
    expect(alert).to_contain_text("call 999")
    laptop.get_by_text(STORY).first.wait_for(timeout=WAIT)  # in the private queue, most urgent first
    laptop.get_by_text("Sam Patel, 07700 900123", exact=False).first.wait_for(timeout=WAIT)

    # The wall has counted the new story (so it has refreshed since it arrived) and shows
    # neither its words nor the alert.
    counted = wall.locator("p.d-h", has_text="Stories shared")
    expect(counted).to_contain_text("1", timeout=WAIT)
    assert wall.get_by_text(STORY).count() == 0
    assert wall.get_by_text("Urgent safeguarding").count() == 0

    # Reviewed and kept hidden: the alert goes, and the story still never reaches the wall.
    laptop.get_by_role("button", name="Reviewed: keep hidden").click()
    expect(alert).to_have_count(0, timeout=WAIT)
    assert stories.get_story(engine, story.id).moderation_status == "hidden"
    assert wall.get_by_text(STORY).count() == 0
    for context in (phone_context, wall_context, laptop_context):
        context.close()
