"""The Workshops screen's data-protection settings reach the report's appendix word for word."""

from __future__ import annotations

import io

from docx import Document
from sqlalchemy import Engine

from codesign import export, workshops
from codesign.storage import workshops as repo
from codesign.workshops.kits import get_builtin_kit
from tests.app.conftest import page


def test_facilitator_sets_controller_basis_and_retention_and_the_report_states_them(app, engine: Engine) -> None:  # type: ignore[no-untyped-def]
    workshop = workshops.create_workshop(engine, "Crisis pathway", get_builtin_kit("living-well"))
    at = page(app(facilitator=True), "pages/workshops.py")
    assert not at.exception, at.exception
    report = Document(io.BytesIO(export.build_workshop_report(engine, workshop.id, chart_images=False)))
    text = "\n".join(p.text for p in report.paragraphs)
    assert "Data controller: Not recorded (set it on the Workshops screen)" in text

    fields = {t.label: t for t in at.text_input}
    fields["Data controller"].set_value("Northbrook Mental Health NHS Foundation Trust")
    fields["Lawful basis"].set_value("UK GDPR Article 6(1)(e)   public task")
    fields["How long the stories are kept"].set_value("Deleted 12 months after the workshop")
    at.checkbox[0].check()
    next(b for b in at.button if b.label == "Save").click().run()
    assert not at.exception, at.exception
    assert at.success[0].value == "Saved. The next report will state these."

    stored = repo.get_workshop(engine, workshop.id)
    assert stored.setting("lawful_basis") == "UK GDPR Article 6(1)(e) public task"
    assert stored.setting("data_file_consents") == ["anonymous_quote", "report_quote"]
    report = Document(io.BytesIO(export.build_workshop_report(engine, workshop.id, chart_images=False)))
    text = "\n".join(p.text for p in report.paragraphs)
    assert "Data controller: Northbrook Mental Health NHS Foundation Trust" in text
    assert "Lawful basis: UK GDPR Article 6(1)(e) public task" in text
    assert "How long the data is kept: Deleted 12 months after the workshop" in text
