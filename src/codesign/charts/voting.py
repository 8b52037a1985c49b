"""Figures for ideas and votes: the dot-vote results, consensus by lens, and the impact and effort grid.

The same figures go on the facilitator's screen, the wall (with ``large=True``) and in
the Word report. Idea and statement text is participants' text: it is escaped before it
reaches Plotly, whose labels would otherwise honour tags such as ``<a href>``.
"""

from __future__ import annotations

import html
import textwrap
from collections.abc import Mapping, Sequence

import plotly.graph_objects as go

from codesign.charts import themes
from codesign.voting.model import (
    GRID_MAX,
    GRID_MIDDLE,
    GRID_MIN,
    QUADRANTS,
    UNSTATED_LENS,
    Consensus,
    GridPoint,
    RoundResults,
)
from codesign.voting.results import counted

# The same lens colours and fill patterns as the theme charts (far apart in lightness, so
# greyscale prints keep the lenses apart); mid grey with no pattern for "did not say".
LENS_COLOURS = themes.LENS_COLOURS
LENS_PATTERNS = themes.LENS_PATTERNS
UNSTATED_COLOUR = "#999999"
# Agreement: disagree is orange, agree dark purple, an even split near white. The ends
# differ in lightness too (greys of about 57% and 9%), so -100 and +100 never print alike.
AGREEMENT_SCALE = [[0.0, "#e08214"], [0.5, "#f7f7f7"], [1.0, "#2d004b"]]
FONT = "Arial, sans-serif"


def label(text: str, width: int = 40, lines: int = 3) -> str:
    """Participant text made safe and short for a chart label: escaped, wrapped, trimmed."""
    wrapped = textwrap.wrap(" ".join(text.split()), width=width) or [""]
    if len(wrapped) > lines:
        wrapped = wrapped[:lines]
        wrapped[-1] = wrapped[-1][: width - 1].rstrip() + "…"
    return "<br>".join(html.escape(line, quote=False) for line in wrapped)


def _layout(fig: go.Figure, title: str, *, large: bool, height: int) -> go.Figure:
    size = 22 if large else 13
    fig.update_layout(
        title={"text": html.escape(title, quote=False), "font": {"size": size + 6}},
        font={"family": FONT, "size": size},
        height=height,
        margin={"l": 20, "r": 20, "t": 70 if large else 50, "b": 40},
        plot_bgcolor="white",
        paper_bgcolor="white",
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.0, "xanchor": "left", "x": 0, "traceorder": "normal"},
    )
    return fig


def results_bar(
    results: RoundResults,
    lens_names: Mapping[str, str],
    *,
    top: int | None = None,
    large: bool = False,
) -> go.Figure:
    """Dots per idea, most first, each bar split by the voters' lenses.

    Args:
        results: A revealed round's results (``voting.round_results``).
        lens_names: Lens key -> name, in the order the legend should follow.
        top: Show only this many ideas.
        large: Bigger type for the projector.
    """
    ideas = list(results.top(top) if top else results.ideas)
    ideas.reverse()  # Plotly draws the first category at the bottom
    names = [label(item.text, 60 if large else 40) for item in ideas]
    # Numbered rows named by tick labels: two ideas with the same words stay two bars.
    rows = list(range(len(ideas)))
    fig = go.Figure()
    keys: list[str | None] = [*lens_names, None]
    for i, key in enumerate(keys):
        values = [item.by_lens.get(key, 0) for item in ideas]
        if not any(values):
            continue
        fig.add_bar(
            y=rows,
            x=values,
            orientation="h",
            name=html.escape(lens_names[key] if key is not None else UNSTATED_LENS, quote=False),
            marker={
                "color": LENS_COLOURS[i % len(LENS_COLOURS)] if key is not None else UNSTATED_COLOUR,
                "pattern": {
                    "shape": LENS_PATTERNS[i % len(LENS_PATTERNS)] if key is not None else "",
                    "fgcolor": "white",
                    "size": 6,
                },
            },
            hovertemplate="%{x} dots<extra>%{fullData.name}</extra>",
        )
    fig.add_scatter(
        y=rows,
        x=[item.dots for item in ideas],
        mode="text",
        text=[f"  {item.dots}" for item in ideas],
        textposition="middle right",
        showlegend=False,
        hoverinfo="skip",
    )
    fig.update_layout(barmode="stack")
    most = max((item.dots for item in ideas), default=0)
    fig.update_xaxes(
        title_text="Dots", range=[0, max(most * 1.15, 1)], gridcolor="#e5e5e5", dtick=1 if most <= 12 else None
    )
    fig.update_yaxes(
        tickvals=rows, ticktext=names, automargin=True, tickfont={"size": 22 if large else 13, "color": "#222"}
    )
    title = f"{results.prompt} — {counted(results.total_dots, 'dot')} from {counted(results.voters, 'phone')}"
    return _layout(fig, title, large=large, height=max(320, 90 + (70 if large else 48) * len(ideas)))


