"""The phone's vote page, the facilitator's ideas screen and the wall's votes view, through AppTest."""

from __future__ import annotations

import json
import uuid

import pytest
from sqlalchemy import Engine

from codesign import voting, workshops
from codesign.models import Workshop
from codesign.storage import workshops as workshops_repo
from codesign.ui import state
from codesign.voting import service as voting_service
from codesign.workshops.devices import hash_device
from codesign.workshops.kits import get_builtin_kit
from tests.app.conftest import page

TOKEN = "c" * 32  # this phone's device token, as its cookie carries it
OTHER = hash_device("d" * 32)
SECRET_IDEA = "Text the wait time to people on the list"


def new_workshop(engine: Engine, premoderation: bool = False) -> Workshop:
    workshop = workshops.create_workshop(engine, "Votes on screen", get_builtin_kit("living-well"))
    return workshops_repo.update_workshop_settings(engine, workshop.id, {"premoderation": premoderation})


def voting_round(engine: Engine) -> tuple[voting.Round, list[voting.Idea]]:
    workshop = new_workshop(engine)
    rnd = voting.open_round(engine, workshop.id, "How might we make waiting easier?")
    ideas = [
        voting.submit_idea(engine, rnd.id, text, client_submission_id=uuid.uuid4().hex, device_hash=None).idea
        for text in ("Evening drop-in", SECRET_IDEA, "A named contact while you wait")
    ]
    return voting.start_voting(engine, rnd.id), ideas


def phone(app, workshop_id: int):  # type: ignore[no-untyped-def]
    at = app()
    at.session_state[state.DEVICE_TOKEN] = TOKEN
    at.session_state[state.PARTICIPANT_WORKSHOP_ID] = workshop_id
    return page(at, "pages/vote.py")


def everything_shown(at) -> str:  # type: ignore[no-untyped-def]
    """Every value the page put on screen, as one string."""
    parts: list[str] = []
    for kind in ("markdown", "text", "caption", "title", "subheader", "info", "success", "error", "warning"):
        parts += [str(e.value) for e in getattr(at, kind)]
    parts += [f"{m.label}={m.value}" for m in at.metric]
    parts += [e.value.to_csv() for e in at.dataframe]
    parts += [e.proto.spec for e in at.get("plotly_chart")]
    parts += [str(e.proto.body) for e in at.get("html")]
    return "\n".join(parts)


def button(at, label: str, nth: int = 0):  # type: ignore[no-untyped-def]
    return [b for b in at.button if b.label == label][nth]


def test_phone_adds_an_idea_and_a_second_tap_stores_nothing_more(app, engine: Engine) -> None:  # type: ignore[no-untyped-def]
    workshop = new_workshop(engine, premoderation=True)
    rnd = voting.open_round(engine, workshop.id, "How might we make the first call easier?")
    at = phone(app, workshop.id)
    assert not at.exception
    assert "How might we make the first call easier?" in [t.value for t in at.text]
    at.text_area[0].input("A call-back time you can choose")
    at.button[-1].click().run()  # the form's "Add my idea"
    assert not at.exception
    assert [i.text for i in voting.list_ideas(engine, rnd.id)] == ["A call-back time you can choose"]
    assert "once a facilitator has seen it" in at.success[0].value
    assert "• A call-back time you can choose" in [t.value for t in at.text]
    at.run()  # a repeat of the same run (a resend) does not add it again
    assert len(voting.list_ideas(engine, rnd.id)) == 1


def test_phone_empty_idea_is_refused_kindly(app, engine: Engine) -> None:  # type: ignore[no-untyped-def]
    workshop = new_workshop(engine)
    voting.open_round(engine, workshop.id, "How might we?")
    at = phone(app, workshop.id)
    at.button[-1].click().run()
    assert [e.value for e in at.error] == ["Write your idea before sending it."]


def test_phone_spends_moves_and_runs_out_of_dots(app, engine: Engine) -> None:  # type: ignore[no-untyped-def]
    rnd, ideas = voting_round(engine)
    at = phone(app, rnd.workshop_id)
    assert "You have **3 of 3** dots left" in everything_shown(at)
    at.selectbox[0].select("staff").run()
    order = [t.value for t in at.text if t.value in {i.text for i in ideas}]
    first = next(i for i in ideas if i.text == order[0])
    button(at, "+ Add a dot", 0).click().run()
    button(at, "+ Add a dot", 0).click().run()
    button(at, "+ Add a dot", 1).click().run()
    assert not at.exception
    ballot = voting.get_ballot(engine, rnd.id, hash_device(TOKEN))
    assert ballot.on(first.id) == 2 and ballot.used == 3
    assert all(b.disabled for b in at.button if b.label == "+ Add a dot")
    button(at, "- Take a dot back", 0).click().run()
    assert voting.get_ballot(engine, rnd.id, hash_device(TOKEN)).on(first.id) == 1
    assert "You have **1 of 3** dots left" in everything_shown(at)
    voting.set_revealed(engine, rnd.id)
    assert {r.idea_id: r.by_lens for r in voting.load_round_results(engine, rnd.id).ideas}[first.id] == {"staff": 1}


