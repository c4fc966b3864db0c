"""Events: who did what to whom, when, coded in PLOVER 2.0, as a spaCy component.

Rules over the dependency parse and a trigger lexicon kept as data
(``data/event_triggers.tsv``), for the same reasons as the attribution rules: they run
at the speed of the parse, and an analyst can read why an event was coded.

The grammar of news events is mostly the grammar of a handful of constructions, and
the code follows them rather than single sentences:

- a verb that names the act ("Iran supplied Moscow with drones"): actor = subject (or
  by-agent of a passive), target and object where the lexicon says its frame puts them;
- a noun that names the act ("Iran's drone deliveries to Russia", "a protest against
  X"): actor = possessor, name compound, nationality adjective or by-agent, else the
  subject of the support verb that governs it ("Britain imposed sanctions on ...");
- a verb that reverses its object ("lifted the blockade", "suspended aid"): the event
  is the reverse of the object's (RETREAT, CONCEDE, SANCTION);
- commitments and futures ("promised to provide", "will release", "would boycott"):
  PLOVER codes the commitment itself, AGREE for a cooperative act and THREATEN for a
  hostile one, and the act keeps a modality rather than being asserted as done;
- an obligation put on someone in reported speech ("Russia said Sudan must return
  the helicopter") is the speaker's REQUEST of that someone.

An event inside an attribution's content belongs to that voice: a denial negates it in
that voice (it is not a fact of the article). ``doc._.events`` holds
:class:`EventSpan` records with character offsets; ``events_to_dicts`` turns them into
the JSON contract of DESIGN.md.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from claimgraph.actors import ActorRecord, lookup_place, resolve_mention
from claimgraph.attributions import AttributionSpan, SpanIndex, attribution_spans
from claimgraph.ontology import (
    HOSTILE_TYPES,
    EventRoles,
    Trigger,
    cameo_root,
    load_event_roles,
    load_triggers,
)
from claimgraph.timex import TimeValue, conflict_start, names_war, normalise

if not Doc.has_extension("events"):
    Doc.set_extension("events", default=None)

SUBJ_DEPS = ("nsubj", "nsubjpass", "csubj")
#: Verbs whose object is the subject of their to-infinitive ("urged the EC to support").
OBJECT_CONTROL = frozenset(
    "urge ask order allow force call help press invite encourage persuade tell permit "
    "enable compel require instruct authorize authorise".split()
)
COMMIT_MODALITY = {
    "promise": "promised",
    "pledge": "promised",
    "vow": "promised",
    "swear": "promised",
    "offer": "promised",
    "commit": "promised",
    "agree": "agreed",
    "continue": "continuing",
    "keep": "continuing",
    "plan": "intended",
    "intend": "intended",
    "want": "intended",
    "seek": "intended",
    "aim": "intended",
    "prepare": "intended",
    "decide": "intended",
    "threaten": "intended",
    "try": "intended",
    "attempt": "intended",
    "willing": "intended",
    "ready": "intended",
    "prepared": "intended",
    "committed": "promised",
    "determined": "intended",
}
#: Words that say what came before is untrue ("the missile part is completely wrong").
FALSITY = frozenset(
    "wrong false untrue baseless groundless unfounded fabricated nonsense lie lies".split()
)
#: Nouns that hold someone else's claim ("this fuss ... that Iran has provided ...").
CLAIM_NOUNS = frozenset(
    "fuss claim claims allegation allegations accusation accusations report reports rumour "
    "rumor rumours rumors suggestion suggestions insinuation insinuations assertion "
    "documents evidence proof".split()
)
FUTURE_AUX = frozenset(["will", "would", "shall", "'ll", "wo"])
NEGATIONS = frozenset(["not", "n't", "never", "no"])
#: Nouns that stand for their possessor's state or armed body ("Moscow's forces").
GENERIC_BODIES = frozenset(
    "force forces troops army military government authorities regime soldiers police navy "
    "officials militia militiamen leadership administration".split()
)
#: Heads that pass an argument on to their of-phrase ("part of an aid program").
TRANSPARENT = frozenset("part some all most much state effort efforts series wave plan".split())
QUANTITY_HEADS = frozenset(
    "number handful dozen dozens couple lot lots batch batches hundreds thousands tons".split()
)
MILITARY_WORDS = frozenset(
    "drone drones missile missiles weapon weapons arms ammunition tank tanks troops military "
    "jets aircraft artillery rockets munitions intelligence".split()
)
#: Heads of weapon phrases: a weapon as subject or object of "use", "launch".
WEAPON_WORDS = frozenset(
    "drone missile weapon rocket bomb munition shell artillery tank jet warplane aircraft "
    "shahed kamikaze".split()
)
#: People one state sends to help another's forces: the aid is the people themselves.
PERSONNEL_WORDS = frozenset(
    "personnel troops adviser advisers advisor advisors trainer trainers instructor "
    "instructors officer officers soldier soldiers expert experts specialist specialists "
    "technician technicians mercenary mercenaries commander commanders".split()
)
ECONOMIC_WORDS = frozenset("dollars euros money grant loan loans credit funds shillings".split())
HUMANITARIAN_WORDS = frozenset(
    "food medical medicine humanitarian asylum shelter refugees water".split()
)
_MAKER = re.compile(r"(?i)(?:-made|-built|-designed|^made$|^built$|^manufactured$|^designed$)")
#: Modifiers that make an attack a matter of words ("political attacks").
VERBAL_ATTACK = frozenset(
    "political verbal personal negative rhetorical partisan ad campaign twitter".split()
)
#: Verbs whose subject owns the claim they carry ("spreading insinuations").
SPREAD_VERBS = frozenset("spread make repeat level raise voice push peddle circulate".split())
#: Verbs whose refusal is a refusal to speak, not to act ("declined to say").
UNSAID_VERBS = frozenset(
    "say comment confirm elaborate disclose specify reveal detail discuss speculate".split()
)
#: Nouns that name a war as a point in time ("before the war", "since the invasion").
WAR_NOUNS = frozenset("war invasion conflict offensive fighting hostilities".split())
AIR_STRIKE = frozenset("missile air drone rocket military".split())
#: Claim nouns an outlet owns when the claim is "in" it: "a report in Politico".
PUBLISHED_NOUNS = frozenset("report story article editorial column piece".split())
#: Prepositions of a reason adjunct ("sanctions on X for supplying", "accused X of
#: supplying", "over supplying"): the gerund's doer is the one sanctioned or accused.
REASON_PREPS = frozenset("for over of".split())
#: Verbs whose to-infinitive is their complement, not a purpose ("wanted Iran to supply").
COMPLEMENT_VERBS = frozenset(
    "want expect need like prefer wish hope get have make let cause lead choose".split()
)
#: Pronouns that name nobody in particular ("anyone who", "those who" below).
GENERIC_PRONOUNS = frozenset(
    "anyone anybody whoever everyone everybody someone somebody nobody".split()
)
RELATIVE_PRONOUNS = frozenset(["who", "which", "that", "whom"])
#: Types of a verb that opposes the act its object names ("downgraded ties").
OPPOSING_TYPES = frozenset({"SANCTION", "ACCUSE", "REJECT", "PROTEST"})
#: Sectors that make an actor political (PLOVER/CAMEO sector codes; actors.SECTOR_WORDS).
POLITICAL_SECTORS = frozenset("GOV MIL LEG PTY REB SPY JUD COP IGO".split())


@dataclass
class EventSpan:
    """One event found in a ``Doc``; offsets are into ``doc.text``."""

    trigger: tuple[int, int]
    type: str
    mode: str | None = None
    context: str | None = None
    #: Indices into ``doc._.actors``.
    actor: int | None = None
    target: int | None = None
    object: tuple[int, int] | None = None
    quantity: str | None = None
    time: tuple[int, int] | None = None
    time_text: str | None = None
    polarity: str = "affirmed"
    modality: str = "actual"
    #: Index into ``doc._.attributions`` of the voice that carries the event (None: publisher).
    attribution: int | None = None
    sentence: tuple[int, int] = (0, 0)
    #: For a commitment coded AGREE/THREATEN: the type of the act committed to.
    act_type: str | None = None
    head: int = -1
    #: The voice's own act ("X said Y spread insinuations"), not a proposition it reports.
    own_act: bool = False
    #: Who makes the claim that holds the event ("the fuss made by some Western countries
    #: that Iran provided missiles"): a second voice, inside the attribution's voice.
    alleged_by: int | None = None
    #: Inside a claim noun ("the fuss ... that", "documents that"): reported, not asserted.
    in_claim: bool = False

    def time_value(self, published: str | None) -> tuple[str | None, str] | None:
        """(ISO value, relation) of the event's time against the publication date."""
        if self.time_text is None:
            return None
        tv = normalise(self.time_text, published)
        return tv.value, tv.relation


