"""Room-scale load without a browser: N phones join at once over Streamlit's websocket protocol,
fill the story form, preview and share (half of them double-tap), against a real server.

Each phone behaves as a browser does where it costs the server: a tap in the story form asks
for the form's fragment only, and the room banner's fragment is asked for again every 2 s.

Prints, per room size: page-interactive times (all phones scanning the QR code at once),
share -> confirmation median and p95, lost and duplicated stories, server CPU per join and
server memory per connected phone. Targets on the 2-core reference machine with 100 phones:
interactive within 10 s, confirmation p95 <= 1 s, 0 lost, 0 duplicated, <= 0.5 MB per phone.

Usage:
    python bench/bench_ws_phones.py [--phones 20 50 100] [--postgres-url URL]
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
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.streamlit_ws import PhoneResult, share_story  # noqa: E402
from codesign import stories, workshops  # noqa: E402
from codesign.workshops.kits import get_builtin_kit  # noqa: E402

PAGE = os.sysconf("SC_PAGE_SIZE")
TICKS = os.sysconf("SC_CLK_TCK")


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))] if ordered else float("nan")


def rss_mb(pid: int) -> float:
    """Resident memory of the server process (and its children, if any), in MB."""
    with open(f"/proc/{pid}/statm") as f:
        return int(f.read().split()[1]) * PAGE / 2**20


def cpu_s(pid: int) -> float:
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_server(db_url: str, workdir: Path) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    env = {**os.environ, "CODESIGN_DATABASE_URL": db_url, "CODESIGN_FACILITATOR_PASSCODE": "bench-passcode-1"}
    process = subprocess.Popen(
        [sys.executable, "-m", "codesign.ui.serve", "--server.address", "127.0.0.1", "--server.port", str(port),
         "--server.headless", "true", "--browser.gatherUsageStats", "false"],
        cwd=ROOT, env=env, stdout=(workdir / f"server-{port}.log").open("wb"), stderr=subprocess.STDOUT,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    for _ in range(240):
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2):  # noqa: S310 - loopback
                return process, url
        except OSError:
            time.sleep(0.5)
    process.kill()
    raise SystemExit("the server did not start")


async def room(url: str, code: str, phones: int, *, timers: bool = True) -> list[PhoneResult]:
    tasks = [
        share_story(
            url, code, f"Bench phone {i:03d}: the wait for a call back was long.", double_tap=i % 2 == 0, timers=timers
        )
        for i in range(phones)
    ]
    return list(await asyncio.gather(*tasks))


def run_size(phones: int, db_url: str, workdir: Path, *, timers: bool = True) -> None:
    engine = workshops.open_database(db_url)
    workshop = workshops.create_workshop(engine, f"Bench room {phones}", get_builtin_kit("living-well"))
    server, url = start_server(db_url, workdir)
    try:
        # One warm-up phone, as the facilitator's own checks would be, so imports are not counted per join.
        asyncio.run(share_story(url, workshop.code, "Warm-up story from the facilitator's phone."))
        base_rss, base_cpu = rss_mb(server.pid), cpu_s(server.pid)
        peak = [base_rss]
        stop = threading.Event()

        def sample() -> None:
            while not stop.is_set():
                peak[0] = max(peak[0], rss_mb(server.pid))
                time.sleep(0.1)

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        started = time.monotonic()
        results = asyncio.run(room(url, workshop.code, phones, timers=timers))
        wall = time.monotonic() - started
        stop.set()
        sampler.join()
        used_cpu = cpu_s(server.pid) - base_cpu
    finally:
        server.terminate()
        server.wait(timeout=20)
    stored = [s.text for s in stories.list_stories(engine, workshop.id)]
    confirmed = [r for r in results if r.confirm_s is not None]
    lost = sum(1 for r in confirmed if stored.count(r.marker) == 0)
    duplicated = sum(1 for r in results if stored.count(r.marker) > 1)
    failed = [r.error for r in results if r.error]
    interactive = [r.interactive_s for r in results if r.interactive_s is not None]
    confirm = [r.confirm_s for r in confirmed if r.confirm_s is not None]
    print(
        f"{phones:>4} phones: interactive median {statistics.median(interactive):5.2f} s, "
        f"p95 {pct(interactive, 0.95):5.2f} s, max {max(interactive):5.2f} s | "
        f"share->confirmation median {statistics.median(confirm):5.2f} s, p95 {pct(confirm, 0.95):5.2f} s | "
        f"confirmed {len(confirmed)}/{phones}, lost {lost}, duplicated {duplicated}, errors {len(failed)} | "
        f"server CPU {used_cpu / phones:4.2f} s per phone, memory {(peak[0] - base_rss) / phones:4.2f} MB per phone "
        f"(peak {peak[0]:.0f} MB) | whole room {wall:5.1f} s"
    )
    for error in sorted(set(failed))[:3]:
        print(f"      error: {error}")
    engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--phones", type=int, nargs="+", default=[20, 50, 100])
    parser.add_argument(
        "--postgres-url", default=None, help="Use this (scratch) PostgreSQL database instead of SQLite."
    )
    parser.add_argument(
        "--without-banner-timer",
        action="store_true",
        help="Phones do not ask for the room banner every 2 s as a browser does (to see what the timer costs).",
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        for n in args.phones:
            db_url = args.postgres_url or f"sqlite:///{Path(tmp) / f'bench-{n}.db'}"
            run_size(n, db_url, Path(tmp), timers=not args.without_banner_timer)


if __name__ == "__main__":
    main()
