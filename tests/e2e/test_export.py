"""One click in a real browser downloads the Word report and the data files the CLI makes."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from docx import Document
from openpyxl import load_workbook

from codesign.export import tables
from tests.conftest import TEST_PASSCODE
from tests.e2e.conftest import PROJECTOR
from tests.export.conftest import QUOTED, WITHHELD, seed_workshop

pytestmark = pytest.mark.browser


def test_facilitator_downloads_the_report_and_data_with_one_click(live_app, browser, tmp_path) -> None:  # type: ignore[no-untyped-def]
    seeded = seed_workshop(live_app.engine)
    context = browser.new_context(viewport=PROJECTOR, accept_downloads=True)
    page = context.new_page()
    page.goto(f"{live_app.url}/export")
    page.get_by_label("Facilitator passcode").fill(TEST_PASSCODE)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("button", name="Download the Word report").wait_for(timeout=30_000)
    page.screenshot(path=str(tmp_path / "export.png"), full_page=True)

    # Tables instead of chart pictures keeps this test about the click, not the charts.
    page.get_by_text("Draw the charts as pictures").click()
    page.wait_for_timeout(1_500)
    with page.expect_download(timeout=60_000) as report_download:
        page.get_by_role("button", name="Download the Word report").click()
    download = report_download.value
    assert download.suggested_filename == f"{seeded.workshop.code}-report.docx"
    doc = Document(download.path())
    quotes = [p.text for p in doc.paragraphs if p.style.name == "Quote"]
    assert f"“{QUOTED['report']}”" in quotes
    assert not any(WITHHELD["themes_only"] in q for q in quotes)

    with page.expect_download(timeout=60_000) as xlsx_download:
        page.get_by_role("button", name="Download Excel workbook").click()
    book = load_workbook(io.BytesIO(Path(xlsx_download.value.path()).read_bytes()))
    assert book.sheetnames == list(tables.TABLE_NAMES)

    with page.expect_download(timeout=60_000) as zip_download:
        page.get_by_role("button", name="Download CSV files (zip)").click()
    with zipfile.ZipFile(io.BytesIO(open(zip_download.value.path(), "rb").read())) as archive:
        assert len(archive.namelist()) == len(tables.TABLE_NAMES)
    context.close()
