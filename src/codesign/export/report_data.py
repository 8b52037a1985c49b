"""Everything the Word report says, gathered in one place from the stored workshop.

``gather_report_data`` returns a ``ReportData``: plain, frozen values (and the Plotly
figures) that ``export.docx`` lays out. Every section is optional (an empty tuple or
``None``), so a workshop that never clustered themes, mapped stakeholders or voted still
gets a valid report.

Each section comes from its capability, so the report says what the screens say: the
emotion curve, journey map and blueprints from ``journeys`` / ``blueprints`` and
``charts.journey``; the stakeholder map and findings from ``network`` and
``charts.network``; ideas, votes, consensus and the impact grid from ``voting`` and
``charts.voting``; the themes from ``themes.board.summarise_board`` and ``charts.themes``.

The privacy rules of the report live here and nowhere else:

- a story is *reported* (counted in themes, the emotion curve and the cover) only if a
  facilitator approved it and it has no unreviewed safeguarding flag;
- a story is *quoted* only if it is reported and its consent tier is one the workshop
  allows in the report (setting ``report_quote_consents``; "themes only" never is);
  theme quotes pass through the de-identification once more on the way out;
- withdrawn stories are deleted from the database, so nothing of them is left to read;
- text that facilitators put on the journey map, blueprint or ideas is dropped if it
  contains the text of a story that may not be quoted, so a withheld story cannot leak
  in through a sticky note that copied it.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Engine, select

from codesign import blueprints, journeys, network, voting, workshops
from codesign.charts import journey as journey_charts
from codesign.charts import network as network_charts
from codesign.charts import themes as theme_charts
from codesign.charts import voting as voting_charts
from codesign.kits import SECTORS, STAKEHOLDER_KINDS, Kit
from codesign.models import CONSENT_LABELS, BlueprintItem, BlueprintVersion, Lens, Stage, Story, Workshop
from codesign.privacy import prepare_text
from codesign.storage import journeys as journey_repo
from codesign.storage import stakeholders as stakeholder_repo
from codesign.storage import themes as theme_repo
from codesign.storage import workshops as repo
from codesign.storage.db import read_session
from codesign.storage.schema import (
    AuditRow,
    StoryRow,
)
from codesign.storage.stories import list_stories
from codesign.themes import board as theme_board

# Enough quotes to give a theme a voice without turning the report into a transcript.
QUOTES_PER_THEME = 3
# A withheld story is looked for inside map and idea text only if it is at least this
# long: shorter texts ("no", "the wait") would match innocent sticky notes.
MIN_LEAK_CHARS = 20

COLLECTED_FIELDS = (
    "The story, as stored after identifying details were replaced (names of people, phone numbers, "
    "e-mail and postal addresses, NHS numbers).",
    "The stage of the journey it is about, and the lens the person chose (for example carer or staff).",
    "How they felt at that point, on a 5-point scale.",
    "What helped, what would have helped, and their strengths and support network (all optional).",
    "Their consent choice: themes only, an anonymous quote in the workshop, or also in the report.",
    "An anonymous device token, kept only as a one-way hash, to count participants and budget votes. "
    "No names, accounts, e-mail addresses or phone numbers are collected.",
)


@dataclass(frozen=True)
class Quote:
    text: str
    lens: str
    stage: str


@dataclass(frozen=True)
class ThemeSection:
    label: str
    description: str
    size: int
    lens_mix: tuple[tuple[str, int], ...]
    stages: tuple[tuple[str, int], ...]
    quotes: tuple[Quote, ...]


Grid = tuple[tuple[str, ...], ...]
"""A plain-text table: a header row, then rows; cells may hold line breaks."""


@dataclass(frozen=True)
class BlueprintSection:
    """One version of the service blueprint, as the screen's table shows it."""

    key: str
    """"as_is" or "to_be"."""
    title: str
    grid: Grid
    fail_points: int
    wait_points: int
    left_out: int
    """Items still only proposed, which the report leaves out."""


@dataclass(frozen=True)
class StakeholderLine:
    name: str
    kind: str
    sector: str
    influence: int
    interest: int
    connections: int


@dataclass(frozen=True)
class Block:
    """A titled part of a chapter: a few paragraphs, an optional chart and an optional table."""

    title: str
    text: tuple[str, ...] = ()
    figure: str | None = None
    """Key of the chart in ``ReportData.figures``."""
    table: Grid = ()
    caption: str = ""


