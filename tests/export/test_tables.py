"""CSV and Excel exports: golden headers, privacy, and formula injection."""

from __future__ import annotations

import csv
import io
import zipfile
from datetime import date, datetime

import pytest
from openpyxl import load_workbook
from sqlalchemy import Engine

from codesign import export
from codesign.export import tables
from codesign.models import CONSENT_LABELS, Workshop
from tests.export.conftest import CONTROL_STORY, FORMULA_STORY, IDEAS, QUOTED, WITHHELD, WITHHELD_IDEA, Seeded

# The CSV headers are a contract with teams' own spreadsheets: this is the golden copy.
GOLDEN_HEADERS = {
    "stories": "story_id,stage_order,stage,lens_order,lens,emotion,text,helped,would_have_helped,strengths,consent,"
    "theme,created_at",
    "themes": "theme_id,label,description,insight,stories,origin,pinned",
    "assignments": "story_id,theme_id,theme,source,score",
    "stakeholders": "stakeholder_id,name,aliases,kind,sector,influence,interest,notes",
    "relationships": "relationship_id,source,target,type,directed,strength,note",
    "journey": "cell_id,stage_order,stage,lane,text,position,status",
    "blueprint": "cell_id,version,stage_order,stage,lane,text,fail_point,wait_point,wait_time,status",
    "evidence": "map,cell_id,story_id",
    "ideas": "idea_id,round_id,round_prompt,text,lens,dots,voters,impact,effort",
    "votes": "round_id,idea_id,voter,lens,dots",
    "actions": "action_number,action,owner,due,measure,status",
    "action_links": "action_number,answers_kind,answers",
}


def read_zip(data: bytes) -> dict[str, list[list[str]]]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {
            name.rsplit("/", 1)[1].removesuffix(".csv"): list(
                csv.reader(io.StringIO(archive.read(name).decode("utf-8-sig")))
            )
            for name in archive.namelist()
        }


@pytest.fixture
def csv_tables(engine: Engine, seeded: Seeded) -> dict[str, list[list[str]]]:
    return read_zip(export.build_csv_zip(engine, seeded.workshop.id))


def test_csv_headers_are_the_golden_ones(csv_tables: dict[str, list[list[str]]]) -> None:
    assert list(csv_tables) == list(GOLDEN_HEADERS)
    for name, header in GOLDEN_HEADERS.items():
        assert ",".join(csv_tables[name][0]) == header, name


def test_csv_files_start_with_a_byte_order_mark_and_sit_in_a_folder_named_by_code(
    engine: Engine, seeded: Seeded
) -> None:
    with zipfile.ZipFile(io.BytesIO(export.build_csv_zip(engine, seeded.workshop.id))) as archive:
        names = archive.namelist()
        assert names[0] == f"{seeded.workshop.code}/stories.csv"
        assert archive.read(names[0]).startswith(b"\xef\xbb\xbf")


def test_stories_honour_moderation_safeguarding_consent_and_withdrawal(csv_tables: dict[str, list[list[str]]]) -> None:
    stories = {row[0]: row for row in csv_tables["stories"][1:]}
    texts = [row[6] for row in stories.values()]
    assert QUOTED["report"] in texts and QUOTED["reviewed"] in texts
    everything = "\n".join(",".join(row) for rows in csv_tables.values() for row in rows)
    # Data files travel: "quote in the workshop" stays in the room, like "themes only".
    for key in ("hidden", "pending", "flagged", "withdrawn", "themes_only", "anonymous"):
        assert WITHHELD[key].split()[0] not in everything, key
    assert WITHHELD_IDEA.split()[0] not in everything
    themes_only = [row for row in stories.values() if row[10] == CONSENT_LABELS["themes_only"]]
    assert len(themes_only) == 1 and themes_only[0][6] == tables.WITHHELD and themes_only[0][11]
    in_room = [row for row in stories.values() if row[10] == CONSENT_LABELS["anonymous_quote"]]
    assert len(in_room) == 1 and in_room[0][6] == tables.WITHHELD_WORKSHOP_ONLY and in_room[0][4]
    assert len(stories) == 6


def test_votes_name_voters_by_number_never_by_device(csv_tables: dict[str, list[list[str]]]) -> None:
    votes = csv_tables["votes"][1:]
    assert sorted(row[2] for row in votes) == ["voter 1", "voter 2", "voter 2"]
    assert "device-" not in "\n".join(",".join(row) for rows in csv_tables.values() for row in rows)
    ideas = {row[3]: row for row in csv_tables["ideas"][1:]}
    assert ideas[IDEAS[0]][5:7] == ["3", "2"]


