"""The journey map's core: the emotion curve's maths, pain-point proposals, the map, and grid edits."""

from __future__ import annotations

import statistics
from dataclasses import replace
from typing import Any

import pytest

from codesign import journeys
from codesign.models import JourneyCell, JourneyCellDraft, Lens, Stage, Story, StoryTheme
from tests.factories import make_story

STAGES = [
    Stage(1, "asking", "Asking for help", "", 0),
    Stage(2, "waiting", "Waiting", "", 1),
    Stage(3, "support", "Getting support", "", 2),
]
LENSES = [
    Lens(1, "lived_experience", "Lived experience", 0),
    Lens(2, "carer_family", "Carers", 1),
    Lens(3, "staff", "Staff", 2),
]
QUOTABLE = ("anonymous_quote", "report_quote")


def curve_of(stories: list[Story], **kwargs: Any) -> journeys.EmotionCurve:
    return journeys.emotion_curve(stories, STAGES, LENSES, **kwargs)


# --- the curve's maths ----------------------------------------------------------------------------


def test_empty_stages_stay_on_the_curve_with_no_mean() -> None:
    curve = curve_of([make_story(stage_key="waiting", emotion=2)])
    assert [s.key for s in curve.stages] == ["asking", "waiting", "support"]
    for key in ("asking", "support"):
        point = curve.point(key)
        assert (point.count, point.mean, point.sd, point.thin, point.empty) == (0, None, None, False, True)
        assert point.describe() == "no ratings yet"
    assert [len(s.points) for s in curve.series] == [3, 3, 3]


def test_no_stories_at_all() -> None:
    curve = curve_of([])
    assert curve.rated == 0 and curve.unplaced == 0
    assert all(p.mean is None for s in curve.series for p in s.points)
    assert [s.lens_key for s in curve.series] == ["lived_experience", "carer_family", "staff"]


def test_one_story_gives_its_rating_no_sd_and_thin_evidence() -> None:
    curve = curve_of([make_story(stage_key="asking", lens_key="staff", emotion=4)])
    point = curve.point("asking", "staff")
    assert (point.count, point.mean, point.sd, point.q1, point.median, point.q3) == (1, 4.0, None, 4.0, 4.0, 4.0)
    assert point.thin
    assert point.describe() == "4.0 of 5 (n=1) · thin evidence"
    assert curve.point("asking").mean == 4.0
    assert curve.point("asking", "carer_family").mean is None


def test_mean_sd_iqr_and_count_per_stage_per_lens() -> None:
    ratings = [1, 2, 2, 4, 5]
    stories = [make_story(stage_key="waiting", lens_key="carer_family", emotion=r) for r in ratings]
    stories.append(make_story(stage_key="waiting", lens_key="staff", emotion=5))
    curve = curve_of(stories)
    carers = curve.point("waiting", "carer_family")
    assert carers.count == 5 and not carers.thin
    assert carers.mean == pytest.approx(2.8)
    assert carers.sd == pytest.approx(statistics.stdev(ratings))
    assert (carers.q1, carers.median, carers.q3) == (2.0, 2.0, 4.0)
    everyone = curve.point("waiting")
    assert everyone.count == 6 and everyone.mean == pytest.approx(19 / 6)


def test_missing_ratings_are_counted_never_guessed() -> None:
    stories = [
        make_story(stage_key="support", emotion=None),
        make_story(stage_key="support", emotion=None),
        make_story(stage_key="support", emotion=2),
    ]
    point = curve_of(stories).point("support", "lived_experience")
    assert (point.count, point.unrated, point.mean) == (1, 2, 2.0)
    only_unrated = curve_of(stories[:2]).point("support")
    assert (only_unrated.count, only_unrated.unrated, only_unrated.mean) == (0, 2, None)


