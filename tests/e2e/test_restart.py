"""A real `kill -9` of the server: every story a phone was told was shared is there after the restart."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from sqlalchemy import text

from codesign import workshops
from codesign.storage.stories import list_stories
from codesign.workshops import links
from codesign.workshops.kits import get_builtin_kit
from tests.conftest import TEST_PASSCODE
from tests.e2e.conftest import PHONE, ROOT, WAIT_MS, free_port

pytestmark = pytest.mark.browser


def _start(db_url: str, port: int, log: Path) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "CODESIGN_DATABASE_URL": db_url,
        "CODESIGN_FACILITATOR_PASSCODE": TEST_PASSCODE,
        "CODESIGN_BASE_URL": f"http://127.0.0.1:{port}",
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "codesign.ui.serve", "--server.address", "127.0.0.1",
         "--server.port", str(port), "--server.headless", "true", "--browser.gatherUsageStats", "false"],
        cwd=ROOT, env=env, stdout=log.open("ab"), stderr=subprocess.STDOUT,
    )  # fmt: skip
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2) as response:
                if response.status == 200:
                    return process
        except OSError:
            time.sleep(0.3)
    process.kill()
    pytest.fail("the app did not start: " + log.read_text(errors="replace")[-2000:])


def _open_form(browser, url: str):  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    page = context.new_page()
    page.goto(url)
    page.get_by_role("textbox", name="Your story").wait_for(timeout=WAIT_MS)
    return context, page


def _preview(page, story: str) -> None:  # type: ignore[no-untyped-def]
    page.get_by_role("textbox", name="Your story").fill(story)
    page.get_by_role("button", name="Preview my story").click()
    page.get_by_role("button", name="Share my story").wait_for(timeout=WAIT_MS)


def test_stories_confirmed_before_a_kill_9_are_all_there_after_restart(browser, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    db_url = f"sqlite:///{tmp_path / 'room.db'}"
    engine = workshops.open_database(db_url)
    workshop = workshops.create_workshop(engine, "Restart test", get_builtin_kit("living-well"))
    port = free_port()
    join = links.join_url(workshop.code, base=f"http://127.0.0.1:{port}")
    server = _start(db_url, port, tmp_path / "server.log")
    confirmed: list[str] = []
    try:
        phones = [_open_form(browser, join) for _ in range(5)]
        for n, (_context, page) in enumerate(phones):
            _preview(page, f"Restart story {n}: the day centre closed early and nobody told us.")
        # Three phones share and see the confirmation; two more press Share as the server dies.
        for n, (_context, page) in enumerate(phones[:3]):
            page.get_by_role("button", name="Share my story").dblclick()
            page.get_by_text("Thank you. Your story has been shared").wait_for(timeout=WAIT_MS)
            confirmed.append(f"Restart story {n}:")
        for _context, page in phones[3:]:
            page.get_by_role("button", name="Share my story").click(no_wait_after=True)
        server.send_signal(signal.SIGKILL)
        server.wait(timeout=30)
        for context, _page in phones:
            context.close()
    finally:
        if server.poll() is None:
            server.kill()
    engine.dispose()

    server = _start(db_url, port, tmp_path / "server.log")
    try:
        engine = workshops.open_database(db_url)
        with engine.connect() as conn:
            assert conn.execute(text("PRAGMA integrity_check")).scalar() == "ok"
        kept = [s.text for s in list_stories(engine, workshop.id)]
        for prefix in confirmed:
            assert sum(t.startswith(prefix) for t in kept) == 1, (prefix, kept)  # there, and only once
        assert len(kept) <= 5
        # The restarted server takes stories again.
        context, page = _open_form(browser, join)
        _preview(page, "After the restart: the bus timetable changed without notice.")
        page.get_by_role("button", name="Share my story").click()
        page.get_by_text("Thank you. Your story has been shared").wait_for(timeout=WAIT_MS)
        context.close()
        assert any(s.text.startswith("After the restart") for s in list_stories(engine, workshop.id))
        engine.dispose()
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()


def test_a_phone_left_on_the_preview_through_a_kill_9_shares_without_a_reload(live_app, browser) -> None:  # type: ignore[no-untyped-def]
    """Nobody reloads: the page reconnects by itself to the new server, shows the preview again, and Share works."""
    from tests.e2e.test_phone import drafts, wait_until

    workshop = workshops.create_workshop(live_app.engine, "Restart on the preview", get_builtin_kit("living-well"))
    story = "Left on the preview while the server restarted: the night nurse sat with me until I felt calmer."
    context, page = _open_form(browser, links.join_url(workshop.code, base=live_app.url))
    _preview(page, story)
    wait_until(lambda: [d["step"] for d in drafts(live_app.engine)] == ["preview"], "the preview step saved")
    live_app.kill_and_restart()
    # The same page, not reloaded: once it has reconnected, the preview is drawn again from the saved draft.
    page.get_by_role("heading", name="Check your story").wait_for(timeout=WAIT_MS)
    page.get_by_role("button", name="Share my story").click(timeout=WAIT_MS)
    page.get_by_text("Thank you. Your story has been shared").wait_for(timeout=WAIT_MS)
    assert [s.text for s in list_stories(live_app.engine, workshop.id)] == [story]
    assert drafts(live_app.engine) == []
    context.close()