def test_evidence_lists_only_reported_stories(csv_tables: dict[str, list[list[str]]], seeded: Seeded) -> None:
    journey = {row[4]: row for row in csv_tables["journey"][1:]}
    pain = journey["JOURNEY-PAIN no news"]
    assert pain[3] == "Pain points" and pain[6] == "Accepted"
    assert WITHHELD["themes_only"] not in journey
    # One row per link, and only to reported stories (the pending one is left out).
    links = [row for row in csv_tables["evidence"][1:] if row[1] == pain[0]]
    assert links == [["Journey map", pain[0], str(seeded.story_ids["formula"])]]
    blueprint = {row[5]: row for row in csv_tables["blueprint"][1:]}
    assert blueprint["BLUEPRINT-WAIT triage meeting"][6:9] == ["No", "Yes", "6 weeks"]
    assert blueprint["BLUEPRINT-WAIT triage meeting"][1] == "As is"
    stories = {row[0]: row for row in csv_tables["stories"][1:]}
    waiting = stories[str(seeded.story_ids["formula"])]
    assert waiting[1:5] == ["3", "Waiting", "3", "Staff or volunteer"]


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("+44 7700 900123", "'+44 7700 900123"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1:A2)", "'@SUM(A1:A2)"),
        ("\t=cmd", "'\t=cmd"),
        ("\r=cmd", "'\r=cmd"),
        ("\x00=cmd|' /C calc'!A0", "'=cmd|' /C calc'!A0"),
        ("a = b", "a = b"),
        ("plain text", "plain text"),
        ("", ""),
        (-3, -3),
        (2.5, 2.5),
        (None, None),
        (True, True),
    ],
)
def test_formula_injection_is_neutralised(cell: object, expected: object) -> None:
    assert tables.neutralise(cell) == expected  # type: ignore[arg-type]


def test_formula_story_is_literal_in_csv_and_excel(
    engine: Engine, seeded: Seeded, csv_tables: dict[str, list[list[str]]]
) -> None:
    texts = [row[6] for row in csv_tables["stories"][1:]]
    assert "'" + FORMULA_STORY in texts
    book = load_workbook(io.BytesIO(export.build_xlsx(engine, seeded.workshop.id)))
    cells = [c for row in book["stories"].iter_rows(min_row=2) for c in row if c.column == 7]
    formula = next(c for c in cells if "HYPERLINK" in str(c.value))
    # A string cell: Excel never runs it, and it reads back exactly as typed, with no apostrophe.
    assert formula.data_type == "s" and formula.value == FORMULA_STORY
    assert not any(c.data_type == "f" for sheet in book for row in sheet.iter_rows() for c in row)


def test_excel_has_one_sheet_per_table_with_the_same_rows_as_csv(
    engine: Engine, seeded: Seeded, csv_tables: dict[str, list[list[str]]]
) -> None:
    book = load_workbook(io.BytesIO(export.build_xlsx(engine, seeded.workshop.id)))
    assert book.sheetnames == list(tables.TABLE_NAMES)
    for name in tables.TABLE_NAMES:
        sheet = book[name]
        rows = list(sheet.iter_rows(values_only=True))
        assert [str(h) for h in rows[0]] == csv_tables[name][0]
        assert len(rows) == len(csv_tables[name]), name
        assert sheet.freeze_panes == "A2"
        # An Excel table with a header filter on every sheet, over the whole sheet.
        assert len(sheet.tables) == 1, name
        table = next(iter(sheet.tables.values()))
        assert table.autoFilter is not None and table.autoFilter.ref == table.ref
        assert table.ref.startswith("A1:") and int(
            table.ref.rsplit(":", 1)[1].lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
        ) >= len(rows)
        assert all(sheet.column_dimensions[c].width >= 8 for c in "AB")
    control = "CONTROL-CHARS here is a bell, a vertical tab and a unit separator in a story."
    assert control in [r[6] for r in book["stories"].iter_rows(min_row=2, values_only=True)]
    assert CONTROL_STORY not in [r[6] for r in book["stories"].iter_rows(min_row=2, values_only=True)]
    # Dates are dates, not text: a pivot table can group them by day or month.
    created = [c for row in book["stories"].iter_rows(min_row=2) for c in row if c.column == 13]
    assert created and all(c.is_date and isinstance(c.value, datetime) for c in created)
    due = book["actions"]["D2"]
    assert due.is_date and due.value.date() == date(2027, 3, 31)
    assert [c.value for c in book["actions"][2]][1:3] == [
        "ACTION-ONE a named contact for everyone waiting",
        "ACTION-OWNER team manager",
    ]
    kinds = sorted(r[1] for r in book["action_links"].iter_rows(min_row=2, values_only=True))
    assert kinds == ["Fail point", "Idea", "Pain point", "Theme"]


def test_empty_workshop_exports_headers_only(engine: Engine, empty_workshop: Workshop) -> None:
    exported = read_zip(export.build_csv_zip(engine, empty_workshop.id))
    assert all(len(rows) == 1 for name, rows in exported.items() if name not in ("stakeholders", "relationships"))
    book = load_workbook(io.BytesIO(export.build_xlsx(engine, empty_workshop.id)))
    assert book["stories"].max_row == 1


def test_excel_of_a_thousand_stories_holds_every_row(engine: Engine, seeded: Seeded) -> None:
    from codesign.storage.db import write_session
    from codesign.storage.stories import add_story_row

    with write_session(engine) as s:
        for i in range(1000):
            add_story_row(
                s,
                seeded.workshop.id,
                "waiting",
                text=f"story {i} about waiting",
                client_submission_id=f"b{i}",
                moderation_status="approved",
                consent="anonymous_quote",
            )
    # Speed is measured in bench/bench_export.py; here, that nothing is lost.
    data = export.build_xlsx(engine, seeded.workshop.id)
    sheet = load_workbook(io.BytesIO(data))["stories"]
    assert sheet.max_row == 1007
    assert next(iter(sheet.tables.values())).ref.endswith("1007")
