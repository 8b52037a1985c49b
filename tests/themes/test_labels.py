"""Theme labels a room would keep: participants' own words, within consent, acronyms spelt out once, unique."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from codesign.themes import cluster_stories
from codesign.themes import text as textnorm
from codesign.themes.labels import END_WORDS, clauses, kit_glossary, spell_out
from codesign.workshops.kits import get_builtin_kit

LABEL_SET = Path(__file__).resolve().parents[1] / "data" / "theme_label_set.yaml"


@pytest.fixture(scope="module")
def label_set() -> list[dict[str, object]]:
    return list(yaml.safe_load(LABEL_SET.read_text()))


def glossary() -> dict[str, str]:
    kit = get_builtin_kit("adult-community-ebcd").kit
    return kit_glossary(kit.vocabulary, [(s.name, tuple(s.aliases)) for s in kit.stakeholders])


def test_the_kits_acronyms_are_spelt_out_once_in_plain_words() -> None:
    words = glossary()
    assert words["CMHT"] == "community mental health team"
    assert words["GP"] == "family doctor"  # not "GP practice", which only repeats it
    assert "Monday" not in words and "Mind" not in words
    spelt: set[str] = set()
    first = spell_out("Discharged from the CMHT back to the GP", words, spelt)
    assert first == "Discharged from the CMHT (community mental health team) back to the GP (family doctor)"
    assert spell_out("Waiting for the CMHT", words, spelt) == "Waiting for the CMHT"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Months on the waiting list with no word from anyone, not even a letter.", "with no word from anyone"),
        ("I rang the crisis line at night and the woman was so calm.", "I rang the crisis line at night"),
    ],
)
def test_phrases_are_whole_pieces_of_what_people_wrote(text: str, expected: str) -> None:
    found = clauses(text)
    assert any(expected in phrase for phrase in found), found
    for phrase in found:
        assert phrase in text and 3 <= len(phrase.split()) <= 10
        assert textnorm.content_words(phrase.split()[-1]) or phrase.split()[-1] in END_WORDS


def test_on_the_labelled_set_labels_say_what_a_facilitator_would(label_set) -> None:  # type: ignore[no-untyped-def]
    texts = [str(s) for group in label_set for s in group["stories"]]  # type: ignore[attr-defined]
    truth = [i for i, group in enumerate(label_set) for _ in group["stories"]]  # type: ignore[arg-type]
    result = cluster_stories(texts, k=len(label_set), quotable=[True] * len(texts), glossary=glossary(), seed=0)
    labels = [t.label for t in result.themes]
    assert len({label.casefold() for label in labels}) == len(labels)
    agree = 0
    for theme in result.themes:
        members = [texts[i] for i in theme.members]
        # In the participants' own words: a piece of one of its stories (acronyms aside), or a key phrase.
        bare = theme.label.split(" (")[0].lower()
        assert any(bare in m.lower() for m in members) or theme.label.lower() in [p.lower() for p in theme.key_phrases]
        majority = max({truth[i] for i in theme.members}, key=[truth[i] for i in theme.members].count)
        wanted = set(textnorm.content_words(str(label_set[majority]["label"])))
        agree += bool(wanted & set(textnorm.content_words(theme.label)))
    assert agree >= 4, labels  # measured 5 of 5 at seed 0; see docs/theme-labels.md


def test_a_label_never_quotes_a_story_that_may_not_be_quoted(label_set) -> None:  # type: ignore[no-untyped-def]
    texts = [str(s) for group in label_set for s in group["stories"]]  # type: ignore[attr-defined]
    result = cluster_stories(texts, k=len(label_set), quotable=[False] * len(texts), seed=0)
    for theme in result.themes:
        assert theme.label.lower() in [p.lower() for p in theme.key_phrases]
