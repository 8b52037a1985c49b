"""Repository functions for the room's display: its state and read-only key, in the workshop's settings.

The display's state changes many times a workshop, so it is written without an audit
entry; making or revoking a key is audited (never the key itself).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from sqlalchemy import Engine

from codesign.errors import NotFoundError
from codesign.storage.db import read_session, write_session
from codesign.storage.schema import WorkshopRow, as_utc, utcnow
from codesign.storage.workshops import add_audit


def read(engine: Engine, workshop_id: int) -> tuple[dict[str, Any], datetime | None, str, str]:
    """(settings, timer end, join code, status) of one workshop, in one small read."""
    with read_session(engine) as s:
        row = s.get(WorkshopRow, workshop_id)
        if row is None:
            raise NotFoundError("That workshop no longer exists.")
        ends = as_utc(row.timer_ends_at) if row.timer_ends_at else None
        return dict(row.settings or {}), ends, row.code, row.status


Change = Callable[[dict[str, Any], datetime | None], tuple[dict[str, Any], datetime | None]]


def write(engine: Engine, workshop_id: int, change: Change, *, audit: str | None = None) -> None:
    """Apply ``change`` to (settings, timer end) inside one write transaction.

    The change sees the row as it is under the write lock, so two laptops steering the
    same display never undo each other's step.
    """
    with write_session(engine) as s:
        row = s.get(WorkshopRow, workshop_id)
        if row is None:
            raise NotFoundError("That workshop no longer exists.")
        ends = as_utc(row.timer_ends_at) if row.timer_ends_at else None
        settings, new_ends = change(dict(row.settings or {}), ends)
        row.settings = settings
        row.timer_ends_at = new_ends
        row.updated_at = utcnow()
        if audit:
            add_audit(s, workshop_id, "facilitator", audit, "workshop", workshop_id)
