"""Session-state keys, in one place. Each browser tab has its own session state."""

from __future__ import annotations

import streamlit as st

FACILITATOR = "facilitator_signed_in"
# "cookie" when the day-long sign-in cookie signed this tab in (so it is checked again each run).
FACILITATOR_VIA = "facilitator_signed_in_by"
WORKSHOP_ID = "facilitator_workshop_id"
PARTICIPANT_WORKSHOP_ID = "participant_workshop_id"
FLASH = "flash_message"
DEVICE_TOKEN = "participant_device_token"  # noqa: S105 - a state key, not a secret

DEFAULTS: dict[str, object] = {
    FACILITATOR: False,
    FACILITATOR_VIA: None,
    WORKSHOP_ID: None,
    PARTICIPANT_WORKSHOP_ID: None,
    DEVICE_TOKEN: None,
}


def init() -> None:
    """Give every key its default once per session."""
    for key, value in DEFAULTS.items():
        st.session_state.setdefault(key, value)