def test_hidden_results_never_reach_the_phone(app, engine: Engine) -> None:  # type: ignore[no-untyped-def]
    rnd, ideas = voting_round(engine)
    secret = next(i for i in ideas if i.text == SECRET_IDEA)
    voting.set_dots(engine, rnd.id, secret.id, OTHER, 3)
    at = phone(app, rnd.workshop_id)
    shown = everything_shown(at)
    assert not at.dataframe and not at.get("plotly_chart")
    assert "**Results**" not in shown and "Your dots: none" in shown
    assert "●" not in shown  # another phone's dots are not this phone's
    voting.close_round(engine, rnd.id)
    at.run()
    assert not at.dataframe and "**Results**" not in everything_shown(at)

    voting.set_revealed(engine, rnd.id)
    at.run()
    # On a phone the results are a list (idea, then its count), not a table cut off at the edge.
    shown = everything_shown(at)
    assert "**Results**" in shown
    assert "**1.** 3 dots from 1 phone" in shown and "**2.** 0 dots from 0 phones" in shown
    assert SECRET_IDEA in [t.value for t in at.text]


def test_phone_agrees_disagrees_and_changes_its_mind(app, engine: Engine) -> None:  # type: ignore[no-untyped-def]
    workshop = new_workshop(engine)
    rnd = voting.open_round(engine, workshop.id, "Where do we stand?", kind="agreement")
    [statement] = voting.add_statements(engine, rnd.id, texts=["Peer workers should answer the first call"])
    at = phone(app, workshop.id)
    button(at, "Agree").click().run()
    assert "You said: Agree" in everything_shown(at)
    button(at, "Disagree").click().run()
    assert "You said: Disagree" in everything_shown(at)
    voting.set_revealed(engine, rnd.id)
    assert voting.load_consensus(engine, rnd.id).statements[0].by_lens[-1].disagree == 1
    assert statement.text in [t.value for t in at.text]


def test_vote_page_without_a_workshop_points_to_join(app, engine: Engine) -> None:  # type: ignore[no-untyped-def]
    at = page(app(), "pages/vote.py")
    assert not at.exception
    assert "Join the workshop first" in at.info[0].value


def test_facilitator_runs_a_round_from_ideas_to_reveal(app, engine: Engine) -> None:  # type: ignore[no-untyped-def]
    workshop = new_workshop(engine, premoderation=True)
    at = page(app(facilitator=True), "pages/ideas.py")
    assert not at.exception
    next(t for t in at.text_input if t.label == "Question").input("How might we make the wait kinder?")
    button(at, "Open the round").click().run()
    [rnd] = voting.list_rounds(engine, workshop.id)
    assert (rnd.prompt, rnd.status, rnd.vote_budget) == ("How might we make the wait kinder?", "ideas", 3)
    idea = voting.submit_idea(engine, rnd.id, "Check-in calls", client_submission_id="phone-1", device_hash=OTHER).idea
    at.run()
    assert "Check-in calls" in [t.value for t in at.text]
    button(at, "Approve").click().run()
    assert voting.list_ideas(engine, rnd.id)[0].on_wall
    button(at, "Start voting").click().run()
    assert voting.get_round(engine, rnd.id).status == "voting"
    voting.set_dots(engine, rnd.id, idea.id, OTHER, 2)
    at.run()
    assert not any("Dots" in d.value.columns for d in at.dataframe)
    assert "So far: 2 dots from 1 phone." in everything_shown(at)
    button(at, "Reveal the results").click().run()
    assert not at.exception
    assert voting.get_round(engine, rnd.id).revealed
    table = next(d.value for d in at.dataframe if "Dots" in d.value.columns)
    assert (table.iloc[0]["Idea"], table.iloc[0]["Dots"]) == ("Check-in calls", 2)
    voting.place_ideas(engine, {idea.id: (4, 2)})
    at.run()
    charts_json = [json.loads(c.proto.spec) for c in at.get("plotly_chart")]
    assert any(trace.get("x") == [2.0] for chart in charts_json for trace in chart["data"])
    button(at, "Close the round").click().run()
    assert voting.get_round(engine, rnd.id).status == "closed"


def test_facilitator_agreement_round_and_consensus(app, engine: Engine) -> None:  # type: ignore[no-untyped-def]
    workshop = new_workshop(engine)
    rnd = voting.open_round(engine, workshop.id, "Where do we stand?", kind="agreement")
    at = page(app(facilitator=True), "pages/ideas.py")
    at.text_area[0].input("Evening appointments matter\nOne shared record")
    button(at, "Add the statements").click().run()
    statements = voting.list_statements(engine, rnd.id)
    assert [s.text for s in statements] == ["Evening appointments matter", "One shared record"]
    for n, lens in enumerate(["staff", "staff", "lived_experience", "lived_experience"]):
        voting.answer_statement(engine, statements[0].id, hash_device(f"{n:032x}"), 1, lens_key=lens)
    button(at, "Reveal the results").click().run()
    assert not at.exception
    shown = everything_shown(at)
    assert "Common ground: most people in every group agree" in shown
    assert at.get("plotly_chart")


