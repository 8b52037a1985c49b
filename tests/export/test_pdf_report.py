"""The demo report as a reader gets it: converted to PDF by LibreOffice, then read back page by page.

pdftotext gives each page's words, pdfinfo each page's size and pdfimages each picture's
placed size, so these checks see what a printed copy shows, not what the .docx claims.
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner
from docx import Document
from sqlalchemy import Engine

from codesign import demo, export
from codesign.cli.main import cli
from codesign.export import images, pdf
from tests.conftest import need

POINTS_PER_CM = 72 / 2.54
MARGIN_CM = 2.0
# Rounding in LibreOffice's layout and in pdfimages' ppi figures.
TOLERANCE_PT = 2.0


def run(*command: str) -> str:
    return subprocess.run(list(command), capture_output=True, text=True, check=True, timeout=120).stdout


def squash(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture(scope="module")
def demo_report(tmp_path_factory: pytest.TempPathFactory) -> tuple[bytes, Path]:
    need(not pdf.unavailable_reason(), "LibreOffice (soffice) is not installed")
    need(not images.unavailable_reason(), "Chromium draws the report's charts")
    for tool in ("pdftotext", "pdfinfo", "pdfimages"):
        need(shutil.which(tool) is not None, f"poppler-utils ({tool}) is not installed")
    from codesign.storage.db import make_engine
    from codesign.storage.migrate import upgrade

    folder = tmp_path_factory.mktemp("pdf-report")
    engine = make_engine(f"sqlite:///{folder / 'demo.db'}")
    upgrade(engine)
    workshop = demo.load_demo(engine).workshop
    docx = export.build_workshop_report(engine, workshop.id)
    target = folder / "report.pdf"
    target.write_bytes(export.build_workshop_pdf(engine, workshop.id))
    engine.dispose()
    return docx, target


def pages(path: Path) -> list[str]:
    text = run("pdftotext", str(path), "-")
    return text.split("\f")[:-1] if text.endswith("\f") else text.split("\f")


def page_sizes(path: Path) -> list[tuple[float, float]]:
    info = run("pdfinfo", "-f", "1", "-l", "999", str(path))
    return [(float(w), float(h)) for w, h in re.findall(r"Page\s+\d+ size:\s+([\d.]+) x ([\d.]+) pts", info)]


def test_first_pages_hold_the_summary_and_the_actions_table(demo_report: tuple[bytes, Path]) -> None:
    _docx, path = demo_report
    first = squash(" ".join(pages(path)[:2]))
    assert "Summary" in first and "23 people took part" in first
    assert "What the room found" in first and "What the room supports" in first
    assert "Table 2: Agreed actions" in first and "How progress is measured" in first
    for action in ("Give everyone on the waiting list a named contact", "Agree with carers how they are told"):
        assert action in first
    assert "Update Field" not in " ".join(pages(path))


def test_people_are_counted_once_and_the_lenses_add_up(demo_report: tuple[bytes, Path]) -> None:
    docx, _path = demo_report
    table = Document(io.BytesIO(docx)).tables[0]
    rows = [[c.text for c in row.cells] for row in table.rows]
    assert rows[0] == ["Who took part", "People"] and rows[-1] == ["All", "23"]
    assert sum(int(n) for _lens, n in rows[1:-1]) == 23


def test_contents_list_every_heading_1_with_its_text_already_written(demo_report: tuple[bytes, Path]) -> None:
    docx, path = demo_report
    document = Document(io.BytesIO(docx))
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert headings[0] == "Summary" and "Limitations" in headings and "Next steps" in headings
    # The contents follow the summary's actions table on page 2 (a page of contents alone would be near empty).
    number, contents = next((n, page) for n, page in enumerate(pages(path), 1) if "\nContents\n" in f"\n{page}")
    assert number <= 3
    lines = [line.strip() for line in contents.splitlines() if line.strip()]
    listed = lines[lines.index("Contents") + 1 :]
    assert listed[: len(headings) - 1] == headings[1:]


def test_pages_are_a4_and_every_picture_fits_inside_the_margins(demo_report: tuple[bytes, Path]) -> None:
    _docx, path = demo_report
    sizes = page_sizes(path)
    assert sizes and all(sorted(size) == pytest.approx([595.3, 841.9], abs=1.0) for size in sizes)
    listing = run("pdfimages", "-list", str(path)).splitlines()[2:]
    assert len(listing) >= 8, "every chart of the demo is a picture"
    margin = MARGIN_CM * POINTS_PER_CM
    for line in listing:
        fields = line.split()
        page, width_px, height_px, x_ppi, y_ppi = int(fields[0]), int(fields[3]), int(fields[4]), fields[12], fields[13]
        placed_w = width_px / float(x_ppi) * 72
        placed_h = height_px / float(y_ppi) * 72
        page_w, page_h = sizes[page - 1]
        assert placed_w <= page_w - 2 * margin + TOLERANCE_PT, (page, placed_w)
        assert placed_h <= page_h - 2 * margin + TOLERANCE_PT, (page, placed_h)
        # Print resolution: at least 250 dots per inch at the placed size.
        assert float(x_ppi) >= 250 and float(y_ppi) >= 250


def test_no_caption_ends_a_page(demo_report: tuple[bytes, Path]) -> None:
    docx, path = demo_report
    # A figure's caption shares its paragraph with the picture below it (a picture has no text, so such a
    # page's text may end with the caption): these are the captions that must not end a page.
    captions = [
        squash(p.text)
        for p in Document(io.BytesIO(docx)).paragraphs
        if p.style.name == "Caption" and p.text.strip() and not p._p.xpath(".//w:drawing")
    ]
    assert len(captions) > 10
    for number, page in enumerate(pages(path), start=1):
        lines = [line for line in page.splitlines() if line.strip()]
        # The footer ("<title> · page N") is the last line; what comes before it is the page's body.
        body = squash(" ".join(lines[:-1])) if lines and "· page" in lines[-1] else squash(" ".join(lines))
        for caption in captions:
            tail = caption.split(": ", 1)[-1][-40:]
            assert not body.endswith(tail), f"page {number} ends with the caption {caption!r}"


def test_cli_writes_the_pdf_and_the_posters(tmp_path: Path, engine: Engine, sqlite_url: str) -> None:
    need(not pdf.unavailable_reason(), "LibreOffice (soffice) is not installed")
    need(not images.unavailable_reason(), "Chromium draws the posters")
    code = demo.load_demo(engine).workshop.code
    runner = CliRunner()
    out = tmp_path / "report.pdf"
    result = runner.invoke(
        cli, ["export", "--db", sqlite_url, code, "--format", "pdf", "--no-images", "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert out.read_bytes().startswith(b"%PDF") and "Wrote" in result.output
    posters = tmp_path / "posters.zip"
    result = runner.invoke(cli, ["export", "--db", sqlite_url, code, "--format", "posters", "--out", str(posters)])
    assert result.exit_code == 0, result.output
    import zipfile

    with zipfile.ZipFile(posters) as archive:
        names = archive.namelist()
        assert names == [f"{code}-journey-map-A3.pdf", f"{code}-blueprint-as-is-A3.pdf"]
        for name in names:
            poster = tmp_path / name
            poster.write_bytes(archive.read(name))
            assert page_sizes(poster) == [pytest.approx((1190.5, 841.9), abs=2.0)]


def test_without_libreoffice_the_pdf_is_refused_with_a_clear_message(
    engine: Engine, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("CODESIGN_SOFFICE", str(tmp_path / "no-such-soffice"))
    workshop = demo.load_demo(engine).workshop
    with pytest.raises(export.PdfUnavailable, match="LibreOffice is not installed"):
        export.build_workshop_pdf(engine, workshop.id, chart_images=False)


def _body_lines(page: str) -> list[str]:
    lines = [line.strip() for line in page.splitlines() if line.strip()]
    return lines[:-1] if lines and "· page" in lines[-1] else lines


def test_no_page_is_empty_or_ends_with_a_heading(demo_report: tuple[bytes, Path]) -> None:
    docx, path = demo_report
    headings = {
        squash(p.text)
        for p in Document(io.BytesIO(docx)).paragraphs
        if p.style.name.startswith("Heading") and p.text.strip()
    }
    for number, page in enumerate(pages(path), start=1):
        body = _body_lines(page)
        assert body, f"page {number} is empty"
        if "Contents" in body:
            body = body[: body.index("Contents")]  # the contents list the headings: they may end the page
            assert body, "the contents follow the summary on its page"
        assert body[-1] not in headings, f"page {number} ends with the heading {body[-1]!r}"
        # A heading and its one line of introduction alone on a page, the figure on the next: not again.
        has_figure = any(line.startswith("Figure ") for line in body)
        assert has_figure or not (len(body) <= 3 and body[0] in headings), f"page {number} holds only {body!r}"


def test_table_words_are_never_broken_in_two(demo_report: tuple[bytes, Path]) -> None:
    """Headers ("Someone else", "Connections") and row names keep their words whole in LibreOffice's layout."""
    docx, path = demo_report
    words_in_pdf = set(re.findall(r"[A-Za-z]+", run("pdftotext", str(path), "-")))
    document = Document(io.BytesIO(docx))
    checked = 0
    for table in document.tables:
        cells = [*table.rows[0].cells, *(row.cells[0] for row in table.rows[1:])]
        for cell in cells:
            for word in re.findall(r"[A-Za-z]{4,}", cell.text):
                assert word in words_in_pdf, f"{word!r} of a table header or row name is broken across lines"
                checked += 1
    assert checked > 100


