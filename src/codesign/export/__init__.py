"""Files for the team after the workshop: the Word report, data tables, the JSON backup, network files.

Every exporter returns bytes, so the download buttons, the CLI and the tests share one path.
The use cases (load, then build) are in ``service``; the builders in ``report_data``,
``docx``, ``tables``, ``network`` and ``images`` take data and return data or bytes.
"""

from codesign.export.pdf import PdfUnavailable
from codesign.export.service import (
    FORMAT,
    FORMAT_VERSION,
    OWNERSHIP,
    Poster,
    StoryCounts,
    build_backup,
    build_csv_zip,
    build_poster,
    build_workshop_pdf,
    build_workshop_report,
    build_xlsx,
    count_stories,
    dump_workshop,
    gather_report_data,
    gather_tables,
    list_posters,
    original_code,
    restore_backup,
    restored_summary,
)

__all__ = [
    "FORMAT",
    "FORMAT_VERSION",
    "OWNERSHIP",
    "PdfUnavailable",
    "Poster",
    "StoryCounts",
    "build_backup",
    "build_csv_zip",
    "build_poster",
    "build_workshop_pdf",
    "build_workshop_report",
    "build_xlsx",
    "count_stories",
    "dump_workshop",
    "gather_report_data",
    "gather_tables",
    "list_posters",
    "original_code",
    "restore_backup",
    "restored_summary",
]
