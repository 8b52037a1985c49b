"""What a withdrawal leaves of a story's words elsewhere: the rules, no database here.

A theme found by clustering is named after words its stories use. When a story is withdrawn,
any such name with a word of that story that no story left in the theme uses came from the
withdrawn story (it may since have been moved to another theme) and goes with it. Items on
the journey map or blueprint that repeat such a name are rewritten to match.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

UNNAMED_THEME = "Theme to rename"
"""The name given to a theme whose name came from a withdrawn story only."""

_WORD = re.compile(r"[\w']+", re.UNICODE)


def _words(text: str) -> set[str]:
    return {w.lower() for w in _WORD.findall(text)}


def label_after_withdrawal(label: str, withdrawn_text: str, remaining_texts: Sequence[str]) -> str:
    """A theme's name once a story is withdrawn: kept unless it uses that story's words alone.

    Args:
        label: The theme's name, made by clustering from its stories' words.
        withdrawn_text: Everything the withdrawn story said (all its fields).
        remaining_texts: The texts of the stories in the theme now.

    Returns:
        ``label`` itself, or ``UNNAMED_THEME`` when one of its words is in the withdrawn story
        and in no story left in the theme.
    """
    wanted = _words(re.sub(r"\(\d+\)", " ", label)) & _words(withdrawn_text)
    if not wanted:
        return label
    have: set[str] = set()
    for text in remaining_texts:
        have |= _words(text)
    return label if wanted <= have else UNNAMED_THEME


def rewrite_item(text: str, renamed: dict[str, str]) -> str:
    """An item's text with every old theme name in it replaced by the theme's new one (any case)."""
    for old, new in renamed.items():
        if old and old != new:
            text = re.sub(re.escape(old), new, text, flags=re.IGNORECASE)
    return text
