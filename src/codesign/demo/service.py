"""The demo workshop: synthetic content written for this project, so every screen shows something on first start.

After its stories, the demo runs the facilitator's own steps through the same core functions
the screens call: themes found once, a journey map with pain points proposed and two accepted,
an "as is" blueprint drafted from it, and an ideas round and an agreement round voted on by
the demo's phones and revealed. Nothing is written to a table directly, so the demo shows
what the product really does with this material.
"""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy import Engine

from codesign import actions, journeys, voting, workshops
from codesign.models import Workshop
from codesign.storage import journeys as journey_repo
from codesign.storage import workshops as repo
from codesign.storage.db import write_session
from codesign.storage.stories import add_story_row
from codesign.stories import StoryDraft, preview_story, story_columns
from codesign.themes.service import board_summaries, find_themes
from codesign.workshops.kits import Kit

DEMO_FILE = Path(__file__).parent / "living_well_demo.yaml"
# Seeds the theme grouping and the demo phones' dots: the demo is the same on every machine.
DEMO_SEED = 7
ACCEPTED_PAIN_POINTS = 2
ANSWER_LETTERS = {"A": 1, "D": -1, "P": 0}


@dataclass(frozen=True)
class DemoResult:
    """What loading the demo did (counts are zero when an existing demo was kept)."""

    workshop: Workshop
    created: bool
    stories: int
    themes: int = 0
    journey_items: int = 0
    blueprint_items: int = 0
    rounds: int = 0
    actions: int = 0


