"""Kits: the shipped ones are valid; broken ones are refused with the file and field named."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from codesign.errors import KitError
from codesign.workshops.kits import MAX_KIT_BYTES, builtin_kit_paths, load_kit_file, parse_kit

SHIPPED = builtin_kit_paths()


def test_three_kits_ship() -> None:
    ids = {load_kit_file(p).kit.id for p in SHIPPED}
    assert {"adult-community-ebcd", "living-well", "cyp-thrive"} <= ids


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.name)
def test_shipped_kit_is_complete(path: Path) -> None:
    kit = load_kit_file(path).kit
    assert len(kit.emotion_scale) == 5
    assert {lens.key for lens in kit.lenses} >= {"lived_experience", "carer_family", "staff"}
    assert kit.stakeholders and kit.relationship_types and kit.agenda
    assert all(stage.prompt for stage in kit.stages)
    # The strengths prompt asks about resources and networks, not only deficits.
    assert any(word in kit.story_prompts.strengths.lower() for word in ("strength", "cope", "good at"))
    assert any(word in kit.story_prompts.strengths.lower() for word in ("people", "friends", "support", "network"))


def test_young_people_kit_uses_thrive_groupings() -> None:
    kit = next(load_kit_file(p).kit for p in SHIPPED if load_kit_file(p).kit.id == "cyp-thrive")
    groupings = {s.thrive_grouping for s in kit.stages}
    assert None not in groupings
    assert {"thriving", "getting_advice", "getting_help"} <= groupings


def _valid() -> dict:  # type: ignore[type-arg]
    return yaml.safe_load(next(p for p in SHIPPED if p.name == "living-well.yaml").read_text())


def _broken(mutate) -> str:  # type: ignore[no-untyped-def]
    data = _valid()
    mutate(data)
    return yaml.safe_dump(data)


BROKEN = [
    ("missing title", _broken(lambda d: d.pop("title")), "title: this field is required"),
    ("unknown field", _broken(lambda d: d.update(colour="blue")), "colour: unknown field"),
    ("four-point scale", _broken(lambda d: d["emotion_scale"].pop()), "emotion_scale"),
    ("bad sector", _broken(lambda d: d["stakeholders"][0].update(sector="moon")), "stakeholders.0.sector"),
    ("duplicate stage", _broken(lambda d: d["stages"].append(dict(d["stages"][0]))), "appears twice"),
    ("syntax error", "id: [unclosed\ntitle: x", "not valid YAML"),
    ("python tag", "!!python/object/apply:os.system ['echo hi']", "not allowed"),
    ("anchors", "a: &x {b: 1}\nc: *x\n", "anchors and aliases"),
    ("a list", "- 1\n- 2\n", "must be a YAML mapping"),
    ("empty", "", "must be a YAML mapping"),
]


@pytest.mark.parametrize(("name", "text", "expected"), BROKEN, ids=[b[0] for b in BROKEN])
def test_broken_kit_is_refused_naming_the_problem(name: str, text: str, expected: str) -> None:
    with pytest.raises(KitError) as info:
        parse_kit(text, source="broken.yaml")
    message = str(info.value)
    assert message.startswith("broken.yaml: ")
    assert expected in message


def test_oversize_kit_is_refused() -> None:
    with pytest.raises(KitError, match="at most 256 KB"):
        parse_kit(b"x: " + b"a" * (MAX_KIT_BYTES + 1), source="big.yaml")


def test_not_utf8_is_refused() -> None:
    with pytest.raises(KitError, match="not UTF-8"):
        parse_kit(b"\xff\xfe\x00t", source="odd.yaml")
