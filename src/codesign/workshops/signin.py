"""The facilitator's sign-in that lasts a working day: a signed cookie value and a one-time ticket.

Pure rules, no database and no web server. The value is ``v1.<issued>.<mac>``, where the
MAC (HMAC-SHA256 under a secret kept in the database) covers the issue time *and* a
fingerprint of the current passcode: resetting or changing the passcode signs everyone
out, and a value older than the lifetime is refused.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from datetime import timedelta

COOKIE_NAME = "codesign_facilitator"
SECRET_SETTING = "facilitator_cookie_secret"  # noqa: S105 - the settings key, not a secret
HOURS_ENV = "CODESIGN_SIGNIN_HOURS"
DEFAULT_HOURS = 12.0
# A ticket carries a sign-in from the passcode form to the route that sets the cookie.
TICKET_SECONDS = 60
_VERSION = "v1"


def lifetime() -> timedelta:
    """How long a sign-in lasts: ``CODESIGN_SIGNIN_HOURS`` (default 12, a working day)."""
    raw = os.environ.get(HOURS_ENV, "").strip()
    try:
        hours = float(raw) if raw else DEFAULT_HOURS
    except ValueError:
        hours = DEFAULT_HOURS
    return timedelta(hours=min(max(hours, 0.1), 24 * 14))


def new_secret() -> str:
    return secrets.token_hex(32)


def new_ticket() -> str:
    return secrets.token_urlsafe(32)


def passcode_fingerprint(passcode_record: str) -> str:
    """A short digest of the stored passcode hash (or configured passcode): changes when it does."""
    return hashlib.sha256(("codesign-passcode:" + passcode_record).encode()).hexdigest()[:32]


def _mac(secret: str, issued: int, fingerprint: str) -> str:
    message = f"{_VERSION}.{issued}.{fingerprint}".encode()
    return hmac.new(bytes.fromhex(secret), message, hashlib.sha256).hexdigest()


def sign(secret: str, fingerprint: str, issued: int) -> str:
    """The cookie value for a sign-in at ``issued`` (seconds since the epoch)."""
    return f"{_VERSION}.{issued}.{_mac(secret, issued, fingerprint)}"


def verify(value: str, secret: str, fingerprint: str, now: int, max_age: timedelta) -> bool:
    """Whether a cookie value is ours, for the current passcode, and younger than ``max_age``."""
    parts = (value or "").split(".")
    if len(parts) != 3 or parts[0] != _VERSION or not parts[1].isdigit() or len(parts[1]) > 12:
        return False
    issued = int(parts[1])
    if issued > now + 60 or now - issued > max_age.total_seconds():
        return False
    return hmac.compare_digest(parts[2], _mac(secret, issued, fingerprint))


def safe_next(path: str | None) -> str:
    """Where to go after signing in: a path on this site only (never ``//host`` or a scheme)."""
    if not path or not path.startswith("/") or path.startswith("//") or "\\" in path or len(path) > 200:
        return "/"
    return path