def consensus_chart(consensus: Consensus, *, large: bool = False) -> go.Figure:
    """Statements x lenses: net agreement (agree share minus disagree share) in each group.

    Blue is agreement, red disagreement, pale an even split; each cell says the shares and
    how many answered. Lenses nobody answered from are left out; each row names its verdict.
    """
    statements = list(consensus.statements)
    statements.reverse()  # Plotly draws the first row at the bottom
    used = [i for i, _ in enumerate(consensus.lenses) if any(s.by_lens[i].responses for s in statements)]
    z: list[list[float | None]] = []
    text: list[list[str]] = []
    for statement in statements:
        z_row: list[float | None] = []
        t_row: list[str] = []
        for i in used:
            lens = statement.by_lens[i]
            if lens.responses:
                z_row.append(lens.agree_share - lens.disagree_share)
                t_row.append(
                    f"{round(lens.agree_share * 100)}% agree<br>{round(lens.disagree_share * 100)}% disagree"
                    f"<br>({counted(lens.responses, 'answer')})"
                )
            else:
                z_row.append(None)
                t_row.append("no answers")
        z.append(z_row)
        text.append(t_row)
    # Numbered rows and columns, named by tick labels: two statements with the same words
    # stay two rows.
    fig = go.Figure(
        go.Heatmap(
            z=z,
            x=list(range(len(used))),
            y=list(range(len(statements))),
            zmin=-1,
            zmax=1,
            colorscale=AGREEMENT_SCALE,
            text=text,
            texttemplate="%{text}",
            textfont={"size": 16 if large else 11},
            hoverinfo="skip",
            xgap=3,
            ygap=3,
            colorbar={
                "title": {"text": "agree − disagree"},
                "tickvals": [-1, 0, 1],
                "ticktext": ["−100", "0", "+100"],
                "thickness": 14,
            },
        )
    )
    fig.update_xaxes(
        tickvals=list(range(len(used))),
        ticktext=[label(consensus.lenses[i][1], 12, 3) for i in used],
        tickangle=0,
        showgrid=False,
        zeroline=False,
    )
    fig.update_yaxes(
        tickvals=list(range(len(statements))),
        ticktext=[f"{label(s.text, 44 if large else 34, 3)}<br><i>{_VERDICT_MARKS[s.verdict]}</i>" for s in statements],
        automargin=True,
        showgrid=False,
        zeroline=False,
    )
    height = max(360, 160 + (130 if large else 90) * len(statements))
    return _layout(fig, f"Where the groups stand: {consensus.prompt}", large=large, height=height)


_VERDICT_MARKS = {
    "agree": "all agree",
    "disagree": "all disagree",
    "diverge": "groups diverge",
    "mixed": "no clear view",
    "too_few": "too few answers",
}


def impact_effort_grid(points: Sequence[GridPoint], *, large: bool = False, numbered: bool = False) -> go.Figure:
    """Ideas on a 1-5 impact (up) and effort (across) grid, in four named quadrants.

    A marker's size follows its dots where the round's results are revealed (the figure
    says so). With ``numbered``, each marker carries its idea's number instead of its words,
    for print, where the table that follows gives the words and labels would overlap.
    """
    fig = go.Figure()
    low, high, mid = GRID_MIN - 0.5, GRID_MAX + 0.5, GRID_MIDDLE
    quadrant_boxes = {
        QUADRANTS[0]: (low, mid, mid, high, "#e8f4ea"),
        QUADRANTS[1]: (mid, high, mid, high, "#e8eef8"),
        QUADRANTS[2]: (low, mid, low, mid, "#f5f5f5"),
        QUADRANTS[3]: (mid, high, low, mid, "#fbeeee"),
    }
    for name, (x0, x1, y0, y1, colour) in quadrant_boxes.items():
        fig.add_shape(type="rect", x0=x0, x1=x1, y0=y0, y1=y1, fillcolor=colour, line_width=0, layer="below")
        fig.add_annotation(
            x=(x0 + x1) / 2, y=y1 - 0.15, text=f"<b>{name}</b>", showarrow=False, font={"size": 24 if large else 14}
        )
    if points:
        most = max((p.dots or 0 for p in points), default=0)
        sizes = [18 + (30 * (p.dots or 0) / most if most else 0) for p in points]
        fig.add_scatter(
            x=[p.effort for p in points],
            y=[p.impact for p in points],
            mode="markers+text",
            marker={"size": sizes, "color": "#0B3C5D", "opacity": 0.85, "line": {"width": 1, "color": "white"}},
            text=[str(n) for n in range(1, len(points) + 1)]
            if numbered
            else [label(p.text, 28 if large else 22, 2) for p in points],
            textposition="middle center" if numbered else "bottom center",
            textfont={"color": "white", "size": 12} if numbered else None,
            customdata=[p.dots if p.dots is not None else "hidden" for p in points],
            hovertemplate="impact %{y}, effort %{x}, dots %{customdata}<extra></extra>",
            showlegend=False,
        )
        if any(p.dots for p in points):
            fig.add_annotation(
                xref="paper",
                yref="paper",
                x=1,
                y=1.0,
                xanchor="right",
                yanchor="bottom",
                showarrow=False,
                text="Bigger circles got more dots",
                font={"size": 18 if large else 11, "color": "#444"},
            )
    fig.update_xaxes(title_text="Effort (1 low, 5 high)", range=[low, high], dtick=1, showgrid=False, zeroline=False)
    fig.update_yaxes(title_text="Impact (1 low, 5 high)", range=[low, high], dtick=1, showgrid=False, zeroline=False)
    return _layout(fig, "Impact and effort", large=large, height=720 if large else 520)
