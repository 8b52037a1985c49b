"""Join codes: short, unambiguous, typed on phones and read off a projector."""

from __future__ import annotations

import secrets
import unicodedata

# No 0/O, 1/I/L or 5/S: codes are read off a projector and typed on phones.
CODE_ALPHABET = "ABCDEFGHJKMNPQRTUVWXYZ2346789"
# 29^6 is about 595 million codes: with join attempts throttled (below), guessing one
# of a handful of live workshops is impractical.
CODE_LENGTH = 6


def new_join_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def normalise_code(code: str) -> str:
    """Upper-case, fold full-width characters (NFKC), and drop spaces, dashes and anything else."""
    folded = unicodedata.normalize("NFKC", code).upper()
    return "".join(ch for ch in folded if ch.isascii() and ch.isalnum())[:32]
