"""Repository functions for workshops, their stages and lenses, kits, settings, audit and throttling."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Engine, delete, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from codesign.errors import NotFoundError
from codesign.models import DEFAULT_SETTINGS, AuditEntry, Lens, Stage, Workshop
from codesign.storage.db import read_session, write_session
from codesign.storage.schema import (
    AppSetting,
    AuditRow,
    KitRow,
    LensRow,
    RelationshipRow,
    StageRow,
    StakeholderRow,
    StoryRow,
    ThrottleRow,
    WorkshopRow,
    as_utc,
    utcnow,
)
from codesign.workshops.kits import Kit


def _workshop(row: WorkshopRow, story_count: int = 0) -> Workshop:
    return Workshop(
        id=row.id,
        code=row.code,
        title=row.title,
        kit_id=row.kit_id,
        status=row.status,  # type: ignore[arg-type]
        is_demo=row.is_demo,
        created_at=as_utc(row.created_at),
        settings={**DEFAULT_SETTINGS, **(row.settings or {})},
        story_count=story_count,
    )


def insert_workshop(
    engine: Engine, *, code: str, title: str, kit: Kit, kit_yaml: str, is_demo: bool = False
) -> Workshop:
    """Store a workshop with its kit's stages, lenses and stakeholder seeds, in one transaction.

    Raises:
        IntegrityError: If the code is taken (the caller draws another).
    """
    with write_session(engine) as s:
        row = WorkshopRow(
            code=code, title=title, kit_id=kit.id, kit_yaml=kit_yaml, is_demo=is_demo, settings=dict(DEFAULT_SETTINGS)
        )
        s.add(row)
        s.flush()
        for pos, stage in enumerate(kit.stages):
            s.add(
                StageRow(
                    workshop_id=row.id,
                    position=pos,
                    key=stage.key,
                    name=stage.name,
                    prompt=stage.prompt,
                    thrive_grouping=stage.thrive_grouping,
                )
            )
        for pos, lens in enumerate(kit.lenses):
            s.add(LensRow(workshop_id=row.id, position=pos, key=lens.key, name=lens.name))
        ids: dict[str, int] = {}
        for seed in kit.stakeholders:
            sh = StakeholderRow(
                workshop_id=row.id,
                name=seed.name,
                aliases=list(seed.aliases),
                kind=seed.kind,
                sector=seed.sector,
                influence=seed.influence,
                interest=seed.interest,
                notes=seed.notes,
            )
            s.add(sh)
            s.flush()
            ids[seed.name] = sh.id
        for rel in kit.relationships:
            s.add(
                RelationshipRow(
                    workshop_id=row.id,
                    source_id=ids[rel.source],
                    target_id=ids[rel.target],
                    type=rel.type,
                    directed=rel.directed,
                    strength=rel.strength,
                    note=rel.note,
                )
            )
        add_audit(s, row.id, "facilitator", "workshop_created", "workshop", row.id)
        s.flush()
        return _workshop(row)


def list_workshops(engine: Engine) -> list[Workshop]:
    """Every workshop, newest first, with its number of stories."""
    with read_session(engine) as s:
        counts = dict(
            s.execute(select(StoryRow.workshop_id, func.count(StoryRow.id)).group_by(StoryRow.workshop_id)).all()
        )
        rows = s.scalars(select(WorkshopRow).order_by(WorkshopRow.created_at.desc(), WorkshopRow.id.desc())).all()
        return [_workshop(r, counts.get(r.id, 0)) for r in rows]


def get_workshop(engine: Engine, workshop_id: int) -> Workshop:
    with read_session(engine) as s:
        row = s.get(WorkshopRow, workshop_id)
        if row is None:
            raise NotFoundError("That workshop no longer exists.")
        count = s.scalar(select(func.count(StoryRow.id)).where(StoryRow.workshop_id == workshop_id)) or 0
        return _workshop(row, count)


def find_workshop_by_code(engine: Engine, code: str) -> Workshop | None:
    with read_session(engine) as s:
        row = s.scalar(select(WorkshopRow).where(WorkshopRow.code == code))
        return _workshop(row) if row else None


def workshop_kit_yaml(engine: Engine, workshop_id: int) -> str:
    with read_session(engine) as s:
        row = s.get(WorkshopRow, workshop_id)
        if row is None:
            raise NotFoundError("That workshop no longer exists.")
        return row.kit_yaml


def set_workshop_status(engine: Engine, workshop_id: int, status: str) -> Workshop:
    with write_session(engine) as s:
        row = s.get(WorkshopRow, workshop_id)
        if row is None:
            raise NotFoundError("That workshop no longer exists.")
        row.status = status
        row.updated_at = utcnow()
        add_audit(s, workshop_id, "facilitator", f"workshop_{status}", "workshop", workshop_id)
        return _workshop(row)


def update_workshop_settings(engine: Engine, workshop_id: int, changes: dict[str, Any]) -> Workshop:
    with write_session(engine) as s:
        row = s.get(WorkshopRow, workshop_id)
        if row is None:
            raise NotFoundError("That workshop no longer exists.")
        row.settings = {**DEFAULT_SETTINGS, **(row.settings or {}), **changes}
        row.updated_at = utcnow()
        add_audit(
            s, workshop_id, "facilitator", "settings_changed", "workshop", workshop_id, ", ".join(sorted(changes))
        )
        return _workshop(row)


def set_timer(engine: Engine, workshop_id: int, ends_at: datetime | None) -> None:
    with write_session(engine) as s:
        row = s.get(WorkshopRow, workshop_id)
        if row is None:
            raise NotFoundError("That workshop no longer exists.")
        row.timer_ends_at = ends_at


def get_timer(engine: Engine, workshop_id: int) -> datetime | None:
    with read_session(engine) as s:
        row = s.get(WorkshopRow, workshop_id)
        return as_utc(row.timer_ends_at) if row and row.timer_ends_at else None


def delete_workshop(engine: Engine, workshop_id: int, actor: str = "facilitator") -> None:
    """Delete a workshop and everything in it (by cascade); the audit keeps only the fact."""
    with write_session(engine) as s:
        row = s.get(WorkshopRow, workshop_id)
        if row is None:
            raise NotFoundError("That workshop no longer exists.")
        s.delete(row)
        add_audit(s, workshop_id, actor, "workshop_deleted", "workshop", workshop_id)


def list_stages(engine: Engine, workshop_id: int) -> list[Stage]:
    with read_session(engine) as s:
        rows = s.scalars(select(StageRow).where(StageRow.workshop_id == workshop_id).order_by(StageRow.position)).all()
        return [Stage(r.id, r.key, r.name, r.prompt, r.position, r.thrive_grouping) for r in rows]


def list_lenses(engine: Engine, workshop_id: int) -> list[Lens]:
    with read_session(engine) as s:
        rows = s.scalars(select(LensRow).where(LensRow.workshop_id == workshop_id).order_by(LensRow.position)).all()
        return [Lens(r.id, r.key, r.name, r.position) for r in rows]


# --- kits uploaded by facilitators -------------------------------------------------------


def save_uploaded_kit(engine: Engine, kit: Kit, yaml_text: str) -> None:
    """Store (or replace) an uploaded kit, keyed by its id."""
    with write_session(engine) as s:
        row = s.scalar(select(KitRow).where(KitRow.kit_id == kit.id))
        if row is None:
            s.add(KitRow(kit_id=kit.id, title=kit.title, yaml_text=yaml_text))
        else:
            row.title = kit.title
            row.yaml_text = yaml_text
        add_audit(s, None, "facilitator", "kit_uploaded", "kit", None, kit.id)


def list_uploaded_kits(engine: Engine) -> list[tuple[str, str, str]]:
    """(kit id, title, YAML text) of every uploaded kit."""
    with read_session(engine) as s:
        return [(r.kit_id, r.title, r.yaml_text) for r in s.scalars(select(KitRow).order_by(KitRow.kit_id))]


# --- installation settings ---------------------------------------------------------------


def get_app_setting(engine: Engine, key: str) -> str | None:
    with read_session(engine) as s:
        row = s.get(AppSetting, key)
        return row.value if row else None


def set_app_setting(engine: Engine, key: str, value: str, *, only_if_missing: bool = False) -> bool:
    """Set an installation setting. Returns False if only_if_missing and it existed."""
    try:
        with write_session(engine) as s:
            row = s.get(AppSetting, key)
            if row is not None and only_if_missing:
                return False
            if row is None:
                s.add(AppSetting(key=key, value=value))
            else:
                row.value = value
                row.updated_at = utcnow()
            return True
    except IntegrityError:  # another process inserted it first
        return False


# --- audit and throttling ----------------------------------------------------------------


def add_audit(
    s: Session,
    workshop_id: int | None,
    actor: str,
    action: str,
    target_type: str = "",
    target_id: int | None = None,
    detail: str = "",
) -> None:
    """Record an action inside the caller's transaction. Never pass participant text."""
    s.add(
        AuditRow(
            workshop_id=workshop_id,
            actor=actor,
            action=action,
            target_type=target_type,
            target_id=target_id,
            detail=detail[:200],
        )
    )


