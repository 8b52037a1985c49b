"""Run a room with no network but loopback: ``python -m tests.e2e.offline_room OUTDIR PASSCODE``.

Started by ``test_nothing_leaves.py`` inside ``unshare -n`` (a network namespace with only
loopback). It starts the app as ``make run`` does (headless on 0.0.0.0, the case in which
Streamlit looks up the public address) under ``strace -f -e trace=connect``, opens the join
page on a phone, signs in and opens the wall and moderation on a laptop, then writes what it
saw to OUTDIR/result.json and the system calls to OUTDIR/connect.log.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from playwright.sync_api import sync_playwright

from codesign import workshops
from codesign.workshops.kits import get_builtin_kit

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-sync", "--disable-quic"]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 - loopback
            return response.status, response.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as exc:
        return exc.code, ""


def main(out: Path, passcode: str) -> None:
    db_url = f"sqlite:///{out / 'room.db'}"
    engine = workshops.open_database(db_url)
    code = workshops.create_workshop(engine, "Offline room", get_builtin_kit("living-well")).code
    engine.dispose()
    port = _free_port()
    env = {**os.environ, "CODESIGN_DATABASE_URL": db_url, "CODESIGN_FACILITATOR_PASSCODE": passcode}
    env.pop("CODESIGN_BASE_URL", None)
    log = (out / "server.log").open("wb")
    server = subprocess.Popen(
        ["strace", "-f", "-qq", "-e", "trace=connect", "-o", str(out / "connect.log"),
         sys.executable, "-m", "codesign.ui.serve", "--server.address", "0.0.0.0", "--server.port", str(port),  # noqa: S104 - as make run does, inside a loopback-only namespace
         "--server.headless", "true", "--browser.gatherUsageStats", "false"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    result: dict[str, object] = {"started": False}
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            try:
                if _get(f"{base}/_stcore/health")[0] == 200:
                    result["started"] = True
                    break
            except OSError:
                time.sleep(0.5)
        if result["started"]:
            result["metrics"] = _get(f"{base}/_stcore/metrics")
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS, headless=True)
                phone = browser.new_page(viewport={"width": 390, "height": 844})
                phone.goto(f"{base}/?code={code}")
                phone.get_by_text("Offline room").first.wait_for(timeout=90_000)
                result["phone"] = phone.inner_text("body")
                laptop = browser.new_page(viewport={"width": 1920, "height": 1080})
                laptop.goto(f"{base}/moderation")
                laptop.get_by_label("Facilitator passcode").fill(passcode)
                laptop.get_by_role("button", name="Sign in").click()
                laptop.get_by_role("heading", name="Moderation").first.wait_for(timeout=90_000)
                result["laptop"] = laptop.inner_text("body")
                browser.close()
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
        log.close()
        (out / "result.json").write_text(json.dumps(result), encoding="utf-8")


if __name__ == "__main__":
    main(Path(sys.argv[1]), sys.argv[2])
