"""Figures for the stakeholder network: the network itself and the power / interest grid.

Both are pure functions of their arguments: the screen shows them interactively and the
Word report renders the same figures as images.
"""

from __future__ import annotations

import html
import math
import textwrap
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

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


@dataclass(frozen=True)
class EdgeStyle:
    """How one relationship type is drawn: it differs by dash and arrowhead as well as colour,
    so it reads in grey print, on a washed-out projector and with any colour vision."""

    dash: str
    head: str
    colour: str


# The kit's usual types (Okabe-Ito colours); others share the fallback and say their name in the legend.
EDGE_STYLES: dict[str, EdgeStyle] = {
    "referral": EdgeStyle("solid", "arrow", "#0072B2"),
    "information_sharing": EdgeStyle("dot", "arrow-open", "#009E73"),
    "funding": EdgeStyle("dash", "arrow-wide", "#E69F00"),
    "support": EdgeStyle("longdash", "circle", "#CC79A7"),
    "accountability": EdgeStyle("dashdot", "diamond", "#56B4E9"),
    "conflict": EdgeStyle("longdashdot", "x-thin-open", "#D55E00"),
}
FALLBACK_STYLE = EdgeStyle("solid", "triangle-up", "#7F7F7F")
EDGE_DASH: dict[str, str] = {key: style.dash for key, style in EDGE_STYLES.items()}
EDGE_COLOUR = FALLBACK_STYLE.colour
TENSION_COLOUR = EDGE_STYLES["conflict"].colour
MIN_NODE_SIZE, MAX_NODE_SIZE = 12.0, 40.0
# Labels under every node stop being readable beyond this many nodes; hover still works.
LABELS_UP_TO = 120
LABEL_CHARS = 24
# A label wraps onto a second line past this many characters (then is shortened with "…").
LABEL_LINE_CHARS = 14
LABEL_FONT = 11
# Where a label may sit around its node, in order of preference (Plotly's textposition names).
LABEL_SPOTS = ("bottom center", "top center", "middle right", "middle left", "bottom right", "top left")
# The click-to-place editor: a grid of invisible points, one of which a click always hits.
PLACE_GRID = (48, 30)
PLACE_MARK = -1
# The screen's assumed plotting width when the figure stretches to its column.
SCREEN_WIDTH = 1100
# A legend character at 12 px, about 0.6 em.
LEGEND_CHAR_PX = 7.2