@Language.factory("claimgraph_events", assigns=["doc._.events"])
def make_events(nlp: Language, name: str) -> EventFinder:
    return EventFinder()


class EventFinder:
    """Find events; runs after ``claimgraph_actors`` (arguments resolve through it)."""

    def __init__(self) -> None:
        self.lex = load_triggers()

    def __call__(self, doc: Doc) -> Doc:
        if doc._.actor_registry is None:
            doc._.events = []
            return doc
        doc._.events = _DocEvents(doc, self.lex).run()
        return doc


def event_spans(doc: Doc) -> list[EventSpan]:
    found: list[EventSpan] | None = doc._.events
    return found or []


# -- the per-document pass --------------------------------------------------------


class _DocEvents:
    def __init__(self, doc: Doc, lex: dict[tuple[str, str], Trigger]) -> None:
        self.doc = doc
        #: ``Doc.text`` joins every token on each access: read it once per document.
        self.text = doc.text
        self.lex = lex
        self.atts: list[AttributionSpan] = attribution_spans(doc)
        self.events: list[EventSpan] = []
        self.by_head: dict[int, EventSpan] = {}
        self._actors: list[ActorRecord] = doc._.actors or []
        self.suppressed: set[int] = set()
        self.cues = [att.cue for att in self.atts]
        #: token index -> resolved actor (negative keys: resolved without fallbacks)
        self.memo: dict[int, int | None] = {}
        #: ``Span.ents`` walks every entity of the document: index them by token once
        self.ents: list[Span] = list(doc.ents)
        self.ent_starts = [ent.start for ent in self.ents]
        self.att_index = SpanIndex(
            (n, s, e) for n, att in enumerate(self.atts) for s, e in att.content
        )
        self.cue_index = SpanIndex((n, s, e) for n, (s, e) in enumerate(self.cues))
        self.roles = load_event_roles()
        self.sent_domains: dict[int, frozenset[str]] = {}

    def sent_ents(self, sent: Span) -> list[Span]:
        """``sent.ents`` (the entities that lie wholly inside ``sent``) by bisection."""
        return sentence_ents(self.ents, self.ent_starts, sent.start, sent.end)

    # lexicon lookups
    def entry(self, tok: Token) -> Trigger | None:
        if tok.pos_ in ("VERB", "AUX") or (tok.pos_ == "ADJ" and tok.tag_ == "VBN"):
            lemma = tok.lemma_.lower()
            if lemma == "pull" and any(c.lower_ == "out" for c in tok.children):
                return self.lex.get(("withdraw", "VERB"))
            if lemma == "step" and any(c.lower_ == "down" for c in tok.children):
                return self.lex.get(("resign", "VERB"))
            if lemma == "open" and any(c.lower_ == "fire" for c in tok.children):
                return self.lex.get(("fire", "VERB"))
            return self.lex.get((lemma, "VERB"))
        if tok.pos_ in ("NOUN", "PROPN"):
            return self.lex.get((tok.lower_, "NOUN")) or self.lex.get((tok.lemma_.lower(), "NOUN"))
        return None

    def run(self) -> list[EventSpan]:
        doc = self.doc
        for tok in doc:
            e = self.entry(tok)
            if e is None or e.type in ("@light",):
                continue
            if e.pos == "VERB":
                self.verb_event(tok, e)
        for tok in doc:
            e = self.entry(tok)
            if e is not None and e.pos == "NOUN" and tok.i not in self.by_head:
                self.noun_event(tok, e)
        self.obligations()
        for ev in self.events:
            if ev.target is None:
                self.late_target(ev)
        out = []
        for ev in self.events:
            if ev.head in self.suppressed:
                continue
            if self.finish(ev):
                out.append(ev)
        out.sort(key=lambda ev: ev.trigger)
        return out

    # -- building events --------------------------------------------------------
    def add(self, tok: Token, type_: str, mode: str | None) -> EventSpan:
        sent = tok.sent
        ev = EventSpan(
            trigger=(tok.idx, tok.idx + len(tok.text)),
            type=type_,
            mode=mode,
            sentence=(sent.start_char, sent.end_char),
            head=tok.i,
        )
        self.events.append(ev)
        self.by_head[tok.i] = ev
        return ev

    def verb_event(self, verb: Token, e: Trigger) -> None:
        obj = _child(verb, "dobj")
        obj_entry = self.entry(_transparent(obj)) if obj is not None else None
        if obj is not None:
            obj = _transparent(obj)
        if e.type == "@reverse":
            if obj is None or obj_entry is None or obj_entry.reverse is None:
                return
            ev = self.add(verb, obj_entry.reverse, obj_entry.mode)
            ev.actor = self.actor_of_verb(verb)
            ev.target = self.target_from(obj, obj_entry.target, ev.actor) or self.noun_owner(
                obj, ev.actor
            )
            if ev.target is None:
                ev.target = self.place_target(verb, ev.actor) or self.place_target(obj, ev.actor)
            self.suppressed.add(obj.i)
            self.by_head.setdefault(obj.i, ev)
            return
        if e.type == "@respond":
            type_ = "CONCEDE" if e.lemma == "accept" else "REJECT"
            if _negated(verb) and type_ == "CONCEDE":
                type_ = "REJECT"
            ev = self.add(verb, type_, e.mode if type_ == "CONCEDE" else None)
            ev.actor = self.actor_of_verb(verb)
            if obj is not None:
                ev.target = self.noun_owner(obj, ev.actor)
                ev.object = _np_span(obj)
                if obj_entry is not None and obj_entry.pos == "NOUN":
                    self.suppressed.add(obj.i)
                    self.by_head.setdefault(obj.i, ev)
            if ev.target is None:
                ev.target = self.target_from(verb, ("p:from", "p:by"), ev.actor)
            return
        if e.type == "@commit":
            self.commitment(verb, e)
            return
        # "agreed new sanctions": the noun's event, agreed; no AGREE of its own
        if (
            e.lemma == "agree"
            and obj is not None
            and obj_entry is not None
            and obj_entry.pos == "NOUN"
            and obj_entry.type not in ("AGREE",)
            and not obj_entry.type.startswith("@")
        ):
            return
        mode = e.mode
        type_ = e.type
        if e.lemma == "strike" and obj is None:
            return
        # "used drones against Ukraine", "launched missiles at Kyiv": using a weapon is an
        # attack; "used the money", "launched a campaign" are not
        if e.actor == "weapon" and not (obj is not None and obj.lemma_.lower() in WEAPON_WORDS):
            return
        crew = self.personnel_subject(verb) if type_ == "AID" else None
        if e.actor == "personnel" and crew is None:
            return  # "help" is aid only when sent people help: not "helped pass the bill"
        weapons = obj is not None and obj.lemma_.lower() in WEAPON_WORDS
        commands = _child(verb, "xcomp") is not None or _child(verb, "ccomp") is not None
        if obj is not None and any(c.dep_ in ("acl", "relcl") for c in obj.children):
            commands = True  # "ordered missiles launched at Kyiv"
        if e.lemma == "order" and weapons and not commands:
            # "Moscow has ordered 2,000 drones": a purchase, not a command
            type_, mode, e = "AID", None, self.lex[("buy", "VERB")]
        if e.actor == "p:from":
            # "bought drones from Tehran", "is getting weapons from Iran": the giver is
            # in the from-phrase, the subject receives; "bought 2,000 drones" without
            # one still says who received weapons
            giver = self.target_from(verb, ("p:from",), None)
            if giver is None and not weapons:
                return
            ev = self.add(verb, type_, mode)
            ev.actor = giver
            ev.target = self.actor_of_verb(verb)
            if e.object:
                self.set_object(ev, verb, e.object)
            return
        ev = self.add(verb, type_, mode)
        ev.actor = self.actor_of_verb(verb)
        subj = _child(verb, "nsubj")
        if (
            type_ == "ASSAULT"
            and subj is not None
            and subj.lemma_.lower() in WEAPON_WORDS
            and any(_MAKER.search(t.text) for t in subj.subtree)
        ):
            # "Iranian-made drones struck Kyiv": the maker is not the attacker (while the
            # "Israeli tanks" that fired are the attacker's own)
            ev.actor = None
            ev.object = _np_span(subj)
        ev.target = self.target_from(verb, e.target, ev.actor, recipient=type_ == "AID")
        if ev.target is None and type_ in ("AGREE", "CONSULT", "COOPERATE", "SUPPORT"):
            ev.target = self.conjoined_subject(verb, ev.actor)
        if ev.target is None:
            ev.target = self.place_target(verb, ev.actor)
        if ev.target is None:
            ev.target = self.purpose_target(verb, ev.actor)
        self.recipient_controller(ev, verb)
        if e.object:
            self.set_object(ev, verb, e.object)
        if crew is not None and ev.object is None:
            ev.object = _np_span(crew)  # "Iranian advisers are helping": the advisers
        if e.actor == "personnel" and not self.foreign_help(ev, crew):
            # "Ukrainian soldiers helped residents evacuate": help at home, not aid
            self.events.remove(ev)
            del self.by_head[verb.i]
            return
        if ev.actor is None and type_ == "AID" and ev.object is not None:
            # "Iranian instructors had been sent to Crimea": the sender is their state
            span = self.doc.char_span(*ev.object, alignment_mode="expand")
            for t in span or []:
                if t.dep_ == "amod" and t.ent_type_ in ("NORP", "GPE") and "-" not in t.text:
                    ev.actor = self.resolve(t)
                    break
        if (
            ev.type in ("REJECT",)
            and e.lemma in ("refuse", "decline")
            and (x := _child(verb, "xcomp"))
        ):
            self.suppressed.add(x.i)

    def recipient_controller(self, ev: EventSpan, verb: Token) -> None:
        """ "We agreed with the foreign minister of Ukraine to provide us with documents":
        an actor borrowed from the governing clause that is the verb's own recipient
        cannot be its doer; the party the governing verb is "with" is, else nobody."""
        if ev.actor is None or _own_subject(verb) is not None:
            return
        rcp = recipient_token(verb)
        if rcp is None or self.resolve(rcp) != ev.actor:
            return
        party = _prep_obj(verb.head, "with") if verb.dep_ in ("xcomp", "advcl") else None
        doer = self.resolve(party) if party is not None else None
        ev.actor, ev.target = (doer if doer != ev.actor else None), ev.actor

    def commitment(self, verb: Token, e: Trigger) -> None:
        """ "promised to provide Russia with missiles": the act, promised, and PLOVER's
        coding of the promise itself (AGREE, or THREATEN for a hostile act)."""
        comp = _child(verb, "xcomp") or _child(verb, "ccomp")
        obj = _child(verb, "dobj")
        act_entry = None
        act_tok = None
        if comp is not None:
            act_entry = self.entry(comp)
            act_tok = comp
            if act_entry is not None and act_entry.type == "@light":
                inner = _child(comp, "dobj")
                if inner is not None and (ie := self.entry(_transparent(inner))) is not None:
                    act_entry, act_tok = ie, _transparent(inner)
        elif obj is not None and (oe := self.entry(_transparent(obj))) is not None:
            act_entry, act_tok = oe, _transparent(obj)
        act_type = act_entry.type if act_entry is not None else None
        if act_type is not None and act_type.startswith("@"):
            act_type = None
        recipient = _child(verb, "dative")
        if recipient is None and obj is not None and act_type is None and _givable(obj):
            # "promised Moscow surface-to-surface missiles", parsed with Moscow inside the
            # object's name: a state or capital before a thing one gives is who gets it
            # (not "promised Kherson elections")
            recipient = next(
                (
                    c
                    for c in obj.children
                    if c.dep_ == "compound" and c.pos_ == "PROPN" and lookup_place(c.text)
                ),
                None,
            )
        giver = self.actor_of_verb(verb)
        taker = self.resolve(recipient) if recipient is not None else None
        if (
            taker is not None
            and giver is not None
            and self._country(taker) is not None
            and self._country(taker) == self._country(giver)
        ):
            recipient = None  # "Zelensky promised Kharkiv reconstruction": his own country
        if act_type is None and comp is None and obj is not None and recipient is not None:
            # "had promised Moscow more drones": a promise to give a thing is a promised AID
            gift = self.add(obj, "AID", None)
            gift.actor = giver
            gift.target = taker
            gift.object = _np_span(obj)
            gift.quantity = None
            act_type = "AID"
        type_ = "THREATEN" if act_type in HOSTILE_TYPES else "AGREE"
        ev = self.add(verb, type_, None)
        ev.act_type = act_type
        ev.actor = self.actor_of_verb(verb)
        ev.target = self.target_from(verb, e.target, ev.actor)
        if ev.target is None and act_tok is not None and act_entry is not None:
            ev.target = self.target_from(act_tok, act_entry.target, ev.actor)
        if ev.target is None and act_tok is not None:
            ev.target = self.place_target(act_tok, ev.actor)
        if ev.target is None and obj is not None and act_entry is None:
            ev.target = self.noun_owner(obj, ev.actor)

    def noun_event(self, noun: Token, e: Trigger) -> None:
        if e.type.startswith("@") or noun.i in self.suppressed:
            return
        gov = _governor(noun)
        gov_entry = self.entry(gov) if gov is not None else None
        type_, mode = e.type, e.mode
        if e.lemma == "strike":
            comps = {c.lower_ for c in noun.children if c.dep_ in ("compound", "amod")}
            if comps & AIR_STRIKE:
                type_, mode = "ASSAULT", "aerial"
            elif "hunger" in comps:
                mode = "hunger-strike"
        if type_ == "ASSAULT" and any(
            c.dep_ in ("amod", "compound") and c.lower_ in VERBAL_ATTACK for c in noun.children
        ):
            # "political attacks", "personal attacks": words, not violence
            type_, mode = "ACCUSE", "disapprove"
        if e.actor == "light" and gov_entry is None:
            return
        if light_theme(e, gov_entry):
            return
        # the verb names the same act ("provided aid"): the verb's event covers it (when
        # it made one: "launched an offensive" leaves the attack to the noun)
        if (
            gov is not None
            and gov_entry is not None
            and gov_entry.type == type_
            and (gov.i in self.by_head or gov_entry.actor != "weapon")
        ):
            return
        if gov is not None and gov_entry is not None and gov.i in self.by_head:
            gev = self.by_head[gov.i]
            if gov_entry.type in ("@respond",):
                return
            if gov_entry.type == "AGREE" and type_ == "AGREE":
                return
            if gev.type == "AGREE" and gev.act_type == type_:
                # the commitment's act: keep it, as a promised act
                pass
        if e.actor == "speaker":
            self.speaker_accusation(noun, e)
            return
        ev = self.add(noun, type_, mode)
        ev.actor = self.noun_actor(noun, gov)
        ev.target = self.target_from(noun, e.target, ev.actor, recipient=e.type == "AID")
        if ev.target is None and gov is not None and gov_entry is None:
            ev.target = self.target_from(gov, ("p:on", "p:against", "p:to"), ev.actor)
        if ev.target is None:
            ev.target = self.place_target(noun, ev.actor)
            if ev.target is None and gov is not None:
                ev.target = self.place_target(gov, ev.actor)
        if e.object:
            self.set_object(ev, noun, e.object)
        if ev.object is None:
            comp = [c for c in noun.children if c.dep_ == "compound" and c.pos_ == "NOUN"]
            if comp:
                c = comp[0]
                ev.object = (c.left_edge.idx, c.idx + len(c.text))
        if ev.actor is None and type_ == "AID" and ev.object is not None:
            span = self.doc.char_span(*ev.object, alignment_mode="expand")
            for t in span or []:
                if t.dep_ == "amod" and t.ent_type_ in ("NORP", "GPE"):
                    ev.actor = self.resolve(t)
                    break

    def speaker_accusation(self, noun: Token, e: Trigger) -> None:
        """ "X said Y was spreading insinuations": the speaker accuses Y."""
        att = self.attribution_at(noun.idx)
        gov = _governor(noun)
        ev = self.add(noun, "ACCUSE", e.mode)
        ev.own_act = True
        subj = self.actor_of_verb(gov) if gov is not None and gov.pos_ in ("VERB", "AUX") else None
        if att is not None:
            ev.actor = self.atts[att].speaker
            ev.target = subj
        else:
            ev.actor = subj
        if ev.target == ev.actor:
            ev.target = None

    def obligations(self) -> None:
        """ "Russia said Sudan must return the helicopter": Russia requests of Sudan."""
        for n, att in enumerate(self.atts):
            if att.speaker is None:
                continue
            for s, e in att.content:
                span = self.doc.char_span(s, e, alignment_mode="expand")
                for tok in span or []:
                    if tok.lower_ not in ("must", "should") or tok.dep_ != "aux":
                        continue
                    verb = tok.head
                    subj = _child(verb, "nsubj")
                    if subj is None or subj.pos_ == "PRON" or verb.i in self.by_head:
                        continue
                    target = self.resolve(subj)
                    if target is None or target == att.speaker:
                        continue
                    ev = self.add(verb, "REQUEST", None)
                    ev.actor = att.speaker
                    ev.target = target
                    ev.object = (verb.left_edge.idx, _right_edge_char(verb))
                    ev.attribution = n

    # -- arguments ------------------------------------------------------------
    def resolve(self, tok: Token | None) -> int | None:
        """An argument's actor; memoised per token because the registry's resolution
        is the costliest step of this component."""
        if tok is None:
            return None
        tok = _transparent(tok)
        if tok.i in self.memo:
            return self.memo[tok.i]
        idx = self._resolve(tok)
        self.memo[tok.i] = idx
        return idx

    def _resolve(self, tok: Token) -> int | None:
        if generic_referent(tok):
            return None  # "those who have to buy drones from Tehran": nobody in particular
        if tok.lower_ in ("we", "our", "us") and tok.text != "US":
            state = self.pronoun_state(tok)
            if state is not None:
                return state
        if tok.lower_ in ("it", "its"):
            speaker = self.speaking_body(tok)
            if speaker is not None:
                return speaker
        try:
            idx = resolve_mention(self.doc, tok)
        except (ValueError, IndexError):
            return None
        self._actors = self.doc._.actors or []
        if tok.pos_ == "PRON" and (idx is None or self._country(idx) is None):
            state = self.pronoun_state(tok)
            if state is not None:
                return state
        place = of_country(tok)
        if (
            idx is not None
            and place is not None
            and self._actors[idx].type == "person"
            and self._actors[idx].country not in (None, place)
        ):
            # "the foreign minister of Ukraine" is not the Iranian foreign minister the
            # registry matched by role: the state the of-phrase names stands for him
            of_state: int = self.doc._.actor_registry.state(place)
            self._actors = self.doc._.actors or []
            return of_state
        if idx is not None and self._country(idx) is None:
            # "its forces", "Moscow's troops": the possessor says whose body it is
            poss = _child(tok, "poss")
            if poss is not None and tok.lemma_.lower() in GENERIC_BODIES:
                pidx = self.resolve(poss)
                if pidx is not None and self._country(pidx) is not None:
                    return pidx
            # "a camp for Congolese refugees": a place or nationality inside the phrase
            for t in _phrase(tok):
                if t.ent_type_ in ("GPE", "NORP") or (
                    t.pos_ == "PROPN" and lookup_place(t.text) is not None
                ):
                    inner = self.resolve_plain(t)
                    if inner is not None and self._country(inner) is not None:
                        return inner
        return idx

    def speaking_body(self, pron: Token) -> int | None:
        """ "Iran denied that it had supplied drones": "it" in what a state or body
        says, in the sentence that names it as the speaker, is that speaker."""
        att = self.attribution_at(pron.idx)
        if att is None:
            return None
        a = self.atts[att]
        if a.speaker is None or a.source is None:
            return None
        self._actors = self.doc._.actors or []
        if self._actors[a.speaker].type not in ("state", "organisation", "igo", "media"):
            return None
        sent = pron.sent
        if not (sent.start_char <= a.source[0] < sent.end_char):
            return None
        return a.speaker

    def pronoun_state(self, pron: Token) -> int | None:
        """ "we provided Russia ..." in a minister's quote is his state; "its forces" after
        "Russia denies" is Russia's: a pronoun standing for a government."""
        registry = self.doc._.actor_registry
        low = pron.lower_
        if low in ("we", "our", "us"):
            att = self.attribution_at(pron.idx)
            speaker = self.atts[att].speaker if att is not None else None
            if speaker is not None:
                rec = self._actors[speaker]
                if rec.type in ("state", "igo") or rec.country is None:
                    return speaker
                idx: int = registry.state(rec.country)
                self._actors = self.doc._.actors or []
                return idx
            return None
        if low in ("it", "its", "they", "their", "them"):
            for tok_i, idx in reversed(registry.timeline):
                if tok_i < pron.i and self._actors[idx].type == "state":
                    return int(idx)
        return None

    def resolve_plain(self, tok: Token) -> int | None:
        if -tok.i - 1 in self.memo:
            return self.memo[-tok.i - 1]
        try:
            idx = resolve_mention(self.doc, tok)
        except (ValueError, IndexError):
            return None
        self._actors = self.doc._.actors or []
        self.memo[-tok.i - 1] = idx
        return idx

    def _country(self, idx: int) -> str | None:
        rec = self._actors[idx]
        if rec.country:
            return rec.country
        if rec.type in ("igo", "ngo"):
            return rec.type.upper()
        return None

    def actor_of_verb(self, verb: Token | None, depth: int = 0) -> int | None:
        if verb is None or depth > 6:
            return None
        subj = next((c for c in verb.children if c.dep_ in ("nsubj", "csubj")), None)
        if subj is not None:
            # "Iranians who live in Ukraine, attend ...": a relative the parser left unattached
            if subj.lower_ in ("who", "which", "that") and subj.head.dep_ != "relcl" and subj.i:
                prev = subj.doc[subj.i - 1]
                if prev.pos_ in ("NOUN", "PROPN"):
                    return self.resolve(prev)
            return self.resolve(subj)
        agent = _child(verb, "agent")
        if agent is not None:
            pobj = _child(agent, "pobj")
            return self.resolve(pobj)
        if _child(verb, "nsubjpass") is not None:
            return None
        head = verb.head
        if verb.dep_ in ("xcomp", "advcl", "conj", "acl") and head.i != verb.i:
            if verb.dep_ == "xcomp" and head.lemma_.lower() in OBJECT_CONTROL:
                obj = _child(head, "dobj")
                if obj is not None:
                    return self.resolve(obj)
            if verb.dep_ == "acl" and head.pos_ in ("NOUN", "PROPN"):
                return None
            return self.actor_of_verb(head, depth + 1)
        if verb.dep_ == "pcomp" and head.dep_ == "prep":
            if head.lower_ in REASON_PREPS:
                # "Britain imposed sanctions on X for supplying": X supplied, not Britain
                ctrl = adjunct_controller(verb)
                if ctrl is not None:
                    return self.resolve(ctrl)
                if _has_object(head.head):
                    return None
            return self.actor_of_verb(head.head, depth + 1)
        return None

    def noun_actor(self, noun: Token, gov: Token | None) -> int | None:
        for c in noun.children:
            if c.dep_ == "poss":
                return self.resolve(c)
        for c in noun.children:
            if c.dep_ in ("compound", "amod", "nmod") and (
                c.ent_type_ in ("GPE", "NORP", "ORG") or lookup_place(c.text) is not None
            ):
                return self.resolve(c)
        for c in noun.children:
            if c.dep_ == "prep" and c.lower_ == "by":
                return self.resolve(_child(c, "pobj"))
        if gov is not None and noun.dep_ in ("dobj", "pobj", "attr", "xcomp", "conj"):
            if self.purpose_theme(noun, gov):
                return None
            return self.actor_of_verb(gov)
        return None

    def purpose_theme(self, noun: Token, gov: Token) -> bool:
        """ "sent drones to help the war": the war is what the purpose serves, not an
        act of the sender; a purpose verb of another type than the noun's lends no actor."""
        if not purpose_clause(gov):
            return False
        ne, ge = self.entry(noun), self.entry(gov)
        return ne is not None and (ge is None or ge.type != ne.type)

    def noun_owner(self, noun: Token, actor: int | None) -> int | None:
        """Who made the move named by ``noun`` ("an Indian proposal", "calls by X")."""
        noun = _transparent(noun)
        for c in noun.children:
            if c.dep_ in ("poss", "compound", "amod", "nmod") and (
                c.dep_ == "poss"
                or c.ent_type_ in ("GPE", "NORP", "ORG", "PERSON")
                or lookup_place(c.text) is not None
            ):
                idx = self.resolve(c)
                if idx is not None and idx != actor:
                    return idx
        for c in noun.children:
            if c.dep_ == "prep" and c.lower_ in ("by", "from", "of", "on", "with"):
                idx = self.resolve(_child(c, "pobj"))
                if idx is not None and idx != actor:
                    return idx
        return None

    def target_from(
        self, tok: Token, slots: Iterable[str], actor: int | None, *, recipient: bool = False
    ) -> int | None:
        """The target in the first slot that holds one; ``recipient``: the target is who
        received something, never a region ("sent instructors to Crimea")."""
        passive = _child(tok, "nsubjpass") is not None
        fallback: int | None = None
        for slot in slots:
            arg: Token | None = None
            x: Token | None = None
            if slot == "dobj":
                arg = _child(tok, "nsubjpass") if passive else _child(tok, "dobj")
            elif slot == "dobj?with":
                if _prep_obj(tok, "with") is not None:
                    arg = _child(tok, "nsubjpass") if passive else _child(tok, "dobj")
            elif slot == "dative":
                arg = _child(tok, "dative")
                if arg is not None and arg.pos_ == "ADP":
                    arg = _child(arg, "pobj")
            elif slot == "xobj":
                x = _child(tok, "xcomp")
                if x is not None:
                    arg = _child(x, "dobj") or _prep_obj(x, "against") or _prep_obj(x, "to")
            elif slot == "ccomp":
                c = _child(tok, "ccomp")
                if c is not None:
                    arg = _child(c, "nsubj") or _child(c, "nsubjpass")
            elif slot.startswith("p:"):
                arg = _prep_obj(tok, slot[2:])
                dobj = _child(tok, "dobj")
                if arg is None and dobj is not None and tok.pos_ == "VERB":
                    # "shared evidence with the U.S.": the parser hangs it on the object
                    arg = _prep_obj(dobj, slot[2:])
            elif slot == "subj":
                continue
            if arg is None or arg.pos_ in ("NUM",):
                continue
            if (
                slot == "xobj"
                and x is not None
                and (
                    (nt := self.noun_target(arg, actor)) is not None
                    or (nt := self.pp_event_target(x, actor)) is not None
                )
            ):
                return nt
            idx = self.target_arg(arg, actor, recipient=recipient)
            if idx is None or idx == actor:
                continue
            if self._country(idx) is not None:
                return idx
            if fallback is None:
                fallback = idx
        return fallback

    def target_arg(self, arg: Token, actor: int | None, *, recipient: bool = False) -> int | None:
        """A target argument's actor; where that actor has no country but a modifier or
        an of/from/by-phrase of the argument names one ("the Taliban religious faction",
        "inspectors of the IAEA", "the resignation of Algerian President X"), that one.
        A weapon is never a target: "fighting with drones bought from Tehran"."""
        if arg.lemma_.lower() in WEAPON_WORDS:
            return None
        place = lookup_place(arg.text) if recipient else None
        if place is not None and place[1] == "region":
            return None  # "sent instructors to Crimea": a place, not who received them
        idx = self.resolve(arg)
        if idx is not None and self._country(idx) is not None:
            return idx
        arg = _transparent(arg)
        cands = [t for t in arg.subtree if t.i < arg.i and t.dep_ != "det"]
        for c in arg.children:
            if c.dep_ == "prep" and c.lower_ in ("of", "from", "by"):
                pobj = _child(c, "pobj")
                if pobj is not None:
                    cands.append(pobj)
                    cands.extend(t for t in pobj.subtree if t.i < pobj.i)
        for t in cands:
            if t.pos_ == "PRON" or not (
                t.ent_type_ in ("GPE", "NORP", "ORG", "PERSON")
                or t.dep_ == "pobj"
                or lookup_place(t.text) is not None
            ):
                continue
            inner = self.resolve(t) if t.dep_ == "pobj" else self.resolve_plain(t)
            if inner is not None and inner != actor and self._country(inner) is not None:
                return inner
        return idx

    def noun_target(self, noun: Token, actor: int | None) -> int | None:
        """ "threatened to launch an offensive against X": a nominal trigger as argument
        passes on its own target."""
        e = self.entry(noun)
        if e is None or e.pos != "NOUN" or e.type.startswith("@"):
            return None
        return self.target_from(noun, e.target, actor) or self.place_target(noun, actor)

    def pp_event_target(self, verb: Token, actor: int | None) -> int | None:
        """ "launch an offensive in its war with Iraq", "mobilized reservists for a war
        against Iraq": the target of an event noun in the verb's prepositional phrase."""
        for c in verb.children:
            if c.dep_ == "prep" and c.lower_ in ("in", "for"):
                pobj = _child(c, "pobj")
                if pobj is not None:
                    t = self.noun_target(pobj, actor)
                    if t is not None and self._country(t) is not None:
                        return t
        return None

    def conjoined_subject(self, verb: Token, actor: int | None) -> int | None:
        """ "Tehran and Kyiv had agreed": the second party of a joint act."""
        v: Token | None = verb
        for _ in range(4):
            if v is None:
                break
            subj = _child(v, "nsubj")
            if subj is not None:
                for c in subj.children:
                    if c.dep_ == "conj":
                        idx = self.resolve(c)
                        if idx is not None and idx != actor:
                            return idx
                return None
            v = v.head if v.dep_ in ("xcomp", "conj") and v.head.i != v.i else None
        return None

    def foreign_help(self, ev: EventSpan, crew: Token | None) -> bool:
        """Do the helpers belong to one state ("Iranian troops") and the helped to
        another?"""
        if ev.target is None:
            return False
        helped = self._country(ev.target)
        helpers = self._country(ev.actor) if ev.actor is not None else None
        for t in crew.children if crew is not None and helpers is None else []:
            if t.dep_ == "amod" and (place := lookup_place(t.text)) is not None:
                helpers = place[0]
        return helped is not None and helpers not in (None, helped)

    def personnel_subject(self, verb: Token) -> Token | None:
        """The sent people who do the helping: the subject of "troops are helping
        Russia", of "personnel are in Crimea helping Russian forces", or the noun a
        participle describes ("advisers helping Russian forces")."""

        def crew(t: Token) -> bool:
            return t.lemma_.lower() in PERSONNEL_WORDS or t.lower_ in PERSONNEL_WORDS

        tok = verb
        for _ in range(3):
            subj = _child(tok, "nsubj") or _child(tok, "nsubjpass")
            if subj is not None:
                return subj if crew(subj) else None
            if tok.dep_ == "acl":
                if crew(tok.head):
                    return tok.head
                # "personnel are in Crimea helping ...", parsed as if Crimea helped
                up = tok.head
                while up.dep_ in ("pobj", "prep", "compound", "amod") and up.head.i != up.i:
                    up = up.head
                tok = up
                continue
            if tok.dep_ not in ("advcl", "xcomp", "conj"):
                return None
            tok = tok.head
        return None

    def place_target(self, tok: Token, actor: int | None) -> int | None:
        """ "demonstrated in Serbia", "imposed a curfew in Cizre": the place acted on."""
        for c in tok.children:
            if c.dep_ == "prep" and c.lower_ in ("in", "into", "at", "inside", "across"):
                pobj = _child(c, "pobj")
                if pobj is None:
                    continue
                for t in pobj.subtree:
                    if t.ent_type_ in ("GPE", "NORP", "LOC", "FAC") or lookup_place(t.text):
                        idx = self.resolve_plain(t)
                        if idx is not None and idx != actor and self._country(idx):
                            return idx
        return None

    def late_target(self, ev: EventSpan) -> None:
        """Once every event is built: "demonstrated ... calling for independence from
        Iraq", "continued their hunger strike to demand the resignation of X", "mobilized
        reservists for a war against Iraq": the target of the act it serves."""
        tok = self.doc[ev.head]
        host = tok if tok.pos_ in ("VERB", "AUX") else _governor(tok)
        if host is None:
            return
        t = self.purpose_target(host, ev.actor)
        if t is None or self._country(t) is None:
            t = self.pp_event_target(host, ev.actor)
        if t is not None and t != ev.actor and self._country(t) is not None:
            ev.target = t

    def purpose_target(self, verb: Token, actor: int | None) -> int | None:
        for c in verb.children:
            if c.dep_ in ("advcl", "xcomp") and c.i in self.by_head:
                t = self.by_head[c.i].target
                if t is not None and t != actor:
                    return t
        return None

    def set_object(self, ev: EventSpan, tok: Token, slot: str) -> None:
        arg: Token | None = None
        if slot == "dobj":
            passive = _child(tok, "nsubjpass")
            arg = passive if passive is not None else _child(tok, "dobj")
            # "supplied Moscow with drones": the with-phrase holds the thing given
            with_obj = _prep_obj(tok, "with")
            if with_obj is not None and arg is not None and self.resolve_plain(arg) is not None:
                arg = with_obj
        elif slot.startswith("p:"):
            arg = _prep_obj(tok, slot[2:])
        if arg is None:
            using = next(
                (c for c in tok.children if c.dep_ in ("advcl", "xcomp") and c.lemma_ == "use"),
                None,
            )
            if using is not None:
                arg = _child(using, "dobj")
        if arg is None or arg.pos_ in ("PRON",):
            return
        if arg.lemma_.lower() in QUANTITY_HEADS:
            of = _prep_obj(arg, "of")
            if of is not None:
                ev.quantity = self.text[arg.left_edge.idx : arg.idx + len(arg.text)]
                ev.quantity = ev.quantity.replace("“", "").replace("”", "").replace('"', "")
                arg = of
        ev.object = _np_span(arg)
        nums = [c for c in arg.children if c.dep_ == "nummod"]
        if nums and ev.quantity is None:
            n = nums[0]
            ev.quantity = self.text[n.left_edge.idx : n.idx + len(n.text)]

    # -- voice, polarity, modality, time ------------------------------------------
    def attribution_at(self, char: int) -> int | None:
        best: int | None = None
        best_len = 1 << 30
        # the candidates come in the order of the attributions and their fragments
        for n, s, e in self.att_index.near(char):
            if s <= char < e and e - s < best_len:
                best, best_len = n, e - s
        return best

    def checked_role(self, idx: int | None) -> int | None:
        """The role after the actor check: "photographs",
        "civilian and infrastructure targets" are no actors; "Ukrainian cities" stand for
        Ukraine."""
        if idx is None:
            return None
        rec = self._actors[idx]
        kind = role_kind(rec, self.roles)
        if kind == "actor":
            return idx
        if kind == "state" and rec.country:
            state: int = self.doc._.actor_registry.state(rec.country)
            self._actors = self.doc._.actors or []
            return state
        return None

    def domains_of(self, sent: Span) -> frozenset[str]:
        found = self.sent_domains.get(sent.start)
        if found is None:
            found = self.sent_domains[sent.start] = sentence_domains(sent, self.roles)
        return found

    def finish(self, ev: EventSpan) -> bool:
        """Voice, polarity, modality and time of an event; False: it is no event (its
        roles were no actors, or a non-political sentence has no political side)."""
        doc = self.doc
        tok = doc[ev.head]
        # a role no actor fills stays empty, as one the parse does not fill: the event
        # (its type, time, voice) still counts, and no claim names a thing as its doer
        ev.actor = self.checked_role(ev.actor)
        ev.target = self.checked_role(ev.target)
        domains = self.domains_of(tok.sent)
        if domains:
            discount = frozenset().union(*(self.roles.domains[d][1] for d in domains))
            sides = [self._actors[i] for i in (ev.actor, ev.target) if i is not None]
            if not any(political_actor(rec, discount) for rec in sides):
                return False
        if ev.attribution is None:
            ev.attribution = self.attribution_at(tok.idx)
        if ev.actor is not None and ev.actor == ev.target:
            ev.target = None
        # modality and polarity from the chain of heads up to the clause's verb
        negated = _negated(tok)
        if (
            tok.pos_ in ("NOUN", "PROPN")
            and tok.dep_ not in ("nsubj", "nsubjpass")
            and (gov := _governor(tok)) is not None
        ):
            # "did not sign the deal"; but "the cooperation was not directed against
            # anyone" denies something of the cooperation, not the cooperation
            negated = negated or _negated(gov)
        modality = "actual"
        chain = list(_head_chain(tok))
        below: Token = tok
        for anc, dep in chain:
            lemma = anc.lemma_.lower()
            # "declined to say how many drones Iran had shipped": the refusal is to speak
            speaks, below = below.lemma_.lower() in UNSAID_VERBS, anc
            if (
                anc.i != tok.i
                and lemma in COMMIT_MODALITY
                and modality == "actual"
                and dep in ("xcomp", "ccomp", "dobj", "pobj", "prep", "acomp")
            ):
                modality = COMMIT_MODALITY[lemma]
            if any(
                c.dep_ == "mark" and c.lower_ in ("if", "unless", "whether") for c in anc.children
            ):
                modality = "hypothetical"
            if anc.lower_ in CLAIM_NOUNS and anc.i != tok.i:
                modality = "alleged"
                ev.in_claim = True
                if ev.alleged_by is None:
                    ev.alleged_by = self.claimant(anc)
                if _falsity_after(anc):
                    negated = True
            if (
                anc.i != tok.i
                and lemma in ("refuse", "decline", "fail")
                and dep == "xcomp"
                and not speaks
            ):
                negated = True
            if anc.i != tok.i and dep == "xcomp" and _negated(anc):
                negated = True
            if self.is_cue(anc) and anc.i != tok.i:
                break
        if modality == "actual" and any(
            c.dep_ == "advmod" and c.lower_ == "still" for c in tok.children
        ):
            modality = "continuing"  # "denied that Iran was still supplying drones"
        if modality == "actual" and in_purpose(tok):
            modality = "intended"  # "sent drones to help the war": what the sending is for
        if ev.type in ("AGREE", "THREATEN") and ev.act_type is not None:
            modality = "actual"
        future = any(
            c.dep_ == "aux" and c.lower_ in FUTURE_AUX for c in tok.children
        ) or _governed_by_ready(tok)
        if future and modality == "actual" and ev.type not in ("AGREE", "THREATEN", "REQUEST"):
            conditional = any(
                c.dep_ == "advcl" and any(m.lower_ == "unless" for m in c.children)
                for c in tok.children
            )
            ev.act_type = ev.type
            if negated and ev.type not in HOSTILE_TYPES:
                ev.type = "REJECT"
                negated = False
            elif ev.type in HOSTILE_TYPES or conditional:
                ev.type = "THREATEN"
            else:
                ev.type = "AGREE"
            ev.mode = None
        if ev.attribution is not None and not ev.own_act:
            att = self.atts[ev.attribution]
            if att.stance == "deny":
                # the denial and a "completely wrong" inside it are one act of denying
                negated = True
            elif att.stance == "allege" and modality == "actual":
                modality = "alleged"
        ev.polarity = "negated" if negated else "affirmed"
        ev.modality = modality
        if ev.type == "AID" and ev.mode is None:
            ev.mode = self.aid_mode(ev)
        self.attach_time(ev, tok)
        return True

    def claimant(self, noun: Token) -> int | None:
        """Whose claim a claim noun is: "X's claims", "claims by X", "the fuss made by X"."""
        for c in noun.children:
            if c.dep_ == "poss":
                return self.resolve(c)
        for c in noun.children:
            if c.dep_ == "prep" and (
                c.lower_ in ("by", "from")
                # "a report in Politico that ...": the outlet's
                or (c.lower_ == "in" and noun.lemma_.lower() in PUBLISHED_NOUNS)
            ):
                return self.resolve(_child(c, "pobj"))
            if c.dep_ == "acl" and c.pos_ == "VERB":
                agent = _child(c, "agent")
                if agent is not None:
                    return self.resolve(_child(agent, "pobj"))
        # "Amirabdollahian was spreading insinuations about ...": who spreads them
        if noun.dep_ == "dobj" and noun.head.lemma_.lower() in SPREAD_VERBS:
            subj = _child(noun.head, "nsubj")
            if subj is not None:
                return self.resolve(subj)
        return None

    def is_cue(self, tok: Token) -> bool:
        return any(s <= tok.idx < e for _, s, e in self.cue_index.near(tok.idx))

    def aid_mode(self, ev: EventSpan) -> str | None:
        if ev.object is None:
            return None
        words = {w.strip(".,").lower() for w in self.text[ev.object[0] : ev.object[1]].split()}
        words |= {w.rstrip("s") for w in words}
        if words & MILITARY_WORDS:
            return "military"
        if words & HUMANITARIAN_WORDS:
            return "humanitarian"
        if words & ECONOMIC_WORDS:
            return "economic"
        return None

    def attach_time(self, ev: EventSpan, tok: Token) -> None:
        sent = tok.sent
        anchors = [tok]
        gov = _governor(tok) if tok.pos_ in ("NOUN", "PROPN") else None
        if gov is not None:
            anchors.append(gov)
        head = tok
        while head.dep_ in ("xcomp", "conj") and head.head.i != head.i:
            head = head.head
            anchors.append(head)
        for anchor in anchors:
            found = self._time_of(anchor, sent)
            if found is not None:
                ev.time, ev.time_text = found, self.text[found[0] : found[1]]
                return

    def _time_of(self, anchor: Token, sent: Span) -> tuple[int, int] | None:
        doc = self.doc
        for ent in self.sent_ents(sent):
            if ent.label_ not in ("DATE", "TIME"):
                continue
            root = ent.root
            start, end = ent.start_char, ent.end_char
            host = root.head
            # "a few months before <clause>": the clause dates it, relative to its verb
            if root.dep_ == "npadvmod" and any(
                c.dep_ == "mark" and c.lower_ in ("before", "after") for c in host.children
            ):
                if host.head.i == anchor.i and host.dep_ == "advcl":
                    return start, _right_edge_char(host)
                continue
            # "on Saturday", "in recent weeks", "since May 3"
            if host.dep_ == "prep" or host.pos_ == "ADP":
                if host.lower_ in ("on", "in", "since", "until", "before", "after", "during"):
                    start = host.idx
                host = host.head
            if host.i == anchor.i or _attaches(host, anchor, self.by_head):
                return start, end
        # "before the war in Ukraine on Feb. 24" with no date of its own
        for c in anchor.children:
            if c.dep_ == "advcl" and any(
                m.dep_ == "mark" and m.lower_ in ("before", "after") for m in c.children
            ):
                ends = [
                    e for e in self.sent_ents(sent) if e.label_ == "DATE" and c.idx <= e.start_char
                ]
                if ends:
                    mark = next(m for m in c.children if m.dep_ == "mark")
                    return mark.idx, _right_edge_char(c)
        # "before the war", "since the invasion": dated later from the article or the
        # conflicts table (claimgraph.timex.anchor_conflicts)
        for tok in (anchor, *(c for c in anchor.children if c.dep_ == "advmod")):
            for c in tok.children:
                if c.dep_ == "prep" and c.lower_ in ("before", "after", "since", "during"):
                    obj = _child(c, "pobj")
                    if obj is not None and obj.lemma_.lower() in WAR_NOUNS:
                        return c.idx, _right_edge_char(c)
        _ = doc
        return None


