"""The theme board of a workshop: find, keep the room's decisions, suggest places for late stories, edit, undo."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine

from codesign.errors import NotFoundError, ValidationFailed
from codesign.models import Workshop
from codesign.storage import themes as repo
from codesign.storage.db import make_engine, write_session
from codesign.storage.stories import add_story_row, list_stories
from codesign.storage.workshops import list_lenses, list_stages
from codesign.themes.board import summarise_board, unplaced_stories
from codesign.themes.service import accept_suggestions, find_themes, split_theme, suggest_places
from tests.themes.test_pipeline import STORIES


def add_story(engine: Engine, workshop: Workshop, text: str, **fields: object) -> int:
    values: dict[str, object] = {
        "text": text,
        "lens_key": "lived_experience",
        "emotion": 3,
        "consent": "anonymous_quote",
        "moderation_status": "approved",
        "client_submission_id": f"t-{abs(hash(text))}-{len(text)}-{fields.get('n', 0)}",
    }
    values.update({k: v for k, v in fields.items() if k != "n"})
    stage = str(values.pop("stage", "first_noticing"))
    with write_session(engine) as s:
        return add_story_row(s, workshop.id, stage, **values).id


@pytest.fixture
def workshop(make_workshop) -> Workshop:  # type: ignore[no-untyped-def]
    return make_workshop()


@pytest.fixture
def stories(engine: Engine, workshop: Workshop) -> list[int]:
    return [add_story(engine, workshop, text) for text in STORIES]


def test_empty_workshop_explains_and_changes_nothing(engine: Engine, workshop: Workshop) -> None:
    run = find_themes(engine, workshop)
    assert run.clustering is None and "no approved stories" in run.message
    assert repo.list_board(engine, workshop.id) == []


def test_only_approved_stories_are_grouped(engine: Engine, workshop: Workshop, stories: list[int]) -> None:
    pending = add_story(engine, workshop, "A pending story about waiting", moderation_status="pending")
    find_themes(engine, workshop, k=3)
    placed = {i for t in repo.list_board(engine, workshop.id) for i in t.story_ids}
    assert placed == set(stories) and pending not in placed


def test_rerun_keeps_pinned_themes_and_manual_moves(engine: Engine, workshop: Workshop, stories: list[int]) -> None:
    find_themes(engine, workshop, k=3, seed=0)
    board = repo.list_board(engine, workshop.id)
    pinned, other = board[0], board[1]
    repo.set_pinned(engine, workshop.id, pinned.id, True)
    repo.rename_theme(engine, workshop.id, pinned.id, "Our own name")
    moved = board[2].story_ids[0]
    repo.move_story(engine, workshop.id, moved, other.id)
    run = find_themes(engine, workshop, k=4, seed=3)
    after = {t.id: t for t in repo.list_board(engine, workshop.id)}
    assert after[pinned.id].label == "Our own name" and after[pinned.id].story_ids == pinned.story_ids
    # The theme a story was moved into is the room's now: it keeps every story it had, not only the moved one.
    assert set(after[other.id].story_ids) == set(other.story_ids) | {moved}
    assert after[other.id].manual_story_ids == (moved,)
    assert run.kept_themes == 2 and "Kept 2 of the room's themes" in run.message
    new = [t for t in after.values() if t.id not in (pinned.id, other.id)]
    assert len(new) == 2 and all(t.origin == "auto" for t in new)
    every = [i for t in after.values() for i in t.story_ids]
    assert sorted(every) == sorted(stories)  # each story in exactly one theme


def test_everything_fixed_means_nothing_to_group(engine: Engine, workshop: Workshop, stories: list[int]) -> None:
    find_themes(engine, workshop, k=2)
    for theme in repo.list_board(engine, workshop.id):
        repo.set_pinned(engine, workshop.id, theme.id, True)
    before = repo.list_board(engine, workshop.id)
    run = find_themes(engine, workshop)
    assert run.clustering is None and "already in a theme the room made" in run.message
    assert repo.list_board(engine, workshop.id) == before


def test_a_late_story_is_only_suggested_until_a_person_accepts(
    engine: Engine, workshop: Workshop, stories: list[int]
) -> None:
    find_themes(engine, workshop, k=3)
    before = {t.id: t.story_ids for t in repo.list_board(engine, workshop.id)}
    late = add_story(engine, workshop, "Bailiff letters about council tax debt frightened me.")
    suggestions = suggest_places(engine, workshop)
    money_theme = next(t for t in repo.list_board(engine, workshop.id) if stories[8] in t.story_ids)
    assert suggestions == {late: money_theme.id}
    assert {t.id: t.story_ids for t in repo.list_board(engine, workshop.id)} == before  # nothing written
    assert accept_suggestions(engine, workshop.id, suggestions) == 1
    after = {t.id: t for t in repo.list_board(engine, workshop.id)}
    assert late in after[money_theme.id].manual_story_ids and after[money_theme.id].origin == "manual"
    assert suggest_places(engine, workshop) == {}
    for theme_id, ids in before.items():
        assert set(ids) <= set(after[theme_id].story_ids)


def test_labels_stay_unique(engine: Engine, workshop: Workshop, stories: list[int]) -> None:
    find_themes(engine, workshop, k=3)
    a, b, c = repo.list_board(engine, workshop.id)
    with pytest.raises(ValidationFailed, match="already a theme"):
        repo.rename_theme(engine, workshop.id, a.id, b.label.upper())
    with pytest.raises(ValidationFailed, match="already a theme"):
        repo.create_theme(engine, workshop.id, c.label)
    repo.rename_theme(engine, workshop.id, a.id, a.label)  # its own name again is fine
    # A re-run never gives a new theme a name the room already uses.
    repo.rename_theme(engine, workshop.id, a.id, b.label + " x")
    repo.set_pinned(engine, workshop.id, a.id, True)
    for seed in range(3):
        find_themes(engine, workshop, k=4, seed=seed)
        labels = [t.label.casefold() for t in repo.list_board(engine, workshop.id)]
        assert len(labels) == len(set(labels))


def test_empty_themes_can_go_and_never_count_towards_k(engine: Engine, workshop: Workshop, stories: list[int]) -> None:
    for name in ("Empty one", "Empty two", "Empty three"):
        repo.create_theme(engine, workshop.id, name)
    run = find_themes(engine, workshop, k=4)
    board = repo.list_board(engine, workshop.id)
    assert run.clustering is not None and len([t for t in board if t.origin == "auto"]) == 4
    empty = next(t for t in board if t.label == "Empty two")
    repo.delete_theme(engine, workshop.id, empty.id)
    assert "Empty two" not in [t.label for t in repo.list_board(engine, workshop.id)]


def test_undo_takes_back_changes_one_by_one_across_restarts(
    engine: Engine, workshop: Workshop, stories: list[int], sqlite_url: str
) -> None:
    find_themes(engine, workshop, k=3)
    states = [repo.list_board(engine, workshop.id)]
    first = states[0][0].id
    for n in range(24):
        if n % 3 == 0:
            repo.rename_theme(engine, workshop.id, first, f"Name {n}")
        elif n % 3 == 1:
            theme = repo.list_board(engine, workshop.id)[n % 2]
            repo.move_story(engine, workshop.id, stories[n % len(stories)], theme.id)
        else:
            repo.create_theme(engine, workshop.id, f"New {n}")
        states.append(repo.list_board(engine, workshop.id))
    split_theme(engine, workshop, first)
    states.append(repo.list_board(engine, workshop.id))
    engine.dispose()
    fresh = make_engine(sqlite_url)  # a restart: nothing kept in memory
    assert repo.changes_left(fresh, workshop.id) == 26
    for expected in reversed(states[:-1]):
        assert repo.undo(fresh, workshop.id)
        got = repo.list_board(fresh, workshop.id)
        assert [(t.id, t.label, t.origin, t.pinned, set(t.story_ids), set(t.manual_story_ids)) for t in got] == [
            (t.id, t.label, t.origin, t.pinned, set(t.story_ids), set(t.manual_story_ids)) for t in expected
        ]
    fresh.dispose()


def test_manual_edits(engine: Engine, workshop: Workshop, stories: list[int]) -> None:
    find_themes(engine, workshop, k=3)
    a, b, c = repo.list_board(engine, workshop.id)
    empty = repo.create_theme(engine, workshop.id, "  Transport   to appointments ")
    assert repo.list_board(engine, workshop.id)[-1].label == "Transport to appointments"
    repo.merge_themes(engine, workshop.id, a.id, b.id)
    merged = {t.id: t for t in repo.list_board(engine, workshop.id)}
    assert b.id not in merged and set(merged[a.id].story_ids) == set(a.story_ids) | set(b.story_ids)
    assert merged[a.id].origin == "manual"
    new_id = split_theme(engine, workshop, a.id)
    split = {t.id: t for t in repo.list_board(engine, workshop.id)}
    assert split[new_id].size >= 1 and split[a.id].size >= 1
    assert split[new_id].size + split[a.id].size == a.size + b.size
    repo.move_story(engine, workshop.id, c.story_ids[0], empty)
    assert next(t for t in repo.list_board(engine, workshop.id) if t.id == empty).manual_story_ids == (c.story_ids[0],)
    repo.delete_theme(engine, workshop.id, empty)
    assert c.story_ids[0] in {
        s.id for s in unplaced_stories(repo.list_board(engine, workshop.id), list_stories(engine, workshop.id))
    }


@pytest.mark.parametrize(
    ("call", "error"),
    [
        (lambda e, w, t: repo.rename_theme(e, w, t, "   "), ValidationFailed),
        (lambda e, w, t: repo.rename_theme(e, w, t, "x" * 121), ValidationFailed),
        (lambda e, w, t: repo.rename_theme(e, w, 999_999, "Name"), NotFoundError),
        (lambda e, w, t: repo.merge_themes(e, w, t, t), ValidationFailed),
        (lambda e, w, t: repo.move_story(e, w, 999_999, t), NotFoundError),
        (lambda e, w, t: repo.set_pinned(e, w + 1, t, True), NotFoundError),
    ],
    ids=["blank-name", "long-name", "gone-theme", "merge-self", "gone-story", "other-workshop"],
)
def test_bad_edits_are_refused_clearly(engine: Engine, workshop: Workshop, stories: list[int], call, error) -> None:  # type: ignore[no-untyped-def]
    find_themes(engine, workshop, k=2)
    theme = repo.list_board(engine, workshop.id)[0].id
    with pytest.raises(error):
        call(engine, workshop.id, theme)


def test_summary_counts_lenses_emotion_stages_and_quotes_only_with_consent(engine: Engine, workshop: Workshop) -> None:
    add_story(engine, workshop, "Debt letters made my anxiety worse.", consent="themes_only", emotion=1)
    add_story(engine, workshop, "Money worries kept me awake.", lens_key="carer_family", emotion=2, stage="waiting")
    add_story(engine, workshop, "Benefit debt advice helped me.", risk_flags=["self-harm"], emotion=4)
    add_story(engine, workshop, "Rent arrears and debt scared me.", consent="report_quote", emotion=1)
    find_themes(engine, workshop, k=1)
    stories = list_stories(engine, workshop.id)
    (summary,) = summarise_board(
        repo.list_board(engine, workshop.id),
        stories,
        list_stages(engine, workshop.id),
        list_lenses(engine, workshop.id),
        ["anonymous_quote", "report_quote"],
    )
    assert summary.size == 4 and summary.mean_emotion == 2.0
    assert sorted(summary.quotes) == ["Money worries kept me awake.", "Rent arrears and debt scared me."]
    assert set(summary.lens_shares.values()) == {0.75, 0.25}
    assert len(summary.stages) == 2 and summary.stages[0] != summary.stages[1]


@pytest.mark.postgres
def test_board_round_trip_on_postgres(any_engine: Engine, make_workshop) -> None:  # type: ignore[no-untyped-def]
    workshop = make_workshop(eng=any_engine)
    for text in STORIES:
        add_story(any_engine, workshop, text)
    find_themes(any_engine, workshop, k=3)
    board = repo.list_board(any_engine, workshop.id)
    repo.merge_themes(any_engine, workshop.id, board[0].id, board[1].id)
    assert sum(t.size for t in repo.list_board(any_engine, workshop.id)) == len(STORIES)
    # Undo brings the merged-away theme back under its own id; new themes still get fresh ids.
    assert repo.undo(any_engine, workshop.id)
    assert [(t.id, set(t.story_ids)) for t in repo.list_board(any_engine, workshop.id)] == [
        (t.id, set(t.story_ids)) for t in board
    ]
    assert repo.create_theme(any_engine, workshop.id, "Another") not in {t.id for t in board}


def test_the_rooms_insight_is_kept_through_reruns_merges_and_undo(
    engine: Engine, workshop: Workshop, stories: list[int]
) -> None:
    find_themes(engine, workshop, k=3, seed=0)
    a, b, _ = repo.list_board(engine, workshop.id)
    repo.set_insight(engine, workshop.id, a.id, "  People waited   with no word,\nso they stopped asking. ")
    written = {t.id: t for t in repo.list_board(engine, workshop.id)}[a.id]
    # Stored as one line; writing an insight is a decision, so the theme and its stories are the room's.
    assert written.insight == "People waited with no word, so they stopped asking."
    assert written.is_manual and written.story_ids == a.story_ids
    find_themes(engine, workshop, k=3, seed=5)
    after = {t.id: t for t in repo.list_board(engine, workshop.id)}
    assert after[a.id].insight == written.insight and after[a.id].story_ids == a.story_ids

    repo.set_insight(engine, workshop.id, b.id, "Carers were not asked.")
    repo.merge_themes(engine, workshop.id, b.id, a.id)
    merged = {t.id: t for t in repo.list_board(engine, workshop.id)}[b.id]
    assert merged.insight == "Carers were not asked. People waited with no word, so they stopped asking."

    assert repo.undo(engine, workshop.id) == "Merged “" + written.label + "” into “" + b.label + "”"
    back = {t.id: t for t in repo.list_board(engine, workshop.id)}
    assert back[a.id].insight == written.insight and back[b.id].insight == "Carers were not asked."
    repo.undo(engine, workshop.id)
    assert {t.id: t for t in repo.list_board(engine, workshop.id)}[b.id].insight == ""


def test_an_insight_over_the_limit_is_refused_and_nothing_is_stored(
    engine: Engine, workshop: Workshop, stories: list[int]
) -> None:
    find_themes(engine, workshop, k=2)
    theme = repo.list_board(engine, workshop.id)[0]
    changes = repo.changes_left(engine, workshop.id)
    with pytest.raises(ValidationFailed, match="still in the box"):
        repo.set_insight(engine, workshop.id, theme.id, "word " * 200)
    assert repo.list_board(engine, workshop.id)[0].insight == ""
    assert repo.changes_left(engine, workshop.id) == changes
