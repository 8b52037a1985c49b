"""Stakeholder files in and out: CSV, Kumu (.xlsx and CSV), GraphML, and every bad input."""

from __future__ import annotations

import io

import networkx as nx
import pytest
from openpyxl import Workbook

from codesign.export import network as export
from codesign.models import RelationshipValue, StakeholderValue
from codesign.network import NetworkTooLarge
from codesign.network.tables import (
    ImportRefused,
    NetworkImport,
    UploadedFile,
    drafts_from_kit,
    read_network_files,
    relationship_table,
    relationships_from_table,
    stakeholder_table,
    stakeholders_from_table,
)
from codesign.workshops.kits import get_builtin_kit

KIT = get_builtin_kit("living-well").kit
TYPES = KIT.relationship_types
TYPE_NAMES = {t.key: t.name for t in TYPES}


def seeded() -> tuple[list[StakeholderValue], list[RelationshipValue]]:
    drafts, rels = drafts_from_kit(KIT)
    ppl = [
        StakeholderValue(i + 1, d.name, d.aliases, d.kind, d.sector, d.influence, d.interest, d.notes)
        for i, d in enumerate(drafts)
    ]
    ids = {p.name: p.id for p in ppl}
    values = [
        RelationshipValue(i + 1, ids[r.source], ids[r.target], r.type, r.directed, r.strength, r.note)
        for i, r in enumerate(rels)
    ]
    return ppl, values


def as_tuples(result: NetworkImport) -> tuple[list[tuple[object, ...]], list[tuple[object, ...]]]:
    return (
        [(s.name, s.aliases, s.kind, s.sector, s.influence, s.interest, s.notes) for s in result.stakeholders],
        [(r.source, r.target, r.type, r.directed, r.strength, r.note) for r in result.relationships],
    )


def expected_tuples() -> tuple[list[tuple[object, ...]], list[tuple[object, ...]]]:
    ppl, rels = seeded()
    names = {p.id: p.name for p in ppl}
    return (
        [(p.name, p.aliases, p.kind, p.sector, p.influence, p.interest, p.notes) for p in ppl],
        [(names[r.source_id], names[r.target_id], r.type, r.directed, r.strength, r.note) for r in rels],
    )


def csv_file(name: str, text: str) -> UploadedFile:
    return UploadedFile(name, text.encode("utf-8"))


def test_csv_round_trip() -> None:
    ppl, rels = seeded()
    files = [
        UploadedFile("stakeholders.csv", export.stakeholders_csv(ppl)),
        UploadedFile("relationships.csv", export.relationships_csv(ppl, rels)),
    ]
    result = read_network_files(files, TYPES)
    assert result.layout == "codesign" and result.notes == ()
    assert as_tuples(result) == expected_tuples()
    # The order of the two files does not matter.
    assert as_tuples(read_network_files(files[::-1], TYPES)) == expected_tuples()


def test_csv_header_is_a_contract() -> None:
    ppl, rels = seeded()
    assert export.stakeholders_csv(ppl).decode("utf-8-sig").splitlines()[0] == (
        "name,aliases,kind,sector,influence,interest,notes"
    )
    assert export.relationships_csv(ppl, rels).decode("utf-8-sig").splitlines()[:2] == [
        "source,target,type,directed,strength,note",
        "GP practice,Single point of access,referral,directed,1,Long referral form; many come back as 'not meeting "
        "threshold'. The only seeded link between primary and secondary care.",
    ]


def test_kumu_xlsx_round_trip() -> None:
    ppl, rels = seeded()
    data = export.kumu_xlsx(ppl, rels, type_names=TYPE_NAMES)
    result = read_network_files([UploadedFile("map.xlsx", data)], TYPES)
    assert result.layout == "kumu"
    assert as_tuples(result) == expected_tuples()


def test_kumu_csv_layout_with_ids_pipes_and_words() -> None:
    elements = (
        "Label,Type,Description,Tags,Sector,ID\n"
        "GP practice,Organization,First door,NHS,Primary care,e1\n"
        "Community mental health team,Service,,NHS,secondary_mental_health,e2\n"
        "Local charity,Community group,Groups and advocacy,,Voluntary and community sector,e3\n"
        "Peer group,Person,,,,e4\n"
    )
    connections = (
        "From,To,Type,Direction,Strength,Description\n"
        "GP practice,Community mental health team|Local charity,Refers people to,directed,Strong,Long form\n"
        "e3,e4,support,mutual,1,\n"
        "Local charity,GP practice,,undirected,7,\n"
    )
    result = read_network_files([csv_file("elements.csv", elements), csv_file("connections.csv", connections)], TYPES)
    people, links = as_tuples(result)
    assert [(p[0], p[2], p[3]) for p in people] == [
        ("GP practice", "organisation", "primary_care"),
        ("Community mental health team", "service", "secondary_mental_health"),
        ("Local charity", "community_group", "voluntary_community"),
        ("Peer group", "person_or_role", "other"),
    ]
    assert people[0][6] == "First door"
    assert links == [
        ("GP practice", "Community mental health team", "referral", True, 3, "Long form"),
        ("GP practice", "Local charity", "referral", True, 3, "Long form"),
        ("Local charity", "Peer group", "support", False, 1, ""),
        ("Local charity", "GP practice", "support", False, 2, ""),
    ]
    assert result.notes == (
        "1 stakeholder had no sector and went in 'Other'.",
        "1 connection had no type and became 'support'.",
        "1 connection had a strength other than 1-3 or weak/medium/strong; strength 2 was used.",
    )


