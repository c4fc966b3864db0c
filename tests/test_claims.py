"""Claims of one article through the real pipeline (spaCy model, our components):
who takes which side of which proposition, and the JSON contract of the records."""

from __future__ import annotations

from typing import Any

import pytest

from claimgraph.claims import object_class, quantity_class
from claimgraph.model import Document, Extraction
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
        ("weapons", None),
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
