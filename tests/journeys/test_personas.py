"""Personas the room defines, and the journey through one lens or one persona.

Rules first (names, the views, where lenses differ), then storage on both back ends: only the
workshop's own stories are linked, a withdrawn story leaves every persona, a stale choice falls
back to everyone.
"""

from __future__ import annotations

import pytest
from sqlalchemy import Engine, select

from codesign import journeys, stories
from codesign.errors import NotFoundError, ValidationFailed
from codesign.models import Persona
from codesign.storage.db import read_session
from codesign.storage.schema import AuditRow, PersonaStoryRow
from codesign.stories.capture import hash_withdraw_code
from tests.factories import make_story
from tests.journeys.test_journey import LENSES, QUOTABLE, STAGES
from tests.journeys.test_service_storage import add_stories, new_workshop

# --- rules -----------------------------------------------------------------------------------------


def test_persona_names_are_cleaned_and_must_be_new() -> None:
    taken = [Persona(1, "Sam, a carer", "")]
    assert journeys.persona_fields("  Ada,   who waited ", " Waited  six weeks ", taken) == (
        "Ada, who waited",
        "Waited six weeks",
    )
    # A persona keeps its own name when it is changed.
    assert journeys.persona_fields("Sam, a carer", "new line", taken, persona_id=1)[0] == "Sam, a carer"
    for name, description, message in [
        ("   ", "", "Give the persona a name"),
        ("SAM, A CARER", "", "already a persona"),
        ("x" * (journeys.MAX_PERSONA_NAME + 1), "", "under 80"),
        ("Ada", "y" * (journeys.MAX_PERSONA_DESCRIPTION + 1), "description under"),
    ]:
        with pytest.raises(ValidationFailed, match=message):
            journeys.persona_fields(name, description, taken)


def test_views_are_everyone_then_lenses_then_personas() -> None:
    views = journeys.journey_views(LENSES, [Persona(7, "Ada", "")])
    assert [v.value for v in views] == ["all", "lens:lived_experience", "lens:carer_family", "lens:staff", "persona:7"]
    assert [v.title for v in views][-1] == "Persona: Ada"


def test_a_persona_map_counts_and_quotes_only_its_stories() -> None:
    mine = make_story(stage_key="waiting", emotion=1, text="Mine: the letter never came.")
    other = make_story(stage_key="waiting", emotion=5, text="Not mine: it was quick.")
    jmap = journeys.journey_map(STAGES, [], [mine, other], LENSES, quote_consents=QUOTABLE, story_ids=[mine.id])
    waiting = jmap.stages[1]
    assert (waiting.emotion.count, waiting.emotion.mean) == (1, 1.0)
    assert [q.story_id for q in waiting.quotes] == [mine.id]
    everyone = journeys.journey_map(STAGES, [], [mine, other], LENSES, quote_consents=QUOTABLE)
    assert everyone.stages[1].emotion.count == 2


def test_lens_gaps_name_stages_a_whole_point_apart_worst_first() -> None:
    curve = journeys.emotion_curve(
        [
            make_story(stage_key="waiting", lens_key="carer_family", emotion=1),
            make_story(stage_key="waiting", lens_key="carer_family", emotion=2),
            make_story(stage_key="waiting", lens_key="carer_family", emotion=1),
            make_story(stage_key="waiting", lens_key="staff", emotion=4),
            make_story(stage_key="waiting", lens_key="staff", emotion=3),
            make_story(stage_key="waiting", lens_key="staff", emotion=4),
            # Half a point apart: not a gap.
            make_story(stage_key="support", lens_key="staff", emotion=3),
            make_story(stage_key="support", lens_key="staff", emotion=4),
            make_story(stage_key="support", lens_key="carer_family", emotion=3),
            # Only one lens rated it: nothing to compare.
            make_story(stage_key="asking", lens_key="staff", emotion=1),
            # No lens: never compared as a lens.
            make_story(stage_key="support", lens_key=None, emotion=1),
        ],
        STAGES,
        LENSES,
    )
    assert journeys.lens_gaps(curve) == ("Waiting: Carers 1.3 of 5 (n=3), Staff 3.7 of 5 (n=3).",)
    thin = journeys.emotion_curve(
        [make_story(stage_key="waiting", lens_key="carer_family", emotion=1), make_story(lens_key="staff", emotion=5)],
        STAGES,
        LENSES,
    )
    assert journeys.lens_gaps(thin) == (
        "Waiting: Carers 1.0 of 5 (n=1), Staff 5.0 of 5 (n=1). Thin evidence: ask the room.",
    )


