"""In a real browser: the facilitator records an action on a laptop and on a phone-sized screen, then takes the PDF."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from codesign import actions, demo
from codesign.export import pdf
from tests.conftest import TEST_PASSCODE
from tests.e2e.conftest import PROJECTOR

pytestmark = pytest.mark.browser
PHONE_TALL = {"width": 390, "height": 844}


def shots(tmp_path: Path) -> Path:
    """Screenshots go to CODESIGN_SCREENSHOTS when set (to look at them), else to the test's folder."""
    folder = Path(os.environ.get("CODESIGN_SCREENSHOTS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def test_facilitator_records_an_action_and_downloads_the_pdf(live_app, browser, tmp_path) -> None:  # type: ignore[no-untyped-def]
    workshop = demo.load_demo(live_app.engine).workshop
    folder = shots(tmp_path)
    context = browser.new_context(viewport=PROJECTOR, accept_downloads=True)
    page = context.new_page()
    page.goto(f"{live_app.url}/actions")
    page.get_by_label("Facilitator passcode").fill(TEST_PASSCODE)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("heading", name="Agreed actions").wait_for(timeout=30_000)
    page.get_by_role("button", name="Delete this action").wait_for(timeout=30_000)
    page.locator("[data-testid='stDataFrame']").first.wait_for(timeout=30_000)
    page.wait_for_timeout(2_000)  # let the table's canvas paint before the picture
    page.screenshot(path=str(folder / "actions-1920.png"), full_page=True)

    form = page.locator("[data-testid='stForm']").first
    form.get_by_label("Action").fill("Run a peer group in the library every Thursday")
    form.get_by_label("Owner (a role or organisation, not a person's name)").fill("Peer support lead")
    form.get_by_label("How progress will be measured").fill("People attending each month")
    form.get_by_role("button", name="Add the action").click()
    page.get_by_text("Added the action.").wait_for(timeout=30_000)
    stored = actions.list_actions(live_app.engine, workshop.id)[-1]
    assert (stored.text, stored.owner) == ("Run a peer group in the library every Thursday", "Peer support lead")

    if not pdf.unavailable_reason():
        # The sign-in lasts across addresses in the same browser.
        page.goto(f"{live_app.url}/export")
        page.get_by_text("Draw the charts as pictures").click()
        page.wait_for_timeout(1_500)
        button = page.get_by_role("button", name="Download the report as PDF")
        button.wait_for(timeout=30_000)
        page.wait_for_timeout(1_000)
        page.screenshot(path=str(folder / "export-1920.png"), full_page=True)
        with page.expect_download(timeout=180_000) as download:
            button.click()
        assert download.value.suggested_filename == f"{workshop.code}-report.pdf"
        assert Path(download.value.path()).read_bytes().startswith(b"%PDF")
    context.close()

    phone = browser.new_context(viewport=PHONE_TALL)
    small = phone.new_page()
    small.goto(f"{live_app.url}/actions")
    small.get_by_label("Facilitator passcode").fill(TEST_PASSCODE)
    small.get_by_role("button", name="Sign in").click()
    small.get_by_role("button", name="Delete this action").wait_for(timeout=30_000)
    small.wait_for_timeout(2_000)
    small.screenshot(path=str(folder / "actions-390.png"), full_page=True)
    phone.close()


def test_an_action_agreed_at_the_journey_map_reaches_the_projector(live_app, browser, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from codesign import workshops

    workshop = demo.load_demo(live_app.engine).workshop
    folder = shots(tmp_path)
    context = browser.new_context(viewport=PROJECTOR)
    page = context.new_page()
    page.goto(f"{live_app.url}/journey")
    page.get_by_label("Facilitator passcode").fill(TEST_PASSCODE)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("tab", name="Pain points").click()
    page.get_by_text("Add an action").first.click()
    form = page.locator("[data-testid='stForm']").filter(has=page.get_by_role("button", name="Add the action"))
    form.get_by_label("Action").fill("Ring everyone on the waiting list every fortnight")
    form.get_by_label("Owner (a role or organisation, not a person's name)").fill("Waiting list team")
    form.get_by_label("How progress will be measured").fill("Share of people rung in the last two weeks")
    form.locator("[data-testid='stMultiSelect']").click()
    # Typing filters the list, as a keyboard user would, and opens it once the box has focus.
    page.keyboard.type("Pain point")
    # The pain points come first on this screen (Streamlit may offer "Select all" above them).
    page.get_by_role("option", name=re.compile(r"^Pain point")).first.click()
    page.keyboard.press("Escape")
    page.wait_for_timeout(500)
    page.screenshot(path=str(folder / "journey-add-action-1920.png"), full_page=True)
    form.get_by_role("button", name="Add the action").click()
    page.get_by_text("Added the action.").wait_for(timeout=30_000)
    stored = actions.list_actions(live_app.engine, workshop.id)[-1]
    assert stored.text == "Ring everyone on the waiting list every fortnight"
    assert [link.kind for link in stored.links] == ["pain_point"]

    workshops.show_on_display(live_app.engine, workshop.id, "actions")
    key = workshops.display_key(live_app.engine, workshop.id)
    wall = browser.new_context(viewport=PROJECTOR).new_page()
    wall.goto(f"{live_app.url}/?key={key}")
    wall.get_by_text("We will", exact=True).wait_for(timeout=30_000)
    wall.get_by_text("Ring everyone on the waiting list every fortnight").wait_for(timeout=30_000)
    wall.wait_for_timeout(1_500)
    wall.screenshot(path=str(folder / "display-you-said-1920.png"))
    # Every row stays on the screen: nothing is pushed below the projector's edge.
    for box in wall.locator("[class*='st-key-d_action_']").all():
        bounds = box.bounding_box()
        assert bounds is not None and bounds["y"] + bounds["height"] <= PROJECTOR["height"]
    context.close()
