"""Repository functions for the theme board: themes and which story sits in which.

Manual decisions are marked where they are stored: a theme made or renamed by hand has
origin "manual", a story moved by hand has source "manual", and a pinned theme is frozen.
Re-clustering (``codesign.themes.service``) reads these marks and never overwrites them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from sqlalchemy import Engine, delete, func, select
from sqlalchemy.orm import Session

from codesign.errors import NotFoundError, ValidationFailed
from codesign.models import BoardTheme, NewTheme
from codesign.storage.db import read_session, write_session
from codesign.storage.schema import StoryRow, StoryThemeRow, ThemeRow, utcnow

MAX_LABEL_CHARS = 120


def clean_label(label: str) -> str:
    """A theme label as stored: one line, trimmed.

    Raises:
        ValidationFailed: If it is empty or longer than ``MAX_LABEL_CHARS``.
    """
    text = " ".join(str(label).split())
    if not text:
        raise ValidationFailed("Give the theme a name.")
    if len(text) > MAX_LABEL_CHARS:
        raise ValidationFailed(f"Keep the theme's name to {MAX_LABEL_CHARS} characters or fewer.")
    return text


def list_board(engine: Engine, workshop_id: int) -> list[BoardTheme]:
    """Every theme of a workshop in board order, each with its stories."""
    with read_session(engine) as s:
        return _board(s, workshop_id)


def _board(s: Session, workshop_id: int) -> list[BoardTheme]:
    themes = s.scalars(
        select(ThemeRow).where(ThemeRow.workshop_id == workshop_id).order_by(ThemeRow.position, ThemeRow.id)
    ).all()
    links = s.execute(
        select(StoryThemeRow.theme_id, StoryThemeRow.story_id, StoryThemeRow.source)
        .join(ThemeRow, ThemeRow.id == StoryThemeRow.theme_id)
        .where(ThemeRow.workshop_id == workshop_id)
        .order_by(StoryThemeRow.score.desc().nulls_last(), StoryThemeRow.story_id)
    ).all()
    members: dict[int, list[int]] = {t.id: [] for t in themes}
    manual: dict[int, list[int]] = {t.id: [] for t in themes}
    for theme_id, story_id, source in links:
        members[theme_id].append(story_id)
        if source == "manual":
            manual[theme_id].append(story_id)
    return [
        BoardTheme(
            id=t.id,
            label=t.label,
            pinned=t.pinned,
            origin=t.origin,
            position=t.position,
            method=t.method,
            centroid=tuple(t.centroid) if t.centroid else None,
            story_ids=tuple(members[t.id]),
            manual_story_ids=tuple(manual[t.id]),
        )
        for t in themes
    ]


def _theme(s: Session, workshop_id: int, theme_id: int) -> ThemeRow:
    row = s.get(ThemeRow, theme_id)
    if row is None or row.workshop_id != workshop_id:
        raise NotFoundError("That theme is no longer on the board.")
    return row


def _story(s: Session, workshop_id: int, story_id: int) -> StoryRow:
    row = s.get(StoryRow, story_id)
    if row is None or row.workshop_id != workshop_id:
        raise NotFoundError("That story is no longer in this workshop.")
    return row


def _next_position(s: Session, workshop_id: int) -> int:
    top = s.scalar(select(func.max(ThemeRow.position)).where(ThemeRow.workshop_id == workshop_id))
    return 0 if top is None else int(top) + 1


def _add_theme(s: Session, workshop_id: int, theme: NewTheme, position: int) -> ThemeRow:
    row = ThemeRow(
        workshop_id=workshop_id,
        label=clean_label(theme.label)[:MAX_LABEL_CHARS],
        origin=theme.origin,
        position=position,
        method=theme.method,
        centroid=list(theme.centroid) if theme.centroid else None,
    )
    s.add(row)
    s.flush()
    for i, story_id in enumerate(theme.story_ids):
        score = theme.scores[i] if i < len(theme.scores) else None
        s.add(StoryThemeRow(story_id=story_id, theme_id=row.id, source="auto", score=score))
    return row


def replace_auto_themes(
    engine: Engine,
    workshop_id: int,
    *,
    keep_theme_ids: Iterable[int],
    release_story_ids: Iterable[int],
    new_themes: Sequence[NewTheme],
) -> list[int]:
    """Swap the automatic part of the board for a fresh one, in one transaction.

    Themes not in ``keep_theme_ids`` are deleted with their assignments; the automatic
    assignments of ``release_story_ids`` are removed; ``new_themes`` are added after the kept
    ones. Returns the new themes' ids.
    """
    keep = set(keep_theme_ids)
    with write_session(engine) as s:
        existing = s.scalars(select(ThemeRow.id).where(ThemeRow.workshop_id == workshop_id)).all()
        drop = [theme_id for theme_id in existing if theme_id not in keep]
        if drop:
            s.execute(delete(StoryThemeRow).where(StoryThemeRow.theme_id.in_(drop)))
            s.execute(delete(ThemeRow).where(ThemeRow.id.in_(drop)))
        released = list(release_story_ids)
        if released:
            s.execute(delete(StoryThemeRow).where(StoryThemeRow.story_id.in_(released), StoryThemeRow.source == "auto"))
        position = _next_position(s, workshop_id)
        return [_add_theme(s, workshop_id, theme, position + i).id for i, theme in enumerate(new_themes)]


def place_stories(engine: Engine, workshop_id: int, placements: Mapping[int, tuple[int, float]]) -> int:
    """Put unassigned stories into themes automatically: story id -> (theme id, similarity).

    A story that gained a theme meanwhile (another tab, a facilitator's move) is left alone.
    Returns how many were placed.
    """
    placed = 0
    with write_session(engine) as s:
        for story_id, (theme_id, score) in placements.items():
            _theme(s, workshop_id, theme_id)
            _story(s, workshop_id, story_id)
            if s.get(StoryThemeRow, story_id) is not None:
                continue
            s.add(StoryThemeRow(story_id=story_id, theme_id=theme_id, source="auto", score=score))
            placed += 1
    return placed


def rename_theme(engine: Engine, workshop_id: int, theme_id: int, label: str) -> None:
    """Give a theme a name of the room's choosing (it becomes a manual theme)."""
    clean = clean_label(label)
    with write_session(engine) as s:
        row = _theme(s, workshop_id, theme_id)
        row.label = clean
        row.origin = "manual"
        row.updated_at = utcnow()


def set_pinned(engine: Engine, workshop_id: int, theme_id: int, pinned: bool) -> None:
    """Pin a theme (re-clustering keeps it and its stories as they are) or unpin it."""
    with write_session(engine) as s:
        row = _theme(s, workshop_id, theme_id)
        row.pinned = pinned
        row.updated_at = utcnow()


def create_theme(engine: Engine, workshop_id: int, label: str) -> int:
    """Add an empty theme by hand at the end of the board; returns its id."""
    with write_session(engine) as s:
        return _add_theme(
            s, workshop_id, NewTheme(label=label, story_ids=(), origin="manual"), _next_position(s, workshop_id)
        ).id


def move_story(engine: Engine, workshop_id: int, story_id: int, theme_id: int) -> None:
    """Move a story to a theme by hand: re-clustering will never move it again."""
    with write_session(engine) as s:
        _story(s, workshop_id, story_id)
        _theme(s, workshop_id, theme_id)
        link = s.get(StoryThemeRow, story_id)
        if link is None:
            s.add(StoryThemeRow(story_id=story_id, theme_id=theme_id, source="manual"))
        else:
            link.theme_id = theme_id
            link.source = "manual"
            link.score = None


def merge_themes(engine: Engine, workshop_id: int, keep_id: int, other_id: int) -> None:
    """Move every story of ``other_id`` into ``keep_id`` and remove ``other_id``.

    Stories keep their source: a story moved by hand stays manual; the merged theme becomes
    a manual theme, since the room made it.
    """
    if keep_id == other_id:
        raise ValidationFailed("Choose two different themes to merge.")
    with write_session(engine) as s:
        keep = _theme(s, workshop_id, keep_id)
        other = _theme(s, workshop_id, other_id)
        for link in s.scalars(select(StoryThemeRow).where(StoryThemeRow.theme_id == other.id)).all():
            link.theme_id = keep.id
        keep.origin = "manual"
        keep.pinned = keep.pinned or other.pinned
        keep.updated_at = utcnow()
        s.flush()
        s.delete(other)


def split_theme(engine: Engine, workshop_id: int, theme_id: int, *, moved_story_ids: Sequence[int], label: str) -> int:
    """Move some of a theme's stories into a new theme beside it; returns the new theme's id."""
    with write_session(engine) as s:
        source = _theme(s, workshop_id, theme_id)
        new = ThemeRow(
            workshop_id=workshop_id,
            label=clean_label(label),
            origin="manual",
            position=source.position,
            method=source.method,
        )
        s.add(new)
        s.flush()
        source.origin = "manual"
        for link in s.scalars(
            select(StoryThemeRow).where(
                StoryThemeRow.theme_id == source.id, StoryThemeRow.story_id.in_(list(moved_story_ids))
            )
        ).all():
            link.theme_id = new.id
        return new.id


def delete_theme(engine: Engine, workshop_id: int, theme_id: int) -> None:
    """Remove a theme; its stories become unplaced (they are not deleted)."""
    with write_session(engine) as s:
        s.delete(_theme(s, workshop_id, theme_id))
