"""In a real browser, a facilitator drags a story card to another theme and it is saved; the
board asks nothing of any host but the app's own."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlparse

import pytest

from codesign import demo
from codesign.storage import themes as repo
from codesign.themes import service as themes
from tests.conftest import TEST_PASSCODE
from tests.e2e.conftest import PROJECTOR

pytestmark = pytest.mark.browser
LAPTOP = {"width": 1440, "height": 900}


def sign_in(page, url: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{url}/themes")
    page.get_by_label("Facilitator passcode").fill(TEST_PASSCODE)
    page.get_by_role("button", name="Sign in").click()


def board_frame(page):  # type: ignore[no-untyped-def]
    page.locator("iframe[title*='sortable']").first.wait_for(timeout=60_000)
    return page.frame_locator("iframe[title*='sortable']").first


def test_dragging_a_card_to_another_theme_saves_the_move(live_app, browser, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    workshop = demo.load_demo(live_app.engine).workshop
    board = repo.list_board(live_app.engine, workshop.id)
    source, target = board[0], board[1]
    story = source.story_ids[-1]
    context = browser.new_context(viewport=LAPTOP)
    page = context.new_page()
    hosts: set[str] = set()
    page.on("request", lambda request: hosts.add(urlparse(request.url).netloc))
    sign_in(page, live_app.url)
    frame = board_frame(page)
    card = frame.locator(".sortable-item", has_text=re.compile(rf"#{story}$")).first
    card.wait_for(timeout=60_000)
    columns = themes.board_columns(live_app.engine, workshop)
    index = next(i for i, c in enumerate(columns) if c.key == str(target.id))
    drop = frame.locator(".sortable-container-body").nth(index)
    page.screenshot(path=str(tmp_path / "board-1440.png"), full_page=True)

    card.scroll_into_view_if_needed()
    start = card.bounding_box()
    end = drop.bounding_box()
    assert start and end
    page.mouse.move(start["x"] + start["width"] / 2, start["y"] + start["height"] / 2)
    page.mouse.down()
    steps = 20
    for i in range(1, steps + 1):
        page.mouse.move(
            start["x"]
            + start["width"] / 2
            + (end["x"] + end["width"] / 2 - start["x"] - start["width"] / 2) * i / steps,
            start["y"] + start["height"] / 2 + (end["y"] + 20 - start["y"] - start["height"] / 2) * i / steps,
        )
        page.wait_for_timeout(30)
    page.mouse.up()

    page.get_by_text("Moved. Finding themes again will not move it back.").wait_for(timeout=60_000)
    after = {t.id: t for t in repo.list_board(live_app.engine, workshop.id)}
    assert story in after[target.id].manual_story_ids and story not in after[source.id].story_ids
    # The saved board is what the page shows after the move.
    moved = (
        board_frame(page)
        .locator(".sortable-container")
        .nth(index)
        .locator(".sortable-item", has_text=re.compile(rf"#{story}$"))
    )
    moved.wait_for(timeout=60_000)
    moved.scroll_into_view_if_needed()
    page.screenshot(path=str(tmp_path / "board-1440-moved.png"))
    page.set_viewport_size(PROJECTOR)
    page.wait_for_timeout(1_000)
    page.screenshot(path=str(tmp_path / "board-1920.png"), full_page=True)
    page.locator("iframe[title*='sortable']").first.scroll_into_view_if_needed()
    page.screenshot(path=str(tmp_path / "board-1920-cards.png"))
    context.close()
    assert hosts == {urlparse(live_app.url).netloc}, hosts
