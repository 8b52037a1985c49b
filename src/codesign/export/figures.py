"""Figures for the report where a capability's own chart module does not provide one yet.

Each builder takes the report's plain values and returns a Plotly figure with a
print-friendly layout (white background, large type, no interactivity needed). When a
capability's builder in ``codesign.charts`` exists, ``report_data`` uses that instead,
so the report shows the same picture as the screen.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from typing import TYPE_CHECKING

import plotly.graph_objects as go

from codesign.export.sanitiser import clean_text

if TYPE_CHECKING:
    from codesign.export.report_data import ThemeSection

# A colour-blind-safe palette (Okabe and Ito), which also survives printing in grey.
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000")
FONT = {"family": "Arial, Helvetica, sans-serif", "size": 15, "color": "#222222"}


def _print_layout(fig: go.Figure, title: str) -> go.Figure:
    fig.update_layout(
        title={"text": title, "x": 0.01},
        font=FONT,
        paper_bgcolor="white",
        plot_bgcolor="white",
        margin={"l": 60, "r": 20, "t": 60, "b": 60},
        legend={"orientation": "h", "y": -0.18},
    )
    return fig


def _short(text: str, limit: int = 28) -> str:
    """A label for a chart: shortened, cleaned, and with markup escaped (Plotly reads a little HTML)."""
    text = clean_text(text)
    text = text if len(text) <= limit else text[: limit - 1] + "…"
    return html.escape(text, quote=False)


def theme_sizes(themes: Sequence[ThemeSection]) -> go.Figure:
    """Horizontal bars: the number of stories in each theme, biggest at the top."""
    ordered = list(reversed(themes))
    fig = go.Figure(
        go.Bar(
            x=[t.size for t in ordered],
            y=[_short(t.label, 40) for t in ordered],
            orientation="h",
            marker_color=PALETTE[0],
            text=[t.size for t in ordered],
            textposition="outside",
        )
    )
    fig.update_xaxes(title="Stories", gridcolor="#ddd")
    return _print_layout(fig, "Stories in each theme")
