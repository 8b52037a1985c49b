"""The theme board of a workshop: find themes, place late stories, split, summarise.

The room stays in charge. Re-running "Find themes" keeps pinned themes with all their
stories, themes made or renamed by hand, and every story moved by hand; it only groups the
rest. A story approved later goes to the nearest existing theme without reshuffling.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from sqlalchemy import Engine

from codesign.errors import ValidationFailed
from codesign.models import Lens, Stage, Story, Workshop
from codesign.storage import themes as repo
from codesign.storage.stories import list_stories
from codesign.storage.themes import BoardTheme, NewTheme
from codesign.themes.embedding import load_static_model
from codesign.themes.methods import DEFAULT_METHOD, kmeans_groups
from codesign.themes.pipeline import Progress, ThemeClustering, cluster_stories


@dataclass(frozen=True)
class BoardRun:
    """What one press of "Find themes" did."""

    clustering: ThemeClustering | None
    """None when there was nothing left to group."""
    kept_themes: int
    fixed_stories: int
    grouped_stories: int
    message: str


@dataclass(frozen=True)
class ThemeSummary:
    """One theme as the screens, the wall and the report show it."""

    theme: BoardTheme
    size: int
    lens_shares: dict[str, float]
    """Lens name -> share of the theme's stories (0..1)."""
    mean_emotion: float | None
    stages: tuple[str, ...]
    """Names of the journey stages its stories touch, in journey order."""
    quotes: tuple[str, ...]
    """Up to three texts that consent allows quoting, most typical first."""
    stories: tuple[Story, ...]
    """Every story in it, for provenance (show as plain text)."""


def quotable(story: Story, consents: Sequence[str]) -> bool:
    """Whether a story may be quoted: approved, consent allows it, and no unreviewed risk flag."""
    return story.moderation_status == "approved" and story.consent in consents and not story.is_flagged


def quote_consents(workshop: Workshop) -> list[str]:
    """Consent tiers whose stories the workshop may quote on screen (the wall's setting)."""
    return list(workshop.setting("wall_consents") or [])


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


def summarise_board(
    board: Sequence[BoardTheme],
    stories: Sequence[Story],
    stages: Sequence[Stage],
    lenses: Sequence[Lens],
    consents: Sequence[str],
) -> list[ThemeSummary]:
    """Size, lens shares, mean emotion, stages touched and quotes for each theme."""
    by_id = {s.id: s for s in stories}
    lens_names = {lens.key: lens.name for lens in lenses}
    stage_order = {stage.key: (stage.position, stage.name) for stage in stages}
    summaries = []
    for theme in board:
        members = tuple(by_id[i] for i in theme.story_ids if i in by_id)
        size = len(members)
        lens_counts = Counter(lens_names.get(s.lens_key or "", "Not said") for s in members)
        emotions = [s.emotion for s in members if s.emotion is not None]
        stage_keys = {s.stage_key for s in members if s.stage_key in stage_order}
        stage_names = tuple(stage_order[k][1] for k in sorted(stage_keys, key=lambda k: stage_order[k][0]))
        quotes = tuple(s.text for s in members if quotable(s, consents))[:3]
        summaries.append(
            ThemeSummary(
                theme=theme,
                size=size,
                lens_shares={name: count / size for name, count in lens_counts.most_common()} if size else {},
                mean_emotion=round(sum(emotions) / len(emotions), 2) if emotions else None,
                stages=stage_names,
                quotes=quotes,
                stories=members,
            )
        )
    return summaries


def unplaced_stories(board: Sequence[BoardTheme], stories: Sequence[Story]) -> list[Story]:
    """Stories that sit in no theme."""
    placed = {i for theme in board for i in theme.story_ids}
    return [s for s in stories if s.id not in placed]