def sentence_ents(ents: list[Span], starts: list[int], start: int, end: int) -> list[Span]:
    """The entities wholly inside tokens ``start:end``, as ``Span.ents`` gives them.

    ``ents`` is ``doc.ents`` (sorted, not overlapping) and ``starts`` their first
    tokens; ``Span.ents`` rebuilds and walks all of the document's entities on every
    call, which made dating events quadratic in the length of the document.
    """
    out: list[Span] = []
    for k in range(bisect.bisect_left(starts, start), len(ents)):
        ent = ents[k]
        if ent.end > end:
            break
        out.append(ent)
    return out


# -- role and context rules ---------------------------------------------------------
# Each takes a token (or an actor record) and answers from the parse and the data in
# data/event_roles.tsv, so each can be tried on a hand-built ``Doc``.


def role_kind(rec: ActorRecord, roles: EventRoles) -> str:
    """Can ``rec`` fill an event's actor or target role? "actor": states, bodies, people,
    media, and groups or unnamed actors headed by a noun for people or bodies ("Iranian
    officials", "the Ukrainian delegation", "Western partners"); "state": a thing or place
    of one country ("Ukrainian cities", "Israeli helicopters"), which stands for its state,
    unless the country only made it ("Iranian-made drones"); "none": objects, documents,
    abstractions, weapons, places ("photographs", "questions", "decision", "civilian and
    infrastructure targets")."""
    if rec.type not in ("group", "unknown"):
        return "actor"
    words = re.sub(r"[’']s\b", "", rec.name).lower().split()
    head = words[-1].strip(".,;:") if words else ""
    if _agent_noun(head, roles):
        return "actor"
    if rec.country and not _MAKER.search(rec.name.split()[0]):
        return "state"
    return "none"


