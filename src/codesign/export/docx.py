"""The Word report: an editable .docx that a team can send round the same day.

``build_report`` lays out a ``ReportData`` with Word's own styles (Title, Heading 1 to 3,
Caption, Quote, List Bullet and a table style), so the navigation pane, the table of
contents and a house template all work on it. Every string passes through
``clean_text`` first: python-docx refuses control characters and lone surrogates, and a
report must never fail because a participant pasted one.
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from datetime import datetime
from typing import Any, Protocol

from docx import Document
from docx.document import Document as DocumentObject
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Emu, Pt, RGBColor
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
# Charts are laid out at their printed size: 96 CSS pixels to the inch, so a 12 px label
# prints at 9 pt; the picture is then drawn with enough pixels for 300 dpi.
CSS_PX_PER_INCH = 96
PRINT_SCALE = round(PRINT_DPI / CSS_PX_PER_INCH, 2)
# Room a picture leaves on its page for the caption above it, the paragraph mark and the
# footer (LibreOffice takes the footer out of the body area).
CAPTION_ROOM = Cm(3.6)
TEXT_WIDTH_PORTRAIT = Cm(17.0)
TEXT_WIDTH_LANDSCAPE = Cm(25.7)
LANGUAGE = "en-GB"
QUOTE_SOURCE_STYLE = "Quote Source"


# A cell that says nothing: empty, or only zeros ("0", "0 / 0 / 0").
_EMPTY_CELL = re.compile(r"[0\s/·–-]*")


class ImageRenderer(Protocol):
    """Turns a Plotly figure into PNG bytes at a size and pixel scale, or None when it cannot."""

    def __call__(self, figure: Any, *, width: int, height: int, scale: float) -> bytes | None: ...


def build_report(
    data: ReportData,
    *,
    render: ImageRenderer | None = images.render_png,
    prefetch: Prefetcher | None = None,
) -> bytes:
    """Lay out the report.

    Args:
        data: What to say, from ``gather_report_data``.
        render: Turns a Plotly figure into PNG bytes (or None when it cannot); None for
            a report with tables only.
        prefetch: Starts drawing a figure ahead (``images.prefetch`` by default with
            ``images.render_png``), so pictures are drawn while the text is laid out.

    Returns:
        The .docx file's bytes.
    """
    if prefetch is None and render is images.render_png:
        prefetch = images.prefetch
    builder = _Builder(data, render, prefetch)
    builder.build()
    out = io.BytesIO()
    builder.doc.save(out)
    return out.getvalue()


def _plural(n: int, one: str, many: str | None = None) -> str:
    return f"{n} {one if n == 1 else (many or one + 's')}"


def _date(value: datetime) -> str:
    return f"{value.day} {value:%B %Y}"


def _placement(fig: Figure, *, landscape: bool) -> tuple[int, int, int, int]:
    """Where a figure goes: its placed width and height (EMU) and the CSS pixels it is drawn at.

    Placed at the size it was laid out for (96 pixels to the inch), never wider than the
    text, and made smaller (never cut) when it would not fit the page below its caption.
    """
    page_height = A4_WIDTH if landscape else A4_HEIGHT
    text_width = TEXT_WIDTH_LANDSCAPE if landscape else TEXT_WIDTH_PORTRAIT
    width = int(
        min(
            Emu(int(fig.width_px / CSS_PX_PER_INCH * 914_400)),
            LANDSCAPE_IMAGE_WIDTH if fig.landscape else IMAGE_WIDTH,
            text_width,
        )
    )
    room = page_height - 2 * MARGIN - CAPTION_ROOM
    if width * fig.height_px / fig.width_px > room:
        width = int(room * fig.width_px / fig.height_px)
    height = int(width * fig.height_px / fig.width_px)
    return (
        width,
        height,
        round(Emu(width).inches * CSS_PX_PER_INCH),
        round(Emu(height).inches * CSS_PX_PER_INCH),
    )


class Prefetcher(Protocol):
    """Starts drawing a Plotly figure ahead of ``ImageRenderer`` asking for it at the same size."""

    def __call__(self, figure: Any, *, width: int, height: int, scale: float) -> None: ...


class _Builder:
    def __init__(self, data: ReportData, render: ImageRenderer | None, prefetch: Prefetcher | None = None) -> None:
        self.data = data
        self.render = render
        self.prefetch = prefetch
        self.doc: DocumentObject = Document()
        self.missing_images: list[str] = []
        self.figure_number = 0
        self.journey_heading = False
        self.stakeholders_heading = False
        self.table_number = 0
        self.landscape = False
        self.contents_at: Paragraph | None = None
        self.styles: dict[str, Any] = {}
        self.sections: list[tuple[str, str]] = []
        """(bookmark, heading text) of every Heading 1, for the table of contents."""

    # --- building blocks ------------------------------------------------------------

    def para(self, text: str = "", style: str | None = None, *, bold: bool = False) -> Paragraph:
        paragraph = self.add_styled(style)
        if text:
            paragraph.add_run(clean_text(text)).bold = bold
        return paragraph

    def style_of(self, name: str) -> Any:
        """A style by name, looked up once: python-docx scans every style on each lookup."""
        if name not in self.styles:
            self.styles[name] = self.doc.styles[name]
        return self.styles[name]

    def add_styled(self, style: str | None) -> Paragraph:
        """A new paragraph with a style, set by its id (python-docx's own lookup costs ~10 ms a paragraph)."""
        paragraph = self.doc.add_paragraph()
        if style is not None:
            paragraph._p.get_or_add_pPr().get_or_add_pStyle().val = self.style_of(style).style_id
        return paragraph

    def heading(self, text: str, level: int) -> Paragraph:
        heading = self.add_styled(f"Heading {level}")
        heading.add_run(clean_text(text))
        if level == 1:
            name = f"_section_{len(self.sections) + 1}"
            _bookmark(heading, name, len(self.sections) + 1)
            self.sections.append((name, clean_text(text)))
        return heading

    def bullets(self, items: Sequence[str]) -> None:
        for item in items:
            self.para(item, "List Bullet")

    def label_value(self, label: str, value: str) -> Paragraph:
        paragraph = self.doc.add_paragraph()
        paragraph.add_run(clean_text(label) + ": ").bold = True
        paragraph.add_run(clean_text(value))
        return paragraph

    def caption(self, kind: str, text: str) -> Paragraph:
        """A numbered caption with a SEQ field, so Word can build a list of figures or tables."""
        if kind == "Figure":
            self.figure_number += 1
            number = self.figure_number
        else:
            self.table_number += 1
            number = self.table_number
        paragraph = self.add_styled("Caption")
        paragraph.add_run(f"{kind} ")
        _add_field(paragraph, f"SEQ {kind} \\* ARABIC", str(number))
        paragraph.add_run(": " + clean_text(text))
        # Above its table or figure, and never left alone at the foot of a page.
        paragraph.paragraph_format.keep_with_next = True
        paragraph.paragraph_format.keep_together = True
        return paragraph

    def table(
        self,
        header: Sequence[str],
        rows: Sequence[Sequence[object]],
        caption: str | None = None,
        widths_cm: Sequence[float] | None = None,
        *,
        drop_empty_columns: bool = False,
    ) -> Table:
        header = list(header)
        body = [[clean_text(value) for value in row] for row in rows]
        if drop_empty_columns and body:
            keep = [0] + [c for c in range(1, len(header)) if any(not _EMPTY_CELL.fullmatch(row[c]) for row in body)]
            header = [header[c] for c in keep]
            body = [[row[c] for c in keep] for row in body]
            widths_cm = None
        if caption:
            # A short line that introduces the table stays on the page where the table starts.
            before = _last_paragraph(self.doc)
            if before is not None and before.text and len(before.text) < 400 and not before._p.xpath(".//w:drawing"):
                before.paragraph_format.keep_with_next = True
            self.caption("Table", caption)
        total = self.text_width().cm
        scale = table_scale([header, *body], total)
        if widths_cm is not None and scale == 1.0:
            needs = word_floors([header, *body])
            if any(w < f for w, f in zip(widths_cm, needs, strict=True)):
                widths_cm = None
        widths = [Cm(w) for w in (widths_cm or fit_widths([header, *body], total, scale))]
        table: Table = self.doc.add_table(rows=1, cols=len(header))
        table.style = self.style_of(TABLE_STYLE)
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        table.autofit = False
        # Both the grid (LibreOffice reads it) and each cell (Word reads those).
        for column, width in zip(table.columns, widths, strict=True):
            column.width = width
        first = table.rows[0]
        for cell, text, width in zip(first.cells, header, widths, strict=True):
            cell.text = clean_text(text)
            cell.width = width
        _repeat_header(table)
        _keep_row_whole(first)
        for row in body:
            added = table.add_row()  # type: ignore[no-untyped-call]
            for cell, value, width in zip(added.cells, row, widths, strict=True):
                cell.text = value
                cell.width = width
            # Rows stay whole: the journey and blueprint grids cut a long lane into rows that fit a page.
            _keep_row_whole(added)
        # The size on every run: LibreOffice does not take a font size from a table style.
        size = Pt(round(10 * scale))
        for row_ in table.rows:
            for cell in row_.cells:
                for paragraph in cell.paragraphs:
                    for run in paragraph.runs:
                        run.font.size = size
        # A small gap after the table: a full empty line can spill onto a page of its own.
        gap = self.doc.add_paragraph()
        gap.paragraph_format.space_after = Pt(0)
        gap.paragraph_format.line_spacing = Pt(8)
        return table

    def text_width(self) -> Any:
        return TEXT_WIDTH_LANDSCAPE if self.landscape else TEXT_WIDTH_PORTRAIT

    def figure(self, key: str) -> bool:
        """Insert a chart as a picture with alt text, its caption above; False if it cannot be drawn.

        The chart is laid out at the size it is printed (see ``CSS_PX_PER_INCH``) and made
        smaller, never cut, when it would not fit the page below its caption.
        """
        fig: Figure | None = self.data.figures.get(key)
        if fig is None or self.render is None:
            return False
        width, height, width_px, height_px = _placement(fig, landscape=self.landscape)
        png = self.render(fig.figure, width=width_px, height=height_px, scale=PRINT_SCALE)
        if png is None:
            self.missing_images.append(fig.caption)
            self.para(
                "This chart could not be drawn as a picture on this computer ("
                + (images.unavailable_reason() or "the chart renderer failed")
                + "). The same data is in the table below.",
                "Quote",
            )
            return False
        # The caption and the picture share one paragraph, so no page can ever part them.
        caption = self.caption("Figure", fig.caption)
        # Single line spacing: at the Normal style's 1.15 the picture's line would be 15 % taller than the
        # picture, and a figure sized to share its page with a heading would be pushed onto the next one.
        caption.paragraph_format.line_spacing = 1.0
        # Caption and picture are one paragraph already: keeping it with the next too would drag the picture
        # onto the next page whenever the table after it cannot start on this one.
        caption.paragraph_format.keep_with_next = False
        caption.add_run().add_break()
        caption.add_run().add_picture(io.BytesIO(png), width=Emu(width), height=Emu(height))
        _set_alt_text(caption, clean_text(fig.alt_text), clean_text(fig.caption))
        return True

    # --- the document ---------------------------------------------------------------

    def build(self) -> None:
        if self.prefetch is not None and self.render is not None:
            # Every chart is asked for now, at the size it will be placed: the browser draws them while
            # the text is laid out, and ``figure`` finds each one ready (or nearly).
            for fig in self.data.figures.values():
                _w, _h, width_px, height_px = _placement(fig, landscape=fig.landscape)
                self.prefetch(fig.figure, width=width_px, height=height_px, scale=PRINT_SCALE)
        self.setup()
        self.cover()
        self.summary()
        self.contents()
        self.you_said()
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
        self.limitations()
        self.appendix()
        self.write_contents()

    def setup(self) -> None:
        doc = self.doc
        section = doc.sections[0]
        section.page_width, section.page_height = A4_WIDTH, A4_HEIGHT
        for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
            setattr(section, side, MARGIN)
        normal = doc.styles["Normal"]
        normal.font.name = "Arial"
        normal.font.size = Pt(11)
        _set_language(doc, LANGUAGE)
        # Tables in 10 pt: columns of short words ("Connections", "Someone else") fit without breaking.
        doc.styles[TABLE_STYLE].font.size = Pt(10)
        source = doc.styles.add_style(QUOTE_SOURCE_STYLE, WD_STYLE_TYPE.PARAGRAPH)
        source.base_style = doc.styles["Normal"]
        source.font.size = Pt(9)
        source.font.italic = True
        source.paragraph_format.space_after = Pt(10)
        source.paragraph_format.left_indent = Cm(1.0)
        props = doc.core_properties
        props.title = clean_text(self.data.title)[:250]
        props.subject = "Co-design workshop report"
        props.author = "codesign"
        props.last_modified_by = "codesign"
        props.language = LANGUAGE
        props.keywords = "co-design; experience-based co-design; service design"
        props.comments = f"Made by codesign from workshop {self.data.code}."
        props.created = self.data.generated_at
        props.modified = self.data.generated_at
        footer = section.footer.paragraphs[0]
        footer.add_run(clean_text(self.data.title)[:120] + " · page ")
        _add_field(footer, "PAGE", "1")

    def cover(self) -> None:
        data = self.data
        self.doc.add_paragraph(clean_text(data.title), style="Title")
        self.para("Report of a co-design workshop", "Subtitle")
        self.label_value("Date of the workshop", _date(data.workshop_date))
        self.label_value("Workshop kit", f"{data.kit_title} ({data.programme})" if data.programme else data.kit_title)
        self.para(
            f"Report made on {_date(data.generated_at)} with codesign. Phone numbers, addresses and similar details "
            "were replaced with labels when the stories were shared, and stories that seemed to name someone were "
            "checked by a facilitator before they were shown. Only stories whose authors agreed to be quoted in the "
            "report are quoted.",
        )

    def summary(self) -> None:
        data = self.data
        summary = data.summary
        self.heading("Summary", 1)
        if summary is None:
            return
        people = _plural(summary.participants, "person", "people")
        self.para(
            f"{people} took part and shared {_plural(summary.stories, 'story', 'stories')} that are in this report. "
            "Each person is counted once, under the lens they used for most of their stories."
        )
        if summary.by_lens:
            self.table(
                ["Who took part", "People"],
                [*((lens, n) for lens, n in summary.by_lens), ("All", summary.lens_total)],
                caption="People who took part, by lens, each counted once",
                widths_cm=(9.0, 3.0),
            )
        if summary.missing_lenses:
            self.para("Nobody took part as " + " or ".join(n.lower() for n in summary.missing_lenses) + ".")
        self.heading("What the room found", 2)
        if summary.findings:
            for finding in summary.findings:
                paragraph = self.para(style="List Number")
                paragraph.add_run(clean_text(finding.text))
                paragraph.add_run(f" ({_plural(finding.evidence, 'story', 'stories')})").italic = True
        else:
            self.para("No themes or pain points had been saved when this report was made.")
        if summary.ideas or summary.common_ground:
            self.heading("What the room supports", 2)
            for idea in summary.ideas:
                paragraph = self.para(style="List Bullet")
                paragraph.add_run(clean_text(idea.text))
                paragraph.add_run(
                    f" ({_plural(idea.dots, 'dot')} from {_plural(idea.voters, 'person', 'people')}"
                    + (f": {idea.lenses}" if idea.lenses else "")
                    + ")"
                ).italic = True
            if summary.common_ground:
                self.para("Every group agreed that:").paragraph_format.keep_with_next = True
                self.bullets(summary.common_ground)
        self.heading("Agreed actions", 2)
        self.actions_table()

    def actions_table(self) -> None:
        data = self.data
        if not data.actions:
            self.para(
                "No actions had been recorded when this report was made. Record them on the Agreed actions screen."
            )
            return
        self.table(
            ["#", "Action", "Owner", "By when", "How progress is measured"],
            [(a.number, a.text, a.owner, a.due, a.measure) for a in data.actions],
            caption="Agreed actions",
            widths_cm=(0.9, 5.6, 3.6, 2.5, 4.4),
        )

    def new_section(self) -> Any:
        """A section on a new page, its break in the last paragraph rather than a paragraph of its own.

        python-docx adds an empty paragraph to hold the break; when the page before is full,
        that paragraph alone makes a blank page.
        """
        section = self.doc.add_section(WD_SECTION.NEW_PAGE)
        body = self.doc.element.body
        holder = body[-2]
        before = holder.getprevious()
        if (
            holder.tag == qn("w:p")
            and not holder.xpath("./w:r")
            and before is not None
            and before.tag == qn("w:p")
            and not before.xpath("./w:pPr/w:sectPr")
        ):
            sect_pr = holder.pPr.sectPr
            before.set_sectPr(sect_pr)
            body.remove(holder)
        return section

    def page_break(self) -> None:
        self.doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)

    def contents(self) -> None:
        """Where the table of contents goes: written in full at the end, when every heading is known.

        The entries are real text with links to the headings, not a field: a field shows
        "Update Field" in LibreOffice, in previews and in any file nobody opened in Word.
        """
        # After the summary on its page when there is room: a page holding only the contents would be near empty.
        contents = self.para("Contents", "TOC Heading")
        contents.paragraph_format.keep_with_next = True
        contents.paragraph_format.space_before = Pt(18)
        self.contents_at = self.doc.add_paragraph()
        self.page_break()

    def write_contents(self) -> None:
        if self.contents_at is None:
            return
        for name, text in self.sections:
            if text == "Summary":
                continue
            paragraph = self.contents_at.insert_paragraph_before()
            paragraph.paragraph_format.space_after = Pt(4)
            _internal_link(paragraph, name, text)

    def you_said(self) -> None:
        data = self.data
        if not data.you_said:
            return
        self.heading("You said, we will", 1)
        self.para(
            "The most important things people said, each with the actions the room agreed in answer. Where there is "
            "no action yet, it says so: those are the questions still open."
        )
        self.table(
            ["You said", "We will"],
            [
                (
                    f"{item.said} ({_plural(item.evidence, 'story', 'stories')})",
                    "\n".join(item.we_will) if item.we_will else "Not yet answered.",
                )
                for item in data.you_said
            ],
            caption="You said, we will",
            widths_cm=(8.0, 9.0),
        )

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
                "Quotes are anonymous and appear only where the author agreed. Phone numbers, addresses, dates "
                "and similar details were replaced with labels such as [phone number] before anything was stored; "
                "names of people are not replaced but flagged, so a facilitator reviews the story before it is shown.",
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
            if theme.insight:
                paragraph = self.para()
                paragraph.add_run("The room's insight: ").bold = True
                paragraph.add_run(clean_text(theme.insight))
            if theme.description:
                self.para(theme.description)
            self.label_value("Stories", str(theme.size))
            self.label_value("Lens mix", ", ".join(f"{lens} ({n})" for lens, n in theme.lens_mix))
            self.label_value("Stages", ", ".join(f"{stage} ({n})" for stage, n in theme.stages))
            if theme.quotes:
                self.heading("In their words", 3)
                for quote in theme.quotes:
                    self.para(f"“{quote.text}”", "Quote").paragraph_format.keep_with_next = True
                    self.para(f"{quote.lens}, at {quote.stage.lower()}", QUOTE_SOURCE_STYLE)
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
            self.table(
                data.emotion[0], data.emotion[1:], caption="How each stage felt, by lens", drop_empty_columns=True
            )
            if data.lens_gaps:
                self.para("Stages the lenses felt a whole point or more apart (the lens that felt it worst first):")
                self.bullets(data.lens_gaps)
            elif len([c for c in data.emotion[0][1:] if c != "All lenses"]) > 1:
                self.para("No stage felt a whole point apart between the lenses.")
        elif not data.journey:
            self.para("No feelings or journey map items had been recorded when the report was made.")
        if data.personas:
            self.heading("Personas", 2)
            self.para(
                "Personas the room defined, each drawn from stories it chose. How a stage felt through a persona's "
                "stories shows whose journey the room is redesigning for."
            )
            for persona in data.personas:
                told = f"{persona.description} " if persona.description else ""
                self.label_value(persona.name, f"{told}({_plural(persona.stories, 'story', 'stories')})")
            if data.persona_emotion:
                self.table(
                    data.persona_emotion[0],
                    data.persona_emotion[1:],
                    caption="How each stage felt, by persona",
                    drop_empty_columns=True,
                )

    def maps(self) -> None:
        """The journey map and the service blueprint, on landscape pages: they are wide."""
        data = self.data
        # The stakeholder map is wide too: its drawing and legend get a landscape page, its findings do not.
        wide_network = bool(data.stakeholders) and "stakeholders" in data.figures and self.render is not None
        if not data.journey and not data.blueprints and not wide_network:
            return
        landscape = self.new_section()
        landscape.orientation = WD_ORIENT.LANDSCAPE
        landscape.page_width, landscape.page_height = A4_HEIGHT, A4_WIDTH
        self.landscape = True
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
            # On a page of its own: at the foot of the journey map's table it would be parted from its drawing.
            self.heading("Service blueprint", 1).paragraph_format.page_break_before = bool(data.journey)
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
        if wide_network:
            heading = self.heading("Stakeholders", 1)
            heading.paragraph_format.page_break_before = bool(data.journey or data.blueprints)
            self.stakeholders_heading = True
            self.figure("stakeholders")
        portrait = self.new_section()
        portrait.orientation = WD_ORIENT.PORTRAIT
        portrait.page_width, portrait.page_height = A4_WIDTH, A4_HEIGHT
        self.landscape = False

    def grid(self, grid: Grid, caption: str, *, drop_empty_stages: bool = False) -> None:
        """A stage-by-lane table, split into parts of a few stages so each column stays readable."""
        header, rows = grid[0], grid[1:]
        empty = [row[0] for row in rows if not row[0].startswith("— ") and not any(row[1:])]
        if empty:
            self.para("Lanes with nothing in them are left out: " + ", ".join(empty) + ".")
            rows = tuple(row for row in rows if row[0] not in empty)
            # A line (of interaction, visibility ...) is kept only between two lanes that are kept.
            rows = tuple(
                row
                for n, row in enumerate(rows)
                if not row[0].startswith("— ")
                or (
                    0 < n < len(rows) - 1
                    and not rows[n - 1][0].startswith("— ")
                    and not rows[n + 1][0].startswith("— ")
                )
            )
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
            part_header = [header[0], *(header[c] for c in chunk)]
            chunk_rows = [[row[0], *(row[c] for c in chunk)] for row in rows]
            widths = fit_widths([part_header, *chunk_rows], self.text_width().cm)
            part_rows = [piece for row in chunk_rows for piece in split_lane(row, widths, GRID_ROW_LINES)]
            table = self.table(
                part_header,
                part_rows,
                caption=caption + part,
                widths_cm=widths,
            )
            for row, source in zip(table.rows[1:], part_rows, strict=True):
                # The blueprint's lines (interaction, visibility, internal interaction) span the page.
                if source[0].startswith("— ") and not any(source[1:]):
                    merged = row.cells[0].merge(row.cells[-1])
                    # A line between lanes belongs with the lane below it, never alone at a page's foot.
                    for paragraph in merged.paragraphs:
                        paragraph.paragraph_format.keep_with_next = True
                    # Merging keeps every cell's empty paragraph: drop them, so the line stays one line high.
                    for extra in merged.paragraphs[1:]:
                        if not extra.text:
                            extra._p.getparent().remove(extra._p)

    def stakeholders(self) -> None:
        data = self.data
        if not data.stakeholders:
            return
        if not self.stakeholders_heading:
            self.heading("Stakeholders", 1)
            self.figure("stakeholders")
        self.heading("What the map shows", 2)
        self.para(
            "Who is involved in people's journeys and how they work together, as the room mapped them. The most "
            "important gaps come first; the network terms behind them are in the appendix."
        )
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
                self.table(block.table[0], block.table[1:], caption=block.caption or None, drop_empty_columns=True)

    def limitations(self) -> None:
        data = self.data
        if data.limitations:
            self.heading("Limitations", 1)
            self.para("What this report cannot tell you, so that nobody reads more into it than it holds.")
            self.bullets(data.limitations)
        if data.next_steps:
            self.heading("Next steps", 1)
            self.bullets(data.next_steps)

    def appendix(self) -> None:
        data = self.data
        protection = data.data_protection
        self.heading("Appendix A: Data protection summary", 1)
        if protection is not None:
            missing = "Not recorded (set it on the Workshops screen)"
            self.label_value("Data controller", protection.data_controller or missing)
            self.label_value("Lawful basis", protection.lawful_basis or missing)
            self.label_value("How long the data is kept", protection.retention or missing)
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
        letter = "B"
        if data.network_terms:
            self.heading(f"Appendix {letter}: Stakeholder map, in network terms", 1)
            letter = "C"
            self.para(
                "The findings of the stakeholder map with the social network analysis term each one rests on, for "
                "readers who want to check the method."
            )
            self.table(
                ["Finding", "Network term"],
                list(data.network_terms),
                caption="Stakeholder findings and their network terms",
                widths_cm=(11.0, 6.0),
            )
        if data.agenda:
            self.heading(f"Appendix {letter}: The planned agenda", 1)
            total = sum(a.minutes for a in data.agenda)
            self.para(
                f"The workshop's planned agenda, {total} minutes in all. It is the plan, not a record: the "
                "room may have spent its time differently on the day."
            )
            self.table(
                ["Minutes", "Session", "What happens"],
                [(a.minutes, a.title, a.activity) for a in data.agenda],
                caption="Agenda",
                widths_cm=(2.4, 4.4, 10.2),
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


# Centimetres a character takes at 10 pt, measured on DejaVu Sans (what LibreOffice draws when Arial is
# not installed, and wider than Arial): bold header words, and body words. Short words of wide letters
# ("member") run wider than the average, hence the margin; 0.5 cm is the cell's padding and border.
HEADER_CM_PER_CHAR = 0.28
BODY_CM_PER_CHAR = 0.26
CELL_PAD_CM = 0.5


def word_floors(rows: Sequence[Sequence[str]], scale: float = 1.0) -> list[float]:
    """For each column, the width (cm) its longest word needs at 10 pt times ``scale``: the header row is bold."""
    columns = len(rows[0]) if rows else 0
    floors = []
    for c in range(columns):
        header = max((len(word) for word in str(rows[0][c]).split()), default=1)
        body = max((len(word) for row in rows[1:] for word in str(row[c]).split()), default=1)
        floors.append(max(max(2, header) * HEADER_CM_PER_CHAR, max(2, body) * BODY_CM_PER_CHAR) * scale + CELL_PAD_CM)
    return floors


def table_scale(rows: Sequence[Sequence[str]], total_cm: float) -> float:
    """The table's font size over 10 pt: smaller (down to 8 pt) rather than break a word in two.

    A column of long text (more than 25 characters a cell on average) also needs room beyond its
    longest word, or it reads one or two words a line: the words of all columns must then fit
    in four fifths of the width.
    """
    long_text = any(sum(len(str(row[c])) for row in rows[1:]) / max(1, len(rows) - 1) > 25 for c in range(len(rows[0])))
    room = total_cm * (0.8 if long_text else 1.0)
    return next((f for f in (1.0, 0.9, 0.8) if sum(word_floors(rows, f)) <= room), 0.8)


def fit_widths(rows: Sequence[Sequence[str]], total_cm: float, scale: float = 1.0) -> list[float]:
    """Column widths (cm) that share ``total_cm`` by how much each column holds.

    A column gets at least room for its longest word (so headers never break mid-word)
    and short columns stay narrow, so long text gets the room. ``scale`` is the table's
    font size over 10 pt.
    """
    columns = len(rows[0]) if rows else 0
    if not columns:
        return []
    cm_per_char = 0.24 * scale
    average = [sum(min(len(str(row[c])), 400) for row in rows) / len(rows) for c in range(columns)]
    floor = [min(f, total_cm / 2) for f in word_floors(rows, scale)]
    weight = [max(a, 1.0) ** 0.9 for a in average]
    widths = list(floor)
    spare = total_cm - sum(widths)
    if spare > 0:
        # Give the spare room to the columns whose text is longest, never beyond what they need in one line.
        need = [max(0.0, average[c] * cm_per_char + 0.4 - widths[c]) for c in range(columns)]
        total_need = sum(need)
        if total_need > 0:
            share = min(1.0, spare / total_need)
            widths = [widths[c] + need[c] * share for c in range(columns)]
            spare = total_cm - sum(widths)
        if spare > 0:
            total_weight = sum(weight)
            widths = [widths[c] + spare * weight[c] / total_weight for c in range(columns)]
    else:
        widths = [w * total_cm / sum(widths) for w in widths]
    return [round(w, 2) for w in widths]


# A row of the journey or blueprint grid holds at most about this many lines of 10 pt text, so that a
# row, kept whole, always fits a landscape page below the table's header row.
GRID_ROW_LINES = 24
# The average 10 pt character, in cm, for estimating how many lines a cell's text takes.
AVERAGE_CM_PER_CHAR = 0.2


def _lines(text: str, width_cm: float) -> int:
    per_line = max(4, int((width_cm - 0.4) / AVERAGE_CM_PER_CHAR))
    # Wrapping at word boundaries loses part of a line: about a tenth.
    return max(1, -(-len(text) * 11 // (per_line * 10)))


def _cut_text(text: str, width_cm: float, lines: int) -> list[str]:
    """A text too long for one row, cut at word boundaries into pieces of at most ``lines`` lines."""
    pieces: list[str] = []
    current: list[str] = []
    for word in text.split(" "):
        trial = " ".join([*current, word])
        if current and _lines(trial, width_cm) > lines:
            pieces.append(" ".join(current) + " …")
            current = ["…", word]
        else:
            current.append(word)
    pieces.append(" ".join(current))
    return pieces


def split_lane(row: Sequence[str], widths_cm: Sequence[float], max_lines: int) -> list[list[str]]:
    """One lane of a stage-by-lane grid as rows of at most ``max_lines`` lines each.

    Each cell's items (one a line) are shared out in order, so the first row holds the
    first items of every stage and a "(continued)" row the rest; an item longer than a
    row is itself cut at a word, with "…" where it goes on. Nothing is left out.
    """
    cells = []
    for value, width in zip(row[1:], widths_cm[1:], strict=True):
        items = []
        for item in str(value).split("\n") if value else []:
            items.extend(_cut_text(item, width, max_lines) if _lines(item, width) > max_lines else [item])
        cells.append(items)
    out: list[list[str]] = []
    while True:
        piece: list[str] = []
        for c, items in enumerate(cells):
            taken: list[str] = []
            used = 0
            while items and (not taken or used + _lines(items[0], widths_cm[c + 1]) <= max_lines):
                used += _lines(items[0], widths_cm[c + 1])
                taken.append(items.pop(0))
            piece.append("\n".join(taken))
        out.append([row[0] if not out else f"{row[0]} (continued)", *piece])
        if not any(cells):
            return out


def _last_paragraph(doc: DocumentObject) -> Paragraph | None:
    """The body's last paragraph, if the last thing in the body is one (without listing every paragraph)."""
    body = doc.element.body
    children = [child for child in body[-2:] if child.tag != qn("w:sectPr")]
    if children and children[-1].tag == qn("w:p"):
        return Paragraph(children[-1], doc._body)
    return None


def _keep_row_whole(row: Any) -> None:
    """A table row never splits across two pages."""
    tr_pr = row._tr.get_or_add_trPr()
    cant = OxmlElement("w:cantSplit")
    cant.set(qn("w:val"), "true")
    tr_pr.insert(0, cant)


def _set_language(doc: DocumentObject, language: str) -> None:
    """Proofing language for every style: Word and LibreOffice check spelling in British English."""
    styles = doc.styles.element
    defaults = styles.find(qn("w:docDefaults"))
    if defaults is None:
        defaults = OxmlElement("w:docDefaults")
        styles.insert(0, defaults)
    r_pr_default = defaults.find(qn("w:rPrDefault"))
    if r_pr_default is None:
        r_pr_default = OxmlElement("w:rPrDefault")
        defaults.insert(0, r_pr_default)
    r_pr = r_pr_default.find(qn("w:rPr"))
    if r_pr is None:
        r_pr = OxmlElement("w:rPr")
        r_pr_default.append(r_pr)
    for old in r_pr.findall(qn("w:lang")):
        r_pr.remove(old)
    lang = OxmlElement("w:lang")
    for attribute in ("w:val", "w:eastAsia", "w:bidi"):
        lang.set(qn(attribute), language)
    r_pr.append(lang)
    for style in styles.iter(qn("w:style")):
        for existing in style.iter(qn("w:lang")):
            existing.set(qn("w:val"), language)


def _bookmark(paragraph: Paragraph, name: str, number: int) -> None:
    """A bookmark around a heading, so the contents can link to it."""
    start = OxmlElement("w:bookmarkStart")
    start.set(qn("w:id"), str(number))
    start.set(qn("w:name"), name)
    end = OxmlElement("w:bookmarkEnd")
    end.set(qn("w:id"), str(number))
    paragraph._p.insert(1 if paragraph._p.pPr is not None else 0, start)
    paragraph._p.append(end)


def _internal_link(paragraph: Paragraph, bookmark: str, text: str) -> None:
    """Text that jumps to a bookmark when clicked (in Word, LibreOffice and the PDF made from it)."""
    link = OxmlElement("w:hyperlink")
    link.set(qn("w:anchor"), bookmark)
    link.set(qn("w:history"), "1")
    run = OxmlElement("w:r")
    r_pr = OxmlElement("w:rPr")
    colour = OxmlElement("w:color")
    colour.set(qn("w:val"), "1F3864")
    r_pr.append(colour)
    run.append(r_pr)
    t = OxmlElement("w:t")
    t.set(qn("xml:space"), "preserve")
    t.text = text
    run.append(t)
    link.append(run)
    paragraph._p.append(link)


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
