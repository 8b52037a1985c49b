"""A real app server and a real headless Chromium, for the phone and projector flows."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import Engine

from codesign.storage import migrate
from codesign.storage.db import make_engine
from tests.conftest import TEST_PASSCODE, need

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("CODESIGN_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--disable-quic",
]
PHONE = {"width": 360, "height": 740}
IPHONE = {"width": 390, "height": 844}
AXE = Path(__file__).resolve().parent / "node_modules" / "axe-core" / "axe.min.js"
# WCAG 2.0, 2.1 and 2.2 at levels A and AA: what axe-core can check automatically.
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


def axe_violations(page: object) -> list[dict[str, object]]:
    """Run axe-core in the page and return its WCAG 2.2 A/AA violations (id, impact, help, nodes).

    axe-core comes from the npm registry: ``npm ci`` in tests/e2e (see its package.json).
    """
    need(AXE.exists(), f"axe-core is not installed: run `npm ci` in {AXE.parents[2]}")
    page.add_script_tag(path=str(AXE))  # type: ignore[attr-defined]
    result = page.evaluate(  # type: ignore[attr-defined]
        "async (tags) => { const r = await axe.run(document, {runOnly: {type: 'tag', values: tags}});"
        " return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,"
        " nodes: v.nodes.slice(0, 5).map(n => n.html.slice(0, 300) + ' :: ' + n.failureSummary)})); }",
        AXE_TAGS,
    )
    return list(result)


# How long a browser test waits for something to appear. Generous on purpose: on a busy CI
# machine a Streamlit rerun can take many seconds; a test waits for a condition, never times it
# (speed targets live in bench/).
WAIT_MS = 120_000
PROJECTOR = {"width": 1920, "height": 1080}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class LiveApp:
    url: str
    engine: Engine
    process: subprocess.Popen[bytes]
    port: int
    env: dict[str, str]
    log_path: Path

    def kill_and_restart(self) -> None:
        """A real crash: ``kill -9`` the server process, then start it again on the same port and database."""
        self.process.kill()  # SIGKILL: no clean shutdown, no chance to save anything
        self.process.wait(timeout=30)
        self.process = _start(self.port, self.env, self.log_path)


def _start(port: int, env: dict[str, str], log_path: Path) -> subprocess.Popen[bytes]:
    with log_path.open("ab") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "codesign.ui.serve", "--server.address", "127.0.0.1",
             "--server.port", str(port), "--server.headless", "true", "--browser.gatherUsageStats", "false"],
            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
        )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:  # noqa: S310 - loopback
                if response.status == 200:
                    return process
        except OSError:
            time.sleep(0.3)
    process.kill()
    # serve prints only its banner; Streamlit's own output goes to codesign.log beside the database.
    logs = [log_path, log_path.parent / "codesign.log"]
    pytest.fail("the app did not start: " + "".join(p.read_text(errors="replace")[-2000:] for p in logs if p.exists()))


@pytest.fixture
def live_app(tmp_path: Path) -> Iterator[LiveApp]:
    """Streamlit serving app.py on 127.0.0.1 with a temporary database."""
    db_url = f"sqlite:///{tmp_path / 'live.db'}"
    engine = make_engine(db_url)
    migrate.upgrade(engine)
    port = free_port()
    env = {
        **os.environ,
        "CODESIGN_DATABASE_URL": db_url,
        "CODESIGN_FACILITATOR_PASSCODE": TEST_PASSCODE,
        "CODESIGN_BASE_URL": f"http://127.0.0.1:{port}",
    }
    log_path = tmp_path / "server.log"
    app = LiveApp(f"http://127.0.0.1:{port}", engine, _start(port, env, log_path), port, env, log_path)
    try:
        yield app
    finally:
        app.process.terminate()
        try:
            app.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            app.process.kill()
        engine.dispose()


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    """Debian's Chromium driven by Playwright (no browser download)."""
    need(shutil.which(CHROMIUM) is not None or Path(CHROMIUM).exists(), f"Chromium is not installed at {CHROMIUM}")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield chromium
        chromium.close()
