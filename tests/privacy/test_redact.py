"""One table per de-identification rule, with the evasions people (and keyboards) produce."""

from __future__ import annotations

import pytest

from codesign.privacy import prepare_text
from codesign.privacy.normalise import for_matching, for_storage
from codesign.privacy.redact import nhs_number_is_valid, redact

ZWSP = "\u200b"
FULL_WIDTH_NHS = "".join(chr(ord(d) + 0xFEE0) for d in "9997654323")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # e-mail addresses
        ("write to jo.bloggs@example.com today", "write to [email address] today"),
        ("JO.BLOGGS+nhs@Example.CO.UK.", "[email address]."),
        ("jo (at) example.org", "[email address]"),
        (f"jo{ZWSP}@{ZWSP}example.com", "[email address]"),
        ("ｊｏ＠ｅｘａｍｐｌｅ．ｃｏｍ", "[email address]"),
        # web addresses
        ("see https://example.com/my-page?id=4.", "see [web address]."),
        ("my blog www.example.net/me", "my blog [web address]"),
        # NHS numbers (valid mod 11) with every separator people use
        ("NHS number 999 765 4323", "NHS number [NHS number]"),
        ("9997654323", "[NHS number]"),
        ("999-765-4323", "[NHS number]"),
        ("9 9 9 7 6 5 4 3 2 3", "[NHS number]"),
        (f"999{ZWSP}765{ZWSP}4323", "[NHS number]"),
        (FULL_WIDTH_NHS, "[NHS number]"),
        ("943 476 5919", "[NHS number]"),
        # National Insurance numbers
        ("NI AB123456C", "NI [National Insurance number]"),
        ("ab 12 34 56 c", "[National Insurance number]"),
        ("QQ 12 34 56 C", "[National Insurance number]"),
        # UK phone numbers, the Ofcom drama range included
        ("ring 07700 900123", "ring [phone number]"),
        ("ring 07700900123", "ring [phone number]"),
        ("ring 07700 900 123", "ring [phone number]"),
        ("ring +44 7700 900123", "ring [phone number]"),
        ("ring (0161) 496 0000", "ring [phone number]"),
        ("ring 0 7 7 0 0 9 0 0 1 2 3", "ring [phone number]"),
        (f"ring 07700{ZWSP}900123", "ring [phone number]"),
        ("ring ０７７００ ９００１２３", "ring [phone number]"),
        # postcodes
        ("we moved to NB1 4QT last year", "we moved to [postcode] last year"),
        ("nb14qt", "[postcode]"),
        ("SW1A 1AA", "[postcode]"),
        # dates: of birth when the words say so, otherwise a date
        ("born on 12/03/1985", "born on [date of birth]"),
        ("DOB: 4th May 1980", "DOB: [date of birth]"),
        ("my date of birth is March 3, 1990", "my date of birth is [date of birth]"),
        ("seen on 3 March 2021", "seen on [date]"),
        # street addresses
        ("I live at 12 Acacia Avenue now", "I live at [street address] now"),
        ("Flat 3, 27 Mill Lane", "[street address]"),
        ("4 High Street", "[street address]"),
    ],
)
def test_each_rule_replaces_its_detail(text: str, expected: str) -> None:
    assert redact(for_storage(text)).text == expected


@pytest.mark.parametrize(
    "text",
    [
        "I waited 18 weeks in 2023 for the first appointment.",
        "Samaritans on 116 123 were kind.",
        "I rang NHS 111 and pressed 2.",
        "It took 5 minutes walk and 2 hours drive.",
        "The ward had 24 beds and 3 nurses.",
        "My score went from 21 to 9 on the PHQ-9.",
        "Call 999 if a life is at risk.",
        "Ward 12, bed 4, room 101.",
        "We met at 10:30 on the 2nd floor.",
        "Text SHOUT to 85258.",
    ],
)
def test_ordinary_numbers_and_words_are_kept(text: str) -> None:
    assert redact(for_storage(text)).text == for_storage(text)


@pytest.mark.parametrize(
    ("digits", "valid"),
    [("9997654323", True), ("9434765919", True), ("9434765918", False), ("1234567890", False), ("123", False)],
)
def test_nhs_number_checksum(digits: str, valid: bool) -> None:
    assert nhs_number_is_valid(digits) is valid


def test_labels_are_reported_in_order() -> None:
    result = redact("jo@example.com, 07700 900123, NB1 4QT")
    assert result.labels == ("email address", "phone number", "postcode")
    assert result.text == "[email address], [phone number], [postcode]"


def test_storage_form_is_nfc_without_invisible_or_control_characters() -> None:
    decomposed = "Cafe\u0301 \u202eevil\u202c\x00 ok\r\n"
    assert for_storage(decomposed) == "Café evil ok"
    assert for_matching("I’M ＳＡＤ\u200b") == "i'm sad"


def test_prepare_text_keeps_its_contract() -> None:
    prepared = prepare_text("  Email jo@example.com.  ", vocabulary=["Mind"])
    assert prepared.text == "Email [email address]."
    assert prepared.redactions == ("email address",)
    assert prepared.risk_flags == () and not prepared.has_risk
    assert prepared.privacy_flags == ("replaced: email address",)


@pytest.mark.parametrize(
    ("text", "flagged"),
    [
        ("Dr Patel was brilliant with my son called Kieran.", ("Patel", "Kieran")),
        ("My care coordinator Sarah Jones left.", ("Sarah Jones",)),
        ("Nurse Okafor sat with me.", ("Okafor",)),
        ("My sister Aisha came with me.", ("Aisha",)),
        ("I went to Mind and then Talking Therapies.", ()),
        ("The GP I'd seen before was away.", ()),
        ("My mum called NHS 111.", ()),
        ("I saw Dr Living Well.", ()),
    ],
)
def test_likely_names_are_flagged_not_removed(text: str, flagged: tuple[str, ...]) -> None:
    prepared = prepare_text(text, vocabulary=["NHS 111", "Mind", "Talking Therapies", "Living Well"])
    assert prepared.name_flags == flagged
    assert prepared.text == text


@pytest.mark.parametrize(
    ("text", "attention"),
    [
        ("The wait was shit.", True),
        ("F U C K I N G awful", False),
        ("They were fucking useless.", True),
        ("sh1t service", True),
        ("I was pissed off with the letters.", True),
        ("Scunthorpe and the class assessment", False),
        ("It was hard but fine.", False),
    ],
)
def test_strong_language_marks_for_attention(text: str, attention: bool) -> None:
    assert prepare_text(text).needs_attention is attention
