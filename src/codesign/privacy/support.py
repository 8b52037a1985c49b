"""The support panel shown with a story that carries risk language.

Its words and numbers live in configuration (``workshop_kits/support/<region>.yaml``)
so a workshop in Wales, Scotland or elsewhere can change them; a kit names its region.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from codesign.errors import KitError
from codesign.workshops.kits import KITS_DIR

SUPPORT_DIR = KITS_DIR / "support"
DEFAULT_REGION = "england"


@dataclass(frozen=True)
class SupportContact:
    name: str
    how: str
    when: str = ""


@dataclass(frozen=True)
class SupportPanel:
    """Calm words and contacts, for the participant's phone."""

    region: str
    title: str
    intro: str
    contacts: tuple[SupportContact, ...]
    closing: str = ""


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
        contacts.append(SupportContact(str(item["name"]), str(item["how"]), str(item.get("when", ""))))
    if problems:
        raise KitError(source, problems)
    return SupportPanel(
        region=path.stem,
        title=str(data["title"]).strip(),
        intro=str(data["intro"]).strip(),
        contacts=tuple(contacts),
        closing=str(data.get("closing", "")).strip(),
    )
