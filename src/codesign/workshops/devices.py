"""Anonymous participants: a random device token, kept only as a hash."""

from __future__ import annotations

import hashlib
import re
import secrets

_TOKEN = re.compile(r"^[0-9a-f]{32}$")


def new_device_token() -> str:
    return secrets.token_hex(16)


def is_device_token(value: str) -> bool:
    return bool(_TOKEN.match(value))


def hash_device(token: str) -> str:
    """What the database keeps: counts participants and rate-limits, never identifies anyone."""
    return hashlib.sha256(f"codesign-device:{token}".encode()).hexdigest()
