"""The participant's side: which workshop this phone joined, and its anonymous device token."""

from __future__ import annotations

import streamlit as st

from codesign.ui import state
from codesign.workshops import devices as participants

DEVICE_PARAM = "d"


def device_token() -> str:
    """This phone's anonymous token.

    Kept in the page address (``?code=...&d=...``) as well as the session, so a reload
    or a dropped connection keeps the same token: one vote budget and one rate limit
    per phone, with no account and no cookie.
    """
    state.init()
    token = st.session_state.get(state.DEVICE_TOKEN)
    if not token:
        from_link = st.query_params.get(DEVICE_PARAM, "")
        token = from_link if participants.is_device_token(from_link) else participants.new_device_token()
        st.session_state[state.DEVICE_TOKEN] = token
    if st.query_params.get(DEVICE_PARAM) != token:
        st.query_params[DEVICE_PARAM] = token
    return str(token)


def device_hash() -> str:
    return participants.hash_device(device_token())