@dataclass(frozen=True)
class Figure:
    """A chart for the report: the Plotly figure, its alt text and caption."""

    key: str
    figure: Any
    alt_text: str
    caption: str
    width_px: int = 900
    height_px: int = 520
    landscape: bool = False


@dataclass(frozen=True)
class DataProtection:
    stories_received: int
    by_consent: tuple[tuple[str, int], ...]
    by_moderation: tuple[tuple[str, int], ...]
    flagged_unreviewed: int
    flagged_reviewed: int
    withdrawals: int
    quote_consents: tuple[str, ...]
    collected: tuple[str, ...] = COLLECTED_FIELDS


@dataclass(frozen=True)
class AgendaLine:
    minutes: int
    title: str
    activity: str


@dataclass(frozen=True)
class ReportData:
    """What the report says about one workshop; every section may be empty."""

    title: str
    code: str
    kit_title: str
    kit_summary: str
    programme: str
    workshop_date: datetime
    generated_at: datetime
    stages: tuple[str, ...]
    lenses: tuple[str, ...]
    participants_by_lens: tuple[tuple[str, int], ...]
    participants: int
    stories_reported: int
    themes: tuple[ThemeSection, ...] = ()
    emotion: Grid = ()
    """Stage by lens: the emotion curve's data (mean of 5, ratings, thin evidence)."""
    journey: Grid = ()
    """The journey map's table: a row per lane, a column per stage."""
    stakeholders: tuple[StakeholderLine, ...] = ()
    relationships: int = 0
    network_findings: tuple[tuple[str, str], ...] = ()
    """(headline, why it matters), most important first."""
    blueprints: tuple[BlueprintSection, ...] = ()
    ideas: tuple[Block, ...] = ()
    """Ideas rounds with their revealed votes, agreement rounds with consensus, the impact grid."""
    data_protection: DataProtection | None = None
    agenda: tuple[AgendaLine, ...] = ()
    figures: dict[str, Figure] = field(default_factory=dict)
    withheld_texts: tuple[str, ...] = ()
    """Texts of stories that must appear nowhere in the report: for checks, never printed."""

    @property
    def is_empty(self) -> bool:
        return self.stories_reported == 0


# Consent tiers that can ever be quoted: "themes only" never is, whatever a setting says.
QUOTABLE_CONSENTS = ("anonymous_quote", "report_quote")


def quote_consents(workshop: Workshop) -> tuple[str, ...]:
    """The consent tiers this workshop's report may quote (setting ``report_quote_consents``)."""
    chosen = workshop.setting("report_quote_consents") or ()
    return tuple(c for c in QUOTABLE_CONSENTS if c in chosen)


def is_reported(story: Story) -> bool:
    """Approved by a facilitator and not waiting for a safeguarding review."""
    return story.moderation_status == "approved" and not story.is_flagged


def is_quotable(story: Story, consents: Iterable[str]) -> bool:
    """Reported, and its consent tier allows quoting in the report."""
    return is_reported(story) and story.consent in set(consents)