@pytest.mark.parametrize("lens_key", [None, "commissioner", "LIVED_EXPERIENCE"])
def test_an_unknown_lens_gets_its_own_series_not_lost_not_mixed_in(lens_key: str | None) -> None:
    stories = [make_story(lens_key=lens_key, emotion=1), make_story(lens_key="staff", emotion=5)]
    curve = curve_of(stories)
    assert [s.lens_key for s in curve.series] == ["lived_experience", "carer_family", "staff", journeys.UNKNOWN_LENS]
    unknown = curve.lens(journeys.UNKNOWN_LENS)
    assert not unknown.known and unknown.lens_name == journeys.UNKNOWN_LENS_NAME
    assert curve.point("waiting", journeys.UNKNOWN_LENS).mean == 1.0
    assert curve.point("waiting", "staff").mean == 5.0
    assert curve.point("waiting").mean == 3.0


def test_no_unknown_series_when_every_lens_is_known() -> None:
    assert journeys.UNKNOWN_LENS not in [s.lens_key for s in curve_of([make_story()]).series]


@pytest.mark.parametrize(
    ("overrides", "counts"),
    [
        ({}, True),
        ({"moderation_status": "pending"}, False),
        ({"moderation_status": "hidden"}, False),
        ({"risk_flags": ("self-harm",)}, False),
        ({"risk_flags": ("self-harm",), "risk_reviewed": True}, True),
        ({"consent": "themes_only"}, True),
    ],
)
def test_which_stories_count_in_the_curve(overrides: dict[str, Any], counts: bool) -> None:
    curve = curve_of([make_story(emotion=1, **overrides)])
    assert curve.point("waiting").count == (1 if counts else 0)


def test_stories_without_a_known_stage_are_counted_as_unplaced() -> None:
    curve = curve_of([make_story(stage_key=None), make_story(stage_key="deleted_stage"), make_story()])
    assert curve.unplaced == 2 and curve.rated == 1


@pytest.mark.parametrize(("n", "thin"), [(1, True), (2, True), (3, False), (10, False)])
def test_thin_evidence_threshold(n: int, thin: bool) -> None:
    curve = curve_of([make_story(emotion=2) for _ in range(n)])
    assert curve.point("waiting").thin is thin
    assert curve_of([make_story(emotion=2) for _ in range(n)], thin_below=1).point("waiting").thin is False


# --- pain-point proposals ---------------------------------------------------------------------------


def low_waiting_stories() -> list[Story]:
    return [
        make_story(stage_key="waiting", emotion=1, lens_key="carer_family"),
        make_story(stage_key="waiting", emotion=2),
        make_story(stage_key="waiting", emotion=2),
        make_story(stage_key="waiting", emotion=4),
        make_story(stage_key="support", emotion=4),
        make_story(stage_key="support", emotion=5),
    ]


def test_without_themes_low_stages_are_proposed_from_emotion_alone() -> None:
    stories = low_waiting_stories()
    proposals = journeys.propose_pain_points(curve_of(stories), stories)
    assert len(proposals) == 1
    (p,) = proposals
    assert p.stage_key == "waiting" and p.theme_label is None
    assert p.story_ids == tuple(s.id for s in stories[:3])
    assert p.text.startswith("Waiting felt hard: average 2.2 of 5 from 4 stories")
    assert "hardest for carers (1.0)" in p.text


def waiting_in_words() -> list[Story]:
    return [
        make_story(
            stage_key="waiting",
            emotion=1,
            text="Nobody rang me back for eleven weeks. I had no idea if I was still on the waiting list.",
        ),
        make_story(
            stage_key="waiting",
            emotion=2,
            text="The waiting list letter said eleven weeks and then nobody rang. Waiting alone was the worst.",
        ),
        make_story(
            stage_key="waiting",
            emotion=2,
            consent="themes_only",
            text="Nobody rang me back and nobody told me where I was on the waiting list.",
        ),
        make_story(stage_key="waiting", emotion=2, text="The car park was full again."),
        make_story(stage_key="waiting", emotion=4, text="My friend came with me."),
    ]


