"""Figures for the stakeholder network: the network itself and the power / interest grid.

Both are pure functions of their arguments: the screen shows them interactively and the
Word report renders the same figures as images.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

import networkx as nx
import plotly.graph_objects as go

from codesign.models import StakeholderValue
from codesign.network.analysis import SIZE_METRICS, NetworkAnalysis, analyse_network
from codesign.workshops.kits import SECTORS, STAKEHOLDER_KINDS

# Colour-blind-safe first (Plotly's "Safe"), then distinct extras, one per sector in
# SECTORS order so a sector has the same colour on every screen and in the report.
SECTOR_PALETTE = (
    "#88CCEE", "#CC6677", "#DDCC77", "#117733", "#332288", "#AA4499", "#44AA99",
    "#999933", "#882255", "#661100", "#6699CC", "#E68310", "#4B4B8F", "#888888",
)  # fmt: skip
SECTOR_COLOURS: dict[str, str] = {key: SECTOR_PALETTE[i % len(SECTOR_PALETTE)] for i, key in enumerate(SECTORS)}

# Line style per relationship type: the kit's usual types, others fall back to solid.
EDGE_DASH: dict[str, str] = {
    "referral": "solid",
    "information_sharing": "dot",
    "funding": "dash",
    "support": "longdash",
    "accountability": "dashdot",
    "conflict": "dot",
}
EDGE_COLOUR = "#7f7f7f"
TENSION_COLOUR = "#d62728"
MIN_NODE_SIZE, MAX_NODE_SIZE = 12.0, 40.0
# Labels under every node stop being readable beyond this many nodes; hover still works.
LABELS_UP_TO = 120
LABEL_CHARS = 24


def sector_colour(sector: str) -> str:
    """The colour a sector has on every figure."""
    return SECTOR_COLOURS.get(sector, SECTOR_COLOURS["other"])


def _metric_values(
    graph: nx.MultiDiGraph, analysis: NetworkAnalysis, size_by: str, mentions: Mapping[int, int]
) -> dict[int, float]:
    values: dict[int, float] = {}
    for node, data in graph.nodes(data=True):
        m = analysis.metrics.get(node)
        if size_by == "degree":
            values[node] = float(m.degree if m else 0)
        elif size_by == "betweenness":
            values[node] = float(m.betweenness if m else 0.0)
        elif size_by in ("influence", "interest"):
            values[node] = float(data[size_by])
        elif size_by == "mentions":
            values[node] = float(mentions.get(node, 0))
        else:
            raise ValueError(f"unknown size metric {size_by!r}; use one of {', '.join(SIZE_METRICS)}")
    return values


def _sizes(values: Mapping[int, float]) -> dict[int, float]:
    if not values:
        return {}
    low, high = min(values.values()), max(values.values())
    if high - low < 1e-12:
        return dict.fromkeys(values, (MIN_NODE_SIZE + MAX_NODE_SIZE) / 2)
    return {n: MIN_NODE_SIZE + (MAX_NODE_SIZE - MIN_NODE_SIZE) * (v - low) / (high - low) for n, v in values.items()}


def network_figure(
    graph: nx.MultiDiGraph,
    positions: Mapping[int, tuple[float, float]],
    *,
    size_by: str = "degree",
    analysis: NetworkAnalysis | None = None,
    mentions: Mapping[int, int] | None = None,
    type_names: Mapping[str, str] | None = None,
    sector_names: Mapping[str, str] = SECTORS,
    highlight: int | None = None,
    title: str | None = None,
    height: int = 640,
) -> go.Figure:
    """The stakeholder network as an interactive Plotly figure.

    Node colour shows the sector and node size the chosen metric; each relationship type
    has its own line style (tensions in red), directed relationships end in an arrow, and
    hovering shows the details.

    Args:
        graph: From ``network.build_graph`` (or a filtered / ego view of it).
        positions: Stakeholder id -> (x, y), from ``network.layout_positions`` on the whole map.
        size_by: One of ``network.SIZE_METRICS``.
        analysis: Metrics to size by; computed on ``graph`` if not given.
        mentions: Stakeholder id -> number of stories that mention it (for ``size_by="mentions"``).
        type_names: Relationship type key -> the kit's name for it, for the legend.
        sector_names: Sector key -> plain name, for the legend.
        highlight: A stakeholder id to ring (the centre of an ego view).
        title: The figure's title.
        height: Height in pixels.

    Returns:
        The figure; an empty map gives a figure that says so.
    """
    fig = go.Figure()
    fig.update_layout(
        title=title,
        height=height,
        showlegend=True,
        hovermode="closest",
        margin={"l": 10, "r": 10, "t": 50 if title else 10, "b": 10},
        plot_bgcolor="white",
        legend={"itemsizing": "constant", "groupclick": "toggleitem"},
        xaxis={"visible": False},
        yaxis={"visible": False, "scaleanchor": "x", "scaleratio": 1},
    )
    nodes = [n for n in graph.nodes if n in positions]
    if not nodes:
        fig.add_annotation(text="No stakeholders to show", showarrow=False, font={"size": 18})
        return fig
    analysis = analysis or analyse_network(graph)
    counts = mentions or {}
    names = type_names or {}
    sizes = _sizes(_metric_values(graph, analysis, size_by, counts))
    xs = [positions[n][0] for n in nodes]
    ys = [positions[n][1] for n in nodes]
    # Roughly how much of the data range one screen pixel covers, to place arrowheads.
    pixel = max(max(xs) - min(xs), max(ys) - min(ys), 0.5) / (0.8 * height)
    _add_edges(fig, graph, positions, sizes, names, pixel)
    show_labels = len(nodes) <= LABELS_UP_TO
    by_sector: dict[str, list[int]] = {}
    for n in nodes:
        by_sector.setdefault(graph.nodes[n]["sector"], []).append(n)
    order = {key: i for i, key in enumerate(sector_names)}
    for sector in sorted(by_sector, key=lambda s: (order.get(s, len(order)), s)):
        members = sorted(by_sector[sector], key=lambda n: graph.nodes[n]["name"].casefold())
        hover = [_node_hover(graph, n, analysis, counts, sector_names) for n in members]
        fig.add_trace(
            go.Scatter(
                x=[positions[n][0] for n in members],
                y=[positions[n][1] for n in members],
                mode="markers+text" if show_labels else "markers",
                name=sector_names.get(sector, sector),
                legendgroup="sectors",
                legendgrouptitle_text="Sector",
                text=[_short(graph.nodes[n]["name"]) for n in members],
                textposition="bottom center",
                textfont={"size": 11},
                hovertext=hover,
                hoverinfo="text",
                customdata=members,
                marker={
                    "opacity": 1,
                    "size": [sizes[n] for n in members],
                    "color": sector_colour(sector),
                    "line": {
                        "width": [4 if n == highlight else 1 for n in members],
                        "color": ["#000000" if n == highlight else "#ffffff" for n in members],
                    },
                },
            )
        )
    return fig


def _node_hover(
    graph: nx.MultiDiGraph,
    node: int,
    analysis: NetworkAnalysis,
    mentions: Mapping[int, int],
    sector_names: Mapping[str, str],
) -> str:
    d = graph.nodes[node]
    m = analysis.metrics.get(node)
    lines = [
        f"<b>{_escape(d['name'])}</b>",
        _escape(f"{STAKEHOLDER_KINDS.get(d['kind'], d['kind'])} · {sector_names.get(d['sector'], d['sector'])}"),
        f"Influence {d['influence']} · interest {d['interest']}",
    ]
    if m is not None:
        lines.append(f"Working links {m.degree} · broker score {m.betweenness:.2f}")
        if m.tensions:
            lines.append(f"Tensions {m.tensions}")
        if m.is_single_point_of_failure:
            lines.append("Single point of failure")
    if node in mentions:
        lines.append(f"Mentioned in {mentions[node]} stories")
    return "<br>".join(lines)


def _short(name: str) -> str:
    # Long names overlap their neighbours on the drawing; hovering shows the full name.
    return name if len(name) <= LABEL_CHARS else name[: LABEL_CHARS - 1].rstrip() + "…"


def _escape(text: str) -> str:
    # Hover text is HTML-ish in Plotly: names typed by a facilitator are shown literally.
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _add_edges(
    fig: go.Figure,
    graph: nx.MultiDiGraph,
    positions: Mapping[int, tuple[float, float]],
    sizes: Mapping[int, float],
    type_names: Mapping[str, str],
    pixel: float,
) -> None:
    by_type: dict[str, list[tuple[int, int, dict[str, object]]]] = {}
    pair_count: dict[tuple[int, int], int] = {}
    for u, v, d in graph.edges(data=True):
        if u in positions and v in positions and u != v:
            by_type.setdefault(str(d["type"]), []).append((u, v, d))
    order = {key: i for i, key in enumerate(type_names)}
    arrow_x: list[float] = []
    arrow_y: list[float] = []
    arrow_angle: list[float] = []
    arrow_colour: list[str] = []
    mid_x: list[float] = []
    mid_y: list[float] = []
    mid_text: list[str] = []
    first_group = True
    for rel_type in sorted(by_type, key=lambda t: (order.get(t, len(order)), t)):
        colour = TENSION_COLOUR if rel_type == "conflict" else EDGE_COLOUR
        label = type_names.get(rel_type, rel_type.replace("_", " "))
        # One trace per strength (a trace has one line width); one legend entry per type.
        lines: dict[int, tuple[list[float | None], list[float | None]]] = {}
        for u, v, d in by_type[rel_type]:
            (x0, y0), (x1, y1) = positions[u], positions[v]
            # Parallel links between the same pair bend apart, so each stays visible.
            pair = (min(u, v), max(u, v))
            nth = pair_count.get(pair, 0)
            pair_count[pair] = nth + 1
            bend = 0.0 if nth == 0 else (0.08 * ((nth + 1) // 2) * (1 if nth % 2 else -1))
            cx, cy = (x0 + x1) / 2 - bend * (y1 - y0), (y0 + y1) / 2 + bend * (x1 - x0)
            xs, ys = lines.setdefault(int(str(d["strength"])), ([], []))
            xs += [x0, cx, x1, None]
            ys += [y0, cy, y1, None]
            mid_x.append(cx)
            mid_y.append(cy)
            arrow = "→" if d["directed"] else "–"
            note = f"<br>{_escape(str(d['note']))}" if d.get("note") else ""
            mid_text.append(
                f"{_escape(graph.nodes[u]['name'])} {arrow} {_escape(graph.nodes[v]['name'])}<br>"
                f"{_escape(label)} · strength {d['strength']}{note}"
            )
            if d["directed"]:
                # The arrowhead sits just outside the target's marker, pointing at it.
                length = math.hypot(x1 - cx, y1 - cy) or 1.0
                offset = min(0.45 * length, (sizes.get(v, MIN_NODE_SIZE) / 2 + 6) * pixel)
                arrow_x.append(x1 - (x1 - cx) / length * offset)
                arrow_y.append(y1 - (y1 - cy) / length * offset)
                arrow_angle.append(math.degrees(math.atan2(x1 - cx, y1 - cy)))
                arrow_colour.append(colour)
        for i, strength in enumerate(sorted(lines)):
            xs, ys = lines[strength]
            fig.add_trace(
                go.Scatter(
                    x=xs,
                    y=ys,
                    mode="lines",
                    line={"color": colour, "width": 0.6 + 0.8 * strength, "dash": EDGE_DASH.get(rel_type, "solid")},
                    line_shape="spline",
                    name=label,
                    legendgroup=f"type-{rel_type}",
                    legendgrouptitle_text="Relationship" if first_group and i == 0 else None,
                    showlegend=i == 0,
                    hoverinfo="skip",
                )
            )
        first_group = False
    if mid_x:
        # Invisible markers halfway along each line carry its hover text.
        fig.add_trace(
            go.Scatter(
                x=mid_x,
                y=mid_y,
                mode="markers",
                marker={"size": 10, "color": "rgba(0,0,0,0)"},
                hovertext=mid_text,
                hoverinfo="text",
                showlegend=False,
                name="relationships",
            )
        )
    if arrow_x:
        fig.add_trace(
            go.Scatter(
                x=arrow_x,
                y=arrow_y,
                mode="markers",
                marker={"symbol": "arrow", "size": 10, "angle": arrow_angle, "color": arrow_colour, "opacity": 1},
                hoverinfo="skip",
                showlegend=False,
                name="direction",
            )
        )


# Quadrants of the power / interest grid (Mendelow's matrix), in service words.
QUADRANTS = (
    (5.4, 5.4, "right", "Manage closely"),
    (0.6, 5.4, "left", "Keep satisfied"),
    (5.4, 0.6, "right", "Keep informed"),
    (0.6, 0.6, "left", "Monitor"),
)


def power_interest_figure(
    stakeholders: Sequence[StakeholderValue],
    *,
    sector_names: Mapping[str, str] = SECTORS,
    title: str | None = None,
    height: int = 560,
) -> go.Figure:
    """The power / interest grid: influence up, interest across, colour by sector.

    Stakeholders sharing a square are spread around its centre so none hides another.
    """
    fig = go.Figure()
    cells: dict[tuple[int, int], list[StakeholderValue]] = {}
    for s in stakeholders:
        cells.setdefault((s.interest, s.influence), []).append(s)
    placed: dict[int, tuple[float, float]] = {}
    for (x, y), members in cells.items():
        members.sort(key=lambda s: s.name.casefold())
        for i, s in enumerate(members):
            if len(members) == 1:
                placed[s.id] = (float(x), float(y))
            else:
                angle = 2 * math.pi * i / len(members)
                radius = 0.18 + 0.02 * min(len(members), 10)
                placed[s.id] = (x + radius * math.cos(angle), y + radius * math.sin(angle))
    by_sector: dict[str, list[StakeholderValue]] = {}
    for s in stakeholders:
        by_sector.setdefault(s.sector, []).append(s)
    order = {key: i for i, key in enumerate(sector_names)}
    for sector in sorted(by_sector, key=lambda k: (order.get(k, len(order)), k)):
        members = by_sector[sector]
        fig.add_trace(
            go.Scatter(
                x=[placed[s.id][0] for s in members],
                y=[placed[s.id][1] for s in members],
                mode="markers+text" if len(stakeholders) <= LABELS_UP_TO else "markers",
                text=[_short(s.name) for s in members],
                textposition="top center",
                textfont={"size": 10},
                name=sector_names.get(sector, sector),
                marker={"size": 14, "color": sector_colour(sector), "line": {"width": 1, "color": "#ffffff"}},
                hovertext=[
                    f"<b>{_escape(s.name)}</b><br>Influence {s.influence} · interest {s.interest}" for s in members
                ],
                hoverinfo="text",
            )
        )
    for qx, qy, align, label in QUADRANTS:
        fig.add_annotation(
            x=qx, y=qy, text=label, showarrow=False, xanchor=align, font={"size": 13, "color": "#555555"}
        )
    fig.add_shape(type="line", x0=3, x1=3, y0=0.5, y1=5.5, line={"color": "#bbbbbb", "dash": "dash"})
    fig.add_shape(type="line", x0=0.5, x1=5.5, y0=3, y1=3, line={"color": "#bbbbbb", "dash": "dash"})
    fig.update_layout(
        title=title,
        height=height,
        plot_bgcolor="white",
        margin={"l": 60, "r": 10, "t": 50 if title else 20, "b": 50},
        xaxis={"title": "Interest", "range": [0.5, 5.5], "dtick": 1, "gridcolor": "#eeeeee", "zeroline": False},
        yaxis={
            "title": "Influence (power)",
            "range": [0.5, 5.5],
            "dtick": 1,
            "gridcolor": "#eeeeee",
            "zeroline": False,
        },
        legend={"itemsizing": "constant"},
    )
    if not stakeholders:
        fig.add_annotation(x=3, y=3, text="No stakeholders to show", showarrow=False, font={"size": 18})
    return fig
