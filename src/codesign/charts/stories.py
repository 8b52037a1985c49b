"""Figures about stories: how many there are by stage and by lens, for the live wall and the report."""

from __future__ import annotations

from collections.abc import Sequence

import plotly.graph_objects as go

# Read from the back of a room on a projector: big type, dark bars on white.
WALL_FONT_SIZE = 22
BAR_COLOUR = "#1d3557"


def story_counts_figure(counts: Sequence[tuple[str, int]], title: str, *, font_size: int = WALL_FONT_SIZE) -> go.Figure:
    """A horizontal bar chart of story counts, in the order given (top to bottom).

    Args:
        counts: (label, count) pairs, such as stages in journey order.
        title: The chart's title.
        font_size: Base font size; the wall's default is readable from the back of a room.
    """
    labels = [label for label, _ in counts]
    values = [n for _, n in counts]
    fig = go.Figure(
        go.Bar(
            x=values,
            y=labels,
            orientation="h",
            marker_color=BAR_COLOUR,
            text=values,
            textposition="outside",
            cliponaxis=False,
            hovertemplate="%{y}: %{x}<extra></extra>",
        )
    )
    fig.update_layout(
        title={"text": title, "font": {"size": font_size + 4}},
        font={"size": font_size, "color": "#111111"},
        yaxis={"autorange": "reversed", "automargin": True},
        xaxis={"visible": False, "range": [0, max([*values, 1]) * 1.25]},
        margin={"l": 10, "r": 30, "t": 60, "b": 10},
        height=max(220, 60 + 48 * len(labels)),
        plot_bgcolor="white",
        paper_bgcolor="white",
        showlegend=False,
    )
    return fig
