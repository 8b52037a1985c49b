"""The second safeguarding signal: similarity to a curated bank of prototype disclosures.

Each prototype is a short, plain way of saying one form of one category, written for this
project from the categories and forms in the safeguarding brief (not copied from the
labelled sets). A bank of safe sentences (talk about risk, idioms, accidents, everyday
service stories) sits beside it. A sentence is embedded with the product's own static
model (``codesign.themes.embedding``: offline, shipped with the package, well under a
millisecond a sentence) and flagged when its nearest disclosure is at least ``FLOOR``
similar and beats its nearest safe sentence by at least ``MARGIN``.

``FLOOR`` and ``MARGIN`` were chosen on the tuning part of the labelled set only
(``bench/bench_safeguarding.py --tune`` prints the sweep) by a fixed rule: the pair at
which the signal, on its own, catches the most disclosures while raising no false alarm on
the tuning near misses.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

import numpy as np
from numpy.typing import NDArray

from codesign.privacy.risk_phrases import (
    ABUSE,
    CONCERN,
    DOMESTIC_VIOLENCE,
    HARM_TO_OTHERS,
    IMMEDIATE_DANGER,
    SELF_HARM,
    SUICIDE,
    URGENT,
)
from codesign.themes.embedding import load_static_model

FLOOR = 0.65
MARGIN = 0.08


@dataclass(frozen=True)
class Prototype:
    category: str
    form: str
    severity: str
    text: str


def _bank(category: str, form: str, severity: str, *texts: str) -> tuple[Prototype, ...]:
    return tuple(Prototype(category, form, severity, t) for t in texts)


DISCLOSURES: tuple[Prototype, ...] = (
    *_bank(
        SUICIDE,
        "passive wish",
        CONCERN,
        "I want to die",
        "I wish I was dead",
        "I wish I could stop existing",
        "I don't want to be alive any more",
        "everyone would be better off without me",
        "there is no reason for me to live",
        "my life is not worth living",
        "I wish I would never wake up",
        "I'm a burden and I should be gone",
        "I'd be glad to be dead",
    ),
    *_bank(
        SUICIDE,
        "thoughts",
        CONCERN,
        "I keep thinking about killing myself",
        "I think about suicide every day",
        "I have thoughts of ending my life",
        "the thoughts of dying will not go away",
        "I think about how I would die",
        "I want to end it all",
    ),
    *_bank(
        SUICIDE,
        "method",
        URGENT,
        "I have been looking up ways to kill myself",
        "I know which pills would kill me",
        "I think about jumping in front of a train",
        "I know where I would jump from",
    ),
    *_bank(
        SUICIDE,
        "intent",
        URGENT,
        "I am going to kill myself",
        "I have decided to end my life",
        "I will not be alive much longer",
        "I intend to die soon",
    ),
    *_bank(
        SUICIDE,
        "plan",
        URGENT,
        "I have a plan to kill myself",
        "I have chosen the day I will die",
        "I have worked out how to end it",
    ),
    *_bank(
        SUICIDE,
        "preparation",
        URGENT,
        "I have been saving pills to overdose",
        "I have written my suicide note",
        "I have given my things away before I die",
        "I bought a rope to hang myself",
    ),
    *_bank(
        SUICIDE,
        "attempt",
        URGENT,
        "I tried to kill myself",
        "I took an overdose of my pills",
        "I swallowed all my tablets",
        "I tried to hang myself",
        "I was in hospital after trying to end my life",
        "I jumped to try to die",
        "I drank poison to die",
    ),
    *_bank(
        SELF_HARM,
        "method",
        CONCERN,
        "I cut my arms with a blade",
        "I burn my skin on purpose",
        "I hit myself until I bruise",
        "I hurt myself to cope",
        "I scratch my skin until it bleeds",
        "I bang my head against the wall",
        "I harm my body when I'm upset",
        "I punish myself by hurting my body",
        "I bite myself until I bleed",
        "I starve myself to punish myself",
    ),
    *_bank(
        ABUSE,
        "physical",
        CONCERN,
        "my carer hits me",
        "my dad beats me",
        "my mum slaps me",
        "the staff hurt me",
        "my son pushes me around and hurts me",
        "someone at home hurts me and leaves bruises",
    ),
    *_bank(
        ABUSE,
        "sexual",
        CONCERN,
        "he sexually abused me",
        "he touched me sexually",
        "he raped me",
        "he forced me to have sex",
        "he made me do sexual things",
        "an adult made me send naked pictures",
    ),
    *_bank(
        ABUSE,
        "emotional",
        CONCERN,
        "she tells me I am worthless every day",
        "he humiliates me and calls me names",
        "my parents say they wish I was never born",
        "my carer threatens and frightens me",
    ),
    *_bank(
        ABUSE,
        "financial",
        CONCERN,
        "my family takes my money without asking",
        "he steals my benefits",
        "my carer steals from me",
        "my son takes my pension and leaves me nothing",
    ),
    *_bank(
        ABUSE,
        "coercive control",
        CONCERN,
        "he controls everything I do",
        "he won't let me see my friends or family",
        "I'm not allowed out without his permission",
        "she monitors my phone and who I talk to",
    ),
    *_bank(
        ABUSE,
        "neglect",
        CONCERN,
        "my carer leaves me without food",
        "they leave me alone for days with no help",
        "nobody washes or feeds me",
        "the home leaves my mum dirty and hungry",
    ),
    *_bank(
        DOMESTIC_VIOLENCE,
        "strangulation",
        URGENT,
        "my partner strangled me",
        "he choked me until I couldn't breathe",
        "he strangled me with his hands",
    ),
    *_bank(
        DOMESTIC_VIOLENCE,
        "physical",
        CONCERN,
        "my husband hits me",
        "my boyfriend beats me up",
        "my partner punched me",
        "my wife attacks me",
        "my partner kicked me when I was on the floor",
        "he is violent towards me",
    ),
    *_bank(
        DOMESTIC_VIOLENCE,
        "threats",
        URGENT,
        "he threatened to kill me",
        "my partner says he will hurt the children if I leave",
        "he came at me with a knife",
    ),
    *_bank(
        HARM_TO_OTHERS,
        "intent",
        URGENT,
        "I want to kill him",
        "I am going to hurt someone",
        "I have thoughts of killing my family",
        "I want to hurt my baby",
        "I am going to stab him",
        "I want to make them suffer",
    ),
    *_bank(
        HARM_TO_OTHERS,
        "command hallucinations",
        URGENT,
        "the voices tell me to kill people",
        "the voices are telling me to hurt my family",
        "a voice orders me to attack someone",
    ),
    *_bank(HARM_TO_OTHERS, "weapon", URGENT, "I carry a knife to use on someone", "I have a weapon to hurt him"),
    *_bank(
        IMMEDIATE_DANGER,
        "now",
        URGENT,
        "I can't keep myself safe tonight",
        "I am going to end my life tonight",
        "I am about to jump",
        "I have the pills in front of me right now",
        "I am not safe at home right now",
        "he is coming to hurt me now",
        "I won't survive tonight",
        "this is my last message",
    ),
)

SAFE: tuple[str, ...] = (
    "the staff had training about suicide prevention",
    "the leaflet was about self-harm",
    "the policy says staff should ask about abuse",
    "we talked about how services respond to risk",
    "the nurse asked if I was safe",
    "I am not suicidal",
    "I'm dying for a cup of tea",
    "my feet are killing me",
    "I nearly died laughing",
    "I could kill for a coffee",
    "I cut my finger while cooking",
    "I burnt my hand on the oven",
    "I hit my head on the cupboard",
    "I fell and hurt my knee",
    "the waiting list was very long",
    "the GP was kind and listened to me",
    "they cut the funding for the service",
    "I took my tablets as prescribed",
    "I have a plan for my recovery",
    "my partner held my hand",
    "my son helps me with my money",
    "the carer helped me get washed",
    "I was tired after the appointment",
    "the ward was noisy at night",
    "I had to wait weeks for a call back",
    "my mum died last year and I miss her",
    "the crisis team rang me back the next day",
    "the train was late and I missed my appointment",
    "I feel safe at home now",
    "my support worker was brilliant",
    "the receptionist was rude to me",
    "I was discharged without a plan",
    "nobody explained my medication to me",
    "I'm going home to cook dinner tonight",
    "my husband drove me to the hospital",
    "my daughter looks after my bank card for me",
    "I hear voices but they are kind",
    "the group helped me feel less alone",
    "I was sectioned and the ward was frightening",
    "I lost my job and my flat",
    "I wanted the ground to swallow me up",
    "I was so angry I wanted to scream",
    "we argue like every couple does",
    "my dog keeps me going",
    "I bruised my arm when I fell over",
)


@dataclass(frozen=True)
class _Index:
    disclosures: NDArray[np.float32]
    safe: NDArray[np.float32]


@cache
def _index() -> _Index:
    model = load_static_model()
    return _Index(model.encode([p.text for p in DISCLOSURES]), model.encode(list(SAFE)))


def scores(sentences: Sequence[str]) -> tuple[NDArray[np.float32], NDArray[np.float32], NDArray[np.intp]]:
    """For each sentence: its best similarity to a disclosure, to a safe sentence, and which disclosure."""
    index = _index()
    vectors = load_static_model().encode(list(sentences))
    to_disclosures = vectors @ index.disclosures.T
    to_safe = vectors @ index.safe.T
    best = to_disclosures.argmax(axis=1)
    return to_disclosures.max(axis=1), to_safe.max(axis=1), best


def nearest_disclosures(
    sentences: Sequence[str], floor: float = FLOOR, margin: float = MARGIN
) -> list[Prototype | None]:
    """The prototype disclosure each sentence is close to, or None where it is not close enough."""
    if not sentences:
        return []
    risk, safe, best = scores(sentences)
    return [
        DISCLOSURES[int(b)] if r >= floor and r - s >= margin else None
        for r, s, b in zip(risk, safe, best, strict=True)
    ]
