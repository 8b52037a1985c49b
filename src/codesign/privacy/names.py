"""Likely personal names, flagged for review, never removed silently.

Nothing finds names reliably offline, so this does not pretend to: it flags capitalised
words that follow a cue such as "Dr", "nurse" or "my son called", unless they are in the
workshop's own vocabulary of services and places. The participant sees the flags in the
preview and the facilitator in the moderation queue; people decide.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from codesign.privacy.normalise import fold

_TITLES = r"(?:Dr|Doctor|Prof|Professor|Mr|Mrs|Ms|Miss|Mx|Nurse|Sister|Matron|Father|Reverend|Rev)\.?"
_ROLES = (
    r"(?:nurse|doctor|psychiatrist|psychologist|therapist|counsellor|counselor|social worker|care coordinator|"
    r"support worker|key worker|keyworker|peer supporter|health visitor|midwife|teacher|GP|consultant|"
    r"receptionist|worker|officer|manager|advisor|adviser|mentor|coach|pharmacist)"
)
_RELATIONS = (
    r"(?:son|daughter|husband|wife|partner|boyfriend|girlfriend|brother|sister|mum|mom|dad|mother|father|"
    r"grandson|granddaughter|nan|gran|grandad|grandma|grandpa|friend|neighbour|neighbor|child|baby|"
    r"uncle|aunt|auntie|cousin|nephew|niece|carer|stepdad|stepmum|ex)"
)
_NAME = r"([A-Z][a-z'’\-]+(?:\s+[A-Z][a-z'’\-]+)?)"
_CUES = (
    re.compile(rf"\b{_TITLES}\s+{_NAME}"),
    re.compile(rf"\b(?:[Mm]y|[Oo]ur|[Hh]is|[Hh]er|[Tt]heir|[Tt]he)\s+{_ROLES}\s+(?:called\s+|named\s+|was\s+)?{_NAME}"),
    re.compile(rf"\b(?:[Mm]y|[Oo]ur|[Hh]is|[Hh]er|[Tt]heir)\s+{_RELATIONS}\s+(?:called\s+|named\s+|,\s*)?{_NAME}"),
    re.compile(rf"\b(?:called|named|[Nn]ame is|[Nn]ame was|I'm|I am)\s+{_NAME}"),
)
# Capitalised words that follow those cues without being names.
_NOT_NAMES = frozenset(
    w.casefold()
    for w in (
        "I", "I'd", "I'm", "I've", "I'll",
        "A", "An", "The", "And", "But", "So", "Then", "When", "Who", "What", "It", "He", "She", "They", "We",
        "You", "His", "Her", "Their", "Our", "My", "This", "That", "There", "Not", "No", "Yes", "Just", "Still",
        "Really", "Very", "Always", "Never", "Sometimes", "Today", "Yesterday", "Tomorrow", "Monday", "Tuesday",
        "Wednesday", "Thursday", "Friday", "Saturday", "Sunday", "January", "February", "March", "April", "May",
        "June", "July", "August", "September", "October", "November", "December", "Christmas", "Easter", "English",
        "British", "Welsh", "Scottish", "Irish", "Muslim", "Christian", "Jewish", "Hindu", "Sikh", "Polish",
        "GP", "NHS", "A&E", "Doctor", "Nurse", "Mum", "Dad", "Nan", "Gran", "Sorry", "Thanks", "Please",
        "Ok", "Okay", "Only", "Also", "Because", "After", "Before", "At", "In", "On", "From", "With", "For", "Of",
        "To", "Sad", "Tired", "Fine", "Scared", "Anxious", "Depressed", "Lonely", "Happy", "Worried", "Angry",
        "Autistic", "Deaf", "Blind", "Disabled", "Black", "White", "Asian", "Trans", "Gay", "Lesbian",
    )
)  # fmt: skip


def find_names(text: str, vocabulary: Iterable[str] = ()) -> tuple[str, ...]:
    """Words in ``text`` that are likely personal names, each once, in order of appearance.

    Args:
        text: Participant text (storage form).
        vocabulary: The workshop's names of services, places and programmes.
    """
    known = {v.casefold() for v in vocabulary}
    known_words = {w for v in known for w in v.split()}
    folded = fold(text).text
    found: list[str] = []
    for cue in _CUES:
        for m in cue.finditer(folded):
            words = m.group(1).split()
            # Keep leading words that look like a name; stop at the first that does not.
            kept: list[str] = []
            for word in words:
                key = word.casefold().strip("'’-")
                if key in _NOT_NAMES or key in known or key in known_words:
                    break
                kept.append(word.strip("'’-"))
            name = " ".join(kept)
            if name and name.casefold() not in known and name not in found:
                found.append(name)
    return tuple(found)
