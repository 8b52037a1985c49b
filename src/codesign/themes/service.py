"""The theme board's use cases: find themes, suggest places for late stories, split, undo, the room's edits.

Pure rules live in themes.board and the pipeline; only this module talks to storage."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence

import numpy as np
from sqlalchemy import Engine

from codesign import workshops
from codesign.errors import CodesignError, ValidationFailed
from codesign.models import NewTheme, Story, Workshop
from codesign.storage import themes as repo
from codesign.storage.stories import list_stories
from codesign.storage.workshops import list_lenses, list_stages
from codesign.themes.board import (
    UNPLACED_KEY,
    BoardColumn,
    BoardRun,
    ThemeSummary,
    board_moves,
    fixed_story_ids,
    kept_themes,
    quotable,
    quote_consents,
    stories_phrase,
    summarise_board,
    themes_to_find,
    unique_label,
)
from codesign.themes.board import (
    board_columns as columns_of,
)
from codesign.themes.embedding import load_static_model
from codesign.themes.labels import kit_glossary
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
    """Group the stories no person has placed into new automatic themes; keep the room's work.

    Every theme a person made, renamed, merged, split, pinned or moved a story into keeps
    exactly its stories; the automatic themes of the last run are replaced.

    Args:
        engine: The database.
        workshop: The workshop.
        k: The number of themes wanted on the board in all: the room's themes that hold
            stories count towards it, empty ones do not. None to let the tool choose.
        method: A registered method name.
        seed: Seeds the grouping: the same stories give the same themes.
        progress: Called with a fraction done and a note.

    Returns:
        What was kept and what was grouped.
    """
    stories = list_stories(engine, workshop.id, statuses=["approved"])
    board = repo.list_board(engine, workshop.id)
    kept = kept_themes(board)
    fixed = fixed_story_ids(board)
    free = [s for s in stories if s.id not in fixed]
    if not stories:
        return BoardRun(None, len(kept), 0, 0, "There are no approved stories yet: approve some on Moderation first.")
    if not free:
        return BoardRun(None, len(kept), len(fixed), 0, "Every story is already in a theme the room made or kept.")
    wanted = themes_to_find(k, board)
    consents = quote_consents(workshop)
    taken = [t.label for t in kept]
    result = cluster_stories(
        [s.text for s in free],
        k=wanted,
        method=method,
        seed=seed,
        quotable=[quotable(s, consents) for s in free],
        progress=progress,
        taken_labels=taken,
        glossary=glossary_of(engine, workshop),
    )
    new_themes = []
    vectors = load_static_model().encode([s.text for s in free])
    for found in result.themes:
        ids = tuple(free[i].id for i in found.members)
        centroid = np.asarray(found.centroid, dtype=np.float32)
        scores = tuple(round(float(vectors[i] @ centroid), 4) for i in found.members)
        label = unique_label(found.label, taken)
        taken.append(label)
        new_themes.append(
            NewTheme(
                label=label,
                story_ids=ids,
                method=result.method,
                centroid=found.centroid,
                scores=scores,
                key_phrases=", ".join(p for p in found.key_phrases if p.casefold() not in label.casefold())[:500],
            )
        )
    repo.replace_auto_themes(
        engine,
        workshop.id,
        keep_theme_ids=[t.id for t in kept],
        release_story_ids=[s.id for s in free],
        new_themes=new_themes,
        summary=f"Found {stories_phrase(len(free))} in {len(new_themes)} new themes",
    )
    notes = [result.message] if result.message else []
    if kept:
        notes.append(
            f"Kept {len(kept)} of the room's themes exactly as they were, with their {stories_phrase(len(fixed))}; "
            f"grouped the other {stories_phrase(len(free))} into {len(new_themes)} new themes."
        )
    else:
        notes.append(f"Grouped {stories_phrase(len(free))} into {len(new_themes)} themes.")
    if k is not None and wanted is not None and k - wanted < sum(1 for t in kept if t.size):
        notes.append(f"The room's themes already make {k} or more, so one new theme holds the rest.")
    return BoardRun(result, len(kept), len(fixed), len(free), " ".join(notes))


def glossary_of(engine: Engine, workshop: Workshop) -> dict[str, str]:
    """Acronyms of the workshop's kit and what they stand for, to spell them out in labels."""
    try:
        kit = workshops.kit_of(engine, workshop)
    except CodesignError:
        return {}
    return kit_glossary(kit.vocabulary, [(s.name, tuple(s.aliases)) for s in kit.stakeholders])


