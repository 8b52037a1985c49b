"""Figures for the report where a capability's own chart module does not provide one yet.

Each builder takes the report's plain values and returns a Plotly figure with a
print-friendly layout (white background, large type, no interactivity needed). When a
capability's builder in ``codesign.charts`` exists, ``report_data`` uses that instead,
so the report shows the same picture as the screen.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import networkx as nx
import plotly.graph_objects as go

from codesign.export.sanitiser import clean_text

if TYPE_CHECKING:
    from codesign.export.report_data import IdeaLine, ThemeSection

# A colour-blind-safe palette (Okabe and Ito), which also survives printing in grey.
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000")
FONT = {"family": "Arial, Helvetica, sans-serif", "size": 15, "color": "#222222"}
# Layouts are seeded: the same workshop gives the same picture every time.
LAYOUT_SEED = 7


@dataclass(frozen=True)
class NetworkPicture:
    """Who is on the stakeholder map and who connects to whom (name, name, type)."""

    names: tuple[str, ...]
    sectors: tuple[str, ...]
    edges: tuple[tuple[str, str, str], ...]


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


def stakeholder_map(picture: NetworkPicture) -> go.Figure:
    """The stakeholder network: nodes coloured by sector, edges between them."""
    graph = nx.Graph()
    graph.add_nodes_from(picture.names)
    graph.add_edges_from((a, b) for a, b, _type in picture.edges)
    pos = nx.spring_layout(graph, seed=LAYOUT_SEED)
    edge_x: list[float | None] = []
    edge_y: list[float | None] = []
    for a, b in graph.edges():
        edge_x += [pos[a][0], pos[b][0], None]
        edge_y += [pos[a][1], pos[b][1], None]
    fig = go.Figure(
        go.Scatter(
            x=edge_x, y=edge_y, mode="lines", line={"color": "#999", "width": 1}, hoverinfo="none", showlegend=False
        )
    )
    sectors = list(dict.fromkeys(picture.sectors))
    for i, sector in enumerate(sectors):
        names = [n for n, s in zip(picture.names, picture.sectors, strict=True) if s == sector]
        fig.add_trace(
            go.Scatter(
                x=[pos[n][0] for n in names],
                y=[pos[n][1] for n in names],
                mode="markers+text",
                text=[_short(n, 22) for n in names],
                textposition="top center",
                textfont={"size": 11},
                name=_short(sector, 40),
                marker={"size": 14, "color": PALETTE[i % len(PALETTE)], "line": {"color": "white", "width": 1}},
            )
        )
    # Room around the outermost nodes, so their labels are not cut off.
    fig.update_xaxes(visible=False, range=[-1.35, 1.35])
    fig.update_yaxes(visible=False, range=[-1.15, 1.2])
    return _print_layout(fig, "Stakeholder map")


def network_alt_text(picture: NetworkPicture) -> str:
    degree: dict[str, int] = dict.fromkeys(picture.names, 0)
    for a, b, _type in picture.edges:
        degree[a] = degree.get(a, 0) + 1
        degree[b] = degree.get(b, 0) + 1
    top = sorted(degree.items(), key=lambda kv: (-kv[1], kv[0]))[:3]
    return (
        f"Network diagram of {len(picture.names)} stakeholders and {len(picture.edges)} connections, "
        f"coloured by sector. Most connected: " + ", ".join(f"{n} ({d})" for n, d in top) + "."
    )


def idea_votes(ideas: Sequence[IdeaLine], lenses: Sequence[str]) -> go.Figure:
    """Stacked bars: dots on each idea, split by the voters' lenses (top 15 ideas)."""
    top = [i for i in ideas if i.dots][:15][::-1]
    fig = go.Figure()
    for n, lens in enumerate([*lenses, "Not given"]):
        values = [dict(i.dots_by_lens).get(lens, 0) for i in top]
        if any(values):
            fig.add_trace(
                go.Bar(
                    x=values,
                    y=[_short(i.text, 40) for i in top],
                    orientation="h",
                    name=_short(lens, 40),
                    marker_color=PALETTE[n % len(PALETTE)],
                )
            )
    fig.update_layout(barmode="stack")
    fig.update_xaxes(title="Dots", gridcolor="#ddd")
    return _print_layout(fig, "Votes on ideas, by lens")