def _singular(word: str) -> set[str]:
    out = {word}
    if word.endswith("ies"):
        out.add(word[:-3] + "y")
    if word.endswith("es"):
        out.add(word[:-2])
    if word.endswith("s"):
        out.add(word[:-1])
    if word.endswith("men"):
        out.add(word[:-3] + "man")
    if word == "people":
        out.add("person")
    return out


def _agent_noun(word: str, roles: EventRoles) -> bool:
    forms = _singular(word)
    if forms & roles.agents:
        return True
    if not forms & roles.things and any(f.endswith(roles.suffixes) for f in forms if len(f) > 4):
        return True  # "landowners", "loyalists", "migrants"
    place = lookup_place(word)
    return place is not None and place[1] == "demonym"  # "Iranians"


def sentence_domains(sent: Span, roles: EventRoles) -> frozenset[str]:
    """The non-political domains the sentence's nouns mark (crime, health, disaster,
    sport, business)."""
    found = set()
    for tok in sent:
        if tok.pos_ not in ("NOUN", "PROPN"):
            continue  # "stormed the embassy", "shared evidence" are no storm, no shares
        low, lemma = tok.lower_, tok.lemma_.lower()
        for name, (words, _discount) in roles.domains.items():
            if low in words or lemma in words:
                found.add(name)
    return frozenset(found)


