"""The Word report: opened again with python-docx, checked for its structure and for what it must never hold."""

from __future__ import annotations

import io
import re
import shutil
import struct
import subprocess
import zipfile
import zlib
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.oxml.ns import qn
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import Engine

from codesign import export
from codesign.export import docx as report
from codesign.export import gather_report_data, images
from codesign.export.report_data import Quote, ReportData, ThemeSection
from codesign.models import Workshop
from codesign.storage import workshops as repo
from tests.conftest import need
from tests.export.conftest import CONTROL_STORY, FORMULA_STORY, IDEAS, QUOTED, WITHHELD, WITHHELD_IDEA, Seeded

HEADINGS_1 = [
    "Summary",
    "You said, we will",
    "About this workshop",
    "Themes",
    "The journey",
    "Service blueprint",
    "Stakeholders",
    "Ideas and votes",
    "Limitations",
    "Next steps",
    "Appendix A: Data protection summary",
    "Appendix B: Stakeholder map, in network terms",
    "Appendix C: The planned agenda",
]


def tiny_png() -> bytes:
    """A valid 1 x 1 PNG, standing in for a chart where the browser is not the point of the test."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\0\xff\xff\xff"))
        + chunk(b"IEND", b"")
    )


def open_docx(data: bytes):  # type: ignore[no-untyped-def]
    return Document(io.BytesIO(data))


def all_xml(data: bytes) -> str:
    """Every XML part of the package (body, headers, footers, properties), as text."""
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        return "\n".join(
            package.read(name).decode("utf-8") for name in package.namelist() if name.endswith((".xml", ".rels"))
        )


def headings(doc, level: int) -> list[str]:  # type: ignore[no-untyped-def]
    return [p.text for p in doc.paragraphs if p.style.name == f"Heading {level}"]


def table_texts(doc) -> list[list[list[str]]]:  # type: ignore[no-untyped-def]
    return [[[cell.text for cell in row.cells] for row in table.rows] for table in doc.tables]


@pytest.fixture
def seeded_report(engine: Engine, seeded: Seeded) -> bytes:
    return export.build_workshop_report(engine, seeded.workshop.id, chart_images=False)


def test_report_has_the_sections_in_order_with_real_styles(seeded_report: bytes, seeded: Seeded) -> None:
    doc = open_docx(seeded_report)
    assert headings(doc, 1) == HEADINGS_1
    assert [p.text for p in doc.paragraphs if p.style.name == "Title"] == [seeded.workshop.title]
    assert headings(doc, 2)[:3] == ["What the room found", "What the room supports", "Agreed actions"]
    assert {"How the workshop worked", "How to read this report"} <= set(headings(doc, 2))
    assert {"Being heard the first time", "Forms and waiting", "Emotion curve by lens", "Journey map"} <= set(
        headings(doc, 2)
    )
    assert {"As is: the service today", "To be: the service we propose"} <= set(headings(doc, 2))
    findings = [p for p in doc.paragraphs if p.style.name == "List Bullet" and p.runs and p.runs[0].bold]
    assert findings[0].text.startswith("20 stakeholders and ")
    # The three most important findings in plain words; their network terms only in the appendix.
    assert len(findings) == 4
    body = "\n".join(p.text for p in findings)
    assert "articulation point" not in body and "degree" not in body
    terms = next(t for t in table_texts(doc) if t[0] == ["Finding", "Network term"])
    assert len(terms) > 3
    assert "In their words" in headings(doc, 3)
    assert any(p.style.name == "Caption" for p in doc.paragraphs)
    assert {t.style.name for t in doc.tables} == {report.TABLE_STYLE}
    xml = all_xml(seeded_report)
    # The contents are written out, never a field that shows "Update Field" until Word fills it in.
    assert "TOC \\o" not in xml and "w:updateFields" not in xml and "Update Field" not in xml
    texts = [p.text for p in doc.paragraphs]
    start = texts.index("Contents")
    assert texts[start + 1 : start + len(HEADINGS_1)] == HEADINGS_1[1:]
    assert 'w:anchor="_section_2"' in xml and 'w:name="_section_2"' in xml
    assert 'w:lang w:val="en-GB"' in xml
    assert doc.core_properties.title == seeded.workshop.title
    assert doc.core_properties.author == "codesign" and "python-docx" not in (doc.core_properties.comments or "")

    def whole(row: object) -> bool:
        tr_pr = row._tr.trPr  # type: ignore[attr-defined]
        return tr_pr is not None and tr_pr.find(qn("w:cantSplit")) is not None

    # Rows never split across pages, except in the journey and blueprint grids, whose lanes can outgrow a page.
    tables = doc.tables
    grids = [t for t in tables if t.rows[0].cells[0].text == ""]
    assert len(grids) >= 3 and all(whole(t.rows[0]) for t in tables)
    assert all(whole(row) for t in tables if t not in grids for row in t.rows)
    for paragraph in doc.paragraphs:
        if paragraph.style.name == "Caption":
            assert paragraph.paragraph_format.keep_with_next, paragraph.text


def test_cover_counts_participants_by_lens_and_reported_stories(seeded_report: bytes) -> None:
    doc = open_docx(seeded_report)
    text = "\n".join(p.text for p in doc.paragraphs)
    # Approved and not awaiting a safeguarding review: report, reviewed, anonymous, themes-only, formula, control.
    assert "4 people took part and shared 6 stories that are in this report." in text
    assert "Workshop kit: Living Well" in text
    by_lens = table_texts(doc)[0]
    assert by_lens[0] == ["Who took part", "People"]
    assert {row[0] for row in by_lens[1:-1]} <= {
        "Person with lived experience",
        "Carer, family member or friend",
        "Staff or volunteer",
    }
    # Each person once: the lens rows add up to the total, which is the number of phones (four).
    assert by_lens[-1] == ["All", "4"]
    assert sum(int(row[1]) for row in by_lens[1:-1]) == 4


def test_quotes_come_only_from_consenting_reviewed_approved_stories(seeded_report: bytes) -> None:
    doc = open_docx(seeded_report)
    quotes = [p.text for p in doc.paragraphs if p.style.name == "Quote"]
    assert f"“{QUOTED['report']}”" in quotes
    assert f"“{QUOTED['reviewed']}”" in quotes
    assert any("HYPERLINK" in q for q in quotes)
    assert len(quotes) == 4


def test_no_withheld_story_appears_anywhere(seeded_report: bytes) -> None:
    xml = all_xml(seeded_report)
    for text in [*WITHHELD.values(), WITHHELD_IDEA]:
        marker = text.split()[0]
        assert marker not in xml, marker
    # But what may be shown is there, so the check above could fail.
    assert "QUOTABLE-ALPHA" in xml and "IDEA-ONE" in xml and "JOURNEY-PAIN" in xml


def test_the_quote_setting_widens_quotes_to_anonymous_consent(engine: Engine, seeded: Seeded) -> None:
    repo.update_workshop_settings(
        engine, seeded.workshop.id, {"report_quote_consents": ["anonymous_quote", "report_quote"]}
    )
    xml = all_xml(export.build_workshop_report(engine, seeded.workshop.id, chart_images=False))
    assert "WITHHELD-ANONQUOTE" in xml
    assert "WITHHELD-THEMESONLY" not in xml


def test_themes_only_is_never_quoted_whatever_the_setting_says(engine: Engine, seeded: Seeded) -> None:
    repo.update_workshop_settings(engine, seeded.workshop.id, {"report_quote_consents": ["themes_only"]})
    doc = open_docx(export.build_workshop_report(engine, seeded.workshop.id, chart_images=False))
    assert "WITHHELD-THEMESONLY" not in all_xml(
        export.build_workshop_report(engine, seeded.workshop.id, chart_images=False)
    )
    assert [p.text for p in doc.paragraphs if p.style.name == "Quote"] == []


def test_a_theme_label_that_copies_a_withheld_story_is_replaced(engine: Engine, seeded: Seeded) -> None:
    from sqlalchemy import update

    from codesign.storage.db import write_session
    from codesign.storage.schema import ThemeRow

    with write_session(engine) as s:
        s.execute(update(ThemeRow).where(ThemeRow.label == "Forms and waiting").values(label=WITHHELD["themes_only"]))
    doc = open_docx(export.build_workshop_report(engine, seeded.workshop.id, chart_images=False))
    assert "Theme 2" in headings(doc, 2)
    assert "WITHHELD-THEMESONLY" not in all_xml(
        export.build_workshop_report(engine, seeded.workshop.id, chart_images=False)
    )


def test_control_characters_are_stripped_not_fatal(seeded_report: bytes) -> None:
    text = "\n".join(p.text for p in open_docx(seeded_report).paragraphs)
    assert "CONTROL-CHARS here is a bell, a vertical tab and a unit separator in a story." in text
    assert CONTROL_STORY not in text


def test_journey_blueprint_and_ideas_tables(seeded_report: bytes) -> None:
    doc = open_docx(seeded_report)
    cells = "\n".join(cell for table in table_texts(doc) for row in table for cell in row)
    assert "• BLUEPRINT-FAIL receptionist cannot book [FAIL POINT]" in cells
    assert "• BLUEPRINT-WAIT triage meeting [WAIT: 6 weeks]" in cells
    assert "BLUEPRINT-TOBE" in cells and "— Line of visibility —" in cells
    assert "JOURNEY-PROPOSED" not in cells  # only accepted items reach the report
    assert f"“{QUOTED['report']}”" in cells  # the journey map quotes, with report consent
    ideas = next(t for t in table_texts(doc) if t[0][:2] == ["Rank", "Idea"])
    assert ideas[1][:4] == ["1", IDEAS[0], "3", "2"] and ideas[2][:4] == ["2", IDEAS[1], "2", "1"]
    statement = next(t for t in table_texts(doc) if t[0][0] == "Statement")
    lived = statement[0].index("Person with lived experience")
    assert statement[1][0] == "STATEMENT one open door for everyone" and statement[1][lived] == "1 / 0 / 0"
    orientations = [s.orientation for s in doc.sections]
    assert WD_ORIENT.LANDSCAPE in orientations and orientations[-1] == WD_ORIENT.PORTRAIT


def test_unrevealed_votes_stay_out_of_the_report(engine: Engine, seeded: Seeded) -> None:
    from sqlalchemy import update

    from codesign.storage.db import write_session
    from codesign.storage.schema import RoundRow

    with write_session(engine) as s:
        s.execute(update(RoundRow).values(revealed=False))
    doc = open_docx(export.build_workshop_report(engine, seeded.workshop.id, chart_images=False))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "The votes of this round were not revealed in the room, so they are not reported." in text
    ideas = next(t for t in table_texts(doc) if t[0] == ["Idea"])
    assert [row[0] for row in ideas[1:]] == list(IDEAS)
    assert "Agreement across lenses" not in text and not any(t[0][0] == "Statement" for t in table_texts(doc))


def test_data_protection_appendix_counts_consent_and_withdrawals(seeded_report: bytes) -> None:
    doc = open_docx(seeded_report)
    consent = next(t for t in table_texts(doc) if t[0][0] == "Consent given")
    assert [row[1] for row in consent[1:]] == ["1", "1", "7"]
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "1 story was withdrawn by the people who shared them" in text
    assert (
        "1 story mentioned risk and was reviewed by a facilitator; 1 story still waiting for that review is left out"
        in text
    )


def test_an_empty_workshop_exports_a_short_valid_report(engine: Engine, empty_workshop: Workshop) -> None:
    data = export.build_workshop_report(engine, empty_workshop.id, chart_images=False)
    doc = open_docx(data)
    assert headings(doc, 1) == [
        "Summary",
        "About this workshop",
        "Findings",
        "Stakeholders",
        "Limitations",
        "Next steps",
        "Appendix A: Data protection summary",
        "Appendix B: Stakeholder map, in network terms",
        "Appendix C: The planned agenda",
    ]
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "0 people took part and shared 0 stories" in text
    assert "No actions had been recorded" in text
    assert len(data) < 60_000


def test_charts_are_pictures_with_alt_text_and_captions(engine: Engine, seeded: Seeded) -> None:
    data = gather_report_data(engine, seeded.workshop.id)
    assert {key.split("_")[0] for key in data.figures} == {
        "emotion",
        "journey",
        "blueprint",
        "themes",
        "stakeholders",
        "votes",
        "consensus",
    }
    sizes: list[tuple[int, int, float]] = []

    def render(_fig: object, *, width: int, height: int, scale: float) -> bytes:
        sizes.append((width, height, scale))
        return tiny_png()

    built = report.build_report(data, render=render)
    doc = open_docx(built)
    assert len(doc.inline_shapes) == 9
    # Print resolution: every picture has about 300 pixels per inch of its width on the page.
    for shape, (width, _height, scale) in zip(doc.inline_shapes, sizes, strict=True):
        assert width * scale / shape.width.inches >= 295
    xml = all_xml(built)
    assert 'descr="Line chart of the mean feeling' in xml
    assert 'descr="Journey map of 8 stages' in xml
    assert 'descr="Service blueprint, as is: the service today: 2 items' in xml
    assert 'descr="Network diagram of 20 stakeholders' in xml
    assert next(p.text for p in doc.paragraphs if p.text.startswith("Figure ")).startswith("Figure 1: Stories in each")
    assert 'descr="Heat map of how many stories of each theme' in xml


def test_without_a_browser_the_report_has_tables_and_says_so(
    engine: Engine, seeded: Seeded, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BROWSER_PATH", "/nonexistent/chromium")
    assert images.render_png({"data": []}) is None
    assert "no Chrome or Chromium" in images.unavailable_reason()
    built = report.build_report(gather_report_data(engine, seeded.workshop.id))
    doc = open_docx(built)
    assert len(doc.inline_shapes) == 0
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "could not be drawn as a picture on this computer (no Chrome or Chromium" in text
    assert any(t[0][0] == "Stage" for t in table_texts(doc))  # the emotion data, as a table
    assert "BLUEPRINT-FAIL" in all_xml(built)


@pytest.mark.slow
def test_real_chart_images_with_kaleido(engine: Engine, seeded: Seeded) -> None:
    need(images.browser_path() is not None, "Chromium is not installed (chart images)")
    built = export.build_workshop_report(engine, seeded.workshop.id)
    doc = open_docx(built)
    assert len(doc.inline_shapes) == 9
    blobs = [
        doc.part.related_parts[s._inline.graphic.graphicData.pic.blipFill.blip.embed].blob for s in doc.inline_shapes
    ]
    # Print resolution: at least 1,900 pixels across a 16.5 cm picture (about 290 dpi).
    assert all(struct.unpack(">I", blob[16:20])[0] >= 1900 for blob in blobs)


def test_every_string_of_a_report_is_cleaned() -> None:
    """Text that never touched a database (a lone surrogate, NUL) still cannot break the report."""
    nasty = "bad\x00 text \ud800 with \ufffe controls\x1b"
    theme = ThemeSection(nasty, nasty, 1, ((nasty, 1),), ((nasty, 1),), (Quote(nasty, nasty, nasty),))
    data = ReportData(
        title=nasty,
        code="ABC234",
        kit_title=nasty,
        kit_summary=nasty,
        programme=nasty,
        workshop_date=datetime(2026, 3, 4, tzinfo=UTC),
        generated_at=datetime(2026, 3, 5, tzinfo=UTC),
        stages=(nasty,),
        lenses=(nasty,),
        participants_by_lens=((nasty, 1),),
        participants=1,
        stories_reported=1,
        themes=(theme,),
    )
    doc = open_docx(report.build_report(data, render=None))
    assert "“bad text  with  controls”" in [p.text for p in doc.paragraphs]
    assert open_docx(report.build_report(replace(data, stories_reported=0), render=None)).paragraphs


def test_libreoffice_opens_the_report(tmp_path: Path, engine: Engine, seeded: Seeded) -> None:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    need(soffice is not None, "LibreOffice (soffice) is not installed")
    source = tmp_path / "report.docx"
    source.write_bytes(
        report.build_report(gather_report_data(engine, seeded.workshop.id), render=lambda _f, **_size: tiny_png())
    )
    profile = tmp_path / "lo-profile"
    result = subprocess.run(
        [
            str(soffice),
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(source),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    pdf = tmp_path / "report.pdf"
    assert result.returncode == 0 and pdf.is_file(), result.stderr
    content = pdf.read_bytes()
    assert content.startswith(b"%PDF") and len(re.findall(rb"/Type\s*/Page\b", content)) >= 5
    pdftotext = shutil.which("pdftotext")
    need(pdftotext is not None, "poppler-utils (pdftotext) is not installed")
    words = subprocess.run([str(pdftotext), str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "Appendix A: Data protection summary" in words and "QUOTABLE-ALPHA" in words


def test_theme_quotes_are_de_identified_again_and_formulas_stay_literal(seeded_report: bytes) -> None:
    """Stored text was de-identified when it was shared; quotes pass the newest rules once more."""
    quotes = [p.text for p in open_docx(seeded_report).paragraphs if p.style.name == "Quote"]
    expected = FORMULA_STORY.replace("http://example.invalid", "[web address]")
    assert f"“{expected}”" in quotes
    assert not any("example.invalid" in q for q in quotes)


@given(
    items=st.lists(st.text(alphabet="abcdefgh ", min_size=1, max_size=900), min_size=0, max_size=12),
    width=st.floats(min_value=2.5, max_value=12.0),
)
def test_a_long_lane_is_cut_into_rows_that_fit_and_nothing_is_lost(items: list[str], width: float) -> None:
    from codesign.export.docx import _lines, split_lane

    items = [" ".join(i.split()) for i in items if i.split()]
    rows = split_lane(["Thoughts and feelings", "\n".join(items), "short"], [3.0, width, width], 24)
    assert rows[0][0] == "Thoughts and feelings" and all(r[0].endswith("(continued)") for r in rows[1:])
    for row in rows:
        for value in row[1:]:
            if value:
                assert sum(_lines(v, width) for v in value.split("\n")) <= 24 or "\n" not in value
    pieces = [p for row in rows for p in row[1].split("\n") if p]
    rebuilt = " ".join(pieces).replace(" … …", "").replace(" …", "").replace("… ", "")
    assert " ".join(" ".join(items).split()) == " ".join(rebuilt.split())
    assert rows[0][2] == "short"


def test_a_picture_is_drawn_once_and_kept_until_its_chart_changes(monkeypatch: pytest.MonkeyPatch) -> None:
    need(images.browser_path() is not None, "Chromium is not installed (chart images)")
    import plotly.graph_objects as go

    drawn: list[tuple[int, int]] = []
    real = images._render

    def counting(fig, width, height, scale, fmt="png"):  # type: ignore[no-untyped-def]
        drawn.append((width, height))
        return real(fig, width, height, scale, fmt)

    monkeypatch.setattr(images, "_render", counting)
    images.forget_pictures()
    figure = go.Figure(go.Bar(x=["Waiting", "Crisis"], y=[3, 5]))
    # Asked for ahead, then placed: drawn once, and the report's later copy (the PDF's) draws nothing.
    images.prefetch(figure, width=320, height=200, scale=1.0)
    first = images.render_png(figure, width=320, height=200, scale=1.0)
    again = images.render_png(go.Figure(figure), width=320, height=200, scale=1.0)
    assert first is not None and first.startswith(b"\x89PNG") and again == first
    assert drawn == [(320, 200)]
    # A changed chart, or the same chart at another size, is drawn afresh.
    figure.update_traces(y=[4, 5])
    changed = images.render_png(figure, width=320, height=200, scale=1.0)
    images.render_png(figure, width=300, height=200, scale=1.0)
    assert changed is not None and changed != first and drawn == [(320, 200), (320, 200), (300, 200)]


def test_the_rooms_insight_opens_its_theme_and_the_summary_findings(engine: Engine, seeded: Seeded) -> None:
    from codesign.themes import service as themes

    theme = next(t for t in themes.list_board(engine, seeded.workshop.id) if t.label == "Forms and waiting")
    themes.set_insight(engine, seeded.workshop.id, theme.id, "People fill in the same form three times.")
    doc = open_docx(export.build_workshop_report(engine, seeded.workshop.id, chart_images=False))
    texts = [p.text for p in doc.paragraphs]
    assert "The room's insight: People fill in the same form three times." in texts
    # Written by the room, so the theme's finding in the summary carries it too.
    assert any("Forms and waiting: People fill in the same form three times." in t for t in texts)
    rows = export.gather_tables(engine, seeded.workshop.id).rows("themes")
    assert ("Forms and waiting", "People fill in the same form three times.") in [(r[1], r[3]) for r in rows]


def test_the_journey_compares_lenses_and_the_rooms_personas(engine: Engine, seeded: Seeded) -> None:
    from codesign import journeys

    ids = seeded.story_ids
    # A second persona drawn from a story still waiting for moderation (not counted) and one
    # whose description repeats a withheld story (the description is left out, the persona stays).
    journeys.save_persona(engine, seeded.workshop.id, "PERSONA-TWO", WITHHELD["anonymous"], [ids["pending"]])
    doc = open_docx(export.build_workshop_report(engine, seeded.workshop.id, chart_images=False))
    texts = [p.text for p in doc.paragraphs]
    start = texts.index("Stages the lenses felt a whole point or more apart (the lens that felt it worst first):")
    gap = texts[start + 1]
    assert gap.startswith("First noticing") and gap.index("1.0 of 5") < gap.index("4.0 of 5")
    assert "Personas" in headings(doc, 2)
    assert "PERSONA-NAME: PERSONA-DESCRIPTION (1 story)" in texts
    assert "PERSONA-TWO: (0 stories)" in texts
    assert WITHHELD["anonymous"] not in "\n".join(texts)
    grid = next(t for t in table_texts(doc) if t[0][0] == "Stage" and "PERSONA-NAME" in t[0])
    assert grid[0] == ["Stage", "PERSONA-NAME", "Everyone"]  # a persona with no rated story is left out
    first = next(row for row in grid if row[0].startswith("First noticing"))
    assert first[1] == "4.0 of 5 (n=1) · thin evidence"
