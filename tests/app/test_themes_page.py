"""The Themes screen through AppTest: find themes, work the board (rename, merge, split, move, pin,
delete, make), re-run without losing the room's work, undo, and the wall's board."""

from __future__ import annotations

from sqlalchemy import Engine
from streamlit.testing.v1 import AppTest

from codesign.models import BoardTheme
from codesign.storage import themes as repo
from codesign.storage import workshops as workshops_repo
from codesign.storage.stories import list_stories
from codesign.themes import service as themes_service
from tests.app.conftest import page
from tests.themes.test_board import add_story

PAGE = "pages/themes.py"


def button(at: AppTest, label: str):  # type: ignore[no-untyped-def]
    return next(b for b in at.button if b.label == label)


def shown_text(at: AppTest) -> str:
    return "\n".join(str(t.value) for t in at.text)


def find(at: AppTest, *, k: int | None = None) -> AppTest:
    if k is not None:
        at.radio[0].set_value("Choose the number")
        at.number_input[0].set_value(k)
    else:
        at.radio[0].set_value("Let the tool choose")
    return button(at, "Find themes").click().run()


def stories_of(board: list[BoardTheme]) -> dict[int, set[int]]:
    return {t.id: set(t.story_ids) for t in board}


def test_find_themes_runs_on_press_only_and_speaks_plainly(app, demo_stories_engine: Engine) -> None:  # type: ignore[no-untyped-def]
    demo = workshops_repo.list_workshops(demo_stories_engine)[0]
    at = page(app(facilitator=True), PAGE)
    assert not at.exception
    assert "No themes yet" in "\n".join(i.value for i in at.info)
    find(at, k=5)
    assert not at.exception, at.exception
    board = repo.list_board(demo_stories_engine, demo.id)
    assert len(board) == 5
    clarity = next(m for m in at.metric if m.label == "How clearly the themes separate")
    assert clarity.value in ("low", "medium", "high")
    # The engineer's words sit under "Advanced", not on the board.
    assert not any("silhouette" in m.label.lower() for m in at.metric)
    assert any("Silhouette" in t for t in [str(x.value) for x in at.text])
    for theme in board:
        assert theme.label in shown_text(at)
    text = shown_text(at)
    assert "1 stories" not in text and " stories" in text
    # A rerun (any widget) does not cluster again: the board stays the same rows.
    ids = [t.id for t in board]
    at.run()
    assert [t.id for t in repo.list_board(demo_stories_engine, demo.id)] == ids
    assert len(at.get("plotly_chart")) == 2