def test_proposals_quote_the_most_typical_low_rated_sentence_with_the_count() -> None:
    stories = waiting_in_words()
    (p,) = journeys.propose_pain_points(curve_of(stories), stories, quote_consents=["anonymous_quote"])
    # The sentence that shares most with the stage's low-rated stories (waiting list, eleven
    # weeks, nobody rang), not the one-off about parking.
    assert p.text == (
        "“The waiting list letter said eleven weeks and then nobody rang.” "
        "(4 of 5 stories rated at this stage felt bad)"
    )
    assert p.story_ids == tuple(s.id for s in stories[:4])


def test_a_sentence_is_quoted_only_from_a_story_whose_consent_allows_the_screen_to_show_it() -> None:
    stories = waiting_in_words()
    (p,) = journeys.propose_pain_points(curve_of(stories), stories, quote_consents=["anonymous_quote"])
    assert "where I was on the waiting list" not in p.text  # the themes-only story is counted, never quoted
    report_only = [replace(s, consent="report_quote") for s in stories]
    (p,) = journeys.propose_pain_points(curve_of(report_only), report_only, quote_consents=["anonymous_quote"])
    assert p.text.startswith("Waiting felt hard")  # nothing the screen may show: the feeling alone
    (p,) = journeys.propose_pain_points(curve_of(stories), stories)  # no tier may be quoted
    assert p.text.startswith("Waiting felt hard")


def test_themes_group_the_proposals_but_are_never_named() -> None:
    stories = waiting_in_words()
    themes = [
        StoryTheme(stories[0].id, 7, "Nobody kept in touch"),
        StoryTheme(stories[1].id, 7, "Nobody kept in touch"),
        StoryTheme(stories[3].id, 8, "Parking"),  # one story: not frequent
    ]
    (p,) = journeys.propose_pain_points(curve_of(stories), stories, themes, quote_consents=["anonymous_quote"])
    assert p.story_ids == (stories[0].id, stories[1].id)
    assert "Nobody kept in touch" not in p.text and "(2 of 5 stories rated at this stage felt bad)" in p.text
    assert p.text.startswith("“") and p.theme_label is None


def test_no_proposals_where_feeling_is_fine_and_thin_ones_say_so() -> None:
    fine = [make_story(emotion=4), make_story(emotion=3)]
    assert journeys.propose_pain_points(curve_of(fine), fine) == ()
    thin = [make_story(emotion=1)]
    (p,) = journeys.propose_pain_points(curve_of(thin), thin)
    assert p.text.endswith("(thin evidence)")


def test_proposals_put_the_worst_stage_first() -> None:
    stories = [make_story(stage_key="asking", emotion=2) for _ in range(3)]
    stories += [make_story(stage_key="support", emotion=1) for _ in range(3)]
    assert [p.stage_key for p in journeys.propose_pain_points(curve_of(stories), stories)] == ["support", "asking"]


def test_a_proposal_already_on_the_map_in_any_status_is_not_proposed_again() -> None:
    stories = low_waiting_stories()
    (p,) = journeys.propose_pain_points(curve_of(stories), stories)
    assert journeys.new_proposals([p], []) == (p.as_draft(),)
    for status in ("proposed", "accepted", "rejected"):
        edited = JourneyCell(9, p.stage_id, "pain_points", "Edited by hand", 0, status, p.story_ids[:2])  # type: ignore[arg-type]
        assert journeys.new_proposals([p], [edited]) == ()
    elsewhere = JourneyCell(9, 3, "pain_points", "x", 0, "rejected", p.story_ids)
    assert journeys.new_proposals([p], [elsewhere]) == (p.as_draft(),)


# --- the map ---------------------------------------------------------------------------------------


def cell(id: int, stage_id: int, lane: str, text: str, status: str = "accepted") -> JourneyCell:
    return JourneyCell(id, stage_id, lane, text, id, status)  # type: ignore[arg-type]


