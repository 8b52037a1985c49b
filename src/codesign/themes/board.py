"""The theme board of a workshop: find themes, place late stories, split, summarise.

The room stays in charge. Re-running "Find themes" keeps pinned themes with all their
stories, themes made or renamed by hand, and every story moved by hand; it only groups the
rest. A story approved later goes to the nearest existing theme without reshuffling.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from codesign.models import BoardTheme, Lens, Stage, Story, Workshop
from codesign.themes.pipeline import ThemeClustering


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