def test_word_layout_keeps_rows_whole_headers_repeated_and_captions_with_their_table(
    demo_report: tuple[bytes, Path],
) -> None:
    from docx.oxml.ns import qn
    from docx.shared import Pt

    docx, _path = demo_report
    document = Document(io.BytesIO(docx))
    assert len(document.tables) > 10
    for table in document.tables:
        rows = table.rows
        assert rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None, "the header row repeats on every page"
        for row in rows:
            assert row._tr.trPr is not None and row._tr.trPr.find(qn("w:cantSplit")) is not None
            for cell in row.cells:
                for paragraph in cell.paragraphs:
                    for r in paragraph.runs:
                        # Set on every run (LibreOffice ignores a table style's size), never under 8 pt.
                        assert r.font.size is not None and r.font.size >= Pt(8)
    captions = [p for p in document.paragraphs if p.style.name == "Caption"]
    tables = [p for p in captions if p.text.startswith("Table")]
    figures = [p for p in captions if p.text.startswith("Figure")]
    assert len(tables) >= 10 and len(figures) >= 8
    for caption in tables:
        assert caption.paragraph_format.keep_with_next, caption.text
        following = caption._p.getnext()
        assert following is not None and following.tag == qn("w:tbl"), f"{caption.text!r} is not above its table"
    for caption in figures:
        # Caption and picture are one paragraph, at single spacing so the picture's line is no taller than it.
        assert caption._p.xpath(".//w:drawing"), caption.text
        assert caption.paragraph_format.keep_together and caption.paragraph_format.line_spacing == 1.0


