"""The display's journey views: the emotion curve, the journey map and the service blueprint.

The figures come from ``charts.journey``, drawn at the size of the screen they are on
(less the join banner). Every lane and every stage
is drawn; long text is wrapped or shortened with "…" by the figure, and the full text is
on the laptop's Journey map and Service blueprint screens.
"""

from __future__ import annotations

from sqlalchemy import Engine

from codesign import journeys
from codesign.charts import journey as charts
from codesign.models import Workshop
from codesign.ui import frame as d
from codesign.workshops.display import DisplayState

# The room below the join banner on a 1080-pixel-high screen (with the banner hidden, a
# little more is left empty rather than risk a scroll bar); other screens scale it.
FIGURE_HEIGHT = 940


def emotion(engine: Engine, workshop: Workshop, state: DisplayState) -> None:
    """How each stage felt, by lens: the emotion curve in large type."""
    del state
    jmap = journeys.load_journey_map(engine, workshop)
    figure = charts.emotion_curve_figure(jmap.curve)
    figure.update_layout(font={"size": d.scaled(24)}, title={"font": {"size": d.scaled(32)}})
    d.figure(figure, *d.figure_size(FIGURE_HEIGHT))


def journey(engine: Engine, workshop: Workshop, state: DisplayState) -> None:
    """The whole journey map: the curve above, every lane below, at the projector's size."""
    del state
    jmap = journeys.load_journey_map(engine, workshop)
    if not jmap.stages:
        d.heading("The journey map has no stages yet.")
        return
    size = d.figure_size(FIGURE_HEIGHT)
    d.figure(charts.journey_map_figure(jmap, size=size, title=None), *size)


def blueprint(engine: Engine, workshop: Workshop, state: DisplayState) -> None:
    """The service blueprint as it is now, every lane and stage, fail and wait points marked."""
    del state
    bp = journeys.load_blueprint(engine, workshop, "as_is")
    if not bp.stages:
        d.heading("The blueprint has no stages yet.")
        return
    size = d.figure_size(FIGURE_HEIGHT)
    d.figure(charts.blueprint_figure(bp, size=size, title=None, font_size=d.scaled(18)), *size)
