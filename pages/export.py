"""Facilitator: the Word report and data exports, each one click, from the same functions as the CLI."""

import streamlit as st

from codesign import export
from codesign.export import images, pdf
from codesign.ui import common

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PDF = "application/pdf"

common.require_facilitator()
workshop = common.require_workshop()
engine = common.engine()
workshop_id, code = workshop.id, workshop.code

st.title("Export")


# The counts follow the room by themselves (moderation may be going on at another laptop).
@st.fragment(run_every=2.0)
def live_counts() -> None:
    counts = export.count_stories(engine, workshop_id)
    left, middle, right = st.columns(3)
    left.metric("Stories in the report", counts.reported)
    middle.metric("Stories it may quote", counts.quotable)
    right.metric("Held back", counts.held_back, help="Waiting for moderation or a safeguarding review, or hidden.")
    if counts.pending or counts.flagged:
        st.warning(
            f"Waiting for moderation: {counts.pending}. Waiting for a safeguarding review: {counts.flagged}. "
            "They stay out of every export until a facilitator has looked at them."
        )


live_counts()

st.subheader("Word report")
st.write(
    "An editable report for commissioners and the team. It opens with a summary (who took part, what the room "
    'found, what it supports) and the agreed actions, then "You said, we will", the themes with quotes, the '
    "emotion curve and journey map, the service blueprint, the stakeholder map, ideas and votes, limitations, next "
    "steps and a data protection summary. Only stories whose authors agreed to be quoted are quoted."
)
chart_images = st.toggle("Draw the charts as pictures", value=True, help="Needs Chromium on this computer.")
reason = images.unavailable_reason()
if chart_images and reason:
    st.info(f"The charts will appear as tables: {reason}.")
elif chart_images:
    images.start_in_background()
st.download_button(
    "Download the Word report",
    data=lambda: export.build_workshop_report(engine, workshop_id, chart_images=chart_images),
    file_name=f"{code}-report.docx",
    mime=DOCX,
    type="primary",
    icon=":material/description:",
    on_click="ignore",
)

pdf_reason = pdf.unavailable_reason()
if pdf_reason:
    st.info(f"PDF: {pdf_reason}.")
else:
    st.download_button(
        "Download the report as PDF",
        data=lambda: export.build_workshop_pdf(engine, workshop_id, chart_images=chart_images),
        file_name=f"{code}-report.pdf",
        mime=PDF,
        icon=":material/picture_as_pdf:",
        on_click="ignore",
        help="The same report, laid out by LibreOffice. Takes a few seconds.",
    )

st.subheader("Posters")
posters = export.list_posters(engine, workshop_id)
if not posters:
    st.write("The journey map and blueprints have nothing on them yet, so there are no posters to print.")
elif images.unavailable_reason():
    st.info(f"Posters need the chart browser: {images.unavailable_reason()}.")
else:
    st.write("A3 landscape PDFs to print and put on the wall: the journey map and each blueprint.")
    for column, poster in zip(st.columns(len(posters)), posters, strict=True):
        column.download_button(
            f"{poster.title} (A3 PDF)",
            data=lambda key=poster.key: export.build_poster(engine, workshop_id, key),
            file_name=f"{code}-{poster.file_stem}-A3.pdf",
            mime=PDF,
            icon=":material/image:",
            on_click="ignore",
        )

st.subheader("Data")
st.write(
    "Every table of the workshop (stories, themes, assignments, stakeholders, relationships, journey, blueprint, "
    "ideas, votes and actions), with real dates, the words people saw and a filter on every sheet. The words of "
    "stories shared for themes only, or to be quoted only in the workshop, are withheld: these files are easily "
    "sent on."
)
csv_col, xlsx_col = st.columns(2)
csv_col.download_button(
    "Download CSV files (zip)",
    data=lambda: export.build_csv_zip(engine, workshop_id),
    file_name=f"{code}-data.zip",
    mime="application/zip",
    icon=":material/folder_zip:",
    on_click="ignore",
)
xlsx_col.download_button(
    "Download Excel workbook",
    data=lambda: export.build_xlsx(engine, workshop_id),
    file_name=f"{code}-data.xlsx",
    mime=XLSX,
    icon=":material/table_view:",
    on_click="ignore",
)

st.subheader("Backup")
st.write(
    "The whole workshop as one JSON file, to restore into another codesign with `codesign import FILE.json`. "
    "It holds everything, including stories waiting for moderation: keep it as carefully as the database."
)
st.download_button(
    "Download JSON backup",
    data=lambda: export.build_backup(engine, workshop_id),
    file_name=f"{code}-backup.json",
    mime="application/json",
    icon=":material/backup:",
    on_click="ignore",
)
