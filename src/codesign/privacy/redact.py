"""Replacing identifying details with labelled placeholders such as ``[phone number]``.

Every rule finds spans in the folded text (see ``normalise.fold``); the spans are mapped
back to the stored text and replaced there. Where two rules claim overlapping text, the
rule listed first wins: an NHS number passes a checksum, so it is a surer find than a
run of digits that could be a phone number.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import phonenumbers

from codesign.privacy.normalise import Folded, fold

Span = tuple[int, int]
Finder = Callable[[str], Iterator[Span]]

EMAIL = "email address"
URL = "web address"
NHS_NUMBER = "NHS number"
NI_NUMBER = "National Insurance number"
PHONE = "phone number"
POSTCODE = "postcode"
DATE_OF_BIRTH = "date of birth"
DATE = "date"
ADDRESS = "street address"

# Separators people put inside long numbers, after folding: spaces, dashes, dots, slashes.
_SEP = r"[ \t\-\u2010-\u2015.\/]?"

_EMAIL = re.compile(r"[\w.+'-]+\s?(?:@|\(at\)|\[at\])\s?[\w-]+(?:\.[\w-]+)+", re.IGNORECASE)
_URL = re.compile(r"\b(?:https?://|www\.)[^\s<>\"]+", re.IGNORECASE)
_TRAILING_PUNCTUATION = ".,;:!?)]}'\""
_NHS = re.compile(rf"(?<![\d])\d{_SEP}\d{_SEP}\d{_SEP}\d{_SEP}\d{_SEP}\d{_SEP}\d{_SEP}\d{_SEP}\d{_SEP}\d(?![\d])")
# National Insurance: two letters, six digits, a suffix A-D, spaces anywhere as printed
# on letters. Any two letters, not only the issued prefixes: people copy HMRC's example
# "QQ 12 34 56 C" format, and a made-up number is still one to replace.
_NI = re.compile(r"\b[A-Z]\s?[A-Z]\s?\d{2}\s?\d{2}\s?\d{2}\s?[A-D]\b", re.IGNORECASE)
# UK postcodes: outward code (A9, A99, A9A, AA9, AA99, AA9A), then the inward code (9AA).
_POSTCODE = re.compile(r"\b[A-Z]{1,2}\d[A-Z\d]?\s?\d[ABD-HJLNP-UW-Z]{2}\b", re.IGNORECASE)
_MONTHS = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
)
_YEAR = r"(?:19|20)\d{2}"
_DATE = re.compile(
    rf"\b(?:\d{{1,2}}\s?[/.\-]\s?\d{{1,2}}\s?[/.\-]\s?(?:{_YEAR}|\d{{2}})"
    rf"|\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTHS}\.?,?\s+{_YEAR}"
    rf"|{_MONTHS}\.?\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+{_YEAR})\b",
    re.IGNORECASE,
)
_BIRTH_CUE = re.compile(r"(?:born|birth|d\.?o\.?b\.?|birthday)\W*(?:\w+\W+){0,3}$", re.IGNORECASE)
# A house number, one to three capitalised words, then a street word. Capitals are
# required so "5 minutes walk" or "2 hours drive" stay as they are.
_STREET_WORDS = (
    r"(?:Road|Rd|Street|St|Avenue|Ave|Lane|Close|Drive|Way|Crescent|Court|Place|Grove|Terrace|"
    r"Gardens|Walk|Row|Hill|Mews|Square|Parade|Rise|View|Park|Green)"
)
_ADDRESS = re.compile(
    rf"\b(?:[Ff]lat\s+\d{{1,4}}[A-Za-z]?,?\s+)?\d{{1,4}}[A-Za-z]?,?\s+(?:[A-Z][a-z'’]+\s+){{1,3}}{_STREET_WORDS}\b"
)
# Fewer digits than this is not a whole UK number (the shortest national numbers have 9).
_MIN_PHONE_DIGITS = 9


def _regex(pattern: re.Pattern[str]) -> Finder:
    def find(text: str) -> Iterator[Span]:
        for m in pattern.finditer(text):
            yield m.span()

    return find


def _urls(text: str) -> Iterator[Span]:
    for m in _URL.finditer(text):
        start, end = m.span()
        while end > start and text[end - 1] in _TRAILING_PUNCTUATION:
            end -= 1
        yield start, end


def nhs_number_is_valid(digits: str) -> bool:
    """The NHS number's modulus 11 check on ten digits."""
    if len(digits) != 10 or not digits.isdigit():
        return False
    total = sum(int(d) * (10 - i) for i, d in enumerate(digits[:9]))
    check = 11 - total % 11
    if check == 11:
        check = 0
    return check != 10 and check == int(digits[9])


def _nhs_numbers(text: str) -> Iterator[Span]:
    for m in _NHS.finditer(text):
        if nhs_number_is_valid("".join(ch for ch in m.group() if ch.isdigit())):
            yield m.span()


def _phones(text: str) -> Iterator[Span]:
    # POSSIBLE, not the default VALID: numbers in Ofcom's drama ranges (07700 900xxx)
    # are not valid for dialling, but they are exactly what people write as examples
    # and what a real number looks like; better to replace one too many.
    for match in phonenumbers.PhoneNumberMatcher(text, "GB", leniency=phonenumbers.Leniency.POSSIBLE):
        if sum(ch.isdigit() for ch in match.raw_string) >= _MIN_PHONE_DIGITS:
            yield match.start, match.end


def _dates(text: str) -> Iterator[Span]:
    for m in _DATE.finditer(text):
        yield m.span()


@dataclass(frozen=True)
class Rule:
    label: str
    find: Finder


# Order is priority when spans overlap.
RULES: tuple[Rule, ...] = (
    Rule(EMAIL, _regex(_EMAIL)),
    Rule(URL, _urls),
    Rule(NHS_NUMBER, _nhs_numbers),
    Rule(NI_NUMBER, _regex(_NI)),
    Rule(DATE, _dates),
    Rule(PHONE, _phones),
    Rule(POSTCODE, _regex(_POSTCODE)),
    Rule(ADDRESS, _regex(_ADDRESS)),
)


@dataclass(frozen=True)
class Redaction:
    """What ``redact`` did: the new text and the kinds of detail it replaced, in order of appearance."""

    text: str
    labels: tuple[str, ...]


def _label_for(rule: Rule, folded: Folded, start: int) -> str:
    if rule.label == DATE and _BIRTH_CUE.search(folded.text[max(0, start - 40) : start]):
        return DATE_OF_BIRTH
    return rule.label


def redact(text: str) -> Redaction:
    """Replace e-mail and web addresses, NHS and National Insurance numbers, UK phone numbers,
    postcodes, dates and street addresses with labelled placeholders.

    Args:
        text: Text in storage form (``normalise.for_storage``).

    Returns:
        The redacted text and the labels of what was replaced.
    """
    folded = fold(text)
    taken: list[tuple[int, int, str]] = []
    for rule in RULES:
        for start, end in rule.find(folded.text):
            if end <= start:
                continue
            o_start, o_end = folded.span_in_original(start, end)
            if any(o_start < t_end and t_start < o_end for t_start, t_end, _ in taken):
                continue
            taken.append((o_start, o_end, _label_for(rule, folded, start)))
    if not taken:
        return Redaction(text, ())
    taken.sort()
    parts: list[str] = []
    cursor = 0
    for start, end, label in taken:
        parts.append(text[cursor:start])
        parts.append(f"[{label}]")
        cursor = end
    parts.append(text[cursor:])
    return Redaction("".join(parts), tuple(label for _, _, label in taken))
