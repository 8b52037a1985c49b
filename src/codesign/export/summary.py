"""The report's first pages: who took part, what the room found, what it supports, and what it will do.

Pure functions over values the service has already loaded and filtered by the report's
privacy rules. Each person is counted once: a phone that told stories under two lenses
counts under the lens it used most (on a tie, the lens listed first in the kit), so the
lens counts add up to the number of participants.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

NOT_GIVEN = "Not given"
TOP_FINDINGS = 5
TOP_IDEAS = 3
# Fewer ratings than this at a stage is called thin evidence in the report.
THIN_EVIDENCE = 3


@dataclass(frozen=True)
class Finding:
    """Something the room found, with how many stories support it."""

    kind: str
    """"theme" or "pain_point"."""
    target_id: int
    text: str
    evidence: int


@dataclass(frozen=True)
class SupportedIdea:
    text: str
    dots: int
    voters: int
    lenses: str
    """Which lenses gave it dots, in words ("lived experience 5, staff 2")."""


@dataclass(frozen=True)
class ActionLine:
    number: int
    text: str
    owner: str
    due: str
    measure: str
    status: str
    answers: tuple[str, ...]


@dataclass(frozen=True)
class YouSaid:
    said: str
    evidence: int
    we_will: tuple[str, ...]
    """The actions that answer it, as "Action 2: ..."; empty when it is not yet answered."""


@dataclass(frozen=True)
class Summary:
    participants: int
    by_lens: tuple[tuple[str, int], ...]
    stories: int
    findings: tuple[Finding, ...]
    ideas: tuple[SupportedIdea, ...]
    common_ground: tuple[str, ...]
    missing_lenses: tuple[str, ...]

    @property
    def lens_total(self) -> int:
        return sum(n for _lens, n in self.by_lens)


def people_by_lens(
    lenses_of_device: Mapping[str, Sequence[str | None]], lens_names: Sequence[tuple[str, str]]
) -> tuple[tuple[str, int], ...]:
    """How many people took part under each lens, each person (phone) counted once.

    Args:
        lenses_of_device: For each device, the lens key of each story it told (None: not given).
        lens_names: The workshop's lenses as (key, name), in the kit's order.

    Returns:
        (lens name, people) for each lens with anyone in it, in the kit's order, then
        "Not given"; the counts add up to the number of devices.
    """
    order = {key: n for n, (key, _name) in enumerate(lens_names)}
    name = dict(lens_names)
    counts: Counter[str] = Counter()
    for used in lenses_of_device.values():
        if not used:
            continue
        tally = Counter(used)
        # Most stories first; a tie goes to the lens listed first, and "not given" loses every tie.
        main = min(tally, key=lambda k: (-tally[k], k is None, order.get(k or "", len(order))))
        counts[name.get(main, NOT_GIVEN) if main is not None else NOT_GIVEN] += 1
    names = [n for _k, n in lens_names] + [NOT_GIVEN]
    return tuple((n, counts[n]) for n in dict.fromkeys(names) if counts.get(n))


def top_findings(candidates: Iterable[Finding], n: int = TOP_FINDINGS) -> tuple[Finding, ...]:
    """The findings with the most evidence, themes before pain points on a tie, then in the given order."""
    ranked = sorted(enumerate(candidates), key=lambda pair: (-pair[1].evidence, pair[1].kind != "theme", pair[0]))
    return tuple(f for _i, f in ranked if f.evidence > 0)[:n]


def you_said(findings: Sequence[Finding], answers: Mapping[tuple[str, int], Sequence[str]]) -> tuple[YouSaid, ...]:
    """Each finding with the actions that answer it (keyed by (kind, id)), or none yet."""
    return tuple(YouSaid(f.text, f.evidence, tuple(answers.get((f.kind, f.target_id), ()))) for f in findings)


def missing_lenses(lens_names: Sequence[tuple[str, str]], by_lens: Sequence[tuple[str, int]]) -> tuple[str, ...]:
    """The kit's lenses nobody took part under."""
    present = {name for name, n in by_lens if n}
    return tuple(name for _key, name in lens_names if name not in present)


def shorten(text: str, limit: int) -> str:
    """Text cut at a word boundary with "…" when longer than ``limit`` characters."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    if " " in cut[limit // 2 :]:
        cut = cut[: cut.rindex(" ")]
    return cut.rstrip(" ,;:.-") + "…"
