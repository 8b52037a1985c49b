"""Privacy and safeguarding for everything participants type: stories and ideas alike.

``prepare_text`` is the one entry point: it normalises the text, replaces identifying
details with labelled placeholders, flags likely personal names for review, and finds
risk language so the participant is shown support and the text stays off the wall
until a facilitator has reviewed it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from codesign.privacy.names import find_names
from codesign.privacy.normalise import for_storage
from codesign.privacy.profanity import has_strong_language
from codesign.privacy.redact import redact
from codesign.privacy.safeguarding import RiskMatch, check_risk, most_severe


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
    risk_matches: tuple[RiskMatch, ...] = ()
    """The risk phrases found, for the facilitator's private review."""
    risk_severity: str = ""
    """``urgent`` (a plan, an attempt, danger now), ``concern``, ``past``, or ``""`` (no risk)."""

    @property
    def has_risk(self) -> bool:
        return bool(self.risk_flags)

    @property
    def privacy_flags(self) -> tuple[str, ...]:
        """What the facilitator's queue shows: each redaction kind once, then each likely name."""
        kinds = tuple(dict.fromkeys(f"replaced: {label}" for label in self.redactions))
        return kinds + tuple(f"possible name: {name}" for name in self.name_flags)


def prepare_text(text: str, vocabulary: Iterable[str] = ()) -> PreparedText:
    """Normalise participant text for storage.

    Normalises (NFC, no invisible or control characters), replaces identifying details
    with labelled placeholders, flags likely personal names, checks for risk language
    and strong language. Risk is checked on what the participant typed, so a redaction
    cannot hide a risk phrase.

    Args:
        text: What the participant typed.
        vocabulary: The workshop's names of services and places, which are not personal names.

    Returns:
        The text to store, with what was found in it.
    """
    stored = for_storage(text)
    redaction = redact(stored)
    risk = check_risk(stored)
    return PreparedText(
        text=redaction.text,
        redactions=redaction.labels,
        name_flags=find_names(redaction.text, vocabulary),
        risk_flags=risk.categories,
        risk_historical_only=risk.historical_only,
        needs_attention=has_strong_language(stored),
        risk_matches=risk.matches,
        risk_severity=risk.severity,
    )


__all__ = ["PreparedText", "RiskMatch", "check_risk", "most_severe", "prepare_text"]