def gather_report_data(engine: Engine, workshop_id: int, *, with_figures: bool = True) -> ReportData:
    """Read one workshop and work out everything the report shows.

    Args:
        engine: The database.
        workshop_id: Which workshop.
        with_figures: Build the Plotly figures too (the bench and tests of text turn them off).

    Returns:
        The report's content, with privacy rules already applied.

    Raises:
        NotFoundError: If the workshop does not exist.
    """
    workshop = repo.get_workshop(engine, workshop_id)
    kit = workshops.kit_of(engine, workshop)
    stages = repo.list_stages(engine, workshop_id)
    lenses = repo.list_lenses(engine, workshop_id)
    lens_name = {lens.key: lens.name for lens in lenses}
    all_stories = list_stories(engine, workshop_id)
    consents = quote_consents(workshop)
    reported = [s for s in all_stories if is_reported(s)]
    withheld = tuple(s.text for s in all_stories if not is_quotable(s, consents))
    leak_guard = LeakGuard(withheld)

    devices_by_lens: dict[str, set[str]] = defaultdict(set)
    devices: set[str] = set()
    device_of = _device_hashes(engine, workshop_id)
    for story in all_stories:
        device = device_of.get(story.id)
        if device:
            devices.add(device)
            devices_by_lens[_name(lens_name, story.lens_key)].add(device)
    participants_by_lens = tuple(
        (name, len(devices_by_lens[name])) for name in [*lens_name.values(), "Not given"] if devices_by_lens.get(name)
    )

    themes, theme_summaries = _themes(engine, workshop, kit, reported, consents, stages, lenses, leak_guard)
    jmap = journeys.journey_map(
        stages,
        [c for c in journey_repo.list_journey_cells(engine, workshop_id) if leak_guard.allows(c.text)],
        all_stories,
        lenses,
        quote_consents=consents,
        scale_labels=[p.label for p in kit.emotion_scale],
    )
    has_items = any(items for js in jmap.stages for items in js.items.values())
    plans = [_blueprint(engine, workshop, version, leak_guard) for version in ("as_is", "to_be")]
    plans = [(section, plan) for section, plan in plans if plan.items]
    stakeholders, relationship_count, findings, graph = _stakeholders(engine, workshop_id, kit)
    ideas, vote_figures = _votes(engine, workshop_id, leak_guard)

    data = ReportData(
        title=workshop.title,
        code=workshop.code,
        kit_title=kit.title,
        kit_summary=kit.summary,
        programme=kit.programme,
        workshop_date=workshop.created_at,
        generated_at=datetime.now(UTC),
        stages=tuple(s.name for s in stages),
        lenses=tuple(lens.name for lens in lenses),
        participants_by_lens=participants_by_lens,
        participants=len(devices),
        stories_reported=len(reported),
        themes=themes,
        emotion=_emotion_grid(jmap.curve) if jmap.curve.rated else (),
        journey=_grid(jmap.table()) if has_items else (),
        stakeholders=stakeholders,
        relationships=relationship_count,
        network_findings=findings,
        blueprints=tuple(section for section, _plan in plans),
        ideas=ideas,
        data_protection=_data_protection(engine, workshop_id, all_stories, consents),
        agenda=tuple(AgendaLine(a.minutes, a.title, a.activity) for a in kit.agenda),
        withheld_texts=withheld,
    )
    if not with_figures:
        return data
    return _with_figures(
        data, graph, jmap, [plan for _section, plan in plans], vote_figures, theme_summaries, stages, lenses
    )


def _with_figures(
    data: ReportData,
    graph: _NetworkView | None,
    jmap: journeys.JourneyMap,
    plans: Sequence[blueprints.Blueprint],
    vote_figures: Sequence[Figure],
    theme_summaries: Sequence[theme_board.ThemeSummary],
    stages: Sequence[Stage],
    lenses: Sequence[Lens],
) -> ReportData:
    built: dict[str, Figure] = {f.key: f for f in vote_figures}
    if data.emotion:
        built["emotion"] = Figure(
            "emotion",
            journey_charts.emotion_curve_figure(jmap.curve, title=None),
            alt_text=_emotion_alt_text(jmap.curve),
            caption="How people felt at each stage, by lens: the mean of a 1 to 5 scale, with ±1 standard deviation.",
        )
    if data.journey:
        built["journey"] = Figure(
            "journey",
            journey_charts.journey_map_figure(jmap),
            alt_text=_journey_alt_text(jmap),
            caption="The journey map, with the emotion curve above its stages.",
            width_px=journey_charts.WIDE[0],
            height_px=journey_charts.WIDE[1],
            landscape=True,
        )
    for plan in plans:
        built[f"blueprint_{plan.version}"] = Figure(
            f"blueprint_{plan.version}",
            journey_charts.blueprint_figure(plan),
            alt_text=_blueprint_alt_text(plan),
            caption=f"Service blueprint. {plan.title}.",
            width_px=journey_charts.WIDE[0],
            height_px=journey_charts.WIDE[1],
            landscape=True,
        )
    if data.themes:
        lens_chart = _room_for_labels(theme_charts.theme_lens_chart(theme_summaries, lenses))
        built["themes"] = Figure(
            "themes",
            lens_chart,
            alt_text="Bar chart of the number of stories in each theme, split by who told them: "
            + "; ".join(
                f"{t.label}: {t.size} (" + ", ".join(f"{n} {c}" for n, c in t.lens_mix) + ")" for t in data.themes
            )
            + ".",
            caption="Stories in each theme, by lens.",
            height_px=int(lens_chart.layout.height or 520),
        )
        heatmap = _room_for_labels(theme_charts.theme_stage_heatmap(theme_summaries, stages))
        built["themes_stages"] = Figure(
            "themes_stages",
            heatmap,
            alt_text="Heat map of how many stories of each theme sit at each stage of the journey: "
            + "; ".join(f"{t.label}: " + ", ".join(f"{n} {c}" for n, c in t.stages) for t in data.themes)
            + ".",
            caption="Themes across the journey: stories of each theme at each stage.",
            height_px=int(heatmap.layout.height or 520),
        )
    if graph is not None:
        built["stakeholders"] = Figure(
            "stakeholders",
            network_charts.network_figure(
                graph.graph, graph.positions, analysis=graph.analysis, type_names=graph.type_names, height=700
            ),
            alt_text=_network_alt_text(graph),
            caption="The stakeholder map: colour shows the sector, size the number of working links.",
            width_px=1100,
            height_px=700,
        )
    return ReportData(**{**data.__dict__, "figures": built})


