# ruff: noqa: E501 - one phrase per line reads better than phrases split across lines
"""Risk language: suicide, self-harm, harm to others, abuse and immediate danger.

A curated phrase list, not a model: every phrase is a regular expression on folded text
(see ``normalise.for_matching``), tested against a labelled set of risk sentences and
near misses ("killing time", "dying to see my grandson", "they cut the waiting list").

Negation and tense are handled sensibly, not perfectly:
- a negation just before a phrase ("I have never self-harmed", "I'm not suicidal")
  means no risk, unless the sentence also says it stopped ("I don't self-harm any more"),
  which is a historical mention;
- a mention with a cue such as "used to", "years ago" or "when I was a teenager" is still
  flagged, but marked historical.

A flagged story is accepted, never blocked: the participant sees support and the story
waits for a facilitator's review.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from codesign.privacy.normalise import for_matching

SUICIDE = "suicide"
SELF_HARM = "self-harm"
HARM_TO_OTHERS = "harm to others"
ABUSE = "abuse"
IMMEDIATE_DANGER = "immediate danger"

_SELF = r"(?:my ?self|me self|him ?self|her ?self|them ?selves|them ?self)"
_PEOPLE = (
    r"(?:him|her|them|someone|somebody|anyone|anybody|everyone|people|a stranger|the next person|the baby|my baby|the kids|my kids|my children|my child|"
    r"my (?:partner|husband|wife|mum|mom|dad|son|daughter|brother|sister|neighbour|boss|ex)|that (?:man|woman|guy))"
)
_ABUSER = (
    r"(?:he|she|they|(?:my|our|her|his) (?:\w+'s )?(?:partner|husband|wife|boyfriend|girlfriend|dad|mum|mom|father|mother|stepdad|stepmum|"
    r"step-dad|step-mum|brother|sister|uncle|carer|ex|son|daughter))"
)

PHRASES: dict[str, tuple[str, ...]] = {
    SUICIDE: (
        r"suicid(?:e|al)(?! prevention| awareness| training| risk assessment| squad| bridge partners)",
        r"kill(?:ing|ed|s)? " + _SELF + r"(?! laughing| with laughter| with work)",
        r"tak(?:e|ing|en) my (?:own )?life",
        r"end(?:ing|ed|s)? (?:my|his|her|their|your) (?:own )?li(?:fe|ves)",
        r"end(?:ing|ed)? (?:it|things) (?:all|for good)",
        r"wanted to end (?:it|things)\b",
        r"\bwant(?:ed|s)? to die\b(?! of| laughing)",
        r"\bwish(?:es|ed)? (?:i|he|she|they) (?:was|were|had|'d) (?:dead|never been born|not here)",
        r"(?:better off|happier|easier) (?:for everyone )?(?:dead|without me|if i (?:was|were|wasn't|weren't) (?:gone|dead|here|around|alive))",
        r"(?:don't|do not|didn't|did not|doesn't|does not) want to (?:be here|be alive|wake up|exist)",
        r"(?:don't|do not|didn't|did not|doesn't|does not) want to live(?! in| with| near| on| at| there| here| somewhere| like)",
        r"no (?:point|reason) (?:in )?(?:living|to live|going on|being alive|carrying on)",
        r"(?:not|n't) worth living",
        r"(?:can't|cannot|couldn't) (?:go on|carry on)(?: like this)?(?! with| the)",
        r"overdos(?:e|ed|ing)(?! (?:awareness|prevention|training|kits?|response))|\bod'd\b",
        r"(?:too many|a whole (?:box|packet) of|an entire (?:box|packet) of) (?:of )?(?:my |her |his |the )?(?:pills|tablets|meds|medication|paracetamol|antidepressants|sleeping pills)",
        r"(?:rather|prefer to|prefer) not (?:to )?wake up",
        r"(?:hang|hanging|hanged|hung) " + _SELF,
        r"jump(?:ing|ed)? (?:off (?:the |a )?(?:bridge|building|roof|car park|cliff)|in front of (?:a |the )?(?:train|bus|car|lorry))",
        r"stockpil(?:e|ed|ing)",
        r"plan(?:ned|ning|s)? (?:how )?to (?:end (?:it|my life|things)|kill|die|take my)",
        r"(?:suicide|goodbye) note",
        r"(?:thoughts|thinking) (?:of|about) (?:dying|death|ending|not being here)",
        r"(?:swallowed|took|taking|take) (?:all|a whole box of|a load of|loads of|a handful of) (?:my |the )?(?:pills|tablets|meds|medication|paracetamol)",
        r"\b(?:a|the) rope\b(?! (?:swing|bridge|course))|\bnoose\b",
        r"not be(?:ing)? (?:here|around) any ?more",
    ),
    SELF_HARM: (
        r"self[- ]?harm",
        r"self[- ]?injur",
        r"(?:been|started|is|was|am) cutting (?:again|herself|himself|myself|themselves)",
        r"cut(?:ting|s)? " + _SELF + r"(?! off)",
        r"cuts (?:on|all over|up and down|across) (?:my|his|her|their) (?:arms?|legs?|wrists?|thighs?|stomach)",
        r"cut(?:ting|s)? (?:my|me|his|her|their) (?:arms?|legs?|wrists?|skin|thighs?|stomach)",
        r"burn(?:ing|t|ed|s)? " + _SELF + r"(?! out)",
        r"(?:hurt|harm|hit|punch|slap)(?:ing|ed|s)? "
        + _SELF
        + r"(?! (?:playing|at|in the|falling|lifting|tripping|on the))",
        r"(?:scratch|pick)(?:ing|ed|es)? (?:at )?(?:"
        + _SELF[3:-1]
        + r"|my skin|my arms) (?:until|till|til) (?:i|it|they|he|she) (?:bleed|bleeds|bled)",
        r"head[- ]?bang(?:ing)?(?! music)",
        r"punch(?:ing|ed)? (?:walls?|the wall) (?:until|till|to)",
        r"starv(?:e|ing|ed) " + _SELF,
        r"bang(?:s|ing|ed)? (?:my|his|her|their) head (?:against|on) (?:the |a )?(?:wall|floor|door)",
    ),
    HARM_TO_OTHERS: (
        r"(?:going to|gonna|want(?:ed)? to|will|i'll|i'd|would|thought about|thinking about|think about|urges? to|scared i'll|afraid i'll|worried i'll|might|could)(?: really| actually| seriously)? "
        r"(?:kill(?:ing)?|hurt(?:ing)?|stab(?:bing)?|strangl(?:e|ing)|shoot(?:ing)?|smother(?:ing)?|attack(?:ing)?|harm(?:ing)?|batter(?:ing)?|beat(?:ing)? up|shak(?:e|ing)) "
        + _PEOPLE,
        r"voices (?:were |are |keep |kept )?(?:telling|tell|told) (?:me|him|her) to (?:hurt|kill|harm|attack)",
        r"(?:carr(?:y|ies|ying|ied)|bought|got) a (?:knife|blade|weapon|gun)\b(?! (?:block|sharpener|and fork))",
    ),
    ABUSE: (
        r"(?:sexually|physically|emotionally|financially) abus",
        r"(?<!substance )(?<!alcohol )(?<!drug )(?<!verbal )(?<!verbally )\babus(?:e|ed|ing|ive|er)\b(?! (?:of )?(?:the |this |that |our |their |a )?(?:\w+ )?(?:system|process|power|trust|app|website|policy|rules|booking))",
        r"domestic (?:abuse|violence)",
        r"\brap(?:e|ed|ing|ist)\b",
        r"\bmolest",
        r"\bgroom(?:ed|ing)\b(?! (?:dog|horse|pet))",
        _ABUSER
        + r" (?:hits|hit|beats|beat|punches|punched|kicks|kicked|chokes|choked|strangles|strangled|slaps|slapped|burns|burned|burnt|shoved|hurts|hurt) (?:me|us|my|her|him|them)\b(?! (?:at|to) | with (?:a|the|another) | in (?:the |a )?(?:final|game|match|race|quiz)| (?:wrist|ankle|knee|back|neck|shoulder|leg|foot|head)\b)",
        _ABUSER + r" push(?:es|ed)? (?:me|us) (?:down|over|against|into|around|about)",
        r"(?:touch(?:es|ed|ing)) me (?:where|when|in a way|and|at night)",
        r"makes? me (?:do|touch) (?:things|stuff|him|her)",
        r"coercive control",
        r"sexual (?:messages|photos|pictures|images|touching|assault|abuse)",
        r"sexually assault",
        r"(?:controls|controlled|takes|took|keeps|kept) (?:all )?my (?:money|phone|bank card|benefits|pension|wages)",
        r"(?:won't|doesn't|wouldn't|didn't) let me (?:leave|see (?:my )?(?:friends|family)|go out|eat|sleep)",
        r"lock(?:s|ed)? me (?:in|out|up)",
        r"threaten(?:s|ed|ing)? to (?:kill|hurt|hit|stab|beat|take the kids|take my)",
        r"(?:scared|afraid|frightened|terrified) of (?:him|her|my (?:partner|husband|wife|dad|stepdad|boyfriend|girlfriend|ex))\b",
        r"\bneglect(?:ed|ing)? (?:me|us|the kids|the children|my)",
    ),
    IMMEDIATE_DANGER: (
        r"(?:not|n't) safe (?:at home|to go home|here|right now|tonight|with him|with her)",
        r"(?:scared|afraid|frightened|terrified) to go home",
        r"(?:not|n't) safe to be (?:left )?(?:alone|on (?:her|his|their|my) own|by (?:her|him|my)self)",
        r"(?:i'm|i am) in danger",
        r"(?:don't|do not|didn't|did not) feel safe\b(?! (?:asking|talking|telling|saying|sharing|with the|in the group))",
        r"(?:can't|cannot|couldn't|can not) keep (?:my ?self|me|him|her|them) safe",
        r"on (?:the|a) (?:bridge|roof|ledge|railway line|railway|tracks|train tracks)\b[^.!?]{0,20}(?:right now|now|tonight)",
        r"(?:tonight|right now|today)[^.!?]{0,40}(?:end it|kill "
        + _SELF
        + r"|take (?:all )?(?:my|the) (?:pills|tablets))",
        r"(?:end it|kill " + _SELF + r"|do it)[^.!?]{0,20}(?:tonight|right now|today)",
        r"(?:i have|i've got|got) (?:the )?(?:pills|tablets|rope|knife|blade) (?:here|with me|ready|in my bag)",
        r"(?:he's|she's|they're) (?:outside (?:the|my|our) (?:house|flat|door|room)|at the door|coming back) (?:and|with|to|now|right now)",
        r"help me (?:please )?(?:now|i'm scared)",
    ),
}

# A negation in the few words before a phrase cancels it ("I have never self-harmed").
_NEGATION = re.compile(
    r"\b(?:not|never|no|don't|didn't|doesn't|isn't|wasn't|aren't|weren't|won't|wouldn't|haven't|hasn't|hadn't|"
    r"nor|without)\b"
)
_NEGATION_WINDOW_WORDS = 3
# Words that start a new proposition: a negation before them does not reach the phrase.
_SCOPE_BREAK = re.compile(r"\b(?:if|whether|that|because|but|so|until|and|when|who)\b")
_STOPPED = re.compile(r"\b(?:any ?more|no longer|these days|now)\b")
_HISTORICAL = re.compile(
    r"\b(?:used to|years? ago|months ago|long time ago|when i was (?:a |an |younger|little|young|at|in)|"
    r"in the past|as a (?:teenager|teen|child|kid|student)|back then|back in|(?:in|of|through|during) my (?:teens|twenties|thirties|youth)|"
    r"at school|at uni|last year|since then|recovered|in (?:19|20)\d\d|years back|"
    r"when i was \d+|at (?:the age of )?\d+ years old|i was \d+ when)\b"
)
_SENTENCE = re.compile(r"(?<=[.!?;])\s+|\n+")

_COMPILED: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (category, re.compile(pattern)) for category, patterns in PHRASES.items() for pattern in patterns
)


@dataclass(frozen=True)
class RiskMatch:
    """One risk phrase found: its category, the words matched, and whether it is about the past."""

    category: str
    phrase: str
    historical: bool


@dataclass(frozen=True)
class RiskCheck:
    """What the safeguarding check found in one text."""

    matches: tuple[RiskMatch, ...] = ()

    @property
    def categories(self) -> tuple[str, ...]:
        """Categories found, each once, in the order of ``PHRASES``."""
        found = {m.category for m in self.matches}
        return tuple(c for c in PHRASES if c in found)

    @property
    def has_risk(self) -> bool:
        return bool(self.matches)

    @property
    def historical_only(self) -> bool:
        return bool(self.matches) and all(m.historical for m in self.matches)


def _negated(before: str) -> bool:
    words = before.split()[-_NEGATION_WINDOW_WORDS - 1 :]
    window = " ".join(words)
    last_negation = None
    for m in _NEGATION.finditer(window):
        last_negation = m
    if last_negation is None:
        return False
    return not _SCOPE_BREAK.search(window[last_negation.end() :])


def check_risk(text: str) -> RiskCheck:
    """Find risk language in participant text.

    Args:
        text: What the participant typed (any form; it is folded here).

    Returns:
        Every phrase found, with its category and whether it is historical.
    """
    folded = for_matching(text)
    matches: list[RiskMatch] = []
    for sentence in _SENTENCE.split(folded):
        if not sentence:
            continue
        historical_sentence = bool(_HISTORICAL.search(sentence))
        taken: list[tuple[int, int]] = []
        for category, pattern in _COMPILED:
            for m in pattern.finditer(sentence):
                if any(m.start() < end and start < m.end() for start, end in taken):
                    continue
                historical = historical_sentence
                if _negated(sentence[: m.start()]):
                    if not _STOPPED.search(sentence[m.end() :]):
                        continue
                    historical = True  # "I don't self-harm any more"
                taken.append(m.span())
                matches.append(RiskMatch(category, m.group(), historical))
    return RiskCheck(tuple(matches))
