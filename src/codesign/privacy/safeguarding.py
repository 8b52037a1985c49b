# ruff: noqa: E501 - cue lists read better one per line
"""Risk disclosures: suicide, self-harm, abuse, domestic violence, harm to others, danger now.

Two signals, combined (see docs/DESIGN.md, "Safeguarding"):

1. **Phrase families** (``risk_phrases``): how disclosures are phrased, by category and
   form, each with a severity. A match is then read in its sentence:
   - a negation in the same clause just before it cancels it ("I have never self-harmed",
     "I'd never take my own life"), unless the sentence says it stopped ("I don't
     self-harm any more"), which is a historical mention; a negation of another verb
     ("nobody knew I was cutting", "I can't stop thinking about dying") does not;
   - a cue such as "used to", "years ago" or "when I was nineteen" marks it historical;
   - a family that names a risk as a subject ("suicide", "self-harm", "neglect") is no
     disclosure in a sentence that only talks about the subject: training, policy, a
     leaflet, what staff should do, a question someone was asked;
   - a hypothetical ("ring if you can't keep yourself safe"), an accident ("I cut my hand
     chopping onions"), a joke ("I could kill him, but I love him to bits") or help given
     with consent ("my son takes my bank card to the shop for me") cancels the families
     those cues are about.
2. **Similarity** (``prototypes``): a sentence no family caught is compared with a curated
   bank of prototype disclosures and of safe sentences, using the product's own static
   embedding model; it is flagged when it is clearly closer to a disclosure than to any
   safe sentence. The threshold was chosen on the tuning part of the labelled set only.
   Sentences with a negation, a talk cue or a hypothetical are left to the phrase families,
   because an averaged word embedding cannot read them.

A flagged text is accepted, never blocked: the participant sees support and the text waits
for a facilitator's review. Its severity tells the facilitator what to do first.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from codesign.privacy.normalise import for_matching
from codesign.privacy.risk_phrases import (
    ABUSE,
    CATEGORIES,
    COMPILED,
    CONCERN,
    DOMESTIC_VIOLENCE,
    HARM_TO_OTHERS,
    IMMEDIATE_DANGER,
    SELF_HARM,
    SUICIDE,
    URGENT,
    Family,
)

__all__ = [
    "ABUSE",
    "CATEGORIES",
    "CONCERN",
    "DOMESTIC_VIOLENCE",
    "HARM_TO_OTHERS",
    "IMMEDIATE_DANGER",
    "PAST",
    "SELF_HARM",
    "SEVERITIES",
    "SUICIDE",
    "URGENT",
    "RiskCheck",
    "RiskMatch",
    "check_risk",
    "most_severe",
    "next_step",
    "severity_rank",
]

PAST = "past"
SEVERITIES = (URGENT, CONCERN, PAST)
"""Most urgent first: a plan, an attempt or danger now; thoughts or harm going on; only the past."""

# --- reading a match in its sentence ----------------------------------------------------
_NEGATION = re.compile(
    r"\b(?:not|never|no|don't|didn't|doesn't|isn't|wasn't|aren't|weren't|won't|wouldn't|haven't|hasn't|hadn't|"
    r"nor|without|nobody|no one|none|cannot|can't|couldn't|shouldn't)\b"
)
_NEGATION_WINDOW_WORDS = 8
# Words that start a new proposition: a negation before them does not reach the phrase.
_SCOPE_BREAK = re.compile(
    r"\b(?:if|whether|that|because|but|so|until|and|when|who|which|since|though|although)\b|[,;:]"
)
# A negation of one of these verbs is about that verb, not the risk after it.
_OTHER_VERB = re.compile(
    r"\b(?:know|knows|knew|notice|noticed|ask|asked|realise|realised|realize|realized|see|saw|sees|believe|believes|believed|"
    r"listen|listened|listens|care|cares|cared|help|helped|helps|tell|told|tells|understand|understood|understands|stop|stopped|"
    r"stops|get rid of|shake|seem to|remember)\b"
)
_STOPPED = re.compile(r"\b(?:any ?more|no longer|these days|now)\b")
_HISTORICAL = re.compile(
    r"\b(?:used to|years? ago|months ago|long time ago|a long time ago|long ago|when i was (?:a |an |younger|little|small|young|at|in|\d+|\w+teen\b|twenty|thirty|forty|fifty)|"
    r"in the past|as a (?:teenager|teen|child|kid|student|young \w+)|back then|back in|(?:in|of|through|during) my (?:teens|twenties|thirties|forties|youth|childhood)|"
    r"at school|at uni|at college|last year|since then|recovered|in (?:19|20)\d\d|years back|in the (?:eighties|nineties|seventies|sixties|80s|90s|70s)|"
    r"when i was \d+|at (?:the age of )?\d+ years old|i was \d+ when|i've stopped|i have stopped|but i stopped|sorted that out|i left (?:him|her) )"
)
# A cue that it is going on now wins over a historical one in the same sentence.
_CURRENT = re.compile(
    r"\b(?:last night|yesterday|this week|this morning|today|tonight|at the moment|lately|recently|right now)\b"
)
_NOW = re.compile(
    r"\b(?:tonight|right now|today|this weekend|this evening|after this|when i get home|as soon as i get (?:home|in|back)|after today|as i (?:write|type) this)\b"
)
# Talk about a risk as a subject: cancels only families marked ``topic``.
_TOPIC_TALK = re.compile(
    r"\b(?:training|trained|policy|policies|leaflets?|posters?|strateg(?:y|ies)|awareness|prevention|campaign|course|talks? (?:about|on)|talked about|discuss\w*|"
    r"questions? about|form|assessment|died by|bereav\w*|film|book|programme|scene|charity|helpline|unit|team|"
    r"should|shouldn't|need to|needs to|must|ought to|research|statistics|news|reports? of|signs of|spot|investigat\w*|mentions?|"
    r"attention seeking|stigma|explained|safeguarding lead|support for)\b"
)
# Talk cues strong enough to cancel any family: the sentence is about how to respond.
_STRONG_TALK = re.compile(
    r"\b(?:how to (?:support|help|talk to|respond|spot|ask|cope with)|what to do (?:if|when)|what staff should|signs of|risk assessments?|"
    r"explained (?:what|how|that)|statistics|in the news|reports of|training (?:on|about)|a talk (?:about|on)|gave a talk|leaflet (?:on|about))\b"
)
# Someone's own state, just before a topic word: "I felt suicidal", "he had suicidal thoughts".
_EXPERIENCE = re.compile(
    r"\b(?:i|he|she|they|we|my \w+|his \w+|her \w+)\b(?: \w+){0,2} (?:felt|feel|feels|feeling|was|am|'m|is|were|been|became|get|gets|got|had|have|has|went|lives with|living with|used to|started|stopped|began|do|did|does|keep|kept)\b(?: \w+){0,2} ?$"
)
# A reported question ("the nurse asked if I felt safe") is not an answer to it.
_QUESTION = re.compile(
    r"\b(?:asked|ask|asks|asking)(?: me| us| them| him| her| people| someone| everyone| patients)?(?: straight out| directly| outright)? (?:if|whether|about)\b"
)
_NOBODY_ASKED = re.compile(
    r"\b(?:nobody|no one|no-one|never|didn't|did not|not once|no-one ever|nobody ever|no one ever)\b[^.!?]{0,12}$"
)
_SAID_YES = re.compile(
    r"\b(?:i said yes|said yes|i told (?:them|her|him) (?:yes|i was|i had)|i admitted|i had to admit)\b"
)
_HYPOTHETICAL = re.compile(
    r"\b(?:if|in case|whenever) (?:you|yourself|someone|somebody|anyone|a patient|people|they|i ever|i'm ever|i felt|i feel|i couldn't|i can't|i could)\b|\bwhat happens if\b"
)
_ACCIDENT = re.compile(
    r"\b(?:chopping|cooking|slipped|fell|falling|tripped|accident\w*|by mistake|playing|doing the garden|shaving|shaved|bramble|gardening|"
    r"on (?:a|the) (?:oven|kettle|iron|door|beam|cupboard|stove|barbecue|tin|knife|glass)|the (?:cat|dog)|rugby|football|lifting)\b"
)
_INTENT = re.compile(
    r"\b(?:on purpose|deliberately|to feel|to hurt|to punish|to cope|to calm|to make (?:the|it)|until|till|so the|when i'm (?:upset|angry|overwhelmed|distressed|anxious|low|stressed)|"
    r"when the (?:voices|pressure|anxiety))\b"
)
_CONSENTED = re.compile(
    r"\b(?:for me\b|my permission|with permission|i asked (?:him|her|them) to|which i asked|because i (?:can't|kept|keep|lose|lost|asked)|i don't mind|to help me|"
    r"has charge|for everyone's safety|the rule for everyone|it's a (?:family )?joke|family joke)"
)
_JOKE = re.compile(
    r"\b(?:ha|haha|lol|joke|joking|kidding|but i love|love (?:him|her|them) to bits|annoying|drives? me (?:mad|up the wall|round the bend)|who invented)\b|"
    r"if (?:he|she) leaves? (?:his|her) (?:socks|shoes|dishes|clothes)"
)
# Everyday idioms with risk words, which an averaged word embedding reads as risk.
_IDIOM = re.compile(
    r"\b(?:dying (?:to|for)|killing (?:me|time)|to die for|nearly died|could have died|died laughing|dead on my feet|end of my tether|"
    r"at the end of the day|killer|deadline|over my dead body|drop dead gorgeous|burn(?:t|ed)? (?:my ?self )?out)\b"
)
# The similarity signal judges only sentences with at least one word from the vocabulary of
# harm, death, danger or abuse: an averaged embedding of a sentence without one is noise.
_RISK_WORD = re.compile(
    r"\b(?:di(?:e|ed|es|ing)|dead|death|deaths|kill\w*|suicid\w*|end(?:ing)? (?:it|my life|things)|life|live|living|alive|exist\w*|gone|"
    r"hurt\w*|harm\w*|cut\w*|burn\w*|bleed\w*|blood\w*|blade\w*|razor\w*|knife|knives|weapon\w*|gun|rope|pills?|tablets?|overdos\w*|poison\w*|"
    r"jump\w*|bridge|hang\w*|drown\w*|hit\w*|beat\w*|punch\w*|kick\w*|slap\w*|chok\w*|strangl\w*|throat|neck|bruis\w*|abus\w*|rap\w*|"
    r"touch\w*|sex\w*|money|benefits|pension|controls?|allowed|locked|scared|afraid|terrified|frightened|unsafe|safe|danger\w*|threat\w*|"
    r"voices?|attack\w*|stab\w*|shoot|shot|smother\w*|punish\w*|starv\w*|goodbye|plan\w*|tonight|suffer\w*|violen\w*|neglect\w*|left alone)\b"
)
_SENTENCE = re.compile(r"(?<=[.!?;])\s+|\n+")

_ORDERED: tuple[tuple[Family, re.Pattern[str]], ...] = tuple(
    # Families that describe an event claim their words before those that name a topic, and
    # within each, urgent ones first: "I tried to hang myself" is an attempt, not a thought.
    sorted(COMPILED, key=lambda item: (item[0].topic, item[0].severity != URGENT))
)
_ACCIDENT_FORMS = {(SELF_HARM, "method"), (SELF_HARM, "general")}
_CONSENT_FORMS = {(ABUSE, "financial"), (ABUSE, "coercive control")}
_JOKE_CATEGORIES = {HARM_TO_OTHERS, DOMESTIC_VIOLENCE, ABUSE}


@dataclass(frozen=True)
class RiskMatch:
    """One risk found: its category, the words (or prototype) matched, tense, severity and signal."""

    category: str
    phrase: str
    historical: bool
    severity: str = CONCERN
    """``urgent`` or ``concern`` as said; a historical match is reported as ``past`` by ``RiskCheck``."""
    form: str = ""
    source: str = "phrase"
    """``phrase`` (a phrase family) or ``similarity`` (close to a prototype disclosure)."""


def most_severe(severities: tuple[str, ...] | list[str]) -> str:
    """The most urgent of some severities (``""`` if none)."""
    for level in SEVERITIES:
        if level in severities:
            return level
    return ""


def severity_rank(severity: str) -> int:
    """0 for urgent, 1 for concern, 2 for past; a flag stored without a severity counts as concern."""
    return SEVERITIES.index(severity) if severity in SEVERITIES else 1


SEVERITY_LABELS = {
    URGENT: "Urgent: a life may be at risk now",
    CONCERN: "Concern: current risk",
    PAST: "About the past",
}


def next_step(severity: str, lead: str) -> str:
    """What the facilitator should do about a flag, in one or two plain sentences.

    Args:
        severity: The flag's severity (``urgent``, ``concern``, ``past``; anything else counts as concern).
        lead: The workshop's safeguarding lead and how to reach them ("" if none is set).
    """
    who = f"the safeguarding lead ({lead.strip()})" if lead.strip() else "your safeguarding lead"
    if severity == URGENT:
        return (
            f"Act now. If anyone's life is at risk now, call 999. Then tell {who} straight away; "
            "do not wait for the end of the session. The participant's phone is already showing support contacts."
        )
    if severity == PAST:
        return f"About the past. No emergency action; mention it to {who} today, and keep it off the wall unless it is safe to share."
    return (
        f"Tell {who} today, before people leave. It is not an emergency unless you learn more; "
        "the participant's phone is already showing support contacts."
    )


@dataclass(frozen=True)
class RiskCheck:
    """What the safeguarding check found in one text."""

    matches: tuple[RiskMatch, ...] = ()

    @property
    def categories(self) -> tuple[str, ...]:
        """Categories found, each once, in the order of ``CATEGORIES``."""
        found = {m.category for m in self.matches}
        return tuple(c for c in CATEGORIES if c in found)

    @property
    def has_risk(self) -> bool:
        return bool(self.matches)

    @property
    def historical_only(self) -> bool:
        return bool(self.matches) and all(m.historical for m in self.matches)

    @property
    def severity(self) -> str:
        """``urgent``, ``concern``, ``past`` (every mention is about the past), or ``""`` (no risk)."""
        return most_severe([PAST if m.historical else m.severity for m in self.matches])


def _negated(before: str) -> bool:
    clause = _SCOPE_BREAK.split(before)[-1] if before else ""
    words = clause.split()[-_NEGATION_WINDOW_WORDS:]
    window = " ".join(words)
    last = None
    for m in _NEGATION.finditer(window):
        last = m
    if last is None:
        return False
    return not _OTHER_VERB.search(window[last.end() :])


def _talk(family: Family, sentence: str, start: int) -> bool:
    """True if the sentence only talks about the risk, or asks about it, or supposes it."""
    before = sentence[:start]
    if _STRONG_TALK.search(sentence):
        return True
    questions = list(_QUESTION.finditer(before))
    question = questions[-1] if questions else None
    if question is not None and not _NOBODY_ASKED.search(before[: question.start()]) and not _SAID_YES.search(sentence):
        return True
    if _HYPOTHETICAL.search(before):
        return True
    return family.topic and bool(_TOPIC_TALK.search(sentence)) and not _EXPERIENCE.search(before)


def _cancelled(family: Family, sentence: str) -> bool:
    key = (family.category, family.form)
    if key in _ACCIDENT_FORMS and _ACCIDENT.search(sentence) and not _INTENT.search(sentence):
        return True
    if key in _CONSENT_FORMS and _CONSENTED.search(sentence):
        return True
    return family.category in _JOKE_CATEGORIES and bool(_JOKE.search(sentence))


def _phrase_matches(sentence: str) -> list[RiskMatch]:
    historical_sentence = bool(_HISTORICAL.search(sentence)) and not _CURRENT.search(sentence)
    now = bool(_NOW.search(sentence))
    taken: list[tuple[int, int, str]] = []
    found: list[RiskMatch] = []
    for family, pattern in _ORDERED:
        for m in pattern.finditer(sentence):
            if any(
                m.start() < end and start < m.end() for start, end, category in taken if category == family.category
            ):
                continue
            if _talk(family, sentence, m.start()) or _cancelled(family, sentence):
                continue
            historical = historical_sentence
            inner = family.negates_inside and _NEGATION.search(m.group())
            if inner or _negated(sentence[: m.start()]):
                if not _STOPPED.search(sentence[m.end() :]):
                    continue
                historical = True  # "I don't self-harm any more"
            taken.append((m.start(), m.end(), family.category))
            severity = URGENT if now and family.category in (SUICIDE, SELF_HARM, HARM_TO_OTHERS) else family.severity
            found.append(RiskMatch(family.category, m.group(), historical, severity, family.form))
    if now and not any(m.category == IMMEDIATE_DANGER for m in found):
        # "I'm going to end it tonight": a disclosure with a time that is now is danger now.
        for earlier in found:
            if earlier.category in (SUICIDE, SELF_HARM, HARM_TO_OTHERS) and not earlier.historical:
                found.append(RiskMatch(IMMEDIATE_DANGER, earlier.phrase, False, URGENT, "now"))
                break
    return found


def sentences(text: str) -> list[str]:
    """The folded sentences of a text, as the check reads them."""
    return [s for s in _SENTENCE.split(for_matching(text)) if s]


def similarity_eligible(sentence: str) -> bool:
    """Whether the similarity signal may judge a sentence: not one with a negation, talk,
    a question, a hypothetical, an accident or a joke, which only the phrase families read."""
    return bool(_RISK_WORD.search(sentence)) and not (
        _NEGATION.search(sentence)
        or _TOPIC_TALK.search(sentence)
        or _QUESTION.search(sentence)
        or _HYPOTHETICAL.search(sentence)
        or _ACCIDENT.search(sentence)
        or _JOKE.search(sentence)
        or _CONSENTED.search(sentence)
        or _IDIOM.search(sentence)
    )


def check_risk(text: str, *, similarity: bool = True) -> RiskCheck:
    """Find risk disclosures in participant text.

    Args:
        text: What the participant typed (any form; it is folded here).
        similarity: Also compare sentences no phrase family caught with the prototype bank
            (on by default; off only to measure the phrase families alone).

    Returns:
        Every disclosure found, with its category, severity and whether it is historical.
    """
    matches: list[RiskMatch] = []
    unmatched: list[str] = []
    for sentence in sentences(text):
        found = _phrase_matches(sentence)
        matches.extend(found)
        if not found and similarity_eligible(sentence):
            unmatched.append(sentence)
    if similarity and unmatched:
        from codesign.privacy import prototypes  # the model loads on first use

        for sentence, hit in zip(unmatched, prototypes.nearest_disclosures(unmatched), strict=True):
            if hit is not None:
                historical = bool(_HISTORICAL.search(sentence)) and not _CURRENT.search(sentence)
                severity = URGENT if _NOW.search(sentence) else hit.severity
                matches.append(RiskMatch(hit.category, hit.text, historical, severity, hit.form, "similarity"))
    return RiskCheck(tuple(matches))
