"""Theme labels a room would keep: the participants' own words, acronyms spelt out once.

A label is the most central short phrase that the theme's quotable stories say (a clause of
three to eight words, close to the theme's centre, far from the other themes' centres and
using the theme's key phrases), so the board reads "No word from anyone while waiting"
rather than "Letter". When no quotable story offers one, the top key phrase is used.
Acronyms of the kit's vocabulary are spelt out the first time a label uses them:
"CMHT (community mental health team)".
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence

import numpy as np
from numpy.typing import NDArray

from codesign.themes import text as textnorm

Encoder = Callable[[Sequence[str]], NDArray[np.float32]]

MIN_PHRASE_WORDS = 3
MAX_PHRASE_WORDS = 8
MAX_PHRASE_CHARS = 60
# Only the most typical stories of a theme are read for a label: enough to find its voice,
# few enough to keep 1,000 long stories quick.
STORIES_READ = 25
# Weight of the nearest other theme's centre: a label should not fit a neighbour as well.
DISTINCT_WEIGHT = 0.6
KEY_PHRASE_BONUS = 0.08

# Well-known acronyms of UK health and care, for kits whose stakeholders do not spell them out.
KNOWN_ACRONYMS: Mapping[str, str] = {
    "GP": "family doctor",
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

_CLAUSE = re.compile(r"[.;:!?()\[\]\"\n\r\t•–—]+|,\s+(?:but|and|so|because|then)\s+|\s+but\s+")
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
        meaning = named.get(acronym) or KNOWN_ACRONYMS.get(acronym)
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
    """Short phrases of a story as written (3 to 8 words), for a label in its own words."""
    found = []
    for piece in _CLAUSE.split(text):
        piece = _LEADING.sub("", _EDGE.sub("", " ".join(piece.split())))
        n = len(piece.split())
        if MIN_PHRASE_WORDS <= n <= MAX_PHRASE_WORDS and len(piece) <= MAX_PHRASE_CHARS:
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
    """Per group, the most central short phrase its quotable stories say, or None.

    ``groups`` lists each group's story positions, most typical first; ``centres`` holds one
    unit vector per group in ``encode``'s space.
    """
    candidates: list[tuple[int, str]] = []
    for g, members in enumerate(groups):
        seen: set[str] = set()
        for i in [m for m in members if quotable[m]][:STORIES_READ]:
            for phrase in clauses(texts[i]):
                key = phrase.casefold()
                if key not in seen and textnorm.content_words(phrase):
                    seen.add(key)
                    candidates.append((g, phrase))
    best: list[tuple[float, str] | None] = [None] * len(groups)
    if not candidates:
        return [None] * len(groups)
    vectors = encode([p for _g, p in candidates])
    sims = vectors @ centres.T
    for row, (g, phrase) in enumerate(candidates):
        own = float(sims[row, g])
        others = np.delete(sims[row], g)
        nearest_other = float(others.max()) if len(others) else 0.0
        words = set(textnorm.content_words(phrase))
        hits = sum(1 for kp in key_phrases[g][:5] if set(kp.split()) <= words)
        score = own - DISTINCT_WEIGHT * nearest_other + KEY_PHRASE_BONUS * hits
        if hits == 0:
            score -= KEY_PHRASE_BONUS
        current = best[g]
        if current is None or score > current[0]:
            best[g] = (score, phrase)
    return [None if b is None else b[1] for b in best]
