"""`streamlit run app.py`, the way hosting services start a Streamlit app, serves the real app from the first request.

Streamlit treats an app with a `pages/` folder as an old-style multipage app until the entry file has called
`st.navigation` once in the process, so the very first visitor to `/workshops` of a fresh server used to get
`pages/workshops.py` on its own: no page config, a menu of file names and no passcode-aware navigation.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from codesign.storage import migrate
from codesign.storage.db import make_engine
from tests.conftest import TEST_PASSCODE
from tests.e2e.conftest import ROOT, free_port

pytestmark = pytest.mark.browser


@pytest.fixture
def streamlit_run_app(tmp_path: Path) -> Iterator[str]:
    """Streamlit's own command on app.py, with nothing from make run or codesign.ui.serve."""
    db_url = f"sqlite:///{tmp_path / 'run.db'}"
    migrate.upgrade(make_engine(db_url))
    port = free_port()
    env = {
        **os.environ,
        "CODESIGN_DATABASE_URL": db_url,
        "CODESIGN_FACILITATOR_PASSCODE": TEST_PASSCODE,
        "CODESIGN_BASE_URL": f"http://127.0.0.1:{port}",
    }
    log_path = tmp_path / "streamlit.log"
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", "app.py", "--server.address", "127.0.0.1",
             "--server.port", str(port), "--server.headless", "true"],
            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
        )  # fmt: skip
        url = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 90
            while time.monotonic() < deadline:
                try:
                    with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:  # noqa: S310
                        if response.status == 200:
                            break
                except OSError:
                    time.sleep(0.3)
            else:
                pytest.fail("streamlit run app.py did not start: " + log_path.read_text(errors="replace")[-2000:])
            yield url
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()


def test_first_request_to_a_facilitator_address_gets_the_real_app(streamlit_run_app: str, browser) -> None:  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    # The server's very first request, straight to a facilitator page.
    page.goto(f"{streamlit_run_app}/workshops")
    page.get_by_role("heading", name="Facilitator sign-in").wait_for(timeout=60_000)
    assert page.title() == "codesign"  # app.py's page config, not the page file's name
    # No menu of file names (app, blueprint, export...): participants and visitors see no menu at all.
    assert page.locator('[data-testid="stSidebarNav"]').count() == 0
    page.get_by_label("Facilitator passcode").fill(TEST_PASSCODE)
    page.get_by_role("button", name="Sign in").click()
    # Signed in, the same address shows the workshops screen inside the app's own navigation.
    page.get_by_role("heading", name="Workshops").wait_for(timeout=60_000)
    nav = page.locator('[data-testid="stSidebarNav"]')
    nav.get_by_text("Run the room").wait_for(timeout=30_000)
    assert nav.get_by_role("link", name="Display").count() == 1
    assert nav.get_by_role("link", name="app").count() == 0
    context.close()
