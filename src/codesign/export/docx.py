"""The Word report: an editable .docx that a team can send round the same day.

``build_report`` lays out a ``ReportData`` with Word's own styles (Title, Heading 1 to 3,
Caption, Quote, List Bullet and a table style), so the navigation pane, the table of
contents and a house template all work on it. Every string passes through
``clean_text`` first: python-docx refuses control characters and lone surrogates, and a
report must never fail because a participant pasted one.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import datetime
from typing import Any, Protocol

from docx import Document
from docx.document import Document as DocumentObject
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor
from docx.table import Table
from docx.text.paragraph import Paragraph

from codesign.export import images
from codesign.export.report_data import Figure, Grid, ReportData
from codesign.sanitiser import clean_text

TABLE_STYLE = "Light Grid Accent 1"
# A4, the paper of UK public services.
A4_WIDTH = Cm(21.0)
A4_HEIGHT = Cm(29.7)
MARGIN = Cm(2.0)
IMAGE_WIDTH = Cm(16.5)
# Columns of stages per blueprint table: more than this and a landscape A4 page gets
# cells too narrow to read, so a long journey is split into several tables.
BLUEPRINT_STAGES_PER_TABLE = 6

PRINT_DPI = 300
LANDSCAPE_IMAGE_WIDTH = Cm(25.0)


class ImageRenderer(Protocol):
    """Turns a Plotly figure into PNG bytes at a size and pixel scale, or None when it cannot."""

    def __call__(self, figure: Any, *, width: int, height: int, scale: float) -> bytes | None: ...


def build_report(data: ReportData, *, render: ImageRenderer | None = images.render_png) -> bytes:
    """Lay out the report.

    Args:
        data: What to say, from ``gather_report_data``.
        render: Turns a Plotly figure into PNG bytes (or None when it cannot); None for
            a report with tables only.

    Returns:
        The .docx file's bytes.
    """
    builder = _Builder(data, render)
    builder.build()
    out = io.BytesIO()
    builder.doc.save(out)
    return out.getvalue()


def _plural(n: int, one: str, many: str | None = None) -> str:
    return f"{n} {one if n == 1 else (many or one + 's')}"


def _date(value: datetime) -> str:
    return f"{value.day} {value:%B %Y}"


class _Builder:
    def __init__(self, data: ReportData, render: ImageRenderer | None) -> None:
        self.data = data
        self.render = render
        self.doc: DocumentObject = Document()
        self.missing_images: list[str] = []
        self.figure_number = 0
        self.journey_heading = False
        self.table_number = 0

    # --- building blocks ------------------------------------------------------------

    def para(self, text: str = "", style: str | None = None, *, bold: bool = False) -> Paragraph:
        paragraph = self.doc.add_paragraph(style=style)
        if text:
            paragraph.add_run(clean_text(text)).bold = bold
        return paragraph

    def heading(self, text: str, level: int) -> Paragraph:
        heading: Paragraph = self.doc.add_heading(clean_text(text), level=level)
        return heading

    def bullets(self, items: Sequence[str]) -> None:
        for item in items:
            self.para(item, "List Bullet")

    def label_value(self, label: str, value: str) -> Paragraph:
        paragraph = self.doc.add_paragraph()
        paragraph.add_run(clean_text(label) + ": ").bold = True
        paragraph.add_run(clean_text(value))
        return paragraph

    def caption(self, kind: str, text: str) -> None:
        """A numbered caption with a SEQ field, so Word can build a list of figures or tables."""
        if kind == "Figure":
            self.figure_number += 1
            number = self.figure_number
        else:
            self.table_number += 1
            number = self.table_number
        paragraph = self.doc.add_paragraph(style="Caption")
        paragraph.add_run(f"{kind} ")
        _add_field(paragraph, f"SEQ {kind} \\* ARABIC", str(number))
        paragraph.add_run(": " + clean_text(text))

    def table(
        self,
        header: Sequence[str],
        rows: Sequence[Sequence[object]],
        caption: str | None = None,
        widths_cm: Sequence[float] | None = None,
    ) -> Table:
        if caption:
            self.caption("Table", caption)
        table: Table = self.doc.add_table(rows=1, cols=len(header))
        table.style = self.doc.styles[TABLE_STYLE]
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        for cell, text in zip(table.rows[0].cells, header, strict=True):
            cell.text = clean_text(text)
        _repeat_header(table)
        for row in rows:
            cells = table.add_row().cells  # type: ignore[no-untyped-call]
            for cell, value in zip(cells, row, strict=True):
                cell.text = clean_text(value)
        if widths_cm:
            table.autofit = False
            for row_ in table.rows:
                for cell, width in zip(row_.cells, widths_cm, strict=True):
                    cell.width = Cm(width)
        self.doc.add_paragraph()
        return table

    def figure(self, key: str) -> bool:
        """Insert a chart as a picture with alt text and a caption; False if it cannot be drawn."""
        fig: Figure | None = self.data.figures.get(key)
        if fig is None or self.render is None:
            return False
        width = LANDSCAPE_IMAGE_WIDTH if fig.landscape else IMAGE_WIDTH
        # Enough pixels for print: the picture's width in inches at 300 dots per inch.
        scale = max(1.0, width.inches * PRINT_DPI / fig.width_px)
        png = self.render(fig.figure, width=fig.width_px, height=fig.height_px, scale=round(scale, 2))
        if png is None:
            self.missing_images.append(fig.caption)
            self.para(
                "This chart could not be drawn as a picture on this computer ("
                + (images.unavailable_reason() or "the chart renderer failed")
                + "). The same data is in the table below.",
                "Quote",
            )
            return False
        self.doc.add_picture(io.BytesIO(png), width=width)
        picture_paragraph = self.doc.paragraphs[-1]
        _set_alt_text(picture_paragraph, clean_text(fig.alt_text), clean_text(fig.caption))
        self.caption("Figure", fig.caption)
        return True

    # --- the document ---------------------------------------------------------------

    def build(self) -> None:
        self.setup()
        self.cover()
        self.contents()
        self.method()
        if self.data.is_empty:
            self.heading("Findings", 1)
            self.para(
                "No stories had been approved for this report when it was made, so there are no findings yet. "
                "Stories appear here once a facilitator has approved them on the Moderation screen."
            )
        else:
            self.themes()
            self.journey()
        self.maps()
        self.stakeholders()
        self.ideas()
        self.appendix()

    def setup(self) -> None:
        doc = self.doc
        section = doc.sections[0]
        section.page_width, section.page_height = A4_WIDTH, A4_HEIGHT
        for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
            setattr(section, side, MARGIN)
        normal = doc.styles["Normal"]
        normal.font.name = "Arial"
        normal.font.size = Pt(11)
        props = doc.core_properties
        props.title = clean_text(self.data.title)[:250]
        props.subject = "Co-design workshop report"
        props.author = "codesign"
        props.last_modified_by = "codesign"
        props.language = "en-GB"
        props.keywords = "co-design; experience-based co-design; service design"
        props.comments = f"Made by codesign from workshop {self.data.code}."
        props.created = self.data.generated_at
        props.modified = self.data.generated_at
        footer = section.footer.paragraphs[0]
        footer.add_run(clean_text(self.data.title)[:120] + " · page ")
        _add_field(footer, "PAGE", "1")
        # Ask Word to fill in the table of contents and the page numbers when it opens.
        _ask_to_update_fields(doc)

    def cover(self) -> None:
        data = self.data
        self.doc.add_paragraph(clean_text(data.title), style="Title")
        self.para("Report of a co-design workshop", "Subtitle")
        self.label_value("Date of the workshop", _date(data.workshop_date))
        self.label_value("Workshop kit", data.kit_title)
        self.label_value("Programme", data.programme)
        self.label_value("Stories in this report", str(data.stories_reported))
        self.label_value("Participants", str(data.participants))
        if data.participants_by_lens:
            self.table(
                ["Lens", "Participants"],
                [(lens, n) for lens, n in data.participants_by_lens],
                caption="Participants by lens (counted by anonymous device, so one person may appear in two lenses)",
            )
        self.para(
            f"Report made on {_date(data.generated_at)} with codesign. The stories in it were de-identified when "
            "they were shared, and only those whose authors agreed to be quoted are quoted.",
        )
        self.page_break()

    def page_break(self) -> None:
        self.doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)

    def contents(self) -> None:
        self.para("Contents", "TOC Heading")
        paragraph = self.doc.add_paragraph()
        _add_field(
            paragraph,
            'TOC \\o "1-3" \\h \\z \\u',
            "Right-click here and choose Update Field to show the table of contents.",
        )
        self.page_break()

    def method(self) -> None:
        data = self.data
        self.heading("About this workshop", 1)
        self.para(
            f"This report comes from a co-design workshop run with the {data.kit_title!s} kit. {data.kit_summary}"
        )
        self.heading("How the workshop worked", 2)
        self.para(
            "People with lived experience, carers and families, and staff shared short stories about moments in "
            "getting help, from their phones and anonymously. Each story was tied to a stage of the journey ("
            + ", ".join(data.stages)
            + ") and to how the person felt at that point, on a five-point scale. People chose whether their "
            "story could be quoted. Facilitators approved stories before they were shown, and any story that "
            "mentioned risk was reviewed by a facilitator first."
        )
        self.para(
            "The room then grouped the stories into themes, mapped who is involved and how they connect, walked "
            "the journey stage by stage with the emotions felt at each point (experience-based co-design), drafted "
            "a service blueprint marking where things fail and where people wait, and voted on ideas."
        )
        self.heading("How to read this report", 2)
        self.bullets(
            [
                "Themes are a draft made with the room: a grouping of what people said, not a measurement.",
                "Numbers are small and come from the people in the room; they show where to look, not how common "
                "something is in the population.",
                "Quotes are anonymous and appear only where the author agreed. Identifying details were replaced "
                "with labels such as [name] before anything was stored.",
            ]
        )

    def themes(self) -> None:
        data = self.data
        self.heading("Themes", 1)
        if not data.themes:
            self.para("No themes had been saved for this workshop when the report was made.")
            return
        self.para(
            f"{_plural(len(data.themes), 'theme')} came out of {_plural(data.stories_reported, 'story', 'stories')}. "
            "Each theme shows how many stories it holds, which lenses they came from, the stages they are about, "
            "and up to three quotes from people who agreed to be quoted."
        )
        self.figure("themes")
        self.figure("themes_stages")
        for theme in data.themes:
            self.heading(theme.label, 2)
            if theme.description:
                self.para(theme.description)
            self.label_value("Stories", str(theme.size))
            self.label_value("Lens mix", ", ".join(f"{lens} ({n})" for lens, n in theme.lens_mix))
            self.label_value("Stages", ", ".join(f"{stage} ({n})" for stage, n in theme.stages))
            if theme.quotes:
                self.heading("In their words", 3)
                for quote in theme.quotes:
                    self.para(f"“{quote.text}”", "Quote")
                    self.para(f"{quote.lens}, {quote.stage.lower()}", "Caption")
            else:
                self.para("None of the stories in this theme may be quoted, so the theme is described without quotes.")

    def journey(self) -> None:
        data = self.data
        self.heading("The journey", 1)
        self.journey_heading = True
        if data.emotion:
            self.heading("Emotion curve by lens", 2)
            self.para(
                "For each stage, the average of how people felt (1 is the worst, 5 the best), separately for each "
                "lens. Where the lines part, people on different sides of the service experience the same moment "
                "differently. Stages with only a few ratings are thin evidence."
            )
            self.figure("emotion")
            self.table(data.emotion[0], data.emotion[1:], caption="How each stage felt, by lens")
        elif not data.journey:
            self.para("No feelings or journey map items had been recorded when the report was made.")

    def maps(self) -> None:
        """The journey map and the service blueprint, on landscape pages: they are wide."""
        data = self.data
        if not data.journey and not data.blueprints:
            return
        landscape = self.doc.add_section(WD_SECTION.NEW_PAGE)
        landscape.orientation = WD_ORIENT.LANDSCAPE
        landscape.page_width, landscape.page_height = A4_HEIGHT, A4_WIDTH
        if data.journey:
            if not self.journey_heading:
                self.heading("The journey", 1)
            self.heading("Journey map", 2)
            self.para(
                "What the room put on the journey map, stage by stage, with quotes from people who agreed to be "
                "quoted in the report."
            )
            self.figure("journey")
            self.grid(data.journey, "The journey map")
        if data.blueprints:
            self.heading("Service blueprint", 1)
            self.para(
                "Lanes run from what people see down to the processes that support staff; columns follow the "
                "journey. Items marked [FAIL POINT] are where things often go wrong; [WAIT] where people wait."
            )
            for section in data.blueprints:
                self.heading(section.title, 2)
                note = (
                    f"{_plural(section.fail_points, 'fail point')} and {_plural(section.wait_points, 'wait point')} "
                    "are marked."
                )
                if section.left_out:
                    note += (
                        f" {_plural(section.left_out, 'item')} that the tool proposed and nobody accepted "
                        f"{'is' if section.left_out == 1 else 'are'} left out."
                    )
                self.para(note)
                self.figure(f"blueprint_{section.key}")
                self.grid(section.grid, f"Service blueprint. {section.title}", drop_empty_stages=True)
        portrait = self.doc.add_section(WD_SECTION.NEW_PAGE)
        portrait.orientation = WD_ORIENT.PORTRAIT
        portrait.page_width, portrait.page_height = A4_WIDTH, A4_HEIGHT

    def grid(self, grid: Grid, caption: str, *, drop_empty_stages: bool = False) -> None:
        """A stage-by-lane table, split into parts of a few stages so each column stays readable."""
        header, rows = grid[0], grid[1:]
        stages = list(range(1, len(header)))
        if drop_empty_stages:
            kept = [c for c in stages if any(row[c] for row in rows)]
            if len(kept) < len(stages):
                self.para(
                    "Stages with nothing on them are left out of the table: "
                    + ", ".join(header[c] for c in stages if c not in kept)
                    + "."
                )
            stages = kept or stages
        chunks = [stages[i : i + BLUEPRINT_STAGES_PER_TABLE] for i in range(0, len(stages), BLUEPRINT_STAGES_PER_TABLE)]
        for n, chunk in enumerate(chunks, start=1):
            part = f" (part {n} of {len(chunks)})" if len(chunks) > 1 else ""
            table = self.table(
                [header[0], *(header[c] for c in chunk)],
                [[row[0], *(row[c] for c in chunk)] for row in rows],
                caption=caption + part,
            )
            for row, source in zip(table.rows[1:], rows, strict=True):
                # The blueprint's lines (interaction, visibility, internal interaction) span the page.
                if source[0].startswith("— ") and not any(source[1:]):
                    row.cells[0].merge(row.cells[-1])

    def stakeholders(self) -> None:
        data = self.data
        if not data.stakeholders:
            return
        self.heading("Stakeholders", 1)
        self.figure("stakeholders")
        self.heading("What the map shows", 2)
        for headline, why in data.network_findings:
            paragraph = self.para(style="List Bullet")
            paragraph.add_run(clean_text(headline)).bold = True
            if why:
                paragraph.add_run(" " + clean_text(why))
        self.heading("Who is involved", 2)
        self.table(
            ["Stakeholder", "Kind", "Sector", "Influence (1-5)", "Interest (1-5)", "Connections"],
            [(s.name, s.kind, s.sector, s.influence, s.interest, s.connections) for s in data.stakeholders],
            caption="Stakeholders on the map",
        )

    def ideas(self) -> None:
        data = self.data
        if not data.ideas:
            return
        self.heading("Ideas and votes", 1)
        self.para(
            "Ideas people put forward and the dots they gave them (each phone had a small budget of dots), how "
            "people from each lens answered the statements, and where the room placed the ideas. Only results "
            "that were revealed in the room are reported."
        )
        for block in data.ideas:
            self.heading(block.title, 2)
            for text in block.text:
                self.para(text)
            if block.figure:
                self.figure(block.figure)
            if block.table:
                self.table(block.table[0], block.table[1:], caption=block.caption or None)

    def appendix(self) -> None:
        data = self.data
        protection = data.data_protection
        self.heading("Appendix A: Data protection summary", 1)
        self.heading("What was collected", 2)
        if protection is not None:
            self.bullets(protection.collected)
            self.heading("Consent and moderation", 2)
            self.para(
                f"{_plural(protection.stories_received, 'story', 'stories')} were held when this report was made "
                f"(stories withdrawn by their authors are deleted and not counted)."
            )
            self.table(["Consent given", "Stories"], protection.by_consent, caption="Stories by consent")
            self.table(["Moderation", "Stories"], protection.by_moderation, caption="Stories by moderation status")
            self.bullets(
                [
                    "Quotes in this report come only from stories with consent: "
                    + (", ".join(protection.quote_consents) or "none (no story is quoted)")
                    + ".",
                    f"{_plural(protection.flagged_reviewed, 'story', 'stories')} mentioned risk and "
                    f"{'was' if protection.flagged_reviewed == 1 else 'were'} reviewed by a facilitator; "
                    f"{_plural(protection.flagged_unreviewed, 'story', 'stories')} still waiting for that review "
                    f"{'is' if protection.flagged_unreviewed == 1 else 'are'} left out of this report.",
                    f"{_plural(protection.withdrawals, 'story was', 'stories were')} withdrawn by the people who "
                    "shared them; they were deleted everywhere, including from this report.",
                ]
            )
        if self.missing_images:
            self.heading("Charts", 2)
            self.para(
                "Some charts could not be drawn as pictures when this report was made ("
                + (images.unavailable_reason() or "the chart renderer failed")
                + "), so their data is shown as tables: "
                + "; ".join(self.missing_images)
                + "."
            )
        if data.agenda:
            self.heading("Appendix B: The agenda used", 1)
            total = sum(a.minutes for a in data.agenda)
            self.para(f"The workshop kit's agenda, {total} minutes in all.")
            self.table(
                ["Minutes", "Session", "What happens"],
                [(a.minutes, a.title, a.activity) for a in data.agenda],
                caption="Agenda",
                widths_cm=(2.0, 4.5, 10.5),
            )


def _add_field(paragraph: Paragraph, instruction: str, placeholder: str) -> None:
    """A Word field (TOC, PAGE, SEQ) with text shown until Word updates it."""
    run = paragraph.add_run()
    begin = OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    begin.set(qn("w:dirty"), "true")
    run._r.append(begin)
    run = paragraph.add_run()
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f" {instruction} "
    run._r.append(instr)
    run = paragraph.add_run()
    separate = OxmlElement("w:fldChar")
    separate.set(qn("w:fldCharType"), "separate")
    run._r.append(separate)
    shown = paragraph.add_run(placeholder)
    shown.font.color.rgb = RGBColor(0x55, 0x55, 0x55)
    run = paragraph.add_run()
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    run._r.append(end)


# Elements that follow w:updateFields in CT_Settings' fixed sequence: Word reports a
# damaged file when settings.xml is out of order, so the new element goes before them.
_AFTER_UPDATE_FIELDS = (
    "hdrShapeDefaults",
    "footnotePr",
    "endnotePr",
    "compat",
    "docVars",
    "rsids",
    "mathPr",
    "attachedSchema",
    "themeFontLang",
    "clrSchemeMapping",
    "doNotIncludeSubdocsInStats",
    "doNotAutoCompressPictures",
    "forceUpgrade",
    "captions",
    "readModeInkLockDown",
    "smartTagType",
    "schemaLibrary",
    "shapeDefaults",
    "doNotEmbedSmartTags",
    "decimalSymbol",
    "listSeparator",
)


def _ask_to_update_fields(doc: DocumentObject) -> None:
    """Ask Word to fill in the table of contents and page numbers when the file opens."""
    settings = doc.settings.element
    update = OxmlElement("w:updateFields")
    update.set(qn("w:val"), "true")
    later = {qn(f"w:{name}") for name in _AFTER_UPDATE_FIELDS}
    for child in settings:
        if child.tag in later:
            child.addprevious(update)
            return
    settings.append(update)


def _repeat_header(table: Table) -> None:
    """Repeat the header row on every page a long table runs over."""
    tr_pr = table.rows[0]._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    tr_pr.append(header)


def _set_alt_text(paragraph: Paragraph, description: str, title: str) -> None:
    """Alt text on the picture just added, read by screen readers and shown in Word's Alt Text pane."""
    for doc_pr in paragraph._p.iter(qn("wp:docPr")):
        doc_pr.set("descr", description)
        doc_pr.set("title", title)
