"""Figures for the journey map and the service blueprint: the emotion curve, the map, the blueprint.

The screens and the Word report draw the same figures. Any text that came from people
(stage names, items, quotes) is escaped before it reaches Plotly, whose labels understand a
little HTML (links included): on a projector, a story is words, never markup.
"""

from __future__ import annotations

import html
import textwrap

import plotly.graph_objects as go
from plotly.subplots import make_subplots

from codesign.journeys.blueprint import Blueprint
from codesign.journeys.journey import CurvePoint, EmotionCurve, JourneyMap, shorten
from codesign.models import BlueprintItem

# Okabe-Ito: distinguishable with the common colour-vision differences, and on a washed-out projector.
LENS_COLOURS = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000")
UNKNOWN_COLOUR = "#7F7F7F"
THIN_FILL = "rgba(127, 127, 127, 0.12)"
FAIL_COLOUR = "#C0392B"
WAIT_COLOUR = "#8E5B00"
FONT = {"family": "Arial, Helvetica, sans-serif", "size": 14, "color": "#222222"}
# 16:9 at a size that stays sharp on a 1080p projector and in a landscape report page.
WIDE = (1600, 900)
# On the projector every lane must fit on one screen: two short quotes per stage.
PROJECTOR_QUOTES = 2
PROJECTOR_QUOTE_CHARS = 110


def safe(text: str) -> str:
    """Text as Plotly should show it: literally, with no tags or links."""
    return html.escape(text, quote=False)


def wrap(text: str, width: int) -> str:
    """Escaped text with line breaks, for labels that Plotly does not wrap itself."""
    return "<br>".join(safe(line) for line in textwrap.wrap(text, width=max(8, width)) or [""])


def _offsets(n: int, spread: float = 0.24) -> list[float]:
    """Small sideways offsets, so the error bars of different lenses do not hide each other."""
    if n <= 1:
        return [0.0] * n
    step = spread / (n - 1)
    return [-spread / 2 + i * step for i in range(n)]


def _tick(name: str, point: CurvePoint, width: int = 16) -> str:
    label = wrap(name, width)
    if point.count == 0:
        return f"{label}<br><i>no ratings</i>"
    if point.thin:
        return f"{label}<br><i>n={point.count} · thin</i>"
    return f"{label}<br>n={point.count}"


def _hover(lens: str, stage: str, p: CurvePoint) -> str:
    if p.mean is None:
        return f"{safe(lens)}<br>{safe(stage)}<br>no ratings"
    lines = [f"<b>{safe(lens)}</b>", safe(stage), f"mean {p.mean:.2f} from {p.count} rating(s)"]
    if p.sd is not None:
        lines.append(f"SD {p.sd:.2f} · IQR {p.q1:.1f}–{p.q3:.1f}")
    if p.unrated:
        lines.append(f"{p.unrated} without a rating")
    if p.thin:
        lines.append("thin evidence")
    return "<br>".join(lines)


def _bar(p: CurvePoint, *, up: bool) -> float:
    if p.mean is None or p.sd is None:
        return 0.0
    return min(p.sd, 5 - p.mean) if up else min(p.sd, p.mean - 1)


def _curve_traces(curve: EmotionCurve, *, show_legend: bool = True) -> list[go.Scatter]:
    traces = []
    offsets = _offsets(len(curve.series))
    for n, (series, offset) in enumerate(zip(curve.series, offsets, strict=True)):
        colour = LENS_COLOURS[n % len(LENS_COLOURS)] if series.known else UNKNOWN_COLOUR
        names = [s.name for s in curve.stages]
        traces.append(
            go.Scatter(
                x=[i + offset for i in range(len(curve.stages))],
                y=[p.mean for p in series.points],
                name=safe(series.lens_name) + ("" if series.count else " (no ratings yet)"),
                mode="lines+markers",
                connectgaps=False,
                line={"color": colour, "width": 3, "dash": "solid" if series.known else "dot"},
                marker={
                    "size": [14 if not p.thin else 13 for p in series.points],
                    "symbol": ["circle-open" if p.thin else "circle" for p in series.points],
                    "line": {"width": 2.5, "color": colour},
                    "color": colour,
                },
                # ±1 SD, clipped to the scale: a rating cannot go below 1 or above 5.
                error_y={
                    "type": "data",
                    "symmetric": False,
                    "array": [_bar(p, up=True) for p in series.points],
                    "arrayminus": [_bar(p, up=False) for p in series.points],
                    "visible": True,
                    "thickness": 1.5,
                    "width": 5,
                    "color": colour,
                },
                customdata=[[p.count, p.unrated, p.thin] for p in series.points],
                hovertext=[_hover(series.lens_name, name, p) for name, p in zip(names, series.points, strict=True)],
                hoverinfo="text",
                showlegend=show_legend,
                legendgroup=series.lens_key,
            )
        )
    return traces