def _room_for_labels(fig: Any) -> Any:
    """On screen Plotly makes room for long theme labels as it draws; a static picture needs it set."""
    fig.update_yaxes(automargin=True)
    fig.update_xaxes(automargin=True)
    fig.update_layout(margin={"l": 20, "b": 20})
    return fig


class LeakGuard:
    """Finds the text of a withheld story inside other text (case and spacing ignored)."""

    def __init__(self, withheld: Sequence[str]) -> None:
        self._needles = [n for n in (_fold(t) for t in withheld) if len(n) >= MIN_LEAK_CHARS]

    def allows(self, text: str) -> bool:
        folded = _fold(text)
        return not any(needle in folded for needle in self._needles)


def _fold(text: str) -> str:
    return " ".join(text.casefold().split())


def _name(names: dict[str, str], key: str | None) -> str:
    if key is None:
        return "Not given"
    return names.get(key, key)


def _device_hashes(engine: Engine, workshop_id: int) -> dict[int, str]:
    with read_session(engine) as s:
        rows = s.execute(
            select(StoryRow.id, StoryRow.device_hash).where(
                StoryRow.workshop_id == workshop_id, StoryRow.device_hash.is_not(None)
            )
        ).all()
        return {story_id: device for story_id, device in rows if device}


def _themes(
    engine: Engine,
    workshop: Workshop,
    kit: Kit,
    reported: Sequence[Story],
    consents: Sequence[str],
    stages: Sequence[Stage],
    lenses: Sequence[Lens],
    guard: LeakGuard,
) -> tuple[tuple[ThemeSection, ...], list[theme_board.ThemeSummary]]:
    """The theme board as the Themes screen summarises it, counting only reported stories, biggest first."""
    board = theme_repo.list_board(engine, workshop.id)
    summaries = [t for t in theme_board.summarise_board(board, reported, stages, lenses, consents) if t.size]
    summaries.sort(key=lambda t: -t.size)
    stage_name = {stage.key: stage.name for stage in stages}
    lens_name = {lens.key: lens.name for lens in lenses}
    sections = []
    shown = []
    for number, summary in enumerate(summaries, start=1):
        # A label that copies a story that may not be quoted would quote it.
        if not guard.allows(summary.theme.label):
            summary = replace(summary, theme=replace(summary.theme, label=f"Theme {number}"))
        shown.append(summary)
        lens_mix = Counter(_name(lens_name, s.lens_key) for s in summary.stories)
        stage_mix = Counter(_name(stage_name, s.stage_key) for s in summary.stories)
        quotes = tuple(
            Quote(
                # Stored text was de-identified when it was shared; the newest rules run once more.
                text=prepare_text(s.text, kit.vocabulary).text,
                lens=_name(lens_name, s.lens_key),
                stage=_name(stage_name, s.stage_key),
            )
            for s in summary.stories
            if theme_board.quotable(s, consents)
        )[:QUOTES_PER_THEME]
        sections.append(
            ThemeSection(
                label=summary.theme.label,
                description="",
                size=summary.size,
                lens_mix=tuple(lens_mix.most_common()),
                stages=tuple(
                    (name, stage_mix[name]) for name in [*stage_name.values(), "Not given"] if stage_mix.get(name)
                ),
                quotes=quotes,
            )
        )
    return tuple(sections), shown


