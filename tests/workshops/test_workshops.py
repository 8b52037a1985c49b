"""Workshops from kits: codes, uploads, joining."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine

from codesign import workshops
from codesign.errors import KitError, ValidationFailed
from codesign.storage import workshops as repo
from codesign.workshops.kits import builtin_kit_paths


def test_codes_avoid_look_alike_characters() -> None:
    codes = {workshops.new_join_code() for _ in range(500)}
    assert len(codes) == 500
    assert not set("".join(codes)) & set("0O1IL5S")


@pytest.mark.parametrize(
    ("typed", "expected"), [(" k7q-x3m ", "K7QX3M"), ("k7 qx 3m", "K7QX3M"), ("K７ＱX3M", "K7QX3M")]
)
def test_typed_codes_are_normalised(typed: str, expected: str) -> None:
    assert workshops.normalise_code(typed) == expected


def test_uploaded_kit_is_stored_and_offered(engine: Engine) -> None:
    text = next(p for p in builtin_kit_paths() if p.name == "living-well.yaml").read_text(encoding="utf-8")
    custom = text.replace("id: living-well", "id: east-locality", 1)
    kit = workshops.upload_kit(engine, custom.encode(), "east.yaml")
    assert kit.id == "east-locality"
    assert "east-locality" in {k.kit.id for k in workshops.available_kits(engine)}
    w = workshops.create_workshop(engine, "East", workshops.find_kit(engine, "east-locality"))
    assert workshops.kit_of(engine, w).id == "east-locality"


def test_broken_upload_stores_nothing(engine: Engine) -> None:
    with pytest.raises(KitError, match=r"^bad\.yaml: "):
        workshops.upload_kit(engine, b"id: x\n!!python/object:os.system\n", "bad.yaml")
    assert repo.list_uploaded_kits(engine) == []


def test_upload_cannot_replace_a_shipped_kit(engine: Engine) -> None:
    text = next(p for p in builtin_kit_paths() if p.name == "living-well.yaml").read_bytes()
    with pytest.raises(ValidationFailed, match="ships with codesign"):
        workshops.upload_kit(engine, text, "living-well.yaml")
    assert repo.list_uploaded_kits(engine) == []


TITLE_LINE = 'title: "Living Well: joining up mental-health support"'


def _living_well(kit_id: str = "east-locality") -> str:
    text = next(p for p in builtin_kit_paths() if p.name == "living-well.yaml").read_text(encoding="utf-8")
    return text.replace("id: living-well", f"id: {kit_id}", 1)


def test_a_second_upload_with_the_same_id_does_not_silently_replace_the_first(engine: Engine) -> None:
    first = workshops.upload_kit(engine, _living_well().encode(), "east.yaml")
    second = _living_well().replace(TITLE_LINE, 'title: "Someone else\'s kit"', 1)
    assert second != _living_well()
    with pytest.raises(ValidationFailed, match="already stored"):
        workshops.upload_kit(engine, second.encode(), "east-2.yaml")
    assert [title for _id, title, _t in repo.list_uploaded_kits(engine)] == [first.title]
    workshops.upload_kit(engine, second.encode(), "east-2.yaml", replace=True)
    assert [title for _id, title, _t in repo.list_uploaded_kits(engine)] == ["Someone else's kit"]


@pytest.mark.parametrize(
    "picture", ["![logo](https://tracker.example/p.png)", '<img src="https://tracker.example/p.png">']
)
def test_a_kit_with_a_picture_is_refused_naming_the_field(engine: Engine, picture: str) -> None:
    text = _living_well().replace(TITLE_LINE, f"title: 'Hello {picture}'", 1)
    with pytest.raises(KitError, match=r"title: pictures .* are not allowed"):
        workshops.upload_kit(engine, text.encode(), "east.yaml")
    assert repo.list_uploaded_kits(engine) == []


def test_a_kit_stored_before_the_rule_is_shown_without_its_pictures(engine: Engine) -> None:
    from codesign.workshops.kits import parse_kit

    clean = parse_kit(_living_well())
    text = _living_well().replace(TITLE_LINE, "title: 'Hello ![logo](https://x.example/p.png)'", 1)
    repo.save_uploaded_kit(engine, clean, text)  # as an older version of codesign would have stored it
    kit = workshops.find_kit(engine, "east-locality").kit
    assert kit.title == "Hello logo"


@pytest.mark.parametrize("title", ["", "   ", "x" * 201])
def test_bad_titles_are_refused(engine: Engine, title: str) -> None:
    with pytest.raises(ValidationFailed):
        workshops.create_workshop(engine, title, workshops.find_kit(engine, "living-well"))
    assert repo.list_workshops(engine) == []
