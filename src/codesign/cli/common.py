"""What every command shares: the --db option and opening the database with one clear error."""

from __future__ import annotations

import shutil
import sys
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import Any, TypeVar

import click
from sqlalchemy import Engine

from codesign import workshops
from codesign.errors import StorageUnavailable

F = TypeVar("F", bound=Callable[..., Any])


def open_database(url: str | None) -> Engine:
    """Open the database and bring its schema up to date, or exit with one clear line."""
    try:
        return workshops.open_database(url)
    except StorageUnavailable as exc:
        click.echo(f"Error: {exc}", err=True)
        sys.exit(2)


def command_line(args: str) -> str:
    """A codesign command as it works when pasted into a fresh shell in this folder.

    ``codesign`` when it is on the PATH (an activated virtualenv), else the console script's
    path, such as ``.venv/bin/codesign``.
    """
    script = Path(sys.executable).parent / "codesign"
    found = shutil.which("codesign")
    if found and Path(found).resolve() == script.resolve():
        return f"codesign {args}"
    try:
        shown = script.absolute().relative_to(Path.cwd())
    except ValueError:
        shown = script
    return f"{shown} {args}"


def db_option(func: F) -> F:
    """Every command takes --db URL, defaulting to the app's own database."""

    @click.option(
        "--db",
        "db_url",
        metavar="URL",
        default=None,
        help="Database URL (default: CODESIGN_DATABASE_URL, else the app's SQLite file in data/).",
    )
    @wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        return func(*args, **kwargs)

    return wrapper  # type: ignore[return-value]
