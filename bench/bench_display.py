"""Benchmark: how fast the room follows the laptop (display view switch, phone follow, moderation, ideas).

Starts the app on a free port with a temporary database, then drives three headless
Chromium pages the way a workshop uses them: the laptop's Display screen, the projector
on the display link, and a phone on the join page. Each figure is the time from the
action to the moment the other screen shows it, over 20 tries, as median and p95:

- display view switch: the laptop clicks a view in the Display screen's sidebar; until
  the projector shows that view (target 2 s);
- phone follow: a round's voting starts (``voting.start_voting``, what the Ideas screen's
  button calls); until the phone's banner says "Voting has started" (target 5 s);
- moderation count: a phone's story is stored (``stories.capture_story``, what the phone's
  Share button calls); until the laptop's Moderation screen shows the new count (target 3 s);
- ideas queue: a phone's idea is stored (``voting.submit_idea``); until the laptop's Ideas
  screen lists it (target 3 s).

    python bench/bench_display.py [--tries 20]
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
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from codesign import stories, voting, workshops  # noqa: E402
from codesign.workshops import links  # noqa: E402
from codesign.workshops.kits import get_builtin_kit  # noqa: E402
from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS, free_port  # noqa: E402

PASSCODE = "bench-passcode-1"
TIMEOUT_MS = 30_000


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))
    return ordered[index]


def timed(act: Callable[[], None], until: Callable[[], None]) -> float:
    start = time.monotonic()
    act()
    until()
    return time.monotonic() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tries", type=int, default=20)
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{Path(tmp) / 'bench.db'}"
        engine = workshops.open_database(url)
        workshop = workshops.create_workshop(engine, "Bench room", get_builtin_kit("living-well"))
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
                laptop = browser.new_context(viewport={"width": 1440, "height": 900}).new_page()
                projector = browser.new_context(viewport={"width": 1920, "height": 1080}).new_page()
                phone = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True).new_page()
                projector.goto(workshops.display.display_url(key, base))
                projector.get_by_test_id("displayJoinCode").wait_for(timeout=TIMEOUT_MS)
                laptop.goto(f"{base}/wall")
                laptop.get_by_label("Facilitator passcode").fill(PASSCODE)
                laptop.get_by_role("button", name="Sign in").click()
                laptop.get_by_text("Show on the display").wait_for(timeout=TIMEOUT_MS)

                switch: list[float] = []
                for i in range(args.tries):
                    label, view = (("Stories", "stories"), ("Timer", "timer"))[i % 2]
                    switch.append(
                        timed(
                            lambda label=label: laptop.get_by_test_id("stRadio").get_by_text(label, exact=True).click(),
                            lambda view=view: projector.locator(f".st-key-display_{view}").wait_for(timeout=TIMEOUT_MS),
                        )
                    )

                phone.goto(links.join_url(workshop.code, base=base))
                phone.get_by_role("heading", name=workshop.title).wait_for(timeout=TIMEOUT_MS)
                follow: list[float] = []
                for i in range(args.tries):
                    rnd = voting.open_round(engine, workshop.id, f"How might we try number {i}?")
                    phone.get_by_text("Ideas are open: add yours").wait_for(timeout=TIMEOUT_MS)
                    follow.append(
                        timed(
                            lambda rnd=rnd: voting.start_voting(engine, rnd.id),
                            lambda: phone.get_by_text("Voting has started").wait_for(timeout=TIMEOUT_MS),
                        )
                    )
                    voting.close_round(engine, rnd.id)
                    phone.get_by_text("Voting has started").wait_for(state="detached", timeout=TIMEOUT_MS)

                laptop.goto(f"{base}/moderation")
                laptop.get_by_text("Stories waiting for review").wait_for(timeout=TIMEOUT_MS)
                count: list[float] = []
                for i in range(args.tries):
                    draft = stories.StoryDraft(f"Bench story number {i} about the waiting room.", consent="themes_only")

                    def share(draft: stories.StoryDraft = draft, i: int = i) -> None:
                        stories.capture_story(engine, workshop, draft, client_submission_id=f"bench{i}",
                                              device_token=f"{i:032x}")  # fmt: skip

                    def shown(n: int = i + 1) -> None:
                        laptop.wait_for_function(
                            """(n) => [...document.querySelectorAll('[data-testid="stMetric"]')].some(m =>
                                 m.innerText.includes('Stories waiting for review') &&
                                 m.querySelector('[data-testid="stMetricValue"]').innerText.trim() === String(n))""",
                            arg=n,
                            timeout=TIMEOUT_MS,
                        )

                    count.append(timed(share, shown))

                # The Ideas screen's own queue: an idea from a phone shows there by itself.
                rnd = voting.open_round(engine, workshop.id, "How might we bench the ideas queue?")
                laptop.goto(f"{base}/ideas")
                laptop.get_by_text("No ideas yet").wait_for(timeout=TIMEOUT_MS)
                queue: list[float] = []
                for i in range(args.tries):

                    def send(i: int = i) -> None:
                        voting.submit_idea(engine, rnd.id, f"Bench idea number {i}", client_submission_id=f"idea{i}",
                                           device_hash=workshops.hash_device(f"{i:032x}"))  # fmt: skip

                    def listed(i: int = i) -> None:
                        laptop.get_by_text(f"Bench idea number {i}", exact=True).wait_for(timeout=TIMEOUT_MS)

                    queue.append(timed(send, listed))
                browser.close()
        finally:
            server.terminate()
            server.wait(timeout=20)
            engine.dispose()

    print(f"{'update':<22} {'median':>8} {'p95':>8} {'max':>8}  (seconds, {args.tries} tries)")
    for name, values, target in (
        ("display view switch", switch, 2.0),
        ("phone follow", follow, 5.0),
        ("moderation count", count, 3.0),
        ("ideas queue", queue, 3.0),
    ):
        print(
            f"{name:<22} {statistics.median(values):>8.2f} {percentile(values, 0.95):>8.2f} {max(values):>8.2f}"
            f"  target {target:.0f} s"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
