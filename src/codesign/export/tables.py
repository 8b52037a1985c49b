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
import zipfile
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.worksheet.worksheet import Worksheet
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from codesign.export.report_data import QUOTABLE_CONSENTS, LeakGuard, is_quotable, is_reported
from codesign.export.sanitiser import clean_text
from codesign.storage import workshops as repo
from codesign.storage.db import read_session
from codesign.storage.schema import (
    BlueprintCellRow,
    BlueprintEvidenceRow,
    IdeaRow,
    JourneyCellRow,
    JourneyEvidenceRow,
    RelationshipRow,
    RoundRow,
    StakeholderRow,
    StoryThemeRow,
    ThemeRow,
    VoteRow,
    as_utc,
)
from codesign.storage.stories import list_stories

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


def gather_tables(engine: Engine, workshop_id: int) -> DataTables:
    """Read every exported table of one workshop, with the privacy rules applied.

    Raises:
        NotFoundError: If the workshop does not exist.
    """
    workshop = repo.get_workshop(engine, workshop_id)
    stage_by_id = {s.id: s.name for s in repo.list_stages(engine, workshop_id)}
    stage_by_key = {s.key: s.name for s in repo.list_stages(engine, workshop_id)}
    lens_by_key = {lens.key: lens.name for lens in repo.list_lenses(engine, workshop_id)}
    stories = list_stories(engine, workshop_id)
    reported = {s.id: s for s in stories if is_reported(s)}
    guard = LeakGuard([s.text for s in stories if not is_quotable(s, QUOTABLE_CONSENTS)])
    tables: dict[str, list[tuple[Cell, ...]]] = {}
    with read_session(engine) as s:
        themes = s.scalars(
            select(ThemeRow).where(ThemeRow.workshop_id == workshop_id).order_by(ThemeRow.position, ThemeRow.id)
        ).all()
        theme_label = {t.id: t.label for t in themes}
        assignments = [
            a
            for a in s.scalars(
                select(StoryThemeRow)
                .join(ThemeRow, ThemeRow.id == StoryThemeRow.theme_id)
                .where(ThemeRow.workshop_id == workshop_id)
                .order_by(StoryThemeRow.story_id)
            ).all()
            if a.story_id in reported
        ]
        theme_of = {a.story_id: a.theme_id for a in assignments}
        sizes: dict[int, int] = defaultdict(int)
        for a in assignments:
            sizes[a.theme_id] += 1

        story_rows: list[tuple[Cell, ...]] = []
        for story in reported.values():
            words = story.consent != "themes_only"
            story_rows.append(
                (
                    story.id,
                    stage_by_key.get(story.stage_key or "", ""),
                    lens_by_key.get(story.lens_key or "", story.lens_key or ""),
                    story.emotion,
                    story.text if words else WITHHELD,
                    story.helped if words else "",
                    story.would_have_helped if words else "",
                    story.strengths if words else "",
                    story.consent,
                    theme_label.get(theme_of.get(story.id, -1), ""),
                    _iso(story.created_at),
                )
            )
        tables["stories"] = story_rows
        tables["themes"] = [(t.id, t.label, t.description, sizes[t.id], t.origin, t.pinned) for t in themes]
        tables["assignments"] = [
            (a.story_id, a.theme_id, theme_label[a.theme_id], a.source, a.score) for a in assignments
        ]

        people = s.scalars(
            select(StakeholderRow).where(StakeholderRow.workshop_id == workshop_id).order_by(StakeholderRow.id)
        ).all()
        name_of = {p.id: p.name for p in people}
        tables["stakeholders"] = [
            (p.id, p.name, "; ".join(map(str, p.aliases or [])), p.kind, p.sector, p.influence, p.interest, p.notes)
            for p in people
        ]
        tables["relationships"] = [
            (r.id, name_of.get(r.source_id, ""), name_of.get(r.target_id, ""), r.type, r.directed, r.strength, r.note)
            for r in s.scalars(
                select(RelationshipRow).where(RelationshipRow.workshop_id == workshop_id).order_by(RelationshipRow.id)
            ).all()
        ]

        journey_evidence = _evidence(s, JourneyEvidenceRow, reported)
        tables["journey"] = [
            (
                c.id,
                stage_by_id.get(c.stage_id, ""),
                c.lane,
                c.text,
                c.position,
                c.status,
                journey_evidence.get(c.id, ""),
            )
            for c in s.scalars(
                select(JourneyCellRow)
                .where(JourneyCellRow.workshop_id == workshop_id)
                .order_by(JourneyCellRow.stage_id, JourneyCellRow.lane, JourneyCellRow.position, JourneyCellRow.id)
            ).all()
            if guard.allows(c.text)
        ]
        blueprint_evidence = _evidence(s, BlueprintEvidenceRow, reported)
        tables["blueprint"] = [
            (
                c.id,
                c.version,
                stage_by_id.get(c.stage_id, ""),
                c.lane,
                c.text,
                c.is_fail_point,
                c.is_wait_point,
                c.wait_time,
                c.status,
                blueprint_evidence.get(c.id, ""),
            )
            for c in s.scalars(
                select(BlueprintCellRow)
                .where(BlueprintCellRow.workshop_id == workshop_id)
                .order_by(
                    BlueprintCellRow.version,
                    BlueprintCellRow.stage_id,
                    BlueprintCellRow.lane,
                    BlueprintCellRow.position,
                    BlueprintCellRow.id,
                )
            ).all()
            if guard.allows(c.text)
        ]

        rounds = {r.id: r.prompt for r in s.scalars(select(RoundRow).where(RoundRow.workshop_id == workshop_id))}
        ideas = [
            i
            for i in s.scalars(
                select(IdeaRow)
                .where(IdeaRow.workshop_id == workshop_id, IdeaRow.moderation_status == "approved")
                .order_by(IdeaRow.round_id, IdeaRow.id)
            ).all()
            if not (i.risk_flags and not i.risk_reviewed) and guard.allows(i.text)
        ]
        shown_ideas = {i.id for i in ideas}
        votes = [
            v
            for v in s.scalars(
                select(VoteRow).where(VoteRow.round_id.in_(list(rounds) or [-1])).order_by(VoteRow.id)
            ).all()
            if v.idea_id in shown_ideas and v.dots > 0
        ]
    voter_number: dict[str, int] = {}
    for v in votes:
        voter_number.setdefault(v.device_hash, len(voter_number) + 1)
    dots: dict[int, int] = defaultdict(int)
    voters: dict[int, set[str]] = defaultdict(set)
    for v in votes:
        dots[v.idea_id] += v.dots
        voters[v.idea_id].add(v.device_hash)
    tables["ideas"] = [
        (
            i.id,
            i.round_id,
            rounds.get(i.round_id, ""),
            i.text,
            lens_by_key.get(i.lens_key or "", i.lens_key or ""),
            dots[i.id],
            len(voters[i.id]),
            i.impact,
            i.effort,
        )
        for i in ideas
    ]
    tables["votes"] = [
        (
            v.round_id,
            v.idea_id,
            f"voter {voter_number[v.device_hash]}",
            lens_by_key.get(v.lens_key or "", v.lens_key or ""),
            v.dots,
        )
        for v in votes
    ]
    return DataTables(code=workshop.code, tables=tables)