def test_graphml_reads_back_with_networkx() -> None:
    ppl, rels = seeded()
    graph = nx.read_graphml(io.BytesIO(export.network_graphml(ppl, rels, type_names=TYPE_NAMES)))
    assert graph.number_of_nodes() == len(ppl) and graph.number_of_edges() == len(rels)
    assert graph.is_directed()
    gp = graph.nodes["s3"]
    assert (gp["label"], gp["sector"], gp["sector_name"], gp["influence"]) == (
        "GP practice",
        "primary_care",
        "Primary care",
        4,
    )
    assert gp["aliases"].split("|")[:2] == ["GP", "doctor"]
    edges = {(graph.nodes[u]["label"], graph.nodes[v]["label"]): d for u, v, d in graph.edges(data=True)}
    crisis = edges[("Crisis café", "Crisis line and crisis team")]
    assert (crisis["type"], crisis["type_name"], crisis["directed"], crisis["strength"], crisis["weight"]) == (
        "support",
        "Supports",
        False,
        1,
        1.0,
    )


def test_formula_cells_are_defused_and_come_back_intact() -> None:
    ppl = [StakeholderValue(1, "=HYPERLINK(evil)", ("+44 team", "@home"), "service", "other", 3, 3, "-3 beds")]
    data = export.stakeholders_csv(ppl)
    assert b"'=HYPERLINK(evil)" in data and b"'+44 team|@home" in data
    (back,) = read_network_files([UploadedFile("s.csv", data)], TYPES).stakeholders
    assert (back.name, back.aliases, back.notes) == ("=HYPERLINK(evil)", ("+44 team", "@home"), "-3 beds")


def test_editor_tables_round_trip() -> None:
    ppl, rels = seeded()
    drafts = stakeholders_from_table(stakeholder_table(ppl), keep_ids=True)
    assert [d.id for d in drafts] == [p.id for p in ppl]
    assert drafts[2].aliases == ppl[2].aliases
    links = relationships_from_table(relationship_table(ppl, rels), TYPES)
    assert [(r.source, r.target, r.type, r.directed) for r in links][:1] == [
        ("GP practice", "Single point of access", "referral", True)
    ]


STAKEHOLDERS = (
    "name,kind,sector,influence,interest\n"
    "GP practice,service,primary_care,4,3\n"
    "CMHT,service,secondary_mental_health,5,4\n"
)