def test_every_picture_fits_the_printable_area_of_its_own_section(demo_report: tuple[bytes, Path]) -> None:
    from docx.oxml.ns import qn

    docx, _path = demo_report
    document = Document(io.BytesIO(docx))
    body = document.element.body
    sections = list(document.sections)
    index = 0
    checked = 0
    for child in body.iterchildren():
        for extent in child.iter(qn("wp:extent")):
            section = sections[index]
            usable_w = section.page_width - section.left_margin - section.right_margin
            usable_h = section.page_height - section.top_margin - section.bottom_margin
            assert int(extent.get("cx")) <= usable_w and int(extent.get("cy")) <= usable_h
            checked += 1
        if child.tag == qn("w:p") and child.xpath("./w:pPr/w:sectPr"):
            index += 1
    assert checked >= 8
    wide = {p.text.split(":")[0] for p in document.paragraphs if p.style.name == "Caption" and "journey map" in p.text}
    assert wide, "the journey map is a figure"
    assert [s.orientation for s in sections].count(1) == 1, "one landscape section: the maps and the network"


def test_alt_text_is_whole_sentences_never_cut(demo_report: tuple[bytes, Path]) -> None:
    docx, _path = demo_report
    xml = zipfile_text(docx)
    alt = re.findall(r'descr="([^"]*)"', xml)
    assert len(alt) >= 8
    for text in alt:
        # Every idea, statement and stage in full: a screen reader hears what a sighted reader sees.
        assert text.endswith(".") and "…" not in text and ".;" not in text, text


def zipfile_text(docx: bytes) -> str:
    import zipfile

    with zipfile.ZipFile(io.BytesIO(docx)) as archive:
        return archive.read("word/document.xml").decode("utf-8")