def _grid(rows: Sequence[Sequence[str]]) -> Grid:
    return tuple(tuple(str(cell) for cell in row) for row in rows)


def _emotion_grid(curve: journeys.EmotionCurve) -> Grid:
    """Stage by lens, in the curve's own words ("2.3 of 5 (n=7) · thin evidence")."""
    series = [s for s in curve.series if s.count]
    header = ("Stage", *(s.lens_name for s in series), "All lenses")
    rows = [
        (stage.name, *(s.points[i].describe() for s in series), curve.overall[i].describe())
        for i, stage in enumerate(curve.stages)
    ]
    return (header, *rows)


def _emotion_alt_text(curve: journeys.EmotionCurve) -> str:
    parts = []
    for series in curve.series:
        rated = [(p, stage) for p, stage in zip(series.points, curve.stages, strict=True) if p.mean is not None]
        if not rated:
            continue
        low = min(rated, key=lambda ps: ps[0].mean or 0)
        high = max(rated, key=lambda ps: ps[0].mean or 0)
        parts.append(
            f"{series.lens_name}: lowest at {low[1].name} ({low[0].mean:.1f}), "
            f"highest at {high[1].name} ({high[0].mean:.1f})"
        )
    return (
        f"Line chart of the mean feeling (1 worst, 5 best) at each of {len(curve.stages)} stages, one line per lens, "
        f"from {curve.rated} ratings. " + "; ".join(parts) + "."
    )


def _journey_alt_text(jmap: journeys.JourneyMap) -> str:
    rated = [js for js in jmap.stages if js.emotion.mean is not None]
    lowest = min(rated, key=lambda js: js.emotion.mean or 0) if rated else None
    items = sum(len(cells) for js in jmap.stages for cells in js.items.values())
    text = (
        f"Journey map of {len(jmap.stages)} stages ("
        + ", ".join(js.stage.name for js in jmap.stages)
        + f") with {items} items in the lanes "
        + ", ".join(name.lower() for _key, name in jmap.lanes)
        + ", under the emotion curve."
    )
    if lowest is not None:
        text += f" Feeling is lowest at {lowest.stage.name} ({lowest.emotion.describe()})."
    return text + " The same content is in the table that follows."


def _blueprint_alt_text(plan: blueprints.Blueprint) -> str:
    names = {s.id: s.name for s in plan.stages}

    def where(items: Sequence[BlueprintItem]) -> str:
        return ", ".join(dict.fromkeys(names[i.stage_id] for i in items)) or "none"

    return (
        f"Service blueprint, {plan.title.lower()}: {len(plan.items)} items across {len(plan.stages)} stages in "
        f"{len(plan.lanes)} lanes, divided by the lines of interaction, visibility and internal interaction. "
        f"Fail points at: {where(plan.fail_points)}. Wait points at: {where(plan.wait_points)}. "
        "The same content is in the table that follows."
    )


def _blueprint(
    engine: Engine, workshop: Workshop, version: BlueprintVersion, guard: LeakGuard
) -> tuple[BlueprintSection, blueprints.Blueprint]:
    """One version of the blueprint as the room agreed it: accepted items only, guarded against leaks."""
    stored = blueprints.load_blueprint(engine, workshop, version)
    accepted = [i for i in stored.items if i.status == "accepted" and guard.allows(i.text)]
    plan = blueprints.assemble_blueprint(version, stored.stages, accepted, stored.lanes)
    section = BlueprintSection(
        key=version,
        title=plan.title,
        grid=_grid(plan.table()),
        fail_points=len(plan.fail_points),
        wait_points=len(plan.wait_points),
        left_out=sum(1 for i in stored.items if i.status == "proposed"),
    )
    return section, plan


@dataclass(frozen=True)
class _NetworkView:
    """What the stakeholder figure needs: the same inputs as the Stakeholders screen's."""

    graph: Any
    positions: dict[int, tuple[float, float]]
    analysis: network.NetworkAnalysis
    type_names: dict[str, str]


