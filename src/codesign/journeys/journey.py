"""The journey map: stages x lanes, the emotion curve by lens, pain points and opportunities.

Experience-based co-design walks the journey stage by stage and asks where it felt worst,
and for whom. The emotion curve answers with numbers the room can check: the mean rating at
each stage for each lens, with its spread and the number of stories behind it. Stages with
few ratings are marked as thin evidence, never hidden, so a gap in the stories is itself a
finding.

Which stories count: only approved stories that carry no unreviewed risk language. Which
stories are quoted: only those, and only if their consent tier allows quoting where the
quote will be seen (the screen passes the workshop's wall consents, the report its report
consents). Stories with "themes only" consent still count in the curve, which never shows
their words.
"""

from __future__ import annotations

import re
import statistics
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field

from codesign.errors import ValidationFailed
from codesign.models import JourneyCell, JourneyCellDraft, Lens, Stage, Story, StoryTheme
from codesign.workshops.kits import THRIVE_GROUPINGS

LANES: tuple[tuple[str, str], ...] = (
    ("doing", "What people do"),
    ("touchpoints", "Touchpoints: who or what they meet"),
    ("thoughts_feelings", "Thoughts and feelings"),
    ("pain_points", "Pain points"),
    ("opportunities", "Opportunities"),
)
LANE_NAMES: dict[str, str] = dict(LANES)
STATUSES: dict[str, str] = {"proposed": "Proposed", "accepted": "Accepted", "rejected": "Rejected"}

# Fewer than three ratings: a single bad day moves the mean by more than a point, so the
# room should read such a stage as a prompt to ask, not as a finding.
THIN_EVIDENCE = 3
# Below the scale's midpoint (3, "OK"): on balance the stage felt bad.
LOW_EMOTION = 2.5
# Ratings of 1 and 2 are the two negative points of the 5-point scale.
NEGATIVE_RATING = 2
# A theme is "frequent" at a stage when at least this many bad-feeling stories there share it.
MIN_THEME_STORIES = 2
# Enough voices to show the range of feeling at a stage, few enough to read from the back.
QUOTES_PER_STAGE = 3
# Quotes longer than this are cut at a word boundary on the map (the full story stays in the app).
QUOTE_CHARS = 240
MAX_ITEM_CHARS = 500
MAX_STAGE_NAME = 80

UNKNOWN_LENS = "unknown"
UNKNOWN_LENS_NAME = "Lens not given or not recognised"
DEFAULT_SCALE = ("1", "2", "3", "4", "5")


def counts_in_curve(story: Story) -> bool:
    """True if a story may count in the curve and in evidence: approved, no unreviewed risk language."""
    return story.moderation_status == "approved" and not story.is_flagged


def may_quote(story: Story, consents: Collection[str]) -> bool:
    """True if a story's words may be shown where these consent tiers are allowed."""
    return counts_in_curve(story) and story.consent in consents


# --- the emotion curve -------------------------------------------------------------------------


@dataclass(frozen=True)
class CurvePoint:
    """The ratings at one stage, for one lens (or for everyone)."""

    stage_key: str
    count: int
    """Stories with a rating."""
    unrated: int
    """Stories at this stage without a rating: shown, never guessed."""
    mean: float | None
    sd: float | None
    """Sample standard deviation; None with fewer than two ratings."""
    q1: float | None
    median: float | None
    q3: float | None
    thin: bool
    """Some ratings, but fewer than the thin-evidence threshold."""

    @property
    def empty(self) -> bool:
        return self.count == 0

    def describe(self) -> str:
        """A short plain description, e.g. "2.3 of 5 (n=7)" or "thin evidence: 1 rating"."""
        if self.mean is None:
            return "no ratings yet"
        text = f"{self.mean:.1f} of 5 (n={self.count})"
        return text + " · thin evidence" if self.thin else text


@dataclass(frozen=True)
class CurveSeries:
    """One lens across every stage."""

    lens_key: str
    lens_name: str
    known: bool
    """False for stories whose lens is missing or not one of the workshop's."""
    points: tuple[CurvePoint, ...]

    @property
    def count(self) -> int:
        return sum(p.count for p in self.points)


