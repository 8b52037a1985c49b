"""Reading a CSV of texts to group, and writing it back with each row's theme (as bytes)."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from codesign.errors import ValidationFailed
from codesign.themes.pipeline import ThemeClustering

# Spreadsheets run a cell that starts with one of these as a formula (CSV injection).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class TextTable:
    """A CSV read for grouping: its header, its rows, and the texts of the chosen column."""

    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    texts: tuple[str, ...]
    formula_cells: int
    """Cells that a spreadsheet would run as a formula."""


def read_text_table(data: bytes, text_column: str, *, encoding: str = "utf-8", name: str = "the file") -> TextTable:
    """Parse CSV bytes and pick out the text column.

    A UTF-8 byte-order mark is ignored.

    Raises:
        ValidationFailed: With a message that says what to do, if the file is not text in
            ``encoding``, is empty, is not CSV, or lacks the column.
    """
    codec = "utf-8-sig" if encoding.lower().replace("_", "-") in {"utf-8", "utf8"} else encoding
    try:
        text = data.decode(codec)
    except UnicodeDecodeError as exc:
        raise ValidationFailed(
            f"{name} is not {encoding} text (byte 0x{data[exc.start]:02x} at position {exc.start}). "
            "Save it as CSV UTF-8, or name its encoding with --encoding (for example cp1252 for old Excel files)."
        ) from None
    except LookupError:
        raise ValidationFailed(f"{encoding!r} is not an encoding Python knows (try utf-8 or cp1252).") from None
    if "\x00" in text:
        raise ValidationFailed(f"{name} has NUL bytes: it looks like a spreadsheet or UTF-16 file, not CSV text.")
    try:
        records = list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error as exc:
        raise ValidationFailed(f"{name} could not be read as CSV: {exc}.") from None
    if not records or not any(cell.strip() for cell in records[0]):
        raise ValidationFailed(f"{name} is empty: it needs a header row naming its columns, then one row per text.")
    header = tuple(cell.strip() for cell in records[0])
    if text_column not in header:
        shown = ", ".join(repr(h) for h in header[:20])
        raise ValidationFailed(f"{name} has no column {text_column!r}. Its columns are: {shown}. Use --text-column.")
    col = header.index(text_column)
    width = len(header)
    rows = tuple(tuple((r + [""] * width)[:width]) for r in records[1:] if any(cell.strip() for cell in r))
    formulas = sum(1 for r in rows for cell in r if cell.startswith(FORMULA_START))
    return TextTable(header=header, rows=rows, texts=tuple(r[col] for r in rows), formula_cells=formulas)


def _safe_cell(cell: str) -> str:
    return "'" + cell if cell.startswith(FORMULA_START) else cell


def write_themed_csv(table: TextTable, result: ThemeClustering) -> bytes:
    """The input rows plus ``theme_id`` (1 = largest theme) and ``theme_label``, as UTF-8 CSV bytes.

    Cells a spreadsheet would run as formulas are written with a leading apostrophe.
    """
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\n")
    extra = [h for h in ("theme_id", "theme_label") if h in table.header]
    suffix = "_new" if extra else ""
    writer.writerow([_safe_cell(h) for h in table.header] + [f"theme_id{suffix}", f"theme_label{suffix}"])
    for row, theme in zip(table.rows, result.assignments, strict=True):
        label = result.themes[theme].label
        writer.writerow([_safe_cell(c) for c in row] + [str(theme + 1), _safe_cell(label)])
    return out.getvalue().encode("utf-8")
