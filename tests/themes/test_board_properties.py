"""The room's decisions survive any sequence of board actions (Hypothesis).

Random sequences of rename / merge / split / move / pin / create / delete / re-run / new
stories / undo run against a real database; after every step the board must keep the rules:
each theme of the room keeps exactly its stories through a re-run, every story moved by hand
stays, a re-run groups only the other stories into new automatic themes, a new story is only
suggested, no two themes share a label, empty themes never count towards k, and Undo brings
back each earlier board in turn.
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine

from codesign.errors import ValidationFailed
from codesign.models import BoardTheme
from codesign.storage import themes as repo
from codesign.storage.stories import list_stories
from codesign.themes import service
from codesign.themes.board import kept_themes
from tests.themes.test_board import add_story
from tests.themes.test_pipeline import STORIES

LATE = [
    "The crisis line answered at three in the morning and the woman was so calm.",
    "I had to tell my story again to every new worker, five times in a year.",
    "Rent arrears letters kept arriving while I was in hospital.",
    "Nobody phoned back after my assessment, I heard nothing for weeks.",
]
NAMES = ["Waiting", "waiting", "Kind staff", "Money worries", "Telling it again"]

Op = tuple[str, int, int]
ops = st.lists(
    st.tuples(
        st.sampled_from(
            ["rename", "merge", "split", "move", "unplace", "pin", "create", "delete", "rerun", "new", "undo", "order"]
        ),
        st.integers(0, 50),
        st.integers(0, 50),
    ),
    min_size=1,
    max_size=12,
)

State = tuple[tuple[Any, ...], ...]


def state(board: list[BoardTheme]) -> State:
    return tuple(
        (t.id, t.label, t.origin, t.pinned, frozenset(t.story_ids), frozenset(t.manual_story_ids)) for t in board
    )


def check_always(engine: Engine, workshop_id: int) -> None:
    board = repo.list_board(engine, workshop_id)
    labels = [t.label.casefold() for t in board]
    assert len(labels) == len(set(labels)), labels
    placed = [i for t in board for i in t.story_ids]
    assert len(placed) == len(set(placed))
    for theme in board:
        assert set(theme.manual_story_ids) <= set(theme.story_ids)
        if theme.manual_story_ids:
            assert theme.is_manual


@pytest.mark.slow
@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=ops, k=st.integers(1, 6))
def test_the_rooms_decisions_survive_any_sequence(engine: Engine, make_workshop, steps: list[Op], k: int) -> None:  # type: ignore[no-untyped-def]
    workshop = make_workshop()
    wid = workshop.id
    for text in STORIES:
        add_story(engine, workshop, text)
    service.find_themes(engine, workshop, k=3)
    undo_stack: list[State] = [()]  # the empty board before the first run
    late = iter(LATE)
    for op, a, b in steps:
        board = repo.list_board(engine, wid)
        before = state(board)
        ids = [t.id for t in board]
        stories = [s.id for s in list_stories(engine, wid, statuses=["approved"])]
        pick = ids[a % len(ids)] if ids else None
        other = ids[b % len(ids)] if ids else None
        changed = True
        if op == "rename" and pick is not None:
            name = NAMES[b % len(NAMES)]
            clash = any(t.label.casefold() == name.casefold() for t in board if t.id != pick)
            if clash:
                with pytest.raises(ValidationFailed):
                    repo.rename_theme(engine, wid, pick, name)
                changed = False
            else:
                repo.rename_theme(engine, wid, pick, name)
                after = {t.id: t for t in repo.list_board(engine, wid)}
                assert after[pick].label == name and after[pick].origin == "manual"
                assert after[pick].story_ids == next(t for t in board if t.id == pick).story_ids
        elif op == "merge" and pick is not None and other is not None:
            if pick == other:
                with pytest.raises(ValidationFailed):
                    repo.merge_themes(engine, wid, pick, other)
                changed = False
            else:
                old = {t.id: t for t in board}
                repo.merge_themes(engine, wid, pick, other)
                after = {t.id: t for t in repo.list_board(engine, wid)}
                assert other not in after and after[pick].is_manual
                assert set(after[pick].story_ids) == set(old[pick].story_ids) | set(old[other].story_ids)
        elif op == "split" and pick is not None:
            theme = next(t for t in board if t.id == pick)
            if theme.size < 2:
                with pytest.raises(ValidationFailed):
                    service.split_theme(engine, workshop, pick)
                changed = False
            else:
                new = service.split_theme(engine, workshop, pick)
                after = {t.id: t for t in repo.list_board(engine, wid)}
                assert after[pick].size and after[new].size
                assert set(after[pick].story_ids) | set(after[new].story_ids) == set(theme.story_ids)
                assert after[pick].origin == after[new].origin == "manual"
        elif op in ("move", "unplace") and stories and (pick is not None or op == "unplace"):
            story = stories[b % len(stories)]
            target = None if op == "unplace" else pick
            service.move_story(engine, wid, story, target)
            after = repo.list_board(engine, wid)
            home = next((t for t in after if story in t.story_ids), None)
            if target is None:
                assert home is None
            else:
                assert home is not None and home.id == target and story in home.manual_story_ids
        elif op == "pin" and pick is not None:
            pinned = not next(t for t in board if t.id == pick).pinned
            repo.set_pinned(engine, wid, pick, pinned)
            assert next(t for t in repo.list_board(engine, wid) if t.id == pick).pinned is pinned
        elif op == "create":
            name = f"{NAMES[a % len(NAMES)]} {b % 3}"
            if any(t.label.casefold() == name.casefold() for t in board):
                with pytest.raises(ValidationFailed):
                    repo.create_theme(engine, wid, name)
                changed = False
            else:
                new = repo.create_theme(engine, wid, name)
                assert next(t for t in repo.list_board(engine, wid) if t.id == new).size == 0
        elif op == "delete" and pick is not None:
            gone = next(t for t in board if t.id == pick)
            repo.delete_theme(engine, wid, pick)
            after = repo.list_board(engine, wid)
            assert pick not in {t.id for t in after}
            assert not set(gone.story_ids) & {i for t in after for i in t.story_ids}
        elif op == "order" and len(ids) > 1:
            order = ids[a % len(ids) :] + ids[: a % len(ids)]
            repo.reorder_themes(engine, wid, order)
            changed = order != ids
            assert [t.id for t in repo.list_board(engine, wid)] == order
        elif op == "rerun":
            kept = {t.id: t for t in kept_themes(board)}
            counted = sum(1 for t in kept.values() if t.size)
            run = service.find_themes(engine, workshop, k=k, seed=a)
            after = repo.list_board(engine, wid)
            by_id = {t.id: t for t in after}
            for theme_id, theme in kept.items():
                assert theme_id in by_id, "a theme of the room vanished"
                assert by_id[theme_id].label == theme.label
                assert set(by_id[theme_id].story_ids) == set(theme.story_ids), "a theme of the room lost or gained"
                assert by_id[theme_id].manual_story_ids == theme.manual_story_ids
            new = [t for t in after if t.id not in kept]
            fixed = {i for t in kept.values() for i in t.story_ids}
            free = set(stories) - fixed
            assert {i for t in new for i in t.story_ids} == free
            assert all(t.origin == "auto" and not t.manual_story_ids and not t.pinned for t in new)
            if run.clustering is None:
                changed = False
                assert not free
            else:
                assert len(new) == min(max(1, k - counted), len(free))
        elif op == "new":
            text = next(late, None)
            if text is None:
                continue
            story = add_story(engine, workshop, text, n=a)
            suggestions = service.suggest_places(engine, workshop)
            assert state(repo.list_board(engine, wid)) == before, "a new story was placed without a person"
            if board:
                assert story in suggestions and suggestions[story] in ids
            changed = False
        elif op == "undo":
            summary = repo.undo(engine, wid)
            if undo_stack:
                assert summary is not None
                assert state(repo.list_board(engine, wid)) == undo_stack.pop()
            else:
                assert summary is None and state(repo.list_board(engine, wid)) == before
            changed = False
        else:
            changed = False
        if changed:
            undo_stack.append(before)
        check_always(engine, wid)
