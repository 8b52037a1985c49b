"""The Export screen: counts, and one-click downloads made by the same functions as the CLI."""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Callable
from typing import Any

import pytest
from docx import Document
from openpyxl import load_workbook
from sqlalchemy import Engine
from streamlit.runtime.media_file_manager import MediaFileManager

from codesign import export
from codesign.export import images, pdf, tables
from tests.app.conftest import page
from tests.conftest import need
from tests.export.conftest import QUOTED, WITHHELD, Seeded, seed_workshop


@pytest.fixture
def deferred(monkeypatch: pytest.MonkeyPatch) -> dict[str, Callable[[], Any]]:
    """What each download button would send when clicked, by file name."""
    captured: dict[str, Callable[[], Any]] = {}
    original = MediaFileManager.add_deferred

    def spy(self, data_callable, mimetype, coordinates, file_name=None, **kwargs):  # type: ignore[no-untyped-def]
        captured[file_name] = data_callable
        return original(self, data_callable, mimetype, coordinates, file_name, **kwargs)

    monkeypatch.setattr(MediaFileManager, "add_deferred", spy)
    return captured


@pytest.fixture
def seeded_app_workshop(engine: Engine) -> Seeded:
    return seed_workshop(engine)


def test_export_page_offers_the_downloads_that_produce_the_files(
    app,
    engine: Engine,
    seeded_app_workshop: Seeded,
    deferred: dict[str, Callable[[], Any]],  # type: ignore[no-untyped-def]
) -> None:
    at = page(app(facilitator=True), "pages/export.py")
    assert not at.exception, at.exception
    assert at.title[0].value == "Export"
    assert [m.value for m in at.metric] == ["6", "4", "3"]
    assert "Waiting for moderation: 1. Waiting for a safeguarding review: 1." in at.warning[0].value
    labels = [b.proto.label for b in at.get("download_button")]
    pdf_ready = not pdf.unavailable_reason()
    posters_ready = not images.unavailable_reason()
    need(pdf_ready and posters_ready, "LibreOffice and Chromium make the PDF and the posters")
    assert labels == [
        "Download the Word report",
        "Download the report as PDF",
        "Journey map (A3 PDF)",
        "As is: the service today (A3 PDF)",
        "To be: the service we propose (A3 PDF)",
        "Download CSV files (zip)",
        "Download Excel workbook",
        "Download JSON backup",
    ]
    code = seeded_app_workshop.workshop.code
    assert set(deferred) == {
        f"{code}-report.docx",
        f"{code}-report.pdf",
        f"{code}-journey-map-A3.pdf",
        f"{code}-blueprint-as-is-A3.pdf",
        f"{code}-blueprint-to-be-A3.pdf",
        f"{code}-data.zip",
        f"{code}-data.xlsx",
        f"{code}-backup.json",
    }

    at.toggle[0].set_value(False).run()  # tables instead of chart pictures: no browser needed here
    report = Document(io.BytesIO(deferred[f"{code}-report.docx"]()))
    quotes = [p.text for p in report.paragraphs if p.style.name == "Quote"]
    assert f"“{QUOTED['report']}”" in quotes
    assert not any(WITHHELD["themes_only"] in q for q in quotes)
    with zipfile.ZipFile(io.BytesIO(deferred[f"{code}-data.zip"]())) as archive:
        assert len(archive.namelist()) == len(tables.TABLE_NAMES)
    assert load_workbook(io.BytesIO(deferred[f"{code}-data.xlsx"]())).sheetnames == list(tables.TABLE_NAMES)
    assert json.loads(deferred[f"{code}-backup.json"]())["format"] == export.FORMAT


def test_export_page_of_an_empty_workshop(app, engine: Engine, deferred: dict[str, Callable[[], Any]]) -> None:  # type: ignore[no-untyped-def]
    from codesign import workshops
    from codesign.workshops.kits import get_builtin_kit

    workshop = workshops.create_workshop(engine, "Nothing yet", get_builtin_kit("cyp-thrive"))
    at = page(app(facilitator=True), "pages/export.py")
    assert not at.exception, at.exception
    assert [m.value for m in at.metric] == ["0", "0", "0"]
    at.toggle[0].set_value(False).run()
    report = Document(io.BytesIO(deferred[f"{workshop.code}-report.docx"]()))
    assert "Findings" in [p.text for p in report.paragraphs if p.style.name == "Heading 1"]