def _stakeholders(
    engine: Engine, workshop_id: int, kit: Kit
) -> tuple[tuple[StakeholderLine, ...], int, tuple[tuple[str, str], ...], _NetworkView | None]:
    people, links = stakeholder_repo.load_network(engine, workshop_id)
    if not people:
        return (), 0, (), None
    try:
        graph = network.build_graph(people, links)
    except network.NetworkTooLarge:
        graph = None
    analysis = (
        network.analyse_network(graph, expected_links=kit.expected_links, seed=network.DEFAULT_SEED)
        if graph is not None
        else None
    )
    degree = {m.id: m.degree for m in analysis.metrics.values()} if analysis else {}
    lines = tuple(
        StakeholderLine(
            p.name,
            STAKEHOLDER_KINDS.get(p.kind, p.kind),
            SECTORS.get(p.sector, p.sector),
            p.influence,
            p.interest,
            degree.get(p.id, 0),
        )
        for p in network.sorted_by_name(people)
    )
    findings = [(f"{len(people)} stakeholders and {len(links)} relationships between them were mapped.", "")]
    if analysis is not None:
        findings += [(f"{f.title} ({f.term}).", f.why) for f in analysis.findings]
    if graph is None or analysis is None:
        return lines, len(links), tuple(findings), None
    view = _NetworkView(
        graph=graph,
        positions=dict(
            network.layout_positions(
                graph, seed=network.DEFAULT_SEED, previous=stakeholder_repo.load_layout(engine, workshop_id)
            )
        ),
        analysis=analysis,
        type_names={t.key: t.name for t in kit.relationship_types},
    )
    return lines, len(links), tuple(findings), view


def _network_alt_text(view: _NetworkView) -> str:
    metrics = sorted(view.analysis.metrics.values(), key=lambda m: (-m.degree, m.name))
    text = (
        f"Network diagram of {len(metrics)} stakeholders and {view.graph.number_of_edges()} relationships, "
        "coloured by sector, sized by working links. Most connected: "
        + ", ".join(f"{m.name} ({m.degree})" for m in metrics[:3])
        + "."
    )
    if view.analysis.findings:
        text += " Findings: " + "; ".join(f.title for f in view.analysis.findings[:3]) + "."
    return text


def _votes(engine: Engine, workshop_id: int, guard: LeakGuard) -> tuple[tuple[Block, ...], tuple[Figure, ...]]:
    """Ideas and agreement rounds as the voting capability reports them: revealed results only."""
    report = voting.load_report(engine, workshop_id)
    lens_names = dict(report.lens_names)
    blocks: list[Block] = []
    charts: list[Figure] = []
    for rnd in report.rounds:
        title = rnd.prompt
        if rnd.kind == "ideas":
            results = report.results.get(rnd.id)
            if results is None:
                ideas = [i for i in voting.list_ideas(engine, rnd.id) if i.on_wall and guard.allows(i.text)]
                if ideas:
                    blocks.append(
                        Block(
                            title,
                            ("The votes of this round were not revealed in the room, so they are not reported.",),
                            table=(("Idea",), *((i.text,) for i in ideas)),
                            caption="Ideas (votes not revealed)",
                        )
                    )
                continue
            kept = replace(results, ideas=tuple(i for i in results.ideas if guard.allows(i.text)))
            if not kept.ideas:
                continue
            key = f"votes_{rnd.id}"
            charts.append(
                Figure(
                    key,
                    voting_charts.results_bar(kept, lens_names, top=15),
                    alt_text=f"Bar chart of dots per idea, split by lens, from {kept.voters} phones: "
                    + "; ".join(f"{i.text[:60]}: {i.dots}" for i in kept.ideas[:10])
                    + ".",
                    caption=f"Dot votes, by lens: {title}",
                )
            )
            rows = voting.results_table(kept, lens_names)
            blocks.append(
                Block(
                    title,
                    (
                        f"{voting.counted(kept.voters, 'phone')} gave {kept.total_dots} dots "
                        f"({kept.budget} each) to {len(kept.ideas)} ideas.",
                    ),
                    figure=key,
                    table=_rows_grid(rows),
                    caption="Ideas and their votes",
                )
            )
        else:
            agreed = report.consensus.get(rnd.id)
            if agreed is None:
                continue
            statements = tuple(st for st in agreed.statements if guard.allows(st.text))
            if not statements:
                continue
            agreed = replace(agreed, statements=statements)
            key = f"consensus_{rnd.id}"
            charts.append(
                Figure(
                    key,
                    voting_charts.consensus_chart(agreed),
                    alt_text="Heat map of agreement by lens for each statement: "
                    + "; ".join(f"{st.text[:60]}: {st.summary}" for st in statements[:8])
                    + ".",
                    caption=f"Agreement across lenses: {title}",
                )
            )
            header = ("Statement", "Where the groups stand", *(name for _key, name in agreed.lenses))
            rows_ = [
                (
                    st.text,
                    st.summary,
                    *(f"{la.agree} / {la.disagree} / {la.passed}" for la in st.by_lens),
                )
                for st in statements
            ]
            blocks.append(
                Block(
                    title,
                    (
                        "Common ground first, then statements that divide the groups. Each lens column gives "
                        "agree / disagree / pass.",
                    ),
                    figure=key,
                    table=(header, *rows_),
                    caption="Agreement across lenses",
                )
            )
    grid = tuple(p for p in report.grid if guard.allows(p.text))
    if grid:
        charts.append(
            Figure(
                "impact_effort",
                voting_charts.impact_effort_grid(grid),
                alt_text="Ideas placed on a grid of impact (up) against effort (across): "
                + "; ".join(f"{p.text[:50]}: {p.quadrant}" for p in grid[:10])
                + ".",
                caption="Ideas by impact and effort",
            )
        )
        blocks.append(
            Block(
                "Impact and effort",
                ("Where the room placed the ideas: how much difference each would make, and how hard it would be.",),
                figure="impact_effort",
                table=(
                    ("Idea", "Impact (1-5)", "Effort (1-5)", "Where it sits"),
                    *((p.text, f"{p.impact:g}", f"{p.effort:g}", p.quadrant) for p in grid),
                ),
                caption="Ideas by impact and effort",
            )
        )
    return tuple(blocks), tuple(charts)


