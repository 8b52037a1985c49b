"""Export timings: the Word report with every chart for 1,000 stories (target <= 5 s warm), the PDF
(<= 15 s, Word report plus LibreOffice) and Excel (< 2 s).

Usage:
    python bench/bench_export.py [--stories 1000] [--warm-up] [--db URL --code CODE]

Without --db it builds a synthetic workshop in a temporary SQLite file: the demo's
stories repeated with variations, nine themes, a journey map, a blueprint, ideas and
votes. With --db and --code it times an existing workshop instead.
"""

from __future__ import annotations

import argparse
import random
import tempfile
import time
from pathlib import Path

from codesign import actions, demo, export, workshops
from codesign.export import gather_report_data, images, pdf
from codesign.export.docx import build_report
from codesign.storage import migrate
from codesign.storage import workshops as repo
from codesign.storage.db import make_engine, write_session
from codesign.storage.schema import (
    BlueprintCellRow,
    IdeaRow,
    JourneyCellRow,
    RoundRow,
    StageRow,
    StoryThemeRow,
    ThemeRow,
    VoteRow,
)
from codesign.storage.stories import add_story_row

LENSES = ("lived_experience", "carer_family", "staff", "other")
CONSENTS = ("themes_only", "anonymous_quote", "report_quote")


def build_workshop(url: str, n_stories: int, seed: int = 7) -> int:
    rng = random.Random(seed)
    engine = make_engine(url)
    migrate.upgrade(engine)
    texts = [item["text"] for item in demo.demo_data()["stories"]]
    workshop = workshops.create_workshop(engine, "Bench workshop", workshops.find_kit(engine, "living-well"))
    with write_session(engine) as s:
        stages = [r.id for r in s.query(StageRow).filter_by(workshop_id=workshop.id).order_by(StageRow.position)]
        keys = [r.key for r in s.query(StageRow).filter_by(workshop_id=workshop.id).order_by(StageRow.position)]
        themes = [ThemeRow(workshop_id=workshop.id, label=f"Theme {i + 1}", position=i) for i in range(9)]
        s.add_all(themes)
        s.flush()
        for i in range(n_stories):
            row = add_story_row(
                s,
                workshop.id,
                rng.choice(keys),
                text=f"{rng.choice(texts)} (variation {i})",
                lens_key=rng.choice(LENSES),
                emotion=rng.randint(1, 5),
                consent=rng.choice(CONSENTS),
                moderation_status="approved",
                client_submission_id=f"bench-{i}",
                device_hash=f"device-{i % 180}",
            )
            s.add(StoryThemeRow(story_id=row.id, theme_id=rng.choice(themes).id, score=rng.random()))
        for stage in stages:
            for lane in ("doing", "touchpoints", "thoughts_feelings", "pain_points", "opportunities"):
                s.add(JourneyCellRow(workshop_id=workshop.id, stage_id=stage, lane=lane, text=f"{lane} at stage"))
            for lane in ("physical_evidence", "person_actions", "frontstage", "backstage", "support_processes"):
                s.add(
                    BlueprintCellRow(
                        workshop_id=workshop.id,
                        stage_id=stage,
                        lane=lane,
                        text=f"{lane} step",
                        is_fail_point=rng.random() < 0.2,
                        is_wait_point=rng.random() < 0.2,
                    )
                )
        round_row = RoundRow(
            workshop_id=workshop.id, kind="ideas", prompt="What would help?", status="closed", revealed=True
        )
        s.add(round_row)
        s.flush()
        ideas = [
            IdeaRow(
                workshop_id=workshop.id,
                round_id=round_row.id,
                text=f"Idea {i}: {rng.choice(texts)[:80]}",
                moderation_status="approved",
                client_submission_id=f"idea-{i}",
            )
            for i in range(30)
        ]
        s.add_all(ideas)
        s.flush()
        for device in range(180):
            for idea in rng.sample(ideas, 3):
                s.add(
                    VoteRow(
                        round_id=round_row.id,
                        idea_id=idea.id,
                        device_hash=f"device-{device}",
                        lens_key=rng.choice(LENSES),
                        dots=1,
                    )
                )
    for n in range(6):
        actions.add_action(
            engine,
            workshop.id,
            actions.ActionDraft(
                f"Action {n + 1}: {rng.choice(texts)[:120]}", "Service lead", None, "Monthly audit of 20 records"
            ),
        )
    engine.dispose()
    return workshop.id


def timed(label: str, fn):  # type: ignore[no-untyped-def]
    started = time.perf_counter()
    result = fn()
    elapsed = time.perf_counter() - started
    size = f", {len(result) / 1024:.0f} KB" if isinstance(result, bytes) else ""
    print(f"{label:<52} {elapsed:6.2f} s{size}")
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--stories", type=int, default=1000)
    parser.add_argument("--db", help="database URL of an existing workshop")
    parser.add_argument("--code", help="join code of the workshop to time (with --db)")
    parser.add_argument(
        "--warm-up",
        action="store_true",
        help="start the browser in the background first, as the Export screen does when it opens",
    )
    args = parser.parse_args()
    if args.warm_up:
        images.start_in_background()
    if args.db:
        engine = make_engine(args.db)
        found = repo.find_workshop_by_code(engine, args.code or "")
        if found is None:
            raise SystemExit(f"No workshop with code {args.code!r} in {args.db}")
        workshop_id = found.id
    else:
        folder = Path(tempfile.mkdtemp(prefix="codesign-bench-"))
        url = f"sqlite:///{folder / 'bench.db'}"
        started = time.perf_counter()
        workshop_id = build_workshop(url, args.stories)
        print(f"built a workshop of {args.stories} stories in {time.perf_counter() - started:.1f} s")
        engine = make_engine(url)
    print(f"chart images: {images.unavailable_reason() or 'kaleido with ' + str(images.browser_path())}")

    for attempt in ("first", "again"):
        print(f"-- {attempt} run in this process")
        data = timed("gather report data (with figures)", lambda: gather_report_data(engine, workshop_id))
        timed("Word report, tables only (gathered above)", lambda data=data: build_report(data, render=None))
        images.forget_pictures()
        timed(
            "Word report, every chart drawn afresh",
            lambda: build_report(gather_report_data(engine, workshop_id)),
        )
        timed(
            "Word report again, pictures kept (nothing changed)",
            lambda: build_report(gather_report_data(engine, workshop_id)),
        )
        if pdf.unavailable_reason():
            print(f"PDF report: not timed ({pdf.unavailable_reason()})")
        else:
            timed(
                "PDF report after the Word one (pictures kept)",
                lambda: export.build_workshop_pdf(engine, workshop_id),
            )
            images.forget_pictures()
            timed(
                "PDF report, every chart drawn afresh",
                lambda: export.build_workshop_pdf(engine, workshop_id),
            )
        timed("Excel workbook", lambda: export.build_xlsx(engine, workshop_id))
        timed("CSV zip", lambda: export.build_csv_zip(engine, workshop_id))
        timed("JSON backup", lambda: export.build_backup(engine, workshop_id))
    print(f"  {data.stories_reported} stories, {len(data.themes)} themes, {len(data.figures)} charts")
    print("targets: Word report with every chart <= 5 s warm (the 'again' run, drawn afresh); PDF <= 15 s; Excel < 2 s")


if __name__ == "__main__":
    main()
