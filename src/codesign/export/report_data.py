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

import dataclasses
import textwrap
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from codesign.charts import journey as journey_charts
from codesign.charts import network as network_charts
from codesign.charts import themes as theme_charts
from codesign.export.summary import ActionLine, Summary, YouSaid
from codesign.journeys.blueprint import Blueprint
from codesign.journeys.journey import EmotionCurve, JourneyMap
from codesign.models import BlueprintItem, Lens, Stage, Story, Workshop
from codesign.network.analysis import NetworkAnalysis
from codesign.themes import board as theme_board

# Figures are drawn at the size they print, in CSS pixels (96 to the inch): a 12 px label
# prints at 9 pt. Portrait A4 text width 16.5 cm; landscape A4 25 cm; an A3 landscape
# poster is the whole sheet. Landscape figures leave room above them for a heading, a line and the caption.
A4_PORTRAIT_PX = (624, 420)
A4_LANDSCAPE_PX = (900, 480)
# The journey map and blueprints take a landscape page's width (25 cm); their height leaves room on
# the page for the heading and line above them, the caption and the footer.
A4_JOURNEY_PX = (945, 510)
A4_BLUEPRINT_PX = (945, 420)
# The stakeholder map on a landscape page of its own, below its heading.
A4_NETWORK_PX = (945, 500)
A3_LANDSCAPE_PX = (1587, 1123)

# Enough quotes to give a theme a voice without turning the report into a transcript.
QUOTES_PER_THEME = 3
# A withheld story is looked for inside map and idea text only if it is at least this
# long: shorter texts ("no", "the wait") would match innocent sticky notes.
MIN_LEAK_CHARS = 20

COLLECTED_FIELDS = (
    "The story, as stored after phone numbers, e-mail and web addresses, street addresses and postcodes, dates, "
    "NHS and National Insurance numbers were replaced with labels such as [phone number]. Names of people are "
    "not replaced: a story that seems to name someone waits for a facilitator to review it before it is shown.",
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
    theme_id: int = 0
    insight: str = ""
    """The room's insight statement for the theme, when it wrote one."""


Grid = tuple[tuple[str, ...], ...]
"""A plain-text table: a header row, then rows; cells may hold line breaks."""


@dataclass(frozen=True)
class PersonaLine:
    """A persona the room defined, as the report names it."""

    name: str
    description: str
    stories: int
    """Its linked stories that the report counts (approved, reviewed)."""


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
    width_px: int = A4_PORTRAIT_PX[0]
    height_px: int = A4_PORTRAIT_PX[1]
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
    data_controller: str = ""
    lawful_basis: str = ""
    retention: str = ""


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
    lens_gaps: tuple[str, ...] = ()
    """Stages where the lenses felt a whole point or more apart, one sentence each."""
    personas: tuple[PersonaLine, ...] = ()
    persona_emotion: Grid = ()
    """Stage by persona (and everyone): how each stage felt through each persona's stories."""
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
    summary: Summary | None = None
    actions: tuple[ActionLine, ...] = ()
    you_said: tuple[YouSaid, ...] = ()
    limitations: tuple[str, ...] = ()
    next_steps: tuple[str, ...] = ()
    network_terms: tuple[tuple[str, str], ...] = ()
    """(finding, network term and what it means) for the appendix."""
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


def _with_figures(
    data: ReportData,
    graph: _NetworkView | None,
    jmap: JourneyMap,
    plans: Sequence[Blueprint],
    vote_figures: Sequence[Figure],
    theme_summaries: Sequence[theme_board.ThemeSummary],
    stages: Sequence[Stage],
    lenses: Sequence[Lens],
) -> ReportData:
    built: dict[str, Figure] = {f.key: f for f in vote_figures}
    if data.emotion:
        built["emotion"] = Figure(
            "emotion",
            _print_emotion(journey_charts.emotion_curve_figure(jmap.curve, title=None), jmap.curve),
            alt_text=_emotion_alt_text(jmap.curve),
            caption=_emotion_caption(jmap.curve),
            width_px=A4_PORTRAIT_PX[0],
            height_px=470,
        )
    if data.journey:
        built["journey"] = Figure(
            "journey",
            journey_charts.journey_map_print_figure(jmap, size=A4_JOURNEY_PX),
            alt_text=_journey_alt_text(jmap),
            caption="The journey map, with the emotion curve above its stages. Long text is shortened with “…”; "
            "the full text is in the table below.",
            width_px=A4_JOURNEY_PX[0],
            height_px=A4_JOURNEY_PX[1],
            landscape=True,
        )
    for plan in plans:
        built[f"blueprint_{plan.version}"] = Figure(
            f"blueprint_{plan.version}",
            journey_charts.blueprint_figure(drawn_lanes(plan), size=A4_BLUEPRINT_PX),
            alt_text=_blueprint_alt_text(plan),
            caption=f"Service blueprint. {plan.title}. Lanes with nothing in them are left out, long text is "
            "shortened with “…”; the full text is in the table below.",
            width_px=A4_BLUEPRINT_PX[0],
            height_px=A4_BLUEPRINT_PX[1],
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
        heatmap = _room_for_labels(
            theme_charts.theme_stage_heatmap(theme_summaries, stages), stage_names=[st.name for st in stages]
        )
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
                graph.graph,
                graph.positions,
                analysis=graph.analysis,
                type_names=graph.type_names,
                width=A4_NETWORK_PX[0],
                height=A4_NETWORK_PX[1],
            ),
            alt_text=_network_alt_text(graph),
            caption="The stakeholder map: colour shows the sector, size the number of working links.",
            width_px=A4_NETWORK_PX[0],
            height_px=A4_NETWORK_PX[1],
            landscape=True,
        )
    return ReportData(**{**data.__dict__, "figures": built})