def list_audit(engine: Engine, workshop_id: int, limit: int = 200) -> list[AuditEntry]:
    with read_session(engine) as s:
        rows = s.scalars(
            select(AuditRow).where(AuditRow.workshop_id == workshop_id).order_by(AuditRow.id.desc()).limit(limit)
        ).all()
        return [AuditEntry(as_utc(r.at), r.actor, r.action, r.target_type, r.target_id, r.detail) for r in rows]


def record_attempt(engine: Engine, key: str, window: timedelta) -> int:
    """Record one attempt under key; return how many fell within the window (this one included).

    Old events are pruned in the same transaction so the table stays small.
    """
    now = utcnow()
    with write_session(engine) as s:
        s.execute(delete(ThrottleRow).where(ThrottleRow.key == key, ThrottleRow.at < now - window))
        s.add(ThrottleRow(key=key, at=now))
        s.flush()
        return s.scalar(select(func.count(ThrottleRow.id)).where(ThrottleRow.key == key)) or 0


def count_attempts(engine: Engine, key: str, window: timedelta) -> int:
    with read_session(engine) as s:
        since = utcnow() - window
        return s.scalar(select(func.count(ThrottleRow.id)).where(ThrottleRow.key == key, ThrottleRow.at >= since)) or 0


def clear_attempts(engine: Engine, key: str) -> None:
    with write_session(engine) as s:
        s.execute(delete(ThrottleRow).where(ThrottleRow.key == key))


