"""The support panel: behind "Need support now?" on every participant page, and in full with a
story that carries risk language.

Its words and numbers live in configuration (``workshop_kits/support/<region>.yaml``)
so a workshop in Wales, Scotland or elsewhere can change them; a kit names its region.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from urllib.parse import quote

import yaml

from codesign.errors import KitError
from codesign.workshops.kits import KITS_DIR

SUPPORT_DIR = KITS_DIR / "support"
DEFAULT_REGION = "england"
_DIGITS = re.compile(r"\+?[0-9]{3,15}")


@dataclass(frozen=True)
class SupportContact:
    name: str
    how: str
    when: str = ""
    tel: str = ""
    """Digits to call (a ``tel:`` link), if the contact takes calls."""
    sms: str = ""
    """Digits to text (an ``sms:`` link), if the contact takes texts."""
    sms_body: str = ""
    """What to write in the text, such as ``SHOUT``."""

    @property
    def tel_href(self) -> str:
        return f"tel:{self.tel}" if self.tel else ""

    @property
    def sms_href(self) -> str:
        if not self.sms:
            return ""
        return f"sms:{self.sms}" + (f"?&body={quote(self.sms_body)}" if self.sms_body else "")


@dataclass(frozen=True)
class SupportPanel:
    """Calm words and contacts, for the participant's phone."""

    region: str
    title: str
    intro: str
    contacts: tuple[SupportContact, ...]
    closing: str = ""
    always_intro: str = "If things feel hard right now, you can talk to someone today."
    """The calm first line of the panel that every participant page offers, risk or not."""


def available_regions() -> tuple[str, ...]:
    return tuple(sorted(p.stem for p in SUPPORT_DIR.glob("*.yaml")))


def support_panel(region: str) -> SupportPanel:
    """The support panel for a region, falling back to England's if there is no file for it.

    Raises:
        KitError: If the region's file is malformed.
    """
    path = SUPPORT_DIR / f"{region}.yaml"
    if region not in available_regions():
        path = SUPPORT_DIR / f"{DEFAULT_REGION}.yaml"
    return _load(path)


@lru_cache(maxsize=16)
def _load(path: Path) -> SupportPanel:
    source = path.name
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise KitError(source, [f"cannot be read: {exc}"]) from None
    problems: list[str] = []
    if not isinstance(data, dict):
        raise KitError(source, ["must be a mapping with title, intro and contacts"])
    for key in ("title", "intro", "contacts"):
        if not data.get(key):
            problems.append(f"{key}: required")
    contacts: list[SupportContact] = []
    for i, item in enumerate(data.get("contacts") or []):
        if not isinstance(item, dict) or not item.get("name") or not item.get("how"):
            problems.append(f"contacts[{i}]: needs a name and how to reach them")
            continue
        dial = {key: str(item.get(key, "")).replace(" ", "") for key in ("tel", "sms")}
        for key, digits in dial.items():
            if digits and not _DIGITS.fullmatch(digits):
                problems.append(f"contacts[{i}].{key}: only digits (and a leading +), such as 116123")
        contacts.append(
            SupportContact(
                str(item["name"]),
                str(item["how"]),
                str(item.get("when", "")),
                tel=dial["tel"],
                sms=dial["sms"],
                sms_body=str(item.get("sms_body", "")),
            )
        )
    if problems:
        raise KitError(source, problems)
    return SupportPanel(
        region=path.stem,
        title=str(data["title"]).strip(),
        intro=str(data["intro"]).strip(),
        contacts=tuple(contacts),
        closing=str(data.get("closing", "")).strip(),
        **({"always_intro": str(data["always_intro"]).strip()} if data.get("always_intro") else {}),
    )
