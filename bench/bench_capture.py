"""Story capture under load: submit -> stored and -> confirmation, lost and duplicated stories,
server memory per connected phone, and approval -> wall.

Two load generators, reported separately:
- core level: threads calling ``stories.capture_story`` at once (each phone double-taps:
  the same submission id twice), against a fresh SQLite file (and PostgreSQL with
  ``--postgres-url``). This measures the write path without any browser.
- browser level: many contexts in ONE headless Chromium (not a protocol-level websocket
  client), each a phone at 360x740 on a real ``streamlit run`` server: join, write,
  preview, then all press "Share my story" twice at once. The confirmation time includes
  Streamlit's rerun and the browser drawing it.

Usage:
    python bench/bench_capture.py [--phones 50] [--browser-phones 50] [--workdir DIR] [--postgres-url URL]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import Engine, create_engine, text

from codesign.models import Workshop
from codesign.storage import migrate
from codesign.storage.db import make_engine
from codesign.storage.stories import list_stories
from codesign.workshops import links, stories, workshops
from codesign.workshops.kits import get_builtin_kit

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = os.environ.get("CODESIGN_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--no-first-run", "--disable-sync", "--disable-quic"]  # fmt: skip
PASSCODE = "bench-passcode-1"


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))]


def summary(label: str, seconds: list[float]) -> str:
    ms = [s * 1000 for s in seconds]
    return f"{label}: median {statistics.median(ms):.0f} ms, p95 {pct(ms, 0.95):.0f} ms (n={len(ms)})"


def fresh_workshop(engine: Engine, premoderation: bool = True) -> Workshop:
    w = workshops.create_workshop(engine, "Capture bench", get_builtin_kit("living-well"))
    if not premoderation:
        from codesign.storage import workshops as repo

        w = repo.update_workshop_settings(engine, w.id, {"premoderation": False})
    return w


# --- core level ------------------------------------------------------------------------------


def core_run(engine: Engine, phones: int) -> tuple[list[float], int, int]:
    workshop = fresh_workshop(engine)
    barrier = threading.Barrier(phones)
    durations: list[float] = []
    errors: list[BaseException] = []
    lock = threading.Lock()

    def phone(i: int) -> None:
        draft = stories.StoryDraft(f"Bench story {i}: the wait for an assessment was long and nobody rang.")
        sub = stories.new_submission_id()
        barrier.wait()
        try:
            started = time.perf_counter()
            stories.capture_story(engine, workshop, draft, client_submission_id=sub, device_token=f"{i:032x}")
            elapsed = time.perf_counter() - started
            stories.capture_story(engine, workshop, draft, client_submission_id=sub, device_token=f"{i:032x}")
        except BaseException as exc:  # a lost story is a figure here, not a crash
            with lock:
                errors.append(exc)
            return
        with lock:
            durations.append(elapsed)

    threads = [threading.Thread(target=phone, args=(i,)) for i in range(phones)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    stored = list_stories(engine, workshop.id)
    texts = [s.text for s in stored]
    lost = phones - len(set(texts))
    duplicated = len(texts) - len(set(texts))
    if errors:
        print(f"  errors: {len(errors)} ({type(errors[0]).__name__}: {errors[0]})")
    return durations, lost, duplicated


def core_level(url: str, label: str, phone_counts: list[int]) -> None:
    engine = make_engine(url)
    migrate.upgrade(engine)
    core_run(engine, 2)  # warm up: the first capture parses the kit and compiles patterns
    for n in phone_counts:
        durations, lost, duplicated = core_run(engine, n)
        print(f"[core, {label}] {n} phone(s) at once, each tapping twice:")
        print("  " + summary("submit -> stored", durations))
        print(f"  lost: {lost}, duplicated: {duplicated}")
    engine.dispose()


# --- browser level ---------------------------------------------------------------------------


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def start_server(db_url: str, workdir: Path) -> tuple[subprocess.Popen[bytes], str]:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = int(sock.getsockname()[1])
    env = {**os.environ, "CODESIGN_DATABASE_URL": db_url, "CODESIGN_FACILITATOR_PASSCODE": PASSCODE,
           "CODESIGN_BASE_URL": f"http://127.0.0.1:{port}"}  # fmt: skip
    log = (workdir / "server.log").open("wb")
    process = subprocess.Popen(
        [sys.executable, "-m", "codesign.ui.serve", "--server.address", "127.0.0.1",
         "--server.port", str(port), "--server.headless", "true"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2):  # noqa: S310 - loopback
                return process, url
        except OSError:
            time.sleep(0.3)
    process.kill()
    raise SystemExit("the app did not start")


async def browser_run(engine: Engine, url: str, pid: int, phones: int) -> None:
    from playwright.async_api import async_playwright

    workshop = fresh_workshop(engine)
    join = links.join_url(workshop.code, base=url)
    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        rss_before = rss_mb(pid)
        loading = asyncio.Semaphore(4)  # page loads are CPU-heavy in Chromium; the submit is what we time

        async def ready(i: int):  # type: ignore[no-untyped-def]
            async with loading:
                context = await browser.new_context(viewport={"width": 360, "height": 740}, is_mobile=True,
                                                    has_touch=True)  # fmt: skip
                page = await context.new_page()
                page.set_default_timeout(180_000)
                await page.goto(join)
                await page.get_by_role("textbox", name="Your story").fill(
                    f"Bench phone {i}: the crisis line rang out three times."
                )
                await page.get_by_role("button", name="Preview my story").click()
                await page.get_by_role("button", name="Share my story").wait_for()
                return context, page

        loaded = time.perf_counter()
        sessions = await asyncio.gather(*(ready(i) for i in range(phones)))
        load_seconds = time.perf_counter() - loaded
        await asyncio.sleep(2)
        rss_after = rss_mb(pid)

        confirm: list[float] = []
        clicked_at: dict[int, datetime] = {}

        async def share(i: int, page) -> None:  # type: ignore[no-untyped-def]
            started = time.perf_counter()
            clicked_at[i] = datetime.now(UTC)
            await page.get_by_role("button", name="Share my story").dblclick()
            await page.get_by_text("Thank you. Your story has been shared").wait_for()
            confirm.append(time.perf_counter() - started)

        cpu_before, burst_started = cpu_seconds(pid), time.perf_counter()
        await asyncio.gather(*(share(i, page) for i, (_, page) in enumerate(sessions)))
        burst = time.perf_counter() - burst_started
        server_cpu = cpu_seconds(pid) - cpu_before
        await asyncio.sleep(3)  # a late second tap would land by now
        stored = list_stories(engine, workshop.id)
        stored_delay: list[float] = []
        seen: dict[int, int] = {}
        for story in stored:
            i = int(story.text.split()[2].rstrip(":"))
            seen[i] = seen.get(i, 0) + 1
            stored_delay.append((story.created_at - clicked_at[i]).total_seconds())
        lost = phones - len(seen)
        duplicated = sum(n - 1 for n in seen.values())
        print(f"[browser] {phones} phone(s) (contexts in one Chromium) pressing 'Share my story' twice at once:")
        print("  " + summary("submit -> stored", stored_delay))
        print("  " + summary("submit -> confirmation on the phone", confirm))
        print(f"  lost: {lost}, duplicated: {duplicated}")
        print(f"  server CPU during the burst: {server_cpu:.1f} s of {burst:.1f} s wall time "
              f"({server_cpu / phones * 1000:.0f} ms per phone); the rest of the 2 cores went to Chromium")  # fmt: skip
        print(f"  page loads: {load_seconds:.0f} s for {phones} phone(s)")
        print(f"  server memory: {rss_before:.0f} MB before, {rss_after:.0f} MB with {phones} connected: "
              f"{(rss_after - rss_before) / phones:.2f} MB per connected phone")  # fmt: skip
        for context, _ in sessions:
            await context.close()
        await browser.close()


async def wall_run(engine: Engine, url: str, rounds: int = 5) -> None:
    from playwright.async_api import async_playwright

    workshop = fresh_workshop(engine)
    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        context = await browser.new_context(viewport={"width": 1920, "height": 1080})
        page = await context.new_page()
        page.set_default_timeout(60_000)
        await page.goto(f"{url}/wall")
        await page.get_by_label("Facilitator passcode").fill(PASSCODE)
        await page.get_by_role("button", name="Sign in").click()
        # Choose this workshop in the sidebar (the newest open one is the default).
        await page.get_by_text("Stories will appear here once they are approved.").wait_for()
        delays: list[float] = []
        for r in range(rounds):
            text_ = f"Wall round {r}: the peer worker stayed with me."
            draft = stories.StoryDraft(text_, consent="anonymous_quote")
            story = stories.capture_story(engine, workshop, draft, client_submission_id=f"wall-{r}",
                                          device_token="9" * 32).story  # fmt: skip
            await asyncio.sleep(1)
            stories.approve_story(engine, story.id)
            started = time.perf_counter()
            await page.get_by_text(text_).first.wait_for(timeout=30_000)
            delays.append(time.perf_counter() - started)
        print(f"[browser] approval -> on the wall (1920x1080, refresh every 1.5 s): {summary('delay', delays)}; "
              f"max {max(delays) * 1000:.0f} ms")  # fmt: skip
        await browser.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--phones", type=int, default=50, help="phones at once at core level")
    parser.add_argument("--browser-phones", type=int, default=50, help="phones at once in the browser (0 to skip)")
    parser.add_argument("--wall-rounds", type=int, default=5, help="approvals timed on the wall (0 to skip)")
    parser.add_argument("--workdir", type=Path, default=None, help="where the SQLite files go (default: a temp dir)")
    parser.add_argument("--postgres-url", default="", help="also run the core level against this PostgreSQL server")
    args = parser.parse_args()
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="codesign-bench-"))
    workdir.mkdir(parents=True, exist_ok=True)
    print(f"machine: {os.cpu_count()} cores; data in {workdir}")

    core_level(f"sqlite:///{workdir / 'core.db'}", "SQLite", [1, args.phones])
    if args.postgres_url:
        name = f"codesign_bench_{int(time.time())}"
        admin = create_engine(args.postgres_url, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        try:
            core_level(f"{args.postgres_url.rsplit('/', 1)[0]}/{name}", "PostgreSQL", [1, args.phones])
        finally:
            with admin.connect() as conn:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            admin.dispose()

    if args.browser_phones <= 0 and args.wall_rounds <= 0:
        return
    db_url = f"sqlite:///{workdir / 'live.db'}"
    engine = make_engine(db_url)
    migrate.upgrade(engine)
    process, url = start_server(db_url, workdir)
    try:
        if args.wall_rounds > 0:
            asyncio.run(wall_run(engine, url, args.wall_rounds))
        for n in sorted({1, args.browser_phones}) if args.browser_phones > 0 else []:
            asyncio.run(browser_run(engine, url, process.pid, n))
    finally:
        process.terminate()
        process.wait(timeout=10)
        engine.dispose()


if __name__ == "__main__":
    main()
