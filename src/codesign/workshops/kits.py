"""Workshop kits: YAML files that set up a workshop's stages, lenses, prompts and seeds.

A kit is read with ``yaml.safe_load`` after a scan that refuses anchors, aliases and
explicit tags, then validated by a pydantic schema. Every problem is reported with the
file, the field and what is wrong, so a facilitator can fix an uploaded kit without
reading a traceback.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from codesign.errors import KitError

# An uploaded kit is configuration, not data: the biggest shipped kit is about 22 KB,
# so 256 KB leaves room for long prompts while refusing an accidental upload of a dump.
MAX_KIT_BYTES = 256 * 1024

KITS_DIR = Path(__file__).resolve().parents[3] / "workshop_kits"

KEY_PATTERN = r"^[a-z][a-z0-9_]*$"

SECTORS: dict[str, str] = {
    "lived_experience": "People with lived experience",
    "family_community": "Family and community",
    "primary_care": "Primary care",
    "secondary_mental_health": "Secondary mental health",
    "crisis_urgent_care": "Crisis and urgent care",
    "voluntary_community": "Voluntary and community sector",
    "social_care": "Social care",
    "education": "Education",
    "housing": "Housing",
    "money_employment": "Money, benefits and employment",
    "police_justice": "Police and justice",
    "public_health_commissioning": "Public health and commissioning",
    "online_digital": "Online and digital",
    "other": "Other",
}

STAKEHOLDER_KINDS: dict[str, str] = {
    "person_or_role": "Person or role",
    "service": "Service",
    "organisation": "Organisation",
    "community_group": "Community group",
}

BLUEPRINT_LANE_KEYS = (
    "physical_evidence",
    "person_actions",
    "frontstage",
    "backstage",
    "support_processes",
)

THRIVE_GROUPINGS: dict[str, str] = {
    "thriving": "Thriving",
    "getting_advice": "Getting advice",
    "getting_help": "Getting help",
    "getting_more_help": "Getting more help",
    "getting_risk_support": "Getting risk support",
}


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class KitStage(_Strict):
    key: str = Field(pattern=KEY_PATTERN, max_length=40)
    name: str = Field(min_length=1, max_length=80)
    prompt: str = Field(min_length=1, max_length=400)
    thrive_grouping: (
        Literal["thriving", "getting_advice", "getting_help", "getting_more_help", "getting_risk_support"] | None
    ) = None


class KitLens(_Strict):
    key: str = Field(pattern=KEY_PATTERN, max_length=40)
    name: str = Field(min_length=1, max_length=60)
    description: str = Field(default="", max_length=300)


class EmotionPoint(_Strict):
    value: int = Field(ge=1, le=5)
    label: str = Field(min_length=1, max_length=40)
    face: str = Field(min_length=1, max_length=8)


class StoryPrompts(_Strict):
    story: str = Field(min_length=1, max_length=400)
    stage: str = Field(min_length=1, max_length=200)
    emotion: str = Field(min_length=1, max_length=200)
    helped: str = Field(min_length=1, max_length=300)
    would_have_helped: str = Field(min_length=1, max_length=300)
    strengths: str = Field(min_length=1, max_length=300)
    lens: str = Field(min_length=1, max_length=200)


class EasyReadPrompt(_Strict):
    """One prompt in Easy Read: an icon and short lines, one idea per line."""

    icon: str = Field(min_length=1, max_length=8)
    lines: list[str] = Field(min_length=1, max_length=4)

    @field_validator("lines")
    @classmethod
    def _short_lines(cls, value: list[str]) -> list[str]:
        for line in value:
            if not line.strip() or len(line) > 90:
                raise ValueError("each Easy Read line needs 1 to 90 characters: one short sentence")
        return value

    @property
    def label(self) -> str:
        """The prompt as one label for a form field (icon first)."""
        return f"{self.icon} " + " ".join(self.lines)


class EasyRead(_Strict):
    """The participant pages in Easy Read: short sentences, one idea per line, an icon per prompt."""

    welcome: list[str] = Field(min_length=1, max_length=8)
    privacy: list[str] = Field(min_length=1, max_length=8)
    story: EasyReadPrompt
    stage: EasyReadPrompt
    emotion: EasyReadPrompt
    helped: EasyReadPrompt
    would_have_helped: EasyReadPrompt
    strengths: EasyReadPrompt
    lens: EasyReadPrompt
    consent: EasyReadPrompt

    @field_validator("welcome", "privacy")
    @classmethod
    def _short(cls, value: list[str]) -> list[str]:
        for line in value:
            if not line.strip() or len(line) > 90:
                raise ValueError("each Easy Read line needs 1 to 90 characters: one short sentence")
        return value


class StakeholderSeed(_Strict):
    name: str = Field(min_length=1, max_length=80)
    aliases: list[str] = Field(default_factory=list)
    kind: Literal["person_or_role", "service", "organisation", "community_group"]
    sector: str
    influence: int = Field(default=3, ge=1, le=5)
    interest: int = Field(default=3, ge=1, le=5)
    notes: str = Field(default="", max_length=500)

    @field_validator("sector")
    @classmethod
    def _known_sector(cls, value: str) -> str:
        if value not in SECTORS:
            raise ValueError(f"unknown sector {value!r}; use one of: {', '.join(SECTORS)}")
        return value


class RelationshipType(_Strict):
    key: str = Field(pattern=KEY_PATTERN, max_length=40)
    name: str = Field(min_length=1, max_length=60)
    description: str = Field(default="", max_length=300)


class RelationshipSeed(_Strict):
    source: str
    target: str
    type: str
    directed: bool = True
    strength: int = Field(default=2, ge=1, le=3)
    note: str = Field(default="", max_length=300)


class ExpectedLink(_Strict):
    """Two sectors that this kind of service needs joined up; a missing link is a finding."""

    sectors: tuple[str, str]
    why: str = Field(min_length=1, max_length=300)

    @field_validator("sectors")
    @classmethod
    def _known_sectors(cls, value: tuple[str, str]) -> tuple[str, str]:
        for sector in value:
            if sector not in SECTORS:
                raise ValueError(f"unknown sector {sector!r}")
        return value


class BlueprintLane(_Strict):
    key: Literal["physical_evidence", "person_actions", "frontstage", "backstage", "support_processes"]
    name: str = Field(min_length=1, max_length=60)
    description: str = Field(default="", max_length=300)


class AgendaItem(_Strict):
    minutes: int = Field(ge=1, le=480)
    title: str = Field(min_length=1, max_length=80)
    activity: str = Field(min_length=1, max_length=600)
    screen: (
        Literal["workshops", "wall", "moderation", "themes", "stakeholders", "journey", "blueprint", "ideas", "export"]
        | None
    ) = None


class KitAgenda(_Strict):
    """One way to run the day: a half day, a full day. ``minutes`` is the length it claims,
    checked against its items, so "3 hours" on the Workshops screen is what the items add up to."""

    key: str = Field(pattern=KEY_PATTERN, max_length=40)
    name: str = Field(min_length=1, max_length=60)
    minutes: int = Field(ge=1, le=960)
    items: list[AgendaItem] = Field(min_length=1, max_length=40)

    @model_validator(mode="after")
    def _adds_up(self) -> KitAgenda:
        total = sum(item.minutes for item in self.items)
        if total != self.minutes:
            raise ValueError(f"{self.key}: the items add up to {total} minutes, not the {self.minutes} it claims")
        return self


class Kit(_Strict):
    """A validated workshop kit."""

    id: str = Field(pattern=r"^[a-z][a-z0-9-]*$", max_length=60)
    title: str = Field(min_length=1, max_length=120)
    summary: str = Field(min_length=1, max_length=600)
    audience: Literal["adults", "young_people", "mixed"]
    programme: str = Field(min_length=1, max_length=80)
    welcome: str = Field(min_length=1, max_length=1200)
    support_region: str = Field(default="england", pattern=KEY_PATTERN)
    stages: list[KitStage] = Field(min_length=2, max_length=20)
    lenses: list[KitLens] = Field(min_length=2, max_length=8)
    emotion_scale: list[EmotionPoint] = Field(min_length=5, max_length=5)
    story_prompts: StoryPrompts
    easy_read: EasyRead | None = None
    easy_read_default: bool = Field(
        default=False, description="Open the participant pages in Easy Read (the person can switch back)."
    )
    stakeholders: list[StakeholderSeed] = Field(default_factory=list, max_length=200)
    relationship_types: list[RelationshipType] = Field(min_length=1, max_length=20)
    relationships: list[RelationshipSeed] = Field(default_factory=list, max_length=500)
    expected_links: list[ExpectedLink] = Field(default_factory=list, max_length=50)
    blueprint_lanes: list[BlueprintLane] = Field(min_length=5, max_length=5)
    agendas: list[KitAgenda] = Field(min_length=1, max_length=6)
    vocabulary: list[str] = Field(
        default_factory=list,
        description="Names of services, places and programmes that are not personal names.",
    )

    @model_validator(mode="before")
    @classmethod
    def _one_agenda(cls, data: Any) -> Any:
        # Kits written before there were several agendas have one list under ``agenda``.
        if isinstance(data, dict) and "agenda" in data and "agendas" not in data:
            items = data["agenda"]
            data = {k: v for k, v in data.items() if k != "agenda"}
            minutes = sum(i.get("minutes", 0) for i in items if isinstance(i, dict)) if isinstance(items, list) else 0
            data["agendas"] = [{"key": "agenda", "name": "Agenda", "minutes": minutes, "items": items}]
        return data

    @model_validator(mode="after")
    def _consistent(self) -> Kit:
        _unique("stages", [s.key for s in self.stages])
        _unique("agendas", [a.key for a in self.agendas])
        _unique("lenses", [lens.key for lens in self.lenses])
        _unique("relationship_types", [t.key for t in self.relationship_types])
        _unique("stakeholders", [s.name.casefold() for s in self.stakeholders])
        if [p.value for p in self.emotion_scale] != [1, 2, 3, 4, 5]:
            raise ValueError("emotion_scale: values must be 1, 2, 3, 4, 5 in that order (1 is the worst)")
        if [lane.key for lane in self.blueprint_lanes] != list(BLUEPRINT_LANE_KEYS):
            raise ValueError("blueprint_lanes: keys must be " + ", ".join(BLUEPRINT_LANE_KEYS) + " in that order")
        names = {s.name for s in self.stakeholders}
        types = {t.key for t in self.relationship_types}
        for i, rel in enumerate(self.relationships):
            for end in (rel.source, rel.target):
                if end not in names:
                    raise ValueError(f"relationships.{i}: {end!r} is not one of the kit's stakeholders")
            if rel.type not in types:
                raise ValueError(f"relationships.{i}: type {rel.type!r} is not one of the relationship_types")
        if self.easy_read_default and self.easy_read is None:
            raise ValueError("easy_read_default: the kit needs an easy_read section to open in Easy Read")
        return self

    @property
    def agenda(self) -> list[AgendaItem]:
        """The items of the kit's first agenda, where a new workshop starts."""
        return self.agendas[0].items

    @property
    def total_minutes(self) -> int:
        return self.agendas[0].minutes

    def find_agenda(self, key: str) -> KitAgenda:
        """One of the kit's agendas by key (the first if it has no such key)."""
        return next((a for a in self.agendas if a.key == key), self.agendas[0])


