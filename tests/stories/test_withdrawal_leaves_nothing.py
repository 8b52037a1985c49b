"""A withdrawn story leaves no trace: not in the database files (write-ahead log included), not in
theme names or map items made from its words, not in the audit log or undo history, not in any export."""

from __future__ import annotations

import io
import threading
import zipfile
from pathlib import Path

import pytest
from sqlalchemy import Engine, delete, select

from codesign import export, stories, workshops
from codesign.models import Workshop
from codesign.storage import history
from codesign.storage.db import write_session
from codesign.storage.schema import (
    AuditRow,
    BlueprintCellRow,
    BlueprintEvidenceRow,
    HistoryRow,
    JourneyCellRow,
    JourneyEvidenceRow,
    StageRow,
    StoryThemeRow,
    ThemeRow,
)
from codesign.stories.withdrawal import UNNAMED_THEME, label_after_withdrawal, rewrite_item
from codesign.themes import service as themes
from codesign.workshops.kits import get_builtin_kit

MARKER = "zebraquill"
OTHERS = [
    "The waits on the phone line were long and nobody called back.",
    "The crisis team came quickly and listened to my mum.",
    "The waits for a first appointment took months.",
    "My GP listened and referred me the same week.",
    "Peer support group on Tuesdays kept me going.",
    "The ward was noisy and I could not sleep at all.",
]


def _capture(engine: Engine, w: Workshop, text: str) -> stories.CaptureResult:
    return stories.capture_story(
        engine,
        w,
        stories.StoryDraft(text=text, consent="report_quote", emotion=1),
        client_submission_id=stories.new_submission_id(),
        device_token=workshops.new_device_token(),
    )


def _everything_exported(engine: Engine, workshop_id: int) -> dict[str, bytes]:
    """Every export's bytes, the zipped formats (Word, Excel, CSV) unpacked member by member."""
    files = {
        "report.docx": export.build_workshop_report(engine, workshop_id, chart_images=False),
        "data.xlsx": export.build_xlsx(engine, workshop_id),
        "tables.zip": export.build_csv_zip(engine, workshop_id),
        "backup.json": export.build_backup(engine, workshop_id),
    }
    out: dict[str, bytes] = {}
    for name, data in files.items():
        if data[:2] == b"PK":
            with zipfile.ZipFile(io.BytesIO(data)) as zf:
                for member in zf.namelist():
                    out[f"{name}/{member}"] = zf.read(member)
        else:
            out[name] = data
    return out


def _holding_marker(blobs: dict[str, bytes]) -> list[str]:
    return [name for name, data in blobs.items() if MARKER.encode() in data.lower()]


def _database_files(path: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in path.parent.glob(path.name + "*")}


@pytest.fixture
def file_engine(tmp_path: Path) -> Engine:
    return workshops.open_database(f"sqlite:///{tmp_path / 'room.db'}")