def _print_emotion(fig: Any, curve: EmotionCurve) -> Any:
    """The emotion curve at its printed size: level stage labels wrapped to fit, the key in the caption.

    On paper the screen's rotated labels run into its footnote, so the footnote goes (the
    caption says the same, and only what is true of this curve) and the labels lie flat.
    """
    fig.layout.annotations = [a for a in fig.layout.annotations if not str(a.text or "").startswith("Bars:")]
    ticks = []
    for stage, point in zip(curve.stages, curve.overall, strict=True):
        # Whole words only ("conversation" never splits), at 11 px: 8 pt on paper.
        lines = textwrap.wrap(stage.name, 10, break_long_words=False)
        name = "<br>".join(lines[:4]) + ("…" if len(lines) > 4 else "") or stage.name
        ticks.append(f"{name}<br><i>n={point.count}</i>" if point.count else f"{name}<br><i>none</i>")
    fig.update_xaxes(ticktext=ticks, tickangle=0, tickfont={"size": 11}, automargin=True)
    fig.update_layout(
        margin={"l": 90, "r": 10, "t": 10, "b": 10},
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.02, "xanchor": "left", "x": 0, "font": {"size": 11}},
    )
    return fig


def _emotion_caption(curve: EmotionCurve) -> str:
    shaded = any(p.count < curve.thin_below for p in curve.overall)
    thin = f"fewer than {curve.thin_below} ratings (thin evidence)"
    return (
        "How people felt at each stage, by lens: the mean of a 1 to 5 scale. Bars show ±1 standard deviation; "
        + (f"hollow points and shaded stages have {thin}." if shaded else f"hollow points have {thin}.")
        + " Under each stage, n is the number of ratings."
    )


def _room_for_labels(fig: Any, *, stage_names: Sequence[str] = ()) -> Any:
    """A theme chart as it prints on a portrait page, 11 px text (8 pt) and up.

    The caption above the picture names it, so the chart's own title goes (it ran into the
    legend). Theme names wrap onto two lines instead of being cut short, and on the heat map
    the stage names lean, so eight stages fit under cells a few characters wide.
    """
    names = [str(y) for y in (fig.data[0].y or ())] if fig.data else []
    fig.update_yaxes(
        automargin=True,
        tickvals=names,
        ticktext=[
            "<br>".join(textwrap.wrap(n, 26)[:2]) + ("…" if len(textwrap.wrap(n, 26)) > 2 else "") for n in names
        ],
        tickfont={"size": 11},
    )
    fig.update_xaxes(automargin=True, tickfont={"size": 11})
    if stage_names:
        ticks = [theme_charts.safe_label(t, 60) for t in stage_names]
        fig.update_xaxes(ticktext=["<br>".join(textwrap.wrap(t, 20)) for t in ticks], tickangle=-35)
    fig.update_layout(title=None, margin={"l": 20, "b": 20, "t": 10 if stage_names else 60}, font={"size": 11})
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


