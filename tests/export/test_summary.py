"""Golden figures of the report's summary on a small workshop made by hand, where every number is known."""

from __future__ import annotations

from datetime import date

from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import Engine, select

from codesign import actions, workshops
from codesign.export import gather_report_data
from codesign.export.summary import people_by_lens, shorten
from codesign.storage.db import write_session
from codesign.storage.schema import JourneyCellRow, JourneyEvidenceRow, StageRow, StoryThemeRow, ThemeRow
from codesign.storage.stories import add_story_row
from codesign.workshops.kits import get_builtin_kit

LENSES = [
    ("lived_experience", "Person with lived experience"),
    ("carer_family", "Carer, family member or friend"),
    ("staff", "Staff or volunteer"),
    ("someone_else", "Someone else"),
]


def hand_made(engine: Engine) -> int:
    """Five phones: A tells 3 stories (2 lived experience, 1 carer), B 2 (1 carer, 1 staff: a tie),
    C 1 (staff), D 1 (no lens), E 1 story still waiting for moderation (lived experience).

    So 5 people: lived experience A, E; carer B (the tie goes to the lens listed first); staff C;
    not given D. Seven stories are approved and reported; E's is not.
    """
    workshop = workshops.create_workshop(engine, "Hand-made", get_builtin_kit("living-well"))
    plan = [
        ("A", "lived_experience", "approved"),
        ("A", "lived_experience", "approved"),
        ("A", "carer_family", "approved"),
        ("B", "staff", "approved"),
        ("B", "carer_family", "approved"),
        ("C", "staff", "approved"),
        ("D", None, "approved"),
        ("E", "lived_experience", "pending"),
    ]
    with write_session(engine) as s:
        waiting = s.scalar(select(StageRow.id).where(StageRow.workshop_id == workshop.id, StageRow.key == "waiting"))
        ids = [
            add_story_row(
                s,
                workshop.id,
                "waiting",
                text=f"Story {n} about the wait for the first appointment at the clinic.",
                lens_key=lens,
                emotion=2,
                consent="report_quote",
                moderation_status=status,
                client_submission_id=f"hand-{n}",
                device_hash=f"phone-{device}",
            ).id
            for n, (device, lens, status) in enumerate(plan)
        ]
        big = ThemeRow(workshop_id=workshop.id, label="Waiting in the dark", position=0, description="")
        small = ThemeRow(workshop_id=workshop.id, label="Forms", position=1, description="")
        s.add_all([big, small])
        s.flush()
        for story_id in ids[:4] + ids[7:]:
            s.add(StoryThemeRow(story_id=story_id, theme_id=big.id, source="auto", score=0.9))
        for story_id in ids[4:6]:
            s.add(StoryThemeRow(story_id=story_id, theme_id=small.id, source="auto", score=0.9))
        pain = JourneyCellRow(
            workshop_id=workshop.id, stage_id=waiting, lane="pain_points", text="No news while waiting"
        )
        s.add(pain)
        s.flush()
        for story_id in ids[:3] + ids[7:]:
            s.add(JourneyEvidenceRow(cell_id=pain.id, story_id=story_id))
    options = {o.label: o for o in actions.link_options(engine, workshop.id)}
    actions.add_action(
        engine,
        workshop.id,
        actions.ActionDraft(
            "Call everyone waiting every fortnight",
            "Team manager",
            date(2027, 1, 29),
            "Calls logged",
            links=(options["Waiting: No news while waiting"].link,),
        ),
    )
    return workshop.id


def test_summary_counts_each_person_once_and_the_lenses_add_up(engine: Engine) -> None:
    data = gather_report_data(engine, hand_made(engine), with_figures=False)
    summary = data.summary
    assert summary is not None
    assert summary.participants == 5 == data.participants
    assert summary.by_lens == (
        ("Person with lived experience", 2),
        ("Carer, family member or friend", 1),
        ("Staff or volunteer", 1),
        ("Not given", 1),
    )
    assert summary.lens_total == summary.participants
    assert summary.stories == 7
    assert summary.missing_lenses == ("Someone else",)


def test_findings_count_only_reported_evidence_and_actions_answer_them(engine: Engine) -> None:
    data = gather_report_data(engine, hand_made(engine), with_figures=False)
    assert data.summary is not None
    # The pending story counts nowhere: 4 of 5 in the big theme, 3 of 4 on the pain point.
    assert [(f.text, f.evidence) for f in data.summary.findings] == [
        ("Waiting in the dark", 4),
        ("Waiting: No news while waiting", 3),
        ("Forms", 2),
    ]
    assert [(y.said, y.we_will) for y in data.you_said] == [
        ("Waiting in the dark", ()),
        ("Waiting: No news while waiting", ("Action 1: Call everyone waiting every fortnight",)),
        ("Forms", ()),
    ]
    (line,) = data.actions
    assert (line.number, line.owner, line.due, line.measure) == (1, "Team manager", "29 January 2027", "Calls logged")
    assert line.answers == ("Pain point: Waiting: No news while waiting",)
    assert any("Nobody took part as someone else" in text for text in data.limitations)


@given(
    st.dictionaries(
        st.text(min_size=1, max_size=4),
        st.lists(st.sampled_from([key for key, _ in LENSES] + [None, "unknown"]), min_size=1, max_size=6),
        max_size=30,
    )
)
def test_people_by_lens_always_adds_up_to_the_number_of_people(used: dict[str, list[str | None]]) -> None:
    counted = people_by_lens(used, LENSES)
    assert sum(n for _lens, n in counted) == len(used)
    assert all(n > 0 for _lens, n in counted)


@given(st.text(max_size=300), st.integers(min_value=10, max_value=120))
def test_shorten_keeps_short_text_and_cuts_long_text_at_a_word(text: str, limit: int) -> None:
    short = shorten(text, limit)
    assert len(short) <= limit
    if len(" ".join(text.split())) <= limit:
        assert short == " ".join(text.split())
    else:
        assert short.endswith("…")