def _rows_grid(rows: Sequence[Mapping[str, object]]) -> Grid:
    if not rows:
        return ()
    header = tuple(rows[0])
    return (header, *(tuple("" if row.get(h) is None else str(row.get(h)) for h in header) for row in rows))


def _data_protection(
    engine: Engine, workshop_id: int, stories: Sequence[Story], consents: Sequence[str]
) -> DataProtection:
    with read_session(engine) as s:
        actions = s.scalars(select(AuditRow.action).where(AuditRow.workshop_id == workshop_id)).all()
    withdrawals = sum(1 for action in actions if "withdraw" in action)
    consent_counts: Counter[str] = Counter(str(s.consent) for s in stories)
    moderation: Counter[str] = Counter(str(s.moderation_status) for s in stories)
    return DataProtection(
        stories_received=len(stories),
        by_consent=tuple((label, consent_counts.get(key, 0)) for key, label in CONSENT_LABELS.items()),
        by_moderation=tuple(
            (label, moderation.get(key, 0))
            for key, label in (
                ("approved", "Approved"),
                ("pending", "Waiting for moderation"),
                ("hidden", "Hidden by a facilitator"),
            )
        ),
        flagged_unreviewed=sum(1 for s in stories if s.is_flagged),
        flagged_reviewed=sum(1 for s in stories if s.risk_flags and s.risk_reviewed),
        withdrawals=withdrawals,
        quote_consents=tuple(CONSENT_LABELS.get(c, c) for c in consents),
    )


@dataclass(frozen=True)
class StoryCounts:
    """How many stories the report uses, may quote, and holds back."""

    received: int
    reported: int
    quotable: int
    pending: int
    flagged: int

    @property
    def held_back(self) -> int:
        return self.received - self.reported


def count_stories(engine: Engine, workshop_id: int) -> StoryCounts:
    """The numbers the Export screen shows before anyone downloads anything."""
    workshop = repo.get_workshop(engine, workshop_id)
    consents = quote_consents(workshop)
    stories = list_stories(engine, workshop_id)
    return StoryCounts(
        received=len(stories),
        reported=sum(1 for s in stories if is_reported(s)),
        quotable=sum(1 for s in stories if is_quotable(s, consents)),
        pending=sum(1 for s in stories if s.moderation_status == "pending"),
        flagged=sum(1 for s in stories if s.is_flagged),
    )