def emotion_curve_figure(curve: EmotionCurve, *, title: str | None = "How each stage felt, by lens") -> go.Figure:
    """The emotion curve: one line per lens, mean rating per stage, ±1 SD bars, counts on the axis.

    Points with few ratings are hollow and their stages shaded ("thin evidence"); stages
    with no ratings stay on the axis with a gap in the line.

    Args:
        curve: From ``journeys.emotion_curve``.
        title: The chart's title, or None for none.

    Returns:
        A Plotly figure: trace ``i`` is ``curve.series[i]``, its ``y`` the means (None for gaps).
    """
    fig = go.Figure(_curve_traces(curve))
    n = len(curve.stages)
    for i, p in enumerate(curve.overall):
        if p.count < curve.thin_below:
            fig.add_vrect(x0=i - 0.45, x1=i + 0.45, fillcolor=THIN_FILL, line_width=0, layer="below")
    note = (
        f"Bars: ±1 standard deviation. Hollow points and shaded stages: fewer than {curve.thin_below} "
        "ratings (thin evidence)."
    )
    fig.add_annotation(
        text=note, showarrow=False, xref="paper", yref="paper", x=0, y=-0.30, xanchor="left", font={"size": 12}
    )
    fig.update_layout(
        title={"text": safe(title), "x": 0.01} if title else None,
        font=FONT,
        template="plotly_white",
        height=500,
        margin={"l": 130, "r": 20, "t": 60 if title else 20, "b": 140},
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.02, "xanchor": "right", "x": 1},
        hovermode="closest",
    )
    fig.update_xaxes(
        tickmode="array",
        tickvals=list(range(n)),
        ticktext=[_tick(s.name, p) for s, p in zip(curve.stages, curve.overall, strict=True)],
        range=[-0.6, n - 0.4],
        showgrid=False,
        zeroline=False,
    )
    fig.update_yaxes(
        range=[0.5, 5.5],
        tickmode="array",
        tickvals=[1, 2, 3, 4, 5],
        ticktext=[f"{v} {safe(label)}" for v, label in zip(range(1, 6), curve.scale_labels, strict=True)],
        title=None,
        gridcolor="#E5E5E5",
        zeroline=False,
    )
    if curve.rated == 0:
        fig.add_annotation(
            text="No ratings yet: the curve appears as stories with a feeling arrive.",
            showarrow=False,
            xref="paper",
            yref="paper",
            x=0.5,
            y=0.5,
            font={"size": 18, "color": "#555555"},
        )
    return fig


def _map_cell(jmap: JourneyMap, lane: str, index: int, width: int, quotes: int, quote_chars: int) -> str:
    js = jmap.stages[index]
    lines = [wrap("• " + c.text, width) for c in js.items.get(lane, ())]
    if lane == "thoughts_feelings":
        lines += [f"<i>{wrap('“' + shorten(q.text, quote_chars) + '”', width)}</i>" for q in js.quotes[:quotes]]
    return "<br>".join(lines)