def kumu_book(sheets: dict[str, list[list[object]]]) -> bytes:
    book = Workbook()
    first = True
    for title, rows in sheets.items():
        sheet = book.active if first else book.create_sheet(title)
        assert sheet is not None
        sheet.title = title
        first = False
        for row in rows:
            sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("files", "message"),
    [
        (
            [("s.csv", STAKEHOLDERS), ("r.csv", "source,target,type\nGP practice,GP practice,referral\n")],
            "r.csv row 2: 'GP practice' is linked to itself",
        ),
        (
            [("s.csv", STAKEHOLDERS + "gp  PRACTICE,service,primary_care,3,3\n")],
            "s.csv row 4: 'gp PRACTICE' appears twice (also s.csv row 2); names must be unique",
        ),
        (
            [("s.csv", STAKEHOLDERS), ("r.csv", "source,target,type\nGP practise,CMHT,referral\n")],
            "r.csv row 2: 'GP practise' is not in the stakeholders table (did you mean 'GP practice'?)",
        ),
        (
            [("s.csv", STAKEHOLDERS), ("r.csv", "source,target,type\nGP practice,Nobody,referral\n")],
            "r.csv row 2: 'Nobody' is not in the stakeholders table",
        ),
        (
            [("s.csv", STAKEHOLDERS), ("r.csv", "source,target,type\nGP practice,CMHT,friendship\n")],
            "relationship type 'friendship' is not one of",
        ),
        (
            [("s.csv", STAKEHOLDERS), ("r.csv", "source,target,type,strength\nGP practice,CMHT,referral,5\n")],
            "strength must be 1, 2 or 3, not 5",
        ),
        ([("s.csv", "name,influence\nGP,9\n")], "influence must be a whole number from 1 to 5, not 9"),
        ([("s.csv", "name,influence\nGP,lots\n")], "influence 'lots' is not a number"),
        ([("s.csv", "name,sector\nGP,hospitality\n")], "sector 'hospitality' is not one of"),
        ([("s.csv", "name,kind\n,service\n")], "s.csv row 2: the name is empty"),
        ([("s.csv", "")], "s.csv is empty."),
        ([("s.csv", "name,kind\n")], "The file has no stakeholders in it"),
        ([("s.csv", "colour,shape\nred,round\n")], "These files are not stakeholder tables codesign can read."),
        ([("a.csv", STAKEHOLDERS), ("b.csv", STAKEHOLDERS), ("c.csv", STAKEHOLDERS)], "at most two CSV files"),
        ([], "Choose a file to import"),
    ],
)
def test_bad_csv_is_refused_with_a_clear_message(files: list[tuple[str, str]], message: str) -> None:
    with pytest.raises(ImportRefused) as caught:
        read_network_files([csv_file(n, t) for n, t in files], TYPES)
    assert message in str(caught.value)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            kumu_book({"Sheet1": [["Name", "Email"], ["A", "a@example.com"]]}),
            "map.xlsx is not a Kumu export: it has 'Sheet1'.",
        ),
        (kumu_book({"Elements": [["Colour"], ["red"]]}), "the Elements sheet has no Label column"),
        (
            kumu_book({"Elements": [["Label"], ["A"]], "Connections": [["Source", "Sink"], ["A", "A"]]}),
            "the Connections sheet needs From and To columns",
        ),
        (b"this is not a spreadsheet", "map.xlsx could not be opened as an Excel workbook"),
        (
            kumu_book(
                {
                    "Elements": [["Label", "Type"], ["A", "Person"], ["B", "Person"]],
                    "Connections": [["From", "To"], ["A", "A"]],
                }
            ),
            "Connections row 2: 'A' is linked to itself",
        ),
    ],
)
def test_xlsx_that_is_not_a_kumu_export_is_refused(data: bytes, message: str) -> None:
    with pytest.raises(ImportRefused) as caught:
        read_network_files([UploadedFile("map.xlsx", data)], TYPES)
    assert message in str(caught.value)


def test_kumu_xlsx_ignores_sheets_marked_ignore_and_works_without_connections() -> None:
    data = kumu_book({"Notes (ignore)": [["x"]], "Elements": [["Label"], ["A"], ["B"]]})
    result = read_network_files([UploadedFile("map.xlsx", data)], TYPES)
    assert [s.name for s in result.stakeholders] == ["A", "B"] and result.relationships == ()


def test_too_many_stakeholders_in_a_file() -> None:
    rows = "name\n" + "".join(f"S{i}\n" for i in range(2001))
    with pytest.raises(NetworkTooLarge, match="2,001 stakeholders"):
        read_network_files([csv_file("s.csv", rows)], TYPES)


def test_every_problem_is_listed_and_long_lists_are_cut() -> None:
    rows = "name,influence\n" + "".join(f"S{i},9\n" for i in range(20))
    with pytest.raises(ImportRefused) as caught:
        read_network_files([csv_file("s.csv", rows)], TYPES)
    assert len(caught.value.problems) == 20
    assert str(caught.value).endswith("… and 8 more problems")


def test_windows_encoded_csv_is_read() -> None:
    data = "name,sector\nCrisis café,voluntary_community\n".encode("cp1252")
    (s,) = read_network_files([UploadedFile("s.csv", data)], TYPES).stakeholders
    assert s.name == "Crisis café"


def test_two_files_with_the_same_name_are_told_apart_by_their_headers() -> None:
    files = [
        csv_file("export.csv", STAKEHOLDERS),
        csv_file("export.csv", "source,target,type\nGP practice,CMHT,referral\n"),
    ]
    assert len(read_network_files(files, TYPES).relationships) == 1
    with pytest.raises(ImportRefused, match="not stakeholder tables"):
        read_network_files([csv_file("a.csv", STAKEHOLDERS), csv_file("a.csv", STAKEHOLDERS)], TYPES)


def test_kumu_element_types_that_are_not_kinds_become_services_or_sectors() -> None:
    data = kumu_book({"Elements": [["Label", "Type"], ["Ward 3", "Hospital"], ["Housing office", "Housing"]]})
    result = read_network_files([UploadedFile("map.xlsx", data)], TYPES)
    assert [(s.kind, s.sector) for s in result.stakeholders] == [("service", "other"), ("service", "housing")]
    assert result.notes[0] == (
        "Element types 'Hospital', 'Housing' are not stakeholder kinds; those stakeholders were imported as services."
    )