@dataclass(frozen=True)
class EmotionCurve:
    """Mean emotion per stage per lens, with spread and counts: what the room compares."""

    stages: tuple[Stage, ...]
    series: tuple[CurveSeries, ...]
    overall: tuple[CurvePoint, ...]
    """Every lens together, one point per stage."""
    thin_below: int
    scale_labels: tuple[str, ...]
    """Words for ratings 1 to 5, from the kit."""
    unplaced: int
    """Stories that count but have no stage (or a stage that no longer exists)."""

    def point(self, stage_key: str, lens_key: str | None = None) -> CurvePoint:
        """The point at a stage for a lens, or for everyone when lens_key is None.

        Raises:
            KeyError: If the stage or lens is not on the curve.
        """
        points = self.overall if lens_key is None else self.lens(lens_key).points
        for p in points:
            if p.stage_key == stage_key:
                return p
        raise KeyError(stage_key)

    def lens(self, lens_key: str) -> CurveSeries:
        for series in self.series:
            if series.lens_key == lens_key:
                return series
        raise KeyError(lens_key)

    @property
    def rated(self) -> int:
        return sum(p.count for p in self.overall)


def _summarise(stage_key: str, ratings: Sequence[int], unrated: int, thin_below: int) -> CurvePoint:
    n = len(ratings)
    if n == 0:
        return CurvePoint(stage_key, 0, unrated, None, None, None, None, None, thin=False)
    if n == 1:
        only = float(ratings[0])
        return CurvePoint(stage_key, 1, unrated, only, None, only, only, only, thin=thin_below > 1)
    q1, median, q3 = statistics.quantiles(ratings, n=4, method="inclusive")
    return CurvePoint(
        stage_key,
        n,
        unrated,
        statistics.fmean(ratings),
        statistics.stdev(ratings),
        q1,
        median,
        q3,
        thin=n < thin_below,
    )


def emotion_curve(
    stories: Sequence[Story],
    stages: Sequence[Stage],
    lenses: Sequence[Lens],
    *,
    thin_below: int = THIN_EVIDENCE,
    scale_labels: Sequence[str] = DEFAULT_SCALE,
) -> EmotionCurve:
    """Compute the emotion curve: mean, spread and count per stage for each lens.

    Args:
        stories: The workshop's stories; only approved ones without unreviewed risk language count.
        stages: The journey's stages, in order.
        lenses: The workshop's lenses, in order. Stories with no lens or another lens form one
            extra series, shown only when there are such stories.
        thin_below: Points with fewer ratings than this are marked as thin evidence.
        scale_labels: Words for ratings 1 to 5.

    Returns:
        The curve; stages with no ratings have points with ``mean`` None, never dropped.
    """
    known = {lens.key for lens in lenses}
    stage_keys = {stage.key for stage in stages}
    ratings: dict[tuple[str, str], list[int]] = defaultdict(list)
    unrated: Counter[tuple[str, str]] = Counter()
    unplaced = 0
    has_unknown = False
    for story in stories:
        if not counts_in_curve(story):
            continue
        if story.stage_key not in stage_keys:
            unplaced += 1
            continue
        lens_key = story.lens_key if story.lens_key in known else UNKNOWN_LENS
        has_unknown = has_unknown or lens_key == UNKNOWN_LENS
        slot = (str(story.stage_key), str(lens_key))
        if story.emotion is None:
            unrated[slot] += 1
        else:
            ratings[slot].append(story.emotion)
    named = [(lens.key, lens.name, True) for lens in lenses]
    if has_unknown:
        named.append((UNKNOWN_LENS, UNKNOWN_LENS_NAME, False))
    series = tuple(
        CurveSeries(
            key,
            name,
            is_known,
            tuple(
                _summarise(stage.key, ratings[(stage.key, key)], unrated[(stage.key, key)], thin_below)
                for stage in stages
            ),
        )
        for key, name, is_known in named
    )
    overall = tuple(
        _summarise(
            stage.key,
            [r for key, _n, _k in named for r in ratings[(stage.key, key)]],
            sum(unrated[(stage.key, key)] for key, _n, _k in named),
            thin_below,
        )
        for stage in stages
    )
    labels = tuple(scale_labels) if len(scale_labels) == 5 else DEFAULT_SCALE
    return EmotionCurve(tuple(stages), series, overall, thin_below, labels, unplaced)


