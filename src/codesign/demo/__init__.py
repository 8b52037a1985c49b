"""The demo workshop: synthetic stories written for this project, so every screen shows something on first start."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy import Engine

from codesign import workshops
from codesign.models import Workshop
from codesign.storage import workshops as repo
from codesign.storage.db import write_session
from codesign.storage.stories import add_story_row
from codesign.stories import StoryDraft, preview_story, story_columns

DEMO_FILE = Path(__file__).parent / "living_well_demo.yaml"


@dataclass(frozen=True)
class DemoResult:
    workshop: Workshop
    created: bool
    stories: int


def demo_data() -> dict[str, Any]:
    data = yaml.safe_load(DEMO_FILE.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def find_demo(engine: Engine) -> Workshop | None:
    return next((w for w in repo.list_workshops(engine) if w.is_demo), None)


def load_demo(engine: Engine, *, reset: bool = False) -> DemoResult:
    """Create the demo workshop if there is none (or recreate it with reset).

    Demo stories go through the same pipeline as a participant's (normalise,
    de-identify, safeguarding check): their personal details are replaced, and those with
    risk language or likely names wait in the moderation queue like any participant's
    would. The others are approved, so the wall has something to show.
    """
    existing = find_demo(engine)
    if existing is not None and not reset:
        return DemoResult(existing, created=False, stories=existing.story_count)
    if existing is not None:
        repo.delete_workshop(engine, existing.id, actor="system")
    data = demo_data()
    kit_file = workshops.find_kit(engine, data["workshop"]["kit"])
    workshop = workshops.create_workshop(engine, data["workshop"]["title"], kit_file, is_demo=True)
    stories = data["stories"]
    kit = workshops.kit_of(engine, workshop)
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
                device_hash=f"demo-device-{i % 23:02d}",
                source="demo",
            )
    return DemoResult(repo.get_workshop(engine, workshop.id), created=True, stories=len(stories))