def political_actor(rec: ActorRecord, discount: frozenset[str] = frozenset()) -> bool:
    """A state, an IGO, or an actor of a political sector (government, military,
    legislature, party, rebels, intelligence, judiciary, police), less the sectors the
    sentence's domain discounts (police in crime news, states named in sport)."""
    sector = rec.sector or {"state": "GOV", "igo": "IGO"}.get(rec.type)
    return sector is not None and sector in POLITICAL_SECTORS - discount


def light_theme(noun: Trigger, gov: Trigger | None) -> bool:
    """Is a noun that names an act only under a support verb ("imposed sanctions",
    "established ties") the theme of a verb that opposes it ("downgraded its ties",
    "condemned the war", "protested the sanctions")? Then it is no act of the verb's
    subject. (A directive's object is: "ordered patrols" is the government's MOBILIZE.)"""
    return (
        noun.actor == "light"
        and gov is not None
        and gov.type in OPPOSING_TYPES
        and gov.type != noun.type
    )


def adjunct_controller(gerund: Token) -> Token | None:
    """Who does the act of a gerund in a reason adjunct ("for supplying", "of
    supplying"): its own possessor or subject, else the one the governing verb acts on
    ("accused Iran of", "sanctions on X for", "Iran was punished for"); None when the
    syntax names nobody. An intransitive governor passes on its subject (None here)."""
    for c in gerund.children:
        if c.dep_ in ("poss", "nsubj"):
            return c
    prep = gerund.head
    gov = prep.head
    if gov.pos_ in ("NOUN", "PROPN"):
        return _prep_obj(gov, "on") or _prep_obj(gov, "against")
    obj = _child(gov, "dobj")
    if obj is not None:
        return _prep_obj(obj, "on") or _prep_obj(obj, "against") or obj
    return _child(gov, "nsubjpass")