# --- pain-point proposals ------------------------------------------------------------------------


@dataclass(frozen=True)
class PainPointProposal:
    """A pain point the tool suggests, with the stories behind it, for the facilitator to judge."""

    stage_id: int
    stage_key: str
    text: str
    mean: float
    story_ids: tuple[int, ...]
    theme_label: str | None = None

    def as_draft(self) -> JourneyCellDraft:
        return JourneyCellDraft(self.stage_id, "pain_points", self.text, "proposed", self.story_ids)


# Words that say nothing about what went wrong, left out when judging which sentence is typical.
STOPWORDS = frozenset(
    """a about after again all also am an and any are as at be because been before being but by can
    could did do does doing don't for from get got had has have having he her here him his how i i'd
    i'm i've if in into is it it's its just me more my no not of off on once only or other our out
    over own said same she should so some still such than that the their them then there these they
    this those through to too up us very was we were what when where which while who why will with
    would you your""".split()
)
# A typical sentence is long enough to say what happened and short enough to read on a card.
SENTENCE_CHARS = (25, 220)


def sentences(text: str) -> list[str]:
    """A story's sentences, split at ., ! and ? (and line breaks)."""
    parts = re.split(r"(?<=[.!?])\s+|\n+", text)
    return [" ".join(p.split()) for p in parts if p.strip()]


def _words(text: str) -> Counter[str]:
    return Counter(w for w in re.findall(r"[a-z']+", text.casefold()) if w not in STOPWORDS and len(w) > 2)


def _cosine(a: Counter[str], b: Counter[str]) -> float:
    shared = set(a) & set(b)
    if not shared:
        return 0.0
    dot = sum(a[w] * b[w] for w in shared)
    return float(dot) / float((sum(v * v for v in a.values()) ** 0.5) * (sum(v * v for v in b.values()) ** 0.5))


def typical_sentence(group: Sequence[Story], quotable: Collection[str]) -> tuple[str, int] | None:
    """The sentence that best stands for a group of stories, and the story it comes from.

    Every sentence of a story the screen may quote (consent in ``quotable``, no unreviewed
    risk language) is scored by how much it shares, word for word, with each story in the
    group (all of them count, quotable or not, so the choice reflects the whole group); the
    highest mean wins. Text is as stored, so already de-identified.
    """
    vectors = [_words(story.text) for story in group]
    best: tuple[float, int, int, str] | None = None
    for story in group:
        if story.consent not in quotable or story.is_flagged:
            continue
        for sentence in sentences(story.text):
            if not SENTENCE_CHARS[0] <= len(sentence) <= SENTENCE_CHARS[1]:
                continue
            words = _words(sentence)
            if not words:
                continue
            score = sum(_cosine(words, v) for v in vectors) / len(vectors)
            key = (score, -len(sentence), -story.id, sentence)
            if best is None or key > best:
                best = key
    return None if best is None else (best[3], -best[2])


