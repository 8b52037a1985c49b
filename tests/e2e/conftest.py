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
    log = (tmp_path / "server.log").open("wb")
    process = subprocess.Popen(
        [sys.executable, "-m", "codesign.ui.serve", "--server.address", "127.0.0.1",
         "--server.port", str(port), "--server.headless", "true", "--browser.gatherUsageStats", "false"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:  # noqa: S310 - loopback
                if response.status == 200:
                    break
        except OSError:
            time.sleep(0.3)
    else:
        process.kill()
        pytest.fail("the app did not start: " + (tmp_path / "server.log").read_text(errors="replace")[-2000:])
    try:
        yield LiveApp(url=url, engine=engine, process=process)
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()
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