def demo_data() -> dict[str, Any]:
    """The demo's synthetic content, from the YAML file next to this module."""
    data = yaml.safe_load(DEMO_FILE.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def find_demo(engine: Engine) -> Workshop | None:
    """The demo workshop, if there is one."""
    return next((w for w in repo.list_workshops(engine) if w.is_demo), None)


def demo_device(n: int) -> str:
    """The hashed device token of the demo's n-th phone."""
    return f"demo-device-{n:02d}"


def load_demo(engine: Engine, *, reset: bool = False) -> DemoResult:
    """Create the demo workshop if there is none (or recreate it with reset).

    Demo stories go through the same pipeline as a participant's (normalise,
    de-identify, safeguarding check): their personal details are replaced, and those with
    risk language or likely names wait in the moderation queue like any participant's
    would. The others are approved, so the wall has something to show. Then the
    facilitator's steps run through the screens' own functions (see the module docstring).

    Args:
        engine: The database.
        reset: Delete an existing demo workshop and create it again.

    Returns:
        The demo workshop and what was created.
    """
    existing = find_demo(engine)
    if existing is not None and not reset:
        return DemoResult(existing, created=False, stories=existing.story_count)
    if existing is not None:
        repo.delete_workshop(engine, existing.id, actor="system")
    data = demo_data()
    workshop = create_demo_workshop(engine, data)
    kit = workshops.kit_of(engine, workshop)
    run = find_themes(engine, workshop, seed=DEMO_SEED)
    items = add_demo_journey(engine, workshop, data.get("journey") or {})
    drafted = journeys.store_draft(engine, workshop, "as_is", replace=True)
    rounds = add_demo_rounds(engine, workshop, kit, data)
    agreed = add_demo_actions(engine, workshop, data.get("actions") or [])
    return DemoResult(
        repo.get_workshop(engine, workshop.id),
        created=True,
        stories=len(data["stories"]),
        themes=len(run.clustering.themes) if run.clustering else 0,
        journey_items=items,
        blueprint_items=drafted,
        rounds=rounds,
        actions=agreed,
    )


def create_demo_workshop(engine: Engine, data: dict[str, Any] | None = None) -> Workshop:
    """Create the demo workshop with its stories only: the starting point before the facilitator's steps.

    Args:
        engine: The database.
        data: The demo's content; default the shipped demo file.

    Returns:
        The new demo workshop.
    """
    data = data or demo_data()
    kit_file = workshops.find_kit(engine, data["workshop"]["kit"])
    workshop = workshops.create_workshop(engine, data["workshop"]["title"], kit_file, is_demo=True)
    add_demo_stories(engine, workshop, workshops.kit_of(engine, workshop), data["stories"])
    return repo.get_workshop(engine, workshop.id)


def add_demo_stories(engine: Engine, workshop: Workshop, kit: Kit, stories: list[dict[str, Any]]) -> int:
    """Store the demo stories as participants' would be stored; returns how many."""
    with write_session(engine) as s:
        for i, item in enumerate(stories):
            draft = StoryDraft(
                text=item["text"],
                stage_key=item.get("stage"),
                lens_key=item.get("lens"),
                emotion=item.get("emotion"),
                helped=item.get("helped") or "",
                would_have_helped=item.get("would_have_helped") or "",
                strengths=item.get("strengths") or "",
                consent=item.get("consent", "anonymous_quote"),
            )
            preview = preview_story(draft, kit)
            status = item.get("status") or ("pending" if preview.has_risk or preview.name_flags else "approved")
            add_story_row(
                s,
                workshop.id,
                draft.stage_key,
                **story_columns(draft, kit, status),
                client_submission_id=f"demo-{i:03d}",
                device_hash=demo_device(i % 23),
                source="demo",
            )
    return len(stories)


def add_demo_journey(engine: Engine, workshop: Workshop, journey: dict[str, dict[str, list[str]]]) -> int:
    """Add the facilitator's journey items, then propose pain points and accept the first ones.

    Returns:
        How many items the map has (accepted or proposed).
    """
    stage_ids = {stage.key: stage.id for stage in repo.list_stages(engine, workshop.id)}
    for stage_key, lanes in journey.items():
        for lane, texts in lanes.items():
            for text in texts:
                journeys.add_item(engine, workshop.id, stage_ids[stage_key], lane, text)
    journeys.store_pain_point_proposals(engine, workshop)
    cells = journey_repo.list_journey_cells(engine, workshop.id)
    proposed = sorted((c for c in cells if c.lane == "pain_points" and c.status == "proposed"), key=lambda c: c.id)
    for cell in proposed[:ACCEPTED_PAIN_POINTS]:
        journeys.decide_proposal(engine, workshop.id, cell.id, "accepted")
    return len(cells)


def add_demo_rounds(engine: Engine, workshop: Workshop, kit: Kit, data: dict[str, Any]) -> int:
    """Run an agreement round, then an ideas round, with the demo's phones; both revealed.

    The agreement round opens first so that the ideas round, the newest, is the one the
    ideas screen shows first.

    Returns:
        How many rounds were opened.
    """
    opened = 0
    spec = data.get("agreement_round")
    if spec:
        add_agreement_round(engine, workshop, spec, data["ideas_round"]["voters"])
        opened += 1
    spec = data.get("ideas_round")
    if spec:
        add_ideas_round(engine, workshop, kit, spec)
        opened += 1
    return opened


def add_ideas_round(engine: Engine, workshop: Workshop, kit: Kit, spec: dict[str, Any]) -> None:
    """Collect and approve the ideas, let every demo phone spend its dots, reveal, place some on the grid."""
    rnd = voting.open_round(engine, workshop.id, spec["prompt"])
    placements: dict[int, tuple[float | None, float | None]] = {}
    appeal: dict[int, int] = {}
    for i, item in enumerate(spec["ideas"]):
        idea = voting.submit_idea(
            engine,
            rnd.id,
            item["text"],
            client_submission_id=f"demo-idea-{i:02d}",
            device_hash=demo_device(item["device"]),
            lens_key=item.get("lens"),
            vocabulary=kit.vocabulary,
        ).idea
        voting.moderate_idea(engine, idea.id, "approve")
        appeal[idea.id] = int(item.get("appeal", 1))
        if "impact" in item:
            placements[idea.id] = (float(item["impact"]), float(item["effort"]))
    voting.start_voting(engine, rnd.id)
    rng = random.Random(DEMO_SEED)
    ids = sorted(appeal)
    for n, lens in enumerate(spec["voters"]):
        chosen = Counter(rng.choices(ids, weights=[appeal[i] for i in ids], k=rnd.vote_budget))
        for idea_id, dots in sorted(chosen.items()):
            voting.set_dots(engine, rnd.id, idea_id, demo_device(n), dots, lens_key=lens)
    voting.set_revealed(engine, rnd.id, True)
    voting.place_ideas(engine, placements)


def add_demo_actions(engine: Engine, workshop: Workshop, specs: list[dict[str, Any]]) -> int:
    """Record the actions the room agreed, linked to what the demo made; returns how many."""
    options = actions.link_options(engine, workshop.id)
    by_kind: dict[str, list[actions.Link]] = {}
    for option in options:
        by_kind.setdefault(option.kind, []).append(option.link)
    if "theme" in by_kind:
        # Largest theme first, as the report lists them.
        sizes = {t.theme.id: t.size for t in board_summaries(engine, workshop)}
        by_kind["theme"].sort(key=lambda link: sizes.get(link.target_id, 0), reverse=True)
    for spec in specs:
        links = tuple(
            by_kind[kind][n]
            for kind, numbers in (spec.get("links") or {}).items()
            for n in numbers
            if n < len(by_kind.get(kind, []))
        )
        actions.add_action(
            engine,
            workshop.id,
            actions.ActionDraft(
                text=spec["text"],
                owner=spec.get("owner") or "",
                due=spec.get("due"),
                measure=spec.get("measure") or "",
                status=spec.get("status", "agreed"),
                links=links,
            ),
        )
    return len(specs)


def add_agreement_round(engine: Engine, workshop: Workshop, spec: dict[str, Any], voters: list[str]) -> None:
    """Add the statements, record each demo phone's answers (lens by lens, in phone order), reveal."""
    rnd = voting.open_round(engine, workshop.id, spec["prompt"], kind="agreement")
    statements = voting.add_statements(engine, rnd.id, texts=[item["text"] for item in spec["statements"]])
    phones: dict[str, list[int]] = {}
    for n, lens in enumerate(voters):
        phones.setdefault(lens, []).append(n)
    for statement, item in zip(statements, spec["statements"], strict=True):
        for lens, letters in item["answers"].items():
            for n, letter in zip(phones[lens], letters, strict=True):
                voting.answer_statement(engine, statement.id, demo_device(n), ANSWER_LETTERS[letter], lens_key=lens)
    voting.set_revealed(engine, rnd.id, True)
