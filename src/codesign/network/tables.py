"""Stakeholder tables in and out: the editor's rows, CSV files and the Kumu spreadsheet layout.

Everything that arrives (a row typed in the editor, a CSV, a Kumu ``.xlsx``) becomes
:class:`StakeholderDraft` and :class:`RelationshipDraft` values and goes through one
check, :func:`validate_drafts`. A file with any problem is refused whole, with one line
per problem naming the sheet and row: an import is all or nothing.

Kumu's layout (https://docs.kumu.io/guides/import/import): an ``Elements`` sheet whose
first column is ``Label`` (or ``ID``), with optional ``Type``, ``Description`` and
``Tags``; a ``Connections`` sheet with ``From`` and ``To`` (several targets may be
separated by ``|``), optional ``Type``, ``Direction`` (directed, undirected, mutual),
``Strength`` and ``Description``. Custom columns ``Sector``, ``Aliases``, ``Influence``
and ``Interest`` carry this product's fields; codesign's own export writes them.
"""

from __future__ import annotations

import csv
import io
import math
import zipfile
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from difflib import get_close_matches
from typing import Any

import pandas as pd

from codesign.errors import ValidationFailed
from codesign.models import RelationshipValue, StakeholderValue
from codesign.network.analysis import MAX_RELATIONSHIPS, MAX_STAKEHOLDERS, NetworkTooLarge, check_size
from codesign.workshops.kits import SECTORS, STAKEHOLDER_KINDS, Kit, RelationshipType

# A stakeholder map is a few hundred rows; 5 MB is far above that and keeps a mistaken
# upload (a database dump, a photo) from tying up the server.
MAX_UPLOAD_BYTES = 5 * 1024 * 1024
# How many problems an error message lists before "and N more".
PROBLEMS_SHOWN = 12
MULTI_SEPARATOR = "|"
# Cells starting with these are formulas to a spreadsheet: exports prefix a quote.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

STAKEHOLDER_COLUMNS = ("name", "aliases", "kind", "sector", "influence", "interest", "notes")
RELATIONSHIP_COLUMNS = ("source", "target", "type", "directed", "strength", "note")

KIND_SYNONYMS: dict[str, str] = {
    "person": "person_or_role",
    "role": "person_or_role",
    "people": "person_or_role",
    "individual": "person_or_role",
    "organization": "organisation",
    "organisation": "organisation",
    "company": "organisation",
    "charity": "organisation",
    "service": "service",
    "team": "service",
    "group": "community_group",
    "community": "community_group",
    "community group": "community_group",
}
STRENGTH_WORDS = {"weak": 1, "low": 1, "medium": 2, "moderate": 2, "normal": 2, "strong": 3, "high": 3}
DIRECTION_WORDS = {
    "directed": True,
    "yes": True,
    "true": True,
    "1": True,
    "one-way": True,
    "undirected": False,
    "mutual": False,
    "no": False,
    "false": False,
    "0": False,
    "two-way": False,
}


class ImportRefused(ValidationFailed):
    """A file or an edit that cannot be stored as it is; nothing was changed."""

    def __init__(self, headline: str, problems: Sequence[str] = ()) -> None:
        self.headline = headline
        self.problems = list(problems)
        lines = [headline, *(f"• {p}" for p in self.problems[:PROBLEMS_SHOWN])]
        if len(self.problems) > PROBLEMS_SHOWN:
            lines.append(f"• … and {len(self.problems) - PROBLEMS_SHOWN} more problems")
        super().__init__("\n".join(lines))


@dataclass(frozen=True)
class StakeholderDraft:
    """A stakeholder as typed or imported, before it is stored.

    ``id`` is the stored stakeholder's id when the row came from the editor; ``where``
    says where the row came from, for messages ("Stakeholders row 4").
    """

    name: str
    aliases: tuple[str, ...] = ()
    kind: str = "service"
    sector: str = "other"
    influence: int = 3
    interest: int = 3
    notes: str = ""
    id: int | None = None
    where: str = field(default="", compare=False)


@dataclass(frozen=True)
class RelationshipDraft:
    """A relationship as typed or imported: its ends are stakeholder names."""

    source: str
    target: str
    type: str
    directed: bool = True
    strength: int = 2
    note: str = ""
    where: str = field(default="", compare=False)


@dataclass(frozen=True)
class NetworkImport:
    """What a file holds, checked and ready to store, with notes about what was assumed."""

    stakeholders: tuple[StakeholderDraft, ...]
    relationships: tuple[RelationshipDraft, ...]
    notes: tuple[str, ...] = ()
    layout: str = "codesign"


