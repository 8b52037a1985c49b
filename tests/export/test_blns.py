"""The Big List of Naughty Strings through every exporter: nothing fails, nothing is turned into markup."""

from __future__ import annotations

import io
import json
import zipfile

from docx import Document
from openpyxl import load_workbook
from sqlalchemy import Engine

from codesign import export, workshops
from codesign.export import gather_report_data, tables
from codesign.export.docx import build_report
from codesign.storage import migrate
from codesign.storage.db import make_engine, write_session
from codesign.storage.schema import IdeaRow, RoundRow, StoryThemeRow, ThemeRow
from codesign.storage.stories import add_story_row
from codesign.workshops.kits import get_builtin_kit


def test_naughty_strings_pass_through_every_exporter(engine: Engine, blns: list[str], tmp_path) -> None:  # type: ignore[no-untyped-def]
    workshop = workshops.create_workshop(engine, "Naughty strings", get_builtin_kit("living-well"))
    with write_session(engine) as s:
        round_row = RoundRow(workshop_id=workshop.id, kind="ideas", prompt=blns[-1])
        s.add(round_row)
        s.flush()
        for n, text in enumerate(blns):
            # What a database can hold: PostgreSQL and SQLite's driver both refuse NUL.
            text = text.replace("\x00", "")
            if n % 10 == 0:  # a theme per ten strings keeps the test quick; every string is an idea too
                theme = ThemeRow(workshop_id=workshop.id, label=text[:120] or "(empty)", position=n)
                s.add(theme)
                s.flush()
            story = add_story_row(
                s,
                workshop.id,
                "waiting",
                text=text,
                helped=text,
                consent="report_quote",
                moderation_status="approved",
                emotion=1 + n % 5,
                lens_key="staff",
                client_submission_id=f"blns-{n}",
            )
            s.flush()
            s.add(StoryThemeRow(story_id=story.id, theme_id=theme.id))
            s.add(
                IdeaRow(
                    workshop_id=workshop.id,
                    round_id=round_row.id,
                    text=text,
                    moderation_status="approved",
                    client_submission_id=f"idea-{n}",
                )
            )

    doc = Document(io.BytesIO(build_report(gather_report_data(engine, workshop.id), render=None)))
    cells = "\n".join(cell.text for table in doc.tables for row in table.rows for cell in row.cells)
    assert "<script>alert(123)</script>" in cells  # literal text, never markup
    book = load_workbook(io.BytesIO(export.build_xlsx(engine, workshop.id)))
    assert book["stories"].max_row == len(blns) + 1
    assert not any(c.data_type == "f" for row in book["stories"].iter_rows() for c in row)
    with zipfile.ZipFile(io.BytesIO(export.build_csv_zip(engine, workshop.id))) as archive:
        assert len(archive.namelist()) == len(tables.TABLE_NAMES)
    data = export.build_backup(engine, workshop.id)
    assert json.loads(data)["counts"]["stories"] == len(blns)
    other = make_engine(f"sqlite:///{tmp_path / 'other.db'}")
    migrate.upgrade(other)
    assert export.restore_backup(other, data).story_count == len(blns)
    other.dispose()
