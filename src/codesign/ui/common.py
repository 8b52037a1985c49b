"""Shared pieces of the UI: the engine, the passcode gate, the current workshop, plain-text display."""

from __future__ import annotations

import hashlib
import json
import secrets
from collections.abc import Sequence
from typing import Any

import streamlit as st
from sqlalchemy import Engine

from codesign import workshops
from codesign.errors import NotFoundError, StorageUnavailable, ThrottledError
from codesign.models import Stage, Workshop
from codesign.ui import signin_route, state
from codesign.workshops import links
from codesign.workshops.kits import Kit


@st.cache_resource(show_spinner=False)
def _engine_for(url: str) -> Engine:
    # Keyed by URL: AppTest runs many apps in one process, each with its own database.
    return workshops.open_database(url)


def engine() -> Engine:
    """The app's engine, schema upgraded; stops the page with one clear line if unreachable."""
    try:
        return _engine_for(workshops.database_url())
    except StorageUnavailable as exc:
        st.error(str(exc))
        st.stop()
        raise  # unreachable: st.stop() raises


def client_key() -> str:
    """Who is knocking, for throttling: the address the connection came from, else this browser session.

    The address is the TCP peer's, or the client address named by a proxy listed in
    ``CODESIGN_TRUSTED_PROXIES`` (``ui.serve`` tells the web server which proxies to believe);
    a forged ``X-Forwarded-For`` from anyone else is ignored. Loopback counts as an address
    too (``st.context.ip_address`` hides it), so a new browser session per guess from this
    machine is still one client. Only AppTest, which has no connection, falls back to the session.
    """
    ip = _peer_address()
    if ip:
        return "ip:" + hashlib.sha256(ip.encode()).hexdigest()[:24]
    session = st.session_state.setdefault("_client_session", secrets.token_hex(12))
    return f"session:{session}"


def _peer_address() -> str | None:
    try:
        # The raw peer, loopback included; st.context.ip_address maps loopback to None.
        from streamlit.runtime.context import _get_client_context

        context = _get_client_context()
        remote = getattr(context, "remote_ip", None) if context is not None else None
    except Exception:
        remote = None
    if isinstance(remote, str) and remote:
        return remote
    try:
        ip = st.context.ip_address
    except Exception:
        return None
    return ip if isinstance(ip, str) and ip else None


def _secrets_passcode() -> str | None:
    try:
        value = st.secrets.get("facilitator_passcode")
    except Exception:
        return None
    return str(value) if value else None


def is_facilitator() -> bool:
    """Signed in: in this tab, or by the day-long sign-in cookie (checked on every run)."""
    if st.session_state.get(state.FACILITATOR) and st.session_state.get(state.FACILITATOR_VIA) != "cookie":
        return True
    try:
        value = st.context.cookies.get(workshops.signin.COOKIE_NAME)
    except Exception:
        value = None
    ok = bool(value) and workshops.check_facilitator_cookie(engine(), value, secrets_value=_secrets_passcode())
    st.session_state[state.FACILITATOR] = ok
    st.session_state[state.FACILITATOR_VIA] = "cookie" if ok else None
    return ok


def _signed_in() -> None:
    """After the right passcode: sign this tab in, and, where the server can, the browser for the day."""
    st.session_state[state.FACILITATOR] = True
    st.session_state[state.FACILITATOR_VIA] = None
    if not signin_route.installed():
        st.rerun()
    value = workshops.facilitator_cookie(engine(), secrets_value=_secrets_passcode())
    target = signin_route.signin_url(signin_route.issue_ticket(value), "/workshops")
    # The browser leaves for the sign-in route, which sets the cookie and comes straight back
    # to the screen it was on (the route accepts a path on this site only).
    script = (
        f"const target = new URL({json.dumps(target)}, window.location.href);"
        "target.searchParams.set('next', window.location.pathname + window.location.search);"
        "window.location.replace(target.toString());"
    )
    st.html(f"<script>{script}</script>", unsafe_allow_javascript=True)
    st.link_button("Continue", target, type="primary")
    st.stop()


