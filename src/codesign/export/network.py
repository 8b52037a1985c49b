"""The stakeholder map as files: CSV (codesign's two tables), GraphML for Gephi, and Kumu's spreadsheet.

Every function returns bytes. CSV and spreadsheet cells that a spreadsheet would run
as a formula (starting with =, +, -, @) get a leading quote; the importer removes it.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping, Sequence

import networkx as nx
from openpyxl import Workbook

from codesign.models import RelationshipValue, StakeholderValue
from codesign.network.tables import FORMULA_STARTS, MULTI_SEPARATOR, RELATIONSHIP_COLUMNS, STAKEHOLDER_COLUMNS
from codesign.workshops.kits import SECTORS, STAKEHOLDER_KINDS


def _cell(value: object) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def _csv(header: Sequence[str], rows: Sequence[Sequence[object]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([_cell(v) for v in row])
    # A byte-order mark, so Excel opens accented names (Crisis café) correctly.
    return buffer.getvalue().encode("utf-8-sig")


def stakeholders_csv(stakeholders: Sequence[StakeholderValue]) -> bytes:
    """The stakeholders table as CSV: name, aliases (joined by |), kind, sector, influence, interest, notes."""
    return _csv(
        STAKEHOLDER_COLUMNS,
        [
            (s.name, MULTI_SEPARATOR.join(s.aliases), s.kind, s.sector, s.influence, s.interest, s.notes)
            for s in stakeholders
        ],
    )


def relationships_csv(stakeholders: Sequence[StakeholderValue], relationships: Sequence[RelationshipValue]) -> bytes:
    """The relationships table as CSV: source, target (stakeholder names), type, directed, strength, note."""
    names = {s.id: s.name for s in stakeholders}
    return _csv(
        RELATIONSHIP_COLUMNS,
        [
            (
                names[r.source_id],
                names[r.target_id],
                r.type,
                "directed" if r.directed else "undirected",
                r.strength,
                r.note,
            )
            for r in relationships
            if r.source_id in names and r.target_id in names
        ],
    )


def network_graphml(
    stakeholders: Sequence[StakeholderValue],
    relationships: Sequence[RelationshipValue],
    *,
    type_names: Mapping[str, str] | None = None,
) -> bytes:
    """The map as GraphML, for Gephi and other network tools.

    Nodes carry ``label``, ``aliases``, ``kind``, ``sector``, ``sector_name``, ``influence``,
    ``interest`` and ``notes``; edges carry ``type``, ``type_name``, ``directed``,
    ``strength``, ``weight`` (= strength) and ``note``. The graph is directed; an
    undirected relationship is one edge with ``directed`` false.
    """
    graph = nx.MultiDiGraph()
    names = type_names or {}
    for s in stakeholders:
        graph.add_node(
            f"s{s.id}",
            label=s.name,
            aliases=MULTI_SEPARATOR.join(s.aliases),
            kind=s.kind,
            sector=s.sector,
            sector_name=SECTORS.get(s.sector, s.sector),
            influence=s.influence,
            interest=s.interest,
            notes=s.notes,
        )
    ids = {s.id for s in stakeholders}
    for r in relationships:
        if r.source_id in ids and r.target_id in ids:
            graph.add_edge(
                f"s{r.source_id}",
                f"s{r.target_id}",
                key=f"r{r.id}",
                type=r.type,
                type_name=names.get(r.type, r.type),
                directed=r.directed,
                strength=r.strength,
                weight=float(r.strength),
                note=r.note,
            )
    buffer = io.BytesIO()
    nx.write_graphml(graph, buffer, encoding="utf-8", prettyprint=True)
    return buffer.getvalue()


def kumu_xlsx(
    stakeholders: Sequence[StakeholderValue],
    relationships: Sequence[RelationshipValue],
    *,
    type_names: Mapping[str, str] | None = None,
) -> bytes:
    """The map in Kumu's import layout: an Elements sheet and a Connections sheet.

    Kumu reads Label, Type, Description and Tags; the Sector, Aliases, Influence and
    Interest columns become Kumu fields, and codesign reads them back on import.
    """
    book = Workbook()
    elements = book.active
    assert elements is not None  # a new workbook always has one sheet
    elements.title = "Elements"
    elements.append(["Label", "Type", "Description", "Tags", "Sector", "Aliases", "Influence", "Interest"])
    for s in stakeholders:
        elements.append(
            [
                _cell(s.name),
                STAKEHOLDER_KINDS.get(s.kind, s.kind),
                _cell(s.notes),
                SECTORS.get(s.sector, s.sector),
                SECTORS.get(s.sector, s.sector),
                _cell(MULTI_SEPARATOR.join(s.aliases)),
                s.influence,
                s.interest,
            ]
        )
    connections = book.create_sheet("Connections")
    connections.append(["From", "To", "Type", "Direction", "Strength", "Description"])
    names = {s.id: s.name for s in stakeholders}
    labels = type_names or {}
    for r in relationships:
        if r.source_id in names and r.target_id in names:
            connections.append(
                [
                    _cell(names[r.source_id]),
                    _cell(names[r.target_id]),
                    labels.get(r.type, r.type),
                    "directed" if r.directed else "undirected",
                    r.strength,
                    _cell(r.note),
                ]
            )
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