def name_key(name: str) -> str:
    """How names are compared: case and spacing do not make two stakeholders different."""
    return " ".join(name.split()).casefold()


def validate_drafts(
    stakeholders: Sequence[StakeholderDraft],
    relationships: Sequence[RelationshipDraft],
    relationship_types: Iterable[str],
) -> None:
    """Check a whole map before anything is stored.

    Raises:
        NetworkTooLarge: Beyond the caps.
        ImportRefused: Listing every problem: empty or duplicate names, unknown kinds,
            sectors or relationship types, values out of range, self-loops, and
            relationships to stakeholders that are not in the table.
    """
    check_size(len(stakeholders), len(relationships))
    problems: list[str] = []
    seen: dict[str, str] = {}
    for s in stakeholders:
        where = f"{s.where}: " if s.where else ""
        if not s.name.strip():
            problems.append(f"{where}the name is empty")
            continue
        if len(s.name) > 80:
            problems.append(f"{where}the name {s.name[:40]!r}… is longer than 80 characters")
        key = name_key(s.name)
        if key in seen:
            problems.append(f"{where}{s.name!r} appears twice (also {seen[key] or 'earlier'}); names must be unique")
        else:
            seen[key] = s.where
        if s.kind not in STAKEHOLDER_KINDS:
            problems.append(f"{where}kind {s.kind!r} is not one of: {', '.join(STAKEHOLDER_KINDS)}")
        if s.sector not in SECTORS:
            problems.append(f"{where}sector {s.sector!r} is not one of: {', '.join(SECTORS)}")
        for label, value in (("influence", s.influence), ("interest", s.interest)):
            if not 1 <= value <= 5:
                problems.append(f"{where}{label} must be a whole number from 1 to 5, not {value}")
    types = set(relationship_types)
    suggestions = list(seen)
    for r in relationships:
        where = f"{r.where}: " if r.where else ""
        for end in (r.source, r.target):
            if name_key(end) not in seen:
                close = get_close_matches(name_key(end), suggestions, n=1, cutoff=0.75)
                hint = ""
                if close:
                    hint = f" (did you mean {_display_name(stakeholders, close[0])!r}?)"
                problems.append(f"{where}{end!r} is not in the stakeholders table{hint}")
        if name_key(r.source) == name_key(r.target) and r.source.strip():
            problems.append(f"{where}{r.source!r} is linked to itself; a relationship needs two stakeholders")
        if r.type not in types:
            problems.append(f"{where}relationship type {r.type!r} is not one of: {', '.join(sorted(types))}")
        if not 1 <= r.strength <= 3:
            problems.append(f"{where}strength must be 1, 2 or 3, not {r.strength}")
    if problems:
        raise ImportRefused("Nothing was changed. Please fix these and try again:", problems)


def _display_name(stakeholders: Sequence[StakeholderDraft], key: str) -> str:
    return next((s.name for s in stakeholders if name_key(s.name) == key), key)


# --- the editor's tables -------------------------------------------------------------------


def stakeholder_table(stakeholders: Sequence[StakeholderValue]) -> pd.DataFrame:
    """The stakeholders as the editor shows them (aliases joined with ``|``)."""
    rows = [
        {
            "id": s.id,
            "name": s.name,
            "aliases": MULTI_SEPARATOR.join(s.aliases),
            "kind": s.kind,
            "sector": s.sector,
            "influence": s.influence,
            "interest": s.interest,
            "notes": s.notes,
        }
        for s in stakeholders
    ]
    return pd.DataFrame(rows, columns=["id", *STAKEHOLDER_COLUMNS]).astype({"id": "Int64"})


def relationship_table(
    stakeholders: Sequence[StakeholderValue], relationships: Sequence[RelationshipValue]
) -> pd.DataFrame:
    """The relationships as the editor shows them, with stakeholder names for the ends."""
    names = {s.id: s.name for s in stakeholders}
    rows = [
        {
            "source": names.get(r.source_id, ""),
            "target": names.get(r.target_id, ""),
            "type": r.type,
            "directed": r.directed,
            "strength": r.strength,
            "note": r.note,
        }
        for r in relationships
    ]
    return pd.DataFrame(rows, columns=list(RELATIONSHIP_COLUMNS))