def clear_attempts_like(engine: Engine, prefix: str) -> int:
    """Forget every attempt whose key starts with prefix (all clients, everyone); returns how many."""
    with write_session(engine) as s:
        result = s.execute(delete(ThrottleRow).where(ThrottleRow.key.startswith(prefix, autoescape=True)))
        return int(getattr(result, "rowcount", 0) or 0)


def attempt_records(engine: Engine, keys: Sequence[str], window: timedelta) -> dict[str, tuple[int, datetime | None]]:
    """For each key: how many attempts fell within the window, and when the newest was."""
    since = utcnow() - window
    with read_session(engine) as s:
        rows = s.execute(
            select(ThrottleRow.key, func.count(ThrottleRow.id), func.max(ThrottleRow.at))
            .where(ThrottleRow.key.in_(list(keys)), ThrottleRow.at >= since)
            .group_by(ThrottleRow.key)
        ).all()
    found = {str(k): (int(n), as_utc(last) if last is not None else None) for k, n, last in rows}
    return {k: found.get(k, (0, None)) for k in keys}


def record_attempts(engine: Engine, keys: Sequence[str], window: timedelta) -> None:
    """Record one attempt under each key in one transaction, pruning what has left the window."""
    now = utcnow()
    with write_session(engine) as s:
        s.execute(delete(ThrottleRow).where(ThrottleRow.key.in_(list(keys)), ThrottleRow.at < now - window))
        s.add_all([ThrottleRow(key=k, at=now) for k in keys])