def test_withdrawal_leaves_no_copy_in_the_files_the_names_or_the_exports(file_engine: Engine, tmp_path: Path) -> None:
    engine = file_engine
    w = workshops.create_workshop(engine, "Crisis care", get_builtin_kit("living-well"))
    others = [_capture(engine, w, text) for text in OTHERS]
    marked = _capture(engine, w, f"The {MARKER} waits at the {MARKER} clinic: {MARKER} every time, awful.")
    for result in [*others, marked]:
        stories.approve_story(engine, result.story.id)  # moderation rows name each story
    themes.find_themes(engine, w, k=3)
    with write_session(engine) as s:
        stage_id = s.scalar(select(StageRow.id).where(StageRow.workshop_id == w.id))
        assert stage_id is not None
        # A theme named after the withdrawn story's word, a proposed pain point and an accepted
        # blueprint item repeating that name, and an undo snapshot naming the story.
        theme = ThemeRow(workshop_id=w.id, label=f"{MARKER.title()} waits", origin="auto")
        proposed = JourneyCellRow(
            workshop_id=w.id, stage_id=stage_id, lane="pain_points", status="proposed",
            text=f"{MARKER.title()} waits: 2 of 3 stories at this stage felt bad",
        )  # fmt: skip
        accepted = BlueprintCellRow(workshop_id=w.id, stage_id=stage_id, lane="backstage", text=f"Fix {MARKER} waits")
        s.add_all([theme, proposed, accepted])
        s.flush()
        moved = [marked.story.id, others[2].story.id]
        s.execute(delete(StoryThemeRow).where(StoryThemeRow.story_id.in_(moved)))
        s.add_all(
            [
                StoryThemeRow(story_id=marked.story.id, theme_id=theme.id),
                StoryThemeRow(story_id=others[2].story.id, theme_id=theme.id),
                JourneyEvidenceRow(cell_id=proposed.id, story_id=marked.story.id),
                BlueprintEvidenceRow(cell_id=accepted.id, story_id=marked.story.id),
            ]
        )
        history.record(s, w.id, "themes", {"themes": [{"story_ids": [marked.story.id, 1]}]}, summary="by hand")
        theme_id, proposed_id, accepted_id = theme.id, proposed.id, accepted.id
    db_path = tmp_path / "room.db"
    # The test can fail: before the withdrawal the marker is in the files and the exports.
    assert _holding_marker(_database_files(db_path))
    assert _holding_marker(_everything_exported(engine, w.id))

    stories.withdraw_story(engine, marked.withdraw_code, client_key="ip:phone")

    assert _holding_marker(_database_files(db_path)) == []
    assert (tmp_path / "room.db-wal").stat().st_size == 0  # checkpointed and truncated
    assert _holding_marker(_everything_exported(engine, w.id)) == []
    with engine.connect() as conn:
        assert conn.scalar(select(ThemeRow.label).where(ThemeRow.id == theme_id)) == UNNAMED_THEME
        assert conn.scalar(select(JourneyCellRow.id).where(JourneyCellRow.id == proposed_id)) is None
        assert conn.scalar(select(BlueprintCellRow.text).where(BlueprintCellRow.id == accepted_id)) == (
            f"Fix {UNNAMED_THEME}"
        )
        named = conn.scalars(
            select(AuditRow.id).where(AuditRow.target_type == "story", AuditRow.target_id == marked.story.id)
        ).all()
        assert named == []
        # The other stories' moderation rows keep their ids.
        assert conn.scalar(select(AuditRow.id).where(AuditRow.target_id == others[0].story.id)) is not None
        snapshot = conn.scalar(
            select(HistoryRow.snapshot).where(HistoryRow.workshop_id == w.id, HistoryRow.summary == "by hand")
        )
    assert snapshot == {"themes": [{"story_ids": [1]}]}


def test_the_write_ahead_log_is_emptied_even_while_others_read(file_engine: Engine, tmp_path: Path) -> None:
    engine = file_engine
    w = workshops.create_workshop(engine, "W", get_builtin_kit("living-well"))
    marked = _capture(engine, w, f"The {MARKER} letter came late.")
    for text in OTHERS:
        _capture(engine, w, text)
    stop = threading.Event()

    def reader() -> None:
        while not stop.is_set():
            stories.list_stories(engine, w.id)

    threads = [threading.Thread(target=reader) for _ in range(2)]
    for t in threads:
        t.start()
    try:
        stories.withdraw_story(engine, marked.withdraw_code)
    finally:
        stop.set()
        for t in threads:
            t.join()
    assert _holding_marker(_database_files(tmp_path / "room.db")) == []


@pytest.mark.parametrize(
    ("label", "withdrawn", "remaining", "expected"),
    [
        ("Long waits", "A long wait, such long waits.", ["The waits were long."], "Long waits"),
        ("Long waits", "A long wait, such long waits.", ["The waits were awful."], UNNAMED_THEME),
        ("Long waits", "The ward was cold.", ["Nothing in common."], "Long waits"),
        ("CMHT (2)", "The CMHT never rang.", ["The cmht rang back."], "CMHT (2)"),
        ("Letters", "Letters went astray.", [], UNNAMED_THEME),
    ],
)
def test_a_theme_keeps_its_name_unless_only_the_withdrawn_story_used_its_words(
    label: str, withdrawn: str, remaining: list[str], expected: str
) -> None:
    assert label_after_withdrawal(label, withdrawn, remaining) == expected


def test_items_repeating_a_changed_name_are_rewritten_in_any_case() -> None:
    assert rewrite_item("Fix long WAITS now", {"Long waits": "Theme to rename"}) == "Fix Theme to rename now"
    assert rewrite_item("Unrelated", {"Long waits": "Theme to rename"}) == "Unrelated"