def test_flagged_idea_shows_a_safeguarding_warning(app, engine: Engine, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    from codesign.privacy import PreparedText

    workshop = new_workshop(engine)
    rnd = voting.open_round(engine, workshop.id, "How might we?")
    monkeypatch.setattr(voting_service, "prepare_text", lambda t, v=(): PreparedText(text=t, risk_flags=("self-harm",)))
    voting.submit_idea(engine, rnd.id, "Flagged words", client_submission_id="x1", device_hash=OTHER)
    flagged = voting.list_ideas(engine, rnd.id)[0]
    at = page(app(facilitator=True), "pages/ideas.py")
    assert not at.exception, at.exception
    assert any("self-harm" in e.value and "not reviewed yet" in e.value for e in at.error)
    assert "Flagged words" in [t.value for t in at.text]
    # The same review as a story, never a plain Approve.
    labels = [b.label for b in at.button]
    assert "Reviewed: approve" in labels and "Reviewed: keep hidden" in labels
    assert f"approve_{flagged.id}" not in [b.key for b in at.button]
    next(b for b in at.button if b.label == "Reviewed: approve").click().run()
    assert not at.exception, at.exception
    after = voting.list_ideas(engine, rnd.id)[0]
    assert after.risk_reviewed and after.on_wall


def test_the_ideas_queue_shows_an_idea_sent_after_the_screen_opened(app, engine: Engine) -> None:  # type: ignore[no-untyped-def]
    workshop = new_workshop(engine, premoderation=True)
    rnd = voting.open_round(engine, workshop.id, "How might we?")
    at = page(app(facilitator=True), "pages/ideas.py")
    assert next(m for m in at.metric if m.label == "Waiting for you").value == "0"
    voting.submit_idea(
        engine, rnd.id, "A late idea about evening hours", client_submission_id="late", device_hash=OTHER
    )
    at.run()  # what the fragments' own refresh does in the browser (tests/e2e/test_room.py)
    assert next(m for m in at.metric if m.label == "Waiting for you").value == "1"
    assert "A late idea about evening hours" in [t.value for t in at.text]


def wall(app):  # type: ignore[no-untyped-def]
    at = page(app(facilitator=True), "pages/wall.py")
    at.sidebar.radio[0].set_value("round").run()
    return at  # the laptop's preview draws exactly what the display shows


def test_hidden_results_never_reach_the_wall(app, engine: Engine) -> None:  # type: ignore[no-untyped-def]
    rnd, ideas = voting_round(engine)
    secret = next(i for i in ideas if i.text == SECRET_IDEA)
    voting.set_dots(engine, rnd.id, secret.id, OTHER, 3)
    voting.set_dots(engine, rnd.id, ideas[0].id, hash_device("e" * 32), 1)
    at = wall(app)
    assert not at.exception
    shown = everything_shown(at)
    assert not at.get("plotly_chart")
    assert "Results stay hidden" in shown and "2 phones have voted" in shown
    # Alphabetical, never by dots, read across the display's two columns.
    listed = [str(t.value) for t in at.text if str(t.value) in {i.text for i in ideas}]
    # The preview comes first; the laptop's "In full" panel under it lists them again.
    in_full = next(e for e in at.expander if e.label.startswith("In full"))
    assert sorted(str(t.value) for t in in_full.text if str(t.value) in {i.text for i in ideas}) == sorted(
        listed[len(listed) // 2 :]
    )
    listed = listed[: len(listed) // 2]
    ordered = sorted(listed, key=str.casefold)
    assert listed == ordered[0::2] + ordered[1::2]
    assert "Dots" not in shown

    voting.set_revealed(engine, rnd.id)
    at.run()
    [chart] = [json.loads(c.proto.spec) for c in at.get("plotly_chart")]
    assert "4 dots from 2 phones" in chart["layout"]["title"]["text"]
    totals = next(t for t in chart["data"] if t.get("mode") == "text")
    assert totals["x"][-1] == 3  # the secret idea leads, drawn at the top


def test_wall_with_no_rounds(app, engine: Engine) -> None:  # type: ignore[no-untyped-def]
    new_workshop(engine)
    at = wall(app)
    assert not at.exception
    assert "No ideas round yet" in everything_shown(at)


def test_idea_with_risk_language_shows_the_configured_support_panel(app, engine: Engine) -> None:  # type: ignore[no-untyped-def]
    from codesign.privacy.support import support_panel

    workshop = new_workshop(engine)
    rnd = voting.open_round(engine, workshop.id, "How might we make nights easier?")
    at = phone(app, workshop.id)
    at.text_area[0].input("Some nights I want to kill myself and nobody answers the phone")
    at.button[-1].click().run()
    assert not at.exception
    panel = support_panel(workshops.kit_of(engine, workshop).support_region)
    shown = everything_shown(at)
    assert panel.title in shown
    assert all(contact.name in shown for contact in panel.contacts)
    [idea] = voting.list_ideas(engine, rnd.id)
    assert idea.risk_flags and not idea.on_wall