def edge_style(rel_type: str) -> EdgeStyle:
    """The dash, arrowhead and colour of a relationship type."""
    return EDGE_STYLES.get(rel_type, FALLBACK_STYLE)


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
    width: int | None = None,
    height: int = 640,
    place_grid: bool = False,
) -> go.Figure:
    """The stakeholder network as an interactive Plotly figure.

    Node colour shows the sector and node size the chosen metric; each relationship type
    has its own dash, arrowhead and colour (see :data:`EDGE_STYLES`), shown in a legend that
    prints; labels are wrapped, shortened with "…" and placed around their node so that they
    do not overlap each other or the nodes (hovering shows the full name).

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
        width: Width in pixels (None: as wide as the screen's column; labels are placed for
            :data:`SCREEN_WIDTH`).
        height: Height in pixels.
        place_grid: Add the click-to-place grid (invisible points whose ``customdata`` is
            :data:`PLACE_MARK`), so a click anywhere on the drawing reports where it was.

    Returns:
        The figure; an empty map gives a figure that says so.
    """
    fig = go.Figure()
    fig.update_layout(
        title=title,
        width=width,
        height=height,
        showlegend=True,
        hovermode="closest",
        margin={"l": 10, "r": 10, "t": 50 if title else 10, "b": 10},
        plot_bgcolor="white",
        paper_bgcolor="white",
        legend={"itemsizing": "constant", "groupclick": "toggleitem", "font": {"size": 12}},
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
    span_x, span_y = max(max(xs) - min(xs), 0.5), max(max(ys) - min(ys), 0.5)
    # The legend takes the width of its longest entry (12 px type, a swatch); the drawing keeps
    # its aspect ratio in what is left, and labels are placed at that scale.
    legend_names = [sector_names.get(graph.nodes[n]["sector"], graph.nodes[n]["sector"]) for n in nodes]
    legend_names += [str(v) for v in (type_names or {}).values()]
    legend_px = 60 + LEGEND_CHAR_PX * max((len(x) for x in legend_names), default=10)
    plot_w = max(200.0, (width or SCREEN_WIDTH) - 20 - legend_px)
    plot_h = 0.92 * height
    scale = min(plot_w / (span_x * 1.25), plot_h / (span_y * 1.25))
    pixel = 1.0 / scale
    pad = 0.12
    x_range = [min(xs) - pad * span_x, max(xs) + pad * span_x]
    y_range = [min(ys) - pad * span_y, max(ys) + pad * span_y]
    fig.update_layout(xaxis={"range": x_range}, yaxis={"range": y_range})
    if place_grid:
        _add_place_grid(fig, x_range, y_range, [positions[n] for n in nodes], 30 * pixel)
    _add_edges(fig, graph, positions, sizes, names, pixel)
    show_labels = len(nodes) <= LABELS_UP_TO
    labels = {n: label_text(graph.nodes[n]["name"]) for n in nodes}
    edges = (x_range[0], y_range[0], x_range[1], y_range[1])
    spots = place_labels(nodes, positions, sizes, labels, scale, edges) if show_labels else {}
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
                text=[labels[n] for n in members],
                textposition=[spots.get(n, LABEL_SPOTS[0]) for n in members],
                textfont={"size": LABEL_FONT, "color": "#222222"},
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


def label_text(name: str) -> str:
    """A node's label: escaped, on at most two lines, shortened with "…" past :data:`LABEL_CHARS`."""
    short = _short(name)
    if len(short) <= LABEL_LINE_CHARS:
        return _escape(short)
    lines = textwrap.wrap(short, LABEL_LINE_CHARS)
    if len(lines) > 2:
        lines = [lines[0], " ".join(lines[1:])]
        if len(lines[1]) > LABEL_LINE_CHARS + 4:
            lines[1] = lines[1][: LABEL_LINE_CHARS + 3].rstrip() + "…"
    return "<br>".join(_escape(line) for line in lines)


def label_box(
    node_xy: tuple[float, float], marker: float, label: str, spot: str, scale: float
) -> tuple[float, float, float, float]:
    """The box (x0, y0, x1, y1, in data units) a label takes at a spot around its node."""
    lines = label.split("<br>")
    w = max(len(html.unescape(line)) for line in lines) * LABEL_FONT * 0.6 / scale
    h = len(lines) * LABEL_FONT * 1.25 / scale
    gap = (marker / 2 + 3) / scale
    x, y = node_xy
    vertical, horizontal = spot.split()
    if horizontal == "center":
        x0 = x - w / 2
    elif horizontal == "right":
        x0 = x + (gap if vertical == "middle" else 0.0)
    else:
        x0 = x - w - (gap if vertical == "middle" else 0.0)
    if vertical == "bottom":
        y0 = y - gap - h
    elif vertical == "top":
        y0 = y + gap
    else:
        y0 = y - h / 2
    return (x0, y0, x0 + w, y0 + h)


def _overlap(a: tuple[float, float, float, float], b: tuple[float, float, float, float]) -> float:
    dx = min(a[2], b[2]) - max(a[0], b[0])
    dy = min(a[3], b[3]) - max(a[1], b[1])
    return dx * dy if dx > 0 and dy > 0 else 0.0


def place_labels(
    nodes: Sequence[int],
    positions: Mapping[int, tuple[float, float]],
    sizes: Mapping[int, float],
    labels: Mapping[int, str],
    scale: float,
    bounds: tuple[float, float, float, float] | None = None,
) -> dict[int, str]:
    """A label-placement pass: each label goes to the first spot around its node that overlaps
    no label placed before it and no node and stays inside ``bounds`` (x0, y0, x1, y1: the
    drawing's edges, where a label would be cut off), else to the spot that does least of those.

    Bigger nodes are placed first (they matter most); ``scale`` is pixels per data unit.
    """
    markers = []
    for n in nodes:
        x, y = positions[n]
        r = (sizes.get(n, MIN_NODE_SIZE) / 2) / scale
        markers.append((x - r, y - r, x + r, y + r))
    placed: list[tuple[float, float, float, float]] = []
    chosen: dict[int, str] = {}
    for n in sorted(nodes, key=lambda n: (-sizes.get(n, 0.0), n)):
        best, best_cost = LABEL_SPOTS[0], math.inf
        for spot in LABEL_SPOTS:
            box = label_box(positions[n], sizes.get(n, MIN_NODE_SIZE), labels[n], spot, scale)
            cost = sum(_overlap(box, other) for other in placed) + sum(_overlap(box, m) for m in markers)
            if bounds is not None:  # the part of the label outside the drawing counts double
                cost += 2 * ((box[2] - box[0]) * (box[3] - box[1]) - _overlap(box, bounds))
            if cost < best_cost:
                best, best_cost = spot, cost
            if cost == 0:
                break
        chosen[n] = best
        placed.append(label_box(positions[n], sizes.get(n, MIN_NODE_SIZE), labels[n], best, scale))
    return chosen


def _add_place_grid(
    fig: go.Figure,
    x_range: Sequence[float],
    y_range: Sequence[float],
    taken: Sequence[tuple[float, float]],
    clearance: float,
) -> None:
    cols, rows = PLACE_GRID
    xs: list[float] = []
    ys: list[float] = []
    for i in range(cols):
        for j in range(rows):
            x = x_range[0] + (x_range[1] - x_range[0]) * (i + 0.5) / cols
            y = y_range[0] + (y_range[1] - y_range[0]) * (j + 0.5) / rows
            # No grid point right by a stakeholder: a click there picks the stakeholder up.
            if all(math.hypot(x - tx, y - ty) > clearance for tx, ty in taken):
                xs.append(x)
                ys.append(y)
    fig.add_trace(
        go.Scatter(
            x=xs,
            y=ys,
            mode="markers",
            # Invisible but clickable: a click anywhere on the drawing lands on one of these.
            marker={"size": 22, "color": "rgba(0,0,0,0)", "symbol": "square"},
            customdata=[PLACE_MARK] * len(xs),
            hoverinfo="none",
            showlegend=False,
            name="place here",
        )
    )


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
    mid_x: list[float] = []
    mid_y: list[float] = []
    mid_text: list[str] = []
    first_group = True
    for rel_type in sorted(by_type, key=lambda t: (order.get(t, len(order)), t)):
        style = edge_style(rel_type)
        label = type_names.get(rel_type, rel_type.replace("_", " "))
        # One trace per strength (a trace has one line width); the legend shows a sample of
        # the line with its arrowhead, drawn by a trace of its own so that it prints too.
        lines: dict[int, tuple[list[float | None], list[float | None]]] = {}
        heads_x: list[float] = []
        heads_y: list[float] = []
        heads_angle: list[float] = []
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
            ends = [(x1, y1, cx, cy, v)] if d["directed"] else [(x1, y1, cx, cy, v), (x0, y0, cx, cy, u)]
            for ex, ey, fx, fy, node in ends:
                # The head sits just outside the end's marker, pointing at it; an undirected link
                # has its type's mark at both ends.
                length = math.hypot(ex - fx, ey - fy) or 1.0
                offset = min(0.45 * length, (sizes.get(node, MIN_NODE_SIZE) / 2 + 7) * pixel)
                heads_x.append(ex - (ex - fx) / length * offset)
                heads_y.append(ey - (ey - fy) / length * offset)
                heads_angle.append(math.degrees(math.atan2(ex - fx, ey - fy)))
        group = f"type-{rel_type}"
        for strength in sorted(lines):
            xs, ys = lines[strength]
            fig.add_trace(
                go.Scatter(
                    x=xs,
                    y=ys,
                    mode="lines",
                    line={"color": style.colour, "width": 0.8 + 0.9 * strength, "dash": style.dash},
                    line_shape="spline",
                    name=label,
                    legendgroup=group,
                    showlegend=False,
                    hoverinfo="skip",
                )
            )
        fig.add_trace(
            go.Scatter(
                x=heads_x,
                y=heads_y,
                mode="markers",
                marker={
                    "symbol": style.head,
                    "size": 11,
                    "angle": heads_angle,
                    "color": style.colour,
                    "line": {"color": style.colour, "width": 1.5},
                },
                hoverinfo="skip",
                showlegend=False,
                legendgroup=group,
                name=f"{label} (direction)",
            )
        )
        fig.add_trace(
            go.Scatter(
                x=[None, None],
                y=[None, None],
                mode="lines+markers",
                line={"color": style.colour, "width": 2.6, "dash": style.dash},
                marker={"symbol": style.head, "size": 11, "angle": 90, "color": style.colour},
                name=label,
                legendgroup=group,
                legendgrouptitle_text="Relationship" if first_group else None,
                showlegend=True,
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
    width: int | None = None,
    height: int = 560,
) -> go.Figure:
    """The power / interest grid: influence up, interest across, colour by sector.

    Stakeholders sharing a square are spread around its centre so none hides another, and their
    labels are placed around them so that they do not overlap.
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
    # The same label-placement pass as the network, at the grid's smaller scale (its height).
    labels = {s.id: label_text(s.name) for s in stakeholders}
    scale = (height - 70) / 5.0
    show_labels = len(stakeholders) <= LABELS_UP_TO
    # Past LABELS_UP_TO the grid shows markers only (names on hover), so no labels to place:
    # placing 500 would cost seconds (each against all placed before it) for nothing drawn.
    edges = (0.5, 0.5, 5.5, 5.5)
    spots = place_labels(list(placed), placed, dict.fromkeys(placed, 14.0), labels, scale, edges) if show_labels else {}
    order = {key: i for i, key in enumerate(sector_names)}
    for sector in sorted(by_sector, key=lambda k: (order.get(k, len(order)), k)):
        members = by_sector[sector]
        fig.add_trace(
            go.Scatter(
                x=[placed[s.id][0] for s in members],
                y=[placed[s.id][1] for s in members],
                mode="markers+text" if show_labels else "markers",
                text=[labels[s.id] for s in members],
                textposition=[spots.get(s.id, "top center") for s in members],
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
        width=width,
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
