"""Claims of one article through the real pipeline (spaCy model, our components):
who takes which side of which proposition, and the JSON contract of the records."""

from __future__ import annotations

from typing import Any

import pytest

from claimgraph.claims import affiliated, names_a_claim, object_class, quantity_class
from claimgraph.model import Actor, Document, Extraction
from claimgraph.pipeline import Extractor


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    return Extractor()


def extract(extractor: Extractor, text: str, published: str = "2022-10-18") -> Extraction:
    return extractor.extract(Document(name="t.txt", text=text, published=published))


def claims_of(x: Extraction) -> list[dict[str, Any]]:
    names = {a.id: a.name for a in x.actors}
    out = []
    for c in x.claims:
        p = c["proposition"]
        out.append(
            {
                **c,
                "voice_name": names.get(c["voice"]) if c["voice"] else None,
                "actor_name": names.get(p["actor"]) if p["actor"] else None,
                "target_name": names.get(p["target"]) if p["target"] else None,
            }
        )
    return out


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Iranian-made Shahed-136 drones", "drone"),
        ("missiles and drones", "missile"),
        ("hundreds of drones", "drone"),
        ("a small number of drones", "drone"),
        ("surface-to-surface missiles", "missile"),
        ("military instructors", "personnel"),
        ("weapons", "weapon"),
        ("about 2,000 drones", "drone"),
        ("it", None),
        (None, None),
    ],
)
def test_object_class(text: str | None, expected: str | None) -> None:
    assert object_class(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a small number", "small"),
        ("a handful", "small"),
        ("hundreds", "large"),
        ("more than 400", "large"),
        ("12", "small"),
        ("the", None),
        (None, None),
    ],
)
def test_quantity_class(text: str | None, expected: str | None) -> None:
    assert quantity_class(text) == expected


def test_a_denial_is_the_denier_deny_side_of_the_proposition(extractor: Extractor) -> None:
    x = extract(
        extractor,
        "Drones over Kyiv\n\nUkraine's foreign minister Dmytro Kuleba said on Tuesday that "
        "Iran had supplied hundreds of drones to Russia.\n\nIran denied that it had "
        "supplied drones to Russia.",
    )
    aid = [c for c in claims_of(x) if c["proposition"]["type"] == "AID"]
    sides = {(c["voice_name"], c["side"]) for c in aid}
    assert sides == {("Dmytro Kuleba", "affirm"), ("Iran", "deny")}
    for c in aid:
        assert (c["actor_name"], c["target_name"], c["proposition"]["object"]) == (
            "Iran",
            "Russia",
            "drone",
        )
    kuleba = next(c for c in aid if c["voice_name"] == "Dmytro Kuleba")
    assert kuleba["quantity_class"] == "large"
    assert kuleba["proposition"]["text"] == "Iran supplied drone to Russia"
    # evidence offsets point into the text
    ev = kuleba["evidence"]
    assert x.document.text[ev["start"] : ev["end"]] == ev["text"] == "supplied"


def test_a_denial_of_the_accusation_denies_what_the_accused_was_said_to_do(
    extractor: Extractor,
) -> None:
    x = extract(
        extractor,
        "Strikes on Kyiv\n\nUkraine's air force said Russia had used Iranian drones against "
        "Kyiv on Monday.\n\nThe Kremlin denied the accusation.",
    )
    by_voice = {
        (c["voice_name"], c["side"]): c
        for c in claims_of(x)
        if c["proposition"]["type"] == "ASSAULT"
    }
    assert ("Kremlin", "deny") in by_voice or ("Russia", "deny") in by_voice
    denial = by_voice.get(("Kremlin", "deny")) or by_voice[("Russia", "deny")]
    assert denial["actor_name"] in ("Russia", "Kremlin")
    assert denial["proposition"]["object"] == "drone"


