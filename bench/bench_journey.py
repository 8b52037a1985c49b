"""Benchmark: the journey map and blueprint screens with 1,000 stories (target: each under 1 s).

Measures the core and figure work (reading stories and items, the curve, the map, pain-point
proposals, the three figures) and a full AppTest render of each screen, against a SQLite
file filled with synthetic stories. Prints the figures; exits 1 if a target is missed.

    .venv/bin/python bench/bench_journey.py [--db PATH] [--stories 1000] [--repeat 5]
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
TARGET_S = 1.0

WORDS = (
    "waited weeks for a call back and nobody explained what happens next",
    "the GP listened and we made a plan together",
    "I had to tell my story again to every new person",
    "the peer support group kept me going",
    "money worries made everything harder and nobody asked about them",
    "the crisis line was engaged for hours",
    "discharged with a letter and no idea how to get back in",
    "the drop-in felt welcoming and there was no referral form",
)


def seed_database(url: str, n_stories: int, seed: int) -> int:
    """Create a workshop with n synthetic stories, themes, journey items and a drafted blueprint."""
    from codesign import journeys, workshops
    from codesign.storage import migrate
    from codesign.storage import workshops as workshop_repo
    from codesign.storage.db import make_engine, write_session
    from codesign.storage.schema import StoryThemeRow, ThemeRow
    from codesign.storage.stories import add_story_row
    from codesign.workshops.kits import get_builtin_kit

    rng = random.Random(seed)
    engine = make_engine(url)
    migrate.upgrade(engine)
    w = workshops.create_workshop(engine, "Benchmark workshop", get_builtin_kit("living-well"))
    stages = workshop_repo.list_stages(engine, w.id)
    lenses = [lens.key for lens in workshop_repo.list_lenses(engine, w.id)] + [None]
    with write_session(engine) as s:
        themes = []
        for i in range(9):
            theme = ThemeRow(workshop_id=w.id, label=f"Theme {i + 1}", position=i)
            s.add(theme)
            themes.append(theme)
        s.flush()
        for i in range(n_stories):
            stage = stages[i % len(stages)]
            # Lower feelings in the middle of the journey, like the stories a room usually tells.
            centre = 2.0 if 2 <= stage.position <= 3 else 3.2
            emotion = None if rng.random() < 0.08 else max(1, min(5, round(rng.gauss(centre, 1.0))))
            row = add_story_row(
                s,
                w.id,
                stage.key,
                lens_key=rng.choice(lenses),
                text=f"Synthetic story {i}: {rng.choice(WORDS)}, {rng.choice(WORDS)}.",
                emotion=emotion,
                consent=rng.choice(["themes_only", "anonymous_quote", "report_quote"]),
                moderation_status="approved" if rng.random() < 0.9 else "pending",
                client_submission_id=f"bench-{i}",
            )
            s.add(StoryThemeRow(story_id=row.id, theme_id=themes[rng.randrange(len(themes))].id))
    for stage in stages:
        journeys.add_item(engine, w.id, stage.id, "doing", f"What people do at {stage.name.lower()}")
        journeys.add_item(engine, w.id, stage.id, "touchpoints", f"Who they meet at {stage.name.lower()}")
        journeys.add_item(engine, w.id, stage.id, "opportunities", "An idea from the room")
    journeys.store_pain_point_proposals(engine, w)
    journeys.store_draft(engine, w, "as_is")
    journeys.store_draft(engine, w, "to_be")
    engine.dispose()
    return w.id


def timed(fn: Callable[[], object], repeat: int) -> tuple[float, float]:
    """(median, max) seconds over repeat runs, after one warm-up run."""
    fn()
    runs = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        runs.append(time.perf_counter() - start)
    return statistics.median(runs), max(runs)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, help="SQLite file to create (default: a temporary file)")
    parser.add_argument("--stories", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()

    tmp = tempfile.TemporaryDirectory()
    path = args.db or Path(tmp.name) / "bench.db"
    if path.exists():
        path.unlink()
    url = f"sqlite:///{path}"
    os.environ["CODESIGN_DATABASE_URL"] = url
    sys.path.insert(0, str(ROOT))

    from streamlit.testing.v1 import AppTest

    from codesign import journeys
    from codesign.charts import journey as charts
    from codesign.storage import journeys as repo
    from codesign.storage import workshops as workshop_repo
    from codesign.storage.db import make_engine
    from codesign.storage.stories import list_stories
    from codesign.ui import state

    start = time.perf_counter()
    workshop_id = seed_database(url, args.stories, args.seed)
    print(f"seeded {args.stories} stories in {time.perf_counter() - start:.1f} s ({path})")
    engine = make_engine(url)
    workshop = workshop_repo.get_workshop(engine, workshop_id)

    def journey_core() -> None:
        jmap = journeys.load_journey_map(engine, workshop)
        stories = list_stories(engine, workshop.id, statuses=["approved"])
        journeys.propose_pain_points(jmap.curve, stories, repo.list_story_themes(engine, workshop.id))
        charts.emotion_curve_figure(jmap.curve).to_json()
        charts.journey_map_figure(jmap).to_json()
        journeys.grid_rows(repo.list_journey_cells(engine, workshop.id), [js.stage for js in jmap.stages])

    def blueprint_core() -> None:
        as_is = journeys.load_blueprint(engine, workshop, "as_is")
        to_be = journeys.load_blueprint(engine, workshop, "to_be")
        journeys.compare_blueprints(as_is, to_be)
        for figure in (charts.blueprint_figure(as_is), *charts.blueprint_pair_figure(as_is, to_be)):
            figure.to_json()
        journeys.story_choices(list_stories(engine, workshop.id, statuses=["approved"]), as_is.stages)

    def render(path: str) -> Callable[[], object]:
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
        at.session_state[state.FACILITATOR] = True
        at.run()
        at.switch_page(path)

        def run() -> None:
            at.run()
            if at.exception:
                raise RuntimeError(at.exception[0].message)

        return run

    rows = [
        ("journey: core + figures", timed(journey_core, args.repeat)),
        ("blueprint: core + figures", timed(blueprint_core, args.repeat)),
        ("journey: AppTest render", timed(render("pages/journey.py"), args.repeat)),
        ("blueprint: AppTest render", timed(render("pages/blueprint.py"), args.repeat)),
    ]
    print(f"\n{'what':<28} {'median':>8} {'max':>8}  target < {TARGET_S:.1f} s ({args.stories} stories)")
    missed = False
    for name, (median, worst) in rows:
        ok = median < TARGET_S
        missed = missed or not ok
        print(f"{name:<28} {median:>7.3f}s {worst:>7.3f}s  {'ok' if ok else 'MISSED'}")
    engine.dispose()
    tmp.cleanup()
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
