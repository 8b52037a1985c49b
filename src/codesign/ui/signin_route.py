"""Two small HTTP routes that give the facilitator's sign-in a cookie: ``/_codesign/signin`` and ``/_codesign/signout``.

Streamlit runs the page over a WebSocket, so a script cannot set a cookie. After the
passcode form succeeds, the page hands the browser a one-time ticket (60 s, used once,
kept only in this process's memory) and sends it to ``/_codesign/signin?ticket=...``,
which answers with a signed, HttpOnly, SameSite=Strict cookie and a redirect back. Every
page run reads the cookie (``st.context.cookies``) and checks its signature, age and
passcode fingerprint (``workshops.check_facilitator_cookie``). The passcode itself never
goes into an address.

``install()`` adds the routes to the server Streamlit builds (``python -m codesign.ui.serve``
calls it before the server starts). Under a bare ``streamlit run app.py`` nothing is
installed and the sign-in lasts for the browser tab, as before.
"""

from __future__ import annotations

import threading
import time
from typing import Any
from urllib.parse import urlencode

from codesign.workshops import signin

SIGNIN_PATH = "/_codesign/signin"
SIGNOUT_PATH = "/_codesign/signout"

_lock = threading.Lock()
_tickets: dict[str, tuple[str, float]] = {}
_installed = False


def installed() -> bool:
    """Whether this server answers the sign-in routes (so the page may hand out tickets)."""
    return _installed


def issue_ticket(cookie_value: str) -> str:
    """A one-time ticket that the sign-in route exchanges for ``cookie_value``."""
    ticket = signin.new_ticket()
    now = time.monotonic()
    with _lock:
        for old, (_value, expires) in list(_tickets.items()):
            if expires < now:
                del _tickets[old]
        _tickets[ticket] = (cookie_value, now + signin.TICKET_SECONDS)
    return ticket


def redeem_ticket(ticket: str) -> str | None:
    """The cookie value for a ticket, once; None for an unknown, used or expired ticket."""
    with _lock:
        found = _tickets.pop(ticket, None)
    if found is None or found[1] < time.monotonic():
        return None
    return found[0]


def signin_url(ticket: str, next_path: str) -> str:
    return f"{_base()}{SIGNIN_PATH}?{urlencode({'ticket': ticket, 'next': next_path})}"


def signout_url() -> str:
    return f"{_base()}{SIGNOUT_PATH}"


def _base() -> str:
    from streamlit import config

    base = str(config.get_option("server.baseUrlPath") or "").strip("/")
    return f"/{base}" if base else ""


def _secure(request: Any) -> bool:
    proto = request.headers.get("x-forwarded-proto", request.url.scheme)
    return str(proto).split(",")[0].strip() == "https"


async def _signin(request: Any) -> Any:
    from starlette.responses import PlainTextResponse, RedirectResponse

    value = redeem_ticket(str(request.query_params.get("ticket", "")))
    if value is None:
        return PlainTextResponse("That sign-in link has expired. Go back and sign in again.", status_code=400)
    response = RedirectResponse(_base() + signin.safe_next(request.query_params.get("next")), status_code=303)
    response.set_cookie(
        signin.COOKIE_NAME,
        value,
        max_age=int(signin.lifetime().total_seconds()),
        path="/",
        httponly=True,
        samesite="strict",
        secure=_secure(request),
    )
    response.headers["Cache-Control"] = "no-store"
    return response


async def _signout(request: Any) -> Any:
    from starlette.responses import RedirectResponse

    response = RedirectResponse(_base() + "/workshops", status_code=303)
    response.delete_cookie(signin.COOKIE_NAME, path="/", httponly=True, samesite="strict", secure=_secure(request))
    response.headers["Cache-Control"] = "no-store"
    return response


def routes() -> list[Any]:
    from starlette.routing import Route

    return [Route(_base() + SIGNIN_PATH, _signin, methods=["GET"]), Route(_base() + SIGNOUT_PATH, _signout)]


def install() -> None:
    """Add the routes to the Starlette app Streamlit is about to build (before the server starts)."""
    global _installed
    from streamlit.web.server.starlette import starlette_app

    if _installed:
        return
    build = starlette_app.create_streamlit_routes

    def with_signin(runtime: Any) -> list[Any]:
        # Ours first: Streamlit's own list ends with a catch-all for the page's static files.
        return [*routes(), *build(runtime)]

    starlette_app.create_streamlit_routes = with_signin
    _installed = True
