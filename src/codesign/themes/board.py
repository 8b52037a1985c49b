"""The theme board's rules: what a re-run keeps, unique labels, the cards, the summaries.

The room stays in charge. A theme a person made, renamed, merged, split, pinned or gave a
story by hand keeps exactly its stories through every re-run, and so does every story a person
moved; a re-run groups only the stories no person placed, into new automatic themes. A story
approved later is only *suggested* for its nearest theme until a person accepts.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
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


# The room's decisions ----------------------------------------------------------------------


def kept_themes(board: Sequence[BoardTheme]) -> list[BoardTheme]:
    """Themes a re-run keeps exactly as they are: made, renamed, merged, split, pinned or
    given a story by hand."""
    return [t for t in board if t.is_manual]


def fixed_story_ids(board: Sequence[BoardTheme]) -> set[int]:
    """Stories a person has placed: every story of a kept theme (moves by hand land in one)."""
    return {i for t in kept_themes(board) for i in t.story_ids}


def themes_to_find(k: int | None, board: Sequence[BoardTheme]) -> int | None:
    """How many new automatic themes a run asked for ``k`` themes in all should find.

    The room's themes with stories count towards ``k``; empty ones never do. At least one new
    theme is found whenever there are stories left to group.
    """
    if k is None:
        return None
    counted = sum(1 for t in kept_themes(board) if t.size)
    return max(1, k - counted)


def unique_label(label: str, taken: Iterable[str]) -> str:
    """``label``, or ``label (2)``, ``label (3)``… so that no two themes share a name (letter case aside)."""
    used = {t.casefold() for t in taken}
    if label.casefold() not in used:
        return label
    n = 2
    while f"{label} ({n})".casefold() in used:
        n += 1
    return f"{label} ({n})"


def numbered(position: int, label: str) -> str:
    """A theme's name as every screen shows it: its place on the board (from 1, empty themes
    counted) and its label, so "3." on the display is "3." on the Themes screen."""
    return f"{position}. {label}"


def stories_phrase(n: int) -> str:
    """ "1 story", "2 stories"."""
    return f"{n} story" if n == 1 else f"{n} stories"


# How clearly the themes separate, in words a facilitator can act on. Silhouettes of sentence
# vectors are small: on the benchmark sets a good grouping scores about 0.05 to 0.1.
SEPARATION_MEDIUM = 0.05
SEPARATION_HIGH = 0.12


def separation_words(quality: float | None) -> str:
    """ "low", "medium" or "high" for a silhouette; "not measured" for one theme."""
    if quality is None:
        return "not measured"
    if quality >= SEPARATION_HIGH:
        return "high"
    return "medium" if quality >= SEPARATION_MEDIUM else "low"


# The board's cards --------------------------------------------------------------------------

# One shape per lens, in kit order. A card of the drag-and-drop board is one line of plain
# text (the component takes strings), so the lens is told by a shape every font has (an emoji
# colour dot shows as an empty box on machines without an emoji font) and by its name.
LENS_MARKERS = ("●", "■", "▲", "◆", "★", "▼", "◐", "✚")
CARD_QUOTE_CHARS = 90
UNPLACED_KEY = "unplaced"


@dataclass(frozen=True)
class Card:
    """One story on the board, as a sticky note: short quote (within consent), lens, stage, feeling."""

    story_id: int
    text: str
    """The card's one line of plain text; unique on the board (it ends with the story's number)."""


def short_quote(text: str, limit: int = CARD_QUOTE_CHARS) -> str:
    clean = " ".join(text.split())
    if len(clean) <= limit:
        return clean
    cut = clean[: limit - 1].rsplit(" ", 1)[0]
    return cut + "…"


def card_for(
    story: Story,
    consents: Sequence[str],
    lenses: Sequence[Lens],
    stages: Sequence[Stage],
) -> Card:
    """The card of a story. A story whose consent does not allow quoting shows no words of it."""
    order = {lens.key: i for i, lens in enumerate(lenses)}
    lens_name = {lens.key: lens.name for lens in lenses}.get(story.lens_key or "", "lens not said")
    marker = LENS_MARKERS[order[story.lens_key] % len(LENS_MARKERS)] if story.lens_key in order else "○"
    stage_name = {stage.key: stage.name for stage in stages}.get(story.stage_key or "", "")
    words = f"“{short_quote(story.text)}”" if quotable(story, consents) else "(not to be quoted)"
    facts = [f"{marker} {lens_name}"]
    if stage_name:
        facts.append(stage_name)
    if story.emotion is not None:
        facts.append(f"feeling {story.emotion} of 5")
    return Card(story.id, f"{words}  —  {' · '.join(facts)}  ·  #{story.id}")


def story_id_of(card_text: str) -> int | None:
    """The story number a card's text ends with."""
    tail = card_text.rsplit("#", 1)
    return int(tail[1]) if len(tail) == 2 and tail[1].isdigit() else None


def board_moves(before: Mapping[str, Sequence[int]], after: Mapping[str, Sequence[int]]) -> dict[int, str]:
    """Which stories a drag put into another column: story id -> the column's key."""
    was = {story_id: key for key, ids in before.items() for story_id in ids}
    moves = {}
    for key, ids in after.items():
        for story_id in ids:
            if story_id in was and was[story_id] != key:
                moves[story_id] = key
    return moves


@dataclass(frozen=True)
class BoardColumn:
    """One column of the board: a theme (or the stories in none yet) and its cards."""

    key: str
    """The theme's id as text, or ``UNPLACED_KEY``."""
    theme: BoardTheme | None
    header: str
    cards: tuple[Card, ...]


def board_columns(
    board: Sequence[BoardTheme],
    stories: Sequence[Story],
    consents: Sequence[str],
    lenses: Sequence[Lens],
    stages: Sequence[Stage],
) -> list[BoardColumn]:
    """Every theme as a column of story cards, with the stories in no theme first (if any)."""
    by_id = {s.id: s for s in stories}
    columns = []
    loose = unplaced_stories(board, stories)
    if loose:
        columns.append(
            BoardColumn(
                UNPLACED_KEY,
                None,
                f"Not in a theme yet · {stories_phrase(len(loose))}",
                tuple(card_for(s, consents, lenses, stages) for s in loose),
            )
        )
    for position, theme in enumerate(board, start=1):
        members = [by_id[i] for i in theme.story_ids if i in by_id]
        mark = " · pinned" if theme.pinned else ""
        columns.append(
            BoardColumn(
                str(theme.id),
                theme,
                f"{numbered(position, theme.label)} · {stories_phrase(len(members))}{mark}",
                tuple(card_for(s, consents, lenses, stages) for s in members),
            )
        )
    return columns