def _has_object(gov: Token) -> bool:
    return gov.pos_ in ("NOUN", "PROPN") or _child(gov, "dobj") is not None


def purpose_clause(verb: Token) -> bool:
    """Is ``verb`` a purpose infinitive ("sent drones to help the war", "used drones
    (in order) to attack")? Not a complement of a commitment, a control or a wanting verb
    ("agreed to discuss", "urged X to", "wanted X to"), and not with a subject of its own."""
    if verb.pos_ not in ("VERB", "AUX") or verb.dep_ not in ("advcl", "xcomp"):
        return False
    if not any(c.dep_ == "aux" and c.lower_ == "to" for c in verb.children):
        return False
    if _own_subject(verb) is not None:
        return False
    head = verb.head
    lemma = head.lemma_.lower()
    if head.pos_ not in ("VERB", "AUX") or lemma in COMMIT_MODALITY or lemma in OBJECT_CONTROL:
        return False
    if lemma in COMPLEMENT_VERBS:
        return False
    if verb.dep_ == "xcomp":
        # "used drones to attack": a transitive verb's xcomp is its purpose; "began to"
        return _child(head, "dobj") is not None or _child(head, "dative") is not None
    return True


def in_purpose(tok: Token) -> bool:
    """Does the event word stand in a purpose clause: the purpose verb itself, or a noun
    it governs ("to help the war")?"""
    if tok.pos_ in ("NOUN", "PROPN"):
        gov = _governor(tok)
        return gov is not None and purpose_clause(gov)
    return purpose_clause(tok)


