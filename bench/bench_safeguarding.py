# ruff: noqa: E501 - report lines read better whole
"""Recall and false-positive rate of the safeguarding check, per category, on the test part.

Usage:
    python bench/bench_safeguarding.py            # the test part (never tuned on)
    python bench/bench_safeguarding.py --show     # ... and list what it missed and its false alarms
    python bench/bench_safeguarding.py --tune     # the tuning part, and the similarity threshold sweep

The labelled set is split by phrasing family (see tests/data/safeguarding_test.yaml): the
tuning part (safeguarding_tune.yaml and the three older sets) is what the phrase families,
the prototype bank and the similarity threshold were chosen on; the test part was written
before any tuning and is never used to tune. Targets on the test part: recall >= 0.95
overall and >= 0.90 in every category, false-positive rate <= 0.10 on near misses.

"Recall" counts a disclosure as caught when the check flags it at all (the participant sees
support and the facilitator is told); "right category" and "severity" say how well the flag
describes it. Time is measured with the embedding model already loaded (it loads once per
process, on the first story; the load time is printed separately).
"""

from __future__ import annotations

import argparse
import time
from dataclasses import dataclass
from pathlib import Path

import yaml

from codesign.privacy import prototypes
from codesign.privacy.risk_phrases import ABUSE, CATEGORIES, DOMESTIC_VIOLENCE, URGENT
from codesign.privacy.safeguarding import PAST, RiskCheck, check_risk, sentences, similarity_eligible
from codesign.themes.embedding import load_static_model

DATA = Path(__file__).resolve().parents[1] / "tests" / "data"
TEST = [DATA / "safeguarding_test.yaml"]
TUNE = [
    DATA / f
    for f in (
        "safeguarding_tune.yaml",
        "safeguarding_cases.yaml",
        "safeguarding_holdout.yaml",
        "safeguarding_holdout2.yaml",
    )
]
TARGET_RECALL, TARGET_CATEGORY_RECALL, TARGET_FPR = 0.95, 0.90, 0.10
# The rule for the similarity threshold: the most recall the signal gives on its own while
# raising no false alarm at all on the tuning part's near misses. (A first rule allowed 2%;
# it was replaced, on the tuning part alone, when it raised false alarms there.)
SIMILARITY_FPR_BUDGET = 0.0


@dataclass(frozen=True)
class Case:
    text: str
    category: str
    severity: str = ""
    historical: bool = False


def load(paths: list[Path]) -> tuple[list[Case], list[Case]]:
    risk: list[Case] = []
    near: list[Case] = []
    for path in paths:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        for c in data["risk"]:
            historical = bool(c.get("historical", False))
            risk.append(Case(c["text"], c["category"], c.get("severity", PAST if historical else ""), historical))
        for c in data["near_miss"]:
            near.append(Case(c, "none") if isinstance(c, str) else Case(c["text"], c.get("near", "none")))
    return risk, near


def right_category(case: Case, result: RiskCheck) -> bool:
    # The older sets file partner violence under abuse.
    accepted = {case.category} | ({DOMESTIC_VIOLENCE} if case.category == ABUSE else set())
    return bool(accepted & set(result.categories))