def _blank(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def _text(value: Any) -> str:
    if _blank(value):
        return ""
    text = str(value).strip()
    # Undo the quote an export puts before a cell that a spreadsheet would run as a formula.
    if text.startswith("'") and text[1:2] in FORMULA_STARTS:
        text = text[1:]
    return text


def _whole_number(value: Any, default: int, label: str, where: str, problems: list[str]) -> int:
    if _blank(value) or _text(value) == "":
        return default
    try:
        number = float(_text(value))
    except ValueError:
        problems.append(f"{where}: {label} {_text(value)!r} is not a number")
        return default
    if not number.is_integer():
        problems.append(f"{where}: {label} {number:g} is not a whole number")
        return default
    return int(number)


def _choice(value: str, options: Mapping[str, str], synonyms: Mapping[str, str] | None = None) -> str | None:
    """Match a key or a label, in any case; None if it matches neither."""
    folded = " ".join(value.replace("_", " ").split()).casefold()
    for key, label in options.items():
        if folded in (key.replace("_", " ").casefold(), label.casefold()):
            return key
    if synonyms and folded in synonyms:
        return synonyms[folded]
    return None


def _type_key(value: str, types: Sequence[RelationshipType]) -> str | None:
    return _choice(value, {t.key: t.name for t in types})


def stakeholders_from_table(
    table: pd.DataFrame, *, sheet: str = "Stakeholders", first_row: int = 1, keep_ids: bool = False
) -> list[StakeholderDraft]:
    """Read editor (or CSV) rows into drafts; fully blank rows are skipped.

    ``keep_ids`` keeps the editor's hidden ``id`` column, so a renamed stakeholder stays
    the same stakeholder; files are matched by name only.

    Raises:
        ImportRefused: If a number cannot be read (other checks are in :func:`validate_drafts`).
    """
    problems: list[str] = []
    drafts: list[StakeholderDraft] = []
    columns = {str(c).strip().casefold(): c for c in table.columns}
    for i, row in enumerate(table.to_dict("records")):
        get = {key: row[col] for key, col in columns.items()}
        where = f"{sheet} row {i + first_row}"
        if all(_text(get.get(c)) == "" for c in STAKEHOLDER_COLUMNS):
            continue
        kind = _text(get.get("kind")) or "service"
        sector = _text(get.get("sector")) or "other"
        raw_id = get.get("id")
        drafts.append(
            StakeholderDraft(
                name=" ".join(_text(get.get("name")).split()),
                aliases=_split(_text(get.get("aliases"))),
                kind=_choice(kind, STAKEHOLDER_KINDS, KIND_SYNONYMS) or kind,
                sector=_choice(sector, SECTORS) or sector,
                influence=_whole_number(get.get("influence"), 3, "influence", where, problems),
                interest=_whole_number(get.get("interest"), 3, "interest", where, problems),
                notes=_text(get.get("notes")),
                id=None if not keep_ids or _blank(raw_id) else int(str(raw_id)),
                where=where,
            )
        )
    if problems:
        raise ImportRefused("Nothing was changed. Please fix these and try again:", problems)
    return drafts


def relationships_from_table(
    table: pd.DataFrame,
    types: Sequence[RelationshipType],
    *,
    sheet: str = "Relationships",
    first_row: int = 1,
) -> list[RelationshipDraft]:
    """Read editor (or CSV) rows into relationship drafts; fully blank rows are skipped.

    Raises:
        ImportRefused: If a strength or direction cannot be read.
    """
    problems: list[str] = []
    drafts: list[RelationshipDraft] = []
    columns = {str(c).strip().casefold(): c for c in table.columns}
    for i, row in enumerate(table.to_dict("records")):
        get = {key: row[col] for key, col in columns.items()}
        where = f"{sheet} row {i + first_row}"
        if all(_text(get.get(c)) == "" for c in RELATIONSHIP_COLUMNS):
            continue
        type_text = _text(get.get("type"))
        directed = _direction(get.get("directed"), where, problems)
        drafts.append(
            RelationshipDraft(
                source=" ".join(_text(get.get("source")).split()),
                target=" ".join(_text(get.get("target")).split()),
                type=_type_key(type_text, types) or type_text,
                directed=directed,
                strength=_whole_number(get.get("strength"), 2, "strength", where, problems),
                note=_text(get.get("note")),
                where=where,
            )
        )
    if problems:
        raise ImportRefused("Nothing was changed. Please fix these and try again:", problems)
    return drafts


# --- the editor: rows kept back as incomplete, and what a save changed ------------------------

# The marker column the editors show for a row that could not be saved yet.
MISSING_COLUMN = "missing"
# Columns a person types into; the others have defaults, so a row that has only them
# is a blank row that pressing Enter added, and is ignored without a trace.
TYPED_STAKEHOLDER_COLUMNS = ("name", "aliases", "notes")
TYPED_RELATIONSHIP_COLUMNS = ("source", "target", "type", "note")


@dataclass(frozen=True)
class EditorRows:
    """An editor's rows sorted out: what can be saved and what is kept back, with what it lacks.

    ``incomplete`` rows are plain dicts (JSON-ready), each with a ``missing`` entry such as
    "Needs: To, Type"; they are kept with the map and shown again, marked, until finished.
    """

    stakeholders: tuple[StakeholderDraft, ...] = ()
    relationships: tuple[RelationshipDraft, ...] = ()
    incomplete: tuple[dict[str, Any], ...] = ()


def _plain(value: Any) -> Any:
    if _blank(value):
        return None
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return int(value) if float(value).is_integer() else float(value)
    return _text(value)


def _row_dict(get: Mapping[str, Any], columns: Sequence[str], missing: Sequence[str]) -> dict[str, Any]:
    out = {c: _plain(get.get(c)) for c in columns}
    out[MISSING_COLUMN] = "Needs: " + ", ".join(missing)
    return out


def relationship_rows(table: pd.DataFrame, types: Sequence[RelationshipType], names: Iterable[str]) -> EditorRows:
    """Sort the relationships editor's rows: complete ones to save, incomplete ones kept back.

    A row without From, To or Type (or naming a stakeholder not on the map, or linking one
    to itself) is kept back and marked with what it needs, never dropped. Rows with nothing
    typed (only the defaults a new row gets) are ignored.

    Raises:
        ImportRefused: If a strength or direction cannot be read.
    """
    known = {name_key(n) for n in names}
    problems: list[str] = []
    complete: list[RelationshipDraft] = []
    kept: list[dict[str, Any]] = []
    columns = {str(c).strip().casefold(): c for c in table.columns}
    for i, row in enumerate(table.to_dict("records")):
        get = {key: row[col] for key, col in columns.items()}
        where = f"Relationships row {i + 1}"
        if all(_text(get.get(c)) == "" for c in TYPED_RELATIONSHIP_COLUMNS):
            continue
        source = " ".join(_text(get.get("source")).split())
        target = " ".join(_text(get.get("target")).split())
        type_text = _text(get.get("type"))
        type_key = _type_key(type_text, types) if type_text else None
        missing: list[str] = []
        for label, end in (("From", source), ("To", target)):
            if not end:
                missing.append(label)
            elif name_key(end) not in known:
                missing.append(f"{label} (no stakeholder called {end!r})")
        if source and target and name_key(source) == name_key(target):
            missing.append("a To that is not the From")
        if type_key is None:
            missing.append("Type")
        directed = _direction(get.get("directed"), where, problems)
        strength = _whole_number(get.get("strength"), 2, "strength", where, problems)
        if missing:
            kept.append(_row_dict(get, RELATIONSHIP_COLUMNS, missing))
            continue
        complete.append(
            RelationshipDraft(source, target, str(type_key), directed, strength, _text(get.get("note")), where=where)
        )
    if problems:
        raise ImportRefused("Nothing was changed. Please fix these and try again:", problems)
    return EditorRows(relationships=tuple(complete), incomplete=tuple(kept))


def stakeholder_rows(table: pd.DataFrame) -> EditorRows:
    """Sort the stakeholders editor's rows: rows with a name to save, rows without kept back.

    Raises:
        ImportRefused: If a number cannot be read.
    """
    columns = {str(c).strip().casefold(): c for c in table.columns}
    named: list[int] = []
    kept: list[dict[str, Any]] = []
    for i, row in enumerate(table.to_dict("records")):
        get = {key: row[col] for key, col in columns.items()}
        if all(_text(get.get(c)) == "" for c in TYPED_STAKEHOLDER_COLUMNS):
            continue
        if _text(get.get("name")) == "":
            kept.append(_row_dict(get, STAKEHOLDER_COLUMNS, ["Name"]))
        else:
            named.append(i)
    drafts = stakeholders_from_table(table.iloc[named], keep_ids=True) if named else []
    return EditorRows(stakeholders=tuple(drafts), incomplete=tuple(kept))


def with_kept_back(table: pd.DataFrame, kept: Sequence[Mapping[str, Any]]) -> pd.DataFrame:
    """An editor table with the rows kept back at the end, each marked with what it needs."""
    out = table.copy()
    out[MISSING_COLUMN] = ""
    if not kept:
        return out
    extra = pd.DataFrame([{c: row.get(c) for c in out.columns} for row in kept], columns=out.columns)
    return pd.concat([out, extra], ignore_index=True) if len(out) else extra


@dataclass(frozen=True)
class SaveReport:
    """What a save changed, in the words the screen shows."""

    added: int = 0
    changed: int = 0
    removed: int = 0
    kept_back: int = 0
    noun: str = "relationships"

    def describe(self) -> str:
        """ "Saved relationships: 1 added, 2 changed, 0 removed; 1 kept back as incomplete (marked in the table)."."""
        if not (self.added or self.changed or self.removed or self.kept_back):
            return f"Nothing changed in the {self.noun}."
        text = f"Saved {self.noun}: {self.added} added, {self.changed} changed, {self.removed} removed"
        if self.kept_back:
            row = "row" if self.kept_back == 1 else "rows"
            text += f"; {self.kept_back} {row} kept back as incomplete (marked in the table: finish and save again)"
        return text + "."


def relationship_changes(
    before: Sequence[RelationshipDraft], after: Sequence[RelationshipDraft], *, kept_back: int = 0
) -> SaveReport:
    """Count added, changed and removed relationships (same ends and type = the same relationship)."""

    def key(r: RelationshipDraft) -> tuple[str, str, str]:
        return (name_key(r.source), name_key(r.target), r.type)

    def rest(r: RelationshipDraft) -> tuple[bool, int, str]:
        return (r.directed, r.strength, r.note)

    old: dict[tuple[str, str, str], list[tuple[bool, int, str]]] = {}
    for r in before:
        old.setdefault(key(r), []).append(rest(r))
    added = changed = 0
    unmatched: list[RelationshipDraft] = []
    for r in after:
        values = old.get(key(r))
        if values and rest(r) in values:
            values.remove(rest(r))
        else:
            unmatched.append(r)
    for r in unmatched:
        values = old.get(key(r))
        if values:
            values.pop()
            changed += 1
        else:
            added += 1
    removed = sum(len(v) for v in old.values())
    return SaveReport(added, changed, removed, kept_back, "relationships")


def stakeholder_changes(
    before: Sequence[StakeholderValue], after: Sequence[StakeholderDraft], *, kept_back: int = 0
) -> SaveReport:
    """Count added, changed and removed stakeholders (matched by id, then by name, as the save does)."""
    by_id = {p.id: p for p in before}
    by_name = {name_key(p.name): p for p in before}
    seen: set[int] = set()
    added = changed = 0
    for d in after:
        old = by_id.get(d.id) if d.id is not None else None
        if old is None or old.id in seen:
            old = by_name.get(name_key(d.name))
        if old is None or old.id in seen:
            added += 1
            continue
        seen.add(old.id)
        same = (old.name, old.aliases, old.kind, old.sector, old.influence, old.interest, old.notes) == (
            d.name,
            d.aliases,
            d.kind,
            d.sector,
            d.influence,
            d.interest,
            d.notes,
        )
        changed += 0 if same else 1
    return SaveReport(added, changed, len(before) - len(seen), kept_back, "stakeholders")


def relationship_drafts(
    stakeholders: Sequence[StakeholderValue], relationships: Sequence[RelationshipValue]
) -> list[RelationshipDraft]:
    """The stored relationships as drafts (ends by name), to compare with an edit."""
    names = {s.id: s.name for s in stakeholders}
    return [
        RelationshipDraft(names[r.source_id], names[r.target_id], r.type, r.directed, r.strength, r.note)
        for r in relationships
        if r.source_id in names and r.target_id in names
    ]


def _direction(value: Any, where: str, problems: list[str]) -> bool:
    if isinstance(value, bool):
        return value
    text = _text(value).casefold()
    if text == "":
        return True
    if text in DIRECTION_WORDS:
        return DIRECTION_WORDS[text]
    problems.append(f"{where}: direction {_text(value)!r} should be directed, undirected or mutual")
    return True


def _split(value: str) -> tuple[str, ...]:
    parts = [" ".join(p.split()) for p in value.replace(";", MULTI_SEPARATOR).split(MULTI_SEPARATOR)]
    seen: dict[str, str] = {}
    for p in parts:
        if p and p.casefold() not in seen:
            seen[p.casefold()] = p
    return tuple(seen.values())


# --- files -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class UploadedFile:
    """A file as uploaded: its name and its bytes."""

    name: str
    data: bytes


def read_network_files(files: Sequence[UploadedFile], types: Sequence[RelationshipType]) -> NetworkImport:
    """Read an import: a Kumu ``.xlsx``, or CSV files (codesign's or Kumu's layout).

    One ``.xlsx`` file with ``Elements`` and ``Connections`` sheets, or one or two CSV
    files: a stakeholders/elements table and, optionally, a relationships/connections
    table, told apart by their column headers.

    Returns:
        The checked drafts, and notes on anything assumed (such as a missing sector).

    Raises:
        ImportRefused: If the files are not one of these layouts, or any row is wrong.
        NetworkTooLarge: Beyond the caps.
    """
    if not files:
        raise ImportRefused("Choose a file to import: a Kumu .xlsx, or the stakeholders and relationships CSVs.")
    for f in files:
        if len(f.data) > MAX_UPLOAD_BYTES:
            raise ImportRefused(
                f"{f.name} is {len(f.data) / 1024 / 1024:.1f} MB; a stakeholder file may be at most "
                f"{MAX_UPLOAD_BYTES // 1024 // 1024} MB."
            )
    spreadsheets = [f for f in files if f.name.casefold().endswith((".xlsx", ".xlsm"))]
    if spreadsheets:
        if len(files) > 1:
            raise ImportRefused("Import one Kumu .xlsx on its own, or CSV files without a spreadsheet.")
        elements, connections = _kumu_sheets(spreadsheets[0])
        return _from_kumu(elements, connections, types)
    tables = [(f.name, _read_csv(f)) for f in files]
    if len(tables) > 2:
        raise ImportRefused("Import at most two CSV files: the stakeholders and the relationships.")
    people = [(n, t) for n, t in tables if _headers(t) & {"name", "label", "id"} and not _is_links(t)]
    links = [(n, t) for n, t in tables if _is_links(t)]
    if len(people) + len(links) != len(tables) or len(people) != 1 or len(links) > 1:
        raise ImportRefused(
            "These files are not stakeholder tables codesign can read.",
            [
                "codesign's layout: a stakeholders CSV with the columns " + ", ".join(STAKEHOLDER_COLUMNS) + ", and "
                "a relationships CSV with " + ", ".join(RELATIONSHIP_COLUMNS) + ".",
                "Kumu's layout: an elements CSV starting with Label, and a connections CSV starting with From, To.",
                *(f"{n} has the columns: {', '.join(map(str, t.columns[:10])) or '(none)'}" for n, t in tables),
            ],
        )
    (people_name, people_table), link_table = people[0], (links[0] if links else None)
    kumu = "label" in _headers(people_table) or (link_table is not None and "from" in _headers(link_table[1]))
    if kumu:
        return _from_kumu(people_table, link_table[1] if link_table else None, types)
    drafts = stakeholders_from_table(people_table, sheet=people_name, first_row=2)
    rel_drafts = relationships_from_table(link_table[1], types, sheet=link_table[0], first_row=2) if link_table else []
    return _checked(drafts, rel_drafts, types, notes=[], layout="codesign")


def _checked(
    stakeholders: list[StakeholderDraft],
    relationships: list[RelationshipDraft],
    types: Sequence[RelationshipType],
    *,
    notes: list[str],
    layout: str,
) -> NetworkImport:
    if not stakeholders:
        raise ImportRefused(
            "The file has no stakeholders in it, so nothing was changed (an import replaces the whole map)."
        )
    validate_drafts(stakeholders, relationships, [t.key for t in types])
    return NetworkImport(tuple(stakeholders), tuple(relationships), tuple(notes), layout)


def _headers(table: pd.DataFrame) -> set[str]:
    return {str(c).strip().casefold() for c in table.columns}


def _is_links(table: pd.DataFrame) -> bool:
    h = _headers(table)
    return {"source", "target"} <= h or {"from", "to"} <= h


def _read_csv(f: UploadedFile) -> pd.DataFrame:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            text = f.data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:  # pragma: no cover - cp1252 decodes nearly anything
        raise ImportRefused(f"{f.name} is not a text file codesign can read (save it as CSV, UTF-8).")
    if "\x00" in text:
        raise ImportRefused(f"{f.name} is not a CSV file (it looks like a binary file). Save it as CSV, UTF-8.")
    if not text.strip():
        raise ImportRefused(f"{f.name} is empty.")
    try:
        return pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False, skip_blank_lines=True)
    except (pd.errors.ParserError, csv.Error, ValueError) as exc:
        raise ImportRefused(f"{f.name} could not be read as CSV ({str(exc).splitlines()[0]}).") from None