def journey_map_figure(
    jmap: JourneyMap,
    *,
    size: tuple[int, int] = WIDE,
    title: str | None = None,
    quotes: int = PROJECTOR_QUOTES,
    quote_chars: int = PROJECTOR_QUOTE_CHARS,
) -> go.Figure:
    """The whole journey map for the projector (16:9): the emotion curve above, the lanes below.

    The curve's points sit over their stage's column. Items and quotes wrap inside their
    column; quotes are fewer and shorter than on the map's table so every lane fits on one
    screen. In the children and young people's kit, each stage shows its THRIVE grouping.
    """
    n = max(1, len(jmap.stages))
    width, height = size
    chars = max(12, int((width / (n + 1.3)) / 8.5))
    fig = make_subplots(
        rows=2,
        cols=1,
        row_heights=[0.3, 0.7],
        vertical_spacing=0.03,
        specs=[[{"type": "xy"}], [{"type": "table"}]],
    )
    for trace in _curve_traces(jmap.curve):
        fig.add_trace(trace, row=1, col=1)
    header = [""]
    for js in jmap.stages:
        head = f"<b>{wrap(js.stage.name, chars)}</b>"
        if jmap.shows_thrive and js.thrive:
            head += f"<br><i>{safe(js.thrive)}</i>"
        head += f"<br>{safe(js.emotion.describe())}"
        header.append(head)
    cells = [[f"<b>{safe(name)}</b>" for _key, name in jmap.lanes]]
    for i in range(len(jmap.stages)):
        cells.append([_map_cell(jmap, lane, i, chars, quotes, quote_chars) for lane, _name in jmap.lanes])
    fig.add_trace(
        go.Table(
            columnwidth=[1.3] + [1.0] * len(jmap.stages),
            header={
                "values": header,
                "fill_color": "#1F3A5F",
                "font": {"color": "white", "size": 13},
                "align": "left",
                "height": 56,
            },
            cells={
                "values": cells,
                "fill_color": [["#EEF2F7"] * len(jmap.lanes)] + [["white", "#F8F9FA"] * 3] * len(jmap.stages),
                "align": "left",
                "font": {"size": 12},
                "height": 30,
            },
        ),
        row=2,
        col=1,
    )
    # Align the curve's stage positions with the table's stage columns (first column is 1.3 wide).
    fig.update_xaxes(
        range=[-1.3 - 0.5, n - 0.5],
        tickmode="array",
        tickvals=list(range(len(jmap.stages))),
        ticktext=["" for _ in jmap.stages],
        showgrid=False,
        zeroline=False,
        row=1,
        col=1,
    )
    fig.update_yaxes(
        range=[0.5, 5.5],
        tickvals=[1, 3, 5],
        ticktext=[safe(jmap.curve.scale_labels[i]) for i in (0, 2, 4)],
        row=1,
        col=1,
    )
    fig.update_layout(
        title={"text": safe(title), "x": 0.01} if title else None,
        width=width,
        height=height,
        font=FONT,
        template="plotly_white",
        margin={"l": 20, "r": 20, "t": 50 if title else 30, "b": 10},
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.0, "xanchor": "right", "x": 1},
    )
    return fig


def _item_text(item: BlueprintItem, width: int) -> str:
    text = wrap(item.text, width)
    marks = []
    if item.fail_point:
        marks.append(f'<span style="color:{FAIL_COLOUR}"><b>⚠ FAIL POINT</b></span>')
    if item.wait_point:
        wait = f"WAIT: {safe(item.wait_time)}" if item.wait_time else "WAIT"
        marks.append(f'<span style="color:{WAIT_COLOUR}"><b>{wait}</b></span>')
    if item.status == "proposed":
        marks.append("<i>(proposed)</i>")
    return "<br>".join([text, *marks])


LINE_STYLES = {"interaction": "solid", "visibility": "dash", "internal": "dot"}


