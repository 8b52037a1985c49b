# ruff: noqa: E501 - one phrase family per line reads better than phrases split across lines
"""How people say it: the phrase families of the safeguarding check, by category and form.

Each family is a regular expression on folded text (``normalise.for_matching``) built from
a few shared slots (who, to whom, with what), so one family covers many wordings: "my
husband put his hands round my neck" and "he had me by the throat" are one family, not two
keywords. Each family says its category, its form (the rung of the ladder, or the method)
and its severity: ``urgent`` for a plan, preparation, intent, an attempt or danger now;
``concern`` for thoughts, wishes and harm going on without a plan. A family marked
``topic`` names a risk as a subject ("suicide", "self-harm", "neglect"), so a sentence that
only talks about the subject ("staff should ask about suicide") is not a disclosure; the
other families describe something happening to someone, and talk cues do not cancel them.

The families were written from the categories and forms in the safeguarding brief (the
Columbia scale's ladder for suicide, methods for self-harm, kinds of abuse and who does
it) and tuned on ``tests/data/safeguarding_tune.yaml`` and the older sets, never on
``tests/data/safeguarding_test.yaml``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

SUICIDE = "suicide"
SELF_HARM = "self-harm"
ABUSE = "abuse"
DOMESTIC_VIOLENCE = "domestic violence"
HARM_TO_OTHERS = "harm to others"
IMMEDIATE_DANGER = "immediate danger"
CATEGORIES = (SUICIDE, SELF_HARM, ABUSE, DOMESTIC_VIOLENCE, HARM_TO_OTHERS, IMMEDIATE_DANGER)

URGENT = "urgent"
CONCERN = "concern"

# --- slots ------------------------------------------------------------------------------
SELF = r"(?:my ?self|me self|him ?self|her ?self|them ?selves|them ?self)"
_BODY = r"(?:arms?|legs?|thighs?|wrists?|stomach|tummy|belly|skin|face|hands?|chest|hips?|body|fingers|scalp|ankles?|feet|neck)"
PILLS = (
    r"(?:pills|tablets|meds|medication|medicine|paracetamol|painkillers|antidepressants|sleeping (?:pills|tablets)|diazepam|insulin|morphine|"
    r"co-?codamol|codeine|sertraline|lithium|quetiapine|prescription|ibuprofen|aspirin|tramadol)"
)
_PARTNER = r"(?:partner|husband|wife|boyfriend|girlfriend|fianc[ée]e?|ex(?:-(?:husband|wife|partner|boyfriend|girlfriend))?|ex (?:husband|wife|partner|boyfriend|girlfriend)|(?:\w+'s )?dad|(?:\w+'s )?mum)"
_RELATIVE = (
    r"(?:dad|mum|mam|mom|father|mother|stepdad|stepmum|step-dad|step-mum|stepfather|stepmother|brother|sister|uncle|aunt|auntie|grandad|granddad|grandpa|nan|gran|grandma|"
    r"son|daughter|grandson|granddaughter|nephew|niece|cousin|son-in-law|daughter-in-law|parents?|foster (?:carer|mum|dad|parents?)|older brother|older sister|big brother)"
)
_CARER = r"(?:carers?|care (?:worker|assistant)s?|support worker|key worker|nurse|teacher|coach|boss|manager|landlord|neighbour|flatmate|lodger|priest|youth leader)"
# Someone who may harm the speaker: a pronoun, a partner, a relative or someone paid to care.
AGENT = (
    rf"(?:he|she|they|(?:my|our|her|his|the) (?:own )?(?:(?:\w+'s |older |younger |new |old )?{_PARTNER}|{_RELATIVE}|{_CARER})|"
    r"(?:one of |a |some of )?(?:the )?staff(?: member)?|a staff member|a man|a woman|someone|somebody|a lad|an older (?:man|lad|boy))"
)
PARTNER_AGENT = rf"(?:he|she|(?:my|our|her) (?:(?:new |old )?{_PARTNER}))"
_VICTIM_NOUN = (
    r"(?:baby|babies|child|children|kids?|son|daughter|mum|mam|mom|mother|dad|father|stepdad|stepmum|stepfather|partner|husband|wife|boyfriend|girlfriend|ex|"
    r"brother|sister|neighbours?|flatmates?|boss|manager|lad|lads|girl|boy|man|woman|guy|people|person|doctor|nurse|social worker|teacher|family|nan|grandad|"
    r"friend|colleague|staff|bullies|pupils?|students?|others|everyone)"
)
VICTIM = rf"(?:him|her|them|someone|somebody|anyone|anybody|everyone|people|others|(?:my|the|his|her|our|that|this|a|some|those|these) (?:little |baby |own |older |younger |new |\w+'s )?{_VICTIM_NOUN})"
_HARM_VERB = (
    r"(?:kill(?:ing)?|hurt(?:ing)?|stab(?:bing)?|strangl(?:e|ing)|shoot(?:ing)?|smother(?:ing)?|attack(?:ing)?|harm(?:ing)?|batter(?:ing)?|beat(?:ing)? up|"
    r"shak(?:e|ing)|punch(?:ing)?|hit(?:ting)?|drown(?:ing)?|poison(?:ing)?|murder(?:ing)?|suffocat(?:e|ing)|chok(?:e|ing)|knife|glass|run over|"
    r"push(?:ing)? (?:\w+ )?(?:onto|off|under|in front of)|do (?:him|her|them) in|lay into|sort (?:him|her|them) out)"
)
_DESIRE = (
    r"(?:going to|gonna|want(?:ed|s)? to|will|i'll|i'd|he'll|she'll|would|could|might|thought about|thinking about|think about|thoughts (?:of|about)|"
    r"urges? to|scared (?:i'll|i might|i will|i could|i'd)|afraid (?:i'll|i might|i could)|worried (?:i'll|i might|i could)|frightened (?:i'll|i might|i could)|"
    r"imagin(?:e|ing)|picture|picturing|fantasi[sz](?:e|ing) about|feel like i could|end up|had thoughts of|having thoughts (?:of|about)|keep thinking about)"
)
_NOW = r"(?:tonight|right now|today|this weekend|this evening|after this|when i get home|as soon as i get (?:home|in|back)|after today|as i (?:write|type) this|now)"
_INSULT = (
    r"(?:worthless|useless|stupid|ugly|fat|a waste of space|nothing|pathetic|disgusting|a freak|a burden|mad|crazy|mental|a slag|a whore|a bitch|a failure|"
    r"an idiot|thick|a mistake|a psycho|a nutter|vile)"
)
_PLACE = r"(?:bridge|building|roof|car park|multi-stor\w*|cliff|train|bus|lorry|car|traffic|tracks|railway(?: line)?|motorway|river|sea|canal|balcony|window|platform|flyover)"


_OWN_NEGATION = re.compile(r"n't|\bnot\b|\bnever\b|\bno\b|nobody|no one|cannot|without|won't")


@dataclass(frozen=True)
class Family:
    """One way of saying a risk: its category, its form, its severity and its pattern."""

    category: str
    form: str
    severity: str
    pattern: str
    topic: bool = False
    """True if it names the risk as a subject, so talk about the subject is not a disclosure."""

    @property
    def negates_inside(self) -> bool:
        """True if a negation inside the words matched cancels them ("my mum never hit us"):
        every family whose own pattern says no negation."""
        return not _OWN_NEGATION.search(self.pattern)


def _f(category: str, form: str, severity: str, pattern: str, *, topic: bool = False) -> Family:
    return Family(category, form, severity, pattern, topic)


FAMILIES: tuple[Family, ...] = (
    # --- suicide: wishing to be dead ------------------------------------------------------
    _f(
        SUICIDE,
        "passive wish",
        CONCERN,
        r"\b(?:want|wanted|wants|wanting|wish|wished|wishes|wishing|longing|ready|just want|i'd rather) (?:to )?(?:die|be dead)\b(?! of| laughing| for)",
    ),
    _f(
        SUICIDE,
        "passive wish",
        CONCERN,
        r"\bwish(?:ed|es)? (?:i|he|she|they) (?:was|were|could be|'d|had|would|hadn't|had not|could|would just) (?:just )?(?:dead|die|gone|never (?:been born|woken|wake)|not (?:been born|woken up|here|alive)|disappear|not exist)",
    ),
    _f(
        SUICIDE,
        "passive wish",
        CONCERN,
        r"\b(?:wish|wished|hope|hoped|hoping|pray|prayed|praying|rather|want|wanted|wanting)\b[^.!?]{0,40}\b(?:not|never|n't|wouldn't) (?:to )?(?:wake|woken|waking)(?: up)?\b",
    ),
    _f(
        SUICIDE,
        "passive wish",
        CONCERN,
        r"\bwish\w* (?:that )?(?:i|i'd|i would|i could|he'd|she'd|he would|she would) (?:just )?(?:die|be dead|not wake|never wake)",
    ),
    _f(SUICIDE, "passive wish", CONCERN, r"\bsleep (?:and|&) (?:just )?(?:not|never) wake"),
    _f(
        SUICIDE,
        "passive wish",
        CONCERN,
        r"\b(?:didn't|did not|don't|never|wouldn't) wake up\b[^.!?]{0,40}\b(?:wouldn't mind|would(?:n't)? care|be glad|relief|don't care|be fine|be a relief|better)",
    ),
    _f(SUICIDE, "passive wish", CONCERN, r"\bwish(?:ed)? i (?:hadn't|had not|never|didn't) (?:woken|wake|woke)"),
    _f(
        SUICIDE,
        "passive wish",
        CONCERN,
        r"\b(?:better off|cope better|cope fine|happier|easier|be fine|be ok|be okay|manage better|manage fine|be better)\b[^.!?]{0,40}\b(?:without me|if i (?:just )?(?:was|were|wasn't|weren't|'m|am) (?:gone|dead|not here|not around|around|here)|if i (?:just )?(?:disappeared|died|went away|was gone|wasn't here)|with me gone|when i'm gone|if i wasn't here|without me in the picture)",
    ),
    _f(
        SUICIDE,
        "passive wish",
        CONCERN,
        r"\b(?:notice|care|matter|miss me)\b[^.!?]{0,20}\bif i (?:was|were|died|'m|am|went) (?:dead|gone|tomorrow)\b",
    ),
    _f(
        SUICIDE,
        "passive wish",
        CONCERN,
        r"\b(?:no|any|what's the|what is the|nothing left|nothing) (?:point|reason|left) (?:in |of |to )?(?:me )?(?:living|to live|live for|going on|being alive|being here|carrying on|keep(?:ing)? going|life|me being here|my life)",
    ),
    _f(
        SUICIDE,
        "passive wish",
        CONCERN,
        r"\b(?:can't|cannot|couldn't|don't|do not) see (?:any|a|the) (?:reason|point|future|way out)\b(?! (?:for|of|in) (?:the|this|that|it|them|us|going|waiting|asking|booking)\b)",
    ),
    _f(
        SUICIDE,
        "passive wish",
        CONCERN,
        r"\bnothing (?:left )?(?:to|worth) live for|\b(?:not|n't) worth living|\blife (?:isn't|is not|isn't really) worth",
    ),
    _f(
        SUICIDE,
        "passive wish",
        CONCERN,
        r"\b(?:want|wanted|need|needed|wish) (?:it|everything|this|life|my life|it all) (?:all )?(?:to )?(?:be over|end|stop)(?: for good)?\b",
    ),
    _f(SUICIDE, "passive wish", CONCERN, r"\b(?:just )?waiting to die\b|\bready to (?:die|go)\b(?! home| out| back)"),
    _f(
        SUICIDE,
        "passive wish",
        CONCERN,
        r"(?:don't|do not|didn't|did not|doesn't|does not) want to (?:be here|be alive|exist|go on|carry on)(?! with| in| at| for)|(?:don't|do not|didn't|did not|doesn't|does not) want to wake up\b",
    ),
    _f(
        SUICIDE,
        "passive wish",
        CONCERN,
        r"(?:don't|do not|didn't|did not|doesn't|does not) want to live(?! in| with| near| on| at| there| here| somewhere| like| round| by)",
    ),
    _f(
        SUICIDE,
        "passive wish",
        CONCERN,
        r"\b(?:not|stop|cease to|never) exist(?:ing)? (?:any ?more|at all)|\bhappily not exist|disappear (?:for good|forever|for ever|permanently)",
    ),
    _f(
        SUICIDE,
        "passive wish",
        CONCERN,
        r"\b(?:rather|prefer to|might as well|may as well|better) (?:be )?dead\b|\bi'd rather (?:not )?be dead",
    ),
    _f(
        SUICIDE,
        "passive wish",
        CONCERN,
        r"\b(?:glad|happy|relieved|wouldn't mind|wouldn't care|don't care) if (?:a |the )?(?:bus|car|lorry|train|van) (?:hit|hits|ran|run|killed|knocked) (?:me|into me)\b",
    ),
    _f(
        SUICIDE,
        "passive wish",
        CONCERN,
        r"\bhop(?:e|ed|ing) (?:i'll|i will|i'd|i) (?:get (?:ill|hit|run over|cancer|killed)|die|not wake|don't wake)",
    ),
    _f(
        SUICIDE,
        "passive wish",
        CONCERN,
        r"\b(?:care|matter|mind)s? (?:if|whether) i (?:live or die|die|'m dead|was dead|don't wake)",
    ),
    _f(SUICIDE, "passive wish", CONCERN, r"(?:rather|prefer to|prefer) not (?:to )?wake up"),
    _f(SUICIDE, "passive wish", CONCERN, r"\bnot be(?:ing)? (?:here|around|alive) any ?more\b"),
    _f(SUICIDE, "passive wish", CONCERN, r"\bcan't (?:do|take|cope with) (?:this|it|life) any ?(?:more|longer)\b"),
    # --- suicide: thoughts ----------------------------------------------------------------
    _f(
        SUICIDE,
        "thoughts",
        CONCERN,
        r"\b(?:thoughts?|thinking|thought|think|thinks|ideas?|urges?|picture|picturing|imagin\w*|fantasi\w*|obsess\w*|dream\w*) (?:seriously |a lot |constantly |again |always |often |all the time )?(?:of|about|on)? ?(?:my own |of my )?(?:dying|death\b|suicide|killing (?:my|him|her|them)self|ending (?:it|my life|things|everything|it all)|taking my (?:own )?life|not being (?:here|around|alive)|my (?:own )?funeral|jumping|hanging (?:my|him|her)self|overdos\w*|ways to (?:die|end))",
    ),
    _f(
        SUICIDE,
        "thoughts",
        CONCERN,
        r"\b(?:to|i'll|i will|going to|gonna|wanted to|want to|wants to|might|could|should|would|'d|'ll|just) (?:just )?(?:end|finish) (?:it|it all|everything|things|my life|myself|his life|her life)\b(?! (?:there|here|at|with|off|early|on a|for the day|between|now and))",
    ),
    _f(
        SUICIDE,
        "thoughts",
        CONCERN,
        r"\bending (?:it all|everything|my life|it for good|things for good)|end(?:ing|ed|s)? (?:my|his|her|their|your) (?:own )?li(?:fe|ves)|end(?:ing|ed)? (?:it|things) (?:all|for good)",
    ),
    _f(
        SUICIDE,
        "thoughts",
        CONCERN,
        r"suicid(?:e|al)(?! prevention| awareness| training| risk assessment| squad| bridge partners| strategy| bereavement| rates?| statistics)",
        topic=True,
    ),
    _f(SUICIDE, "thoughts", CONCERN, r"(?:thoughts|thinking) (?:of|about) (?:dying|death|ending|not being here)"),
    # --- suicide: method ------------------------------------------------------------------
    _f(
        SUICIDE,
        "method",
        URGENT,
        r"\b(?:look(?:ed|ing)? up|googl\w*|research\w*|search\w*(?: for)?|read(?:ing)? up on|find(?:ing)? out|work(?:ed|ing)? out) (?:online )?(?:how|ways|the best way|methods?)\b[^.!?]{0,20}\b(?:die|kill|end (?:it|my life)|overdose|hang|take my life|do it|jump|lethal|painless)",
    ),
    _f(
        SUICIDE,
        "method",
        URGENT,
        rf"\bhow (?:many|much) (?:\w+ ){{0,2}}(?:it would take|would (?:kill|do it)|to (?:die|take|overdose))|\bhow (?:many|much) (?:of )?(?:my |the )?{PILLS} (?:it )?(?:would|to)\b|\b(?:researching|looked up|googled|googling) (?:\w+ )?overdoses?",
    ),
    _f(
        SUICIDE,
        "method",
        URGENT,
        rf"\bcount(?:ing|ed|s)? (?:out )?(?:my |the |all )?{PILLS}|{PILLS}\b[^.!?]{{0,30}}\bcount(?:ing|ed)\b",
    ),
    _f(
        SUICIDE,
        "method",
        CONCERN,
        rf"(?:railway|train|tracks|bridge|cliff|roof|ledge|motorway|river|sea|platform)[^.!?]{{0,60}}\b(?:would|'d|will) be (?:quick|easy|painless|over)|which {_PLACE} i(?:'d| would| will|'ll)? use|which (?:pills|tablets|rope|tree|method) i(?:'d| would| will|'ll)? use",
    ),
    _f(
        SUICIDE,
        "method",
        CONCERN,
        rf"\b(?:jump|jumped|jumping|step|stepped|stepping|throw (?:my|him|her)self|threw (?:my|him|her)self|walk(?:ed|ing)? out|lie|lying|lay) (?:off|from|in front of|under|into|down on) (?:a |the |that )?(?:\w+ )?{_PLACE}",
    ),
    _f(
        SUICIDE,
        "intent",
        URGENT,
        rf"\b(?:going to|gonna|i'll|i will|about to|decided to|plan to|planning to|ready to|i'm definitely going to) (?:kill|hang|drown|gas|poison|overdose|shoot|electrocute) {SELF}",
    ),
    _f(
        SUICIDE,
        "thoughts",
        CONCERN,
        rf"\b(?:kill|killing|killed|kills|hang|hanging|hanged|hung|drown|drowning|drowned|gas|gassing|gassed|poison|poisoning|poisoned|suffocat\w*|electrocut\w*|shoot|shot|shooting|overdose|overdosing|overdosed) {SELF}(?! laughing| with laughter| with work| in the foot| on the| out| up)",
    ),
    # --- suicide: intent ------------------------------------------------------------------
    _f(
        SUICIDE,
        "intent",
        URGENT,
        r"\b(?:won't|will not|not going to|isn't going to|not gonna|won't still) be (?:here|around|alive)\b(?! (?:next week|on (?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)|for (?:the|a|my|next)|at the|because|when|till|until|to\b|in the))",
    ),
    _f(
        SUICIDE,
        "intent",
        URGENT,
        r"\b(?:don't think|doubt|won't) i(?:'ll| will)? (?:still )?(?:be|live) (?:here|around|alive|to see)\b",
    ),
    _f(
        SUICIDE,
        "intent",
        URGENT,
        r"\b(?:made|make) (?:up )?my mind(?: up)?\b[^.!?]{0,40}\b(?:die|end|kill|do it|not be here|go)|\b(?:decided|made the decision|made my mind up)\b[^.!?]{0,30}\b(?:end (?:it|my life|things)|die|kill|not (?:going to )?be here|do it)\b",
    ),
    # --- suicide: plan --------------------------------------------------------------------
    _f(
        SUICIDE,
        "plan",
        URGENT,
        r"\b(?:have|had|got|'ve got|made|make|making|with) (?:a|the|my) plan\b[^.!?]{0,50}\b(?:do it|when|how|end|die|kill|go through with it)",
    ),
    _f(
        SUICIDE,
        "plan",
        URGENT,
        r"\b(?:know|knew|worked out|decided|figured out|planned|planning|chosen|chose|picked|thought about|know exactly) (?:exactly |just |already )?(?:how|when|where) (?:i(?:'d| would| will|'ll| am going to|'m going to|'m gonna)?|to) (?:do it|end (?:it|my life|things)|kill|die|go)\b",
    ),
    _f(
        SUICIDE,
        "plan",
        URGENT,
        r"\b(?:picked|chosen|chose|set|fixed|decided on) (?:a|the) (?:date|day|time|place|spot|method)\b(?! for| of| to)",
    ),
    _f(
        SUICIDE,
        "plan",
        URGENT,
        r"\b(?:got|have|had) (?:it|everything) (?:all )?planned(?: out)?\b(?! for)|\bplan(?:ned|ning|s)? (?:how )?to (?:end (?:it|my life|things)|kill|die|take my)|planned how i(?:'m| am)? (?:going to|gonna|would|'d) (?:do it|end|die|kill)",
    ),
    # --- suicide: preparation -------------------------------------------------------------
    _f(
        SUICIDE,
        "preparation",
        URGENT,
        rf"\b(?:stockpil\w*|hoard\w*|sav(?:e|ed|ing) up|stor(?:e|ed|ing) up|collect\w*|sav(?:e|ed|ing)|squirrel\w* away|building up) (?:up )?(?:all )?(?:of )?(?:my |her |his |mum's |my mum's |dad's |my dad's |the |a stash of |a supply of )?(?:own )?{PILLS}\b",
    ),
    _f(SUICIDE, "preparation", URGENT, r"stockpil(?:e|ed|ing)"),
    _f(
        SUICIDE,
        "preparation",
        URGENT,
        r"\b(?:suicide|goodbye|farewell) (?:note|letter|message|text)s?\b|\bwrit(?:e|ten|ing|ote) (?:\w+ )?(?:letters?|notes?) (?:to|for) (?:my (?:kids|children|family|son|daughter|mum|partner|husband|wife|parents)|everyone|them all)\b(?! school| teacher)",
    ),
    _f(
        SUICIDE,
        "preparation",
        URGENT,
        r"\bgiv(?:e|en|ing)(?: away)? (?:all )?(?:my|his|her) (?:\w+ )?(?:things|stuff|belongings|possessions) away\b|\bgiv\w* away (?:all )?(?:my|his|her) (?:things|stuff|belongings|possessions)\b|\b(?:giving|given|gave) (?:away )?(?:my|his|her) (?:things|stuff|belongings|possessions)\b|\bgave (?:my|his|her) (?:dog|cat|pets?) (?:away|to)\b",
    ),
    _f(
        SUICIDE,
        "preparation",
        URGENT,
        r"(?:will|affairs|funeral)\b[^.!?]{0,40}\b(?:ready|in order|when i'm gone|for after)|put (?:my|his|her) affairs in order|\b(?:when|after|once) i'm (?:gone|dead|not here|no longer here)\b",
    ),
    _f(
        SUICIDE,
        "preparation",
        URGENT,
        r"\b(?:bought|got|buy|buying|ordered|found|hid|hidden) (?:a |some |the )?(?:rope|noose|hose ?pipe|ligature|charcoal|helium|razor blades?)\b(?! (?:swing|course|bridge) )",
    ),
    _f(SUICIDE, "preparation", URGENT, r"\b(?:a|the) rope\b(?! (?:swing|bridge|course))|\bnoose\b"),
    # --- suicide: attempt -----------------------------------------------------------------
    _f(
        SUICIDE,
        "attempt",
        URGENT,
        r"\b(?:tried|try|trying|attempt\w*) (?:to )?(?:kill|end|take (?:my|his|her|their)|hang|drown|gas|poison|overdose|od|jump|suffocate|cut (?:my|his|her) wrists|slit)\b|\battempted suicide",
    ),
    _f(
        SUICIDE,
        "attempt",
        URGENT,
        r"attempt(?:s|ed)? (?:on|at) (?:my|his|her|their) (?:own )?life|\b(?:my|a|an|another|last|first|second|previous|recent|suicide) attempts?\b(?! (?:at|to))",
    ),
    _f(
        SUICIDE,
        "attempt",
        URGENT,
        r"overdos(?:e|ed|es|ing)(?! (?:awareness|prevention|training|kits?|response))|\bod'd\b",
        topic=True,
    ),
    _f(
        SUICIDE,
        "attempt",
        URGENT,
        rf"\b(?:took|take|taken|taking|swallowed|swallow|downed|necked|had) (?:all|every|a whole|loads|a load|a lot|a handful|the lot|a bottle|a packet|a box|a month's|a strip|a week's|\d+|twenty|thirty|fifty|too many|an entire)(?: of)?(?: the| my| her| his| mum's)?(?: \w+)? (?:{PILLS}|tablet|pill)\b(?! to (?:the|a|my)| back| out| in to| into| with me)",
    ),
    _f(
        SUICIDE,
        "attempt",
        URGENT,
        r"\b(?:swallowed|drank|drunk|drinking|took|taken) (?:a (?:bottle|cup|glass) of |some )?(?:bleach|weedkiller|antifreeze|drain cleaner|poison|batteries|razor blades|glass)\b",
    ),
    _f(
        SUICIDE,
        "attempt",
        URGENT,
        r"(?:cut|slit|slash\w*|slic\w*|cutting) (?:my|his|her|their) wrists?|\bligatures?\b|hang (?:my|him|her)self|\bhung (?:my|him|her)self",
    ),
    # --- self-harm ------------------------------------------------------------------------
    _f(SELF_HARM, "general", CONCERN, r"self[- ]?harm|self[- ]?injur|self[- ]?mutilat", topic=True),
    _f(
        SELF_HARM,
        "general",
        CONCERN,
        r"\b(?:been|started|start|keep|kept|back to|still|is|was|am|i'm|relapsed|stopped|began) (?:\w+ )?(?:harming|cutting)\b(?! (?:down|back|out|the|my hair|corners|through|costs|it|short|up|off|ties|in))",
    ),
    _f(
        SELF_HARM,
        "general",
        CONCERN,
        r"\bthe (?:cutting|self-?harm|burning|harming|head-?banging) (?:got|gets|is|was|has|started)|\bi (?:used to )?cut\b(?= again|,| and nobody| when| where| because|\.|$)",
    ),
    _f(
        SELF_HARM,
        "method",
        CONCERN,
        rf"\b(?:cut|cuts|cutting|slic\w*|slash\w*|carv\w*|scratch\w*|claw\w*|burn|burns|burnt|burned|burning|scald\w*|punch\w*|hit|hits|hitting|bit|bite|bites|biting|pinch\w*|stab\w*|gouge\w*|pick\w*|smash\w*|slam\w*|bash\w*|pull\w*|rip\w*) (?:at |into )?(?:words |things )?(?:into |on |in )?(?:my|his|her|their|me) (?:own )?{_BODY}\b",
    ),
    _f(
        SELF_HARM,
        "method",
        CONCERN,
        r"\b(?:bang\w*|smash\w*|slam\w*|hit\w*|bash\w*|knock\w*) (?:my|his|her|their) (?:own )?head (?:against|on|into) (?:the |a )?(?:wall|floor|door|radiator|window|table|mirror)|head[- ]?bang(?:ing)?(?! music)",
    ),
    _f(
        SELF_HARM,
        "method",
        CONCERN,
        rf"(?:lighter|match(?:es)?|cigarettes?|fags?|iron|hot spoon|boiling water|kettle|blade|razor|knife|glass|compass|sharpener|scissors|lit match)\b[^.!?]{{0,30}}\b(?:to|on|into|against|over|across) (?:my|his|her) (?:own )?{_BODY}",
    ),
    _f(
        SELF_HARM,
        "method",
        CONCERN,
        rf"\b(?:fresh|new|deep|open) (?:cuts|wounds|burns)\b|\b(?:cuts|burns|slashes) (?:on|all over|up and down|across) (?:my|his|her|their) {_BODY}",
    ),
    _f(
        SELF_HARM,
        "method",
        CONCERN,
        rf"(?:cuts|burns|marks|bruises|wounds|injuries|scars)[^.!?]{{0,40}}\b(?:did|done|does|gave|inflicted|made) (?:it |them )?(?:to )?{SELF}",
    ),
    _f(
        SELF_HARM,
        "method",
        CONCERN,
        rf"\b(?:cut|cutting|cuts|burn|burning|burnt|burned|burns|scratch\w*|bite|biting|bit|starv\w*|punish\w*|injur\w*) {SELF}(?! off| out| short| free| up| on (?:a|the)| doing| shaving| chopping| cooking)",
    ),
    _f(
        SELF_HARM,
        "method",
        CONCERN,
        rf"(?:hurt|harm|hit|punch|slap|bruise|batter)(?:ing|ed|s)? {SELF}(?! (?:playing|at|falling|lifting|tripping|on the|doing|by accident|accidentally|for)| up\b)",
    ),
    _f(
        SELF_HARM,
        "method",
        CONCERN,
        r"\b(?:until|till|til|to the point) (?:it|they|i|my \w+|he|she) (?:bleeds?|bled|bleeding|bruis\w*|blister\w*|is raw|are raw|went raw)|\b(?:scratch\w*|claw\w*|pick\w*|rub\w*) (?:at )?(?:my|his|her) \w+ (?:raw|bloody)",
    ),
    _f(
        SELF_HARM,
        "method",
        CONCERN,
        r"punch(?:ing|ed)? (?:walls?|the wall|doors?) (?:until|till|to)|\bstarv(?:e|ing|ed) (?:my|him|her)self|\bmake (?:my ?self|me) sick\b[^.!?]{0,30}\b(?:punish|as punishment|because i deserve)|stop(?:ped)? eating\b[^.!?]{0,30}\bpunish",
    ),
    _f(
        SELF_HARM,
        "ligature",
        URGENT,
        r"(?:tie|tied|ties|tying|wrap\w*|tighten\w*|put|putting) (?:a |the |things |something |stuff |cords? |ropes? |belts? |scarf |scarves |ligatures? |a (?:cord|rope|belt|scarf|ligature|tie) )(?:tight(?:ly)? )?(?:round|around) (?:my|his|her) (?:own )?(?:neck|throat)",
    ),
    _f(
        SELF_HARM,
        "urges",
        CONCERN,
        r"\b(?:urges?|want(?:ing)?|need(?:ing)?|craving|tempted|really want) (?:to )?(?:cut|burn|self-?harm)(?= again| tonight| today| now| so| really| is| are|[.,!?]|$)",
    ),
    _f(
        SELF_HARM,
        "urges",
        CONCERN,
        r"\b(?:blades?|razors?)\b[^.!?]{0,30}\b(?:in my (?:purse|bag|pocket|room|drawer)|under my (?:bed|pillow|mattress)|hidden|just in case)|\b(?:keep|keeps|kept) a (?:blade|razor)",
    ),
    _f(
        SELF_HARM,
        "method",
        CONCERN,
        rf"\b(?:to|so i can|so that i) (?:hurt|harm|punish) (?:{SELF}|my body)|\bnot to die\b",
    ),
    # --- abuse and domestic violence: violence by someone ----------------------------------
    _f(
        DOMESTIC_VIOLENCE,
        "strangulation",
        URGENT,
        r"\b(?:strangl\w*|chok(?:e|ed|es|ing)|throttl\w*)\b (?:me|her|him|us)\b|\b(?:hands?|arms?|fingers|belt|rope|cord|arm) (?:round|around|on|at) (?:my|her) (?:neck|throat)|\bby the (?:throat|neck)\b|squeez\w* (?:my|her) (?:neck|throat)|\b(?:pillow|hand|hands|bag) over (?:my|her) (?:face|mouth|nose)|held (?:me|her) under (?:the )?water",
    ),
    _f(
        DOMESTIC_VIOLENCE,
        "physical",
        CONCERN,
        rf"\b{PARTNER_AGENT}\b[^.!?]{{0,25}}?\b(?:hits|hit|beats|beat|punches|punched|kicks|kicked|slaps|slapped|pinches|pinched|shoves|shoved|grabs|grabbed|twisted|twists|burns|burned|burnt|bites|bit|drags|dragged|stamped|stamps on|stamped on|stamped|stamps|batters|battered|smacks|smacked|whacks|whacked|headbutt\w*|scratches|scratched|spat at|spits at|pins|pinned|knocks|knocked|smashed|smashes|throws|threw|pushed|pushes|strangled|choked|hurt|hurts|broke|breaks)\b (?:me|us|my (?:face|head|arms?|neck|throat|hair|ribs|stomach|back|legs?|eyes?|nose|jaw|wrists?|hands?|body|chest|fingers|mouth|belly|bump|mum|dad|son|daughter|kids|children|baby|sister|brother|nan|gran)|her(?! (?:wrist|ankle|knee|back|shoulder|leg|foot|head|arm|hand|finger|toe|hip)s?\b)|him|them|things at|plates at|stuff at)\b(?! (?:at|to) (?!me)| with (?:a|an|the|another) (?:ball|pillow|surprise|bill|fine|charge|letter|question|request|list|story)| in (?:the |a )?(?:final|game|match|race|quiz)| off my feet| a (?:surprise|party|lift|present|hug|kiss|hand|call|ring)| to (?:go|do|get|see|try|the gp|stop)| by the arm to| hand| my (?:hand|bag|coat|wheelchair|chair|keys|car keys|car) )",
    ),
    _f(
        ABUSE,
        "physical",
        CONCERN,
        rf"\b{AGENT}\b[^.!?]{{0,25}}?\b(?:hits|hit|beats|beat|punches|punched|kicks|kicked|slaps|slapped|pinches|pinched|shoves|shoved|grabs|grabbed|twisted|twists|burns|burned|burnt|bites|bit|drags|dragged|stamped on|batters|battered|smacks|smacked|whacks|whacked|whipped|headbutt\w*|scratches|scratched|spat at|pins|pinned|knocks|knocked|pushes|pushed|strangled|choked|hurts|hurt|squeezes|squeezed|injected|restrain\w*)\b (?:me|us|my (?:mum|dad|nan|gran|son|daughter|brother|sister|wrist|wrists|arm|arms|neck|face|leg|legs|hair)|her(?! (?:wrist|ankle|knee|back|shoulder|leg|foot|head|arm|hand|finger|toe|hip)s?\b)|him|them|the (?:kids|children))\b(?! (?:at|to) (?!me)| with (?:a|an|the|another) (?:ball|pillow|surprise|bill|fine|charge|letter|question|request|list|story)| in (?:the |a )?(?:final|game|match|race|quiz)| off my feet| a (?:surprise|party|lift|present|hug|kiss|hand|call|ring)| to (?:go|do|get|see|try|the gp|stop)| gently| by the arm to| on the stairs)",
    ),
    _f(
        DOMESTIC_VIOLENCE,
        "physical",
        CONCERN,
        rf"\b{PARTNER_AGENT}\b[^.!?]{{0,25}}?\b(?:knocks|knocked|knock) (?:me|her) (?:about|around|to the floor|down|over|out|unconscious|flying)|\bbeat (?:me|her|us) up|\bbeats (?:me|her) up|\b(?:dragged|drags|pulled|pulls) (?:me|her) (?:\w+ ){{0,3}}by (?:my|her|the) hair|push(?:ed|es)? (?:me|her) (?:down|over|against|into|around|about|off)",
    ),
    _f(
        ABUSE,
        "physical",
        CONCERN,
        rf"\b{AGENT}\b[^.!?]{{0,25}}?\b(?:push(?:es|ed)?|shov(?:es|ed)) (?:me|us|her|him) (?:down|over|against|into|around|about)|\b(?:held|hold|holds|pinned|pin|pins) (?:me|us|him|her) down\b|shoves me about",
    ),
    _f(
        DOMESTIC_VIOLENCE,
        "physical",
        CONCERN,
        r"\b(?:broke|broken|fractured|cracked|bust(?:ed)?|split) (?:my|her) (?:arm|ribs?|nose|jaw|wrist|fingers?|tooth|teeth|lip|cheekbone|eye socket)|\bblack eye\b|\blost a tooth\b|\b(?:told|tell|say|said) (?:the|them|everyone|people|the doctors?|the hospital|the nurse|the gp|a&e) (?:that )?(?:i|she|he) (?:fell|walked into|tripped|had an accident)",
    ),
    _f(
        DOMESTIC_VIOLENCE,
        "physical",
        CONCERN,
        r"\b(?:violent|abusive) (?:relationship|partner|husband|wife|boyfriend|girlfriend|ex|marriage)|\b(?:went|go|going|fled|moved|had to go|ended up|escaped) (?:in)?to (?:a |the )?(?:women's )?refuge",
    ),
    _f(DOMESTIC_VIOLENCE, "physical", CONCERN, r"domestic (?:abuse|violence)", topic=True),
    _f(
        DOMESTIC_VIOLENCE,
        "threats",
        URGENT,
        r"threaten(?:s|ed|ing)? to (?:kill|hurt|hit|stab|beat|take the kids|take my|burn|set fire|shoot|strangle|harm)",
    ),
    _f(
        DOMESTIC_VIOLENCE,
        "threats",
        URGENT,
        r"\b(?:said|says|saying|told me|tells me|swore|swears|keeps saying|kept saying|threatens|texts)\b[^.!?]{0,35}\b(?:he'll|she'll|he will|she will|he'd|she'd|they'll|they will|he's going to|she's going to|he is going to|going to|would) (?:kill|hurt|beat|batter|stab|burn|shoot|take the kids|hurt the kids|harm|get) (?:me|us|the kids|the children|my|her)\b(?! a | an | some | to | from | something)",
    ),
    _f(
        DOMESTIC_VIOLENCE,
        "threats",
        URGENT,
        r"\b(?:he|she|they)(?:'ll| will|'d| would) (?:kill|hurt|batter|beat|stab) (?:me|us)\b|set fire to (?:the (?:flat|house|home)|me|my|our)|\b(?:held|holds|pulled|pulls|put|puts|pointed) a (?:knife|blade|gun|weapon|hammer|bat|screwdriver) (?:on|to|at|against) (?:me|my|her|his)\b",
    ),
    # --- abuse: sexual --------------------------------------------------------------------
    _f(
        ABUSE,
        "sexual",
        CONCERN,
        r"(?:sexually|physically|emotionally|financially) (?:abus|assault|exploit|hurt)|\brap(?:e|ed|ing|ist)\b|\bmolest|sexual (?:messages|photos|pictures|images|touching|assault|abuse|things|stuff)|sexually assault|hurt me sexually",
    ),
    _f(ABUSE, "sexual", CONCERN, r"\bgroom(?:ed|ing)\b(?! (?:dog|horse|pet|the dog))(?! every month| at the salon)"),
    _f(
        ABUSE,
        "sexual",
        CONCERN,
        r"forc(?:ed|es|ing) (?:him|her|them)sel(?:f|ves) on (?:me|her|him)|\b(?:forced|forces|made|makes|making|make) (?:me|her|him) (?:to )?(?:have sex|do sexual|do things|touch|watch porn|send (?:him |her )?(?:nude|naked|sexy|dirty)|perform|take (?:my|her) clothes off|undress)",
    ),
    _f(
        ABUSE,
        "sexual",
        CONCERN,
        r"(?:touch(?:es|ed|ing)) me (?:where|when|in a way|and|at night|down there|under)|\b(?:keeps|kept|always|won't stop|starts|started|keep) touching me\b|did things to me|\bdoes things to me|came into my (?:room|bed) at night|comes into (?:my room|the bathroom|my bed) (?:when|at night)|pictures of (?:his|her) (?:privates|genitals|penis)|dick pics|nudes\b|spiked my drink|woke up (?:with no clothes on|naked|undressed)|sex when i (?:don't|didn't) want|makes? me (?:do|touch) (?:things|stuff|him|her)",
    ),
    _f(
        ABUSE,
        "sexual",
        CONCERN,
        r"\b(?:assaulted|raped|molested|abused|beaten up|groomed|trafficked|exploited) by\b|\bi was (?:assaulted|attacked|abused|raped)\b",
    ),
    _f(
        ABUSE,
        "general",
        CONCERN,
        r"(?<!substance )(?<!alcohol )(?<!drug )(?<!verbal )(?<!verbally )\babus(?:e|ed|ing|ive|er)\b(?! (?:of )?(?:the |this |that |our |their |a )?(?:\w+ )?(?:system|process|power|trust|app|website|policy|rules|booking|overtime|position))",
        topic=True,
    ),
    # --- abuse: emotional -----------------------------------------------------------------
    _f(
        ABUSE,
        "emotional",
        CONCERN,
        rf"\b(?:tells?|told|telling|calls?|called|calling|says?|said|saying|shouts?|screams?|screamed)\b (?:me )?(?:every day |all the time |constantly |daily )?(?:that )?(?:i'm|i am|i was|me|i'm just|i'm a) (?:a |an )?(?:fat |so |just )?{_INSULT}\b",
    ),
    _f(
        ABUSE,
        "emotional",
        CONCERN,
        r"(?:wish(?:es|ed)? i'd|wish(?:es|ed)? i had|should) never (?:have )?been born|\bhumiliat\w* me|\bscream(?:s|ed|ing)? at me\b|\bcalls? me (?:names|a freak|a slag|a whore|a bitch|a psycho)|\bthreaten(?:s|ed|ing)? to (?:throw me out|put me in a home|leave me|have me sectioned|send me away|report me|tell everyone)|\bsays? (?:she'll|he'll|they'll) put me in a home",
    ),
    # --- abuse: financial -----------------------------------------------------------------
    _f(
        ABUSE,
        "financial",
        CONCERN,
        r"\b(?:controls|controlled|takes|took|taking|keeps|kept|spends|spent|uses|used|using|has|empties|emptied|drains|drained|steals|stole|stealing) (?:all )?(?:of )?my (?:money|phone|bank card|card|cards|benefits|pension|wages|savings|pin|bank account|account|purse|wallet|passport)(?! book)\b",
    ),
    _f(
        ABUSE,
        "financial",
        CONCERN,
        r"\b(?:taking|takes|took|stealing|steals|stole|withdraw\w*|moved) (?:money|cash) (?:out of|from) my (?:account|purse|wallet|bank|handbag|savings)|\b(?:steals|stole|stealing|taking|takes|took) (?:money |things )?from my (?:purse|wallet|account|bank|handbag|room)|\b(?:loans?|credit cards?|debts?|accounts?|phone contracts?) in my name|sign(?:ed|ing)? (?:my \w+ |everything |it |the house )?over (?:to (?:him|her|them))?|makes? me (?:hand over|sign|give (?:him|her|them) (?:my|all))",
    ),
    _f(
        ABUSE,
        "financial",
        CONCERN,
        r"\b(?:won't|doesn't|never|wouldn't|refuses? to|didn't) (?:give|let) me (?:any )?(?:money|cash|access to (?:my|the) (?:money|account))",
    ),
    # --- abuse: coercive control ----------------------------------------------------------
    _f(ABUSE, "coercive control", CONCERN, r"coercive control", topic=True),
    _f(
        ABUSE,
        "coercive control",
        CONCERN,
        r"\b(?:checks|reads|goes through|looks through|read|checked|went through) (?:all )?my (?:phone|messages|texts|emails)(?! has| is| for me)|\bdecides? (?:who|what|where|when|how)\b[^.!?]{0,20}\b(?:i|me)\b|\b(?:i'm|i am|i was|we're|we are|i've never been) not allowed (?:to )?(?:leave|go out|go anywhere|see|talk|speak|have|use|work|eat|phone|call|friends)|\bnot allowed friends|\baccount for every (?:penny|minute|pound|hour)",
    ),
    _f(
        ABUSE,
        "coercive control",
        CONCERN,
        r"(?:won't|doesn't|wouldn't|didn't|never) let me (?:leave|see (?:my )?(?:friends|family|sister|brother|mum|dad)|go out|eat|sleep|call|phone|ring|speak|talk|work|have|use)\b(?![^.!?]{0,40}\b(?:until|till|without (?:a|my|his|her)))",
    ),
    _f(
        ABUSE,
        "coercive control",
        CONCERN,
        r"\b(?:tracks?|tracking|tracked|monitors?|monitoring) (?:my|me)\b|\b(?:put|puts|planted|hid) a tracker|tracker on my|\b(?:ask|asking|get|beg) (?:for )?(?:his |her |their )?permission (?:to|before)|lock(?:s|ed)? me (?:in|out|up)|shut(?:s)? me in|trafficked|modern slavery|brought (?:here|over|to this country) to work|(?:keep|keeps|keeping|took|have|has) my passport",
    ),
    # --- abuse: neglect -------------------------------------------------------------------
    _f(
        ABUSE,
        "neglect",
        CONCERN,
        r"\b(?:leaves?|left|leaving) (?:me|us|him|her|them|my (?:\w+ ){1,2}?)\s?(?:without (?:food|meds|medication|water|heating|help|care|being fed|a wash|my meds)|in (?:a )?(?:soiled|wet|dirty|urine|own mess|wet pads|the dark)|alone (?:in the house )?for (?:days|hours|the weekend|the night)|for days|all (?:day|weekend|night) (?:in|without))",
    ),
    _f(
        ABUSE,
        "neglect",
        CONCERN,
        r"\b(?:is|was|been|being|gets?|got|i'm|i am|we're|we are|i get) left (?:in (?:a |his |her |my )?(?:soiled|wet|dirty|urine|mess|wet pads)|without|alone for|for days|on (?:my|his|her) own for days)|\bbed ?sores?\b|pressure (?:sores?|ulcers?)|(?:nobody|no one|no-one) (?:comes|came|turned|fed|washed|changed) (?:to (?:help|feed|wash|turn|change|check)|me|him|her|my)|\b(?:never|don't|doesn't|didn't|won't) feed (?:me|him|her|us|my \w+|them)|\b(?:been )?lying (?:here|in bed|on the floor) since|(?:doesn't|don't|didn't|never) (?:come|turn up|show up) for days",
    ),
    _f(
        ABUSE,
        "neglect",
        CONCERN,
        r"\bneglect(?:ed|ing)? (?:me|us|the kids|the children|my|him|her)\b|\bneglect\b",
        topic=True,
    ),
    # --- harm to others -------------------------------------------------------------------
    _f(
        HARM_TO_OTHERS, "intent", URGENT, rf"\b{_DESIRE}(?: really| actually| seriously| just)? {_HARM_VERB} {VICTIM}\b"
    ),
    _f(
        HARM_TO_OTHERS,
        "command hallucinations",
        URGENT,
        r"\b(?:voices?|god|the devil|someone in my head|a man in my head)\b[^.!?]{0,60}\b(?:kill|hurt|harm|attack|stab|punish|get rid of|push|sacrifice|poison|stop them|burn|strangle|smother|shoot)\b",
    ),
    _f(
        HARM_TO_OTHERS,
        "weapon",
        URGENT,
        r"\b(?:carr(?:y|ies|ying|ied)|bought|buy|buying|got|get|getting|have|had|keep|keeps|kept|bring|brought|hid(?:den|e)?|took|take) (?:a |my |his |the )?(?:knife|blade|machete|gun|weapon|knuckle ?duster|baseball bat|hammer|screwdriver|shotgun|crossbow)\b(?! (?:block|sharpener|and fork|skills|on the|to cut|for cooking))",
    ),
    _f(
        HARM_TO_OTHERS,
        "intent",
        URGENT,
        r"\bmake (?:\w+ ){0,3}(?:pay|suffer)\b(?! for (?:parking|the|it))|\btake (?:\w+ ){1,3}with me when i go\b|\b(?:burn|torch) (?:his|her|their|the) (?:\w+ )?(?:house|flat|car|home)(?: down)?|\bget a gun\b|\bshoot (?:his|her|my|the) (?:\w+ )?(?:ex|wife|husband|partner|social worker|boss|dad|mum|teacher)\b",
    ),
    _f(
        HARM_TO_OTHERS,
        "violence",
        CONCERN,
        rf"\bi (?:\w+ ){{0,3}}?(?:hit|hits|hitting|punched|punch|slapped|slap|kicked|shook|shake|strangled|choked|stabbed|beat|battered|pushed|shoved|attacked|hurt|bit|smacked) (?:my|the|a|his|her) (?:little |baby |own |older |younger |\w+ )?{_VICTIM_NOUN}\b(?! by accident| accidentally)",
    ),
    _f(
        HARM_TO_OTHERS,
        "intent",
        URGENT,
        r"\bmake sure (?:he|she|they) (?:never|can't|won't|doesn't) (?:hurts?|touch\w*|harms?|comes? near) (?:anyone|anybody|me|us|my|her|him) again",
    ),
    _f(
        HARM_TO_OTHERS,
        "violence",
        CONCERN,
        r"\bi (?:\w+ ){0,6}?(?:hit|punched|slapped|kicked|stabbed|beat up|battered|attacked|hurt|glassed) (?:people|someone|others|somebody|a (?:man|lad|woman|guy|bloke))\b(?! (?:'s|by accident))",
    ),
    _f(
        HARM_TO_OTHERS,
        "violence",
        CONCERN,
        r"(?:drive|driving|drove|run|running|ran|plough\w*) (?:my car |the car |a car |a van )?(?:into|over|through) (?:the )?(?:people|crowd|them|him|her|pedestrians|someone|everyone)|\b(?:started|start) (?:hitting|hurting|attacking) (?:my|people|him|her|them)",
    ),
    _f(
        HARM_TO_OTHERS,
        "intent",
        URGENT,
        r"\b(?:he|she|they|my \w+)(?:'s| is| was|'re| are) (?:going|gonna) to (?:kill|stab|shoot|hurt|attack) (?:the|his|her|their|someone|people|them|him|her|everyone)|(?:he'll|she'll|he will|she will|they'll) (?:stab|shoot|kill) (?:someone|people|the|his|her)",
    ),
    # --- immediate danger -----------------------------------------------------------------
    _f(
        IMMEDIATE_DANGER,
        "cannot stay safe",
        URGENT,
        r"(?:can't|cannot|couldn't|can not|don't know if i can|not sure i can|can't promise (?:i'll|to|i can)|don't think i can|unable to|don't feel i can|don't feel able to) (?:keep|stay|be|feel) (?:my ?self |me )?safe|\b(?:can't|cannot|couldn't) keep (?:him|her|them) safe",
    ),
    _f(
        IMMEDIATE_DANGER,
        "cannot stay safe",
        URGENT,
        r"\bdon't trust my ?self (?:to|on|alone|around|with|tonight)|(?:not|n't) safe (?:on my own|alone|by myself|to be (?:left )?(?:alone|on (?:her|his|their|my) own|by (?:her|him|my)self))|scared of what i(?:'ll| might| could| will| would) do|\bi'm in danger\b|\bi am in danger\b",
    ),
    _f(
        IMMEDIATE_DANGER,
        "perpetrator",
        URGENT,
        r"(?:not|n't) safe (?:at home|to go home|here|right now|tonight|with him|with her)|(?:scared|afraid|frightened|terrified|dread) (?:to go|of going|going) home|won't be safe (?:when|after|at home|tonight|if i go|once)|(?:don't|do not|didn't|did not) feel safe\b(?! (?:asking|talking|telling|saying|sharing|with the|in the group))",
    ),
    _f(
        IMMEDIATE_DANGER,
        "perpetrator",
        URGENT,
        r"\b(?:he's|she's|they're|he is|she is|they are) (?:\w+ )?(?:outside (?:my|the|our) (?:door|house|flat|building|room|window|work)|outside the building|at (?:my|the) (?:door|window|house|flat)|on (?:his|her|their) way(?! to (?:work|the|a))|coming (?:back|round|over|for me|to get me)|(?:out )?looking for me|back at the (?:house|flat)|found (?:out )?where i (?:live|am))|\bwaiting outside (?:the|my) (?:building|house|flat|door|school) for me\b",
    ),
    _f(
        IMMEDIATE_DANGER,
        "tonight",
        URGENT,
        rf"(?:tonight|right now|today|this weekend)[^.!?]{{0,40}}(?:end it|kill {SELF}|take (?:all )?(?:my|the) (?:pills|tablets)|do it|jump)|(?:end it|end my life|kill {SELF}|do it|jump|walk into (?:the )?(?:river|sea|traffic)|go through with it)\b[^.!?]{{0,30}}\b{_NOW}",
    ),
    _f(
        IMMEDIATE_DANGER,
        "tonight",
        URGENT,
        r"(?:tonight|today)(?:'s| is) the (?:night|day)\b(?! (?:i|we) (?:start|get|go|move|see|meet|finally|collect))|\b(?:not going to|won't|don't think i'll|can't) (?:make it|get) through (?:tonight|the night|the weekend|today|till|until)|\bwalk(?:ing)? into the (?:river|sea|canal|traffic)",
    ),
    _f(
        IMMEDIATE_DANGER,
        "at the place",
        URGENT,
        r"\bi'm (?:standing |sat |sitting |stood )?(?:on|at|by) (?:the )?(?:edge of (?:the )?|top of (?:the )?|roof of (?:the )?)?(?:bridge|roof|ledge|cliff(?: edge)?|tracks|railway(?: line)?|platform edge|edge|top floor)\b(?! club| committee| group| team| of (?:a|my) (?:breakdown|tears))|on (?:the|a) (?:bridge|roof|ledge|railway line|railway|tracks|train tracks)\b[^.!?]{0,20}(?:right now|now|tonight)|engine running\b[^.!?]{0,40}\b(?:garage|shut|closed|hose)|hose(?:pipe)? (?:in|into|to) the (?:car|exhaust)",
    ),
    _f(
        IMMEDIATE_DANGER,
        "already taken",
        URGENT,
        rf"\b(?:just|already) (?:taken|swallowed|had|drunk|necked)\b[^.!?]{{0,40}}(?:{PILLS}|vodka|bottle)|(?:taken|swallowed) (?:the |my )?{PILLS} already",
    ),
    _f(
        IMMEDIATE_DANGER,
        "means at hand",
        URGENT,
        rf"(?:{PILLS}|blade|knife|razor|rope|noose|ligature)s? (?:\w+ ){{0,2}}?(?:ready|lined up|counted out|in (?:my|his|her) hand|on the (?:table|bed|side) in front)|(?:i have|i've got|got) (?:the )?(?:pills|tablets|rope|knife|blade) (?:here|ready|with me and)|\bready to take (?:them|the (?:pills|tablets|lot)|it|all of them)\b",
    ),
    _f(
        IMMEDIATE_DANGER,
        "goodbye",
        URGENT,
        r"\bthis is (?:my )?goodbye\b|\b(?:said|saying|say) (?:my )?goodbyes?\b(?! to (?:the |my )?(?:ward|staff|team|group|nurses)| when i (?:was )?(?:left|discharged|moved))",
    ),
    _f(
        IMMEDIATE_DANGER,
        "now",
        URGENT,
        r"(?:please|someone|somebody)\b[^.!?]{0,25}\b(?:ring|call|help)\b[^.!?]{0,40}\b(?:can't do this|can't cope|scared|not okay|not ok|can't go on)|help me (?:please )?(?:now|i'm scared)|\bi need help (?:right )?now\b[^.!?]{0,40}\b(?:scared|not ok|not okay|can't)",
    ),
)

# Legacy families kept from the first phrase list (each tuned on the older sets).
FAMILIES += (
    _f(
        SUICIDE,
        "passive wish",
        CONCERN,
        r"(?:can't|cannot|couldn't) (?:go on|carry on)(?: like this)?(?! with| the| waiting| like that| doing| working)",
    ),
    _f(SUICIDE, "passive wish", CONCERN, r"wanted to end (?:it|things)\b"),
    _f(SUICIDE, "method", URGENT, r"(?:hang|hanging|hanged|hung) " + SELF),
    _f(
        HARM_TO_OTHERS,
        "command hallucinations",
        URGENT,
        r"voices (?:were |are |keep |kept )?(?:telling|tell|told) (?:me|him|her) to (?:hurt|kill|harm|attack)",
    ),
    _f(
        HARM_TO_OTHERS,
        "weapon",
        URGENT,
        r"(?:carr(?:y|ies|ying|ied)|bought|got) a (?:knife|blade|weapon|gun)\b(?! (?:block|sharpener|and fork))",
    ),
    _f(
        ABUSE,
        "emotional",
        CONCERN,
        r"(?:scared|afraid|frightened|terrified) of (?:him|her|my (?:partner|husband|wife|dad|stepdad|boyfriend|girlfriend|ex))\b",
    ),
    _f(
        ABUSE,
        "physical",
        CONCERN,
        rf"{AGENT} (?:hits|hit|beats|beat|punches|punched|kicks|kicked|chokes|choked|strangles|strangled|slaps|slapped|burns|burned|burnt|shoved|hurts|hurt) (?:me|us|my|her|him|them)\b(?! (?:at|to) | with (?:a|the|another) | in (?:the |a )?(?:final|game|match|race|quiz)| (?:wrist|ankle|knee|back|neck|shoulder|leg|foot|head)\b)",
    ),
)

COMPILED: tuple[tuple[Family, re.Pattern[str]], ...] = tuple((f, re.compile(f.pattern)) for f in FAMILIES)