def test_comparison_grid_is_stage_by_persona_in_the_curves_words() -> None:
    ada = journeys.emotion_curve([make_story(stage_key="waiting", emotion=2)], STAGES, LENSES)
    grid = journeys.comparison_grid(STAGES, [("Ada", ada)])
    assert grid == [
        ["Stage", "Ada"],
        ["Asking for help", "no ratings yet"],
        ["Waiting", "2.0 of 5 (n=1) · thin evidence"],
        ["Getting support", "no ratings yet"],
    ]


# --- storage and service ----------------------------------------------------------------------------


def test_a_persona_links_only_its_own_workshops_stories_and_can_change(any_engine: Engine) -> None:
    w = new_workshop(any_engine)
    other = new_workshop(any_engine)
    own = add_stories(any_engine, w, [{"emotion": 1}, {"emotion": 2}, {"emotion": 5}])
    (foreign,) = add_stories(any_engine, other, [{"emotion": 1}])
    ada = journeys.save_persona(any_engine, w.id, " Ada ", "Waited for weeks", [own[0], own[1], foreign])
    assert (ada.name, ada.description, ada.story_ids) == ("Ada", "Waited for weeks", (own[0], own[1]))
    assert journeys.list_personas(any_engine, other.id) == []
    with pytest.raises(ValidationFailed, match="already a persona"):
        journeys.save_persona(any_engine, w.id, "ADA", "", [])
    changed = journeys.save_persona(any_engine, w.id, "Ada, who waited", "", [own[2]], persona_id=ada.id)
    assert journeys.list_personas(any_engine, w.id) == [changed]
    assert changed.story_ids == (own[2],)
    # A persona of another workshop cannot be changed or removed through this one.
    with pytest.raises(NotFoundError):
        journeys.save_persona(any_engine, other.id, "Ada", "", [], persona_id=ada.id)
    journeys.delete_persona(any_engine, other.id, ada.id)
    assert journeys.list_personas(any_engine, w.id) == [changed]
    journeys.delete_persona(any_engine, w.id, ada.id)
    assert journeys.list_personas(any_engine, w.id) == []
    assert len(stories.approved_stories(any_engine, w.id)) == 3  # its stories stay
    with read_session(any_engine) as s:
        actions = list(s.scalars(select(AuditRow.action).where(AuditRow.workshop_id == w.id)))
    assert {"persona_added", "persona_changed", "persona_removed"} <= set(actions)


def test_the_journey_of_a_persona_and_a_stale_choice(any_engine: Engine) -> None:
    w = new_workshop(any_engine)
    low, _high = add_stories(any_engine, w, [{"emotion": 1}, {"emotion": 5, "lens_key": "staff"}])
    ada = journeys.save_persona(any_engine, w.id, "Ada", "", [low])
    view, jmap = journeys.load_view(any_engine, w, f"persona:{ada.id}")
    assert view.title == "Persona: Ada"
    assert jmap.curve.rated == 1 and jmap.curve.point("waiting").mean == 1.0
    view, jmap = journeys.load_view(any_engine, w, "lens:staff")
    assert (view.title, jmap.curve.rated, jmap.curve.point("waiting").mean) == ("Lens: Staff or volunteer", 1, 5.0)
    journeys.delete_persona(any_engine, w.id, ada.id)
    view, jmap = journeys.load_view(any_engine, w, f"persona:{ada.id}")
    assert view.kind == "all" and jmap.curve.rated == 2
    assert journeys.load_view(any_engine, w, "lens:gone")[0].kind == "all"


def test_withdrawing_a_story_takes_it_out_of_every_persona(any_engine: Engine) -> None:
    w = new_workshop(any_engine)
    code = "QRST2345WXYZ"
    gone, kept = add_stories(
        any_engine, w, [{"emotion": 1, "withdraw_code_hash": hash_withdraw_code(code)}, {"emotion": 2}]
    )
    ada = journeys.save_persona(any_engine, w.id, "Ada", "", [gone, kept])
    sam = journeys.save_persona(any_engine, w.id, "Sam", "", [gone])
    stories.withdraw_story(any_engine, code)
    after = {p.id: p.story_ids for p in journeys.list_personas(any_engine, w.id)}
    assert after == {ada.id: (kept,), sam.id: ()}
    with read_session(any_engine) as s:
        assert list(s.scalars(select(PersonaStoryRow).where(PersonaStoryRow.story_id == gone))) == []
    assert journeys.load_view(any_engine, w, f"persona:{sam.id}")[1].curve.rated == 0