def test_the_rooms_sequence_survives_a_rerun_and_undo_takes_it_back(app, demo_stories_engine: Engine) -> None:  # type: ignore[no-untyped-def]
    """The sequence that lost a room's work: rename, merge, split, move, then Find themes again."""
    engine = demo_stories_engine
    demo = workshops_repo.list_workshops(engine)[0]
    at = page(app(facilitator=True), PAGE)
    find(at, k=8)
    board = repo.list_board(engine, demo.id)
    first, second, third, fourth, fifth = board[:5]

    rename_box = next(t for t in at.text_input if t.label == "New name" and t.value == first.label)
    rename_box.input("Waiting with no word from anyone")
    next(b for b in at.button if b.label == "Rename" and b.form_id == f"rename_{first.id}").click().run()
    assert not at.exception, at.exception
    assert "Renamed." in [s.value for s in at.success]

    merge_box = next(s for s in at.selectbox if s.form_id == f"merge_{third.id}")
    merge_box.set_value(second.id)
    next(b for b in at.button if b.label == "Merge" and b.form_id == f"merge_{third.id}").click().run()
    assert not at.exception, at.exception
    board = {t.id: t for t in repo.list_board(engine, demo.id)}
    assert third.id not in board and set(board[second.id].story_ids) == set(second.story_ids) | set(third.story_ids)

    big = max((t for t in board.values() if t.id not in (first.id, second.id)), key=lambda t: t.size)
    at.button(key=f"split_{big.id}").click().run()
    assert not at.exception, at.exception
    split = {t.id: t for t in repo.list_board(engine, demo.id)}
    (half,) = set(split) - set(board)
    assert set(split[big.id].story_ids) | set(split[half].story_ids) == set(big.story_ids)

    donor = next(t for t in (fourth, fifth) if t.id not in (big.id, half) and t.id in split)
    story = donor.story_ids[0]
    at.selectbox(key="move_story").set_value(story)
    at.selectbox(key="move_target").set_value(first.id)
    button(at, "Move").click().run()
    assert not at.exception, at.exception
    before = repo.list_board(engine, demo.id)
    kept = {t.id: set(t.story_ids) for t in before if t.is_manual}
    assert set(kept) == {first.id, second.id, big.id, half}
    assert kept[first.id] == set(first.story_ids) | {story}

    find(at, k=8)
    assert not at.exception, at.exception
    after = repo.list_board(engine, demo.id)
    by_id = {t.id: t for t in after}
    for theme_id, ids in kept.items():
        assert set(by_id[theme_id].story_ids) == ids, by_id[theme_id].label
    assert by_id[first.id].label == "Waiting with no word from anyone"
    new = [t for t in after if t.id not in kept]
    assert len(new) == 8 - sum(1 for ids in kept.values() if ids)
    approved = {s.id for s in list_stories(engine, demo.id, statuses=["approved"])}
    assert {i for t in new for i in t.story_ids} == approved - set().union(*kept.values())
    labels = [t.label.casefold() for t in after]
    assert len(labels) == len(set(labels))
    message = "\n".join(i.value for i in at.info)
    assert "Kept 4 of the room's themes exactly as they were" in message

    # Undo takes back the re-run, then the move, one at a time.
    at.button(key="undo").click().run()
    assert stories_of(repo.list_board(engine, demo.id)) == stories_of(before)
    at.button(key="undo").click().run()
    assert story not in {i for t in repo.list_board(engine, demo.id) if t.id == first.id for i in t.story_ids}
    assert not at.exception


def test_new_stories_are_suggested_and_wait_for_a_person(app, demo_stories_engine: Engine) -> None:  # type: ignore[no-untyped-def]
    engine = demo_stories_engine
    demo = workshops_repo.list_workshops(engine)[0]
    at = page(app(facilitator=True), PAGE)
    find(at, k=4)
    before = stories_of(repo.list_board(engine, demo.id))
    late = add_story(engine, demo, "Nobody rang me back after the assessment, I heard nothing for weeks.")
    at.run()
    assert stories_of(repo.list_board(engine, demo.id)) == before
    assert any("waiting for a theme" in str(h.value) for h in at.subheader)
    at.button(key=f"accept_{late}").click().run()
    assert not at.exception, at.exception
    assert late in {i for t in repo.list_board(engine, demo.id) for i in t.manual_story_ids}


def test_pin_delete_make_and_bad_edits(app, demo_stories_engine: Engine) -> None:  # type: ignore[no-untyped-def]
    engine = demo_stories_engine
    demo = workshops_repo.list_workshops(engine)[0]
    at = page(app(facilitator=True), PAGE)
    find(at, k=3)
    first, second, _third = repo.list_board(engine, demo.id)
    at.button(key=f"pin_{first.id}").click().run()
    assert next(t for t in repo.list_board(engine, demo.id) if t.id == first.id).pinned

    next(t for t in at.text_input if t.label == "Name of the new theme").input("Getting there: transport")
    button(at, "Make theme").click().run()
    empty = repo.list_board(engine, demo.id)[-1]
    assert empty.label == "Getting there: transport" and empty.size == 0
    next(t for t in at.text_input if t.label == "Name of the new theme").input(second.label.upper())
    button(at, "Make theme").click().run()
    assert any("already a theme" in e.value for e in at.error)

    at.button(key=f"delete_{empty.id}").click().run()
    assert empty.id not in {t.id for t in repo.list_board(engine, demo.id)}

    rename_box = next(t for t in at.text_input if t.label == "New name" and t.value == first.label)
    rename_box.input("   ")
    next(b for b in at.button if b.label == "Rename" and b.form_id == f"rename_{first.id}").click().run()
    assert [e.value for e in at.error] == ["Give the theme a name."]
    assert not at.exception


