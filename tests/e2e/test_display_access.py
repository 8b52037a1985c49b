"""The room's display in a real Chromium, checked by axe-core against WCAG 2.2 A/AA: every view,
the welcome view's QR code named in words, and text that reads against its background."""

from __future__ import annotations

import pytest

from codesign import demo, workshops
from tests.e2e.conftest import PROJECTOR, WAIT_MS, axe_violations

pytestmark = pytest.mark.browser


def test_every_display_view_passes_axe_and_the_qr_code_has_words(live_app, browser) -> None:  # type: ignore[no-untyped-def]
    engine = live_app.engine
    workshop = demo.load_demo(engine).workshop
    key = workshops.display_key(engine, workshop.id)
    workshops.start_display_timer(engine, workshop.id, 5)
    context = browser.new_context(viewport=PROJECTOR)
    screen = context.new_page()
    screen.goto(workshops.display.display_url(key, live_app.url))
    for view in workshops.display.VIEWS:
        workshops.show_on_display(engine, workshop.id, view)
        screen.locator(f'[class*="st-key-display_{view}"]').wait_for(timeout=WAIT_MS)
        if view in ("emotion", "journey", "blueprint"):
            screen.locator(".st-key-d_figure .main-svg").first.wait_for(timeout=WAIT_MS)
        if view == "themes":
            screen.locator('[class*="st-key-d_th_"]').first.wait_for(timeout=WAIT_MS)
        if view == "welcome":
            qr = screen.locator(".st-key-d_qr img")
            qr.wait_for(timeout=WAIT_MS)
            assert "QR code" in (qr.get_attribute("alt") or "")
        violations = axe_violations(screen)
        assert violations == [], f"axe-core on the display's {view} view: {violations}"
    context.close()
