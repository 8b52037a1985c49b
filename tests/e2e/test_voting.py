"""A phone spends dots in a real browser; the wall shows nothing of them until the reveal, then the result."""

from __future__ import annotations

import uuid

import pytest

from codesign import voting, workshops
from codesign.storage import workshops as workshops_repo
from codesign.workshops import links
from codesign.workshops.devices import hash_device
from codesign.workshops.kits import get_builtin_kit
from tests.e2e.conftest import PHONE, PROJECTOR, WAIT_MS

pytestmark = pytest.mark.browser

IDEAS = ("Evening drop-in", "A named contact while you wait", "Text the wait time")


def test_phone_votes_and_the_wall_shows_the_result_after_the_reveal(live_app, browser, tmp_path) -> None:  # type: ignore[no-untyped-def]
    engine = live_app.engine
    workshop = workshops.create_workshop(engine, "Waiting well", get_builtin_kit("living-well"))
    workshops_repo.update_workshop_settings(engine, workshop.id, {"premoderation": False})
    rnd = voting.open_round(engine, workshop.id, "How might we make waiting easier?")
    for text in IDEAS:
        voting.submit_idea(engine, rnd.id, text, client_submission_id=uuid.uuid4().hex, device_hash=None)
    voting.start_voting(engine, rnd.id)

    # The phone: join by the QR link, open the vote page, put two dots on one idea.
    phone_context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    phone = phone_context.new_page()
    phone.goto(links.join_url(workshop.code, base=live_app.url))
    phone.get_by_role("heading", name=workshop.title).wait_for(timeout=WAIT_MS)
    phone.get_by_role("link", name="Ideas and votes", exact=True).click()
    phone.get_by_text("3 of 3").wait_for(timeout=WAIT_MS)
    phone.get_by_role("button", name="+ Add a dot").first.click()
    phone.get_by_text("2 of 3").wait_for(timeout=WAIT_MS)
    phone.get_by_role("button", name="+ Add a dot").first.click()
    phone.get_by_text("1 of 3").wait_for(timeout=WAIT_MS)
    phone.screenshot(path=str(tmp_path / "phone.png"), full_page=True)
    token = next(c["value"] for c in phone_context.cookies() if c["name"] == "codesign_device")
    assert voting.get_ballot(engine, rnd.id, hash_device(token)).used == 2

    # The projector: the display link, showing the round (as the laptop's Display screen would choose).
    workshops.show_on_display(engine, workshop.id, "round")
    wall_context = browser.new_context(viewport=PROJECTOR)
    wall = wall_context.new_page()
    wall.goto(workshops.display.display_url(workshops.display_key(engine, workshop.id), live_app.url))
    wall.get_by_text("Results stay hidden until the reveal", exact=False).wait_for(timeout=WAIT_MS)
    assert wall.locator(".js-plotly-plot").count() == 0
    assert wall.get_by_text("2 dots from 1 phone").count() == 0

    voting.set_revealed(engine, rnd.id)
    # No reload: the wall's view refreshes itself and the result appears.
    wall.get_by_text("2 dots from 1 phone").first.wait_for(timeout=WAIT_MS)
    assert wall.locator(".js-plotly-plot").count() == 1
    wall.screenshot(path=str(tmp_path / "wall.png"))
    # The phone notices the reveal by itself and shows the results too.
    phone.get_by_text("Results", exact=True).wait_for(timeout=WAIT_MS)
    phone_context.close()
    wall_context.close()
