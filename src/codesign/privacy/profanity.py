"""Strong language marks a story for the facilitator's attention. It decides nothing:
anger at a service is part of a true story."""

from __future__ import annotations

import re

from codesign.privacy.normalise import for_matching

# Word stems; a word starting with one of these counts ("fucking", "shite"). Kept short
# and British on purpose: it is a prompt to look, not a filter.
_STEMS = (
    "fuck", "fck", "f*ck", "shit", "sh*t", "cunt", "c*nt", "bastard", "bollock", "twat", "wanker", "arsehole",
    "asshole", "bellend", "dickhead", "motherf", "piss off", "pissed off", "bitch", "slag", "prick",
)  # fmt: skip
_PATTERN = re.compile(r"(?<![a-z])(?:" + "|".join(re.escape(s) for s in _STEMS) + r")")
# Leetspeak people use to dodge word lists.
_LEET = str.maketrans({"@": "a", "4": "a", "3": "e", "1": "i", "!": "i", "0": "o", "$": "s", "5": "s", "7": "t"})


def has_strong_language(text: str) -> bool:
    """True if ``text`` contains a word on the strong-language list (after folding and undoing leetspeak)."""
    folded = for_matching(text)
    return bool(_PATTERN.search(folded) or _PATTERN.search(folded.translate(_LEET)))
