"""Safeguarding: the labelled set, negation, tense, and the support panels in configuration."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from codesign.privacy import prepare_text
from codesign.privacy.safeguarding import check_risk
from codesign.privacy.support import available_regions, support_panel
from codesign.workshops.kits import list_builtin_kits

CASES = Path(__file__).resolve().parents[1] / "data" / "safeguarding_cases.yaml"
DATA = yaml.safe_load(CASES.read_text(encoding="utf-8"))
RISK = DATA["risk"]
NEAR_MISS = DATA["near_miss"]


def test_the_labelled_set_is_big_and_balanced() -> None:
    assert len(RISK) + len(NEAR_MISS) >= 150
    assert abs(len(RISK) - len(NEAR_MISS)) <= 5
    assert len({c["text"] for c in RISK} | set(NEAR_MISS)) == len(RISK) + len(NEAR_MISS)


def test_recall_and_false_positive_rate_meet_the_targets() -> None:
    found = sum(check_risk(c["text"]).has_risk for c in RISK)
    false_alarms = sum(check_risk(text).has_risk for text in NEAR_MISS)
    assert found / len(RISK) >= 0.95
    assert false_alarms / len(NEAR_MISS) <= 0.10


@pytest.mark.parametrize("case", RISK, ids=lambda c: c["text"][:40])
def test_risk_sentence(case: dict[str, object]) -> None:
    result = check_risk(str(case["text"]))
    # This older set files partner violence under abuse; the check now names it domestic violence.
    accepted = {case["category"]} | ({"domestic violence"} if case["category"] == "abuse" else set())
    assert accepted & set(result.categories)
    assert result.historical_only is bool(case.get("historical", False))


@pytest.mark.parametrize("text", NEAR_MISS, ids=lambda t: t[:40])
def test_near_miss(text: str) -> None:
    assert not check_risk(text).has_risk


@pytest.mark.parametrize(
    ("text", "flagged", "historical"),
    [
        ("I have never self-harmed.", False, False),
        ("I'm not suicidal.", False, False),
        ("I don't self-harm any more.", True, True),
        ("I used to self-harm, and what helped was a peer group.", True, True),
        ("I self-harm when it gets bad.", True, False),
        ("Nobody asked if I was suicidal.", True, False),
        ("I wasn't suicidal but I was exhausted.", False, False),
        ("I used to self-harm. Last night I cut myself again.", True, False),
        ("I’M THINKING ABOUT KILLING MYSELF", True, False),
        ("I'm thinking about k\u200billing myself", True, False),
    ],
)
def test_negation_and_tense(text: str, flagged: bool, historical: bool) -> None:
    result = prepare_text(text)
    assert result.has_risk is flagged
    assert result.risk_historical_only is historical


def test_every_shipped_kit_has_a_support_panel_and_england_lists_the_core_numbers() -> None:
    for kit_file in list_builtin_kits():
        assert kit_file.kit.support_region in available_regions()
    england = support_panel("england")
    text = " ".join(f"{c.name} {c.how} {c.when}" for c in england.contacts)
    for needle in ("116 123", "111", "option 2", "SHOUT", "85258", "999", "A&E"):
        assert needle in text
    assert "0800 1111" in " ".join(c.how for c in support_panel("england_young_people").contacts)
    assert "0800 83 85 87" in " ".join(c.how for c in support_panel("scotland").contacts)
    assert support_panel("wales").region == "wales"
    assert support_panel("atlantis").region == "england"