def propose_pain_points(
    curve: EmotionCurve,
    stories: Sequence[Story],
    story_themes: Sequence[StoryTheme] = (),
    *,
    quote_consents: Collection[str] = (),
    low: float = LOW_EMOTION,
    min_theme_stories: int = MIN_THEME_STORIES,
) -> tuple[PainPointProposal, ...]:
    """Suggest pain points at stages where emotion is low, in the stories' own words.

    A stage qualifies when its mean rating (all lenses) is at or below ``low``. Its
    bad-feeling stories (rated 1 or 2) are grouped by the themes they sit in now (a group per
    theme shared by at least ``min_theme_stories`` of them; all of them if none is), and each
    group's proposal is its most typical sentence (:func:`typical_sentence`), quoted only
    from stories whose consent is in ``quote_consents``, with the count as evidence. A theme
    is never named: the proposal stays true if the theme is renamed or dissolved. A group
    with nothing quotable gets a proposal from the feeling alone.

    Returns:
        Proposals, worst stage first, each linked to the stories behind it.
    """
    theme_of = {t.story_id: t.label for t in story_themes}
    by_stage: dict[str, list[Story]] = defaultdict(list)
    for story in stories:
        if counts_in_curve(story) and story.emotion is not None and story.emotion <= NEGATIVE_RATING:
            by_stage[str(story.stage_key)].append(story)
    proposals: list[tuple[float, int, PainPointProposal]] = []
    for stage, point in zip(curve.stages, curve.overall, strict=True):
        if point.mean is None or point.mean > low:
            continue
        negatives = sorted(by_stage.get(stage.key, []), key=lambda s: s.id)
        if not negatives:
            continue
        thin = ", thin evidence" if point.thin else ""
        groups: dict[str, list[Story]] = defaultdict(list)
        for story in negatives:
            if story.id in theme_of:
                groups[theme_of[story.id]].append(story)
        frequent = sorted(
            (members for members in groups.values() if len(members) >= min_theme_stories),
            key=lambda members: (-len(members), members[0].id),
        )
        for members in frequent or [negatives]:
            ids = tuple(s.id for s in members)
            found = typical_sentence(members, quote_consents)
            if found is not None:
                count = f"{len(members)} of {point.count} stories rated at this stage felt bad{thin}"
                text = f"“{found[0]}” ({count})"
            else:
                text = f"{stage.name} felt hard: average {point.mean:.1f} of 5 from {point.count} stories"
                text += " (thin evidence)" if point.thin else ""
                worst = _worst_lens(curve, stage.key)
                if worst:
                    text += f"; hardest for {worst}"
            proposals.append((point.mean, -len(ids), PainPointProposal(stage.id, stage.key, text, point.mean, ids)))
    proposals.sort(key=lambda item: (item[0], item[1]))
    return tuple(p for _mean, _n, p in proposals)


def _worst_lens(curve: EmotionCurve, stage_key: str) -> str | None:
    rated = [(s.lens_name, s.points) for s in curve.series if s.known]
    at_stage = [(name, p) for name, points in rated for p in points if p.stage_key == stage_key and p.mean is not None]
    if len(at_stage) < 2:
        return None
    name, point = min(at_stage, key=lambda item: (item[1].mean or 0.0, item[0]))
    return f"{name.lower()} ({point.mean:.1f})"


def new_proposals(proposals: Sequence[PainPointProposal], cells: Sequence[JourneyCell]) -> tuple[JourneyCellDraft, ...]:
    """The proposals not already on the map, as drafts to store.

    A proposal is already there when a pain point at the same stage, in any status, rests on
    at least half of the same stories: so an edited proposal is not suggested again, and a
    rejected one stays rejected.
    """
    existing = [c for c in cells if c.lane == "pain_points" and c.story_ids]
    fresh: list[JourneyCellDraft] = []
    for proposal in proposals:
        wanted = set(proposal.story_ids)
        seen = any(
            c.stage_id == proposal.stage_id and 2 * len(wanted & set(c.story_ids)) >= len(wanted) for c in existing
        )
        if not seen:
            fresh.append(proposal.as_draft())
    return tuple(fresh)


# --- the map ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Quote:
    """A story's words on the map, with what the room needs to read it."""

    story_id: int
    text: str
    lens_key: str | None
    emotion: int | None


@dataclass(frozen=True)
class JourneyStage:
    """One column of the journey map."""

    stage: Stage
    thrive: str | None
    """The THRIVE grouping's name (children and young people's kits), else None."""
    items: Mapping[str, tuple[JourneyCell, ...]]
    """Accepted items by lane key (every lane present, maybe empty)."""
    quotes: tuple[Quote, ...]
    emotion: CurvePoint
    proposals: tuple[JourneyCell, ...]
    """Items the tool proposed that nobody has accepted or rejected yet."""
    low_story_ids: tuple[int, ...] = ()
    """Stories that count here and were rated 1 or 2."""


@dataclass(frozen=True)
class JourneyMap:
    """The whole journey map, ready for the screen, the projector and the report."""

    stages: tuple[JourneyStage, ...]
    lanes: tuple[tuple[str, str], ...]
    shows_thrive: bool
    curve: EmotionCurve
    quote_consents: tuple[str, ...] = field(default=())

    def table(self, sep: str = "\n") -> list[list[str]]:
        """The map as rows of plain text: a header, then THRIVE (if used), each lane, and emotion.

        Items start with a bullet, one per line (or joined by ``sep``); quotes are in quotation
        marks. The first column names the row. Nothing here is markup: render it as text.
        """
        rows: list[list[str]] = [["", *(js.stage.name for js in self.stages)]]
        if self.shows_thrive:
            rows.append(["THRIVE grouping", *(js.thrive or "" for js in self.stages)])
        for lane, name in self.lanes:
            row = [name]
            for js in self.stages:
                lines = [f"• {c.text}" for c in js.items.get(lane, ())]
                if lane == "thoughts_feelings":
                    lines += [f"“{q.text}”" for q in js.quotes]
                row.append(sep.join(lines))
            rows.append(row)
        rows.append(["Emotion (all lenses)", *(js.emotion.describe() for js in self.stages)])
        return rows