def test_quotes_only_from_stories_whose_consent_and_moderation_allow() -> None:
    allowed = make_story(text="Allowed words", consent="anonymous_quote", emotion=1)
    stories = [
        allowed,
        make_story(text="Themes only words", consent="themes_only", emotion=1),
        make_story(text="Pending words", moderation_status="pending"),
        make_story(text="Unreviewed risk words", risk_flags=("suicide",)),
        make_story(text="Report-only words", consent="report_quote", emotion=5),
    ]
    screen = journeys.journey_map(STAGES, [], stories, LENSES, quote_consents=QUOTABLE)
    waiting = screen.stages[1]
    assert {q.text for q in waiting.quotes} == {"Allowed words", "Report-only words"}
    report = journeys.journey_map(STAGES, [], stories, LENSES, quote_consents=("report_quote",))
    assert [q.text for q in report.stages[1].quotes] == ["Report-only words"]
    everything = "\n".join("\n".join(row) for row in screen.table())
    for hidden in ("Themes only", "Pending", "Unreviewed"):
        assert hidden not in everything


def test_quotes_span_the_range_of_feeling_and_are_shortened() -> None:
    stories = [make_story(emotion=e, text=f"Felt {e}") for e in (3, 1, 5, 2, 4)]
    stories.append(make_story(emotion=2, text="word " * 100))
    jmap = journeys.journey_map(STAGES, [], stories, LENSES, quote_consents=QUOTABLE, quotes_per_stage=3)
    texts = [q.text for q in jmap.stages[1].quotes]
    assert texts[:2] == ["Felt 1", "Felt 5"]
    assert len(texts) == 3
    long = journeys.journey_map(STAGES, [], stories[-1:], LENSES, quote_consents=QUOTABLE).stages[1].quotes[0].text
    assert long.endswith("…") and len(long) <= journeys.QUOTE_CHARS + 1


def test_map_lanes_hold_accepted_items_and_proposals_wait_aside() -> None:
    cells = [
        cell(1, 2, "touchpoints", "Referral letter"),
        cell(2, 2, "pain_points", "Nobody called", "proposed"),
        cell(3, 2, "pain_points", "Lost referral", "rejected"),
        cell(4, 2, "opportunities", "Weekly check-in call"),
    ]
    jmap = journeys.journey_map(STAGES, cells, [], LENSES, quote_consents=QUOTABLE)
    waiting = jmap.stages[1]
    assert [c.text for c in waiting.items["touchpoints"]] == ["Referral letter"]
    assert waiting.items["pain_points"] == ()
    assert [c.text for c in waiting.proposals] == ["Nobody called"]
    table = jmap.table()
    assert table[0] == ["", "Asking for help", "Waiting", "Getting support"]
    assert [row[0] for row in table[1:]] == [name for _k, name in journeys.LANES] + ["Emotion (all lenses)"]
    assert table[2][2] == "• Referral letter"
    assert table[-1] == ["Emotion (all lenses)", "no ratings yet", "no ratings yet", "no ratings yet"]
    assert not jmap.shows_thrive


def test_thrive_groupings_are_shown_when_the_stages_have_them() -> None:
    stages = [Stage(1, "ok", "Feeling OK", "", 0, "thriving"), Stage(2, "help", "Getting help", "", 1, "getting_help")]
    jmap = journeys.journey_map(stages, [], [], LENSES, quote_consents=QUOTABLE)
    assert jmap.shows_thrive
    assert [js.thrive for js in jmap.stages] == ["Thriving", "Getting help"]
    assert jmap.table()[1] == ["THRIVE grouping", "Thriving", "Getting help"]


# --- grid edits ------------------------------------------------------------------------------------


def test_grid_round_trip_without_changes_changes_nothing() -> None:
    cells = [cell(1, 1, "doing", "Rings the GP"), cell(2, 2, "pain_points", "Nobody called", "proposed")]
    rows = journeys.grid_rows(cells, STAGES)
    assert rows[1] == {
        "id": 2,
        "stage": "Waiting",
        "lane": "Pain points",
        "text": "Nobody called",
        "status": "Proposed",
        "stories": 0,
    }
    edits = journeys.journey_edits(journeys.grid_cells(cells, STAGES), rows, STAGES)
    assert edits.empty and not edits.problems


