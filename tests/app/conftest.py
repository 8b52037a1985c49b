"""AppTest fixtures: the real app.py against a temporary database."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import Engine
from streamlit.testing.v1 import AppTest

from codesign.ui import state
from tests.conftest import TEST_PASSCODE, copy_database, template_database

APP = str(Path(__file__).resolve().parents[2] / "app.py")
# Rendering a Plotly chart or clustering can take longer than AppTest's 3 s default.
TIMEOUT = 30


@pytest.fixture(autouse=True)
def app_database(monkeypatch: pytest.MonkeyPatch, sqlite_url: str) -> str:
    """Point the app at the test's database and set a known facilitator passcode."""
    monkeypatch.setenv("CODESIGN_DATABASE_URL", sqlite_url)
    monkeypatch.setenv("CODESIGN_FACILITATOR_PASSCODE", TEST_PASSCODE)
    monkeypatch.setenv("CODESIGN_BASE_URL", "http://workshop.test:8501")
    return sqlite_url


@pytest.fixture
def app() -> Callable[..., AppTest]:
    """Factory: a fresh AppTest of app.py, signed in as facilitator if asked."""

    def _make(*, facilitator: bool = False, query: dict[str, str] | None = None) -> AppTest:
        at = AppTest.from_file(APP, default_timeout=TIMEOUT)
        if facilitator:
            at.session_state[state.FACILITATOR] = True
        for key, value in (query or {}).items():
            at.query_params[key] = value
        return at

    return _make


def page(at: AppTest, path: str) -> AppTest:
    """Run the app, then switch to a page by its file path."""
    at.run()
    at.switch_page(path)
    at.run()
    return at


@pytest.fixture
def demo_engine(engine: Engine, demo_template: Path) -> Engine:
    copy_database(demo_template, engine)
    return engine


@pytest.fixture(scope="session")
def demo_stories_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from codesign import demo

    return template_database(tmp_path_factory, "demo-stories", demo.create_demo_workshop)


@pytest.fixture
def demo_stories_engine(engine: Engine, demo_stories_template: Path) -> Engine:
    """The demo workshop with its stories only: no themes, journey items, blueprint or rounds yet."""
    copy_database(demo_stories_template, engine)
    return engine


def moderation_tab(at: AppTest, queue: str) -> AppTest:
    """Open one of the Moderation screen's tabs ("safeguarding", "pending", "approved", "hidden",
    "settings"), as a click on it does: only the open tab is drawn."""
    at.session_state["moderation_tab"] = queue
    at.run()
    return at
