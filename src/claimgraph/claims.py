"""Claims: each voice's stance towards a proposition, within one article.

A proposition is what could be true or false whoever says it: an event frame (PLOVER
type, actor, target, the class of the thing given or used) or, for a statement that
holds no coded event, the statement's predicate with its subject and object. Polarity
and modality stay out of the proposition, so "Iran supplied drones" and "Iran did not
supply drones" are one proposition with two sides; that is what lets later stages
find contested claims across articles (:mod:`claimgraph.threads`).

Who takes a side is decided by the chain of voices around the sentence:

- the speaker of the innermost attribution (and its co-speakers) states the
  proposition with the attribution's stance; a denial has already negated the
  events inside it (:mod:`claimgraph.events`), so the side is the event's polarity;
- an outer attribution by someone else wraps it ("the agency quoted him as saying",
  "officials said Iran had promised"): the outer voice takes the same side, or the
  opposite side when it denies;
- a commitment reported inside someone's statement ("officials said Iran had
  promised to ...") is the event's modality, not a voice of its own;
- a claim noun with an owner ("the fuss made by some Western countries that ...")
  adds the owner as a voice that alleges the proposition;
- the publisher's narration reports (side neutral): an article that relays a fact
  is not a party to a dispute about it, its sources are.

Sides are +1 (affirms the proposition as keyed), -1 (denies it) and 0 (reports,
hedges or asks without taking a side). The records are plain dicts because they are
part of the JSON contract of ``claimgraph extract``.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable
from functools import lru_cache
from importlib import resources
from typing import Any

from spacy.tokens import Doc, Token

from claimgraph.actors import lookup_place
from claimgraph.attributions import SpanIndex
from claimgraph.events import PUBLISHED_NOUNS
from claimgraph.model import Actor, Attribution, Extraction
from claimgraph.ontology import HYPERNYMS

#: Attribution stances that take a side; the rest (hedge, question) report without one.
SIDED_STANCES = frozenset({"affirm", "deny", "acknowledge", "allege", "promise"})
#: Cue verbs that concede a point: stance "acknowledge" in claims (the cue lexicon
#: files them under affirm because for attribution they are plain statements).
ACKNOWLEDGE_CUES = frozenset(
    "acknowledge admit concede confess confirm grant recognise recognize".split()
)
#: Cues of a commitment: "Iran had promised to provide", "Tehran and Kyiv had agreed".
COMMITMENT_CUES = frozenset("promise pledge vow agree offer commit undertake".split())
#: Modals in a cue that make a denial a call or a possibility ("must rebut", "could deny").
OBLIGATION_MODALS = frozenset("must should ought could might may".split())
#: Modals that make a verdict a doubt ("might be misleading", "could be false").
HEDGING_MODALS = frozenset("might may could would".split())
#: Kinds of weapon (and "weapon" itself).
WEAPON_KINDS = HYPERNYMS["weapon"] | {"weapon"}
#: Weapons launched at a target, that an interception stops before they hit.
LAUNCHED_WEAPONS = frozenset({"drone", "missile"})
#: Acts of two parties together: the receiving or meeting side answers for them too.
JOINT_TYPES = frozenset({"AID", "COOPERATE", "CONSULT", "AGREE"})
#: Event types whose mode tells different propositions apart (an invasion is not an air
#: strike); for the others the mode is inferred too unevenly to split on.
MODE_KEYED = frozenset({"ASSAULT"})
#: Participants that are never a party of their own: "power stations", "infrastructure".
THING_TYPES = frozenset({"group", "unknown"})
#: Quantity words: small vs large, for incompatible-quantity claims.
SMALL_QUANTITY = re.compile(
    r"\b(small|limited|few|handful|couple|single|one|two|three|four|five|six|seven|eight|"
    r"nine|several|modest|some)\b",
    re.I,
)
LARGE_QUANTITY = re.compile(
    r"\b(hundreds?|thousands?|dozens|many|large|huge|massive|vast|big|numerous|scores)\b",
    re.I,
)
_ADDITIVE = re.compile(
    r"^\s*,?\s*(?:in addition to|as well as|along with|together with|plus)\s+"
    r"(?:more\s+|additional\s+|further\s+|other\s+)?((?:[\w-]+\s+){0,2}[\w-]+)",
    re.I,
)
_MEASURE = re.compile(
    r"^(?:an?\s+|the\s+)?(?:[\w-]+\s+)?(?:hundreds|thousands|dozens|scores|number|numbers|lot|lots|"
    r"batch|batches|shipment|shipments|consignment|handful|couple|pair|fleet|supply|supplies|"
    r"quantity|quantities|amount|delivery|deliveries|range|variety|wave|waves|salvo|salvos|"
    r"barrage|barrages|swarm|swarms)\s+of\s+(.+)$",
    re.I,
)
_STOP_WORDS = frozenset(
    "to from for in on at after before by with and or but that which since during".split()
)
MEASURE_HEADS = frozenset(
    "hundred thousand dozen score number lot batch shipment consignment handful couple "
    "pair fleet supply quantity amount delivery wave salvo barrage swarm".split()
)
#: A denial's content that only names an earlier claim ("the accusation", "any link").
_CLAIM_REFERENCE = re.compile(
    r"^(?:(?:the|this|that|these|those|such|any|an?|all|his|her|their|its)?\s*"
    r"(?:[\w.’'-]+\s+){0,3}?(?:accusations?|reports?|claims?|allegations?|account|charges?|"
    r"story|stories|remarks?|assertions?|suggestions?|link|links|involvement|role|"
    r"assessment|statements?|charge|wrongdoing)\b[^;]{0,80}"
    # "has denied it happened", "disputes this"
    r"|(?:it|that|this)(?:\s+(?:happened|occurred|took place|was true))?"
    # "'It's just not true,' he said", "'That never happened'", "'Nice try, not true'"
    r"|(?:(?:nice try|no)\s+)?(?:(?:it|that|this)(?:'s|’s|\s+is|\s+was)?\s+)?"
    r"(?:(?:just|simply|completely|totally|all|flatly|absolutely)\s+)?"
    r"(?:not true|untrue|false|nonsense|a lie|lies|absurd|ridiculous|made up|never happened))$",
    re.I,
)
#: What a claim is called when someone says it is false: "Rubio's claim ... is simply
#: not true", "the AP report was misleading", "Trump's tweets ... are lies".
FALSITY_WORDS = frozenset(
    "false untrue inaccurate misleading baseless unfounded nonsense lie lies fabricated bogus "
    "incorrect distorted distortion fiction fabrication unsubstantiated fake".split()
)
#: Words that call a claim false only when what they judge is plainly a claim.
EVALUATIVE_FALSITY = frozenset("wrong absurd ridiculous".split())
#: Nouns for things said, beside CLAIM_WORDS: "Cruz's description was false".
SAID_WORDS = frozenset(
    "description statement statements tweet tweets remark remarks comment comments figure "
    "figures number numbers version portrayal depiction testimony".split()
)
#: PLOVER's coding of a commitment itself, beside the committed act.
COMMITMENT_CODES = frozenset({"AGREE", "THREATEN"})
#: Verbs of a denial in a relative clause ("a report the ministry has denied").
DENY_LEMMAS = frozenset("deny reject dispute dismiss refute rebut".split())
#: Cue verbs that deny by themselves: "denied that the report was false" affirms it.
DENY_CUES = (
    "denie",
    "deny",
    "denial",
    "disput",
    "reject",
    "refut",
    "rebut",
    "dismiss",
    "contradict",
)


def _cue_denies(att: Attribution) -> bool:
    """Is the cue a verb of denying ("denied", "disputes"), not a "said" that happens to
    carry a denial in its content?"""
    return any(w.lower().startswith(DENY_CUES) for w in att.cue.text.split())


def names_a_claim(text: str) -> bool:
    """Does a denial's content only name a claim ("the accusation", "it's not true")
    rather than say what is false?"""
    text = text.strip().strip("\"'“”‘’.,!;: ")
    # "dismissed what he called baseless reports": the reports
    text = re.sub(r"(?i)^what\s+\w+\s+(?:called|calls|described\s+as|termed)\s+", "", text)
    return bool(_CLAIM_REFERENCE.match(text))


#: Nouns that hold someone's claim ("Sanders' accusations that ...").
CLAIM_WORDS = frozenset(
    "accusation accusations claim claims allegation allegations charge charges report reports "
    "criticism critique suggestion suggestions notion idea assertion assertions contention "
    "insinuation insinuations rumor rumors rumour rumours attacks story account "
    "characterization characterisation assessment assessments".split()
)
#: How far back (characters) a denial may reach for the claim it answers.
ANAPHOR_REACH = 700
#: How far back a bare "Clinton's claim" or "there are no such advisers" may reach for
#: what was said: further, because such a reference names whose claim or what it is about.
SAID_REACH = 2 * ANAPHOR_REACH
#: "There are no X", "had no information about X": X does not exist, as far as one knows.
_NO_SUCH = re.compile(
    r"(?i)^(?:that\s+)?(?:there\s+(?:are|is|were|was|have\s+been|has\s+been)\s+no\s+"
    r"|\w+\s+(?:had|has|have)\s+no\s+(?:information|knowledge|evidence)\s+(?:about|of|on)\s+)"
    r"(.+)$"
)
#: Pronouns by which a voice speaks of itself in its own denial.
_PERSONAL_PRONOUNS = frozenset("i we he she they it".split())
#: Verbs too common to tell two statements' topics apart.
_LIGHT_VERBS = frozenset("be have do say make get go take give know think".split())
#: Acts that stop a weapon in flight: the weapon's launcher attacked the one who stops it.
_INTERCEPT = re.compile(
    r"(?i)^(?:shot|shoots?|shooting|down(?:ed|s|ing)?|destr(?:oy|oys|oyed|oying)|intercept(?:s|ed|ing)?)$"
)
#: The maker of a weapon: "Iranian-made drones", "drones built in Iran".
_MAKER_NAME = re.compile(
    r"\b([A-Z][\w.]+)-(?:made|built|produced|manufactured|designed)\b"
    r"|\b(?:made|built|produced|manufactured|designed)\s+in\s+([A-Z][\w.]+)"
)
_MADE_BY = re.compile(r"(?i)\w-(?:made|built|produced|manufactured)\b")
_WORD = re.compile(r"[A-Za-z][A-Za-z-]*")
#: Object words too vague to key a proposition on.
VAGUE_OBJECTS = frozenset(
    "it them this that these those thing things something help part kind".split()
)
#: Object words that do not tell one supply apart from another ("weapons" in an article
#: about drone deliveries): the class "weapon", a gap only a kind of weapon fills, so the
#: claim joins the drone (or missile) thread, never the advisers'.
GENERIC_OBJECTS = frozenset("weapon arm equipment hardware materiel munition".split())
#: Plain verb phrases for propositions as people read them.
TYPE_PHRASES = {
    "AGREE": "agreed with",
    "CONSULT": "met",
    "SUPPORT": "supported",
    "CONCEDE": "made concessions to",
    "COOPERATE": "cooperated with",
    "AID": "supplied",
    "RETREAT": "withdrew from",
    "REQUEST": "asked",
    "ACCUSE": "accused",
    "REJECT": "rejected",
    "THREATEN": "threatened",
    "PROTEST": "protested against",
    "SANCTION": "sanctioned",
    "MOBILIZE": "mobilised against",
    "COERCE": "coerced",
    "ASSAULT": "attacked",
}


def object_class(text: str | None) -> str | None:
    """The kind of thing an event is about, as a singular lower-case head noun:
    "Iranian-made Shahed-136 drones" -> "drone"; "missiles and drones" -> "missile"
    (the first conjunct: a denial that scopes over one part must not spill over)."""
    if not text:
        return None
    measure = _MEASURE.match(text.strip())
    if measure:  # "hundreds of drones", "a small number of drones": the drones
        return object_class(measure.group(1))
    # the first conjunct; "2,000" is one number, not two
    first = re.split(
        r"\s*(?:,(?!\d)|;|\band\b|\bor\b|\bas well as\b|\bplus\b)\s*", text, maxsplit=1
    )[0]
    words = _WORD.findall(first.lower())
    if not words:
        return None
    head = words[-1].split("-")[-1] or words[-1]
    if head in VAGUE_OBJECTS:
        return None
    if singular(head) in GENERIC_OBJECTS and not _MADE_BY.search(text):
        # "weapons": some kind of weapon (see ontology.HYPERNYMS); but "Russian-made
        # weapons" is a kind of its own
        return "weapon"
    word = singular(head)
    return _object_classes().get(word, word)


@lru_cache(maxsize=1)
def _object_classes() -> dict[str, str]:
    """Head noun -> its class, from ``data/object_classes.tsv``."""
    text = resources.files("claimgraph").joinpath("data/object_classes.tsv").read_text("utf-8")
    out: dict[str, str] = {}
    for line in text.splitlines():
        if not line.strip() or line.startswith("#") or line.startswith("class\t"):
            continue
        name, _, words = line.partition("\t")
        for w in words.split():
            out[w.strip().lower()] = name.strip()
    return out


def singular(word: str) -> str:
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 4 and word.endswith(("sses", "shes", "ches", "xes")):
        return word[:-2]
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def quantity_class(text: str | None) -> str | None:
    """ "a small number" -> small, "hundreds" / "more than 400" -> large."""
    if not text:
        return None
    digits = [int(d.replace(",", "")) for d in re.findall(r"\d[\d,]*", text)]
    if digits:
        return "large" if max(digits) >= 100 else "small" if max(digits) < 20 else None
    if LARGE_QUANTITY.search(text):
        return "large"
    if SMALL_QUANTITY.search(text):
        return "small"
    return None


def build_claims(extraction: Extraction, sdoc: Doc | None = None) -> list[dict[str, Any]]:
    """The claims of one article: one per (voice, proposition, sentence).

    ``sdoc`` (the parsed text) lets statements without an event become propositions
    too; without it only event claims are made.
    """
    return _Builder(extraction, sdoc).run()


class _Builder:
    def __init__(self, extraction: Extraction, sdoc: Doc | None) -> None:
        self.x = extraction
        self.text = extraction.document.text
        self.sdoc = sdoc
        self.atts: dict[str, Attribution] = {a.id: a for a in extraction.attributions}
        self.actors: dict[str, Actor] = {a.id: a for a in extraction.actors}
        self.out: list[dict[str, Any]] = []
        self.seen: set[tuple[Any, ...]] = set()
        self._mentions: SpanIndex | None = None
        self._contents: SpanIndex | None = None
        self._cue_starts: list[tuple[int, int]] | None = None

    # -- the chain of voices --------------------------------------------------------
    def outer(self, att: Attribution) -> list[Attribution]:
        """Attributions whose content holds ``att`` (its cue and content), innermost first."""
        # only those whose content reaches between att's cue and content end can; in
        # the order of the attributions, as a scan over all of them gave
        lo, hi = sorted((att.cue.start, att.content.end))
        near = sorted({n for n, _, _ in self.content_index().near_range(lo, hi)})
        found = [
            o
            for o in (self.x.attributions[n] for n in near)
            if o.id != att.id
            and o.content.start <= att.cue.start
            and att.content.end <= o.content.end
            and (o.content.end - o.content.start) > (att.content.end - att.content.start)
        ]
        return sorted(found, key=lambda o: o.content.end - o.content.start)

    def is_commitment(self, att: Attribution) -> bool:
        cue = att.cue.text.lower().split()
        return att.stance == "promise" or any(
            w.rstrip("sd") in COMMITMENT_CUES or w in COMMITMENT_CUES for w in cue
        )

    def stance_of(self, att: Attribution) -> str:
        words = {w.strip(".,").lower() for w in att.cue.text.split()}
        stems = (
            {w[:-1] if w.endswith("d") else w for w in words}
            | {w[:-2] if w.endswith("ed") else w for w in words}
            | {w[:-1] if w.endswith("s") else w for w in words}
        )
        if att.stance == "affirm" and stems & ACKNOWLEDGE_CUES:
            return "acknowledge"
        if att.stance == "deny" and words & OBLIGATION_MODALS:
            return "hedge"  # "Mexico must rebut Trump's claims": a call, not a rebuttal
        return att.stance

    def voices(self, att: Attribution | None) -> Iterable[tuple[Attribution, str | None, int]]:
        """(attribution, voice actor id, side multiplier) along the chain, innermost first."""
        if att is None:
            return
        chain = [att, *self.outer(att)]
        flip = 1
        for n, a in enumerate(chain):
            if n > 0 and self.stance_of(a) == "deny" and self.stance_of(chain[n - 1]) != "deny":
                flip = -flip
            if n == 0 and len(chain) > 1 and self.is_commitment(a):
                continue  # "officials said Iran had promised": the promise is the event's
            for voice in (a.speaker, *a.co_speakers):
                yield a, voice, flip

    # -- records ----------------------------------------------------------------------
    def run(self) -> list[dict[str, Any]]:
        with_events: set[str] = set()
        for ev in self.x.events:
            if ev.get("attribution"):
                with_events.add(ev["attribution"])
            self.event_claims(ev)
        if self.sdoc is not None:
            for att in self.x.attributions:
                if att.id not in with_events:
                    self.statement_claims(att)
                self.falsity_claims(att)
        self.denials_of_earlier_claims(with_events)
        self.denials_of_accusations()
        self.existential_denials()
        self.appositive_denials()
        return self.out

    def appositive_denials(self) -> None:
        """ "officials said Tehran had promised Moscow missiles, a report Iran's foreign
        ministry has denied": a denial tucked into a relative clause on a claim noun. It
        denies what the noun stands for: its own complement where it has one ("reports
        that Iran sold drones, which Tehran has denied"), else what the sentence said
        before it. A denial that was not made ("a report Estonia never disputed", "could
        not refute") is none."""
        if self.sdoc is None:
            return
        for noun in self.sdoc:
            if noun.lower_ not in CLAIM_WORDS:
                continue
            rel = next(
                (
                    c
                    for c in noun.children
                    if c.dep_ in ("relcl", "acl") and c.lemma_.lower() in DENY_LEMMAS
                ),
                None,
            )
            subj = next((c for c in rel.children if c.dep_ == "nsubj"), None) if rel else None
            if rel is None or subj is None:
                continue
            if any(
                c.dep_ == "neg"
                or (c.dep_ == "aux" and c.lower_ in HEDGING_MODALS | OBLIGATION_MODALS)
                for c in rel.children
            ):
                continue
            # "Iran's foreign ministry": where the body is no actor of its own, its state
            denier = self.actor_at(subj) or self.owner_in(subj)
            if denier is None:
                continue
            inside = {t.i for t in rel.subtree}
            held = [
                t for t in noun.subtree if t.i > noun.i and t.i not in inside and t.dep_ != "punct"
            ]
            if held:
                lo, hi = held[0].idx, held[-1].idx + len(held[-1].text)
            else:
                lo, hi = noun.sent.start_char, noun.idx
            said = [
                c
                for c in self.out
                if lo <= c["evidence"]["start"] < hi
                and c["voice"] != denier
                and c["proposition"]["actor"] is not None
                and self.answers_for(c["proposition"], [denier])
            ]
            acts = [c for c in said if c["proposition"]["type"] not in COMMITMENT_CODES]
            # "had promised Moscow missiles, a report ... denied": the missiles, not the
            # promise PLOVER codes beside them
            for c in acts or said:
                self.deny_as(c, rel.idx, rel.idx + len(rel.text), None, [denier], {})

    def denials_of_accusations(self) -> None:
        """ "Lewandowski has denied that he was working on a book", "Putin denied that
        they were on active duty": a voice that denies something about its own side
        answers the accusation before it, when there is one (see
        :meth:`answer_accusation`); the denial keeps its own proposition too."""
        if self.sdoc is None:
            return
        for a in self.x.attributions:
            if self.stance_of(a) != "deny" or a.speaker is None or names_a_claim(a.content.text):
                continue
            if not _cue_denies(a):
                continue  # "said the plan was wrong": an opinion, not a denial
            voices = [a.speaker, *a.co_speakers]
            if self.accused_in(a, voices, own=True) is not None:
                self.answer_accusation(
                    a.cue.start, a.content.end, a, voices, {}, topic=self.content_words(a)
                )

    def content_words(self, att: Attribution) -> frozenset[str]:
        """The lemmas that say what a statement is about (nouns, verbs, adjectives that
        are not names or the commonest verbs): two statements about the same thing share
        some."""
        if self.sdoc is None:
            return frozenset()
        span = self.sdoc.char_span(att.content.start, att.content.end, alignment_mode="expand")
        return frozenset(
            t.lemma_.lower()
            for t in span or []
            if t.pos_ in ("NOUN", "VERB", "ADJ") and not t.is_stop and t.lemma_ not in _LIGHT_VERBS
        )

    def denials_of_earlier_claims(self, with_events: set[str]) -> None:
        """ "Iran rejected the accusation", "the Kremlin dismissed the report", "Tehran
        and Moscow deny any link": a denial whose content only names an earlier claim
        denies that claim's proposition. The claim it names is the latest one before
        it, by another voice, about a specific proposition, within a few sentences."""
        # (start, end, attribution, voice, event): where the denial is and who makes it
        anaphors: list[tuple[int, int, Attribution | None, str | None, dict[str, Any]]] = []
        for a in self.x.attributions:
            if a.id in with_events or self.stance_of(a) != "deny":
                continue
            if names_a_claim(a.content.text):
                anaphors.append((a.cue.start, a.content.end, a, a.speaker, {}))
        for ev in self.x.events:
            obj = ev.get("object") or {}
            if ev["type"] == "REJECT" and names_a_claim(obj.get("text", "")):
                owner = self.atts.get(ev["attribution"]) if ev.get("attribution") else None
                trig = ev["trigger"]
                anaphors.append((trig["start"], trig["end"], owner, ev.get("actor"), ev))
        if not anaphors:
            return
        earlier = [
            c
            for c in self.out
            if c["side"] == "affirm"
            and c["voice"] is not None
            and c["proposition"]["actor"] is not None
            and (
                c["proposition"]["kind"] == "statement"
                or c["proposition"]["target"] is not None
                or c["proposition"]["object"] is not None
            )
        ]
        for pos, end, att, voice, ev in anaphors:
            if voice is None:
                continue
            voices = [voice, *(att.co_speakers if att is not None and att.speaker == voice else [])]
            before = [
                c
                for c in earlier
                if c["evidence"]["start"] < pos
                and pos - c["evidence"]["start"] < ANAPHOR_REACH
                and c["voice"] not in voices
            ]
            # people deny what they are accused of: prefer claims about the denier's side
            before = [c for c in before if self.answers_for(c["proposition"], voices)]
            # "Iran rejected the accusation. 'There are no Iranian military advisers in
            # Crimea,' Kanaani said": where the denier's side says the things it is
            # accused of giving or doing do not exist, the accusation is about that kind
            # of thing (advisers, not drones)
            kinds = self.denied_kinds_near(pos, end, voices)
            own = [
                c
                for c in before
                if c["proposition"]["object"] in kinds
                and self.same_side(c["proposition"]["actor"], voices)
            ]
            if own:
                before = own
            if not before:
                # no claim of a proposition to join: answer the accusation itself
                self.answer_accusation(pos, end, att, voices, ev)
                continue
            last = max(c["evidence"]["start"] for c in before)
            for ante in [c for c in before if c["evidence"]["start"] == last]:
                self.deny_as(ante, pos, end, att, voices, ev)

    def denied_kinds_near(self, start: int, end: int, voices: list[str]) -> set[str]:
        """The kinds of thing the voices' side says do not exist ("there are no Iranian
        military advisers": personnel) in the denial's own sentence or the next one."""
        sentence = self.sentence_of(start, end)
        reach = sentence["end"]
        if reach + 1 < len(self.text):
            reach = max(reach, self.sentence_of(reach + 1, reach + 1)["end"])
        kinds: set[str] = set()
        for a in self.x.attributions:
            if a.speaker is None or not (sentence["start"] <= a.content.start <= reach):
                continue
            if a.speaker not in voices and not (
                self.same_side(a.speaker, voices) or self.same_side(voices[0], [a.speaker])
            ):
                continue
            m = _NO_SUCH.match(" ".join(a.content.text.split()).strip("\"'“”‘’ "))
            if m is None:
                continue
            kind = object_class(
                re.split(r"\s+(?:in|on|at|or|and|to|for|with|being)\s+|,", m.group(1))[0]
            )
            if kind is not None:
                kinds.add(kind)
        return kinds

    def deny_as(
        self,
        ante: dict[str, Any],
        start: int,
        end: int,
        att: Attribution | None,
        voices: list[str],
        ev: dict[str, Any],
    ) -> None:
        """The voices deny the proposition of an earlier claim, answering its voice: a
        denial that only points at a claim takes that claim's key, so the two sides meet
        in one thread."""
        base = {
            "proposition": {k: v for k, v in ante["proposition"].items() if k != "text"},
            "polarity": "negated",
            "modality": "actual",
            "time": None,
            "quantity": None,
            "quantity_class": None,
            "event": ev.get("id") if ev else None,
            "evidence": _span(self.text, start, end),
            "sentence": dict(ev["sentence"]) if ev else self.sentence_of(start, end),
        }
        for v in voices:
            self.add(base, voice=v, stance="deny", side=-1, att=att, responds_to=ante["voice"])

    def existential_denials(self) -> None:
        """ "There are no Iranian military advisers in Crimea", "he had no information
        about Iranian instructors": a voice says the things an earlier claim is about do
        not exist (or are unknown to it). It denies the latest earlier claim about that
        kind of thing on its own side, by another voice."""
        for a in self.x.attributions:
            if a.speaker is None:
                continue
            m = _NO_SUCH.match(" ".join(a.content.text.split()).strip("\"'“”‘’ "))
            if m is None:
                continue
            kind = object_class(
                re.split(r"\s+(?:in|on|at|or|and|to|for|with|being)\s+|,", m.group(1))[0]
            )
            if kind is None:
                continue
            voices = [a.speaker, *a.co_speakers]
            before = [
                c
                for c in self.out
                if c["side"] == "affirm"
                and c["voice"] is not None
                and c["voice"] not in voices
                and c["proposition"]["object"] == kind
                and c["evidence"]["start"] < a.cue.start
                and a.cue.start - c["evidence"]["start"] < SAID_REACH
                and self.answers_for(c["proposition"], voices)
            ]
            if before:
                ante = max(before, key=lambda c: c["evidence"]["start"])
                self.deny_as(ante, a.content.start, a.content.end, a, voices, {})

    def answer_accusation(
        self,
        pos: int,
        end: int,
        att: Attribution | None,
        voices: list[str],
        ev: dict[str, Any],
        *,
        topic: frozenset[str] | None = None,
    ) -> None:
        """ "Fields accused Lewandowski of grabbing her ... The campaign has denied it
        happened": a denial that names a claim whose words hold no proposition the
        rules can key (an accusation of misconduct, a report about a company). The
        proposition is that claim, as its speaker made it: the accuser affirms it, the
        denier answers the accuser. The claim it names is the latest attribution before
        the denial, by another named voice, that speaks about the denier's side; a
        denial with words of its own (``topic``) answers only a claim that shares some
        ("denied that her husband owned a yacht" does not answer a budget accusation)."""
        about: tuple[Attribution, str, tuple[bool, int]] | None = None
        # statements that hold an event speak of that event: a denial of them is about
        # it, even where the rules could not key it fully ("preparing to give Russia up
        # to several hundred drones")
        with_events = {c["attribution"] for c in self.out if c["proposition"]["kind"] == "event"}
        for a in self.cued_before(pos, ANAPHOR_REACH):
            if a.id in with_events:
                continue
            if not (
                a.cue.start < pos
                and pos - a.cue.start < ANAPHOR_REACH
                and a.stance in ("affirm", "allege")
                and a.speaker is not None
                and a.speaker not in voices
                and not self.same_side(a.speaker, voices)
                and not names_a_claim(a.content.text)
                # "according to court documents", "Headline: ...": sourcing, not a claim
                # anyone answers
                and a.cue.text.strip().lower() not in ("according to", ":")
            ):
                continue
            if topic is not None and not topic & self.content_words(a):
                continue
            accused = self.accused_in(a, voices)
            # an accusation before a plain statement, then the latest
            rank = (a.stance == "allege", a.cue.start)
            if accused is not None and (about is None or rank > about[2]):
                about = (a, accused, rank)
        if about is None:
            return
        claim, accused, _ = about
        speaker = str(claim.speaker)
        prop = {
            "kind": "statement",
            "type": "STATEMENT",
            "mode": None,
            # not a verb lemma, so never the key of a statement "X claimed that ..."
            "predicate": "alleged",
            "actor": speaker,
            "target": self.party(accused),
            # what the accuser says the accused did: two articles quoting the same
            # accusation share it, different accusations by the same voice do not
            "object": self.content_verb(claim),
            "also": None,
            "clause": f"{self.actors[speaker].name}: {' '.join(claim.content.text.split())}"[:160],
        }
        if prop["target"] is None:
            return
        shared = {
            "polarity": "affirmed",
            "modality": "actual",
            "time": None,
            "quantity": None,
            "quantity_class": None,
            "event": None,
        }
        self.add(
            {
                "proposition": prop,
                **shared,
                "evidence": _span(self.text, claim.content.start, claim.content.end),
                "sentence": self.sentence_of(claim.content.start, claim.content.end),
            },
            voice=speaker,
            stance="allege" if claim.stance == "allege" else "affirm",
            side=1,
            att=claim,
        )
        denial = {
            "proposition": prop,
            **shared,
            "polarity": "negated",
            "event": ev.get("id") if ev else None,
            "evidence": _span(self.text, pos, end),
            "sentence": dict(ev["sentence"]) if ev else self.sentence_of(pos, end),
        }
        for v in voices:
            self.add(denial, voice=v, stance="deny", side=-1, att=att, responds_to=speaker)

    def accused_in(self, claim: Attribution, voices: list[str], *, own: bool = False) -> str | None:
        """The actor on the denier's side whom an attribution accuses: the object of its
        cue ("accused Corey Lewandowski of grabbing her") or the subject of what it says
        ("Trump's campaign manager yanked her", "BuzzFeed missed its targets"). A side
        merely named elsewhere in it ("a meeting with Ukrainian experts fell through")
        is not accused of anything. In a voice's ``own`` denial a pronoun subject is the
        voice itself ("she denied that she had cut the budget")."""
        if self.sdoc is None:
            return None
        heads: list[Token] = []
        cue = self.sdoc.char_span(claim.cue.start, claim.cue.end, alignment_mode="expand")
        if cue is not None and len(cue):
            heads += [c for c in cue.root.children if c.dep_ == "dobj"]
        content = self.sdoc.char_span(
            claim.content.start, claim.content.end, alignment_mode="expand"
        )
        if content is not None and len(content):
            inside = {t.i for t in content}
            verb = next(
                (
                    t
                    for t in content
                    if t.pos_ in ("VERB", "AUX") and (t.head.i not in inside or t.head.i == t.i)
                ),
                None,
            )
            if verb is not None:
                heads += [c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")]
        for head in heads:
            if own and head.pos_ == "PRON" and head.lower_ in _PERSONAL_PRONOUNS:
                return voices[0]  # "Marsh denied that she had cut the budget": herself
            words = list(head.subtree)
            if _MADE_BY.search(self.words_text(words)):
                continue  # "Iranian-made drones struck": a maker, not the accused doer
            # the head noun and whose it is: "Trump's campaign manager"
            whose = [c for c in head.children if c.dep_ in ("poss", "nmod", "compound", "appos")]
            for tok in [head, *whose]:
                actor = self.actor_of(tok)
                if actor is None and tok.pos_ == "PROPN":
                    actor = self.person_by_surname(tok.text)
                if actor is not None and self.same_side(actor, voices):
                    return actor
        return None

    def person_by_surname(self, word: str) -> str | None:
        """The article's one person with this surname: "Trump's campaign manager" where
        the parser left "Trump" unlinked."""
        found = [
            a.id
            for a in self.x.actors
            if a.type == "person" and a.name.split() and a.name.split()[-1] == word
        ]
        return found[0] if len(found) == 1 else None

    def actor_of(self, tok: Token) -> str | None:
        """The actor a token mentions, things included (``actor_at`` keeps parties)."""
        start, end = tok.idx, tok.idx + len(tok.text)
        # the first actor (in their order) with a mention that holds the token
        found = [n for n, s, e in self.mention_index().near(start) if s <= start and end <= e]
        return self.x.actors[min(found)].id if found else None

    def cued_before(self, pos: int, reach: int) -> list[Attribution]:
        """The attributions whose cue starts less than ``reach`` characters before
        ``pos``, in their order: what a scan over all of them for ``pos - reach <
        cue.start < pos`` would keep, found by bisection."""
        if self._cue_starts is None:
            self._cue_starts = sorted((a.cue.start, n) for n, a in enumerate(self.x.attributions))
        lo = bisect.bisect_right(self._cue_starts, (pos - reach, len(self._cue_starts)))
        hi = bisect.bisect_left(self._cue_starts, (pos, -1))
        return [self.x.attributions[n] for n in sorted(n for _, n in self._cue_starts[lo:hi])]

    def content_index(self) -> SpanIndex:
        """The attributions' contents by position, keyed by their place in the list."""
        if self._contents is None:
            self._contents = SpanIndex(
                (n, a.content.start, a.content.end) for n, a in enumerate(self.x.attributions)
            )
        return self._contents

    def mention_index(self) -> SpanIndex:
        """Every actor's mentions by position, keyed by the actor's place in the list:
        scanning all actors' mentions for every token was quadratic in long texts."""
        if self._mentions is None:
            self._mentions = SpanIndex(
                (n, m.start, m.end) for n, a in enumerate(self.x.actors) for m in a.mentions
            )
        return self._mentions

    def content_verb(self, claim: Attribution) -> str | None:
        """The first verb of what a voice said: what an accusation is about ("grab",
        "miss"), so two articles quoting one accusation share its key and two different
        accusations by the same accuser do not."""
        if self.sdoc is None:
            return None
        span = self.sdoc.char_span(claim.content.start, claim.content.end, alignment_mode="expand")
        if span is None:
            return None
        verb = next((t for t in span if t.pos_ == "VERB"), None)
        return verb.lemma_.lower() if verb is not None else None

    def words_text(self, words: list[Token]) -> str:
        """The text from the first to the last of some tokens, on one line."""
        return " ".join(self.text[words[0].idx : words[-1].idx + len(words[-1].text)].split())

    def sentence_of(self, start: int, end: int) -> dict[str, int]:
        """The sentence span around a span; the span itself where there is no parse."""
        if self.sdoc is None:
            return {"start": start, "end": end}
        return _sentence(self.sdoc, start, end)

    def event_claims(self, ev: dict[str, Any]) -> None:
        prop = self.event_proposition(ev)
        if self.own_make(ev, prop):
            return
        sign = -1 if ev["polarity"] == "negated" else 1
        if prop.pop("flip", False):
            sign = -sign
        props = [prop]
        supplied = self.supplied_by_maker(ev, prop) if sign > 0 else None
        if supplied is not None:
            props.append(supplied)
        for p in props:
            self.event_claims_of(ev, p, sign)

    def event_claims_of(self, ev: dict[str, Any], prop: dict[str, Any], sign: int) -> None:
        hypothetical = ev["modality"] == "hypothetical"
        att = self.atts.get(ev["attribution"]) if ev.get("attribution") else None
        base = {
            "proposition": prop,
            "polarity": ev["polarity"],
            "modality": ev["modality"],
            "time": ev.get("time"),
            "quantity": ev.get("quantity"),
            "quantity_class": quantity_class(ev.get("quantity"))
            or quantity_class(_measure_words(ev.get("object")))
            or _quantity_after(ev.get("object")),
            "event": ev["id"],
            "evidence": _span(self.text, ev["trigger"]["start"], ev["trigger"]["end"]),
            "sentence": dict(ev["sentence"]),
        }
        if att is None:
            self.add(base, voice=None, stance="report", side=0, att=None)
        else:
            for a, voice, flip in self.voices(att):
                stance = self.stance_of(a)
                # "asked for documents that Russia used drones": the speaker reports a
                # claim without taking it up; only a denial of it takes a side
                reported = ev.get("in_claim") and stance != "deny"
                sided = stance in SIDED_STANCES and not hypothetical and not reported
                if reported:
                    stance = "report"
                self.add(
                    base,
                    voice=voice,
                    stance="hedge" if hypothetical else stance,
                    side=sign * flip if sided else 0,
                    att=a,
                    # "dismissed Sanders' accusations that ...": an answer to Sanders
                    responds_to=ev.get("alleged_by") if stance == "deny" else None,
                )
        if ev.get("alleged_by"):
            self.add(base, voice=ev["alleged_by"], stance="allege", side=1, att=att)

    def own_make(self, ev: dict[str, Any], prop: dict[str, Any]) -> bool:
        """ "Russian troops fight with Russian-made weapons", "Russian forces used
        Russian-made equipment": said of an attacker's own state's weapons, this is about
        where the weapons come from (often against a claim that another state supplied
        them), not a report of an attack: it affirms no attack."""
        if ev["type"] != "ASSAULT" or not ev.get("object") or prop["actor"] is None:
            return False
        m = _MAKER_NAME.search(ev["object"]["text"])
        place = lookup_place(m.group(1) or m.group(2)) if m else None
        attacker = self.actors.get(prop["actor"])
        return place is not None and attacker is not None and attacker.country == place[0]

    def supplied_by_maker(self, ev: dict[str, Any], prop: dict[str, Any]) -> dict[str, Any] | None:
        """ "Russia launched Iranian-made drones at Kyiv", "drones built in Iran struck the
        capital": whoever says so also says the maker's weapons reached the attacker, the
        supply the article is often about. Not when the maker is the attacker's own
        state ("Russian forces used Russian-made equipment")."""
        if ev["type"] != "ASSAULT" or not ev.get("object") or prop["object"] not in WEAPON_KINDS:
            return None
        m = _MAKER_NAME.search(ev["object"]["text"])
        place = lookup_place(m.group(1) or m.group(2)) if m else None
        if place is None and prop["actor"] is not None:
            # "Russia launched more than 200 Iranian drones": another state's weapons
            place = next(
                (
                    found
                    for w in _WORD.findall(ev["object"]["text"])
                    if w[0].isupper()
                    and (found := lookup_place(w)) is not None
                    and found[1] == "demonym"
                ),
                None,
            )
        if place is None:
            return None
        maker = next(
            (a.id for a in self.x.actors if a.type == "state" and a.country == place[0]), None
        )
        attacker = self.actors.get(prop["actor"]) if prop["actor"] else None
        if maker is None or (attacker is not None and attacker.country == place[0]):
            return None
        return {
            "kind": "event",
            "type": "AID",
            "mode": None,
            "actor": maker,
            "target": prop["actor"],
            "object": prop["object"],
            "also": None,
        }

    def event_proposition(self, ev: dict[str, Any]) -> dict[str, Any]:
        type_ = ev["type"]
        obj = object_class(ev["object"]["text"]) if ev.get("object") else None
        if ev.get("object") and obj != "personnel" and self.names_participant(ev["object"]):
            obj = None  # "give Russia up to several hundred drones" parsed with Russia as object
        if ev.get("object") and obj in MEASURE_HEADS:
            # the parser made "hundreds" the object of "supplied hundreds of drones"
            obj = object_class(
                _of_phrase(self.text[ev["object"]["end"] : ev["object"]["end"] + 60])
            )
        extra = None
        if ev.get("object"):
            after = self.text[ev["object"]["end"] : ev["object"]["end"] + 60]
            m = _ADDITIVE.match(after)
            if m:
                extra = object_class(m.group(1))
        mode = ev["mode"] if type_ in MODE_KEYED else None
        if mode == "firearms" and obj in WEAPON_KINDS:
            mode = None  # "fired drones at Odesa": the drones say what the attack was
        prop: dict[str, Any] = {
            "kind": "event",
            "type": type_,
            "mode": mode,
            "actor": self.party(ev.get("actor")),
            "target": self.party(ev.get("target")),
            "object": obj,
            "also": extra,
        }
        intercepted = self.intercepted_weapon(ev)
        if intercepted is not None:
            # "Ukraine shot down ten Iranian drones": whoever launched them attacked
            # Ukraine with drones; the article (or another) may say who
            prop.update(
                type="ASSAULT", mode=None, actor=None, target=prop["actor"], object=intercepted
            )
        # "did not show up at the meeting" is the refusal another voice denies
        if type_ == "CONSULT" and ev["polarity"] == "negated" and prop["actor"]:
            prop.update(type="REJECT", mode=None, object=None, flip=True)
        return prop

    def intercepted_weapon(self, ev: dict[str, Any]) -> str | None:
        """The kind of launched weapon an interception stops: the object of "shot down",
        "downed", "destroyed", "intercepted", directly or through a quantity ("far more
        than a handful of the drones"). Destroying tanks or shooting a man is an attack
        by the one who does it, and stays one."""
        if self.sdoc is None or ev["type"] not in ("ASSAULT", "COERCE"):
            return None
        if not _INTERCEPT.match(ev["trigger"]["text"]):
            return None
        trigger = self.sdoc.char_span(
            ev["trigger"]["start"], ev["trigger"]["end"], alignment_mode="expand"
        )
        if trigger is None or len(trigger) == 0:
            return None
        verb = trigger.root
        todo = [c for c in verb.children if c.dep_ in ("dobj", "nsubjpass", "advmod")]
        for _ in range(3):  # "more than a handful of the drones": through "of"
            nxt: list[Token] = []
            for tok in todo:
                kind = object_class(tok.lemma_)
                if kind in LAUNCHED_WEAPONS:
                    return kind
                if tok.lemma_.lower() in ("them", "they", "it"):
                    continue
                nxt += [
                    g
                    for c in tok.children
                    if c.dep_ == "prep" and c.lower_ in ("of", "than")
                    for g in c.children
                    if g.dep_ == "pobj"
                ]
            todo = nxt
        return None

    def names_participant(self, span: dict[str, Any]) -> bool:
        """Does an object span only name an actor ("Russia"), not a thing?"""
        start, end = span["start"], span["end"]
        return any(s <= start and end <= e for _, s, e in self.mention_index().near(start))

    def answers_for(self, prop: dict[str, Any], voices: list[str]) -> bool:
        """Is a proposition about the voices' side: its actor, or, for acts two parties
        do together (aid given and received, talks, cooperation), its target too ("the
        Kremlin dismissed the report" that Iran's advisers help Russian forces)?"""
        if self.same_side(prop["actor"], voices):
            return True
        return prop["type"] in JOINT_TYPES and self.same_side(prop.get("target"), voices)

    def same_side(self, actor_id: str | None, voices: list[str]) -> bool:
        """Is the proposition's actor one of the voices, or the voice's own side: its
        state (a state's voice and its bodies), or the person a campaign or office is
        named after ("the Trump campaign" answers for Trump)?"""
        actor = self.actors.get(actor_id) if actor_id else None
        if actor is None:
            return False
        for v in voices:
            voice = self.actors.get(v)
            if voice is None:
                continue
            if v == actor_id:
                return True
            if (
                voice.type in ("state", "organisation", "igo", "group")
                and actor.type in ("state", "organisation", "igo", "group")
                and voice.country is not None
                and voice.country == actor.country
            ):
                return True
            if actor.type == "person" and voice.type != "person":
                surname = actor.name.split()[-1].lower()
                if surname in voice.name.lower().replace("’s", "").replace("'s", "").split():
                    return True
            if voice.type == "person" and actor.type == "state" and voice.country == actor.country:
                return True  # a minister answers for the state's acts
            if affiliated(actor.affiliation, voice) or affiliated(voice.affiliation, actor):
                return True  # "Trump campaign manager Corey Lewandowski" and the campaign
        return False

    def party(self, actor_id: str | None) -> str | None:
        """An event participant as a key part: None for things that are not parties
        ("power stations"), else the actor id (the store files it under its entity)."""
        if actor_id is None:
            return None
        actor = self.actors.get(actor_id)
        if actor is None:
            return None
        if actor.type in THING_TYPES and actor.country is None:
            return None
        return actor_id

    def statement_claims(self, att: Attribution) -> None:
        prop = self.statement_proposition(att)
        if prop is None:
            return
        negated = prop.pop("negated")
        owner = prop.pop("owner")
        sign = -1 if negated else 1
        start, end = att.content.start, att.content.end
        base = {
            "proposition": prop,
            "polarity": "negated" if negated else "affirmed",
            "modality": "actual",
            "time": None,
            "quantity": None,
            "quantity_class": None,
            "event": None,
            "evidence": _span(self.text, start, end),
            "sentence": _sentence(self.sdoc, start, end) if self.sdoc is not None else None,
        }
        for a, voice, flip in self.voices(att):
            stance = self.stance_of(a)
            deny = -1 if (a is att and stance == "deny") else 1
            side = sign * flip * deny if stance in SIDED_STANCES else 0
            if owner is not None and stance != "deny":
                side, stance = 0, "report"  # "cited Trump's claim that ...": not taken up
            self.add(
                base,
                voice=voice,
                stance=stance,
                side=side,
                att=a,
                responds_to=owner if stance == "deny" else None,
            )
        if owner is not None:
            self.add(base, voice=owner, stance="allege", side=sign, att=att)

    def falsity_claims(self, att: Attribution) -> None:
        """ "Frazier said Rubio's claim that Cruz favours legalisation is simply not
        true", "Fallon said the AP report is misleading": a voice calls someone's claim
        false. The proposition is that claim as the article names it; its owner (the
        possessor or maker named in the phrase) affirms it, the voice denies it."""
        assert self.sdoc is not None
        span = self.sdoc.char_span(att.content.start, att.content.end, alignment_mode="expand")
        if span is None or len(span) == 0:
            return
        inside = {t.i for t in span}
        root = next((t for t in span if t.pos_ in ("VERB", "AUX") and t.head.i not in inside), None)
        if root is None or root.lemma_ not in ("be", "seem", "prove", "remain"):
            return
        if any(c.dep_ == "aux" and c.lower_ in HEDGING_MODALS for c in root.children):
            return  # "the report might be misleading": a doubt, not a denial
        verdict = [c for c in root.children if c.dep_ in ("acomp", "attr", "oprd")]
        negated = any(c.dep_ == "neg" for c in root.children)
        subj = next((c for c in root.children if c.dep_ in ("nsubj", "nsubjpass")), None)
        if subj is None or subj.pos_ not in ("NOUN", "PROPN"):
            return
        # "wrong" and "absurd" judge views as often as facts: only for what is plainly
        # a claim ("Rubio's claim", "the report") or the person who made it
        said = subj.lower_ in CLAIM_WORDS or subj.lower_ in SAID_WORDS or subj.pos_ == "PROPN"
        verdicts = FALSITY_WORDS | (EVALUATIVE_FALSITY if said else frozenset())
        false = any(
            v.lower_ in verdicts
            or (negated and v.lower_ in ("true", "accurate", "correct"))
            or any(c.dep_ == "amod" and c.lower_ in verdicts for c in v.children)
            for v in verdict
        )
        if not false:
            return
        if subj.lower_ in CLAIM_WORDS and not any(
            c.dep_ in ("acl", "relcl", "prep", "ccomp", "appos") for c in subj.children
        ):
            # "the U.S. claims were baseless" after three different U.S. claims: a
            # blanket rejection that does not say which claim it answers
            return
        owner = self.owner_in(subj)
        if owner is None:
            return
        words = list(subj.subtree)
        named = self.words_text(words)
        saying = self.saying_after(
            [*verdict, *(c for c in root.children if c.dep_ in ("prep", "xcomp", "advcl"))]
        )
        if subj.pos_ == "PROPN" and subj.lower_ not in CLAIM_WORDS | SAID_WORDS:
            # "Mr. Khan was wrong to say he had not sacrificed": what he said; "Clinton
            # was wrong about the deal" names no claim of hers
            if saying is None:
                return
            named = saying
        prop = {
            "kind": "statement",
            "type": "STATEMENT",
            "mode": None,
            "predicate": "alleged",
            "actor": owner,
            "target": None,
            "object": singular(subj.lemma_.lower()),
            "also": None,
            "clause": f"{self.actors[owner].name}: {named}"[:160],
        }
        base = {
            "proposition": prop,
            "polarity": "negated",
            "modality": "actual",
            "time": None,
            "quantity": None,
            "quantity_class": None,
            "event": None,
            "evidence": _span(self.text, att.content.start, att.content.end),
            "sentence": _sentence(self.sdoc, att.content.start, att.content.end),
        }
        # "denied that the report was false" takes the report's side
        side = 1 if _cue_denies(att) else -1
        sided = False
        for a, voice, flip in self.voices(att):
            if voice == owner or self.stance_of(a) not in SIDED_STANCES:
                continue
            sided = True
            self.add(
                base,
                voice=voice,
                stance="deny" if side * flip < 0 else "affirm",
                side=side * flip,
                att=a,
                responds_to=owner if side * flip < 0 else None,
            )
        if sided:  # "asked whether Marsh's claim was false" puts no one on a side
            self.add(base, voice=owner, stance="allege", side=1, att=att)

    def saying_after(self, verdict: list[Token]) -> str | None:
        """What a person is "wrong to say" or "wrong for saying": the words after the
        verb of saying."""
        for v in verdict:
            for tok in v.subtree:
                if tok.lemma_ in ("say", "claim", "suggest", "insist", "allege") and tok.i >= v.i:
                    said = [t for t in tok.subtree if t.i > tok.i]
                    if said:
                        return self.words_text(said)
        return None

    def owner_in(self, noun: Token) -> str | None:
        """Whose claim a noun phrase names: its possessor or a name inside it ("Rubio's
        claim", "the AP report", "all of the claims in Podliska's suit"), following
        only the noun's own modifiers, never a clause ("polls showing him behind Trump"
        are not Trump's)."""
        if noun.pos_ == "PROPN":
            own = self.actor_at(noun)
            if own is not None:
                return own  # "Patricia Smith ... is absolutely wrong"
        todo = list(noun.children)
        while todo:
            tok = todo.pop(0)
            if tok.dep_ in ("poss", "nmod", "compound", "pobj"):
                actor = self.actor_at(tok)
                if actor is not None:
                    return actor
                todo.extend(tok.children)
            elif tok.dep_ == "prep" and tok.lower_ in ("of", "in", "by", "from"):
                todo.extend(tok.children)
        return None

    def statement_proposition(self, att: Attribution) -> dict[str, Any] | None:
        """Subject, predicate and object of a reported statement's main clause, when its
        subject is a participant of the article ("Clinton lied about the emails")."""
        assert self.sdoc is not None
        span = self.sdoc.char_span(att.content.start, att.content.end, alignment_mode="expand")
        if span is None or len(span) == 0:
            return None
        inside = {t.i for t in span}
        roots = [t for t in span if t.head.i not in inside or t.head.i == t.i]
        owner: str | None = None
        root: Token | None = None
        noun = next((t for t in roots if t.lower_ in CLAIM_WORDS), None)
        if noun is not None:
            # "Sanders' accusations that the campaign is breaking the law", "criticism
            # from Trump that ...": the claim is the clause, made by the noun's owner
            held = next((c for c in noun.children if c.dep_ in ("acl", "ccomp", "relcl")), None)
            if held is None or held.pos_ not in ("VERB", "AUX"):
                return self.claim_noun_proposition(noun, att)
            holder = next((c for c in noun.children if c.dep_ == "poss"), None)
            if holder is None:
                by = next(
                    (
                        c
                        for c in noun.children
                        if c.dep_ == "prep"
                        and (
                            c.lower_ in ("from", "by")
                            or (c.lower_ == "in" and noun.lemma_.lower() in PUBLISHED_NOUNS)
                        )
                    ),
                    None,
                )
                holder = next((c for c in by.children if c.dep_ == "pobj"), None) if by else None
            owner = self.actor_at(holder) if holder is not None else None
            root = held
        else:
            root = next((t for t in roots if t.pos_ in ("VERB", "AUX")), None)
        if root is None:
            return None
        subj = next((c for c in root.children if c.dep_ in ("nsubj", "nsubjpass")), None)
        if subj is None:
            return None
        subject = self.actor_at(subj)
        pred = root.lemma_.lower()
        if subject is None:
            # "that waterboarding constitutes torture": the subject word is part of it
            if subj.pos_ not in ("NOUN", "PROPN") or self.stance_of(att) != "deny":
                return None
            pred = f"{subj.lemma_.lower()} {pred}"
        obj_tok: Token | None = None
        for c in root.children:
            if c.dep_ in ("dobj", "attr", "acomp", "oprd"):
                obj_tok = c
                break
        if pred == "be":
            if obj_tok is None:
                return None
            pred = f"be {obj_tok.lemma_.lower()}"
            obj_tok = None
        obj = singular(obj_tok.lemma_.lower()) if obj_tok is not None else None
        if obj in VAGUE_OBJECTS:
            obj = None
        negated = any(c.dep_ == "neg" or c.lower_ == "never" for c in root.children)
        words = [t for t in root.subtree if not (t.dep_ == "mark" and t.head.i == root.i)]
        first = min(t.idx for t in words)
        last = max(t.idx + len(t.text) for t in words)
        clause = " ".join(self.text[first:last].split())
        return {
            "kind": "statement",
            "type": "STATEMENT",
            "mode": None,
            "predicate": pred,
            "actor": subject,
            "target": None,
            "object": obj,
            "also": None,
            "negated": negated,
            "owner": owner,
            # what was said, as said: the label a reader checks the claim by
            "clause": clause if len(clause) <= 160 else clause[:159] + "…",
        }

    def claim_noun_proposition(self, noun: Token, att: Attribution) -> dict[str, Any] | None:
        """ "dismissed Clinton's charges about his stance on Obama", "disputed accusations
        by Exxon Mobil": a denial of someone's claim whose words the article does not
        give. The proposition is that claim (its owner, its noun, what it is about), so
        the owner and the denier stand on its two sides."""
        if self.stance_of(att) != "deny":
            return None
        holder = next((c for c in noun.children if c.dep_ == "poss"), None)
        about: Token | None = None
        published = noun.lemma_.lower() in PUBLISHED_NOUNS
        for c in noun.children:
            if (
                c.dep_ == "prep"
                and (c.lower_ in ("from", "by") or (c.lower_ == "in" and published))
                and holder is None
            ):
                holder = next((g for g in c.children if g.dep_ == "pobj"), None)
            if c.dep_ == "prep" and c.lower_ in ("about", "of", "over", "on", "against"):
                about = next((g for g in c.children if g.dep_ == "pobj"), None)
        owner = self.actor_at(holder) if holder is not None else None
        if owner is None:
            return None
        words = [t for t in noun.subtree if t.i >= noun.i]
        text = self.words_text(words)
        obj = singular(about.lemma_.lower()) if about is not None else None
        if about is None and len(words) == 1:
            # "rejected Clinton's claim": which one the article gave her a little earlier
            said = self.latest_said_by(owner, att.cue.start)
            if said is not None:
                text = " ".join(said.content.text.split())
                obj = self.content_verb(said)
        return {
            "kind": "statement",
            "type": "STATEMENT",
            "mode": None,
            "predicate": f"claim {singular(noun.lemma_.lower())}",
            "actor": owner,
            "target": None,
            "object": obj,
            "also": None,
            "negated": False,
            "owner": owner,
            "clause": f"{self.actors[owner].name}: {text}"[:160],
        }

    def latest_said_by(self, voice: str, before: int) -> Attribution | None:
        """The voice's latest statement shortly before a position: the claim a bare
        "rejected Clinton's claim" means, which the article usually gave just before."""
        said = [
            a
            for a in self.cued_before(before, SAID_REACH)
            if a.speaker == voice
            and a.cue.start < before
            and before - a.cue.start < SAID_REACH
            and a.stance in SIDED_STANCES
        ]
        return max(said, key=lambda a: a.cue.start) if said else None

    def actor_at(self, tok: Token) -> str | None:
        """The party a token mentions (None for things: "power stations")."""
        return self.party(self.actor_of(tok))

    def add(
        self,
        base: dict[str, Any],
        *,
        voice: str | None,
        stance: str,
        side: int,
        att: Attribution | None,
        responds_to: str | None = None,
    ) -> None:
        prop = base["proposition"]
        key = (
            voice,
            base["event"],
            base["evidence"]["start"],
            prop["type"],
            prop["object"],
            prop.get("predicate"),
            responds_to,
        )
        if key in self.seen:
            return
        self.seen.add(key)
        for obj in [prop["object"], prop.get("also")] if prop.get("also") else [prop["object"]]:
            p = {k: v for k, v in prop.items() if k != "also"}
            p["object"] = obj
            p["text"] = self.proposition_text(p)
            self.out.append(
                {
                    "id": f"c{len(self.out) + 1}",
                    "voice": voice,
                    "channel": att.channel if att is not None else None,
                    "stance": stance,
                    "side": {1: "affirm", -1: "deny"}.get(side, "neutral"),
                    **{k: v for k, v in base.items() if k != "proposition"},
                    "proposition": p,
                    "attribution": att.id if att is not None else None,
                    #: the voice whose claim this one answers ("denied the accusation")
                    "responds_to": responds_to,
                }
            )

    def proposition_text(self, prop: dict[str, Any]) -> str:
        def name(actor_id: str | None) -> str | None:
            actor = self.actors.get(actor_id) if actor_id else None
            return actor.name if actor is not None else None

        if prop.get("clause"):
            return str(prop["clause"])
        return proposition_text(
            prop["type"],
            name(prop.get("actor")),
            name(prop.get("target")),
            prop.get("object"),
            predicate=prop.get("predicate"),
            mode=prop.get("mode"),
        )


def proposition_text(
    type_: str,
    actor: str | None,
    target: str | None,
    obj: str | None,
    *,
    predicate: str | None = None,
    mode: str | None = None,
) -> str:
    """A proposition as a reader wants it: "Iran supplied drone to Russia"."""
    who = actor or "someone"
    if type_ == "STATEMENT":
        words = [who, predicate or "?"]
        if obj:
            words.append(obj)
        return " ".join(words)
    verb = TYPE_PHRASES.get(type_, type_.lower())
    if mode and type_ in MODE_KEYED:
        verb = f"{verb} ({mode})"
    if type_ == "AID":
        parts = [who, verb, obj or "aid"]
        if target:
            parts += ["to", target]
        return " ".join(parts)
    if target is None and type_ in ("REJECT", "RETREAT", "PROTEST", "MOBILIZE", "AGREE"):
        parts = [who, {"REJECT": "refused", "AGREE": "agreed"}.get(type_, verb.split()[0])]
    else:
        parts = [who, verb, target or "someone"]
    if obj:
        parts += ["(" + obj + ")"]
    return " ".join(parts)


#: Words many bodies share: "Foreign Ministry" does not tie Kyiv's ministry to Tehran's.
_INSTITUTION_WORDS = frozenset(
    "foreign ministry minister department office party committee national campaign house "
    "state states council government democratic republican federal justice defense defence "
    "security interior affairs united general senate congress assembly agency bureau "
    "commission administration white central public international news press the".split()
)


def affiliated(affiliation: str | None, other: Actor) -> bool:
    """Does an affiliation name the other actor: a person by surname ("Donald Trump
    campaign" and Donald J. Trump), a body other than a state by all its own words
    ("Donald Trump campaign" and the Trump Campaign)? First names and words bodies share
    ("John", "Foreign Ministry") tie no one to anyone."""
    if not affiliation or other.type == "state":
        return False  # states are a matter of country: "University of Georgia" is not one
    words = set(_WORD.findall(affiliation))
    if other.type == "person":
        parts = other.name.split()
        return len(parts) > 1 and parts[-1] in words
    own = {
        w
        for w in _WORD.findall(other.name)
        if w[0].isupper() and len(w) > 2 and w.lower() not in _INSTITUTION_WORDS
    }
    return bool(own) and own <= words


def _of_phrase(after: str) -> str | None:
    """ " of drones to Russia" -> "drones": the noun phrase an "of" opens, up to the
    next preposition, conjunction or punctuation (at most three words)."""
    m = re.match(r"^[ \t]+of[ \t]+", after)
    if not m:
        return None
    words: list[str] = []
    for w in re.findall(r"[\w-]+|[^\w\s]|\n", after[m.end() :]):
        if w.lower() in _STOP_WORDS or not (w[0].isalnum()) or len(words) == 3:
            break
        words.append(w)
    return " ".join(words) or None


def _quantity_after(obj: dict[str, Any] | None) -> str | None:
    """ "hundreds" as the whole object of "supplied hundreds of drones"."""
    if not obj:
        return None
    words = obj["text"].lower().split()
    return quantity_class(obj["text"]) if words and singular(words[-1]) in MEASURE_HEADS else None


def _measure_words(obj: dict[str, Any] | None) -> str | None:
    """ "hundreds of drones" -> "hundreds": the size of what was given, when the object
    phrase carries it instead of a quantity of its own."""
    if not obj:
        return None
    m = re.match(r"^\s*((?:\S+\s+){0,3}?)of\s", obj["text"])
    return m.group(1) if m else None


def _span(text: str, start: int, end: int) -> dict[str, Any]:
    return {"start": start, "end": end, "text": text[start:end]}


def _sentence(sdoc: Doc, start: int, end: int) -> dict[str, int]:
    span = sdoc.char_span(start, max(start + 1, end), alignment_mode="expand")
    if span is None or len(span) == 0:
        return {"start": start, "end": end}
    first, last = span[0].sent, span[-1].sent
    return {"start": first.start_char, "end": last.end_char}
