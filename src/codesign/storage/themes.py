"""Repository functions for the theme board: themes and which story sits in which.

Manual decisions are marked where they are stored: a theme made, renamed, merged, split,
pinned or given a story by hand has origin "manual" (or is pinned), and a story moved by hand
has source "manual". Re-clustering (``codesign.themes.service``) reads these marks and never
overwrites them.

Every change records the board as it was before it in the shared history (board "themes"),
inside the change's own transaction, so "Undo" can take changes back one by one across reloads.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from sqlalchemy import Engine, delete, func, select
from sqlalchemy.orm import Session

from codesign.errors import NotFoundError, ValidationFailed
from codesign.models import BoardTheme, NewTheme
from codesign.storage import history
from codesign.storage.db import read_session, write_session
from codesign.storage.schema import StoryRow, StoryThemeRow, ThemeRow, utcnow

MAX_LABEL_CHARS = 120
MAX_INSIGHT_CHARS = 600
BOARD = "themes"


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
            key_phrases=t.description,
            insight=t.insight,
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


def _free_label(s: Session, workshop_id: int, label: str, *, except_id: int | None = None) -> str:
    """``label`` cleaned, if no other theme of the workshop has it (letter case aside)."""
    clean = clean_label(label)
    taken = s.scalars(
        select(ThemeRow.label).where(ThemeRow.workshop_id == workshop_id, ThemeRow.id != (except_id or -1))
    )
    if clean.casefold() in {t.casefold() for t in taken}:
        raise ValidationFailed(f"There is already a theme called “{clean}”: choose another name, or merge the two.")
    return clean


def _add_theme(s: Session, workshop_id: int, theme: NewTheme, position: int) -> ThemeRow:
    row = ThemeRow(
        workshop_id=workshop_id,
        label=_free_label(s, workshop_id, theme.label),
        origin=theme.origin,
        position=position,
        method=theme.method,
        centroid=list(theme.centroid) if theme.centroid else None,
        description=theme.key_phrases,
    )
    s.add(row)
    s.flush()
    for i, story_id in enumerate(theme.story_ids):
        score = theme.scores[i] if i < len(theme.scores) else None
        s.add(StoryThemeRow(story_id=story_id, theme_id=row.id, source="auto", score=score))
    return row


# History: a snapshot holds ids, labels and marks (never a story's text) -----------------


def _snapshot(s: Session, workshop_id: int) -> dict[str, Any]:
    return {
        "themes": [
            {
                "id": t.id,
                "label": t.label,
                "pinned": t.pinned,
                "origin": t.origin,
                "position": t.position,
                "method": t.method,
                "key_phrases": t.key_phrases,
                "insight": t.insight,
                # Most typical first, as the board shows them; manual ones are listed apart.
                "story_ids": list(t.story_ids),
                "manual_story_ids": list(t.manual_story_ids),
            }
            for t in _board(s, workshop_id)
        ]
    }


def _record(s: Session, workshop_id: int, summary: str) -> None:
    history.record(s, workshop_id, BOARD, _snapshot(s, workshop_id), summary=summary)


def _restore(s: Session, workshop_id: int, snapshot: Mapping[str, Any]) -> None:
    """Put the board back as ``snapshot`` has it (stories since withdrawn stay gone)."""
    current = {row.id: row for row in s.scalars(select(ThemeRow).where(ThemeRow.workshop_id == workshop_id)).all()}
    if current:
        s.execute(delete(StoryThemeRow).where(StoryThemeRow.theme_id.in_(list(current))))
    wanted = list(snapshot.get("themes") or [])
    keep_ids = {int(t["id"]) for t in wanted}
    for theme_id, row in current.items():
        if theme_id not in keep_ids:
            s.delete(row)
    s.flush()
    alive = set(s.scalars(select(StoryRow.id).where(StoryRow.workshop_id == workshop_id)).all())
    for item in wanted:
        theme_id = int(item["id"])
        found = current.get(theme_id)
        if found is None:
            row = ThemeRow(workshop_id=workshop_id, label=str(item["label"]))
            # The same id again, so screens that remember a theme find it; a new one if it was reused.
            if s.get(ThemeRow, theme_id) is None:
                row.id = theme_id
            s.add(row)
        else:
            row = found
        row.label = str(item["label"])
        row.pinned = bool(item.get("pinned"))
        row.origin = str(item.get("origin") or "auto")
        row.position = int(item.get("position") or 0)
        row.method = item.get("method")
        row.description = str(item.get("key_phrases") or "")
        row.insight = str(item.get("insight") or "")
        row.updated_at = utcnow()
        s.flush()
        manual = {int(i) for i in item.get("manual_story_ids") or []}
        ordered = [int(i) for i in item.get("story_ids") or []]
        for rank, story_id in enumerate(ordered):
            if story_id not in alive:
                continue
            auto = story_id not in manual
            s.add(
                StoryThemeRow(
                    story_id=story_id,
                    theme_id=row.id,
                    source="auto" if auto else "manual",
                    score=round(1.0 - rank / (len(ordered) + 1), 4) if auto else None,
                )
            )
    s.flush()


def undo(engine: Engine, workshop_id: int) -> str | None:
    """Take back the newest recorded change of the board; returns what it was, or None if none is left."""
    with write_session(engine) as s:
        entry = history.take_back(s, workshop_id, BOARD)
        if entry is None:
            return None
        _restore(s, workshop_id, entry.snapshot)
        return entry.summary


def changes_left(engine: Engine, workshop_id: int) -> int:
    """How many recorded changes Undo can still take back."""
    return history.count_history(engine, workshop_id, BOARD)


def last_change(engine: Engine, workshop_id: int) -> str | None:
    """What Undo would take back next, in words."""
    entries = history.list_history(engine, workshop_id, BOARD, limit=1)
    return entries[0].summary if entries else None


# Changes ----------------------------------------------------------------------------------


def replace_auto_themes(
    engine: Engine,
    workshop_id: int,
    *,
    keep_theme_ids: Iterable[int],
    release_story_ids: Iterable[int],
    new_themes: Sequence[NewTheme],
    summary: str = "Found themes",
) -> list[int]:
    """Swap the automatic part of the board for a fresh one, in one transaction.

    Themes not in ``keep_theme_ids`` are deleted with their assignments; the automatic
    assignments of ``release_story_ids`` are removed; ``new_themes`` are added after the kept
    ones. Returns the new themes' ids.
    """
    keep = set(keep_theme_ids)
    with write_session(engine) as s:
        _record(s, workshop_id, summary)
        existing = s.scalars(select(ThemeRow.id).where(ThemeRow.workshop_id == workshop_id)).all()
        drop = [theme_id for theme_id in existing if theme_id not in keep]
        if drop:
            s.execute(delete(StoryThemeRow).where(StoryThemeRow.theme_id.in_(drop)))
            s.execute(delete(ThemeRow).where(ThemeRow.id.in_(drop)))
        released = list(release_story_ids)
        if released:
            s.execute(
                delete(StoryThemeRow).where(
                    StoryThemeRow.story_id.in_(released),
                    StoryThemeRow.source == "auto",
                    StoryThemeRow.theme_id.not_in(list(keep) or [-1]),
                )
            )
        s.flush()
        position = _next_position(s, workshop_id)
        return [_add_theme(s, workshop_id, theme, position + i).id for i, theme in enumerate(new_themes)]


def place_stories(engine: Engine, workshop_id: int, placements: Mapping[int, int]) -> int:
    """Accept suggestions: put unplaced stories into themes by hand (story id -> theme id).

    A story that gained a theme meanwhile (another tab, a facilitator's move) is left alone.
    Each theme that receives a story becomes the room's. Returns how many were placed.
    """
    placed = 0
    with write_session(engine) as s:
        _record(s, workshop_id, f"Accepted {len(placements)} suggested place{'s' if len(placements) != 1 else ''}")
        for story_id, theme_id in placements.items():
            theme = _theme(s, workshop_id, theme_id)
            _story(s, workshop_id, story_id)
            if s.get(StoryThemeRow, story_id) is not None:
                continue
            s.add(StoryThemeRow(story_id=story_id, theme_id=theme_id, source="manual"))
            theme.origin = "manual"
            placed += 1
    return placed


def rename_theme(engine: Engine, workshop_id: int, theme_id: int, label: str) -> None:
    """Give a theme a name of the room's choosing (it becomes a manual theme).

    Raises:
        ValidationFailed: If the name is empty, too long, or another theme has it.
    """
    with write_session(engine) as s:
        row = _theme(s, workshop_id, theme_id)
        clean = _free_label(s, workshop_id, label, except_id=theme_id)
        _record(s, workshop_id, f"Renamed “{row.label}” to “{clean}”")
        row.label = clean
        row.origin = "manual"
        row.updated_at = utcnow()


def set_insight(engine: Engine, workshop_id: int, theme_id: int, insight: str) -> None:
    """Write (or clear, with "") the room's insight statement for a theme; the theme becomes the room's.

    Raises:
        ValidationFailed: If it is longer than ``MAX_INSIGHT_CHARS`` (nothing is stored then).
    """
    text = " ".join(str(insight).split())
    if len(text) > MAX_INSIGHT_CHARS:
        raise ValidationFailed(
            f"Keep the insight to {MAX_INSIGHT_CHARS} characters or fewer: it has {len(text)}. "
            "Your text is still in the box."
        )
    with write_session(engine) as s:
        row = _theme(s, workshop_id, theme_id)
        if text == row.insight:
            return
        _record(s, workshop_id, f"{'Wrote the insight for' if text else 'Cleared the insight of'} “{row.label}”")
        row.insight = text
        row.origin = "manual"
        row.updated_at = utcnow()


def set_pinned(engine: Engine, workshop_id: int, theme_id: int, pinned: bool) -> None:
    """Pin a theme (re-clustering keeps it and its stories as they are) or unpin it."""
    with write_session(engine) as s:
        row = _theme(s, workshop_id, theme_id)
        _record(s, workshop_id, f"{'Pinned' if pinned else 'Unpinned'} “{row.label}”")
        row.pinned = pinned
        row.updated_at = utcnow()


def create_theme(engine: Engine, workshop_id: int, label: str) -> int:
    """Add an empty theme by hand at the end of the board; returns its id."""
    with write_session(engine) as s:
        clean = _free_label(s, workshop_id, label)
        _record(s, workshop_id, f"Created “{clean}”")
        return _add_theme(
            s, workshop_id, NewTheme(label=clean, story_ids=(), origin="manual"), _next_position(s, workshop_id)
        ).id


def move_story(engine: Engine, workshop_id: int, story_id: int, theme_id: int | None) -> None:
    """Move a story to a theme by hand (re-clustering will never move it again), or out of
    every theme with ``theme_id`` None. A theme that receives a story becomes the room's."""
    move_stories(engine, workshop_id, {story_id: theme_id})


def move_stories(engine: Engine, workshop_id: int, moves: Mapping[int, int | None]) -> None:
    """Several moves by hand in one change (one drag on the board can move more than one card)."""
    if not moves:
        return
    with write_session(engine) as s:
        targets = {tid: _theme(s, workshop_id, tid) for tid in set(moves.values()) if tid is not None}
        for story_id in moves:
            _story(s, workshop_id, story_id)
        if len(moves) == 1:
            target = next(iter(moves.values()))
            where = f"to “{targets[target].label}”" if target is not None else "out of its theme"
            summary = f"Moved a story {where}"
        else:
            summary = f"Moved {len(moves)} stories"
        _record(s, workshop_id, summary)
        for story_id, theme_id in moves.items():
            link = s.get(StoryThemeRow, story_id)
            if theme_id is None:
                if link is not None:
                    s.delete(link)
                continue
            if link is None:
                s.add(StoryThemeRow(story_id=story_id, theme_id=theme_id, source="manual"))
            else:
                link.theme_id = theme_id
                link.source = "manual"
                link.score = None
            targets[theme_id].origin = "manual"
            targets[theme_id].updated_at = utcnow()


def merge_themes(engine: Engine, workshop_id: int, keep_id: int, other_id: int) -> None:
    """Move every story of ``other_id`` into ``keep_id`` and remove ``other_id``.

    Stories keep their source: a story moved by hand stays manual; the merged theme becomes
    a manual theme, since the room made it, and keeps every story of both.
    """
    if keep_id == other_id:
        raise ValidationFailed("Choose two different themes to merge.")
    with write_session(engine) as s:
        keep = _theme(s, workshop_id, keep_id)
        other = _theme(s, workshop_id, other_id)
        _record(s, workshop_id, f"Merged “{other.label}” into “{keep.label}”")
        for link in s.scalars(select(StoryThemeRow).where(StoryThemeRow.theme_id == other.id)).all():
            link.theme_id = keep.id
        keep.origin = "manual"
        keep.pinned = keep.pinned or other.pinned
        # Both insights are the room's words: the merged theme keeps each of them.
        keep.insight = " ".join(dict.fromkeys(t for t in (keep.insight, other.insight) if t))
        keep.updated_at = utcnow()
        s.flush()
        s.delete(other)


def split_theme(engine: Engine, workshop_id: int, theme_id: int, *, moved_story_ids: Sequence[int], label: str) -> int:
    """Move some of a theme's stories into a new theme beside it; returns the new theme's id.

    Both halves are the room's: a re-run keeps each with exactly its stories.
    """
    with write_session(engine) as s:
        source = _theme(s, workshop_id, theme_id)
        clean = _free_label(s, workshop_id, label)
        _record(s, workshop_id, f"Split “{source.label}” in two")
        # The new half sits right after the old one: shift the themes behind it along.
        for row in s.scalars(
            select(ThemeRow).where(ThemeRow.workshop_id == workshop_id, ThemeRow.position > source.position)
        ).all():
            row.position += 1
        new = ThemeRow(
            workshop_id=workshop_id,
            label=clean,
            origin="manual",
            pinned=source.pinned,
            position=source.position + 1,
            method=source.method,
        )
        s.add(new)
        s.flush()
        source.origin = "manual"
        source.updated_at = utcnow()
        for link in s.scalars(
            select(StoryThemeRow).where(
                StoryThemeRow.theme_id == source.id, StoryThemeRow.story_id.in_(list(moved_story_ids))
            )
        ).all():
            link.theme_id = new.id
        return new.id


def reorder_themes(engine: Engine, workshop_id: int, theme_ids: Sequence[int]) -> None:
    """Put the board's themes in the given order (themes not named keep their place after them)."""
    with write_session(engine) as s:
        rows = s.scalars(
            select(ThemeRow).where(ThemeRow.workshop_id == workshop_id).order_by(ThemeRow.position, ThemeRow.id)
        ).all()
        by_id = {row.id: row for row in rows}
        order = [by_id[i] for i in dict.fromkeys(theme_ids) if i in by_id]
        order += [row for row in rows if row not in order]
        if [row.id for row in order] == [row.id for row in rows]:
            return
        _record(s, workshop_id, "Reordered the themes")
        for position, row in enumerate(order):
            row.position = position


def delete_theme(engine: Engine, workshop_id: int, theme_id: int) -> None:
    """Remove a theme; its stories become unplaced (they are not deleted)."""
    with write_session(engine) as s:
        row = _theme(s, workshop_id, theme_id)
        _record(s, workshop_id, f"Deleted “{row.label}”")
        s.execute(delete(StoryThemeRow).where(StoryThemeRow.theme_id == theme_id))
        s.delete(row)