def _kumu_sheets(f: UploadedFile) -> tuple[pd.DataFrame, pd.DataFrame | None]:
    try:
        book = pd.read_excel(io.BytesIO(f.data), sheet_name=None, dtype=str, engine="openpyxl")
    except (zipfile.BadZipFile, ValueError, KeyError, OSError) as exc:
        raise ImportRefused(
            f"{f.name} could not be opened as an Excel workbook ({str(exc).splitlines()[0] or type(exc).__name__}). "
            "Export it from Kumu again, or save it as .xlsx."
        ) from None
    sheets = {name.strip().casefold(): name for name in book if "(ignore)" not in name.casefold()}
    if "elements" not in sheets:
        found = ", ".join(repr(n) for n in book) or "no sheets"
        raise ImportRefused(
            f"{f.name} is not a Kumu export: it has {found}. A Kumu spreadsheet has an 'Elements' sheet "
            "(first column Label) and a 'Connections' sheet (first columns From and To)."
        )
    elements = book[sheets["elements"]].fillna("")
    connections = book[sheets["connections"]].fillna("") if "connections" in sheets else None
    if not _headers(elements) & {"label", "name"}:
        raise ImportRefused(
            f"{f.name}: the Elements sheet has no Label column, so it is not a Kumu export. "
            f"Its columns are: {', '.join(map(str, elements.columns[:10])) or '(none)'}."
        )
    if connections is not None and not {"from", "to"} <= _headers(connections):
        raise ImportRefused(
            f"{f.name}: the Connections sheet needs From and To columns. "
            f"Its columns are: {', '.join(map(str, connections.columns[:10])) or '(none)'}."
        )
    return elements, connections


