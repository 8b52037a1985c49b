"""The workshop's data as tables: a zip of CSV files, or one Excel workbook with a sheet per table.

The tables follow the same privacy rules as the report: only stories a facilitator
approved and that wait for no safeguarding review; for stories whose authors chose
"themes only", the row is kept (its stage, lens, emotion and theme still count) but the
words are withheld. Voters appear as numbers, never as device hashes.

Spreadsheet programs run a cell that starts with ``=``, ``+``, ``-`` or ``@`` as a
formula, and some treat a leading tab or carriage return the same way; participants'
text is data, so such cells are neutralised with a leading apostrophe (OWASP's advice).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from codesign.sanitiser import clean_text

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
WITHHELD = "[withheld: themes only]"
# Excel refuses a cell longer than this.
EXCEL_CELL_LIMIT = 32_767

# The column headers are a contract with the teams' own spreadsheets and scripts:
# change them deliberately (the golden test will notice).
HEADERS: dict[str, tuple[str, ...]] = {
    "stories": (
        "story_id",
        "stage",
        "lens",
        "emotion",
        "text",
        "helped",
        "would_have_helped",
        "strengths",
        "consent",
        "theme",
        "created_at",
    ),
    "themes": ("theme_id", "label", "description", "stories", "origin", "pinned"),
    "assignments": ("story_id", "theme_id", "theme", "source", "score"),
    "stakeholders": ("stakeholder_id", "name", "aliases", "kind", "sector", "influence", "interest", "notes"),
    "relationships": ("relationship_id", "source", "target", "type", "directed", "strength", "note"),
    "journey": ("cell_id", "stage", "lane", "text", "position", "status", "evidence_story_ids"),
    "blueprint": (
        "cell_id",
        "version",
        "stage",
        "lane",
        "text",
        "fail_point",
        "wait_point",
        "wait_time",
        "status",
        "evidence_story_ids",
    ),
    "ideas": ("idea_id", "round_id", "round_prompt", "text", "lens", "dots", "voters", "impact", "effort"),
    "votes": ("round_id", "idea_id", "voter", "lens", "dots"),
}
TABLE_NAMES: tuple[str, ...] = tuple(HEADERS)

Cell = str | int | float | bool | None


@dataclass(frozen=True)
class DataTables:
    """Every table of one workshop's export, rows in the order of ``HEADERS``."""

    code: str
    tables: dict[str, list[tuple[Cell, ...]]]

    def rows(self, name: str) -> list[tuple[Cell, ...]]:
        return self.tables[name]


def neutralise(value: Cell) -> Cell:
    """Make a cell safe to open in a spreadsheet: clean text, formulas defused.

    Args:
        value: A cell value; only strings are changed.

    Returns:
        Strings cleaned of control characters, with a leading apostrophe if they begin
        with a character that would start a formula; other values as they were.
    """
    if not isinstance(value, str):
        return value
    # Cleaned first: a control character in front must not hide a formula behind it.
    value = clean_text(value)
    return "'" + value if value[:1] in FORMULA_TRIGGERS else value


def _iso(value: datetime) -> str:
    # SQLite hands back naive datetimes; every stored time is UTC.
    return (value if value.tzinfo else value.replace(tzinfo=UTC)).isoformat(timespec="seconds")


def _csv_bytes(header: Sequence[str], rows: Sequence[tuple[Cell, ...]]) -> bytes:
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow(["" if v is None else neutralise(v) for v in row])
    # A byte-order mark, so Excel opens accented and non-Latin text as UTF-8.
    return out.getvalue().encode("utf-8-sig")


def build_csv(tables: DataTables, name: str) -> bytes:
    """One table as CSV bytes (UTF-8 with a byte-order mark, CRLF line ends)."""
    return _csv_bytes(HEADERS[name], tables.rows(name))


def _excel_cell(value: Cell) -> Cell:
    value = neutralise(value)
    if isinstance(value, str) and len(value) > EXCEL_CELL_LIMIT:
        return value[: EXCEL_CELL_LIMIT - 1] + "…"
    return value
