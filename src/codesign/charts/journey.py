"""Figures for the journey map and the service blueprint: the emotion curve, the map, the blueprint.

The screens and the Word report draw the same figures. Any text that came from people
(stage names, items, quotes) is escaped before it reaches Plotly, whose labels understand a
little HTML (links included): on a projector, a story is words, never markup.
"""

from __future__ import annotations

import html
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass

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
# Each lens has its own line dash and marker as well as its colour, so the lines stay apart in
# greyscale print and for people who cannot tell the colours apart.
LENS_DASHES = ("solid", "dash", "dot", "dashdot", "longdash", "longdashdot")
LENS_SYMBOLS = ("circle", "square", "diamond", "triangle-up", "x", "star")


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
        symbol = LENS_SYMBOLS[n % len(LENS_SYMBOLS)]
        dash = LENS_DASHES[n % len(LENS_DASHES)] if series.known else "dot"
        names = [s.name for s in curve.stages]
        traces.append(
            go.Scatter(
                x=[i + offset for i in range(len(curve.stages))],
                y=[p.mean for p in series.points],
                name=safe(series.lens_name) + ("" if series.count else " (no ratings yet)"),
                mode="lines+markers",
                connectgaps=False,
                line={"color": colour, "width": 3, "dash": dash},
                marker={
                    "size": [14 if not p.thin else 13 for p in series.points],
                    "symbol": [symbol + "-open" if p.thin else symbol for p in series.points],
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


def emotion_curve_figure(
    curve: EmotionCurve,
    *,
    title: str | None = "How each stage felt, by lens",
    width: int | None = None,
    height: int = 500,
) -> go.Figure:
    """The emotion curve: one line per lens, mean rating per stage, ±1 SD bars, counts on the axis.

    Points with few ratings are hollow and their stages shaded ("thin evidence"); stages
    with no ratings stay on the axis with a gap in the line.

    Args:
        curve: From ``journeys.emotion_curve``.
        title: The chart's title, or None for none.
        width: Width in pixels (None: the screen's column); stage names wrap to fit it.
        height: Height in pixels.

    Returns:
        A Plotly figure: trace ``i`` is ``curve.series[i]``, its ``y`` the means (None for gaps).
    """
    fig = go.Figure(_curve_traces(curve))
    n = len(curve.stages)
    # Stage names wrap to the width each stage has on the axis (the screen's column is about 1000 px).
    tick_chars = max(8, min(20, int(((width or 1000) - 150) / max(1, n) / 7.5)))
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
        width=width,
        height=height,
        margin={"l": 130, "r": 20, "t": 60 if title else 20, "b": 140},
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.02, "xanchor": "right", "x": 1},
        hovermode="closest",
    )
    fig.update_xaxes(
        tickmode="array",
        tickvals=list(range(n)),
        ticktext=[_tick(s.name, p, tick_chars) for s, p in zip(curve.stages, curve.overall, strict=True)],
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


# The journey map's table: cell type size, and a character's width as a share of it (normal and bold
# headers) for the sans-serif fonts a browser falls back to, which run wider than Arial.
CELL_FONT = 12
TEXT_EM = 0.62
HEADER_EM = 0.7


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
    width: int | None = None,
    height: int | None = None,
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
    width = width or size[0]
    height = height or size[1]
    # A stage column's text width in pixels (the margins, the lane column of 1.3, cell padding).
    column_px = (width - 40) / (n + 1.3) - 10
    # Wrapped to what a column holds at the fonts' widest common letters (bold headers wider), and
    # the header's type made small enough that the longest word of a stage name fits on a line.
    longest = max((len(w) for js in jmap.stages for w in js.stage.name.split()), default=8)
    header_font = max(10, min(13, int(column_px / (max(longest, 8) * HEADER_EM))))
    head_chars = max(6, int(column_px / (header_font * HEADER_EM)))
    chars = max(6, int(column_px / (CELL_FONT * TEXT_EM)))
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
        head = f"<b>{wrap(js.stage.name, head_chars)}</b>"
        if jmap.shows_thrive and js.thrive:
            head += f"<br><i>{safe(js.thrive)}</i>"
        # The feeling wraps too ("2.3 of 5 (n=7) · thin evidence" is wider than a stage at 1440 px).
        head += f"<br>{wrap(js.emotion.describe(), head_chars)}"
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
                "font": {"color": "white", "size": header_font},
                "align": "left",
                "height": 56,
            },
            cells={
                "values": cells,
                "fill_color": [["#EEF2F7"] * len(jmap.lanes)] + [["white", "#F8F9FA"] * 3] * len(jmap.stages),
                "align": "left",
                "font": {"size": CELL_FONT},
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


# How wide a character is, as a share of the font size: Arial's widest common letters are about
# 0.6 em, so text measured at this rate never runs past its cell (narrow letters leave a little room).
CHAR_EM = 0.6
# Marks are bold capitals (and a ⚠), about 0.8 em a character.
MARK_EM = 0.8
# Bold lower-case text (stage names), about 0.7 em a character.
BOLD_EM = 0.7
LINE_EM = 1.3
CELL_PAD_PX = 6
PROPOSED_MARK = "PROPOSED"
PROPOSED_NOTE = "not yet agreed"
PROPOSED_COLOUR = "#555555"


@dataclass(frozen=True)
class CellText:
    """Text fitted into one cell: the Plotly label, and how many lines and characters it takes."""

    label: str
    lines: int
    widest: int
    shortened: bool


def fit_lines(text: str, chars: int, lines: int) -> tuple[list[str], bool]:
    """Wrap ``text`` to ``chars`` a line, in at most ``lines`` lines; the last ends in "…" if cut."""
    chars = max(4, chars)
    wrapped = textwrap.wrap(text, width=chars, break_long_words=True, break_on_hyphens=True) or [""]
    if len(wrapped) <= lines:
        return wrapped, False
    if lines <= 0:
        return [], True
    kept = wrapped[:lines]
    kept[-1] = kept[-1][: chars - 1].rstrip() + "…"
    return kept, True


def _marks(item: BlueprintItem) -> list[tuple[str, str, bool]]:
    """(words, colour, bold) for each mark an item carries."""
    out = []
    if item.fail_point:
        out.append(("⚠ FAIL POINT", FAIL_COLOUR, True))
    if item.wait_point:
        out.append((f"WAIT: {item.wait_time}" if item.wait_time else "WAIT", WAIT_COLOUR, True))
    if item.status == "proposed":
        out.append((PROPOSED_MARK, PROPOSED_COLOUR, True))
        out.append((PROPOSED_NOTE, PROPOSED_COLOUR, False))
    return out


def fit_cell(items: Sequence[BlueprintItem], chars: int, lines: int, mark_chars: int | None = None) -> CellText:
    """Items of one cell fitted to ``lines`` lines of ``chars`` characters.

    Each item keeps its marks (a fail point, a wait, "PROPOSED" / "not yet agreed") even when its
    text must be shortened; an item with no room left is counted in a last "+ n more" line.
    ``mark_chars`` is how many bold mark characters a line holds (measured from the cell's pixels:
    rounding ``chars`` down and scaling it would lose one, and break "PROPOSED" mid-word).
    """
    bold_chars = mark_chars if mark_chars is not None else int(chars * CHAR_EM / MARK_EM)
    out: list[str] = []
    used = 0
    widest = 0
    shortened = False
    for n, item in enumerate(items):
        marks = []
        for word, colour, bold in _marks(item):
            mark_lines, cut = fit_lines(word, bold_chars if bold else chars, 2)
            style = f"color:{colour}" + ("" if bold else ";font-style:italic")
            marks.append((mark_lines, style, bold))
            shortened |= cut
        mark_count = sum(len(m) for m, _, _ in marks)
        gap = 1 if out else 0
        left = n < len(items) - 1
        room = lines - used - gap - mark_count - (1 if left else 0)
        if room < 1:
            rest = len(items) - n
            more = f"+ {rest} more (see the table)"
            more_lines, _cut = fit_lines(more, chars, 1)
            if used + 1 <= lines and more_lines:
                out.append(f"<i>{safe(more_lines[0])}</i>")
                widest = max(widest, len(more_lines[0]))
                used += 1
            return CellText("<br>".join(out), used, widest, True)
        text_lines, cut = fit_lines("• " + item.text, chars, room)
        shortened |= cut
        if gap:
            out.append("")
        out.extend(safe(line) for line in text_lines)
        for mark_lines, style, bold in marks:
            out.extend(
                f'<span style="{style}">' + (f"<b>{safe(line)}</b>" if bold else safe(line)) + "</span>"
                for line in mark_lines
            )
        widest = max([widest, *(len(x) for x in text_lines), *(len(x) for m, _, _ in marks for x in m)])
        used += gap + len(text_lines) + mark_count
    return CellText("<br>".join(out), used, widest, shortened)


LINE_STYLES = {"interaction": "solid", "visibility": "dash", "internal": "dot"}
# An empty lane keeps room for this many lines (its name, and the lines' names above and below it).
MIN_LANE_LINES = 3.5


def _lane_heights(
    blueprint: Blueprint, chars: int, body_px: float, line_px: float, mark_chars: int | None = None
) -> list[float]:
    """Each lane's height in pixels: what its fullest cell needs, shared out when it cannot all fit."""
    pad = 2 * CELL_PAD_PX / line_px
    need = []
    for lane in blueprint.lanes:
        full = [fit_cell(blueprint.cell(s.id, lane.key), chars, 10_000, mark_chars).lines for s in blueprint.stages]
        need.append(max(MIN_LANE_LINES, max(full, default=0) + pad))
    total = body_px / line_px
    if not need:
        return []
    if sum(need) <= total:
        extra = (total - sum(need)) / len(need)
        return [(x + extra) * line_px for x in need]
    base = [min(x, MIN_LANE_LINES) for x in need]
    rest = max(0.0, total - sum(base))
    want = sum(x - b for x, b in zip(need, base, strict=True)) or 1.0
    return [(b + (x - b) * rest / want) * line_px for x, b in zip(need, base, strict=True)]


def blueprint_figure(
    blueprint: Blueprint,
    *,
    size: tuple[int, int] = WIDE,
    width: int | None = None,
    height: int | None = None,
    title: str | None = None,
    font_size: int | None = None,
) -> go.Figure:
    """The service blueprint: stages as columns, lanes as rows, the three lines drawn between lanes.

    Drawn for a size in pixels (a screen's column, a projector, an A4 or A3 page): every item's
    text is wrapped to its cell's width, and shortened with a visible "…" (or counted in a
    "+ n more" line) when the cell is full, so no text crosses a lane or a line. Fail points are
    marked in red ("⚠ FAIL POINT"), wait points in amber with their waiting time, and drafted
    items "PROPOSED" and "not yet agreed", in a dashed frame, until the room decides.

    Args:
        blueprint: From ``journeys.assemble_blueprint``.
        size: (width, height) in pixels; ``width`` and ``height`` override it.
        width: Width in pixels.
        height: Height in pixels.
        title: The title (the blueprint's own by default; "" for none).
        font_size: Item text size; by default chosen from the lane height.

    Returns:
        The figure. Each item annotation's ``name`` is ``cell:<stage index>:<lane index>``, and
        ``layout.meta["cells"]`` maps it to its cell's box in data units (y in pixels from the
        bottom), ``meta["chars"]`` and ``meta["lane_lines"]`` say how much text each cell was given.
    """
    stages, lanes = blueprint.stages, blueprint.lanes
    n, m = max(1, len(stages)), max(1, len(lanes))
    width = width or size[0]
    height = height or size[1]
    has_title = title != ""
    top_px = 50 if has_title else 10
    margin = {"l": 10, "r": 10, "t": top_px, "b": 10}
    plot_w = width - margin["l"] - margin["r"]
    plot_h = height - margin["t"] - margin["b"]
    label_w = 1.1
    x_span = n + label_w + 0.04
    column_px = plot_w / x_span
    text_px = column_px - 2 * CELL_PAD_PX
    # Small enough that the widest mark word, "PROPOSED" in bold, fits a column on one line.
    font = font_size or max(8, min(14, int(plot_h / (m + 1) / 7), int(text_px / (len(PROPOSED_MARK) * MARK_EM))))
    line_px = font * LINE_EM
    header_lines = 3
    header_px = header_lines * line_px + 8
    body_px = plot_h - header_px
    chars = int(text_px / (font * CHAR_EM))
    mark_chars = int(text_px / (font * MARK_EM))
    # The y axis is in pixels. Lanes share the height by what they hold: an empty lane keeps room
    # for a few lines, a full one gets the rest, so the crowded frontstage is not squeezed.
    heights = _lane_heights(blueprint, chars, body_px, line_px, mark_chars)
    tops = [body_px - sum(heights[:j]) for j in range(m)]
    label_font = font
    label_chars = int((column_px * label_w - 2 * CELL_PAD_PX) / (label_font * CHAR_EM))
    fig = go.Figure()
    shapes: list[dict[str, object]] = []
    annotations: list[dict[str, object]] = []
    cells: dict[str, list[float]] = {}
    lane_lines: list[int] = []
    for j, lane in enumerate(lanes):
        top, bottom = tops[j], tops[j] - heights[j]
        lines = int((heights[j] - 2 * CELL_PAD_PX) / line_px)
        lane_lines.append(lines)
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
        # Room is left above and below the lane's name for the line names drawn there.
        name_lines, _cut = fit_lines(lane.name, label_chars, max(1, lines - 2))
        annotations.append(
            {
                "x": -label_w / 2,
                "y": (top + bottom) / 2,
                "text": "<b>" + "<br>".join(safe(x) for x in name_lines) + "</b>",
                "showarrow": False,
                "font": {"size": label_font},
                "name": f"lane:{j}",
            }
        )
        cells[f"lane:{j}"] = [-label_w, bottom, 0, top]
        for i, stage in enumerate(stages):
            items = blueprint.cell(stage.id, lane.key)
            flagged = any(it.fail_point for it in items)
            proposed = any(it.status == "proposed" for it in items)
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
            if proposed:
                # A dashed inner frame: proposals look unfinished in every picture, also in grey print.
                inset_x, inset_y = 3 / column_px, 3
                shapes.append(
                    {
                        "type": "rect",
                        "x0": i + inset_x,
                        "x1": i + 1 - inset_x,
                        "y0": bottom + inset_y,
                        "y1": top - inset_y,
                        "line": {"color": "#777777", "width": 1, "dash": "dash"},
                        "layer": "below",
                    }
                )
            if items:
                fitted = fit_cell(items, chars, lines, mark_chars)
                name = f"cell:{i}:{j}"
                cells[name] = [i, bottom, i + 1, top]
                annotations.append(
                    {
                        "x": i + CELL_PAD_PX / column_px,
                        "y": top - CELL_PAD_PX,
                        "xanchor": "left",
                        "yanchor": "top",
                        "text": fitted.label,
                        "showarrow": False,
                        "align": "left",
                        "font": {"size": font},
                        "name": name,
                    }
                )
    lane_index = {lane.key: j for j, lane in enumerate(lanes)}
    for line in blueprint.lines:
        if line.above not in lane_index or line.below not in lane_index:
            continue
        j = lane_index[line.above]
        y = tops[j] - heights[j]
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
        # The line's name sits on the line in the lanes' column, where no item is.
        small = max(8, label_font - 2)
        line_name, _cut = fit_lines(line.name, int((column_px * label_w - 4) / (small * CHAR_EM)), 1)
        annotations.append(
            {
                "x": -label_w / 2,
                "y": y,
                "text": f"<i>{safe(line_name[0] if line_name else '')}</i>",
                "showarrow": False,
                "font": {"size": small, "color": "#1F3A5F"},
                "bgcolor": "rgba(255,255,255,0.95)",
                "name": f"line:{line.key}",
            }
        )
    # Stage names are bold: their type is made small enough that the longest word fits a column,
    # so "conversation" is never split mid-word (a name too long for three lines ends in "…").
    longest = max((len(w) for stage in stages for w in stage.name.split()), default=1)
    head_font = max(8, min(font, int(text_px / (max(longest, 1) * BOLD_EM))))
    head_chars = int(text_px / (head_font * BOLD_EM))
    for i, stage in enumerate(stages):
        head, _cut = fit_lines(stage.name, head_chars, header_lines)
        annotations.append(
            {
                "x": i + 0.5,
                "y": body_px + 2,
                "text": "<b>" + "<br>".join(safe(x) for x in head) + "</b>",
                "showarrow": False,
                "yanchor": "bottom",
                "font": {"size": head_font},
                "name": f"stage:{i}",
            }
        )
        cells[f"stage:{i}"] = [i, body_px, i + 1, plot_h]
    if not blueprint.items:
        annotations.append(
            {
                "x": n / 2,
                "y": body_px / 2,
                "text": "No items yet: draft from the journey map, or add items in the table.",
                "showarrow": False,
                "font": {"size": 16, "color": "#555555"},
                "bgcolor": "rgba(255,255,255,0.9)",
            }
        )
    fig.update_layout(
        title={"text": safe(title if title is not None else blueprint.title), "x": 0.01} if has_title else None,
        shapes=shapes,
        annotations=annotations,
        width=width,
        height=height,
        font=FONT,
        template="plotly_white",
        margin=margin,
        showlegend=False,
        meta={"cells": cells, "chars": chars, "lane_lines": lane_lines, "font": font},
    )
    fig.update_xaxes(range=[-label_w - 0.02, n + 0.02], visible=False, fixedrange=True)
    fig.update_yaxes(range=[0, plot_h], visible=False, fixedrange=True)
    return fig


def blueprint_pair_figure(
    as_is: Blueprint, to_be: Blueprint, *, size: tuple[int, int] = WIDE
) -> tuple[go.Figure, go.Figure]:
    """The as-is and to-be blueprints as two figures of the same size, for side-by-side display."""
    half = (size[0] // 2, size[1])
    return (blueprint_figure(as_is, size=half), blueprint_figure(to_be, size=half))


# A journey map lane with nothing in it on paper still takes this many lines.
MIN_PRINT_LANE_LINES = 2.0


def _share_lines(need: Sequence[float], total: float, floor: float) -> list[float]:
    """Lines for each lane: what it needs when everything fits, else each keeps ``floor`` and shares the rest."""
    if not need:
        return []
    if sum(need) <= total:
        extra = (total - sum(need)) / len(need)
        return [x + extra for x in need]
    base = [min(x, floor) for x in need]
    rest = max(0.0, total - sum(base))
    want = sum(x - b for x, b in zip(need, base, strict=True)) or 1.0
    return [b + (x - b) * rest / want for x, b in zip(need, base, strict=True)]


def _fit_texts(texts: Sequence[tuple[str, bool]], chars: int, lines: int) -> tuple[str, int, bool]:
    """(text, italic) entries fitted into ``lines`` lines: each wrapped, the last one that fits shortened with "…".

    Returns the Plotly label, the lines it takes and whether anything was shortened or left out.
    """
    out: list[str] = []
    used = 0
    # In a small cell a "+ n more" line would leave room for only a word of the first item: the "…" says it.
    counts_more = lines >= 4
    for n, (text, italic) in enumerate(texts):
        left = n < len(texts) - 1 and counts_more
        room = lines - used - (1 if left else 0)
        if room < 1:
            more, _cut = fit_lines(f"+ {len(texts) - n} more", chars, 1)
            if used < lines and more and counts_more:
                out.append(f"<i>{safe(more[0])}</i>")
                used += 1
            return "<br>".join(out), used, True
        wrapped, cut = fit_lines(text, chars, room)
        if n < len(texts) - 1 and not counts_more and used + len(wrapped) >= lines and not cut:
            # The last line this cell has, and more items after it: the line ends in "…".
            wrapped[-1] = wrapped[-1][: chars - 1].rstrip() + "…"
            cut = True
        out.extend(f"<i>{safe(x)}</i>" if italic else safe(x) for x in wrapped)
        used += len(wrapped)
        if cut and n < len(texts) - 1:
            if not counts_more:
                return "<br>".join(out), used, True
            more, _cut = fit_lines(f"+ {len(texts) - n - 1} more", chars, 1)
            if used < lines and more:
                out.append(f"<i>{safe(more[0])}</i>")
                used += 1
            return "<br>".join(out), used, True
    return "<br>".join(out), used, False


def _journey_cell_texts(jmap: JourneyMap, lane: str, index: int) -> list[tuple[str, bool]]:
    js = jmap.stages[index]
    texts = [("• " + c.text, False) for c in js.items.get(lane, ())]
    if lane == "thoughts_feelings":
        texts += [("“" + q.text + "”", True) for q in js.quotes]
    return texts


def journey_map_print_figure(
    jmap: JourneyMap,
    *,
    size: tuple[int, int],
    title: str | None = None,
    font_size: int = 11,
) -> go.Figure:
    """The journey map drawn for paper (an A4 report page or an A3 poster) at ``size`` pixels.

    The emotion curve sits above the stages it belongs to; below it the lanes that hold
    something (empty lanes are left out) share the height by what they hold. Every item and
    quote is wrapped to its column and shortened with a visible "…", or counted in a
    "+ n more" line, so nothing is cut off at the edge of a cell; the full text is in the
    report's table. Text is ``font_size`` pixels at the placed size (11 px prints at 8.25 pt).

    Returns:
        The figure. ``layout.meta`` holds ``lanes`` (the lane names drawn), ``chars`` (characters
        a line in a stage column), ``lane_lines`` and ``shortened`` (whether any text was shortened).
    """
    width, height = size
    stages = jmap.stages
    n = max(1, len(stages))
    lanes = [
        (key, name) for key, name in jmap.lanes if any(_journey_cell_texts(jmap, key, i) for i in range(len(stages)))
    ]
    has_title = bool(title)
    margin = {"l": 10, "r": 10, "t": 62 if has_title else 34, "b": 10}
    plot_w = width - margin["l"] - margin["r"]
    plot_h = height - margin["t"] - margin["b"]
    line_px = font_size * LINE_EM
    label_w = 1.0
    x_span = n + label_w
    column_px = plot_w / x_span
    chars = max(6, int((column_px - 2 * CELL_PAD_PX) / (font_size * CHAR_EM)))
    label_chars = max(6, int((column_px * label_w - 2 * CELL_PAD_PX) / (font_size * CHAR_EM)))
    curve_px = max(60.0, min(150.0, plot_h * 0.2))
    header_lines = 4
    header_px = header_lines * line_px + 2 * CELL_PAD_PX
    grid_px = plot_h - curve_px - 8
    body_px = grid_px - header_px
    pad = 2 * CELL_PAD_PX / line_px
    fullest = [
        max((_fit_texts(_journey_cell_texts(jmap, key, i), chars, 10_000)[1] for i in range(len(stages))), default=0)
        for key, _name in lanes
    ]
    need = [max(MIN_PRINT_LANE_LINES, lines + pad) for lines in fullest]
    heights = [x * line_px for x in _share_lines(need, body_px / line_px, MIN_PRINT_LANE_LINES + pad)]
    fig = go.Figure()
    for trace in _curve_traces(jmap.curve):
        trace.marker.size = 9
        trace.line.width = 2
        trace.error_y.thickness = 1
        fig.add_trace(trace)
    shapes: list[dict[str, object]] = []
    annotations: list[dict[str, object]] = []
    grid = {"xref": "x2", "yref": "y2"}
    shortened = False
    lane_lines: list[int] = []
    top = body_px
    for j, (key, name) in enumerate(lanes):
        bottom = top - heights[j]
        lines = max(1, int((heights[j] - 2 * CELL_PAD_PX) / line_px))
        lane_lines.append(lines)
        shapes.append(
            {**grid, "type": "rect", "x0": -label_w, "x1": 0, "y0": bottom, "y1": top, "fillcolor": "#EEF2F7"}
            | {"line": {"color": "#C8D1DC", "width": 1}, "layer": "below"}
        )
        lane_name, _cut = fit_lines(name, label_chars, lines)
        annotations.append(
            {
                **grid,
                "x": -label_w + CELL_PAD_PX / column_px,
                "y": top - CELL_PAD_PX,
                "xanchor": "left",
                "yanchor": "top",
                "align": "left",
                "text": "<b>" + "<br>".join(safe(x) for x in lane_name) + "</b>",
                "showarrow": False,
                "font": {"size": font_size},
                "name": f"lane:{j}",
            }
        )
        for i in range(len(stages)):
            shapes.append(
                {**grid, "type": "rect", "x0": i, "x1": i + 1, "y0": bottom, "y1": top}
                | {"fillcolor": "white", "line": {"color": "#C8D1DC", "width": 1}, "layer": "below"}
            )
            texts = _journey_cell_texts(jmap, key, i)
            if not texts:
                continue
            label, _used, cut = _fit_texts(texts, chars, lines)
            shortened |= cut
            annotations.append(
                {
                    **grid,
                    "x": i + CELL_PAD_PX / column_px,
                    "y": top - CELL_PAD_PX,
                    "xanchor": "left",
                    "yanchor": "top",
                    "align": "left",
                    "text": label,
                    "showarrow": False,
                    "font": {"size": font_size},
                    "name": f"cell:{i}:{j}",
                }
            )
        top = bottom
    for i, js in enumerate(stages):
        head, _cut = fit_lines(js.stage.name, chars, header_lines - 1 - (1 if jmap.shows_thrive and js.thrive else 0))
        text = "<b>" + "<br>".join(safe(x) for x in head) + "</b>"
        if jmap.shows_thrive and js.thrive:
            text += f"<br><i>{safe(fit_lines(js.thrive, chars, 1)[0][0])}</i>"
        point = js.emotion
        feeling = f"{point.mean:.1f}/5, n={point.count}" if point.mean is not None else "no ratings"
        text += "<br>" + safe(fit_lines(feeling, chars, 1)[0][0])
        shapes.append(
            {**grid, "type": "rect", "x0": i, "x1": i + 1, "y0": body_px, "y1": grid_px}
            | {"fillcolor": "#1F3A5F", "line": {"color": "#C8D1DC", "width": 1}, "layer": "below"}
        )
        annotations.append(
            {
                **grid,
                "x": i + CELL_PAD_PX / column_px,
                "y": grid_px - CELL_PAD_PX,
                "xanchor": "left",
                "yanchor": "top",
                "align": "left",
                "text": text,
                "showarrow": False,
                "font": {"size": font_size, "color": "white"},
                "name": f"stage:{i}",
            }
        )
    curve_share = curve_px / plot_h
    fig.update_layout(
        title={"text": safe(title or ""), "x": 0.01, "font": {"size": font_size + 5}} if has_title else None,
        width=width,
        height=height,
        font={**FONT, "size": font_size},
        template="plotly_white",
        margin=margin,
        shapes=shapes,
        annotations=annotations,
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.0, "xanchor": "left", "x": 0.0},
        xaxis={"domain": [0, 1], "range": [-label_w - 0.5, n - 0.5], "visible": False, "fixedrange": True},
        yaxis={
            "domain": [1 - curve_share, 1],
            "range": [0.5, 5.5],
            "tickvals": [1, 3, 5],
            "ticktext": [safe(jmap.curve.scale_labels[i]) for i in (0, 2, 4)],
            "ticklabelposition": "inside",
            "gridcolor": "#E5E5E5",
            "zeroline": False,
            "fixedrange": True,
        },
        xaxis2={"domain": [0, 1], "range": [-label_w, n], "visible": False, "fixedrange": True, "anchor": "y2"},
        yaxis2={
            "domain": [0, grid_px / plot_h],
            "range": [0, grid_px],
            "visible": False,
            "fixedrange": True,
            "anchor": "x2",
        },
        meta={
            "lanes": [name for _key, name in lanes],
            "chars": chars,
            "lane_lines": lane_lines,
            "shortened": shortened,
        },
    )
    return fig
