"""Recall and false-positive rate of the safeguarding phrase list on a labelled set.

Usage: python bench/bench_safeguarding.py [cases.yaml ...]
(default: tests/data/safeguarding_cases.yaml and the two held-out sets beside it)
Targets: recall >= 0.95, false-positive rate <= 0.10.

The main set was written together with the phrase list; the held-out sets were written
later, measured once as unseen text (recall 0.50 and 0.55 at first contact), and the
phrase list was then widened for the gaps they showed. Treat every figure here as a
regression check, and first-contact figures on new text as the honest estimate.
"""

from __future__ import annotations

import sys
import time
from collections import Counter
from pathlib import Path

import yaml

from codesign.privacy.safeguarding import check_risk

DATA = Path(__file__).resolve().parents[1] / "tests" / "data"
DEFAULTS = [DATA / "safeguarding_cases.yaml", DATA / "safeguarding_holdout.yaml", DATA / "safeguarding_holdout2.yaml"]


def main(path: Path) -> None:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    risk, near = data["risk"], data["near_miss"]
    started = time.perf_counter()
    found = [check_risk(c["text"]) for c in risk]
    false = [check_risk(t) for t in near]
    elapsed = time.perf_counter() - started
    hits = sum(r.has_risk for r in found)
    false_alarms = sum(r.has_risk for r in false)
    per_category: Counter[str] = Counter()
    per_category_hit: Counter[str] = Counter()
    right_category = right_tense = 0
    for case, result in zip(risk, found, strict=True):
        per_category[case["category"]] += 1
        if result.has_risk:
            per_category_hit[case["category"]] += 1
            right_category += case["category"] in result.categories
            right_tense += result.historical_only is bool(case.get("historical", False))
    recall = hits / len(risk)
    fpr = false_alarms / len(near)
    print(f"cases: {len(risk)} risk, {len(near)} near misses ({path})")
    print(f"recall: {recall:.3f} ({hits}/{len(risk)})  target >= 0.95: {'met' if recall >= 0.95 else 'NOT met'}")
    print(
        f"false-positive rate: {fpr:.3f} ({false_alarms}/{len(near)})  "
        f"target <= 0.10: {'met' if fpr <= 0.10 else 'NOT met'}"
    )
    print(
        f"right category when flagged: {right_category}/{hits}; right tense (historical or not): {right_tense}/{hits}"
    )
    for category, n in per_category.items():
        print(f"  {category:>16}: {per_category_hit[category]}/{n}")
    for case, result in zip(risk, found, strict=True):
        if not result.has_risk:
            print(f"  missed: {case['text']}")
    for text, result in zip(near, false, strict=True):
        if result.has_risk:
            print(f"  false alarm: {text} -> {', '.join(m.phrase for m in result.matches)}")
    print(f"time: {elapsed * 1000 / (len(risk) + len(near)):.2f} ms per sentence")


if __name__ == "__main__":
    for path in [Path(arg) for arg in sys.argv[1:]] or DEFAULTS:
        main(path)
        print()