def _unique(field: str, keys: list[str]) -> None:
    seen: set[str] = set()
    for key in keys:
        if key in seen:
            raise ValueError(f"{field}: {key!r} appears twice")
        seen.add(key)


@dataclass(frozen=True)
class KitFile:
    """A kit with where it came from."""

    path: str
    kit: Kit
    text: str


# A Markdown picture or an HTML image tag: Streamlit's widgets and headings render kit text as
# Markdown, and a picture there makes every phone fetch its address from the internet.
_PICTURE = re.compile(r"!\[([^\]]*)\]\([^)]*\)|<img\b[^>]*>", re.IGNORECASE)
NO_PICTURES = "pictures (Markdown ![..](..) or <img>) are not allowed: phones would fetch them from the internet"


def _pictures(value: Any, path: str = "") -> list[str]:
    """The fields (as dotted paths) whose text holds a picture."""
    if isinstance(value, str):
        return [path or "(top)"] if _PICTURE.search(value) else []
    if isinstance(value, dict):
        return [p for k, v in value.items() for p in _pictures(v, f"{path}.{k}" if path else str(k))]
    if isinstance(value, list):
        return [p for i, v in enumerate(value) for p in _pictures(v, f"{path}[{i}]")]
    return []


def _without_pictures(value: Any) -> Any:
    if isinstance(value, str):
        return _PICTURE.sub(lambda m: m.group(1) or "", value)
    if isinstance(value, dict):
        return {k: _without_pictures(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_without_pictures(v) for v in value]
    return value


def parse_kit(text: str | bytes, source: str = "<upload>", *, strict: bool = True) -> Kit:
    """Parse and validate one kit.

    Args:
        text: The YAML text (bytes are decoded as UTF-8).
        source: A name for the file, used in error messages.
        strict: Refuse a kit with pictures in its text (uploads and ``kits validate``). A kit
            stored before this rule (strict=False) is read with each picture replaced by its
            alt text, so it is never shown.

    Returns:
        The validated kit.

    Raises:
        KitError: With one line per problem, each naming the file and the field.
    """
    if isinstance(text, bytes):
        if len(text) > MAX_KIT_BYTES:
            raise KitError(
                source, [f"the file is {len(text) // 1024} KB; a kit may be at most {MAX_KIT_BYTES // 1024} KB"]
            )
        try:
            text = text.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise KitError(source, ["the file is not UTF-8 text"]) from None
    if len(text.encode("utf-8")) > MAX_KIT_BYTES:
        raise KitError(source, [f"the file is larger than {MAX_KIT_BYTES // 1024} KB"])
    data = _safe_yaml(text, source)
    if not isinstance(data, dict):
        raise KitError(source, ["the file must be a YAML mapping with fields such as id, title and stages"])
    pictures = _pictures(data)
    if pictures and strict:
        raise KitError(source, [f"{path}: {NO_PICTURES}" for path in pictures])
    data = _without_pictures(data)
    try:
        return Kit.model_validate(data)
    except ValidationError as exc:
        raise KitError(source, [_describe(err) for err in exc.errors()]) from None


def _safe_yaml(text: str, source: str) -> object:
    try:
        for event in yaml.parse(text, Loader=yaml.SafeLoader):
            if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
                mark = event.start_mark
                raise KitError(source, [f"line {mark.line + 1}: anchors and aliases (& and *) are not allowed in kits"])
            tag = getattr(event, "tag", None)
            if tag and not getattr(event, "implicit", True) and not _plain_tag(tag):
                mark = event.start_mark
                raise KitError(source, [f"line {mark.line + 1}: the tag {tag!r} is not allowed in kits"])
        return yaml.safe_load(text)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark else ""
        raise KitError(source, [f"{where}this is not valid YAML ({exc.problem})"]) from None
    except yaml.YAMLError as exc:
        raise KitError(source, [f"this is not valid YAML ({exc})"]) from None


def _plain_tag(tag: str) -> bool:
    return tag in {"tag:yaml.org,2002:str", "tag:yaml.org,2002:int", "tag:yaml.org,2002:bool"}


def _describe(error: object) -> str:
    err = error if isinstance(error, dict) else {}
    loc = ".".join(str(part) for part in err.get("loc", ())) or "(top level)"
    kind = err.get("type", "")
    msg = str(err.get("msg", "invalid value"))
    if kind == "missing":
        return f"{loc}: this field is required"
    if kind == "extra_forbidden":
        return f"{loc}: unknown field (check the spelling)"
    msg = msg.removeprefix("Value error, ")
    return f"{loc}: {msg}"


def load_kit_file(path: str | Path) -> KitFile:
    """Read and validate a kit from disk."""
    p = Path(path)
    try:
        raw = p.read_bytes()
    except OSError as exc:
        raise KitError(str(p), [f"cannot read the file ({exc.strerror})"]) from None
    kit = parse_kit(raw, source=str(p))
    return KitFile(path=str(p), kit=kit, text=raw.decode("utf-8-sig"))


def builtin_kit_paths(directory: Path = KITS_DIR) -> list[Path]:
    """The kit files that ship with the product, sorted by name."""
    return sorted(directory.glob("*.yaml"))


def list_builtin_kits(directory: Path = KITS_DIR) -> list[KitFile]:
    """Load every shipped kit; a broken one raises, since shipped kits are tested."""
    return [load_kit_file(p) for p in builtin_kit_paths(directory)]


def get_builtin_kit(kit_id: str, directory: Path = KITS_DIR) -> KitFile:
    """Find a shipped kit by its id."""
    for kit_file in list_builtin_kits(directory):
        if kit_file.kit.id == kit_id:
            return kit_file
    raise KitError(kit_id, [f"no kit with id {kit_id!r} in {directory}"])
