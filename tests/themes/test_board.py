"""The theme board of a workshop: find, keep manual decisions, place late stories, edit."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine

from codesign.errors import NotFoundError, ValidationFailed
from codesign.models import Workshop
from codesign.storage import themes as repo
from codesign.storage.db import write_session
from codesign.storage.stories import add_story_row, list_stories
from codesign.storage.workshops import list_lenses, list_stages
from codesign.themes.board import summarise_board, unplaced_stories
from codesign.themes.service import find_themes, place_new_stories, split_theme
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
    assert moved in after[other.id].story_ids and moved in after[other.id].manual_story_ids
    assert run.kept_themes == 2 and "Kept 2 themes" in run.message
    every = [i for t in after.values() for i in t.story_ids]
    assert sorted(every) == sorted(stories)  # each story in exactly one theme


def test_everything_fixed_means_nothing_to_group(engine: Engine, workshop: Workshop, stories: list[int]) -> None:
    find_themes(engine, workshop, k=2)
    for theme in repo.list_board(engine, workshop.id):
        repo.set_pinned(engine, workshop.id, theme.id, True)
    before = repo.list_board(engine, workshop.id)
    run = find_themes(engine, workshop)
    assert run.clustering is None and "pinned" in run.message
    assert repo.list_board(engine, workshop.id) == before


def test_a_late_story_goes_to_the_nearest_theme_without_reshuffling(
    engine: Engine, workshop: Workshop, stories: list[int]
) -> None:
    find_themes(engine, workshop, k=3)
    before = {t.id: t.story_ids for t in repo.list_board(engine, workshop.id)}
    late = add_story(engine, workshop, "Bailiff letters about council tax debt frightened me.")
    assert place_new_stories(engine, workshop) == 1
    assert place_new_stories(engine, workshop) == 0
    after = repo.list_board(engine, workshop.id)
    home = next(t for t in after if late in t.story_ids)
    money_theme = next(t for t in after if stories[8] in t.story_ids)
    assert home.id == money_theme.id and late not in home.manual_story_ids
    for theme in after:
        assert set(before[theme.id]) <= set(theme.story_ids)


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
    assert repo.list_board(engine, workshop.id)[-1].manual_story_ids == (c.story_ids[0],)
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
