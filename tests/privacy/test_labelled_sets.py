"""The safeguarding labelled set: its size and balance, the split by phrasing family, and the targets.

The test part (tests/data/safeguarding_test.yaml) was written before the detector was tuned
and is never tuned on; these tests only check that it stays apart from the tuning part and
report whether the check still meets the targets on it.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
import yaml

from codesign.privacy.risk_phrases import CATEGORIES
from codesign.privacy.safeguarding import SEVERITIES, check_risk

DATA = Path(__file__).resolve().parents[1] / "data"


def _load(name: str) -> dict[str, list[dict[str, object]]]:
    return yaml.safe_load((DATA / name).read_text(encoding="utf-8"))  # type: ignore[no-any-return]


TEST = _load("safeguarding_test.yaml")
TUNE = _load("safeguarding_tune.yaml")
PARTS = {"test": TEST, "tune": TUNE}


def _texts(part: dict[str, list[dict[str, object]]]) -> list[str]:
    return [str(c["text"]) for c in part["risk"] + part["near_miss"]]


def test_the_new_set_has_at_least_600_sentences_about_half_of_them_near_misses() -> None:
    total = sum(len(_texts(part)) for part in PARTS.values())
    assert total >= 600
    for part in PARTS.values():
        risk, near = len(part["risk"]), len(part["near_miss"])
        assert abs(risk - near) <= 0.05 * (risk + near)


@pytest.mark.parametrize("name", PARTS)
def test_every_category_is_in_each_part_with_its_forms_and_near_misses(name: str) -> None:
    part = PARTS[name]
    categories = Counter(str(c["category"]) for c in part["risk"])
    assert set(categories) == set(CATEGORIES)
    assert min(categories.values()) >= 15
    assert {str(c["near"]) for c in part["near_miss"]} >= set(CATEGORIES)
    suicide_forms = {str(c["form"]) for c in part["risk"] if c["category"] == "suicide"}
    assert suicide_forms >= {"passive wish", "thoughts", "method", "intent", "plan", "preparation", "attempt"}
    assert {str(c["severity"]) for c in part["risk"]} == set(SEVERITIES)
    for case in part["risk"]:
        assert bool(case.get("historical", False)) is (case["severity"] == "past")


def test_the_parts_share_no_phrasing_family_and_no_sentence() -> None:
    families = {name: {str(c["family"]) for c in part["risk"] + part["near_miss"]} for name, part in PARTS.items()}
    assert not families["test"] & families["tune"]
    assert all(f.startswith("t-") for f in families["test"]) and all(f.startswith("u-") for f in families["tune"])
    older = set()
    for name in ("safeguarding_cases.yaml", "safeguarding_holdout.yaml", "safeguarding_holdout2.yaml"):
        data = _load(name)
        older |= {str(c["text"]) for c in data["risk"]} | {str(c) for c in data["near_miss"]}
    test_texts, tune_texts = set(_texts(TEST)), set(_texts(TUNE))
    assert len(test_texts) == len(_texts(TEST)) and len(tune_texts) == len(_texts(TUNE))
    assert not test_texts & tune_texts and not test_texts & older


def _figures(part: dict[str, list[dict[str, object]]]) -> tuple[float, dict[str, float], float]:
    flagged = [(str(c["category"]), check_risk(str(c["text"])).has_risk) for c in part["risk"]]
    by_category = {
        category: sum(hit for c, hit in flagged if c == category) / sum(c == category for c, _ in flagged)
        for category in CATEGORIES
    }
    recall = sum(hit for _, hit in flagged) / len(flagged)
    fpr = sum(check_risk(str(c["text"])).has_risk for c in part["near_miss"]) / len(part["near_miss"])
    return recall, by_category, fpr


def test_the_test_part_meets_the_targets() -> None:
    # Measured, never tuned on: see bench/bench_safeguarding.py for the figures and the misses.
    recall, by_category, fpr = _figures(TEST)
    assert recall >= 0.95
    assert min(by_category.values()) >= 0.90, by_category
    assert fpr <= 0.10


def test_the_tuning_part_is_still_caught() -> None:
    recall, by_category, fpr = _figures(TUNE)
    assert recall >= 0.98 and min(by_category.values()) >= 0.95 and fpr <= 0.02
