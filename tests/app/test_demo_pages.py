"""On first start, every facilitator screen shows the demo's content, not an empty state."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlalchemy import Engine
from streamlit.testing.v1 import AppTest

from codesign import demo, voting
from codesign.storage import themes as theme_repo
from codesign.storage import workshops as workshop_repo
from tests.app.conftest import page

DATA = demo.demo_data()
WAITING = "waiting"


def workshop_id(engine: Engine) -> int:
    return workshop_repo.list_workshops(engine)[0].id


def shown(at: AppTest) -> str:
    parts = [e.value for e in at.text] + [e.value for e in at.markdown] + [e.value for e in at.subheader]
    return "\n".join(str(p) for p in parts)


def cells(at: AppTest) -> str:
    return "\n".join(frame.value.to_string() for frame in at.dataframe)


def chart_texts(at: AppTest) -> str:
    return "\n".join(c.proto.spec for c in at.get("plotly_chart"))


def themes_page(at: AppTest, engine: Engine) -> None:
    board = theme_repo.list_board(engine, workshop_id(engine))
    assert board and "No themes yet" not in "\n".join(i.value for i in at.info)
    for theme in board:
        assert theme.label in shown(at)


def journey_page(at: AppTest, engine: Engine) -> None:
    stage = next(s for s in workshop_repo.list_stages(engine, workshop_id(engine)) if s.key == WAITING)
    grid = next(df.value for df in at.dataframe if stage.name in df.value.columns)
    column = "\n".join(str(cell) for cell in grid[stage.name])
    for lane in ("doing", "touchpoints", "opportunities"):
        assert f"• {DATA['journey'][WAITING][lane][0]}" in column, lane
    assert any("Pain points" in str(row) for row in grid["Lane"])


def blueprint_page(at: AppTest, engine: Engine) -> None:
    del engine
    assert "Waiting-list letter" in cells(at)
    assert "FAIL POINT" in cells(at)


def ideas_page(at: AppTest, engine: Engine) -> None:
    rounds = voting.list_rounds(engine, workshop_id(engine))
    assert at.selectbox(key="ideas_round_id").value == rounds[0].id and rounds[0].kind == "ideas"
    top = DATA["ideas_round"]["ideas"][0]["text"]
    assert top in cells(at)  # the revealed results table
    assert "impact" in chart_texts(at).lower()  # the impact and effort grid


def ideas_page_agreement(at: AppTest, engine: Engine) -> None:
    agreement = next(r for r in voting.list_rounds(engine, workshop_id(engine)) if r.kind == "agreement")
    at.selectbox(key="ideas_round_id").set_value(agreement.id).run()
    assert not at.exception, at.exception
    captions = [c.value for c in at.caption]
    assert voting.VERDICT_TITLES["agree"] in captions and voting.VERDICT_TITLES["diverge"] in captions


def wall_votes(at: AppTest, engine: Engine) -> None:
    del engine
    at.sidebar.radio[0].set_value("round").run()
    assert not at.exception, at.exception
    assert DATA["ideas_round"]["prompt"] in shown(at)
    assert DATA["ideas_round"]["ideas"][0]["text"][:30] in chart_texts(at)


def wall_themes(at: AppTest, engine: Engine) -> None:
    at.sidebar.radio[0].set_value("themes").run()
    assert not at.exception, at.exception
    assert not any("No themes yet" in str(h.proto.body) for h in at.get("html"))
    assert theme_repo.list_board(engine, workshop_id(engine))[0].label in shown(at) + chart_texts(at)


def export_page(at: AppTest, engine: Engine) -> None:
    del engine
    metrics = {m.label: int(m.value) for m in at.metric}
    assert metrics["Stories in the report"] > 0 and metrics["Held back"] > 0  # the demo's flagged stories


CHECKS: list[tuple[str, Callable[[AppTest, Engine], None]]] = [
    ("pages/themes.py", themes_page),
    ("pages/journey.py", journey_page),
    ("pages/blueprint.py", blueprint_page),
    ("pages/ideas.py", ideas_page),
    ("pages/ideas.py", ideas_page_agreement),
    ("pages/wall.py", wall_votes),
    ("pages/wall.py", wall_themes),
    ("pages/export.py", export_page),
]


@pytest.mark.parametrize(("path", "check"), CHECKS, ids=[c.__name__ for _p, c in CHECKS])
def test_facilitator_screen_shows_the_demo(app, demo_engine: Engine, path: str, check) -> None:  # type: ignore[no-untyped-def]
    at = page(app(facilitator=True), path)
    assert not at.exception, at.exception
    check(at, demo_engine)
