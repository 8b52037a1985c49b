"""Figures for themes: the theme x stage heat map, the theme x lens chart, the wall's board."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

import plotly.graph_objects as go

from codesign.models import Lens, Stage
from codesign.themes.board import ThemeSummary

# Colour-blind-safe (Okabe-Ito), one per lens in kit order.
LENS_COLOURS = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000")
MAX_LABEL = 40


def safe_label(text: str, limit: int = MAX_LABEL) -> str:
    """A label Plotly shows as typed: its HTML-like tags (<a>, <b>, <br>) neutralised, long ones cut."""
    clean = " ".join(text.split()).replace("<", "‹").replace(">", "›")
    return clean if len(clean) <= limit else clean[: limit - 1] + "…"


def _names(summaries: Sequence[ThemeSummary]) -> list[str]:
    # Two themes may share a label; the number keeps their rows apart.
    return [f"{i}. {safe_label(s.theme.label)}" for i, s in enumerate(summaries, start=1)]


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
            x=[safe_label(stage.name) for stage in stages],
            y=names,
            colorscale="Blues",
            hovertemplate="%{y}<br>%{x}: %{z} stories<extra></extra>",
            colorbar={"title": {"text": "Stories"}},
        )
    )
    fig.update_layout(
        title="Themes across the journey",
        yaxis={"autorange": "reversed"},
        height=max(300, 60 + 34 * len(summaries)),
        margin={"l": 10, "r": 10, "t": 50, "b": 10},
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
            marker_color=LENS_COLOURS[i % len(LENS_COLOURS)],
            hovertemplate="%{y}<br>" + safe_label(name) + ": %{x}<extra></extra>",
        )
    fig.update_layout(
        barmode="stack",
        title="Who told the stories in each theme",
        yaxis={"autorange": "reversed"},
        xaxis={"title": {"text": "Stories"}},
        height=max(300, 60 + 34 * len(summaries)),
        legend={"orientation": "h", "y": -0.15},
        margin={"l": 10, "r": 10, "t": 50, "b": 10},
    )
    return fig


def theme_board_figure(summaries: Sequence[ThemeSummary], *, font_size: int = 30) -> go.Figure:
    """The board for the projector: one tile per theme, sized by its stories, in large type."""
    shown = [s for s in summaries if s.size]
    fig = go.Figure(
        go.Treemap(
            labels=_names(shown),
            parents=[""] * len(shown),
            values=[s.size for s in shown],
            texttemplate="%{label}<br>%{value} stories",
            textfont={"size": font_size},
            hovertemplate="%{label}: %{value} stories<extra></extra>",
            marker={"colors": [LENS_COLOURS[i % len(LENS_COLOURS)] for i in range(len(shown))]},
            tiling={"pad": 6},
        )
    )
    fig.update_layout(margin={"l": 0, "r": 0, "t": 0, "b": 0}, height=620)
    return fig