def test_grid_edits_add_change_move_and_delete() -> None:
    cells = [cell(1, 1, "doing", "Rings the GP"), cell(2, 2, "doing", "Waits"), cell(3, 3, "doing", "Goes to group")]
    rows = journeys.grid_rows(cells, STAGES)
    rows[0]["text"] = "  Rings   the GP\x00 practice "
    rows[1]["stage"] = "Getting support"
    rows[1]["lane"] = "Opportunities"
    del rows[2]
    rows.append(
        {
            "id": float("nan"),
            "stage": "Asking for help",
            "lane": "Touchpoints: who or what they meet",
            "text": "Reception",
        }
    )
    rows.append({"id": None, "stage": None, "lane": None, "text": None})  # an empty new row is ignored
    edits = journeys.journey_edits(cells, rows, STAGES)
    assert [(c.id, c.stage_id, c.lane, c.text) for c in edits.updated] == [
        (1, 1, "doing", "Rings the GP practice"),
        (2, 3, "opportunities", "Waits"),
    ]
    assert edits.deleted == (3,)
    assert [(d.stage_id, d.lane, d.text, d.status) for d in edits.added] == [
        (1, "touchpoints", "Reception", "accepted")
    ]


def test_rows_from_a_real_grid_with_empty_cells_are_read() -> None:
    import pandas as pd

    cells = [cell(1, 1, "doing", "Rings the GP")]
    rows = pd.DataFrame(journeys.grid_rows(cells, STAGES)).to_dict("records")
    # A row added in the grid arrives with pandas' NA in the cells nobody filled.
    rows.append({"id": pd.NA, "stage": "Waiting", "lane": "Pain points", "text": "No call back", "status": pd.NA})
    rows.append({"id": pd.NA, "stage": pd.NA, "lane": pd.NA, "text": pd.NA, "status": pd.NA})
    edits = journeys.journey_edits(cells, rows, STAGES)
    assert edits.added == (JourneyCellDraft(2, "pain_points", "No call back"),)
    assert edits.updated == () and edits.deleted == () and edits.problems == ()
    assert [journeys.clean_text(v) for v in (pd.NA, None, float("nan"), " a\tb ")] == ["", "", "", "a b"]


def test_clearing_an_items_text_deletes_it() -> None:
    cells = [cell(1, 1, "doing", "Rings the GP")]
    rows = journeys.grid_rows(cells, STAGES)
    rows[0]["text"] = "   "
    assert journeys.journey_edits(cells, rows, STAGES).deleted == (1,)


def test_a_row_without_stage_or_lane_is_a_problem_and_nothing_changes() -> None:
    cells = [cell(1, 1, "doing", "Rings the GP")]
    rows = [*journeys.grid_rows(cells, STAGES), {"id": None, "stage": "Nowhere", "lane": "Pain points", "text": "New"}]
    rows[0]["text"] = "Changed"
    edits = journeys.journey_edits(cells, rows, STAGES)
    assert edits.empty
    assert edits.problems == ("Row 2: choose a stage and a lane for “New”.",)


@pytest.mark.parametrize(
    ("name", "taken", "key"),
    [
        ("Waiting", set(), "waiting"),
        ("Waiting", {"waiting"}, "waiting_2"),
        ("Waiting", {"waiting", "waiting_2"}, "waiting_3"),
        ("Après l'école", set(), "apres_l_ecole"),
        ("2nd appointment", set(), "stage_2nd_appointment"),
        ("🙂", set(), "stage"),
    ],
)
def test_stage_keys_are_made_from_names(name: str, taken: set[str], key: str) -> None:
    assert journeys.stage_key_for(name, taken) == key


def test_curve_table_has_a_row_per_stage_and_lens_plus_everyone() -> None:
    rows = journeys.curve_table(curve_of([make_story(emotion=2), make_story(emotion=4)]))
    assert len(rows) == len(STAGES) * (len(LENSES) + 1)
    waiting_all = next(r for r in rows if r["stage"] == "Waiting" and r["lens"] == "All lenses")
    assert waiting_all == {
        "stage": "Waiting",
        "lens": "All lenses",
        "ratings": 2,
        "mean": 3.0,
        "SD": 1.41,
        "IQR": "2.5–3.5",
        "no rating": 0,
        "evidence": "thin",
    }