def recipient_token(verb: Token) -> Token | None:
    """Who receives: "provide us with documents" (object before a with-phrase), "give
    us documents" (dative)."""
    dative = _child(verb, "dative")
    if dative is not None:
        return _child(dative, "pobj") if dative.pos_ == "ADP" else dative
    if _prep_obj(verb, "with") is not None:
        return _child(verb, "dobj")
    return None


def generic_referent(tok: Token) -> bool:
    """Does the word stand for nobody in particular ("those who ...", "anyone who",
    "whoever"), so that it resolves to no actor (not to the last group named)?"""
    low = tok.lower_
    if low in RELATIVE_PRONOUNS and tok.head.dep_ == "relcl" and tok.head.head.i != tok.i:
        tok = tok.head.head
        low = tok.lower_
        return low == "those" or (low in GENERIC_PRONOUNS and tok.pos_ == "PRON")
    return low in GENERIC_PRONOUNS or (
        low == "those" and tok.pos_ == "PRON" and any(c.dep_ == "relcl" for c in tok.children)
    )


def of_country(tok: Token) -> str | None:
    """The country an of-phrase gives a role noun: "the foreign minister of Ukraine"."""
    if tok.pos_ != "NOUN":
        return None
    obj = _prep_obj(tok, "of")
    if obj is None:
        return None
    place = lookup_place(obj.text)
    return place[0] if place is not None and place[1] == "country" else None


def _own_subject(verb: Token) -> Token | None:
    return next((c for c in verb.children if c.dep_ in SUBJ_DEPS), None)


# -- parse helpers ----------------------------------------------------------------


