"""``make doctor``: check what the tests and the Word report need, and say how to get what is missing.

Runs with the standard library only (before ``make run`` has made ``.venv``), so it can be
the first thing a new contributor types.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[3]
SHARED_DATA = ROOT.parent / "shared" / "data"
MIN_PYTHON = (3, 11)


@dataclass(frozen=True)
class Check:
    name: str
    found: str | None  # what was found (a path, a version), or None when missing
    install: str  # how to get it on Debian or Ubuntu
    without: str  # what happens without it


def _version(command: list[str]) -> str:
    try:
        out = subprocess.run(command, capture_output=True, text=True, timeout=20, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return ""
    lines = (out.stdout or out.stderr).strip().splitlines()
    return lines[0].strip() if lines else ""


def _tool(*names: str) -> str | None:
    for name in names:
        path = shutil.which(name)
        if path:
            return path
    return None


def _postgres() -> str | None:
    url = os.environ.get("CODESIGN_TEST_POSTGRES_URL", "").strip()
    if not url:
        return None
    parts = urlsplit(url.replace("+psycopg", ""))
    try:
        with socket.create_connection((parts.hostname or "127.0.0.1", parts.port or 5432), timeout=3):
            return f"{parts.hostname}:{parts.port or 5432} answers (CODESIGN_TEST_POSTGRES_URL)"
    except OSError:
        return None


def checks() -> list[Check]:
    python = sys.version_info[:2] >= MIN_PYTHON
    chromium = os.environ.get("CODESIGN_CHROMIUM") or _tool("chromium", "chromium-browser", "google-chrome")
    soffice = _tool("soffice", "libreoffice")
    node = _tool("node")
    npm = _tool("npm")
    return [
        Check(
            f"Python {MIN_PYTHON[0]}.{MIN_PYTHON[1]} or newer",
            f"{sys.version.split()[0]} at {sys.executable}" if python else None,
            "apt-get install python3 python3-venv (or pyenv), then PYTHON=/path/to/python3 make run",
            "make run and make test cannot start",
        ),
        Check(
            "Chromium",
            f"{chromium} ({_version([chromium, '--version'])})" if chromium else None,
            "apt-get install chromium",
            "the browser tests (tests/e2e/) skip and the Word report's charts become tables",
        ),
        Check(
            "PostgreSQL server for tests",
            _postgres(),
            "apt-get install postgresql, start a server, then export "
            "CODESIGN_TEST_POSTGRES_URL=postgresql+psycopg://postgres@127.0.0.1:5432/postgres "
            "(see CONTRIBUTING.md)",
            "the PostgreSQL half of the storage tests (marked postgres) skips",
        ),
        Check(
            "LibreOffice (soffice)",
            soffice,
            "apt-get install libreoffice-writer-nogui",
            "the test that the Word report opens in LibreOffice skips",
        ),
        Check(
            "pdftotext (poppler)",
            _tool("pdftotext"),
            "apt-get install poppler-utils",
            "the test that reads the report's words back skips",
        ),
        Check("Caddy", _tool("caddy"), "apt-get install caddy", "tests that put the app behind Caddy skip"),
        Check("strace", _tool("strace"), "apt-get install strace", "tests that trace the app's network calls skip"),
        Check(
            "unshare (util-linux)",
            _tool("unshare"),
            "apt-get install util-linux",
            "tests that run the app in its own network namespace skip",
        ),
        Check(
            "node and npm",
            f"node {_version([node, '--version'])}, npm {_version([npm, '--version'])}" if node and npm else None,
            "apt-get install nodejs npm, then npm install --prefix tests/e2e axe-core",
            "browser tests that run axe-core accessibility checks skip",
        ),
        Check(
            "Fonts (DejaVu)",
            next((str(p) for p in Path("/usr/share/fonts").rglob("DejaVuSans.ttf")), None)
            if Path("/usr/share/fonts").is_dir()
            else None,
            "apt-get install fonts-dejavu-core",
            "chart images and PDF pages draw with fallback fonts",
        ),
        Check(
            "Shared data (../shared/data)",
            str(SHARED_DATA) if (SHARED_DATA / "blns.json").is_file() else None,
            "ask the team for the shared/ folder and put it beside this clone",
            "the naughty-strings tests skip and the theme benchmarks cannot run",
        ),
    ]


def main() -> int:
    results = checks()
    width = max(len(c.name) for c in results)
    missing = 0
    for check in results:
        if check.found:
            print(f"ok       {check.name:<{width}}  {check.found}")
        else:
            missing += 1
            print(f"MISSING  {check.name:<{width}}  without it: {check.without}")
            print(f"         {'':<{width}}  to install: {check.install}")
    print()
    if missing:
        print(f"{missing} missing. Tests that need a missing part skip here, and fail in CI (CI=true),")
        print("where .ci/run (as root, on Debian 12) installs all of them.")
    else:
        print("Everything the tests and the report need is here.")
    return 1 if not results[0].found else 0


if __name__ == "__main__":
    sys.exit(main())
