"""Normalising participant text: one form to store, another to match patterns against.

Stored text is Unicode NFC with invisible characters removed. Patterns are matched on a
*folded* copy (NFKC per character, so full-width digits become ASCII digits) that keeps a
map back to the stored text, so a match found in the folded copy can be replaced in the
stored one. A zero-width space inside an NHS number would otherwise defeat every pattern.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

# Zero-width characters, the soft hyphen, word joiners and bidi controls: invisible on
# screen, so they can hide a number from a pattern or reorder text on the projector.
INVISIBLE = re.compile(
    "[\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f\u202a-\u202e"
    "\u2060-\u206f\u3164\ufe00-\ufe0f\ufeff\uffa0]"
)
# Control characters other than tab and newline (the Word report refuses them too).
CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]")
SURROGATE = re.compile("[\ud800-\udfff]")


def for_storage(text: str) -> str:
    """The form of participant text that is stored: NFC, no invisible or control characters.

    Line breaks are kept (as ``\\n``), runs of spaces are kept (people type what they type),
    and the ends are stripped.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = SURROGATE.sub("", text)
    text = INVISIBLE.sub("", text)
    text = CONTROL.sub("", text)
    return unicodedata.normalize("NFC", text).strip()


@dataclass(frozen=True)
class Folded:
    """Text folded for matching, with the index in the original text of every folded character."""

    text: str
    origin: tuple[int, ...]

    def span_in_original(self, start: int, end: int) -> tuple[int, int]:
        """The original text's span that folded characters ``start:end`` came from."""
        return self.origin[start], self.origin[end - 1] + 1


def fold(text: str) -> Folded:
    """NFKC, character by character, keeping a map back to ``text`` (case is kept).

    Args:
        text: Text already in storage form (see ``for_storage``).
    """
    out: list[str] = []
    origin: list[int] = []
    for i, ch in enumerate(text):
        folded = unicodedata.normalize("NFKC", ch) if not ch.isascii() else ch
        folded = INVISIBLE.sub("", folded)
        out.append(folded)
        origin.extend([i] * len(folded))
    return Folded("".join(out), tuple(origin))


def for_matching(text: str) -> str:
    """Text as risk and word lists see it: NFKC, case-folded, invisible characters gone,
    curly apostrophes straightened and whitespace collapsed."""
    text = INVISIBLE.sub("", unicodedata.normalize("NFKC", for_storage(text))).casefold()
    text = text.replace("\u2019", "'").replace("\u2018", "'").replace("`", "'")
    return " ".join(text.split())
