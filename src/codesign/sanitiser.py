"""Text that every exporter can write: no control characters, no unpaired surrogates.

Word's XML (and so python-docx) refuses most C0 control characters, U+FFFE and U+FFFF,
and a lone surrogate cannot even be encoded as UTF-8. Participants' text can hold any of
them (pasted from other apps, or typed on purpose), and an export must never fail
because of it, so every string passes through ``clean_text`` on its way out.
"""

from __future__ import annotations

import re
from typing import Any

# Tab, line feed and carriage return are legal in XML 1.0; every other C0 control is
# not, nor are U+FFFE / U+FFFF. DEL and the C1 controls are legal but invisible noise.
_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]")
_SURROGATE = re.compile("[\ud800-\udfff]")


def clean_text(value: object) -> str:
    """A string safe for Word, Excel, CSV and JSON.

    Args:
        value: Any value; ``None`` becomes an empty string, others are ``str()``-ed.

    Returns:
        The text without XML-illegal control characters, non-characters or unpaired
        surrogates. Properly paired surrogates (as they arrive from some JSON) are
        joined into the character they stand for.
    """
    if value is None:
        return ""
    text = value if isinstance(value, str) else str(value)
    if _SURROGATE.search(text):
        # Pairs become their character; whatever cannot be paired is dropped.
        text = text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "surrogatepass")
        text = _SURROGATE.sub("", text)
    return _ILLEGAL.sub("", text)


def clean_value(value: Any) -> Any:
    """``clean_text`` for strings, recursively inside lists and dicts; other values unchanged."""
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, list | tuple):
        return [clean_value(v) for v in value]
    if isinstance(value, dict):
        return {clean_text(k): clean_value(v) for k, v in value.items()}
    return value


def storable(value: Any) -> Any:
    """Only what no database accepts removed (NUL, unpaired surrogates), recursively.

    A backup restores text exactly as it was stored, other control characters included,
    so this is narrower than ``clean_text``.
    """
    if isinstance(value, str):
        if _SURROGATE.search(value):
            value = value.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "surrogatepass")
            value = _SURROGATE.sub("", value)
        return value.replace("\x00", "")
    if isinstance(value, list | tuple):
        return [storable(v) for v in value]
    if isinstance(value, dict):
        return {storable(k): storable(v) for k, v in value.items()}
    return value
