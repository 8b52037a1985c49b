"""Benchmark: 100 devices dot-voting within the same minute.

Drives the core API (``codesign.voting.set_dots``) from threads in one process, one thread
per device, the way Streamlit runs each browser session's script on its own thread in
one server process. It does not go through the websocket protocol: it measures the
database path every tap takes (lock the round, check the budget, write), not Streamlit's
rendering.

Each device starts at a random moment within the window, spends its whole budget one tap
at a time (several dots on one idea allowed), double-taps some taps (the same absolute
count sent twice), moves one dot, and tries once to overspend. At the end the stored
votes are compared with what each device meant: every vote must be counted exactly once.

    python bench/bench_voting.py                       # 100 devices, 60 s, temporary SQLite file
    python bench/bench_voting.py --window 5            # the same burst in 5 s
    python bench/bench_voting.py --db postgresql+psycopg://postgres@127.0.0.1:5433/bench
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import threading
import time
import uuid
from collections import defaultdict
from pathlib import Path

from sqlalchemy import select

from codesign import voting, workshops
from codesign.storage import migrate
from codesign.storage import workshops as workshops_repo
from codesign.storage.db import make_engine, mask_url, read_session
from codesign.storage.schema import VoteRow
from codesign.workshops.devices import hash_device
from codesign.workshops.kits import get_builtin_kit


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", help="database URL (default: a new SQLite file in a temporary folder)")
    parser.add_argument("--devices", type=int, default=100)
    parser.add_argument("--window", type=float, default=60.0, help="seconds over which devices start voting")
    parser.add_argument("--ideas", type=int, default=12)
    parser.add_argument("--budget", type=int, default=3)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()

    tmp = tempfile.TemporaryDirectory()
    url = args.db or f"sqlite:///{Path(tmp.name) / 'bench.db'}"
    engine = make_engine(url)
    migrate.upgrade(engine)
    workshop = workshops.create_workshop(engine, f"Bench {uuid.uuid4().hex[:6]}", get_builtin_kit("living-well"))
    workshops_repo.update_workshop_settings(engine, workshop.id, {"premoderation": False})
    rnd = voting.open_round(engine, workshop.id, "How might we?", vote_budget=args.budget)
    ideas = [
        voting.submit_idea(engine, rnd.id, f"Idea {i}", client_submission_id=uuid.uuid4().hex, device_hash=None).idea.id
        for i in range(args.ideas)
    ]
    voting.start_voting(engine, rnd.id)
    lenses = [lens.key for lens in workshops_repo.list_lenses(engine, workshop.id)]

    rng = random.Random(args.seed)
    plans = []
    for n in range(args.devices):
        device_rng = random.Random(rng.random())
        plans.append((hash_device(f"{n:032x}"), device_rng.uniform(0, args.window), device_rng))
    latencies: list[float] = []
    intended: dict[tuple[str, int], int] = {}
    problems: list[str] = []
    counts: dict[str, int] = defaultdict(int)
    lock = threading.Lock()
    start = time.monotonic()

    def tap(device: str, idea_id: int, dots: int, lens: str) -> voting.Ballot | None:
        began = time.perf_counter()
        try:
            ballot = voting.set_dots(engine, rnd.id, idea_id, device, dots, lens_key=lens)
        except voting.BudgetExceeded:
            ballot = None
        elapsed = time.perf_counter() - began
        with lock:
            latencies.append(elapsed)
            counts["calls"] += 1
            counts["accepted" if ballot else "refused"] += 1
        return ballot

    def device_votes(device: str, starts_at: float, device_rng: random.Random) -> None:
        time.sleep(max(0.0, start + starts_at - time.monotonic()))
        lens = device_rng.choice(lenses)
        mine: dict[int, int] = defaultdict(int)
        try:
            for _ in range(args.budget):
                idea_id = device_rng.choice(ideas[: max(3, len(ideas) // 2)])  # popular ideas collect stacks
                mine[idea_id] += 1
                tap(device, idea_id, mine[idea_id], lens)
                if device_rng.random() < 0.3:  # a double tap: the same count again
                    tap(device, idea_id, mine[idea_id], lens)
                    with lock:
                        counts["double taps"] += 1
            # Move one dot to another idea: take it back, then place it.
            source = device_rng.choice(sorted(mine))
            target = device_rng.choice([i for i in ideas if i != source])
            mine[source] -= 1
            tap(device, source, mine[source], lens)
            mine[target] += 1
            tap(device, target, mine[target], lens)
            # One tap too many: must be refused.
            extra = device_rng.choice(ideas)
            if tap(device, extra, mine[extra] + 1, lens) is not None:
                with lock:
                    problems.append(f"{device[:8]} overspent its budget")
        except Exception as exc:
            with lock:
                problems.append(f"{device[:8]}: {type(exc).__name__}: {exc}")
        with lock:
            for idea_id, dots in mine.items():
                if dots:
                    intended[(device, idea_id)] = dots

    threads = [threading.Thread(target=device_votes, args=plan) for plan in plans]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.monotonic() - start

    with read_session(engine) as s:
        stored = {
            (v.device_hash, v.idea_id): v.dots for v in s.scalars(select(VoteRow).where(VoteRow.round_id == rnd.id))
        }
    missing = {k: v for k, v in intended.items() if stored.get(k) != v}
    extra = {k: v for k, v in stored.items() if k not in intended}
    results_before_reveal = "hidden"
    try:
        voting.load_round_results(engine, rnd.id)
        results_before_reveal = "LEAKED"
    except voting.ResultsHidden:
        pass
    voting.set_revealed(engine, rnd.id)
    results = voting.load_round_results(engine, rnd.id)

    ms = sorted(x * 1000 for x in latencies)
    p95 = ms[max(0, round(0.95 * len(ms)) - 1)]
    print(f"database            {engine.dialect.name} ({mask_url(url)})")
    print("driver              core API (voting.set_dots) from one thread per device, one process")
    print(
        f"devices             {args.devices} starting within {args.window:g} s, "
        f"budget {args.budget}, {args.ideas} ideas"
    )
    print(f"elapsed             {wall:.1f} s")
    print(
        f"taps                {counts['calls']} ({counts['accepted']} confirmed, "
        f"{counts['refused']} refused over budget, "
        f"{counts['double taps']} double taps)"
    )
    print(f"time to confirm     p50 {statistics.median(ms):.1f} ms, p95 {p95:.1f} ms, max {ms[-1]:.1f} ms")
    print(
        f"counted             {results.total_dots} dots stored for {args.devices * args.budget} intended; "
        f"{len(missing)} votes wrong or missing, {len(extra)} unexpected"
    )
    print(f"results before reveal {results_before_reveal}")
    for problem in problems[:10]:
        print("problem             " + problem)
    ok = (
        not problems
        and not missing
        and not extra
        and results.total_dots == args.devices * args.budget
        and results_before_reveal == "hidden"
    )
    print("every vote counted exactly once: " + ("yes" if ok else "NO"))
    engine.dispose()
    tmp.cleanup()
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