def _givable(obj: Token) -> bool:
    """Is the object a thing one state gives another (weapons, money, people, aid)?"""
    lemma = obj.lemma_.lower()
    return (
        lemma in WEAPON_WORDS
        or lemma in PERSONNEL_WORDS
        or obj.lower_ in PERSONNEL_WORDS
        or lemma in ECONOMIC_WORDS
        or lemma in HUMANITARIAN_WORDS
        or lemma in ("aid", "assistance", "equipment", "arm", "weapon", "ammunition")
    )


def _child(tok: Token | None, dep: str) -> Token | None:
    if tok is None:
        return None
    for c in tok.children:
        if c.dep_ == dep:
            return c
    return None


def _prep_obj(tok: Token, prep: str) -> Token | None:
    for c in tok.children:
        if c.dep_ in ("prep", "dative", "agent") and c.lower_ == prep:
            return _child(c, "pobj") or _child(c, "pcomp")
    return None


def _transparent(tok: Token) -> Token:
    """ "part of a military aid program" -> program; "state of emergency" -> emergency."""
    for _ in range(3):
        if tok.lemma_.lower() not in TRANSPARENT:
            break
        of = _prep_obj(tok, "of")
        if of is None:
            comp = next((c for c in tok.children if c.dep_ == "compound"), None)
            if comp is None:
                break
            tok = comp
        else:
            tok = of
    if tok.pos_ == "NOUN" and tok.lemma_.lower() in ("program", "programme", "effort"):
        compounds = [c for c in tok.children if c.dep_ == "compound"]
        if compounds:
            last: Token = compounds[-1]
            return last
    return tok


def _governor(noun: Token) -> Token | None:
    """The verb a nominal trigger hangs from ("imposed sanctions", "attend a protest")."""
    tok = noun
    for _ in range(3):
        if tok.dep_ in ("dobj", "nsubjpass", "attr", "oprd"):
            return tok.head
        if tok.dep_ == "conj":
            tok = tok.head
            continue
        if tok.dep_ == "pobj" and tok.head.dep_ == "prep":
            prep = tok.head
            # "attend talks" has its own verb; "did not show up at the meeting" hangs the
            # noun on a preposition
            if prep.lower_ in ("to", "on", "upon", "in", "into", "at") and (
                prep.head.pos_ == "VERB"
            ):
                return prep.head
            if prep.head.pos_ in ("NOUN",) and prep.lower_ == "of":
                tok = prep.head
                continue
        if tok.dep_ == "compound":
            tok = tok.head
            continue
        return None
    return None


def _phrase(tok: Token) -> list[Token]:
    """The words of ``tok``'s phrase, without its clauses and appositions."""
    out: list[Token] = []
    stack = [c for c in tok.children]
    while stack:
        t = stack.pop()
        if t.dep_ in ("relcl", "appos", "advcl", "punct", "cc"):
            continue
        out.append(t)
        stack.extend(t.children)
    return sorted(out, key=lambda t: t.i)


def _negated(tok: Token) -> bool:
    return any(c.dep_ == "neg" or c.lower_ in ("never",) for c in tok.children)


def _head_chain(tok: Token) -> Iterable[tuple[Token, str]]:
    """The token and its heads, each with the dependency that leads up from the previous."""
    yield tok, ""
    cur = tok
    for _ in range(8):
        if cur.head.i == cur.i:
            return
        dep = cur.dep_
        cur = cur.head
        yield cur, dep


def _governed_by_ready(tok: Token) -> bool:
    """ "is willing to withdraw", "is prepared to lift": a stated readiness, a commitment."""
    if tok.dep_ == "xcomp" and tok.head.pos_ == "ADJ":
        return tok.head.lower_ in ("willing", "ready", "prepared", "committed", "determined")
    return False


def _falsity_after(noun: Token) -> bool:
    """Does the sentence call what ``noun`` holds untrue ("... is completely wrong")?"""
    return any(t.lower_ in FALSITY for t in noun.sent if t.i > noun.i)


def _attaches(host: Token, anchor: Token, by_head: dict[int, EventSpan]) -> bool:
    """Does a time expression hanging from ``host`` date ``anchor``'s clause? It does when
    the path up from ``host`` reaches ``anchor`` before any other event's trigger."""
    cur = host
    for _ in range(6):
        if cur.i == anchor.i:
            return True
        if cur.i in by_head or cur.pos_ == "VERB":
            return False
        if cur.head.i == cur.i:
            return False
        cur = cur.head
    return False


def _np_span(tok: Token) -> tuple[int, int]:
    """The noun phrase headed by ``tok`` with its coordinated nouns, without trailing
    prepositional phrases and clauses ("surface-to-surface missiles, in addition to ...")."""
    keep = [tok]
    for c in tok.children:
        if c.i < tok.i and c.dep_ not in ("punct", "cc", "prep", "relcl", "acl"):
            keep.extend(c.subtree)
    for c in tok.children:
        if c.dep_ == "conj" and c.i > tok.i:
            keep.append(c)
            keep.extend(t for t in c.subtree if t.i < c.i)
    ordered = sorted(keep, key=lambda t: t.i)
    last = ordered[-1]
    # leading quotation marks are not part of the thing named (no Doc.text: it is rebuilt
    # on every access)
    first = next((t for t in ordered if t.text.strip("“”\"'")), ordered[0])
    return first.idx, last.idx + len(last.text)


def _right_edge_char(tok: Token) -> int:
    right = tok.right_edge
    while right.is_punct and right.i > tok.i:
        right = right.doc[right.i - 1]
    return right.idx + len(right.text)


# -- records for the JSON contract -----------------------------------------------------


def events_to_dicts(
    sdoc: Doc,
    document: Any,
    actor_ids: dict[int, str],
    attribution_ids: dict[int, str],
    keep: Callable[[int, int], bool],
) -> list[dict[str, Any]]:
    """``doc._.events`` as DESIGN.md's event records, keeping those whose sentence lies in
    the article's own sections (``keep``); the time is normalised against the document's
    publication date here because the spaCy component does not know it."""
    text = sdoc.text
    published = getattr(document, "published", None)
    out: list[dict[str, Any]] = []
    war_start = dated_war(sdoc, published)
    for ev in event_spans(sdoc):
        if not keep(*ev.trigger):
            continue
        time = None
        if ev.time is not None and ev.time_text is not None:
            tv = normalise(ev.time_text, published)
            if tv.value is None and war_start is not None and names_war(ev.time_text):
                tv = TimeValue(war_start, tv.relation, tv.text)
            time = {
                "start": ev.time[0],
                "end": ev.time[1],
                "text": ev.time_text,
                "value": tv.value,
                "relation": tv.relation,
            }
        out.append(
            {
                "id": f"e{len(out) + 1}",
                "type": ev.type,
                "mode": ev.mode,
                "context": ev.context,
                "actor": actor_ids.get(ev.actor) if ev.actor is not None else None,
                "target": actor_ids.get(ev.target) if ev.target is not None else None,
                "trigger": _text_span(text, ev.trigger),
                "object": _text_span(text, ev.object) if ev.object else None,
                "quantity": ev.quantity,
                "time": time,
                "polarity": ev.polarity,
                "modality": ev.modality,
                "attribution": (
                    attribution_ids.get(ev.attribution) if ev.attribution is not None else None
                ),
                "cameo": cameo_root(ev.type, ev.mode),
                "act_type": ev.act_type,
                "sentence": {"start": ev.sentence[0], "end": ev.sentence[1]},
                "in_claim": ev.in_claim,
                "alleged_by": (actor_ids.get(ev.alleged_by) if ev.alleged_by is not None else None),
            }
        )
    return out


def dated_war(sdoc: Doc, published: str | None) -> str | None:
    """The start date of the war an article talks about: an invasion or war it dates
    itself ("Moscow invaded Ukraine on Feb. 24"), else a known conflict between states
    the article names (``data/conflicts.tsv``) that had begun by its publication."""
    text: str | None = None  # ``Doc.text`` joins every token: read it at most once
    for ev in event_spans(sdoc):
        if ev.type != "ASSAULT" or ev.time_text is None:
            continue
        if text is None:
            text = sdoc.text
        lemma = text[ev.trigger[0] : ev.trigger[1]].lower()
        if ev.mode == "invasion" or lemma.startswith(("war", "invad", "invasion")):
            tv = normalise(ev.time_text, published)
            if tv.value and tv.relation in ("on", None) and len(tv.value) == 10:
                return tv.value
    countries = {
        rec.country for rec in (sdoc._.actors or []) if rec.type == "state" and rec.country
    }
    return conflict_start(countries, published)


def _text_span(text: str, span: tuple[int, int]) -> dict[str, Any]:
    return {"start": span[0], "end": span[1], "text": text[span[0] : span[1]]}
