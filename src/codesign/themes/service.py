"""The theme board's use cases: find themes, place late stories, split a theme, and the room's edits.

Pure rules live in themes.board and the pipeline; only this module talks to storage."""

from __future__ import annotations

from collections import Counter

import numpy as np
from sqlalchemy import Engine

from codesign.errors import ValidationFailed
from codesign.models import NewTheme, Story, Workshop
from codesign.storage import themes as repo
from codesign.storage.stories import list_stories
from codesign.storage.workshops import list_lenses, list_stages
from codesign.themes.board import BoardRun, ThemeSummary, quotable, quote_consents, summarise_board
from codesign.themes.embedding import load_static_model
from codesign.themes.methods import DEFAULT_METHOD, kmeans_groups
from codesign.themes.pipeline import Progress, cluster_stories


def find_themes(
    engine: Engine,
    workshop: Workshop,
    *,
    k: int | None = None,
    method: str = DEFAULT_METHOD,
    seed: int = 0,
    progress: Progress | None = None,
) -> BoardRun:
    """Group the workshop's approved stories into themes, keeping every manual decision.

    Args:
        engine: The database.
        workshop: The workshop.
        k: The total number of themes wanted on the board (kept ones included); None to choose.
        method: A registered method name.
        seed: Seeds the grouping: the same stories give the same themes.
        progress: Called with a fraction done and a note.

    Returns:
        What was kept and what was grouped.
    """
    stories = list_stories(engine, workshop.id, statuses=["approved"])
    board = repo.list_board(engine, workshop.id)
    kept = [t for t in board if t.is_manual]
    fixed: set[int] = set()
    for theme in kept:
        fixed.update(theme.story_ids if theme.pinned else theme.manual_story_ids)
    free = [s for s in stories if s.id not in fixed]
    if not stories:
        return BoardRun(None, len(kept), 0, 0, "There are no approved stories yet: approve some on Moderation first.")
    if not free:
        return BoardRun(
            None, len(kept), len(fixed), 0, "Every story is already in a pinned theme or was placed by hand."
        )
    wanted = None if k is None else max(1, k - len(kept))
    consents = quote_consents(workshop)
    result = cluster_stories(
        [s.text for s in free],
        k=wanted,
        method=method,
        seed=seed,
        quotable=[quotable(s, consents) for s in free],
        progress=progress,
    )
    new_themes = []
    vectors = load_static_model().encode([s.text for s in free])
    for found in result.themes:
        ids = tuple(free[i].id for i in found.members)
        centroid = np.asarray(found.centroid, dtype=np.float32)
        scores = tuple(round(float(vectors[i] @ centroid), 4) for i in found.members)
        new_themes.append(
            NewTheme(label=found.label, story_ids=ids, method=result.method, centroid=found.centroid, scores=scores)
        )
    repo.replace_auto_themes(
        engine,
        workshop.id,
        keep_theme_ids=[t.id for t in kept],
        release_story_ids=[s.id for s in free],
        new_themes=new_themes,
    )
    notes = [result.message] if result.message else []
    if kept:
        notes.append(f"Kept {len(kept)} themes made or changed by hand and {len(fixed)} stories placed by hand.")
    return BoardRun(result, len(kept), len(fixed), len(free), " ".join(notes))


def place_new_stories(engine: Engine, workshop: Workshop) -> int:
    """Put approved stories that have no theme yet into the nearest theme, automatically.

    The board is not reshuffled: only the new stories move. Nearness is cosine similarity to
    the mean of each theme's current stories (or, for a theme without stories, the centre it
    was found with). Returns how many stories were placed.
    """
    board = repo.list_board(engine, workshop.id)
    if not board:
        return 0
    stories = list_stories(engine, workshop.id, statuses=["approved"])
    placed_ids = {story_id for theme in board for story_id in theme.story_ids}
    waiting = [s for s in stories if s.id not in placed_ids]
    if not waiting:
        return 0
    by_id = {s.id: s for s in stories}
    model = load_static_model()
    centres: list[np.ndarray] = []
    targets: list[int] = []
    for theme in board:
        texts = [by_id[i].text for i in theme.story_ids if i in by_id]
        if texts:
            centre = model.encode(texts).mean(axis=0)
        elif theme.centroid and len(theme.centroid) == model.dim:
            centre = np.asarray(theme.centroid, dtype=np.float32)
        else:
            continue
        norm = float(np.linalg.norm(centre))
        if norm > 0:
            centres.append(centre / norm)
            targets.append(theme.id)
    if not centres:
        return 0
    similarity = model.encode([s.text for s in waiting]) @ np.vstack(centres).T
    best = similarity.argmax(axis=1)
    placements = {
        story.id: (targets[int(b)], round(float(similarity[i, b]), 4))
        for i, (story, b) in enumerate(zip(waiting, best, strict=True))
    }
    return repo.place_stories(engine, workshop.id, placements)


def split_theme(engine: Engine, workshop: Workshop, theme_id: int, *, seed: int = 0) -> int:
    """Split a theme in two by its stories' meaning; returns the new theme's id.

    Raises:
        ValidationFailed: If the theme has fewer than two stories.
    """
    board = {t.id: t for t in repo.list_board(engine, workshop.id)}
    theme = board.get(theme_id)
    if theme is None or theme.size < 2:
        raise ValidationFailed("A theme needs at least two stories to split.")
    by_id = {s.id: s for s in list_stories(engine, workshop.id)}
    ids = [i for i in theme.story_ids if i in by_id]
    texts = [by_id[i].text for i in ids]
    groups = kmeans_groups(load_static_model().encode(texts), 2, seed) if len(set(texts)) > 1 else None
    if groups is None or len(set(groups.tolist())) < 2:
        # Identical stories cannot be told apart: split the list in half instead.
        groups = np.asarray([0 if i < len(ids) / 2 else 1 for i in range(len(ids))])
    minority = Counter(groups.tolist()).most_common()[-1][0]
    moved = [story_id for story_id, g in zip(ids, groups.tolist(), strict=True) if g == minority]
    label = cluster_stories([by_id[i].text for i in moved], k=1).themes[0].label
    label = label if label.lower() != theme.label.lower() else f"{theme.label} (2)"
    return repo.split_theme(engine, workshop.id, theme_id, moved_story_ids=moved, label=label)


# The room's edits on the board: each is one short transaction in storage, marked as made
# by hand so that a re-run never overwrites it.
MAX_LABEL_CHARS = repo.MAX_LABEL_CHARS
list_board = repo.list_board
rename_theme = repo.rename_theme
merge_themes = repo.merge_themes
move_story = repo.move_story
create_theme = repo.create_theme
set_pinned = repo.set_pinned
delete_theme = repo.delete_theme


def approved_stories(engine: Engine, workshop_id: int) -> list[Story]:
    """The approved stories of a workshop, the ones the board may hold."""
    return list_stories(engine, workshop_id, statuses=["approved"])


def board_summaries(engine: Engine, workshop: Workshop) -> list[ThemeSummary]:
    """Every theme on the board with its size, lens mix, stages and quotes (within consent)."""
    board = repo.list_board(engine, workshop.id)
    stories = approved_stories(engine, workshop.id)
    return summarise_board(
        board, stories, list_stages(engine, workshop.id), list_lenses(engine, workshop.id), quote_consents(workshop)
    )
