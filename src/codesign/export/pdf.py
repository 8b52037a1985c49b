"""PDF from the Word report, with LibreOffice where it is installed.

LibreOffice lays out the same .docx a team edits, so the PDF and the Word file say the
same thing on the same pages. It runs headless, one conversion at a time per process,
with its own profile folder (a desktop LibreOffice that is open cannot block it), and
with no network: it only reads the file it is given. Where LibreOffice is missing,
``PdfUnavailable`` says so in words a facilitator can act on.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import threading
from pathlib import Path

from codesign.errors import CodesignError

CANDIDATES = ("soffice", "libreoffice")
# A large report converts in a few seconds; a hung LibreOffice is given up on.
TIMEOUT_S = 180

_lock = threading.Lock()
_profile: dict[str, str] = {}


class PdfUnavailable(CodesignError):
    """The PDF cannot be made on this computer (no LibreOffice, or it failed)."""


def soffice_path() -> str | None:
    """The LibreOffice program, from CODESIGN_SOFFICE or the PATH, or None."""
    named = os.environ.get("CODESIGN_SOFFICE", "").strip()
    if named:
        return named if Path(named).is_file() and os.access(named, os.X_OK) else None
    for name in CANDIDATES:
        found = shutil.which(name)
        if found:
            return found
    return None


def unavailable_reason() -> str:
    """Why PDFs cannot be made here, or an empty string if they can."""
    if soffice_path() is None:
        return (
            "LibreOffice is not installed on this computer, so the report cannot be turned into a PDF here. Install "
            "it (on Debian or Ubuntu: sudo apt install libreoffice-writer), or download the Word report and save it "
            "as PDF from Word or LibreOffice"
        )
    return ""


def docx_to_pdf(docx: bytes) -> bytes:
    """Convert a .docx file's bytes to PDF bytes.

    Raises:
        PdfUnavailable: If LibreOffice is missing, fails or takes too long.
    """
    reason = unavailable_reason()
    if reason:
        raise PdfUnavailable(reason + ".")
    program = soffice_path()
    assert program is not None
    with _lock, tempfile.TemporaryDirectory(prefix="codesign-pdf-") as work:
        source = Path(work) / "report.docx"
        source.write_bytes(docx)
        command = [
            program,
            f"-env:UserInstallation={_profile_url()}",
            "--headless",
            "--norestore",
            "--nolockcheck",
            "--convert-to",
            "pdf:writer_pdf_Export",
            "--outdir",
            work,
            str(source),
        ]
        try:
            subprocess.run(command, capture_output=True, timeout=TIMEOUT_S, check=False, cwd=work)
        except subprocess.TimeoutExpired:
            raise PdfUnavailable(
                f"LibreOffice did not finish the PDF within {TIMEOUT_S} seconds. Download the Word report instead."
            ) from None
        except OSError as exc:
            raise PdfUnavailable(f"LibreOffice could not be started ({exc.strerror or exc}).") from None
        target = Path(work) / "report.pdf"
        if not target.is_file() or not target.read_bytes().startswith(b"%PDF"):
            raise PdfUnavailable("LibreOffice could not turn the report into a PDF. Download the Word report instead.")
        return target.read_bytes()


def _profile_url() -> str:
    """A LibreOffice profile for this process: made once, so later conversions start faster."""
    if "url" not in _profile:
        folder = tempfile.mkdtemp(prefix="codesign-soffice-profile-")
        _profile["url"] = Path(folder).as_uri()
    return _profile["url"]
