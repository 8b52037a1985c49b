"""The facilitator passcode's rules: how it is generated, hashed and checked (no database here)."""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets

PASSCODE_ENV = "CODESIGN_FACILITATOR_PASSCODE"
PASSCODE_SETTING = "facilitator_passcode_hash"
# Wrong tries are slowed by workshops.throttle.PASSCODE (per client and from everyone).
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
