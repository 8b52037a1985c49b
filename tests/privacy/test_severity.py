"""Severity, talk about risk, negation, tense and the next step, through the check's own API."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from codesign.privacy import prepare_text
from codesign.privacy.safeguarding import (
    CONCERN,
    IMMEDIATE_DANGER,
    PAST,
    SEVERITIES,
    URGENT,
    check_risk,
    most_severe,
    next_step,
    severity_rank,
)


@pytest.mark.parametrize(
    ("text", "severity"),
    [
        ("I keep thinking about killing myself.", CONCERN),
        ("Some days I wish I was dead.", CONCERN),
        ("I have a plan and I know when I will do it.", URGENT),
        ("That night I took every tablet in the house.", URGENT),
        ("I've been stockpiling my tablets in a drawer.", URGENT),
        ("I'm going to end it tonight.", URGENT),
        ("My husband put his hands round my neck in front of our son.", URGENT),
        ("My carer shouts at me and pinches me when nobody is looking.", CONCERN),
        ("I used to self-harm, years ago.", PAST),
        ("The café was kind and the staff listened.", ""),
    ],
)
def test_thinking_about_it_is_told_apart_from_a_plan_an_attempt_or_now(text: str, severity: str) -> None:
    assert check_risk(text).severity == severity
    assert prepare_text(text).risk_severity == severity


def test_the_most_urgent_sentence_decides_a_story() -> None:
    story = "I used to cut myself at school. These days I think about dying a lot. Tonight I'm going to do it."
    result = check_risk(story)
    assert result.severity == URGENT
    assert IMMEDIATE_DANGER in result.categories and "suicide" in result.categories
    assert not result.historical_only


@pytest.mark.parametrize(
    "text",
    [
        "The training said staff should ask directly about suicide, and they did.",
        "Our team has done suicide prevention training twice this year.",
        "The leaflet on self-harm was out of date.",
        "The nurse asked if I felt safe at home and I said yes.",
        "Health visitors should ask every mum about abuse at home.",
        "The crisis plan says to ring if you can't keep yourself safe.",
    ],
)
def test_talking_about_a_risk_is_not_a_disclosure(text: str) -> None:
    assert not check_risk(text).has_risk


@pytest.mark.parametrize(
    "text",
    [
        "I told the nurse I felt suicidal and she gave me a leaflet.",
        "Nobody asked if I was suicidal.",
        "The nurse asked if I was suicidal and I said yes.",
    ],
)
def test_a_disclosure_beside_talk_words_is_still_a_disclosure(text: str) -> None:
    assert check_risk(text).has_risk


@pytest.mark.parametrize(
    ("text", "flagged"),
    [
        ("I've never wanted to die.", False),
        ("I was never at the point of wanting to end my life.", False),
        ("My husband has never hurt me or the kids.", False),
        ("I can't stop thinking about killing myself.", True),
        ("Nobody knew I was cutting myself.", True),
        ("I cut my hand chopping onions.", False),
        ("I cut my arms on purpose when it gets bad.", True),
        ("My son takes my bank card to the shop for me.", False),
        ("He takes my bank card and leaves me with nothing.", True),
        ("My son is so annoying I could kill him, ha.", False),
    ],
)
def test_negation_accidents_consent_and_jokes(text: str, flagged: bool) -> None:
    assert check_risk(text).has_risk is flagged


def test_the_next_step_names_the_lead_and_999_when_a_life_may_be_at_risk_now() -> None:
    urgent = next_step(URGENT, "Sam Patel, 07700 900123")
    assert "999" in urgent and "Sam Patel, 07700 900123" in urgent
    concern = next_step(CONCERN, "Sam Patel")
    assert "999" not in concern and "Sam Patel" in concern and "today" in concern
    assert "your safeguarding lead" in next_step(PAST, "  ")
    assert next_step("", "Sam") == next_step(CONCERN, "Sam")  # a flag stored before severity existed


def test_severity_order() -> None:
    assert [severity_rank(s) for s in (URGENT, CONCERN, PAST, "")] == [0, 1, 2, 1]
    assert most_severe([PAST, CONCERN]) == CONCERN and most_severe([PAST, URGENT, CONCERN]) == URGENT
    assert most_severe([]) == ""


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=400))
def test_any_text_gets_a_consistent_answer(text: str) -> None:
    result = check_risk(text)
    assert result.severity in (*SEVERITIES, "")
    assert result.has_risk is (result.severity != "")
    assert result.historical_only is (result.severity == PAST)
    assert set(result.categories) == {m.category for m in result.matches}


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.sampled_from(["The GP was kind.", "I want to die.", "I used to self-harm years ago.", "x"]), max_size=6)
)
def test_adding_a_sentence_never_lowers_the_severity(parts: list[str]) -> None:
    text = " ".join(parts)
    before = check_risk(text)
    after = check_risk(text + " I have a plan to end my life tonight.")
    assert after.severity == URGENT
    assert set(before.categories) <= set(after.categories)
