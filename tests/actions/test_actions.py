"""Agreed actions through the capability's face: checked, stored, linked, reordered, and gone with what they answer."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine, delete

from codesign import actions, demo, workshops
from codesign.errors import NotFoundError, ValidationFailed
from codesign.storage.db import write_session
from codesign.storage.schema import IdeaRow
from codesign.workshops.kits import get_builtin_kit

TODAY = date(2026, 12, 1)


@pytest.fixture
def demo_id(engine: Engine) -> int:
    return demo.load_demo(engine).workshop.id


def test_demo_has_agreed_actions_linked_to_what_the_room_found(engine: Engine, demo_id: int) -> None:
    agreed = actions.list_actions(engine, demo_id)
    assert len(agreed) == 4
    options = actions.link_options(engine, demo_id)
    first = actions.describe_links(agreed[0], options)
    assert any(d.startswith("Idea: A named person who rings") for d in first)
    assert any(d.startswith("Pain point: ") for d in first)
    assert any(d.startswith("Theme: ") for d in first)
    assert agreed[0].due == date(2027, 3, 31)
    assert agreed[3].due is None
    assert actions.due_text(agreed[3].due) == "No date set"


def test_add_change_move_and_delete(engine: Engine, demo_id: int) -> None:
    idea = next(o for o in actions.link_options(engine, demo_id) if o.kind == "idea")
    stored, dropped = actions.add_action(
        engine,
        demo_id,
        actions.ActionDraft(
            "  Run a   peer group\tat the library ", "Peer support lead", date(2027, 1, 29), "", "agreed",
            (idea.link, idea.link),
        ),
    )  # fmt: skip
    assert dropped == 0
    assert stored.text == "Run a peer group at the library"
    assert stored.links == (idea.link,)
    assert actions.list_actions(engine, demo_id)[-1].id == stored.id

    actions.update_action(engine, demo_id, stored.id, actions.ActionDraft("Run two peer groups", status="done"))
    changed = actions.list_actions(engine, demo_id)[-1]
    assert (changed.text, changed.status, changed.links, changed.owner) == ("Run two peer groups", "done", (), "")

    actions.move_action(engine, demo_id, stored.id, -1)
    assert [a.id for a in actions.list_actions(engine, demo_id)][-2] == stored.id
    actions.delete_action(engine, demo_id, stored.id)
    assert stored.id not in {a.id for a in actions.list_actions(engine, demo_id)}
    with pytest.raises(NotFoundError):
        actions.delete_action(engine, demo_id, stored.id)
    with pytest.raises(NotFoundError):
        actions.update_action(engine, demo_id, stored.id, actions.ActionDraft("Too late"))


def test_refused_action_stores_nothing_and_says_what_to_change(engine: Engine, demo_id: int) -> None:
    before = actions.list_actions(engine, demo_id)
    with pytest.raises(ValidationFailed, match="cannot be empty"):
        actions.add_action(engine, demo_id, actions.ActionDraft("   "))
    with pytest.raises(ValidationFailed, match="keep it under 500"):
        actions.add_action(engine, demo_id, actions.ActionDraft("x" * 501))
    with pytest.raises(ValidationFailed, match="check the year"):
        actions.add_action(engine, demo_id, actions.ActionDraft("Typo in the year", due=date(2206, 1, 1)))
    assert actions.list_actions(engine, demo_id) == before


def test_links_to_another_workshop_or_to_deleted_items_are_not_kept(engine: Engine, demo_id: int) -> None:
    other = workshops.create_workshop(engine, "Another", get_builtin_kit("living-well"))
    idea = next(o for o in actions.link_options(engine, demo_id) if o.kind == "idea")
    _stored, dropped = actions.add_action(engine, other.id, actions.ActionDraft("Borrowed link", links=(idea.link,)))
    assert dropped == 1
    assert actions.list_actions(engine, other.id)[0].links == ()

    # Deleting the idea deletes the link, never the action.
    first = actions.list_actions(engine, demo_id)[0]
    idea_link = next(link for link in first.links if link.kind == "idea")
    with write_session(engine) as s:
        s.execute(delete(IdeaRow).where(IdeaRow.id == idea_link.target_id))
    again = actions.list_actions(engine, demo_id)[0]
    assert again.id == first.id
    assert idea_link not in again.links and len(again.links) == len(first.links) - 1


def test_actions_of_another_workshop_cannot_be_changed(engine: Engine, demo_id: int) -> None:
    other = workshops.create_workshop(engine, "Another", get_builtin_kit("living-well"))
    target = actions.list_actions(engine, demo_id)[0]
    with pytest.raises(NotFoundError):
        actions.update_action(engine, other.id, target.id, actions.ActionDraft("Hijack"))
    with pytest.raises(NotFoundError):
        actions.delete_action(engine, other.id, target.id)
    assert actions.list_actions(engine, demo_id)[0] == target


@settings(max_examples=60, deadline=None)
@given(text=st.text(max_size=600), owner=st.text(max_size=250), measure=st.text(max_size=600))
def test_check_draft_either_refuses_or_returns_clean_bounded_text(text: str, owner: str, measure: str) -> None:
    try:
        checked = actions.check_draft(actions.ActionDraft(text, owner, None, measure), today=TODAY)
    except ValidationFailed as exc:
        assert str(exc)
        return
    assert checked.text and len(checked.text) <= actions.MAX_ACTION_CHARS
    assert len(checked.owner) <= actions.MAX_OWNER_CHARS and len(checked.measure) <= actions.MAX_MEASURE_CHARS
    assert checked.text == " ".join(checked.text.split())