def shorten(text: str, limit: int = QUOTE_CHARS) -> str:
    """Text on one line, cut at a word boundary with an ellipsis if longer than limit."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    return text[:limit].rsplit(" ", 1)[0].rstrip(",.;:") + "…"


def _pick_quotes(stories: Sequence[Story], n: int) -> list[Story]:
    """Quotes that span the range of feeling: the lowest, the highest, the next lowest..."""
    rated = sorted((s for s in stories if s.emotion is not None), key=lambda s: (s.emotion or 0, s.id))
    unrated = sorted((s for s in stories if s.emotion is None), key=lambda s: s.id)
    picked: list[Story] = []
    low, high = 0, len(rated) - 1
    take_low = True
    while len(picked) < n and low <= high:
        if take_low:
            picked.append(rated[low])
            low += 1
        else:
            picked.append(rated[high])
            high -= 1
        take_low = not take_low
    picked += unrated[: max(0, n - len(picked))]
    return picked


def journey_map(
    stages: Sequence[Stage],
    cells: Sequence[JourneyCell],
    stories: Sequence[Story],
    lenses: Sequence[Lens],
    *,
    quote_consents: Collection[str],
    quotes_per_stage: int = QUOTES_PER_STAGE,
    scale_labels: Sequence[str] = DEFAULT_SCALE,
    thin_below: int = THIN_EVIDENCE,
    lens: str | None = None,
    story_ids: Collection[int] | None = None,
) -> JourneyMap:
    """Assemble the journey map: items per stage and lane, quotes, and the emotion curve.

    Args:
        stages: The journey's stages, in order.
        cells: Every journey item of the workshop (rejected ones are left out of the map).
        stories: The workshop's stories; filtering for moderation, risk and consent happens here.
        lenses: The workshop's lenses.
        quote_consents: Consent tiers whose stories may be quoted where this map is shown
            (the workshop's ``wall_consents`` on screen, ``report_quote_consents`` in the report).
        quotes_per_stage: How many quotes the thoughts and feelings lane shows per stage.
        scale_labels: Words for ratings 1 to 5.
        thin_below: The thin-evidence threshold for the curve.
        lens: A lens key: the map as people of that lens told it (their curve, feelings and
            quotes; the room's items are the same for everyone). None for everyone.
        story_ids: Only these stories (a persona's): its curve, feelings and quotes. None for all.

    Returns:
        The map, with its emotion curve.
    """
    if lens is not None:
        stories = [s for s in stories if s.lens_key == lens]
        lenses = [x for x in lenses if x.key == lens]
    if story_ids is not None:
        chosen = set(story_ids)
        stories = [s for s in stories if s.id in chosen]
    curve = emotion_curve(stories, stages, lenses, thin_below=thin_below, scale_labels=scale_labels)
    by_slot: dict[tuple[int, str], list[JourneyCell]] = defaultdict(list)
    proposed: dict[int, list[JourneyCell]] = defaultdict(list)
    for cell in sorted(cells, key=lambda c: (c.position, c.id)):
        if cell.status == "accepted":
            by_slot[(cell.stage_id, cell.lane)].append(cell)
        elif cell.status == "proposed":
            proposed[cell.stage_id].append(cell)
    quotable: dict[str, list[Story]] = defaultdict(list)
    low: dict[str, list[int]] = defaultdict(list)
    for story in stories:
        if may_quote(story, quote_consents):
            quotable[str(story.stage_key)].append(story)
        if counts_in_curve(story) and story.emotion is not None and story.emotion <= NEGATIVE_RATING:
            low[str(story.stage_key)].append(story.id)
    columns = []
    for stage, point in zip(stages, curve.overall, strict=True):
        quotes = tuple(
            Quote(s.id, shorten(s.text), s.lens_key, s.emotion)
            for s in _pick_quotes(quotable[stage.key], quotes_per_stage)
        )
        columns.append(
            JourneyStage(
                stage=stage,
                thrive=THRIVE_GROUPINGS.get(stage.thrive_grouping or "", None),
                items={lane: tuple(by_slot[(stage.id, lane)]) for lane, _name in LANES},
                quotes=quotes,
                emotion=point,
                proposals=tuple(proposed[stage.id]),
                low_story_ids=tuple(sorted(low[stage.key])),
            )
        )
    return JourneyMap(
        stages=tuple(columns),
        lanes=LANES,
        shows_thrive=any(s.thrive_grouping for s in stages),
        curve=curve,
        quote_consents=tuple(quote_consents),
    )


# --- editing ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class JourneyEdits:
    """What a grid edit changes: items to add, change and remove, and problems to fix first."""

    added: tuple[JourneyCellDraft, ...] = ()
    updated: tuple[JourneyCell, ...] = ()
    deleted: tuple[int, ...] = ()
    problems: tuple[str, ...] = ()

    @property
    def empty(self) -> bool:
        return not (self.added or self.updated or self.deleted)


def is_missing(value: object) -> bool:
    """True for an empty grid cell: None, NaN or pandas' NA (which refuses to be a truth value)."""
    if value is None:
        return True
    try:
        return bool(value != value)
    except (TypeError, ValueError):
        return True


def clean_text(value: object, limit: int = MAX_ITEM_CHARS) -> str:
    """Facilitator text as it will be stored: NFC, single spaces, no control characters."""
    if is_missing(value):
        return ""
    text = unicodedata.normalize("NFC", str(value))
    text = "".join(ch if ch.isprintable() else " " for ch in text)
    return " ".join(text.split())[:limit]


def row_id(value: object) -> int | None:
    """The item id in a grid row, or None for a new row."""
    if is_missing(value):
        return None
    try:
        return int(value)  # type: ignore[call-overload, no-any-return]
    except (TypeError, ValueError):
        return None


def grid_cells(cells: Sequence[JourneyCell], stages: Sequence[Stage]) -> list[JourneyCell]:
    """The items the editing grid shows: everything not rejected, in stage, lane and position order."""
    order = {s.id: s.position for s in stages}
    lanes = [key for key, _ in LANES]
    return sorted(
        (c for c in cells if c.status != "rejected" and c.lane in LANE_NAMES),
        key=lambda c: (order.get(c.stage_id, 1_000), lanes.index(c.lane), c.position, c.id),
    )


def grid_rows(cells: Sequence[JourneyCell], stages: Sequence[Stage]) -> list[dict[str, object]]:
    """Rows for the editing grid (stage and lane by name, so people read words, not keys)."""
    names = {s.id: s.name for s in stages}
    return [
        {
            "id": c.id,
            "stage": names.get(c.stage_id, ""),
            "lane": LANE_NAMES[c.lane],
            "text": c.text,
            "status": STATUSES[c.status],
            "stories": len(c.story_ids),
        }
        for c in grid_cells(cells, stages)
    ]


def journey_edits(
    before: Sequence[JourneyCell], rows: Sequence[Mapping[str, object]], stages: Sequence[Stage]
) -> JourneyEdits:
    """Turn the edited grid back into changes.

    Args:
        before: The items the grid showed (``grid_cells``).
        rows: The grid's rows after editing: new rows have no id; a row left out was deleted;
            an existing row whose text was cleared is deleted too.
        stages: The workshop's stages (rows name them).

    Returns:
        The changes, or problems (one line each, naming the row) and no changes.
    """
    by_name = {s.name: s.id for s in stages}
    lane_by_name = {name: key for key, name in LANES} | {key: key for key, _ in LANES}
    status_by_name = {name: key for key, name in STATUSES.items()} | {key: key for key in STATUSES}
    old = {c.id: c for c in before}
    added: list[JourneyCellDraft] = []
    updated: list[JourneyCell] = []
    kept: set[int] = set()
    cleared: set[int] = set()
    problems: list[str] = []
    for number, row in enumerate(rows, start=1):
        text = clean_text(row.get("text"))
        cell_id = row_id(row.get("id"))
        stage_id = by_name.get(clean_text(row.get("stage")))
        lane = lane_by_name.get(clean_text(row.get("lane")))
        status = status_by_name.get(clean_text(row.get("status")), "accepted")
        if cell_id is not None and cell_id in old:
            kept.add(cell_id)
            if not text:
                cleared.add(cell_id)
                continue
            if stage_id is None or lane is None:
                problems.append(f"Row {number}: choose a stage and a lane.")
                continue
            cell = old[cell_id]
            new = JourneyCell(cell.id, stage_id, lane, text, cell.position, status, cell.story_ids)  # type: ignore[arg-type]
            if (new.stage_id, new.lane, new.text, new.status) != (cell.stage_id, cell.lane, cell.text, cell.status):
                updated.append(new)
            continue
        if not text:
            continue  # an empty new row: nothing to add
        if stage_id is None or lane is None:
            problems.append(f"Row {number}: choose a stage and a lane for “{shorten(text, 40)}”.")
            continue
        added.append(JourneyCellDraft(stage_id, lane, text, status))  # type: ignore[arg-type]
    deleted = tuple(sorted((set(old) - kept) | cleared))
    if problems:
        return JourneyEdits(problems=tuple(problems))
    return JourneyEdits(tuple(added), tuple(updated), deleted)


# --- stages ------------------------------------------------------------------------------------------


def stage_key_for(name: str, taken: Collection[str]) -> str:
    """A stable key for a new stage, from its name: lower case, ASCII, unique in the workshop."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    base = re.sub(r"[^a-z0-9]+", "_", ascii_name.lower()).strip("_")[:32]
    if not base or not base[0].isalpha():
        base = f"stage_{base}".rstrip("_")
    key, n = base, 2
    while key in taken:
        key = f"{base}_{n}"
        n += 1
    return key


def _stage_name(name: str, stages: Sequence[Stage], stage_id: int | None = None) -> str:
    clean = clean_text(name, MAX_STAGE_NAME + 1)
    if not clean:
        raise ValidationFailed("Give the stage a name.")
    if len(clean) > MAX_STAGE_NAME:
        raise ValidationFailed(f"Keep the stage name under {MAX_STAGE_NAME} characters.")
    if any(s.name.casefold() == clean.casefold() and s.id != stage_id for s in stages):
        raise ValidationFailed(f"There is already a stage called “{clean}”. Choose another name.")
    return clean


# --- proposals, stored -------------------------------------------------------------------------------


# --- rows for tables ---------------------------------------------------------------------------------


def curve_table(curve: EmotionCurve) -> list[dict[str, object]]:
    """The curve as rows (stage x lens, then all lenses): what the chart shows, for the table and report."""
    rows: list[dict[str, object]] = []
    named = [(s.lens_name, s.points) for s in curve.series] + [("All lenses", curve.overall)]
    for i, stage in enumerate(curve.stages):
        for lens_name, points in named:
            p = points[i]
            rows.append(
                {
                    "stage": stage.name,
                    "lens": lens_name,
                    "ratings": p.count,
                    "mean": None if p.mean is None else round(p.mean, 2),
                    "SD": None if p.sd is None else round(p.sd, 2),
                    "IQR": None if p.q1 is None or p.q3 is None else f"{p.q1:.1f}–{p.q3:.1f}",
                    "no rating": p.unrated,
                    "evidence": "none" if p.count == 0 else ("thin" if p.thin else ""),
                }
            )
    return rows


def evidence_rows(
    story_ids: Sequence[int], stories: Sequence[Story], stages: Sequence[Stage], *, quote_consents: Collection[str]
) -> list[dict[str, object]]:
    """The stories behind an item, as rows; words only where consent allows quoting here."""
    by_id = {s.id: s for s in stories}
    names = {s.key: s.name for s in stages}
    rows: list[dict[str, object]] = []
    for story_id in story_ids:
        story = by_id.get(story_id)
        if story is None or not counts_in_curve(story):
            continue
        words = story.text if may_quote(story, quote_consents) else "(consent does not allow quoting: words not shown)"
        rows.append(
            {
                "story": f"#{story.id}",
                "stage": names.get(str(story.stage_key), ""),
                "lens": story.lens_key or "",
                "feeling": story.emotion,
                "words": words,
            }
        )
    return rows
