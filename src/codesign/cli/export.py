"""`codesign export` and `codesign import`: the same bytes as the Export screen's buttons, written to files."""

from __future__ import annotations

import io
import sys
import zipfile
from pathlib import Path

import click
from sqlalchemy import Engine

from codesign import export, workshops
from codesign.cli.common import open_database
from codesign.errors import CodesignError
from codesign.export import images

FORMATS = ("docx", "pdf", "posters", "xlsx", "csv", "json")
SUFFIX = {"docx": ".docx", "pdf": ".pdf", "posters": ".zip", "xlsx": ".xlsx", "csv": ".zip", "json": ".json"}
# A backup of a very large workshop is a few MB; anything far bigger is not a backup.
MAX_IMPORT_BYTES = 200 * 1024 * 1024

_db = click.option(
    "--db",
    "db_url",
    metavar="URL",
    default=None,
    help="Database URL (default: CODESIGN_DATABASE_URL, else the app's SQLite file in data/).",
)


def _fail(message: str) -> None:
    click.echo(f"Error: {message}", err=True)
    sys.exit(1)


@click.command("export")
@_db
@click.argument("code")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="docx", show_default=True, help="What to make.")
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="File to write (default: exports/CODE-report.docx, exports/CODE-data.xlsx and so on).",
)
@click.option(
    "--no-images", is_flag=True, help="Word or PDF report: tables instead of chart pictures (no browser needed)."
)
def export_cmd(db_url: str | None, code: str, fmt: str, out: Path | None, no_images: bool) -> None:
    """Export workshop CODE as a Word or PDF report, A3 posters, Excel workbook, CSV zip or JSON backup.

    pdf needs LibreOffice; posters (a zip of A3 landscape PDFs of the journey map and each
    blueprint) need Chromium.
    """

    if fmt in ("docx", "pdf", "posters") and not no_images:
        # The browser starts while the database is read: about a second off the first chart.
        images.start_in_background()
    engine = open_database(db_url)
    workshop = workshops.find_workshop_by_code(engine, workshops.normalise_code(code))
    if workshop is None:
        _fail(f"There is no workshop with the code {code!r} (see `codesign workshops list`).")
        return
    try:
        if fmt == "docx":
            data = export.build_workshop_report(engine, workshop.id, chart_images=not no_images)
        elif fmt == "pdf":
            data = export.build_workshop_pdf(engine, workshop.id, chart_images=not no_images)
        elif fmt == "posters":
            data = _posters(engine, workshop.id, workshop.code)
        elif fmt == "xlsx":
            data = export.build_xlsx(engine, workshop.id)
        elif fmt == "csv":
            data = export.build_csv_zip(engine, workshop.id)
        else:
            data = export.build_backup(engine, workshop.id)
    except CodesignError as exc:
        _fail(str(exc))
        return
    kind = {"docx": "report", "pdf": "report", "posters": "posters", "json": "backup"}.get(fmt, "data")
    target = out or Path("exports") / f"{workshop.code}-{kind}{SUFFIX[fmt]}"
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    except OSError as exc:
        _fail(f"Cannot write {target}: {exc.strerror or exc}.")
    click.echo(f"Wrote {target} ({len(data) / 1024:.0f} KB) for workshop {workshop.code} {workshop.title!r}.")


def _posters(engine: Engine, workshop_id: int, code: str) -> bytes:
    posters = export.list_posters(engine, workshop_id)
    if not posters:
        _fail("This workshop has nothing on its journey map or blueprints yet, so there are no posters.")
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for poster in posters:
            archive.writestr(f"{code}-{poster.file_stem}-A3.pdf", export.build_poster(engine, workshop_id, poster.key))
    return out.getvalue()


@click.command("import")
@_db
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
def import_cmd(db_url: str | None, path: Path) -> None:
    """Restore a workshop from a JSON backup (made by `codesign export CODE --format json`)."""

    try:
        if path.stat().st_size > MAX_IMPORT_BYTES:
            _fail(f"{path} is {path.stat().st_size // (1024 * 1024)} MB: too big to be a codesign backup.")
        raw = path.read_bytes()
    except OSError as exc:
        _fail(f"Cannot read {path}: {exc.strerror or exc}.")
        return
    engine = open_database(db_url)
    try:
        workshop = export.restore_backup(engine, raw)
        click.echo(export.restored_summary(workshop, export.original_code(raw)))
    except CodesignError as exc:
        _fail(f"{path}: {exc}")