def _from_kumu(
    elements: pd.DataFrame, connections: pd.DataFrame | None, types: Sequence[RelationshipType]
) -> NetworkImport:
    notes: list[str] = []
    problems: list[str] = []
    cols = {str(c).strip().casefold(): c for c in elements.columns}
    label_col = cols.get("label") or cols.get("name")
    drafts: list[StakeholderDraft] = []
    by_kumu_id: dict[str, str] = {}
    unknown_types: set[str] = set()
    no_sector = 0
    for i, row in enumerate(elements.to_dict("records")):
        where = f"Elements row {i + 2}"
        label = " ".join(_text(row.get(label_col)).split()) if label_col else ""
        kumu_id = _text(row.get(cols["id"])) if "id" in cols else ""
        if not label and kumu_id:
            label = kumu_id
        if not label and all(_text(v) == "" for v in row.values()):
            continue
        if kumu_id:
            by_kumu_id[kumu_id.casefold()] = label
        element_type = _text(row.get(cols["type"])) if "type" in cols else ""
        sector_text = _text(row.get(cols["sector"])) if "sector" in cols else ""
        kind = _choice(element_type, STAKEHOLDER_KINDS, KIND_SYNONYMS) if element_type else "service"
        if kind is None:
            unknown_types.add(element_type)
            # Kumu maps often use the element type for the sector.
            if not sector_text and _choice(element_type, SECTORS):
                sector_text = element_type
            kind = "service"
        sector = _choice(sector_text, SECTORS) if sector_text else "other"
        if sector is None:
            problems.append(f"{where}: sector {sector_text!r} is not one of: {', '.join(SECTORS)}")
            sector = sector_text
        if not sector_text:
            no_sector += 1
        aliases = _text(row.get(cols["aliases"])) if "aliases" in cols else ""
        description = _text(row.get(cols["description"])) if "description" in cols else ""
        notes_text = _text(row.get(cols["notes"])) if "notes" in cols else description
        drafts.append(
            StakeholderDraft(
                name=label,
                aliases=_split(aliases),
                kind=kind,
                sector=sector,
                influence=_whole_number(row.get(cols.get("influence", "")), 3, "influence", where, problems),
                interest=_whole_number(row.get(cols.get("interest", "")), 3, "interest", where, problems),
                notes=notes_text,
                where=where,
            )
        )
    if unknown_types:
        notes.append(
            f"Element types {', '.join(sorted(map(repr, unknown_types)))} are not stakeholder kinds; "
            "those stakeholders were imported as services."
        )
    if no_sector:
        notes.append(f"{_count(no_sector, 'stakeholder')} had no sector and went in 'Other'.")
    relationships: list[RelationshipDraft] = []
    if connections is not None:
        relationships = _kumu_connections(connections, types, by_kumu_id, notes, problems)
    if problems:
        raise ImportRefused("Nothing was changed. Please fix these and try again:", problems)
    return _checked(drafts, relationships, types, notes=notes, layout="kumu")