def test_a_reported_promise_belongs_to_the_sources_not_to_the_promiser(
    extractor: Extractor,
) -> None:
    x = extract(
        extractor,
        "Missiles for Moscow\n\nTwo senior Iranian officials said Iran had promised to "
        "provide Russia with surface-to-surface missiles.",
    )
    missile = [c for c in claims_of(x) if c["proposition"]["object"] == "missile"]
    assert missile, claims_of(x)
    assert {c["voice_name"] for c in missile} == {"Iranian officials"}
    assert {c["modality"] for c in missile} == {"promised"}
    assert {c["side"] for c in missile} == {"affirm"}


def test_the_publisher_reports_without_taking_a_side(extractor: Extractor) -> None:
    x = extract(
        extractor,
        "Sanctions\n\nThe European Union on Thursday imposed sanctions on Iran over its drone "
        "deliveries to Russia.",
    )
    sanction = [c for c in claims_of(x) if c["proposition"]["type"] == "SANCTION"]
    assert sanction
    assert {(c["voice"], c["stance"], c["side"]) for c in sanction} == {(None, "report", "neutral")}


def test_a_hypothetical_is_a_hedge(extractor: Extractor) -> None:
    x = extract(
        extractor,
        "Warning\n\nThe minister said Tehran would react if Russia had used Iranian drones "
        "against Ukraine.",
    )
    assault = [c for c in claims_of(x) if c["proposition"]["type"] == "ASSAULT"]
    assert assault
    assert {c["side"] for c in assault} == {"neutral"}


def test_claims_are_in_the_extract_contract(extractor: Extractor) -> None:
    x = extract(
        extractor,
        "Drones\n\nUkraine said Iran had supplied drones to Russia before the war.",
    )
    (record,) = [c for c in x.to_dict()["claims"] if c["proposition"]["type"] == "AID"]
    assert set(record) >= {
        "id",
        "voice",
        "stance",
        "side",
        "proposition",
        "polarity",
        "modality",
        "time",
        "quantity",
        "event",
        "attribution",
        "evidence",
        "sentence",
    }
    assert set(record["proposition"]) >= {"kind", "type", "actor", "target", "object", "text"}
    # "before the war" between Russia and Ukraine is dated by the conflicts table
    assert record["time"]["value"] == "2022-02-24"
    assert record["time"]["relation"] == "before"


def _sides(x: Extraction, predicate: str = "alleged") -> dict[str, set[str]]:
    """Voice name -> sides it takes on the claim-about-a-claim propositions."""
    out: dict[str, set[str]] = {}
    for c in claims_of(x):
        if c["proposition"].get("predicate") == predicate:
            out.setdefault(c["voice_name"], set()).add(c["side"])
    return out


def test_a_denial_that_only_names_an_accusation_answers_the_accuser(
    extractor: Extractor,
) -> None:
    x = extract(
        extractor,
        "Harbour Daily\n\n"
        "Port inspector Nadia Korhonen said in a complaint filed on Monday that the mayor's "
        "chief of staff, Viktor Lindqvist, had pushed her against a wall during an "
        "argument over the budget.\n\n"
        "Lindqvist has denied it happened.",
    )
    sides = _sides(x)
    assert sides.get("Nadia Korhonen") == {"affirm"}
    assert sides.get("Viktor Lindqvist") == {"deny"}
    deny = next(c for c in claims_of(x) if c["voice_name"] == "Viktor Lindqvist")
    assert deny["proposition"]["text"].startswith("Nadia Korhonen: ")
    names = {a.id: a.name for a in x.actors}
    assert names[deny["responds_to"]] == "Nadia Korhonen"


def test_an_unrelated_earlier_statement_is_not_taken_for_the_accusation(
    extractor: Extractor,
) -> None:
    # the only earlier statement names the denier's country, but accuses no one of it
    x = extract(
        extractor,
        "Harbour Daily\n\n"
        "Minister Aino Virtanen said a planned meeting with Estonian experts had fallen "
        "through.\n\n"
        "Estonia has denied it happened.",
    )
    assert _sides(x) == {}