def sign_out_button() -> None:
    """Sign out of this browser (the day-long cookie too), in the sidebar of facilitator screens."""
    if st.sidebar.button("Sign out", key="facilitator_sign_out", icon=":material/logout:"):
        st.session_state[state.FACILITATOR] = False
        st.session_state[state.FACILITATOR_VIA] = None
        if signin_route.installed():
            target = json.dumps(signin_route.signout_url())
            st.html(f"<script>window.location.replace({target});</script>", unsafe_allow_javascript=True)
            st.stop()
        st.rerun()


def require_facilitator() -> None:
    """Show the passcode form and stop the page unless this session has signed in."""
    state.init()
    if is_facilitator():
        sign_out_button()
        return
    st.title("Facilitator sign-in")
    st.write("This screen is for the workshop's facilitators. Participants: use the join link or code on the screen.")
    with st.form("signin"):
        attempt = st.text_input("Facilitator passcode", type="password")
        submitted = st.form_submit_button("Sign in", type="primary")
    if submitted:
        try:
            ok = workshops.check_passcode(engine(), attempt, client_key=client_key(), secrets_value=_secrets_passcode())
        except ThrottledError as exc:
            st.error(str(exc))
        else:
            if ok:
                _signed_in()
            st.error(workshops.WRONG_PASSCODE)
    st.page_link("pages/join.py", label="Taking part? Go to the join page", icon=":material/waving_hand:")
    st.stop()


def current_workshop(*, sidebar: bool = True) -> Workshop | None:
    """The workshop the facilitator is working on, chosen in the sidebar."""
    state.init()
    eng = engine()
    all_workshops = workshops.list_workshops(eng)
    if not all_workshops:
        return None
    ids = [w.id for w in all_workshops]
    chosen = st.session_state.get(state.WORKSHOP_ID)
    if chosen not in ids:
        opened = [w for w in all_workshops if w.is_open]
        chosen = (opened or all_workshops)[0].id
        st.session_state[state.WORKSHOP_ID] = chosen
    by_id = {w.id: w for w in all_workshops}
    if sidebar:
        # The widget has its own key: Streamlit drops a widget's state when the page changes,
        # so the choice itself lives in a plain session key that survives page switches.
        picked = st.sidebar.selectbox(
            "Workshop",
            ids,
            index=ids.index(chosen),
            format_func=lambda i: f"{by_id[i].title} ({by_id[i].code})",
            key=f"workshop_picker_{chosen}",
        )
        if picked != chosen:
            st.session_state[state.WORKSHOP_ID] = picked
            st.rerun()
        if is_facilitator():
            from codesign.ui import safeguarding_alert

            with st.sidebar:
                safeguarding_alert.render(eng, chosen, compact=True)
    return by_id[chosen]


def require_workshop() -> Workshop:
    """The current workshop, or a friendly stop if there is none yet."""
    workshop = current_workshop()
    if workshop is None:
        st.info("There are no workshops yet. Create one on the Workshops screen.")
        st.page_link("pages/workshops.py", label="Go to Workshops", icon=":material/dashboard:")
        st.stop()
        raise NotFoundError("no workshop")  # unreachable
    return workshop


def kit_of(workshop: Workshop) -> Kit:
    return workshops.kit_of(engine(), workshop)


def join_url(code: str) -> str:
    """The join link for a workshop, on the port this server really uses."""
    port = st.get_option("server.port")
    return links.join_url(code, links.base_url(int(port) if port else None))


def flash(message: str, kind: str = "success", *, rerun: bool = True) -> None:
    """Say something after the rerun that an action needs (a message shown before st.rerun is lost)."""
    st.session_state[state.FLASH] = (kind, message)
    if rerun:
        st.rerun()


def show_flash() -> None:
    """Show the message left by flash(), once."""
    kind, message = st.session_state.pop(state.FLASH, None) or ("", "")
    if message:
        (st.error if kind == "error" else st.success)(message)


def stage_selectbox(stages: Sequence[Stage], key: str, where: Any = st) -> int:
    """Pick one of the workshop's stages by name; returns its id."""
    names = {s.id: s.name for s in stages}
    return int(where.selectbox("Stage", list(names), format_func=names.__getitem__, key=key))


def plain(text: str) -> None:
    """Participant text, shown literally: never markdown, never HTML."""
    st.text(text)
