"""Event roles and contexts (issue 13, items 2 and 3): wrong roles make false claims.

Each rule of ``claimgraph.events`` that checks a role or a context is tried on
hand-built ``Doc``s (spaCy's test style: words, heads, deps, pos, lemmas given), then the
real pipeline on the seed article must not hold the false events these rules remove,
and a set of team-written non-political sentences must (mostly) yield no event.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import spacy
from spacy.language import Language
from spacy.tokens import Doc

from claimgraph.actors import ActorRecord
from claimgraph.events import (
    EventSpan,
    adjunct_controller,
    event_spans,
    generic_referent,
    in_purpose,
    of_country,
    political_actor,
    purpose_clause,
    recipient_token,
    role_kind,
    sentence_domains,
)
from claimgraph.ontology import load_event_roles
from claimgraph.pipeline import load_pipeline

NONPOLITICAL = Path(__file__).parent / "data" / "nonpolitical.txt"
SEED = Path(__file__).resolve().parents[1].parent / "shared" / "examples" / "000_57d7b0572d853387"


VOCAB = spacy.blank("en").vocab  # English lexical attributes (lower_) for the rules


def make_doc(rows: list[tuple[str, int, str, str, str]]) -> Doc:
    """A parsed ``Doc`` from (word, head index, dep, pos, lemma) rows."""
    words, heads, deps, pos, lemmas = (list(col) for col in zip(*rows, strict=True))
    return Doc(VOCAB, words=words, heads=heads, deps=deps, pos=pos, lemmas=lemmas)


# -- 1. roles are actors --------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "type_", "country", "kind"),
    [
        ("photographs", "group", None, "none"),
        ("questions", "group", None, "none"),
        ("decision", "unknown", None, "none"),
        ("document", "unknown", None, "none"),
        ("civilian and infrastructure targets", "group", None, "none"),
        ("Iranian-made drones", "group", "IRN", "none"),  # the maker is not the user
        ("Israeli helicopters", "group", "ISR", "state"),  # the user: "... fired rockets"
        ("Ukrainian cities", "group", "UKR", "state"),  # places of a country: the state
        ("Western partners", "group", None, "actor"),  # a group of states
        ("Iranian officials", "group", "IRN", "actor"),
        ("Ukrainian delegation", "unknown", "UKR", "actor"),
        ("Iranians", "group", "IRN", "actor"),
        ("At least people", "group", None, "actor"),
        ("Iran", "state", "IRN", "actor"),
        ("IRNA", "media", "IRN", "actor"),
        ("Hossein Amirabdollahian", "person", "IRN", "actor"),
    ],
)
def test_role_kind(name: str, type_: str, country: str | None, kind: str) -> None:
    assert role_kind(ActorRecord(name, type_, country), load_event_roles()) == kind


# -- 2. the doer of a gerund in a reason adjunct --------------------------------------


def test_sanctions_on_x_for_supplying_is_x_supplying() -> None:
    # Britain imposed sanctions on Iran for supplying Russia
    doc = make_doc(
        [
            ("Britain", 1, "nsubj", "PROPN", "Britain"),
            ("imposed", 1, "ROOT", "VERB", "impose"),
            ("sanctions", 1, "dobj", "NOUN", "sanction"),
            ("on", 2, "prep", "ADP", "on"),
            ("Iran", 3, "pobj", "PROPN", "Iran"),
            ("for", 1, "prep", "ADP", "for"),
            ("supplying", 5, "pcomp", "VERB", "supply"),
            ("Russia", 6, "dobj", "PROPN", "Russia"),
        ]
    )
    ctrl = adjunct_controller(doc[6])
    assert ctrl is not None and ctrl.text == "Iran"


def test_accused_x_of_supplying_is_x_supplying() -> None:
    doc = make_doc(
        [
            ("Kyiv", 1, "nsubj", "PROPN", "Kyiv"),
            ("accused", 1, "ROOT", "VERB", "accuse"),
            ("Tehran", 1, "dobj", "PROPN", "Tehran"),
            ("of", 1, "prep", "ADP", "of"),
            ("supplying", 3, "pcomp", "VERB", "supply"),
            ("drones", 4, "dobj", "NOUN", "drone"),
        ]
    )
    ctrl = adjunct_controller(doc[4])
    assert ctrl is not None and ctrl.text == "Tehran"


def test_gerund_with_its_own_possessor() -> None:
    # the EU sanctioned Iran over its supplying of drones
    doc = make_doc(
        [
            ("EU", 1, "nsubj", "PROPN", "EU"),
            ("sanctioned", 1, "ROOT", "VERB", "sanction"),
            ("Iran", 1, "dobj", "PROPN", "Iran"),
            ("over", 1, "prep", "ADP", "over"),
            ("its", 5, "poss", "PRON", "its"),
            ("supplying", 3, "pcomp", "VERB", "supply"),
        ]
    )
    ctrl = adjunct_controller(doc[5])
    assert ctrl is not None and ctrl.text == "its"


def test_intransitive_governor_names_nobody_else() -> None:
    # Iran apologised for supplying drones: the subject's own act (left to actor_of_verb)
    doc = make_doc(
        [
            ("Iran", 1, "nsubj", "PROPN", "Iran"),
            ("apologised", 1, "ROOT", "VERB", "apologise"),
            ("for", 1, "prep", "ADP", "for"),
            ("supplying", 2, "pcomp", "VERB", "supply"),
            ("drones", 3, "dobj", "NOUN", "drone"),
        ]
    )
    assert adjunct_controller(doc[3]) is None


# -- 3. purposes ----------------------------------------------------------------------


def _sent_to_help() -> Doc:
    # Iran sent drones to Russia to help the war
    return make_doc(
        [
            ("Iran", 1, "nsubj", "PROPN", "Iran"),
            ("sent", 1, "ROOT", "VERB", "send"),
            ("drones", 1, "dobj", "NOUN", "drone"),
            ("to", 1, "dative", "ADP", "to"),
            ("Russia", 3, "pobj", "PROPN", "Russia"),
            ("to", 6, "aux", "PART", "to"),
            ("help", 1, "advcl", "VERB", "help"),
            ("the", 8, "det", "DET", "the"),
            ("war", 6, "dobj", "NOUN", "war"),
        ]
    )


def test_purpose_infinitive_and_its_object_noun() -> None:
    doc = _sent_to_help()
    assert purpose_clause(doc[6])
    assert in_purpose(doc[8])  # the war the help serves
    assert not in_purpose(doc[1])


def test_used_x_to_attack_is_a_purpose() -> None:
    doc = make_doc(
        [
            ("Russia", 1, "nsubj", "PROPN", "Russia"),
            ("used", 1, "ROOT", "VERB", "use"),
            ("drones", 1, "dobj", "NOUN", "drone"),
            ("to", 4, "aux", "PART", "to"),
            ("attack", 1, "xcomp", "VERB", "attack"),
            ("Ukraine", 4, "dobj", "PROPN", "Ukraine"),
        ]
    )
    assert purpose_clause(doc[4])


@pytest.mark.parametrize("lemma", ["agree", "promise", "want", "urge"])
def test_complements_are_not_purposes(lemma: str) -> None:
    # Tehran agreed (promised, wanted, urged Kyiv) to discuss ...
    doc = make_doc(
        [
            ("Tehran", 1, "nsubj", "PROPN", "Tehran"),
            (lemma + "d", 1, "ROOT", "VERB", lemma),
            ("Kyiv", 1, "dobj", "PROPN", "Kyiv"),
            ("to", 4, "aux", "PART", "to"),
            ("discuss", 1, "xcomp", "VERB", "discuss"),
        ]
    )
    assert not purpose_clause(doc[4])


def test_intransitive_xcomp_is_a_complement() -> None:
    doc = make_doc(
        [
            ("Iran", 1, "nsubj", "PROPN", "Iran"),
            ("began", 1, "ROOT", "VERB", "begin"),
            ("to", 3, "aux", "PART", "to"),
            ("supply", 1, "xcomp", "VERB", "supply"),
        ]
    )
    assert not purpose_clause(doc[3])


def test_recipient_and_of_country() -> None:
    # We agreed with the minister of Ukraine to provide us with documents
    doc = make_doc(
        [
            ("We", 1, "nsubj", "PRON", "we"),
            ("agreed", 1, "ROOT", "VERB", "agree"),
            ("with", 1, "prep", "ADP", "with"),
            ("the", 4, "det", "DET", "the"),
            ("minister", 2, "pobj", "NOUN", "minister"),
            ("of", 4, "prep", "ADP", "of"),
            ("Ukraine", 5, "pobj", "PROPN", "Ukraine"),
            ("to", 8, "aux", "PART", "to"),
            ("provide", 1, "xcomp", "VERB", "provide"),
            ("us", 8, "dobj", "PRON", "we"),
            ("with", 8, "prep", "ADP", "with"),
            ("documents", 10, "pobj", "NOUN", "document"),
        ]
    )
    rcp = recipient_token(doc[8])
    assert rcp is not None and rcp.text == "us"
    assert of_country(doc[4]) == "UKR"
    assert not purpose_clause(doc[8])  # a complement of "agree"


def test_those_who_is_nobody_in_particular() -> None:
    # Those who have to buy drones from Tehran have lost
    doc = make_doc(
        [
            ("Those", 6, "nsubj", "PRON", "those"),
            ("who", 2, "nsubj", "PRON", "who"),
            ("have", 0, "relcl", "VERB", "have"),
            ("to", 4, "aux", "PART", "to"),
            ("buy", 2, "xcomp", "VERB", "buy"),
            ("drones", 4, "dobj", "NOUN", "drone"),
            ("lost", 6, "ROOT", "VERB", "lose"),
        ]
    )
    assert generic_referent(doc[1]) and generic_referent(doc[0])
    assert not generic_referent(doc[5])


# -- 4. non-political contexts --------------------------------------------------------


def test_domains_and_political_sides() -> None:
    roles = load_event_roles()
    doc = make_doc(
        [
            ("Police", 1, "nsubj", "NOUN", "police"),
            ("arrested", 1, "ROOT", "VERB", "arrest"),
            ("two", 3, "nummod", "NUM", "two"),
            ("men", 1, "dobj", "NOUN", "man"),
            ("after", 1, "prep", "ADP", "after"),
            ("a", 6, "det", "DET", "a"),
            ("robbery", 4, "pobj", "NOUN", "robbery"),
        ]
    )
    domains = sentence_domains(doc[0:7], roles)
    assert domains == {"crime"}
    discount = frozenset().union(*(roles.domains[d][1] for d in domains))
    police = ActorRecord("Police", "organisation", None, sector="COP")
    assert political_actor(police) and not political_actor(police, discount)
    assert not political_actor(ActorRecord("men", "group"))
    assert political_actor(ActorRecord("Iran", "state", "IRN"), discount)
    assert not political_actor(ActorRecord("Brazil", "state", "BRA"), roles.domains["sport"][1])
    war = make_doc(
        [
            ("Russia", 1, "nsubj", "PROPN", "Russia"),
            ("shelled", 1, "ROOT", "VERB", "shell"),
            ("Kharkiv", 1, "dobj", "PROPN", "Kharkiv"),
        ]
    )
    assert sentence_domains(war[0:3], roles) == frozenset()


# -- the real pipeline ------------------------------------------------------------------


@pytest.fixture(scope="module")
def nlp() -> Language:
    nlp = load_pipeline()
    if "claimgraph_events" not in nlp.pipe_names:
        nlp.add_pipe("claimgraph_events", last=True)
    return nlp


@pytest.fixture(scope="module")
def seed_doc(nlp: Language) -> Doc:
    path = SEED.with_suffix(".txt")
    if not path.is_file():
        pytest.skip(f"../shared not found: {path}")
    return nlp(path.read_text("utf-8"))


def _triples(doc: Doc) -> list[tuple[str, str | None, str | None, str]]:
    actors: list[ActorRecord] = doc._.actors

    def name(idx: int | None) -> str | None:
        return actors[idx].name if idx is not None else None

    def trigger(ev: EventSpan) -> str:
        return doc.text[ev.trigger[0] : ev.trigger[1]]

    return [(e.type, name(e.actor), name(e.target), trigger(e)) for e in event_spans(doc)]


@pytest.mark.shared
def test_seed_false_events_are_gone(seed_doc: Doc) -> None:
    found = _triples(seed_doc)
    # "Britain imposed sanctions ... for supplying Russia with drones": not Britain's supply
    assert not [t for t in found if t[0] == "AID" and t[1] == "Britain"], found
    # "... to attack civilian and infrastructure targets": no Britain attack, no target
    # that is a thing
    assert not [t for t in found if t[0] == "ASSAULT" and t[1] == "Britain"], found
    assert not [t for t in found if t[2] and "targets" in t[2]], found
    # "Iran has provided missiles and drones to Russia to help the war in Ukraine"
    assert not [t for t in found if t[0] == "ASSAULT" and t[1] == "Iran" and t[3] == "war"], found
    # "We agreed with the foreign minister of Ukraine to provide us with documents"
    actors: list[ActorRecord] = seed_doc._.actors
    documents = [
        e
        for e in event_spans(seed_doc)
        if e.object is not None and "documents" in seed_doc.text[e.object[0] : e.object[1]]
    ]
    assert documents, found
    for e in documents:
        assert e.actor is not None and actors[e.actor].name == "Ukraine", found
        assert e.target is not None and actors[e.target].name == "Iran", found
    # ... nor is that foreign minister Iran's own
    assert not [t for t in found if t[0] == "AGREE" and t[2] == "Hossein Amirabdollahian"]


@pytest.mark.shared
def test_seed_sanctioned_party_supplies(seed_doc: Doc) -> None:
    found = _triples(seed_doc)
    assert ("AID", "Iranian figures", "Russia", "supplying") in found, found


def test_nonpolitical_sentences_yield_no_political_event(nlp: Language) -> None:
    rows = [
        line.split("\t", 1)
        for line in NONPOLITICAL.read_text("utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    ]
    assert len(rows) >= 40
    assert {domain for domain, _ in rows} == {"crime", "health", "weather", "sport", "business"}
    hits = [(d, s, _triples(doc)) for d, s in rows if event_spans(doc := nlp(s))]
    # measured when the rules came in: 22/52 before, 4/52 after
    assert len(hits) <= 0.10 * len(rows), hits


@pytest.mark.parametrize(
    "text",
    [
        "Police arrested two men after a robbery.",
        "The storm killed three people.",
        "Shares fell 3% after the earnings report.",
        "The team beat its rivals 2-1.",
        "Hospitals reported a rise in flu cases.",
    ],
)
def test_brief_examples_have_no_event(nlp: Language, text: str) -> None:
    assert event_spans(nlp(text)) == [], _triples(nlp(text))


@pytest.mark.parametrize(
    ("text", "type_", "actor"),
    [
        ("Police arrested the interior minister after a robbery at his office.", "COERCE", None),
        ("Russia bombed a hospital in Kharkiv.", "ASSAULT", "Russia"),
    ],
)
def test_political_events_stay_in_those_domains(
    nlp: Language, text: str, type_: str, actor: str | None
) -> None:
    found = _triples(nlp(text))
    assert any(t[0] == type_ and (actor is None or t[1] == actor) for t in found), found