def test_wall_shows_the_theme_board_in_large_type(app, demo_stories_engine: Engine) -> None:  # type: ignore[no-untyped-def]
    demo = workshops_repo.list_workshops(demo_stories_engine)[0]
    at = page(app(facilitator=True), "pages/wall.py")
    at.sidebar.radio[0].set_value("themes").run()
    assert any("No themes yet" in str(h.proto.body) for h in at.get("html"))
    at = page(app(facilitator=True), PAGE)
    find(at, k=3)
    at.switch_page("pages/wall.py").run()
    at.sidebar.radio[0].set_value("themes").run()
    assert not at.exception, at.exception
    shown = [str(t.value) for t in at.text]
    board = repo.list_board(demo_stories_engine, demo.id)
    # A tile per theme with stories, numbered and named as on the Themes screen's board.
    headers = [c.header for c in themes_service.board_columns(demo_stories_engine, demo)]
    for position, theme in enumerate(board, start=1):
        name = f"{position}. {theme.label}"
        assert (name in shown) == bool(theme.size), name
        if theme.size:
            assert any(h.startswith(name + " · ") for h in headers), (name, headers)
    assert not at.get("plotly_chart")
    quotes = [q.split(" ", 1)[1] for q in shown if "“" in q and q[0] in "●■▲◆★▼◐✚○"]
    allowed = {s.text for s in list_stories(demo_stories_engine, demo.id) if s.consent != "themes_only"}
    assert quotes
    for quote in quotes:  # each a story the wall may quote, shortened at most
        assert any(text.startswith(quote.strip("“”").rstrip("…")) for text in allowed), quote


def test_the_wall_names_every_theme_it_cannot_fit(app, demo_stories_engine: Engine) -> None:  # type: ignore[no-untyped-def]
    # More themes than fit at a size the back of the room can read: 40 tiles and a plain count of the rest.
    demo = workshops_repo.list_workshops(demo_stories_engine)[0]
    stories = [s.id for s in list_stories(demo_stories_engine, demo.id, statuses=["approved"])]
    for n, story in enumerate(stories[:43]):
        theme = repo.create_theme(demo_stories_engine, demo.id, f"Made by hand {n}")
        repo.move_story(demo_stories_engine, demo.id, story, theme)
    at = page(app(facilitator=True), "pages/wall.py")
    at.sidebar.radio[0].set_value("themes").run()
    assert not at.exception, at.exception
    shown = [str(t.value) for t in at.text]
    board = repo.list_board(demo_stories_engine, demo.id)
    named = [f"{i}. {t.label}" for i, t in enumerate(board, start=1) if t.size]
    assert [n for n in named if n in shown] == named[:40]
    assert any("3 more themes on the laptop" in str(h.proto.body) for h in at.get("html"))


def test_an_insight_is_saved_and_a_long_one_is_refused_with_its_text_kept(app, demo_stories_engine: Engine) -> None:  # type: ignore[no-untyped-def]
    engine = demo_stories_engine
    demo = workshops_repo.list_workshops(engine)[0]
    at = page(app(facilitator=True), PAGE)
    find(at, k=4)
    theme = repo.list_board(engine, demo.id)[0]

    too_long = "The same story told again and again. " * 20
    at.text_area(key=f"insight_text_{theme.id}").input(too_long)
    next(b for b in at.button if b.label == "Save insight" and b.form_id == f"insight_{theme.id}").click().run()
    assert not at.exception, at.exception
    assert any("still in the box" in e.value for e in at.error)
    assert at.text_area(key=f"insight_text_{theme.id}").value == too_long
    assert repo.list_board(engine, demo.id)[0].insight == ""

    at.text_area(key=f"insight_text_{theme.id}").input("People tell their story again at every door.")
    next(b for b in at.button if b.label == "Save insight" and b.form_id == f"insight_{theme.id}").click().run()
    assert not at.exception, at.exception
    assert repo.list_board(engine, demo.id)[0].insight == "People tell their story again at every door."
    assert "The room's insight: People tell their story again at every door." in shown_text(at)