def suggest_places(engine: Engine, workshop: Workshop) -> dict[int, int]:
    """For each approved story in no theme, the theme it sits nearest to (story id -> theme id).

    Nothing is written: a person accepts a suggestion (``accept_suggestions``) or drags the
    card. Nearness is cosine similarity to the mean of each theme's stories (or, for a theme
    without stories, the centre it was found with).
    """
    board = repo.list_board(engine, workshop.id)
    if not board:
        return {}
    stories = list_stories(engine, workshop.id, statuses=["approved"])
    placed_ids = {story_id for theme in board for story_id in theme.story_ids}
    waiting = [s for s in stories if s.id not in placed_ids]
    if not waiting:
        return {}
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
        return {}
    similarity = model.encode([s.text for s in waiting]) @ np.vstack(centres).T
    best = similarity.argmax(axis=1)
    return {story.id: targets[int(b)] for story, b in zip(waiting, best, strict=True)}


def accept_suggestions(engine: Engine, workshop_id: int, placements: Mapping[int, int]) -> int:
    """Put stories where a person accepted they belong (story id -> theme id); returns how many."""
    if not placements:
        return 0
    return repo.place_stories(engine, workshop_id, placements)


def split_theme(engine: Engine, workshop: Workshop, theme_id: int, *, seed: int = 0) -> int:
    """Split a theme in two by its stories' meaning; returns the new theme's id.

    Raises:
        ValidationFailed: If the theme has fewer than two stories.
    """
    board = repo.list_board(engine, workshop.id)
    theme = next((t for t in board if t.id == theme_id), None)
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
    found = cluster_stories(
        [by_id[i].text for i in moved],
        k=1,
        taken_labels=[t.label for t in board],
        glossary=glossary_of(engine, workshop),
    )
    label = unique_label(found.themes[0].label, [t.label for t in board])
    return repo.split_theme(engine, workshop.id, theme_id, moved_story_ids=moved, label=label)


def move_story(engine: Engine, workshop_id: int, story_id: int, theme_id: int | None) -> None:
    """Move a story by hand (to another theme, or out of every theme with None)."""
    repo.move_stories(engine, workshop_id, {story_id: theme_id})


def apply_board_drag(
    engine: Engine, workshop_id: int, before: Mapping[str, Sequence[int]], after: Mapping[str, Sequence[int]]
) -> int:
    """Save what a drag on the board did: columns are keyed by theme id (as text) or ``UNPLACED_KEY``.

    Returns how many stories moved.
    """
    moves = board_moves(before, after)
    if not moves:
        return 0
    repo.move_stories(
        engine, workshop_id, {sid: (None if key == UNPLACED_KEY else int(key)) for sid, key in moves.items()}
    )
    return len(moves)


# The room's edits on the board: each is one short transaction in storage, marked as made
# by hand so that a re-run never overwrites it.
MAX_LABEL_CHARS = repo.MAX_LABEL_CHARS
MAX_INSIGHT_CHARS = repo.MAX_INSIGHT_CHARS
list_board = repo.list_board
rename_theme = repo.rename_theme
merge_themes = repo.merge_themes
move_stories = repo.move_stories
create_theme = repo.create_theme
set_pinned = repo.set_pinned
set_insight = repo.set_insight
delete_theme = repo.delete_theme
reorder_themes = repo.reorder_themes
undo = repo.undo
changes_left = repo.changes_left
last_change = repo.last_change


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


def board_columns(engine: Engine, workshop: Workshop) -> list[BoardColumn]:
    """The board as columns of story cards (quotes only within the wall's consent)."""
    return columns_of(
        repo.list_board(engine, workshop.id),
        approved_stories(engine, workshop.id),
        quote_consents(workshop),
        list_lenses(engine, workshop.id),
        list_stages(engine, workshop.id),
    )
