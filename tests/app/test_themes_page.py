"""The Themes screen through AppTest: find themes, then rename, merge, split, move, create, pin."""

from __future__ import annotations

from sqlalchemy import Engine
from streamlit.testing.v1 import AppTest

from codesign.storage import themes as repo
from codesign.storage import workshops as workshops_repo
from tests.app.conftest import page

PAGE = "pages/themes.py"


def button(at: AppTest, label: str):  # type: ignore[no-untyped-def]
    return next(b for b in at.button if b.label == label)


def shown_text(at: AppTest) -> str:
    return "\n".join(str(t.value) for t in at.text)


def find(at: AppTest, *, k: int | None = None) -> AppTest:
    if k is not None:
        at.radio[0].set_value("Choose the number")
        at.number_input[0].set_value(k)
    return button(at, "Find themes").click().run()


def test_find_themes_runs_on_press_only_and_shows_provenance(app, demo_stories_engine: Engine) -> None:  # type: ignore[no-untyped-def]
    demo = workshops_repo.list_workshops(demo_stories_engine)[0]
    at = page(app(facilitator=True), PAGE)
    assert not at.exception
    assert "No themes yet" in "\n".join(i.value for i in at.info)
    find(at, k=5)
    assert not at.exception, at.exception
    board = repo.list_board(demo_stories_engine, demo.id)
    assert len(board) == 5
    assert any(m.label == "Quality (silhouette, -1 to 1)" for m in at.metric)
    for number, theme in enumerate(board, start=1):
        assert f"{number}. {theme.label}" in shown_text(at)
    # Each theme's stories are listed as plain dataframe cells.
    stories = at.dataframe[-1].value if at.dataframe else None
    assert stories is not None and "story" in stories.columns
    # A rerun (any widget) does not cluster again: the board stays the same rows.
    ids = [t.id for t in board]
    at.run()
    assert [t.id for t in repo.list_board(demo_stories_engine, demo.id)] == ids
    assert len(at.get("plotly_chart")) == 2


def test_rename_merge_split_move_create_and_pin(app, demo_engine: Engine) -> None:  # type: ignore[no-untyped-def]
    demo = workshops_repo.list_workshops(demo_engine)[0]
    at = page(app(facilitator=True), PAGE)
    find(at, k=4)
    first, second, third, _fourth = repo.list_board(demo_engine, demo.id)

    at.selectbox(key="rename_target").set_value(first.id)
    next(t for t in at.text_input if t.label == "New name").input("Feeling unheard")
    button(at, "Rename").click().run()
    assert not at.exception, at.exception
    assert repo.list_board(demo_engine, demo.id)[0].label == "Feeling unheard"
    assert "Renamed." in [s.value for s in at.success]

    at.selectbox(key="merge_keep").set_value(first.id)
    at.selectbox(key="merge_other").set_value(second.id)
    button(at, "Merge").click().run()
    board = {t.id: t for t in repo.list_board(demo_engine, demo.id)}
    assert second.id not in board and board[first.id].size == first.size + second.size

    story = third.story_ids[0]
    at.selectbox(key="move_story").set_value(story)
    at.selectbox(key="move_target").set_value(first.id)
    button(at, "Move").click().run()
    assert story in repo.list_board(demo_engine, demo.id)[0].manual_story_ids

    at.selectbox(key="split_target").set_value(first.id)
    button(at, "Split").click().run()
    assert len(repo.list_board(demo_engine, demo.id)) == 4

    next(t for t in at.text_input if t.label == "Name of the new theme").input("Getting there: transport")
    button(at, "Create theme").click().run()
    assert repo.list_board(demo_engine, demo.id)[-1].label == "Getting there: transport"

    at.button(key=f"pin_{first.id}").click().run()
    assert next(t for t in repo.list_board(demo_engine, demo.id) if t.id == first.id).pinned
    before = next(t for t in repo.list_board(demo_engine, demo.id) if t.id == first.id)
    find(at)  # let the tool choose; the pinned theme and the moved story stay
    after = {t.id: t for t in repo.list_board(demo_engine, demo.id)}
    assert after[first.id].story_ids == before.story_ids and story in after[first.id].story_ids
    assert not at.exception


def test_bad_edits_show_a_message_not_a_traceback(app, demo_engine: Engine) -> None:  # type: ignore[no-untyped-def]
    demo = workshops_repo.list_workshops(demo_engine)[0]
    at = page(app(facilitator=True), PAGE)
    find(at, k=3)
    first = repo.list_board(demo_engine, demo.id)[0]
    at.selectbox(key="merge_keep").set_value(first.id)
    at.selectbox(key="merge_other").set_value(first.id)
    button(at, "Merge").click().run()
    assert [e.value for e in at.error] == ["Choose two different themes to merge."]
    button(at, "Rename").click().run()
    assert [e.value for e in at.error] == ["Give the theme a name."]
    assert not at.exception


def test_wall_shows_the_theme_board(app, demo_stories_engine: Engine) -> None:  # type: ignore[no-untyped-def]
    demo = workshops_repo.list_workshops(demo_stories_engine)[0]
    at = page(app(facilitator=True), "pages/wall.py")
    at.sidebar.radio[0].set_value("themes").run()
    assert any("No themes yet" in str(h.proto.body) for h in at.get("html"))
    at = page(app(facilitator=True), PAGE)
    find(at, k=3)
    at.switch_page("pages/wall.py").run()
    at.sidebar.radio[0].set_value("themes").run()
    assert not at.exception, at.exception
    assert len(at.get("plotly_chart")) == 1
    quotes = [str(t.value) for t in at.text]
    allowed = {
        s.text
        for s in __import__("codesign.storage.stories", fromlist=["x"]).list_stories(demo_stories_engine, demo.id)
        if s.consent != "themes_only"
    }
    assert quotes and all(q.strip("“”") in allowed for q in quotes)
