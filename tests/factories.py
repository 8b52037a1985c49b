"""Factories for domain values: one per model, overrides for what a test cares about."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime
from typing import Any

from codesign.models import Story

_next_id = itertools.count(1)


def make_story(**overrides: Any) -> Story:
    """An approved, quotable, unflagged story; override any field."""
    fields: dict[str, Any] = {
        "id": next(_next_id),
        "workshop_id": 1,
        "text": "A synthetic story for the tests.",
        "stage_key": "waiting",
        "lens_key": "lived_experience",
        "emotion": 3,
        "helped": "",
        "would_have_helped": "",
        "strengths": "",
        "consent": "anonymous_quote",
        "moderation_status": "approved",
        "risk_flags": (),
        "risk_historical_only": False,
        "risk_reviewed": False,
        "privacy_flags": (),
        "needs_attention": False,
        "source": "participant",
        "created_at": datetime(2026, 1, 1, tzinfo=UTC),
    }
    fields.update(overrides)
    return Story(**fields)
