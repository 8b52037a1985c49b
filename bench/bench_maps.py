"""Benchmark: load the Stakeholders, Journey map and Service blueprint screens, and save an edit on each.

Two workshops: the demo, and a large one with 1,000 stories and 500 stakeholders (2,000
relationships). Screens are loaded through Streamlit's AppTest (the page's whole script: reads,
rules and figures, without the browser's drawing); saves go through the services the screens call.
Prints median and worst of a few runs. No target is enforced here: the figures are for the notes.

    PYTHONPATH=src .venv/bin/python bench/bench_maps.py [--repeat 3] [--stories 1000] [--stakeholders 500]
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
PASSCODE = "bench-passcode-123"
PAGES = {"stakeholders": "pages/stakeholders.py", "journey": "pages/journey.py", "blueprint": "pages/blueprint.py"}


def timed(fn: Callable[[], object], repeat: int) -> tuple[float, float]:
    """(median, worst) seconds over ``repeat`` runs after one warm-up."""
    fn()
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), max(times)


def large_workshop(url: str, n_stories: int, n_people: int, seed: int) -> None:
    """1,000 stories (with journey items and a drafted blueprint) and a 500-stakeholder map."""
    sys.path.insert(0, str(ROOT / "bench"))
    from bench_journey import seed_database  # type: ignore[import-not-found]
    from bench_network import synthetic_map  # type: ignore[import-not-found]

    from codesign import network
    from codesign.network.tables import RelationshipDraft, StakeholderDraft
    from codesign.storage.db import make_engine

    workshop_id = seed_database(url, n_stories, seed)
    people, links = synthetic_map(n_people, 4 * n_people, seed)
    names = {p.id: p.name for p in people}
    engine = make_engine(url)
    seen: set[tuple[str, str, str]] = set()
    drafts = []
    for r in links:
        key = (names[r.source_id], names[r.target_id], r.type)
        if key not in seen:
            seen.add(key)
            drafts.append(RelationshipDraft(*key, r.directed, r.strength))
    network.save_network(
        engine,
        workshop_id,
        [StakeholderDraft(p.name, kind=p.kind, sector=p.sector) for p in people],
        drafts,
        relationship_types=["referral", "information_sharing", "funding", "support", "accountability", "conflict"],
    )
    engine.dispose()


def bench(label: str, url: str, repeat: int) -> None:
    import pandas as pd
    from streamlit.testing.v1 import AppTest

    from codesign import journeys, network, workshops
    from codesign.network import tables as network_tables
    from codesign.storage.db import make_engine
    from codesign.ui import state
    from codesign.workshops.kits import get_builtin_kit

    engine = make_engine(url)
    workshop = workshops.list_workshops(engine)[0]
    holders = len(network.list_stakeholders(engine, workshop.id))
    print(f"\n{label}: {workshop.story_count} stories, {holders} stakeholders")

    def load(path: str) -> Callable[[], None]:
        def run() -> None:
            at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=300)
            at.session_state[state.FACILITATOR] = True
            at.run()
            at.switch_page(path)
            at.run()
            assert not at.exception, at.exception

        return run

    for name, path in PAGES.items():
        median, worst = timed(load(path), repeat)
        print(f"  load {name:<13} median {median:6.2f} s   worst {worst:6.2f} s")

    kit = get_builtin_kit("living-well").kit
    people, links = network.load_network(engine, workshop.id)
    table = network_tables.relationship_table(people, links)
    half = {"source": people[0].name, "note": "to finish later"}

    def save_relationships() -> None:
        network.save_relationship_rows(
            engine, workshop.id, pd.concat([table, pd.DataFrame([half])]), types=kit.relationship_types
        )

    def place() -> None:
        network.place_stakeholder(engine, workshop.id, people[0].id, random.random(), random.random())

    stage = journeys.load_journey_map(engine, workshop).stages[0].stage

    def journey_edit() -> None:
        item = journeys.add_item(engine, workshop.id, stage.id, "doing", "A bench item")
        journeys.undo_journey(engine, workshop.id)
        assert item

    def blueprint_edit() -> None:
        bp = journeys.load_blueprint(engine, workshop, "as_is")
        rows = journeys.blueprint_grid_rows(bp)
        rows[0] = {**rows[0], "text": f"{rows[0]['text']}."}
        journeys.save_blueprint_edits(engine, workshop.id, "as_is", journeys.blueprint_edits(bp, rows))

    for name, fn in (
        ("save relationships (whole table + 1 kept back)", save_relationships),
        ("place a stakeholder", place),
        ("undo the map", lambda: network.undo_map(engine, workshop.id)),
        ("add a journey item + undo", journey_edit),
        ("save a blueprint grid edit", blueprint_edit),
    ):
        median, worst = timed(fn, repeat)
        print(f"  {name:<48} median {median:6.3f} s   worst {worst:6.3f} s")
    engine.dispose()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--stories", type=int, default=1000)
    parser.add_argument("--stakeholders", type=int, default=500)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    os.environ["CODESIGN_FACILITATOR_PASSCODE"] = PASSCODE
    from codesign import demo
    from codesign.storage import migrate
    from codesign.storage.db import make_engine

    with tempfile.TemporaryDirectory() as tmp:
        demo_url = f"sqlite:///{Path(tmp) / 'demo.db'}"
        engine = make_engine(demo_url)
        migrate.upgrade(engine)
        demo.load_demo(engine)
        engine.dispose()
        os.environ["CODESIGN_DATABASE_URL"] = demo_url
        bench("demo", demo_url, args.repeat)
        large_url = f"sqlite:///{Path(tmp) / 'large.db'}"
        large_workshop(large_url, args.stories, args.stakeholders, args.seed)
        os.environ["CODESIGN_DATABASE_URL"] = large_url
        bench(f"{args.stories} stories / {args.stakeholders} stakeholders", large_url, args.repeat)
    return 0


if __name__ == "__main__":
    sys.exit(main())