def test_calling_a_named_claim_false_puts_its_owner_on_the_other_side(
    extractor: Extractor,
) -> None:
    x = extract(
        extractor,
        "Harbour Daily\n\n"
        "Dana Whitfield, a spokeswoman for Senator Elena Marsh, said on Thursday that "
        "Governor Paul Radcliffe's claim that Marsh voted to close the shipyard was simply "
        "not true.",
    )
    sides = _sides(x)
    assert sides.get("Paul Radcliffe") == {"affirm"}
    assert sides.get("Dana Whitfield") == {"deny"}


def test_a_blanket_rejection_of_someones_claims_is_not_a_proposition(
    extractor: Extractor,
) -> None:
    x = extract(
        extractor,
        "Harbour Daily\n\n"
        "Finland said the ferry company had hidden losses, broken safety rules and misled "
        "regulators. Company spokesman Lars Berg said Finland's claims were baseless.",
    )
    assert "Lars Berg" not in _sides(x)


def test_a_person_wrong_to_say_something_is_the_owner_of_what_they_said(
    extractor: Extractor,
) -> None:
    x = extract(
        extractor,
        "Harbour Daily\n\n"
        "Governor Paul Radcliffe said on Friday that Senator Elena Marsh was wrong to say "
        "he had cut the shipyard budget.",
    )
    sides = _sides(x)
    assert sides == {"Elena Marsh": {"affirm"}, "Paul Radcliffe": {"deny"}}
    deny = next(
        c
        for c in claims_of(x)
        if c["voice_name"] == "Paul Radcliffe" and c["proposition"]["predicate"] == "alleged"
    )
    assert deny["proposition"]["text"] == "Elena Marsh: he had cut the shipyard budget"


def test_a_report_in_an_outlet_is_the_outlets_claim(extractor: Extractor) -> None:
    x = extract(
        extractor,
        "Harbour Daily\n\n"
        "Mayor Tomas Lind dismissed a report in the Coastal Herald that he had sold city "
        "land to a friend.",
    )
    voices = {(c["voice_name"], c["side"]) for c in claims_of(x)}
    assert ("Coastal Herald", "affirm") in voices
    assert ("Tomas Lind", "deny") in voices


def test_a_call_to_rebut_a_claim_is_not_a_rebuttal(extractor: Extractor) -> None:
    x = extract(
        extractor,
        "Harbour Daily\n\n"
        "A former envoy, Ilse Varga, said Norway must rebut Governor Paul Radcliffe's claims.",
    )
    assert not [c for c in claims_of(x) if c["side"] == "deny"]


def test_shooting_down_drones_says_someone_attacked_with_them(extractor: Extractor) -> None:
    x = extract(
        extractor,
        "Harbour Daily\n\n"
        "Estonian air defences shot down six Latvian-made drones over Tallinn on Monday, "
        "the Estonian army said.",
    )
    props = [c["proposition"] for c in x.claims if c["proposition"]["type"] == "ASSAULT"]
    names = {a.id: a for a in x.actors}
    assert props, "the interception is a claim about an attack"
    p = props[0]
    # the launcher is unknown here; the one who shot them down was attacked
    assert p["actor"] is None and p["object"] == "drone" and p["mode"] is None
    assert names[p["target"]].country == "EST"


def test_destroying_tanks_or_shooting_a_man_is_no_interception(extractor: Extractor) -> None:
    x = extract(
        extractor,
        "Harbour Daily\n\n"
        "Latvian forces destroyed two Estonian tanks near the river. Police shot a man "
        "near a parked drone.",
    )
    assert all(c["proposition"]["actor"] is not None for c in x.claims)


def test_saying_there_are_no_such_people_denies_the_claim_about_them(
    extractor: Extractor,
) -> None:
    x = extract(
        extractor,
        "Harbour Daily\n\n"
        "Kirby said Norway had sent military instructors to Sweden to train its crews.\n\n"
        '"There are no Norwegian instructors in Sweden," Norway\'s foreign ministry said.',
    )
    sides = {
        (c["voice_name"], c["side"])
        for c in claims_of(x)
        if c["proposition"]["object"] == "personnel"
    }
    assert ("Kirby", "affirm") in sides
    assert any(side == "deny" for _, side in sides)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("the accusation", True),
        ("'It's just not true.'", True),
        ("what he called baseless reports", True),
        ("that Norway had sent troops", False),
        ("what he called a plan", False),
    ],
)
def test_names_a_claim(text: str, expected: bool) -> None:
    assert names_a_claim(text) is expected


