"""The facilitator passcode: set by environment or secrets, or generated once and stored as a hash."""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from datetime import timedelta

from sqlalchemy import Engine

from codesign.errors import ThrottledError
from codesign.storage import workshops as repo

PASSCODE_ENV = "CODESIGN_FACILITATOR_PASSCODE"
PASSCODE_SETTING = "facilitator_passcode_hash"
# Five wrong tries per client in five minutes, then a pause: enough for typos, far too
# few for guessing a passcode of several words.
MAX_FAILURES = 5
FAILURE_WINDOW = timedelta(minutes=5)
WRONG_PASSCODE = "That passcode didn't work."
# Memory-hard enough to make an offline guess slow, quick enough (tens of ms) for a login.
_SCRYPT = {"n": 2**14, "r": 8, "p": 1}

_WORDS = tuple(
    "amber birch cedar delta ember fern grove harbour iris juniper kestrel linden meadow nettle orchard "
    "pebble quartz rowan saffron thistle umber violet willow yarrow acorn bramble clover dune heron lark "
    "maple otter plover reed sorrel tern".split()
)


def hash_passcode(passcode: str, salt: bytes | None = None) -> str:
    """An scrypt hash as ``scrypt$salt$hash`` (hex)."""
    salt = salt or secrets.token_bytes(16)
    digest = hashlib.scrypt(passcode.encode("utf-8"), salt=salt, **_SCRYPT)
    return f"scrypt${salt.hex()}${digest.hex()}"


def verify_hash(passcode: str, stored: str) -> bool:
    try:
        scheme, salt_hex, digest_hex = stored.split("$")
    except ValueError:
        return False
    if scheme != "scrypt":
        return False
    candidate = hash_passcode(passcode, bytes.fromhex(salt_hex)).split("$")[2]
    return hmac.compare_digest(candidate, digest_hex)


def generate_passcode() -> str:
    """Four words and two digits (about 35 bits): easy to read out, with throttling hard to guess."""
    return "-".join(secrets.choice(_WORDS) for _ in range(4)) + f"-{secrets.randbelow(90) + 10}"


def configured_passcode(secrets_value: str | None = None) -> str | None:
    """The passcode set by environment variable or by ``.streamlit/secrets.toml``."""
    value = os.environ.get(PASSCODE_ENV, "").strip() or (secrets_value or "").strip()
    return value or None


def ensure_passcode(engine: Engine, secrets_value: str | None = None) -> str | None:
    """Make sure a facilitator passcode exists.

    Returns:
        A newly generated passcode (to print once), or None if one was configured or stored.
    """
    if configured_passcode(secrets_value) or repo.get_app_setting(engine, PASSCODE_SETTING):
        return None
    passcode = generate_passcode()
    if repo.set_app_setting(engine, PASSCODE_SETTING, hash_passcode(passcode), only_if_missing=True):
        return passcode
    return None


def reset_passcode(engine: Engine) -> str:
    """Generate and store a new passcode, replacing the old hash."""
    passcode = generate_passcode()
    repo.set_app_setting(engine, PASSCODE_SETTING, hash_passcode(passcode))
    return passcode


def check_passcode(engine: Engine, attempt: str, *, client_key: str, secrets_value: str | None = None) -> bool:
    """Check a facilitator's passcode, throttling repeated failures per client.

    Raises:
        ThrottledError: After MAX_FAILURES wrong tries within FAILURE_WINDOW.
    """
    key = f"passcode:{client_key}"
    if repo.count_attempts(engine, key, FAILURE_WINDOW) >= MAX_FAILURES:
        raise ThrottledError("Too many wrong tries. Please wait five minutes before trying again.")
    configured = configured_passcode(secrets_value)
    if configured is not None:
        ok = hmac.compare_digest(attempt.strip().encode(), configured.encode())
    else:
        stored = repo.get_app_setting(engine, PASSCODE_SETTING)
        ok = stored is not None and verify_hash(attempt.strip(), stored)
    if ok:
        repo.clear_attempts(engine, key)
    else:
        repo.record_attempt(engine, key, FAILURE_WINDOW)
    return ok
