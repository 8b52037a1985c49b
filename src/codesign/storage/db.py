"""Engines and transactions: the one place that knows which database is behind the product.

SQLite is the zero-configuration default, a file in the ignored ``data/`` folder.
PostgreSQL (psycopg 3) is used when ``CODESIGN_DATABASE_URL`` points at one.
"""

from __future__ import annotations

import os
import threading
import weakref
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, OperationalError, SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from codesign.errors import StorageUnavailable

PROJECT_ROOT = Path(__file__).resolve().parents[3]
DATA_DIR = Path(os.environ.get("CODESIGN_DATA_DIR", PROJECT_ROOT / "data"))

# Measured here: with the driver's 5 s default, 13 of 60 stories submitted at once were
# lost to "database is locked". Writers queue instead of failing; 30 s is far above the
# longest write (a few ms) times any realistic room.
SQLITE_BUSY_TIMEOUT_MS = 30_000


def default_url() -> str:
    """The database URL: ``CODESIGN_DATABASE_URL`` if set, else the SQLite file in ``data/``."""
    url = os.environ.get("CODESIGN_DATABASE_URL", "").strip()
    return url or f"sqlite:///{DATA_DIR / 'codesign.db'}"


def mask_url(url: str) -> str:
    """The URL with its password replaced, safe to print."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return "<unreadable database URL>"


def make_engine(url: str | None = None) -> Engine:
    """Create an engine with the product's settings for SQLite or PostgreSQL.

    Raises:
        StorageUnavailable: If the URL is malformed or the database cannot be reached.
    """
    url = url or default_url()
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise StorageUnavailable(
            f"The database URL {mask_url(url)!r} is not valid. Set CODESIGN_DATABASE_URL to "
            "sqlite:///path/to/file.db or postgresql+psycopg://user:password@host/dbname."
        ) from None
    if parsed.get_backend_name() == "sqlite":
        engine = _sqlite_engine(parsed.render_as_string(hide_password=False))
    else:
        if parsed.drivername == "postgresql":
            parsed = parsed.set(drivername="postgresql+psycopg")
        engine = create_engine(parsed, pool_pre_ping=True, connect_args={"connect_timeout": 5})
    try:
        with engine.connect() as conn:
            conn.execute(text("select 1"))
    except (OperationalError, SQLAlchemyError) as exc:
        engine.dispose()
        raise StorageUnavailable(
            f"Cannot open the database at {mask_url(url)}: {_first_line(exc)}. "
            "Check that the server is running and the URL in CODESIGN_DATABASE_URL is right, "
            "or unset it to use the built-in SQLite file."
        ) from None
    return engine


def _first_line(exc: BaseException) -> str:
    orig = getattr(exc, "orig", None) or exc
    return str(orig).strip().splitlines()[0] if str(orig).strip() else type(orig).__name__


def _sqlite_engine(url: str) -> Engine:
    database = make_url(url).database
    if database and database != ":memory:":
        Path(database).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, connect_args={"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000})

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        # Let SQLAlchemy's "begin" event below issue BEGIN itself, so writes can take
        # the write lock up front (pysqlite's implicit BEGIN is deferred).
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        # FULL: a story is on disk before the phone is told it was saved, even on power loss.
        cur.execute("PRAGMA synchronous=FULL")
        # Deleted rows are overwritten with zeros, not just marked free: a withdrawn story's
        # text must not linger in the file's free pages (the platform default varies).
        cur.execute("PRAGMA secure_delete=ON")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        # A deferred transaction that later upgrades to a write lock skips the busy
        # handler and fails at once; measured here, 2,899 of 3,000 concurrent inserts
        # failed that way. Writers therefore start with BEGIN IMMEDIATE.
        options = conn.get_execution_options()
        if options.get("isolation_level") == "AUTOCOMMIT":
            return  # checkpoints and VACUUM must run outside any transaction
        conn.exec_driver_sql(f"BEGIN {options.get('codesign_begin', 'DEFERRED')}")

    return engine


# How often to retry a checkpoint that a long reader is holding up, and how long to wait between.
CHECKPOINT_TRIES = 20
CHECKPOINT_PAUSE_S = 0.25


def wipe_freed(engine: Engine) -> bool:
    """Make deleted rows unreadable from the database's own files; True if it fully succeeded.

    SQLite: the write-ahead log still holds copies of pages from before a deletion, so the
    log is checkpointed into the main file (which ``secure_delete`` keeps zeroed) and
    truncated to nothing. A reader in the middle of a query can hold the log back, so this
    retries for a few seconds. PostgreSQL: nothing here; see ``vacuum``.
    """
    if engine.dialect.name != "sqlite":
        return True
    import time

    for _ in range(CHECKPOINT_TRIES):
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            busy = conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)").first()
        if busy is not None and int(busy[0]) == 0:
            return True
        time.sleep(CHECKPOINT_PAUSE_S)
    return False


def vacuum(engine: Engine) -> None:
    """Compact the database after deletions (``VACUUM`` on both; outside any transaction).

    On PostgreSQL, ``VACUUM`` marks deleted rows' space reusable and updates statistics; it
    does not overwrite the old row versions in the table files, nor the copies in the write-ahead
    log and in base backups, which disappear only as the space is reused and the log recycled.
    On SQLite it rebuilds the file without free pages.
    """
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        if engine.dialect.name == "sqlite":
            conn.exec_driver_sql("VACUUM")
            conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        else:
            conn.exec_driver_sql("VACUUM (ANALYZE)")


class _Makers:
    """The session factories and the write lock of one engine, made once (not on every call)."""

    def __init__(self, engine: Engine) -> None:
        self.read = sessionmaker(engine, expire_on_commit=False)
        self.write = sessionmaker(engine.execution_options(codesign_begin="IMMEDIATE"), expire_on_commit=False)
        # SQLite takes one writer at a time. Its own wait for the write lock polls, sleeping up to
        # 100 ms between tries and letting a newcomer jump the queue; measured with 50 phones
        # sharing at once, the app's threads spent about 40% of their time there. Writers of this
        # process queue on this lock instead and go the moment the writer before them commits.
        # Other processes on the same file still meet SQLite's busy timeout.
        self.lock: threading.RLock | None = threading.RLock() if engine.dialect.name == "sqlite" else None


_MAKERS: weakref.WeakKeyDictionary[Engine, _Makers] = weakref.WeakKeyDictionary()
_MAKERS_LOCK = threading.Lock()


def _makers(engine: Engine) -> _Makers:
    found = _MAKERS.get(engine)
    if found is None:
        with _MAKERS_LOCK:
            found = _MAKERS.get(engine)
            if found is None:
                found = _MAKERS[engine] = _Makers(engine)
    return found


@contextmanager
def write_session(engine: Engine) -> Iterator[Session]:
    """One short write transaction; committed (and durable) when the block ends."""
    makers = _makers(engine)
    if makers.lock is None:
        with makers.write() as session, session.begin():
            yield session
        return
    with makers.lock, makers.write() as session, session.begin():
        yield session


@contextmanager
def read_session(engine: Engine) -> Iterator[Session]:
    """A read-only unit of work."""
    with _makers(engine).read() as session, session.begin():
        yield session