def _kumu_connections(
    connections: pd.DataFrame,
    types: Sequence[RelationshipType],
    by_kumu_id: Mapping[str, str],
    notes: list[str],
    problems: list[str],
) -> list[RelationshipDraft]:
    cols = {str(c).strip().casefold(): c for c in connections.columns}
    default_type = next((t.key for t in types if t.key == "support"), types[0].key)
    untyped = unsure_strength = 0
    out: list[RelationshipDraft] = []
    for i, row in enumerate(connections.to_dict("records")):
        where = f"Connections row {i + 2}"
        source = _text(row.get(cols["from"]))
        targets = _split(_text(row.get(cols["to"])))
        if not source and not targets:
            continue
        type_text = _text(row.get(cols["type"])) if "type" in cols else ""
        rel_type = _type_key(type_text, types) if type_text else default_type
        if not type_text:
            untyped += 1
        if rel_type is None:
            problems.append(
                f"{where}: connection type {type_text!r} is not one of this kit's: "
                + ", ".join(f"{t.key} ({t.name})" for t in types)
            )
            rel_type = type_text
        direction_text = _text(row.get(cols["direction"])) if "direction" in cols else ""
        directed = _direction(direction_text, where, problems)
        strength_text = _text(row.get(cols["strength"])) if "strength" in cols else ""
        strength = 2
        if strength_text:
            if strength_text.casefold() in STRENGTH_WORDS:
                strength = STRENGTH_WORDS[strength_text.casefold()]
            else:
                try:
                    value = float(strength_text)
                except ValueError:
                    value = math.nan
                if value in (1, 2, 3):
                    strength = int(value)
                else:
                    unsure_strength += 1
        note = _text(row.get(cols["note"])) if "note" in cols else ""
        note = note or (_text(row.get(cols["description"])) if "description" in cols else "")
        note = note or (_text(row.get(cols["label"])) if "label" in cols else "")
        for target in targets or ("",):
            out.append(
                RelationshipDraft(
                    source=by_kumu_id.get(source.casefold(), source),
                    target=by_kumu_id.get(target.casefold(), target),
                    type=rel_type,
                    directed=directed,
                    strength=strength,
                    note=note,
                    where=where,
                )
            )
    if untyped:
        notes.append(f"{_count(untyped, 'connection')} had no type and became '{default_type}'.")
    if unsure_strength:
        notes.append(
            f"{_count(unsure_strength, 'connection')} had a strength other than 1-3 or weak/medium/strong; "
            "strength 2 was used."
        )
    return out


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def kumu_max_note() -> str:
    """The caps, for the screen's help text."""
    return f"Up to {MAX_STAKEHOLDERS:,} stakeholders and {MAX_RELATIONSHIPS:,} relationships."


