"""Benchmark: how fast the display's themes view follows a change on the theme board.

Starts the app on a free port with a temporary database and the demo workshop, opens the display
link in headless Chromium at 1920x1080 on the Themes view, then changes the board the way the
Themes screen does (``themes.rename_theme``, ``themes.move_story``: what its Rename form and a drag
call) and times each change until the projector shows it, over 20 tries: median, p95 and max
(target 3 s; the display's fragment redraws every second).

    python bench/bench_display_themes.py [--tries 20]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from codesign import demo, workshops  # noqa: E402
from codesign.themes import service as themes  # noqa: E402
from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS, free_port  # noqa: E402

PASSCODE = "bench-passcode-1"
TIMEOUT_MS = 30_000


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tries", type=int, default=20)
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    renames: list[float] = []
    moves: list[float] = []
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{Path(tmp) / 'bench.db'}"
        engine = workshops.open_database(url)
        workshop = demo.load_demo(engine).workshop
        workshops.show_on_display(engine, workshop.id, "themes")
        key = workshops.display_key(engine, workshop.id)
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        env = {**os.environ, "CODESIGN_DATABASE_URL": url, "CODESIGN_FACILITATOR_PASSCODE": PASSCODE,
               "CODESIGN_BASE_URL": base}  # fmt: skip
        server = subprocess.Popen(
            [sys.executable, "-m", "codesign.ui.serve", "--server.address", "127.0.0.1", "--server.port", str(port),
             "--server.headless", "true", "--browser.gatherUsageStats", "false"],
            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        try:
            for _ in range(200):
                try:
                    with urllib.request.urlopen(f"{base}/_stcore/health", timeout=2):  # noqa: S310 - loopback
                        break
                except OSError:
                    time.sleep(0.3)
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
                projector = browser.new_context(viewport={"width": 1920, "height": 1080}).new_page()
                projector.goto(workshops.display.display_url(key, base))
                projector.locator('[class*="st-key-d_th_"]').first.wait_for(timeout=TIMEOUT_MS)
                board = themes.list_board(engine, workshop.id)
                first, second = board[0], board[1]
                for i in range(args.tries):
                    name = f"Bench name {i}"
                    start = time.monotonic()
                    themes.rename_theme(engine, workshop.id, first.id, name)
                    projector.locator('[class*="st-key-d_th_"]', has_text=f"1. {name}").wait_for(timeout=TIMEOUT_MS)
                    renames.append(time.monotonic() - start)
                for i in range(args.tries):
                    source, target = (first, second) if i % 2 == 0 else (second, first)
                    story = themes.list_board(engine, workshop.id)[board.index(source)].story_ids[0]
                    size = len(themes.list_board(engine, workshop.id)[board.index(target)].story_ids) + 1
                    tile = f".st-key-d_tile_{target.id} .d-size"
                    start = time.monotonic()
                    themes.move_story(engine, workshop.id, story, target.id)
                    projector.locator(tile, has_text=f"{size} stories").wait_for(timeout=TIMEOUT_MS)
                    moves.append(time.monotonic() - start)
                browser.close()
        finally:
            server.terminate()
            server.wait(timeout=20)
            engine.dispose()

    print(f"{'board change on the display':<28} {'median':>8} {'p95':>8} {'max':>8}  (seconds, {args.tries} tries)")
    for what, values in (("rename a theme", renames), ("move a story", moves)):
        print(
            f"{what:<28} {statistics.median(values):>8.2f} {percentile(values, 0.95):>8.2f} {max(values):>8.2f}"
            "  target 3 s"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
