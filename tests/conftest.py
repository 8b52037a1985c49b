"""Shared fixtures: a fresh database per test, on SQLite always and on PostgreSQL when given."""

from __future__ import annotations

import json
import os
import sqlite3
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, text

from codesign import demo, workshops
from codesign.models import Workshop
from codesign.storage import migrate
from codesign.storage.db import make_engine
from codesign.workshops.kits import get_builtin_kit

IN_CI = os.environ.get("CI", "").lower() == "true"
POSTGRES_URL = os.environ.get("CODESIGN_TEST_POSTGRES_URL", "")
SHARED_DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
TEST_PASSCODE = "test-passcode-42"


def need(condition: bool, reason: str) -> None:
    """Skip when a test's system dependency is missing, except in CI where it must run."""
    if condition:
        return
    if IN_CI:
        pytest.fail(f"{reason} (CI=true: this test must run, not skip; .ci/run installs it)")
    pytest.skip(reason)


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'codesign.db'}"


@pytest.fixture
def engine(sqlite_url: str) -> Iterator[Engine]:
    """A fresh, migrated SQLite database."""
    eng = make_engine(sqlite_url)
    migrate.upgrade(eng)
    yield eng
    eng.dispose()


def _postgres_database() -> Iterator[str]:
    need(bool(POSTGRES_URL), "CODESIGN_TEST_POSTGRES_URL is not set (PostgreSQL tests)")
    name = f"codesign_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    base = POSTGRES_URL.rsplit("/", 1)[0]
    try:
        yield f"{base}/{name}"
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture
def postgres_url() -> Iterator[str]:
    """A fresh, empty PostgreSQL database for one test."""
    yield from _postgres_database()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def any_engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    """A fresh, migrated database on each back end: storage tests run on both."""
    if request.param == "sqlite":
        eng = make_engine(f"sqlite:///{tmp_path / 'codesign.db'}")
        migrate.upgrade(eng)
        yield eng
        eng.dispose()
        return
    for url in _postgres_database():
        eng = make_engine(url)
        migrate.upgrade(eng)
        yield eng
        eng.dispose()


@pytest.fixture
def make_workshop(engine: Engine):  # type: ignore[no-untyped-def]
    """Factory: a workshop from a shipped kit (default: living-well)."""

    def _make(title: str = "Test workshop", kit_id: str = "living-well", eng: Engine | None = None) -> Workshop:
        return workshops.create_workshop(eng or engine, title, get_builtin_kit(kit_id))

    return _make


def template_database(tmp_path_factory: pytest.TempPathFactory, name: str, build: Callable[[Engine], object]) -> Path:
    """A migrated SQLite file made once per test process (per xdist worker), for tests to copy."""
    path = tmp_path_factory.mktemp(name) / "template.db"
    eng = make_engine(f"sqlite:///{path}")
    migrate.upgrade(eng)
    build(eng)
    eng.dispose()
    return path


def copy_database(template: Path, engine: Engine) -> None:
    """Make the test's SQLite database a copy of the template (SQLite's online backup)."""
    engine.dispose()
    source, target = sqlite3.connect(template), sqlite3.connect(str(engine.url.database))
    try:
        source.backup(target)
    finally:
        source.close()
        target.close()


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The full demo (about 10 CPU-seconds to make), made once and copied into each test that wants it."""
    return template_database(tmp_path_factory, "demo", demo.load_demo)


@pytest.fixture
def demo_workshop(engine: Engine, demo_template: Path) -> Workshop:
    copy_database(demo_template, engine)
    return demo.load_demo(engine).workshop  # finds the copied demo: nothing is made again


@pytest.fixture
def blns() -> list[str]:
    path = SHARED_DATA / "blns.json"
    need(path.is_file(), f"{path} is not present (the shared data sets sit beside the checkout)")
    return list(json.loads(path.read_text(encoding="utf-8")))
