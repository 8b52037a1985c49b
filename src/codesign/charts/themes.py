"""Figures for themes: the theme x stage heat map and the theme x lens chart."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

import plotly.graph_objects as go

from codesign.models import Lens, Stage
from codesign.themes.board import ThemeSummary, numbered

# One per lens in kit order: colour-blind-safe (Okabe-Ito, with a darker blue first), and
# far apart in lightness (greys of about 20%, 64%, 42%, 84%), so a greyscale print keeps
# lived experience, carers, staff and "someone else" apart. Bars also carry a fill pattern.
LENS_COLOURS = ("#0B3C5D", "#E69F00", "#009E73", "#F0E442", "#56B4E9", "#D55E00", "#CC79A7", "#000000")
LENS_PATTERNS = ("", "/", ".", "x", "-", "\\", "+", "|")
MAX_LABEL = 40
STAGE_LABEL_WIDTH = 9


def _wrap(text: str, width: int = STAGE_LABEL_WIDTH, lines: int = 3) -> str:
    """A short label wrapped onto a few lines, so axis labels stay level and never overlap."""
    import textwrap

    wrapped = textwrap.wrap(safe_label(text, 60), width=width) or [""]
    if len(wrapped) > lines:
        wrapped = wrapped[:lines]
        wrapped[-1] = wrapped[-1][: width - 1].rstrip() + "…"
    return "<br>".join(wrapped)


def safe_label(text: str, limit: int = MAX_LABEL) -> str:
    """A label Plotly shows as typed: its HTML-like tags (<a>, <b>, <br>) neutralised, long ones cut."""
    clean = " ".join(text.split()).replace("<", "‹").replace(">", "›")
    return clean if len(clean) <= limit else clean[: limit - 1] + "…"


def _names(summaries: Sequence[ThemeSummary]) -> list[str]:
    # Numbered by place on the board, as the board and the display number them.
    return [numbered(i, safe_label(s.theme.label)) for i, s in enumerate(summaries, start=1)]


def theme_stage_heatmap(summaries: Sequence[ThemeSummary], stages: Sequence[Stage]) -> go.Figure:
    """How many stories of each theme sit at each journey stage."""
    names = _names(summaries)
    z = []
    for summary in summaries:
        counts = Counter(s.stage_key for s in summary.stories)
        z.append([counts.get(stage.key, 0) for stage in stages])
    fig = go.Figure(
        go.Heatmap(
            z=z,
            x=list(range(len(stages))),
            y=names,
            # Sequential and light to dark: it reads the same in greyscale. Each cell says its count.
            colorscale="Blues",
            zmin=0,
            text=[[str(n) if n else "" for n in row] for row in z],
            texttemplate="%{text}",
            textfont={"size": 12},
            xgap=2,
            ygap=2,
            hovertemplate="%{y}<br>%{x}: %{z} stories<extra></extra>",
            colorbar={"title": {"text": "Stories"}, "thickness": 12},
        )
    )
    fig.update_xaxes(
        tickvals=list(range(len(stages))),
        ticktext=[_wrap(stage.name, lines=4) for stage in stages],
        tickangle=0,
        tickfont={"size": 10},
        side="bottom",
    )
    fig.update_layout(
        title="Themes across the journey",
        yaxis={"autorange": "reversed"},
        height=max(300, 110 + 34 * len(summaries)),
        margin={"l": 10, "r": 10, "t": 50, "b": 10},
        plot_bgcolor="white",
    )
    return fig


def theme_lens_chart(summaries: Sequence[ThemeSummary], lenses: Sequence[Lens]) -> go.Figure:
    """Stories per theme, split by lens (who told them)."""
    names = _names(summaries)
    fig = go.Figure()
    lens_names = [lens.name for lens in lenses]
    extra = sorted({n for s in summaries for n in s.lens_shares} - set(lens_names))
    for i, name in enumerate([*lens_names, *extra]):
        counts = [round(s.lens_shares.get(name, 0.0) * s.size) for s in summaries]
        if not any(counts):
            continue
        fig.add_bar(
            name=safe_label(name),
            y=names,
            x=counts,
            orientation="h",
            marker={
                "color": LENS_COLOURS[i % len(LENS_COLOURS)],
                "pattern": {"shape": LENS_PATTERNS[i % len(LENS_PATTERNS)], "fgcolor": "white", "size": 6},
                "line": {"color": "white", "width": 0.5},
            },
            hovertemplate="%{y}<br>" + safe_label(name) + ": %{x}<extra></extra>",
        )
    fig.update_layout(
        barmode="stack",
        title={"text": "Who told the stories in each theme", "y": 0.98, "yanchor": "top"},
        yaxis={"autorange": "reversed"},
        xaxis={"title": {"text": "Stories"}},
        height=max(320, 130 + 34 * len(summaries)),
        # Above the bars, in the order they stack from left to right: clear of the axis title.
        legend={
            "orientation": "h",
            "traceorder": "normal",
            "x": 0,
            "xanchor": "left",
            "y": 1.0,
            "yanchor": "bottom",
        },
        margin={"l": 10, "r": 10, "t": 90, "b": 10},
        plot_bgcolor="white",
    )
    return fig