def report(risk: list[Case], near: list[Case], *, similarity: bool, show: bool) -> None:
    started = time.perf_counter()
    found = [check_risk(c.text, similarity=similarity) for c in risk]
    false = [check_risk(c.text, similarity=similarity) for c in near]
    elapsed = time.perf_counter() - started
    hits = sum(r.has_risk for r in found)
    alarms = sum(r.has_risk for r in false)
    recall = hits / len(risk)
    fpr = alarms / len(near)
    label = "phrase families and similarity" if similarity else "phrase families alone"
    print(f"--- {label}: {len(risk)} disclosures, {len(near)} near misses")
    print(
        f"recall: {recall:.3f} ({hits}/{len(risk)})  target >= {TARGET_RECALL}: {'met' if recall >= TARGET_RECALL else 'NOT met'}"
    )
    print(
        f"false-positive rate: {fpr:.3f} ({alarms}/{len(near)})  target <= {TARGET_FPR}: {'met' if fpr <= TARGET_FPR else 'NOT met'}"
    )
    print(f"{'category':>18}  {'recall':>13}  {'right category':>14}  {'near-miss FPR':>13}")
    for category in CATEGORIES:
        rows = [(c, r) for c, r in zip(risk, found, strict=True) if c.category == category]
        nears = [r for c, r in zip(near, false, strict=True) if c.category == category]
        if not rows:
            continue
        caught = sum(r.has_risk for _, r in rows)
        named = sum(right_category(c, r) for c, r in rows)
        flag = "" if caught / len(rows) >= TARGET_CATEGORY_RECALL else "  NOT met"
        near_text = f"{sum(r.has_risk for r in nears)}/{len(nears)}" if nears else "-"
        print(
            f"{category:>18}  {caught / len(rows):.3f} ({caught:>3}/{len(rows):<3})  {named:>6}/{len(rows):<7}  {near_text:>13}{flag}"
        )
    other = [r for c, r in zip(near, false, strict=True) if c.category not in CATEGORIES]
    if other:
        print(f"{'everyday stories':>18}  {'':>13}  {'':>14}  {sum(r.has_risk for r in other)}/{len(other):<5}")
    graded = [(c, r) for c, r in zip(risk, found, strict=True) if c.severity and r.has_risk]
    if graded:
        urgent_cases = [r for c, r in graded if c.severity == URGENT]
        urgent_right = sum(r.severity == URGENT for r in urgent_cases)
        not_urgent = [r for c, r in graded if c.severity != URGENT]
        over = sum(r.severity == URGENT for r in not_urgent)
        tense = sum((r.severity == PAST) == (c.severity == PAST) for c, r in graded)
        print(
            f"severity, of those flagged: urgent called urgent {urgent_right}/{len(urgent_cases)}; "
            f"not urgent called urgent {over}/{len(not_urgent)}; past-or-not right {tense}/{len(graded)}"
        )
    print(f"time: {elapsed * 1000 / (len(risk) + len(near)):.2f} ms per sentence (model loaded)")
    if show:
        for case, result in zip(risk, found, strict=True):
            if not result.has_risk:
                print(f"  missed [{case.category}]: {case.text}")
        for case, result in zip(near, false, strict=True):
            if result.has_risk:
                print(
                    f"  false alarm [{case.category}]: {case.text} -> {', '.join(f'{m.source}: {m.phrase}' for m in result.matches)}"
                )


def story_time(risk: list[Case], near: list[Case]) -> None:
    """Time per story of five sentences, the length of a typical shared story."""
    texts = [c.text for c in risk + near]
    stories = [" ".join(texts[i : i + 5]) for i in range(0, len(texts) - 4, 5)]
    started = time.perf_counter()
    for story in stories:
        check_risk(story)
    elapsed = time.perf_counter() - started
    print(f"time per story of five sentences: {elapsed * 1000 / len(stories):.2f} ms ({len(stories)} stories)")


def sweep(risk: list[Case], near: list[Case]) -> None:
    """The similarity signal on its own, on the tuning part: recall and FPR by threshold."""

    def best(cases: list[Case]) -> list[tuple[float, float]]:
        out = []
        for case in cases:
            eligible = [s for s in sentences(case.text) if similarity_eligible(s)]
            if not eligible:
                out.append((0.0, -1.0))
                continue
            to_risk, to_safe, _ = prototypes.scores(eligible)
            out.append((float(to_risk.max()), float((to_risk - to_safe).max())))
        return out

    r, n = best(risk), best(near)
    print("--- similarity signal alone on the tuning part (floor, margin: recall, FPR)")
    chosen = (0.0, 0.0, -1.0)
    for floor in [x / 100 for x in range(55, 86, 5)]:
        line = []
        for margin in [x / 100 for x in range(0, 21, 4)]:
            rec = sum(a >= floor and b >= margin for a, b in r) / len(r)
            fp = sum(a >= floor and b >= margin for a, b in n) / len(n)
            line.append(f"{margin:.2f}: {rec:.3f}/{fp:.3f}")
            if fp <= SIMILARITY_FPR_BUDGET and rec > chosen[2]:
                chosen = (floor, margin, rec)
        print(f"  floor {floor:.2f}  " + "  ".join(line))
    print(
        f"chosen by the rule (most recall with FPR <= {SIMILARITY_FPR_BUDGET}): floor {chosen[0]:.2f}, margin {chosen[1]:.2f}"
    )
    print(f"in use: floor {prototypes.FLOOR:.2f}, margin {prototypes.MARGIN:.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--tune", action="store_true", help="report on the tuning part and sweep the similarity threshold"
    )
    parser.add_argument("--show", action="store_true", help="list misses and false alarms")
    args = parser.parse_args()
    started = time.perf_counter()
    load_static_model()
    prototypes.nearest_disclosures(["warm up"])
    print(f"embedding model and prototype bank loaded in {time.perf_counter() - started:.2f} s (once per process)")
    paths = TUNE if args.tune else TEST
    print(f"part: {'tuning' if args.tune else 'test (never tuned on)'}: {', '.join(p.name for p in paths)}")
    risk, near = load(paths)
    report(risk, near, similarity=False, show=False)
    report(risk, near, similarity=True, show=args.show)
    story_time(risk, near)
    if args.tune:
        sweep(risk, near)


if __name__ == "__main__":
    main()