def test_another_states_weapons_used_in_an_attack_were_supplied(extractor: Extractor) -> None:
    x = extract(
        extractor,
        "Harbour Daily\n\nLatvia launched Estonian-made drones at Vilnius on Monday, the "
        "Lithuanian army said. Latvia also fired Latvian-made missiles at Kaunas.",
    )
    names = {a.id: a.name for a in x.actors}
    aid = {
        (names.get(c["proposition"]["actor"]), names.get(c["proposition"]["target"]))
        for c in x.claims
        if c["proposition"]["type"] == "AID"
    }
    # Estonia's drones reached Latvia; Latvia's own missiles say nothing of a supply
    assert aid == {("Estonia", "Latvia")}


def test_ordering_weapons_is_receiving_them_not_a_command(extractor: Extractor) -> None:
    x = extract(
        extractor,
        "Harbour Daily\n\nLatvia has ordered about 2,000 drones, Estonian intelligence "
        "believes. The general ordered troops to leave the town.",
    )
    types = {e["type"] for e in x.events}
    aid = [e for e in x.events if e["type"] == "AID"]
    assert len(aid) == 1 and "REQUEST" in types
    names = {a.id: a.name for a in x.actors}
    assert aid[0]["actor"] is None and names[aid[0]["target"]] == "Latvia"


def test_a_self_denial_answers_the_accusation_on_its_topic_only(extractor: Extractor) -> None:
    on_topic = extract(
        extractor,
        "Harbour Daily\n\n"
        "Governor Paul Radcliffe said Senator Elena Marsh had cut the shipyard budget.\n\n"
        "Marsh denied that she had cut the shipyard budget.",
    )
    off_topic = extract(
        extractor,
        "Harbour Daily\n\n"
        "Governor Paul Radcliffe said Senator Elena Marsh had cut the shipyard budget.\n\n"
        "Marsh denied that her husband owned a yacht.",
    )
    assert _sides(on_topic) == {"Paul Radcliffe": {"affirm"}, "Elena Marsh": {"deny"}}
    assert _sides(off_topic) == {}


@pytest.mark.parametrize(
    ("affiliation", "name", "type_", "expected"),
    [
        ("Donald Trump campaign", "Trump Campaign", "organisation", True),
        ("Trump campaign", "Donald J. Trump", "person", True),
        ("John McCain campaign", "John Kerry", "person", False),
        ("Iranian Foreign Ministry", "Ukrainian Foreign Ministry", "organisation", False),
        ("University of Georgia", "Georgia", "state", False),
        (None, "Donald J. Trump", "person", False),
    ],
)
def test_affiliated(affiliation: str | None, name: str, type_: str, expected: bool) -> None:
    assert affiliated(affiliation, Actor(id="a1", name=name, type=type_)) is expected


def test_a_denial_in_a_relative_clause_on_a_claim_noun(extractor: Extractor) -> None:
    x = extract(
        extractor,
        "Harbour Daily\n\n"
        "Two Estonian officials said Estonia had sent Latvia hundreds of drones, a report "
        "Estonia's foreign ministry has denied.",
    )
    names = {a.id: a.name for a in x.actors}
    sides = {
        (names.get(c["voice"]), c["side"])
        for c in x.claims
        if c["proposition"]["type"] == "AID" and c["proposition"]["object"] == "drone"
    }
    assert any(side == "affirm" for _, side in sides)
    assert any(side == "deny" for _, side in sides)


def test_a_denial_never_made_in_a_relative_clause_is_none(extractor: Extractor) -> None:
    x = extract(
        extractor,
        "Harbour Daily\n\n"
        "Two Estonian officials said Estonia had sent Latvia hundreds of drones, a report "
        "Estonia has never disputed.",
    )
    assert not [c for c in x.claims if c["side"] == "deny"]
