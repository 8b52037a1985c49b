"""A phone opens the QR link and sees its workshop."""

from __future__ import annotations

import pytest

from codesign import demo, workshops
from codesign.workshops import links
from tests.conftest import TEST_PASSCODE
from tests.e2e.conftest import PHONE

pytestmark = pytest.mark.browser


def test_phone_opens_the_join_link(live_app, browser) -> None:  # type: ignore[no-untyped-def]
    workshop = demo.load_demo(live_app.engine).workshop
    kit = workshops.kit_of(live_app.engine, workshop)
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    page = context.new_page()
    page.goto(links.join_url(workshop.code, base=live_app.url))
    page.get_by_role("heading", name=workshop.title).wait_for(timeout=30_000)
    page.get_by_text(kit.story_prompts.story).first.wait_for(timeout=10_000)
    assert page.get_by_text("Page not found").count() == 0
    # Phones see no facilitator menu.
    assert page.get_by_text("Run the room").count() == 0
    context.close()


def test_wrong_code_on_a_phone(live_app, browser) -> None:  # type: ignore[no-untyped-def]
    demo.load_demo(live_app.engine)
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    page = context.new_page()
    page.goto(f"{live_app.url}/?code=ZZZZZZ")
    page.get_by_text(workshops.UNKNOWN_CODE).wait_for(timeout=30_000)
    context.close()


def test_first_visit_to_a_facilitator_address_goes_through_the_app_frame(live_app, browser) -> None:  # type: ignore[no-untyped-def]
    """The very first request of a fresh server, to /workshops, still runs app.py: the passcode form,
    and no menu of file names."""
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    page.goto(f"{live_app.url}/workshops")
    page.get_by_role("heading", name="Facilitator sign-in").wait_for(timeout=30_000)
    assert page.locator('[data-testid="stSidebarNav"]').count() == 0
    assert page.title() == "codesign"  # set by app.py's page config
    context.close()


def test_facilitator_moves_between_screens_with_the_same_workshop(live_app, browser) -> None:  # type: ignore[no-untyped-def]
    workshop = demo.load_demo(live_app.engine).workshop
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    page.goto(f"{live_app.url}/workshops")
    page.get_by_label("Facilitator passcode").fill(TEST_PASSCODE)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("heading", name="Workshops").wait_for(timeout=30_000)
    page.get_by_role("link", name="Display", exact=True).click()
    page.get_by_role("heading", name="Display", exact=True).wait_for(timeout=30_000)
    page.get_by_text(workshop.title).first.wait_for(timeout=30_000)  # the preview of what the room sees
    assert page.get_by_text("KeyError").count() == 0
    page.get_by_role("link", name="Moderation").click()
    page.get_by_role("heading", name="Moderation").wait_for(timeout=30_000)
    picker = page.locator('[data-testid="stSidebar"] [data-testid="stSelectbox"]')
    assert workshop.code in picker.get_by_role("combobox").input_value()
    context.close()
