"""The workshop's data as tables: a zip of CSV files, or one Excel workbook with a sheet per table.

The tables follow the same privacy rules as the report: only stories a facilitator
approved and that wait for no safeguarding review. Data files are easily sent on, so a
story's words are in them only when its author agreed to be quoted in the report
(setting ``data_file_consents``); for other stories the row is kept (stage, lens,
emotion and theme still count) and the words are withheld. Voters appear as numbers,
never as device hashes.

The files are made for pivot tables: dates are dates, stages and lenses carry an order
column, cells hold the words people saw (not codes), links are one row per link, and
every Excel sheet is an Excel table with a header filter and fitted column widths.

Spreadsheet programs run a cell that starts with ``=``, ``+``, ``-`` or ``@`` as a
formula, and some treat a leading tab or carriage return the same way. In Excel every
text cell is written as a string cell, which Excel never evaluates, so the text reads
back exactly as typed. CSV has no cell types, so there such text gets a leading
apostrophe (OWASP's advice).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime

from openpyxl import Workbook
from openpyxl.cell.cell import Cell as ExcelCell
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.filters import AutoFilter
from openpyxl.worksheet.table import Table, TableStyleInfo

from codesign.sanitiser import clean_text

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
WITHHELD = "[withheld: themes only]"
WITHHELD_WORKSHOP_ONLY = "[withheld: to be quoted in the workshop only]"
# Excel refuses a cell longer than this.
EXCEL_CELL_LIMIT = 32_767
EXCEL_DATETIME = "yyyy-mm-dd hh:mm"
EXCEL_DATE = "yyyy-mm-dd"
MAX_COLUMN_WIDTH = 60
TABLE_STYLE = "TableStyleMedium2"

# The column headers are a contract with the teams' own spreadsheets and scripts:
# change them deliberately (the golden test will notice).
HEADERS: dict[str, tuple[str, ...]] = {
    "stories": (
        "story_id",
        "stage_order",
        "stage",
        "lens_order",
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
    "themes": ("theme_id", "label", "description", "insight", "stories", "origin", "pinned"),
    "assignments": ("story_id", "theme_id", "theme", "source", "score"),
    "stakeholders": ("stakeholder_id", "name", "aliases", "kind", "sector", "influence", "interest", "notes"),
    "relationships": ("relationship_id", "source", "target", "type", "directed", "strength", "note"),
    "journey": ("cell_id", "stage_order", "stage", "lane", "text", "position", "status"),
    "blueprint": (
        "cell_id",
        "version",
        "stage_order",
        "stage",
        "lane",
        "text",
        "fail_point",
        "wait_point",
        "wait_time",
        "status",
    ),
    "evidence": ("map", "cell_id", "story_id"),
    "ideas": ("idea_id", "round_id", "round_prompt", "text", "lens", "dots", "voters", "impact", "effort"),
    "votes": ("round_id", "idea_id", "voter", "lens", "dots"),
    "actions": ("action_number", "action", "owner", "due", "measure", "status"),
    "action_links": ("action_number", "answers_kind", "answers"),
}
TABLE_NAMES: tuple[str, ...] = tuple(HEADERS)

Cell = str | int | float | bool | datetime | date | None


@dataclass(frozen=True)
class DataTables:
    """Every table of one workshop's export, rows in the order of ``HEADERS``."""

    code: str
    tables: dict[str, list[tuple[Cell, ...]]]

    def rows(self, name: str) -> list[tuple[Cell, ...]]:
        return self.tables[name]


def neutralise(value: Cell) -> Cell:
    """Make a CSV cell safe to open in a spreadsheet: clean text, formulas defused.

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


def _csv_value(value: Cell) -> Cell:
    if isinstance(value, datetime):
        return _iso(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bool):
        return "Yes" if value else "No"
    return neutralise(value)


def _csv_bytes(header: Sequence[str], rows: Sequence[tuple[Cell, ...]]) -> bytes:
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow(["" if v is None else _csv_value(v) for v in row])
    # A byte-order mark, so Excel opens accented and non-Latin text as UTF-8.
    return out.getvalue().encode("utf-8-sig")


def build_csv(tables: DataTables, name: str) -> bytes:
    """One table as CSV bytes (UTF-8 with a byte-order mark, CRLF line ends)."""
    return _csv_bytes(HEADERS[name], tables.rows(name))


def _excel_cell(value: Cell) -> Cell:
    """A value as Excel should hold it: clean text (never changed otherwise), UTC times without a zone."""
    if isinstance(value, datetime):
        return (value.astimezone(UTC) if value.tzinfo else value).replace(tzinfo=None)
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if not isinstance(value, str):
        return value
    value = clean_text(value)
    if len(value) > EXCEL_CELL_LIMIT:
        return value[: EXCEL_CELL_LIMIT - 1] + "…"
    return value


def build_workbook(tables: DataTables) -> bytes:
    """Every table as a sheet: an Excel table with a header filter, frozen header, fitted widths.

    Text is written as string cells, so "=1+1" from a participant stays the text "=1+1".
    """
    book = Workbook()
    first = True
    for name in TABLE_NAMES:
        sheet = book.active if first else book.create_sheet()
        assert sheet is not None
        first = False
        sheet.title = name
        header = HEADERS[name]
        sheet.append(list(header))
        widths = [len(h) for h in header]
        for row in tables.rows(name):
            # Cells made here and appended: reading a row back with sheet[n] scans the whole sheet each time.
            cells = [ExcelCell(sheet, value=_excel_cell(v)) for v in row]
            sheet.append(cells)
            for column, cell in enumerate(cells):
                value = cell.value
                if isinstance(value, str):
                    cell.data_type = "s"  # never a formula, whatever it starts with
                    widths[column] = max(widths[column], min(len(value), MAX_COLUMN_WIDTH))
                elif isinstance(value, datetime):
                    cell.number_format = EXCEL_DATETIME
                    widths[column] = max(widths[column], 16)
                elif isinstance(value, date):
                    cell.number_format = EXCEL_DATE
                    widths[column] = max(widths[column], 10)
                elif value is not None:
                    widths[column] = max(widths[column], len(str(value)))
        for column, width in enumerate(widths, start=1):
            sheet.column_dimensions[get_column_letter(column)].width = width + 2
        sheet.freeze_panes = "A2"
        # An Excel table needs a row under its header; an empty sheet gets an empty one.
        last = max(sheet.max_row, 2)
        ref = f"A1:{get_column_letter(len(header))}{last}"
        table = Table(displayName=f"{name.title().replace('_', '')}Table", ref=ref)
        table.tableStyleInfo = TableStyleInfo(name=TABLE_STYLE, showRowStripes=True)
        table.autoFilter = AutoFilter(ref=ref)
        sheet.add_table(table)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
