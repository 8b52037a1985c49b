"""An action is agreed where the room is looking: beside the journey map's pain points, the blueprint's
fail points and the ideas, and the display shows them all as "You said, we will"."""

from __future__ import annotations

import dataclasses
from datetime import date

import pytest
from sqlalchemy import Engine
from streamlit.testing.v1 import AppTest

from codesign import actions, journeys, workshops
from codesign.models import BlueprintItemDraft
from codesign.storage import workshops as repo
from codesign.ui import wall_actions
from tests.app.conftest import page


def form_parts(at: AppTest) -> tuple:  # type: ignore[type-arg]
    """The "Add an action" form's widgets (the page may hold other forms)."""
    text = next(t for t in at.text_area if t.label == "Action")
    owner = next(t for t in at.text_input if t.label.startswith("Owner"))
    measure = next(t for t in at.text_input if t.label == "How progress will be measured")
    links = next(m for m in at.multiselect if m.label == "What it answers")
    submit = next(b for b in at.button if b.label == "Add the action")
    return text, owner, measure, links, submit


@pytest.mark.parametrize(
    ("path", "kind"),
    [("pages/journey.py", "pain_point"), ("pages/blueprint.py", "fail_point"), ("pages/ideas.py", "idea")],
)
def test_an_action_is_added_from_the_screen_it_answers(app, demo_engine: Engine, path: str, kind: str) -> None:  # type: ignore[no-untyped-def]
    workshop = repo.list_workshops(demo_engine)[0]
    if kind == "fail_point":
        stage = repo.list_stages(demo_engine, workshop.id)[2]
        draft = BlueprintItemDraft(stage.id, "backstage", "Referrals sit in a shared inbox", fail_point=True)
        journeys.add_blueprint_item(demo_engine, workshop.id, "as_is", draft)
    before = len(actions.list_actions(demo_engine, workshop.id))
    at = page(app(facilitator=True), path)
    assert not at.exception, at.exception
    assert any(e.label.startswith("Add an action") for e in at.expander)

    # Refused first (nothing typed as the action): the owner stays in the form, nothing is stored.
    text, owner, measure, links, submit = form_parts(at)
    owner.set_value("Single point of access lead")
    submit.click().run()
    assert any("cannot be empty" in e.value and "still in the form" in e.value for e in at.error)
    assert form_parts(at)[1].value == "Single point of access lead"
    assert len(actions.list_actions(demo_engine, workshop.id)) == before

    text, owner, measure, links, submit = form_parts(at)
    # What this screen is about comes first among what an action can answer.
    assert links.options and links.options[0].startswith(actions.LINK_NAMES[kind])
    text.set_value("Call everyone waiting longer than four weeks")
    measure.set_value("Share of people called in the month")
    links.select(links.options[0])
    next(d for d in at.date_input if d.label.startswith("By when")).set_value(date(2027, 3, 31))
    submit.click().run()
    assert not at.exception, at.exception
    assert at.success[0].value == "Added the action."
    stored = actions.list_actions(demo_engine, workshop.id)[-1]
    assert (stored.text, stored.owner, stored.due) == (
        "Call everyone waiting longer than four weeks",
        "Single point of access lead",
        date(2027, 3, 31),
    )
    assert [link.kind for link in stored.links] == [kind]
    assert len(actions.list_actions(demo_engine, workshop.id)) == before + 1


def test_the_display_shows_you_said_we_will(app, demo_engine: Engine) -> None:  # type: ignore[no-untyped-def]
    workshop = repo.list_workshops(demo_engine)[0]
    key = workshops.display_key(demo_engine, workshop.id)
    options = actions.link_options(demo_engine, workshop.id)
    pain = next(o for o in options if o.kind == "pain_point")
    actions.add_action(
        demo_engine,
        workshop.id,
        actions.ActionDraft("<b>Ring</b> people on the list every fortnight", "Waiting list team", links=(pain.link,)),
    )
    for n in range(6):
        actions.add_action(demo_engine, workshop.id, actions.ActionDraft(f"Extra action {n}"))
    agreed = actions.list_actions(demo_engine, workshop.id)

    laptop = page(app(facilitator=True), "pages/wall.py")
    laptop.sidebar.radio[0].set_value("actions").run()
    assert not laptop.exception, laptop.exception
    assert workshops.display_state(demo_engine, workshop.id).view == "actions"

    at = app(query={"key": key})
    at.run()
    assert not at.exception, at.exception
    html = "\n".join(str(h.proto.body) for h in at.get("html"))
    assert "You said" in html and "We will" in html
    texts = [t.value for t in at.text]
    # Participant-facing words as plain text, never markup; each action beside what it answers.
    first = agreed[0]
    assert first.text in texts
    assert f"{actions.owner_text(first.owner)} · {actions.due_text(first.due)}" in texts
    # What people said first (pain points, fail points, themes), then the ideas, as the display lists them.
    said_first = tuple(sorted(first.links, key=lambda link: wall_actions.SAID_ORDER.index(link.kind)))
    said = "; ".join(actions.describe_links(dataclasses.replace(first, links=said_first), options))
    # Long lists are shortened with a visible "…" so five rows fit the screen; the report has them whole.
    assert first.links and any(t.endswith("…") and said.startswith(t[:-1]) for t in texts)
    # The demo's four actions, then this one: the fifth and last on the screen, with its pain point beside it.
    assert [a.text for a in agreed].index("<b>Ring</b> people on the list every fortnight") == 4
    assert "<b>Ring</b> people on the list every fortnight" in texts
    assert any(t.endswith("…") and pain.described.startswith(t[:-1]) for t in texts)
    hidden = len(agreed) - 5
    assert f"And {hidden} more actions: all of them are in the report." in html
    assert f"Extra action {5}" not in texts


def test_the_display_says_when_no_action_is_agreed_yet(app, engine: Engine) -> None:  # type: ignore[no-untyped-def]
    from codesign import demo

    workshop = demo.load_demo(engine).workshop
    for action in actions.list_actions(engine, workshop.id):
        actions.delete_action(engine, workshop.id, action.id)
    workshops.show_on_display(engine, workshop.id, "actions")
    at = app(query={"key": workshops.display_key(engine, workshop.id)})
    at.run()
    assert not at.exception, at.exception
    assert "the actions the room agrees will appear here" in "\n".join(str(h.proto.body) for h in at.get("html"))
