"""The Stakeholders screen: the network, findings, editing in the tables, ego view, stories within consent."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import Engine

from codesign.models import Workshop
from codesign.storage import stakeholders as repo
from codesign.storage.db import write_session
from codesign.storage.stories import add_story_row
from codesign.workshops.kits import get_builtin_kit
from tests.app.conftest import page

PAGE = "pages/stakeholders.py"
KIT = get_builtin_kit("living-well").kit
GAP = "No working link between voluntary and community sector and secondary mental health"


def findings(at: Any) -> list[str]:
    return [m.value for m in at.markdown if m.value.startswith("**")]


def chart_spec(at: Any, index: int = 0) -> str:
    return str(at.get("plotly_chart")[index].proto.spec)


def button(at: Any, label: str) -> Any:
    return next(b for b in at.button if b.label == label)


@pytest.fixture
def workshop(make_workshop: Any) -> Workshop:
    return make_workshop("Joining up care")  # type: ignore[no-any-return]


def test_screen_shows_the_kits_map_findings_and_grid(app: Any, workshop: Workshop) -> None:
    at = page(app(facilitator=True), PAGE)
    assert not at.exception, at.exception
    assert [m.value for m in at.metric][:2] == [str(len(KIT.stakeholders)), str(len(KIT.relationships))]
    assert at.data_editor[0].value["name"].tolist() == [s.name for s in KIT.stakeholders]
    assert any(
        f.startswith("**Primary care and Secondary mental health meet through a single weak link") for f in findings(at)
    )
    assert any(GAP.replace(" ", "") in f.replace("\\", "").replace(" ", "") for f in findings(at))
    assert len(at.get("plotly_chart")) == 2
    assert '"Primary care"' in chart_spec(at, 0) and "Manage closely" in chart_spec(at, 1)


def test_editing_a_row_changes_the_graph_and_the_findings(app: Any, engine: Engine, workshop: Workshop) -> None:
    at = page(app(facilitator=True), PAGE)
    names = at.data_editor[0].value["name"].tolist()
    assert "Jobcentre" not in chart_spec(at).replace("Jobcentre Plus", "")
    at.session_state["stakeholders_editor_0"] = {
        "edited_rows": {names.index("Jobcentre Plus"): {"name": "Jobcentre"}},
        "added_rows": [],
        "deleted_rows": [],
    }
    at.run()
    button(at, "Save stakeholders").click().run()
    assert not at.exception, at.exception
    assert [s.value for s in at.success] == ["Saved stakeholders: 0 added, 1 changed, 0 removed."]
    assert "**Jobcentre has no working link to anyone** (isolates)" in findings(at)
    assert '"Jobcentre"' in chart_spec(at)
    assert "Jobcentre" in [s.name for s in repo.list_stakeholders(engine, workshop.id)]


def test_adding_a_relationship_closes_a_gap(app: Any, engine: Engine, workshop: Workshop) -> None:
    at = page(app(facilitator=True), PAGE)
    assert any(GAP.replace(" ", "") in f.replace("\\", "").replace(" ", "") for f in findings(at))
    at.session_state["relationships_editor_0"] = {
        "edited_rows": {},
        "added_rows": [
            {
                "source": "Community mental health team",
                "target": "Local mental-health charity",
                "type": "support",
                "directed": False,
                "strength": 3,
            }
        ],
        "deleted_rows": [],
    }
    at.run()
    button(at, "Save relationships").click().run()
    assert not at.exception, at.exception
    assert [m.value for m in at.metric][1] == str(len(KIT.relationships) + 1)
    assert not any(GAP.replace(" ", "") in f.replace("\\", "").replace(" ", "") for f in findings(at))
    assert len(repo.list_relationships(engine, workshop.id)) == len(KIT.relationships) + 1


def test_a_self_link_is_kept_back_marked_and_nothing_else_changes(app: Any, engine: Engine, workshop: Workshop) -> None:
    before = repo.load_network(engine, workshop.id)
    at = page(app(facilitator=True), PAGE)
    at.session_state["relationships_editor_0"] = {
        "edited_rows": {},
        "added_rows": [{"source": "GP practice", "target": "GP practice", "type": "referral"}],
        "deleted_rows": [],
    }
    at.run()
    button(at, "Save relationships").click().run()
    assert not at.exception, at.exception
    assert [s.value for s in at.success] == [
        "Saved relationships: 0 added, 0 changed, 0 removed; 1 row kept back as incomplete "
        "(marked in the table: finish and save again)."
    ]
    assert repo.load_network(engine, workshop.id) == before
    table = at.data_editor[1].value
    assert table.iloc[-1][["source", "target", "missing"]].tolist() == [
        "GP practice",
        "GP practice",
        "Needs: a To that is not the From",
    ]


def test_an_incomplete_relationship_row_survives_a_save_with_its_marker(
    app: Any, engine: Engine, workshop: Workshop
) -> None:
    at = page(app(facilitator=True), PAGE)
    # One complete new row, one with only its From, and two blank rows that Enter added
    # (they carry only the defaults a new row gets).
    at.session_state["relationships_editor_0"] = {
        "edited_rows": {0: {"strength": 3}},
        "added_rows": [
            {"source": "Community mental health team", "target": "Local mental-health charity", "type": "support"},
            {"source": "GP practice", "note": "who do they send carers to?"},
            {"directed": True, "strength": 2},
            {},
        ],
        "deleted_rows": [1],
    }
    at.run()
    button(at, "Save relationships").click().run()
    assert not at.exception, at.exception
    assert [s.value for s in at.success] == [
        "Saved relationships: 1 added, 1 changed, 1 removed; 1 row kept back as incomplete "
        "(marked in the table: finish and save again)."
    ]
    assert len(repo.list_relationships(engine, workshop.id)) == len(KIT.relationships)
    # A reload (a new session) still shows the row, marked with what it needs.
    at = page(app(facilitator=True), PAGE)
    table = at.data_editor[1].value
    assert len(table) == len(KIT.relationships) + 1
    kept = table.iloc[-1]
    assert kept["source"] == "GP practice" and kept["note"] == "who do they send carers to?"
    assert kept["missing"] == "Needs: To, Type"
    assert set(table["missing"].iloc[:-1]) == {""}
    # Finishing it saves it, and the marker goes.
    at.session_state["relationships_editor_0"] = {
        "edited_rows": {len(table) - 1: {"target": "Carers and families", "type": "referral"}},
        "added_rows": [],
        "deleted_rows": [],
    }
    at.run()
    button(at, "Save relationships").click().run()
    assert not at.exception, at.exception
    assert [s.value for s in at.success] == ["Saved relationships: 1 added, 0 changed, 0 removed."]
    assert set(at.data_editor[1].value["missing"]) == {""}


def test_a_stakeholder_row_without_a_name_is_kept_back(app: Any, engine: Engine, workshop: Workshop) -> None:
    at = page(app(facilitator=True), PAGE)
    at.session_state["stakeholders_editor_0"] = {
        "edited_rows": {},
        "added_rows": [{"aliases": "peer workers", "notes": "ask Sam for the name"}, {"kind": "service"}],
        "deleted_rows": [],
    }
    at.run()
    button(at, "Save stakeholders").click().run()
    assert not at.exception, at.exception
    assert [s.value for s in at.success] == [
        "Saved stakeholders: 0 added, 0 changed, 0 removed; 1 row kept back as incomplete "
        "(marked in the table: finish and save again)."
    ]
    table = page(app(facilitator=True), PAGE).data_editor[0].value
    assert table.iloc[-1][["aliases", "notes", "missing"]].tolist() == [
        "peer workers",
        "ask Sam for the name",
        "Needs: Name",
    ]
    assert len(repo.list_stakeholders(engine, workshop.id)) == len(KIT.stakeholders)


def test_undo_and_restore_the_map(app: Any, engine: Engine, workshop: Workshop) -> None:
    at = page(app(facilitator=True), PAGE)
    names = at.data_editor[0].value["name"].tolist()
    at.session_state["stakeholders_editor_0"] = {
        "edited_rows": {},
        "added_rows": [],
        "deleted_rows": [names.index("Jobcentre Plus")],
    }
    at.run()
    button(at, "Save stakeholders").click().run()
    assert "Jobcentre Plus" not in [s.name for s in repo.list_stakeholders(engine, workshop.id)]
    undo = button(at, "Undo the last change")
    undo.click().run()
    assert not at.exception, at.exception
    assert [s.value for s in at.success] == ["Undone: Saved stakeholders: 0 added, 0 changed, 1 removed."]
    people, links = repo.load_network(engine, workshop.id)
    assert "Jobcentre Plus" in [s.name for s in people] and len(links) == len(KIT.relationships)
    # Two changes, then restore the version before the first of them.
    for n in (1, 2):
        at.session_state[f"stakeholders_editor_{n}"] = {
            "edited_rows": {},
            "added_rows": [{"name": f"New service {n}"}],
            "deleted_rows": [],
        }
        at.run()
        button(at, "Save stakeholders").click().run()
    assert len(repo.list_stakeholders(engine, workshop.id)) == len(KIT.stakeholders) + 2
    history = repo.list_history(engine, workshop.id)
    assert [h.actor for h in history] == ["facilitator", "facilitator"]
    at.selectbox(key="restore_pick_stakeholder map").select(history[-1].id).run()
    next(b for b in at.button if b.label == "Restore this version").click().run()
    assert not at.exception, at.exception
    assert len(repo.list_stakeholders(engine, workshop.id)) == len(KIT.stakeholders)
    assert repo.list_history(engine, workshop.id) == []


def test_click_to_place_moves_a_stakeholder_and_keeps_it_there(app: Any, engine: Engine, workshop: Workshop) -> None:
    at = page(app(facilitator=True), PAGE)
    gp = next(s for s in repo.list_stakeholders(engine, workshop.id) if s.name == "GP practice")
    at.toggle(key=f"stakeholder_arrange_{workshop.id}").set_value(True).run()
    at.session_state["stakeholder_network_0"] = {"selection": {"points": [{"customdata": gp.id, "x": 0, "y": 0}]}}
    at.run()
    assert not at.exception, at.exception
    assert any("Now click where GP practice should go" in i.value for i in at.info)
    at.session_state["stakeholder_network_1"] = {"selection": {"points": [{"customdata": -1, "x": 0.123, "y": -0.456}]}}
    at.run()
    assert not at.exception, at.exception
    assert [s.value for s in at.success] == ["Moved GP practice."]
    assert repo.load_layout(engine, workshop.id)[gp.id] == (0.123, -0.456)
    # A new session (a reload) draws it there.
    again = page(app(facilitator=True), PAGE)
    assert repo.load_layout(engine, workshop.id)[gp.id] == (0.123, -0.456)
    assert not again.exception
    button(again, "Undo the last change").click().run()
    assert repo.load_layout(engine, workshop.id)[gp.id] != (0.123, -0.456)


def test_ego_view_and_filters(app: Any, workshop: Workshop) -> None:
    at = page(app(facilitator=True), PAGE)
    assert "Jobcentre Plus" in chart_spec(at)
    ego = next(s for s in at.selectbox if s.label == "Around one stakeholder (ego view)")
    gp = next(o for o in ego.options if o == "GP practice")
    ego.select(gp).run()
    spec = chart_spec(at)
    assert "Single point of access" in spec and "Jobcentre Plus" not in spec
    ego.select("Everyone").run()
    sectors = next(m for m in at.multiselect if m.label == "Sectors")
    sectors.set_value(["primary_care"]).run()
    spec = chart_spec(at)
    assert "NHS Talking Therapies" in spec and "Community mental health team" not in spec


def _story(s: Any, workshop_id: int, n: int, text: str, **fields: Any) -> None:
    values = {"consent": "anonymous_quote", "moderation_status": "approved", **fields}
    add_story_row(s, workshop_id, None, text=text, client_submission_id=f"t-{n}", **values)


def test_stories_that_mention_a_stakeholder_are_shown_within_consent(
    app: Any, engine: Engine, workshop: Workshop
) -> None:
    with write_session(engine) as s:
        _story(s, workshop.id, 1, "The GP listened to me for once.")
        _story(s, workshop.id, 2, "My doctor said to wait and see.", consent="themes_only")
        _story(s, workshop.id, 3, "The surgery never rang back.", moderation_status="pending")
        _story(s, workshop.id, 4, "The GP knew I was at risk.", risk_flags=["suicide"])
        _story(s, workshop.id, 5, "Talking therapies had a waiting list.")
    at = page(app(facilitator=True), PAGE)
    assert not at.exception, at.exception
    table = next(d.value for d in at.dataframe if "Stakeholder" in d.value.columns)
    assert table.iloc[0].tolist() == ["GP practice", "Primary care", 2]
    pick = next(s for s in at.selectbox if s.label == "Show the stories that mention")
    assert pick.format_func(pick.value) == "GP practice (2)"
    texts = [t.value for t in at.text]
    assert "The GP listened to me for once." in texts
    assert not any(t in texts for t in ("My doctor said to wait and see.", "The surgery never rang back."))
    assert "The GP knew I was at risk." not in texts
    assert any("1 more story mentions this stakeholder" in i.value for i in at.info)
    # Clicking a row of the table opens that stakeholder's stories.
    assert table.iloc[1]["Stakeholder"] == "NHS Talking Therapies"
    at.session_state[f"mention_table_{workshop.id}"] = {"selection": {"rows": [1], "columns": []}}
    at.run()
    pick = next(s for s in at.selectbox if s.label == "Show the stories that mention")
    assert pick.format_func(pick.value) == "NHS Talking Therapies (1)"
    assert "Talking therapies had a waiting list." in [t.value for t in at.text]


def test_an_empty_map_and_starting_again_from_the_kit(app: Any, engine: Engine, workshop: Workshop) -> None:
    repo.save_network(engine, workshop.id, [], [], relationship_types=["referral"])
    at = page(app(facilitator=True), PAGE)
    assert not at.exception, at.exception
    infos = [i.value for i in at.info]
    assert any(i.startswith("The map is empty.") for i in infos)
    assert any(i.startswith("No findings yet") for i in infos)
    assert "No approved story mentions a stakeholder on the map yet." in infos
    button(at, "Replace the map with the kit's stakeholders").click().run()
    assert not at.exception, at.exception
    assert [m.value for m in at.metric][:2] == [str(len(KIT.stakeholders)), str(len(KIT.relationships))]


def test_layout_is_stored_and_kept_when_a_stakeholder_is_added(app: Any, engine: Engine, workshop: Workshop) -> None:
    page(app(facilitator=True), PAGE)
    first = repo.load_layout(engine, workshop.id)
    assert len(first) == len(KIT.stakeholders)
    at = page(app(facilitator=True), PAGE)
    at.session_state["stakeholders_editor_0"] = {
        "edited_rows": {},
        "added_rows": [{"name": "Recovery college", "kind": "service", "sector": "voluntary_community"}],
        "deleted_rows": [],
    }
    at.run()
    button(at, "Save stakeholders").click().run()
    assert not at.exception, at.exception
    after = repo.load_layout(engine, workshop.id)
    assert len(after) == len(first) + 1
    assert {k: after[k] for k in first} == first