def drafts_from_kit(kit: Kit) -> tuple[list[StakeholderDraft], list[RelationshipDraft]]:
    """The kit's stakeholder seeds and relationships, ready to store (to start the map again)."""
    people = [
        StakeholderDraft(s.name, tuple(s.aliases), s.kind, s.sector, s.influence, s.interest, s.notes)
        for s in kit.stakeholders
    ]
    links = [RelationshipDraft(r.source, r.target, r.type, r.directed, r.strength, r.note) for r in kit.relationships]
    return people, links


def mention_table(stakeholders: Sequence[StakeholderValue], mentions: Mapping[int, Sequence[int]]) -> pd.DataFrame:
    """How many stories mention each stakeholder, most mentioned first; the index is the stakeholder id."""
    rows = [
        {"Stakeholder": s.name, "Sector": SECTORS.get(s.sector, s.sector), "Stories": len(mentions.get(s.id, ()))}
        for s in stakeholders
    ]
    table = pd.DataFrame(rows, columns=["Stakeholder", "Sector", "Stories"], index=[s.id for s in stakeholders])
    return table.sort_values(["Stories", "Stakeholder"], ascending=[False, True], kind="stable")


__all__ = [
    "ImportRefused",
    "NetworkImport",
    "NetworkTooLarge",
    "RelationshipDraft",
    "StakeholderDraft",
    "UploadedFile",
    "name_key",
    "read_network_files",
    "relationship_table",
    "relationships_from_table",
    "stakeholder_table",
    "stakeholders_from_table",
    "validate_drafts",
]