def _grid(rows: Sequence[Sequence[str]]) -> Grid:
    return tuple(tuple(str(cell) for cell in row) for row in rows)


def _emotion_grid(curve: EmotionCurve) -> Grid:
    """Stage by lens, in the curve's own words ("2.3 of 5 (n=7) · thin evidence")."""
    series = [s for s in curve.series if s.count]
    header = ("Stage", *(s.lens_name for s in series), "All lenses")
    rows = [
        (stage.name, *(s.points[i].describe() for s in series), curve.overall[i].describe())
        for i, stage in enumerate(curve.stages)
    ]
    return (header, *rows)


def _emotion_alt_text(curve: EmotionCurve) -> str:
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


def _count(n: int, one: str) -> str:
    return f"{n} {one}" if n == 1 else f"{n} {one}s"


def drawn_lanes(plan: Blueprint) -> Blueprint:
    """The blueprint with only the lanes that hold something: on paper an empty lane is wasted height."""
    used = {i.lane for i in plan.items}
    return dataclasses.replace(plan, lanes=tuple(lane for lane in plan.lanes if lane.key in used) or plan.lanes)


def _journey_alt_text(jmap: JourneyMap) -> str:
    rated = [js for js in jmap.stages if js.emotion.mean is not None]
    lowest = min(rated, key=lambda js: js.emotion.mean or 0) if rated else None
    items = sum(len(cells) for js in jmap.stages for cells in js.items.values())
    quotes = sum(len(js.quotes) for js in jmap.stages)
    lanes = [name.lower() for key, name in jmap.lanes if any(js.items.get(key) for js in jmap.stages)]
    text = (
        f"Journey map of {len(jmap.stages)} stages ("
        + ", ".join(js.stage.name for js in jmap.stages)
        + f") with {_count(items, 'item')} in the lanes "
        + (", ".join(lanes) or "(none yet)")
        + (f" and {_count(quotes, 'quote')} from the stories" if quotes else "")
        + ", under the emotion curve."
    )
    if lowest is not None:
        text += f" Feeling is lowest at {lowest.stage.name} ({lowest.emotion.describe()})."
    return text + " The same content is in the table that follows."


def _blueprint_alt_text(plan: Blueprint) -> str:
    names = {s.id: s.name for s in plan.stages}
    drawn = drawn_lanes(plan)
    kept = {lane.key for lane in drawn.lanes}
    lines = [line.name.lower() for line in drawn.lines if line.above in kept and line.below in kept]

    def where(items: Sequence[BlueprintItem]) -> str:
        return ", ".join(dict.fromkeys(names[i.stage_id] for i in items)) or "none"

    return (
        f"Service blueprint, {plan.title.lower()}: {_count(len(plan.items), 'item')} across "
        f"{_count(len(plan.stages), 'stage')} in {_count(len(drawn.lanes), 'lane')} ("
        + ", ".join(lane.name for lane in drawn.lanes)
        + ")"
        + (", divided by the " + " and the ".join(lines) if lines else "")
        + f". Fail points at: {where(plan.fail_points)}. Wait points at: {where(plan.wait_points)}. "
        "The same content is in the table that follows."
    )


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


def _rows_grid(rows: Sequence[Mapping[str, object]]) -> Grid:
    if not rows:
        return ()
    header = tuple(rows[0])
    return (header, *(tuple("" if row.get(h) is None else str(row.get(h)) for h in header) for row in rows))


@dataclass(frozen=True)
class _NetworkView:
    """What the stakeholder figure needs: the same inputs as the Stakeholders screen's."""

    graph: Any
    positions: dict[int, tuple[float, float]]
    analysis: NetworkAnalysis
    type_names: dict[str, str]
