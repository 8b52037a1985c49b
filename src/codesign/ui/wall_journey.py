"""The display's journey views: the emotion curve, the journey map and the service blueprint.

The figures come from ``charts.journey`` drawn at the projector's size (1920x1080 less
the join banner); the display zooms them for other screens. Every lane and every stage
is drawn; long text is wrapped or shortened with "…" by the figure, and the full text is
on the laptop's Journey map and Service blueprint screens.
"""

from __future__ import annotations

import streamlit as st
from sqlalchemy import Engine

from codesign import journeys
from codesign.charts import journey as charts
from codesign.models import Workshop
from codesign.ui import frame as d
from codesign.workshops.display import DisplayState

# The room below the join banner on a 1920x1080 screen (with the banner hidden, a little
# more is left empty rather than risk a scroll bar).
FIGURE_SIZE = (1860, 940)
CONFIG = {"displayModeBar": False, "staticPlot": True}


def _figure(figure: object) -> None:
    with st.container(key="d_figure"):
        st.plotly_chart(figure, width="content", config=CONFIG)


def emotion(engine: Engine, workshop: Workshop, state: DisplayState) -> None:
    """How each stage felt, by lens: the emotion curve in large type."""
    del state
    jmap = journeys.load_journey_map(engine, workshop)
    figure = charts.emotion_curve_figure(jmap.curve)
    figure.update_layout(
        width=FIGURE_SIZE[0], height=FIGURE_SIZE[1], autosize=False, font={"size": 24}, title={"font": {"size": 32}}
    )
    _figure(figure)


def journey(engine: Engine, workshop: Workshop, state: DisplayState) -> None:
    """The whole journey map: the curve above, every lane below, at the projector's size."""
    del state
    jmap = journeys.load_journey_map(engine, workshop)
    if not jmap.stages:
        d.heading("The journey map has no stages yet.")
        return
    _figure(charts.journey_map_figure(jmap, size=FIGURE_SIZE, title=None))


def blueprint(engine: Engine, workshop: Workshop, state: DisplayState) -> None:
    """The service blueprint as it is now, every lane and stage, fail and wait points marked."""
    del state
    bp = journeys.load_blueprint(engine, workshop, "as_is")
    if not bp.stages:
        d.heading("The blueprint has no stages yet.")
        return
    _figure(charts.blueprint_figure(bp, size=FIGURE_SIZE, title=None, font_size=18))
