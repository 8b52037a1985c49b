"""Theme labels a room would keep: the participants' own words, acronyms spelt out once.

A label is the most central short phrase that the theme's quotable stories say (a clause of
three to eight words, close to the theme's centre, far from the other themes' centres and
using the theme's key phrases), so the board reads "No word from anyone while waiting"
rather than "Letter". When no quotable story offers one, the top key phrase is used.
Acronyms of the kit's vocabulary are spelt out the first time a label uses them:
"CMHT (community mental health team)".
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence

import numpy as np
from numpy.typing import NDArray

from codesign.themes import text as textnorm

Encoder = Callable[[Sequence[str]], NDArray[np.float32]]

MIN_PHRASE_WORDS = 3
MAX_PHRASE_WORDS = 10
MAX_PHRASE_CHARS = 70
# Only the most typical stories of a theme are read for a label: enough to find its voice,
# few enough to keep 1,000 long stories quick.
STORIES_READ = 25
# Nearness to the theme's centre counts beside the shared words; the nearest other theme's
# centre counts against: a label should not fit a neighbour as well.
CENTRE_WEIGHT = 1.0
DISTINCT_WEIGHT = 0.6

# Well-known acronyms of UK health and care, for kits whose stakeholders do not spell them out.
KNOWN_ACRONYMS: Mapping[str, str] = {
    "GP": "family doctor",
    "NHS": "",
    "A&E": "accident and emergency",
    "CMHT": "community mental health team",
    "SPA": "single point of access",
    "IAPT": "NHS Talking Therapies",
    "CBT": "cognitive behavioural therapy",
    "CRHT": "crisis resolution and home treatment team",
    "ICB": "integrated care board",
    "DWP": "Department for Work and Pensions",
    "PIP": "Personal Independence Payment",
    "ESA": "Employment and Support Allowance",
    "CAMHS": "child and adolescent mental health services",
    "SENCO": "special educational needs coordinator",
    "EHCP": "education, health and care plan",
}

_CLAUSE = re.compile(
    r"[.;:!?()\[\]\"\n\r\t•–—]+|,|\s+(?:and|but|so|because|then|when|until|which|while I|after I|before I)\s+",
    re.IGNORECASE,
)
# Stop words a phrase may still end on: "telling my story again", "someone who had been there".
END_WORDS = frozenset({"me", "us", "them", "anyone", "nobody", "again", "there", "too", "alone", "enough"})
_EDGE = re.compile(r"^[\s,'’\-]+|[\s,'’\-]+$")
_LEADING = re.compile(r"^(?:and|but|so|because|then|also|just|which|that)\s+", re.IGNORECASE)


def kit_glossary(vocabulary: Iterable[str], stakeholders: Iterable[tuple[str, Sequence[str]]]) -> dict[str, str]:
    """Acronym -> what it stands for, for the acronyms of a kit's vocabulary.

    A stakeholder whose aliases include the acronym gives its name ("CMHT" -> "community
    mental health team"); otherwise ``KNOWN_ACRONYMS`` does; an acronym neither explains is left out.
    """
    acronyms = [v for v in vocabulary if _is_acronym(v)]
    named: dict[str, str] = {}
    for name, aliases in stakeholders:
        for alias in aliases:
            if _is_acronym(alias) and alias.casefold() != name.casefold():
                named.setdefault(alias, name[:1].lower() + name[1:] if not _is_acronym(name.split()[0]) else name)
    out = {}
    for acronym in acronyms:
        # A plain meaning first; a stakeholder's name only when it does not just repeat the
        # acronym ("GP practice" does not say what a GP is).
        by_name = named.get(acronym, "")
        if acronym.casefold() in by_name.casefold().split():
            by_name = ""
        meaning = KNOWN_ACRONYMS.get(acronym) or by_name
        if meaning:
            out[acronym] = meaning
    return out


def _is_acronym(word: str) -> bool:
    letters = [c for c in word if c.isalpha()]
    return 2 <= len(letters) <= 6 and " " not in word and all(c.isupper() for c in letters)


def spell_out(label: str, glossary: Mapping[str, str], spelt: set[str]) -> str:
    """Spell out each glossary acronym the first time any label uses it (``spelt`` remembers)."""
    out = label
    for acronym, meaning in glossary.items():
        pattern = re.compile(rf"(?<![\w&]){re.escape(acronym)}(?![\w&])")
        if acronym in spelt or not pattern.search(out) or meaning.casefold() in out.casefold():
            continue
        out = pattern.sub(f"{acronym} ({meaning})", out, count=1)
        spelt.add(acronym)
    return out


def clauses(text: str) -> list[str]:
    """Short phrases of a story as written, for a label in its own words: its clauses, cut at
    punctuation and at words that join two thoughts ("and", "but", "because", "when"...), that
    have 3 to 10 words. Whole pieces only, so a label never ends mid-thought."""
    found = []
    for piece in _CLAUSE.split(text):
        piece = _LEADING.sub("", _EDGE.sub("", " ".join(piece.split())))
        tokens = piece.split()
        if not (MIN_PHRASE_WORDS <= len(tokens) <= MAX_PHRASE_WORDS and len(piece) <= MAX_PHRASE_CHARS):
            continue
        # "People who use services be" stops mid-thought: a label ends on a word that means something.
        if textnorm.content_words(tokens[-1]) or tokens[-1].lower().strip("'’") in END_WORDS:
            found.append(piece)
    return found


def central_phrases(
    texts: Sequence[str],
    groups: Sequence[Sequence[int]],
    quotable: Sequence[bool],
    key_phrases: Sequence[Sequence[str]],
    encode: Encoder,
    centres: NDArray[np.float32],
) -> list[str | None]:
    """Per group, the short phrase of its quotable stories that best says what they share, or None.

    A phrase scores by the words the group's stories have in common and the rest of the stories
    do not (each word weighted by its share of the group's stories times its rarity overall,
    relative to the group's strongest word), plus its nearness to the group's centre, minus its
    nearness to the closest other group. ``groups`` lists each group's story positions, most
    typical first; ``centres`` holds one unit vector per group in ``encode``'s space.
    """
    word_sets = [set(textnorm.content_words(t)) for t in texts]
    everywhere: Counter[str] = Counter()
    for words in word_sets:
        everywhere.update(words)
    n = max(len(texts), 1)
    weights: list[dict[str, float]] = []
    for members in groups:
        inside: Counter[str] = Counter()
        for i in members:
            inside.update(word_sets[i])
        size = max(len(members), 1)
        w = {word: (df / size) * math.log(1 + n / everywhere[word]) for word, df in inside.items() if df >= 2}
        top = max(w.values(), default=1.0)
        weights.append({word: value / top for word, value in w.items()})
    candidates: list[tuple[int, str, float]] = []
    for g, members in enumerate(groups):
        seen: set[str] = set()
        for i in [m for m in members if quotable[m]][:STORIES_READ]:
            for phrase in clauses(texts[i]):
                key = phrase.casefold()
                words = set(textnorm.content_words(phrase))
                if key in seen or not words:
                    continue
                seen.add(key)
                shared = sorted((weights[g].get(word, 0.0) for word in words), reverse=True)
                # The two strongest shared words carry the phrase; a third helps a little; more
                # words than that dilute it.
                coverage = sum(shared[:2]) + 0.5 * sum(shared[2:3]) - 0.1 * max(len(words) - 3, 0)
                if shared[0] > 0:
                    candidates.append((g, phrase, coverage))
    if not candidates:
        return [None] * len(groups)
    vectors = encode([p for _g, p, _c in candidates])
    sims = vectors @ centres.T
    best: list[tuple[float, str] | None] = [None] * len(groups)
    for row, (g, phrase, coverage) in enumerate(candidates):
        own = float(sims[row, g])
        others = np.delete(sims[row], g)
        nearest_other = float(others.max()) if len(others) else 0.0
        score = coverage + CENTRE_WEIGHT * (own - DISTINCT_WEIGHT * nearest_other)
        current = best[g]
        if current is None or score > current[0]:
            best[g] = (score, phrase)
    return [None if b is None else b[1] for b in best]