def blueprint_figure(
    blueprint: Blueprint, *, size: tuple[int, int] = WIDE, title: str | None = None, font_size: int = 12
) -> go.Figure:
    """The service blueprint: stages as columns, lanes as rows, the three lines drawn between lanes.

    Fail points are marked in red ("⚠ FAIL POINT"), wait points in amber with their waiting
    time ("⏱ WAIT 6 weeks").
    """
    stages, lanes = blueprint.stages, blueprint.lanes
    n, m = max(1, len(stages)), len(lanes)
    width, height = size
    label_w = 1.3
    column_px = width / (n + label_w)
    chars = max(8, int(column_px / (font_size * 0.6)))
    label_chars = max(8, column_px * label_w / ((font_size + 1) * 0.65))
    fig = go.Figure()
    shapes: list[dict[str, object]] = []
    annotations: list[dict[str, object]] = []
    for j, lane in enumerate(lanes):
        top, bottom = m - j, m - j - 1
        shapes.append(
            {
                "type": "rect",
                "x0": -label_w,
                "x1": 0,
                "y0": bottom,
                "y1": top,
                "fillcolor": "#EEF2F7",
                "line": {"color": "#C8D1DC", "width": 1},
                "layer": "below",
            }
        )
        annotations.append(
            {
                "x": -label_w / 2,
                "y": bottom + 0.5,
                "text": f"<b>{wrap(lane.name, int(label_chars))}</b>",
                "showarrow": False,
                "font": {"size": font_size + 1},
            }
        )
        for i, stage in enumerate(stages):
            items = blueprint.cell(stage.id, lane.key)
            flagged = any(it.fail_point for it in items)
            shapes.append(
                {
                    "type": "rect",
                    "x0": i,
                    "x1": i + 1,
                    "y0": bottom,
                    "y1": top,
                    "fillcolor": "#FDEDEC" if flagged else "white",
                    "line": {"color": "#C8D1DC", "width": 1},
                    "layer": "below",
                }
            )
            if items:
                annotations.append(
                    {
                        "x": i + 0.5,
                        "y": bottom + 0.5,
                        "text": "<br><br>".join(_item_text(it, chars) for it in items),
                        "showarrow": False,
                        "align": "left",
                        "font": {"size": font_size},
                    }
                )
    lane_index = {lane.key: j for j, lane in enumerate(lanes)}
    for line in blueprint.lines:
        if line.above not in lane_index or line.below not in lane_index:
            continue
        y = m - lane_index[line.above] - 1
        shapes.append(
            {
                "type": "line",
                "x0": -label_w,
                "x1": n,
                "y0": y,
                "y1": y,
                "line": {"color": "#1F3A5F", "width": 3, "dash": LINE_STYLES.get(line.key, "solid")},
            }
        )
        annotations.append(
            {
                "x": n,
                "y": y,
                "text": f"<i>{safe(line.name)}</i>",
                "showarrow": False,
                "xanchor": "right",
                "yanchor": "bottom",
                "font": {"size": 11, "color": "#1F3A5F"},
                "bgcolor": "rgba(255,255,255,0.85)",
            }
        )
    for i, stage in enumerate(stages):
        annotations.append(
            {
                "x": i + 0.5,
                "y": m + 0.02,
                "text": f"<b>{wrap(stage.name, chars)}</b>",
                "showarrow": False,
                "yanchor": "bottom",
            }
        )
    if not blueprint.items:
        annotations.append(
            {
                "x": n / 2,
                "y": m / 2,
                "text": "No items yet: draft from the journey map, or add items in the table.",
                "showarrow": False,
                "font": {"size": 16, "color": "#555555"},
                "bgcolor": "rgba(255,255,255,0.9)",
            }
        )
    fig.update_layout(
        title={"text": safe(title if title is not None else blueprint.title), "x": 0.01},
        shapes=shapes,
        annotations=annotations,
        width=width,
        height=height,
        font=FONT,
        template="plotly_white",
        margin={"l": 10, "r": 10, "t": 60, "b": 10},
        showlegend=False,
    )
    fig.update_xaxes(range=[-label_w - 0.02, n + 0.02], visible=False, fixedrange=True)
    fig.update_yaxes(range=[-0.02, m + 0.45], visible=False, fixedrange=True)
    return fig


def blueprint_pair_figure(
    as_is: Blueprint, to_be: Blueprint, *, size: tuple[int, int] = WIDE
) -> tuple[go.Figure, go.Figure]:
    """The as-is and to-be blueprints as two figures of the same size, for side-by-side display."""
    half = (size[0] // 2, size[1])
    return (
        blueprint_figure(as_is, size=half, font_size=10),
        blueprint_figure(to_be, size=half, font_size=10),
    )