def _evidence(
    s: Session, model: type[JourneyEvidenceRow] | type[BlueprintEvidenceRow], reported: Mapping[int, object]
) -> dict[int, str]:
    links: dict[int, list[int]] = defaultdict(list)
    for cell_id, story_id in s.execute(select(model.cell_id, model.story_id).order_by(model.cell_id, model.story_id)):
        if story_id in reported:
            links[cell_id].append(story_id)
    return {cell: " ".join(map(str, ids)) for cell, ids in links.items()}


def _iso(value: datetime) -> str:
    return as_utc(value).isoformat(timespec="seconds")


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


def build_csv_zip(engine: Engine, workshop_id: int) -> bytes:
    """Every table as a CSV file, in one zip named after the workshop's code."""
    tables = gather_tables(engine, workshop_id)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name in TABLE_NAMES:
            archive.writestr(f"{tables.code}/{name}.csv", build_csv(tables, name))
    return out.getvalue()


def build_xlsx(engine: Engine, workshop_id: int) -> bytes:
    """Every table as a sheet of one Excel workbook, header row bold and frozen."""
    tables = gather_tables(engine, workshop_id)
    book = Workbook(write_only=False)
    first = True
    for name in TABLE_NAMES:
        sheet: Worksheet = book.active if first else book.create_sheet()
        first = False
        sheet.title = name
        sheet.append(list(HEADERS[name]))
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        sheet.freeze_panes = "A2"
        for row in tables.rows(name):
            sheet.append([_excel_cell(v) for v in row])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _excel_cell(value: Cell) -> Cell:
    value = neutralise(value)
    if isinstance(value, str) and len(value) > EXCEL_CELL_LIMIT:
        return value[: EXCEL_CELL_LIMIT - 1] + "…"
    return value
