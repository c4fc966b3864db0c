"""Event confidence: the features of hand-built event records, the shipped model's
scores, the store column (both backends), ``claimgraph events --min-confidence`` and
``/api/events?min_confidence=``, and a confidence on every event the pipeline emits."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient

from claimgraph.cli import main
from claimgraph.confidence import ConfidenceModel
from claimgraph.event_confidence import (
    FEATURES,
    extraction_features,
    features,
    fit,
    load_model,
    score_events,
)
from claimgraph.filters import Filters, fields_for
from claimgraph.model import Actor, Attribution, Document, Extraction, TextSpan
from claimgraph.store import Store, open_store

TEXT = "Iran supplied drones to Russia, the minister said. The EU imposed sanctions on Iran."


def span(needle: str) -> TextSpan:
    i = TEXT.index(needle)
    return TextSpan(i, i + len(needle), needle)


def event(local: str, type_: str, trigger: str, **kw: Any) -> dict[str, Any]:
    out: dict[str, Any] = {
        "id": local,
        "type": type_,
        "mode": None,
        "actor": None,
        "target": None,
        "trigger": span(trigger).to_dict(),
        "object": None,
        "time": None,
        "polarity": "affirmed",
        "modality": "actual",
        "attribution": None,
        "sentence": {"start": 0, "end": 50},
    }
    out.update(kw)
    return out


def extraction(confidences: tuple[float | None, float | None] = (None, None)) -> Extraction:
    events = [
        event("e1", "AID", "supplied", actor="a1", target="a2", attribution="t1"),
        event("e2", "SANCTION", "sanctions", actor="a3", target="a1", mode="economic"),
    ]
    for ev, conf in zip(events, confidences, strict=True):
        ev["confidence"] = conf
    return Extraction(
        document=Document(name="drones.txt", text=TEXT, published="2022-11-05"),
        actors=[
            Actor("a1", "Iran", "state", "IRN", mentions=[span("Iran")]),
            Actor("a2", "Russia", "state", "RUS", mentions=[span("Russia")]),
            Actor("a3", "EU", "igo"),
        ],
        attributions=[
            Attribution(
                "t1",
                cue=span("said"),
                content=span("Iran supplied drones to Russia"),
                confidence=0.8,
            )
        ],
        events=events,
        event_words=[("supply", "VERB"), ("sanction", "NOUN")],
    )


# -- features and scoring -----------------------------------------------------------


def test_features_of_hand_built_records() -> None:
    ex = extraction()
    first, second = extraction_features(ex)
    assert set(first) == set(FEATURES) == set(second)
    assert first["attributed"] == 1.0 and first["attribution_confidence"] == 0.8
    assert first["actor_state"] == first["target_state"] == 1.0
    assert first["trigger_noun"] == 0.0 and second["trigger_noun"] == 1.0
    assert first["type_conflict"] == 0.0 and second["type_conflict"] == 1.0
    assert second["attributed"] == second["attribution_confidence"] == 0.0
    assert second["has_mode"] == 1.0 and second["actor_state"] == 0.0
    assert first["sentence_short"] == 1.0 and first["sentence_long"] == 0.0
    bare = features({"type": "ASSAULT", "polarity": "negated", "modality": "intended"})
    assert bare["negated"] == bare["modality_not_actual"] == 1.0
    assert bare["actor_set"] == bare["target_set"] == 0.0
    assert bare["sentence_short"] == bare["sentence_long"] == 0.0
    # the function reads only the record: the same record, the same features
    assert features(ex.events[0]) == features(dict(ex.events[0]))


def test_scoring_with_a_hand_built_model() -> None:
    model = ConfidenceModel({"attributed": 2.0, "type_conflict": -1.0}, 0.0, 0.0, {})
    ex = extraction()
    score_events(ex, model)
    first, second = (ev["confidence"] for ev in ex.events)
    assert first == pytest.approx(0.881, abs=1e-3)  # sigmoid(2)
    assert second == pytest.approx(0.269, abs=1e-3)  # sigmoid(-1)
    assert all(isinstance(ev["confidence"], float) for ev in ex.to_dict()["events"])


def test_fit_learns_the_direction_of_a_feature() -> None:
    base = dict.fromkeys(FEATURES, 0.0)
    data = [({**base, "negated": 1.0}, 0)] * 8 + [(base, 1)] * 8 + [(base, 0), (base, 1)]
    model = fit(data)
    assert model.weights["negated"] < 0
    assert model.predict({**base, "negated": 1.0}) < 0.5 < model.predict(base)
    assert fit(data).weights == model.weights  # deterministic


def test_shipped_model_has_a_header_and_every_feature() -> None:
    model = load_model()
    assert model is not None
    assert set(model.weights) == set(FEATURES)
    for key in ("about", "made_by", "data", "date", "features", "summary"):
        assert key in model.meta
    heldout = model.meta["summary"]["heldout"]
    assert 0.0 <= heldout["ece"] < 0.2 and heldout["n"] > 50
    ex = extraction()
    score_events(ex)
    assert all(0.0 <= ev["confidence"] <= 1.0 for ev in ex.events)


def test_min_confidence_is_an_events_filter() -> None:
    assert "min_confidence" in {f.name for f in fields_for("events")}
    Filters(min_confidence=0.5).check("events")


# -- store, both backends -----------------------------------------------------------


@pytest.fixture
def store(store_url: str) -> Iterator[Store]:
    with open_store(store_url) as s:
        yield s


def test_migration_adds_event_confidence(store: Store) -> None:
    assert store.schema_version() >= 10
    store.save(extraction((0.9, 0.2)))
    rows = {r.type: r for r in store.events()}
    assert rows["AID"].confidence == pytest.approx(0.9)
    assert rows["SANCTION"].to_dict()["confidence"] == pytest.approx(0.2)
    assert [r.type for r in store.events(filters=Filters(min_confidence=0.5))] == ["AID"]
    page, total = store.event_page(filters=Filters(min_confidence=0.5))
    assert total == 1 and page[0].type == "AID"
    assert len(store.events(filters=Filters(min_confidence=0))) == 2


def test_unscored_events_are_never_filtered_out(store: Store) -> None:
    store.save(extraction((None, None)))
    assert len(store.events(filters=Filters(min_confidence=0.99))) == 2
    assert {r.confidence for r in store.events()} == {None}


# -- CLI and API --------------------------------------------------------------------


@pytest.fixture
def db(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'e.db'}"
    with open_store(url) as s:
        s.save(extraction((0.95, 0.05)))
    return url


def cli(*args: str) -> str:
    result = CliRunner().invoke(main, list(args))
    assert result.exit_code == 0, result.output
    return result.output


def test_events_min_confidence_cli_and_api(db: str) -> None:
    from claimgraph.web import create_app

    every = json.loads(cli("events", "--db", db, "--format", "json"))
    assert len(every) == 2  # the default keeps every event
    assert sorted(r["confidence"] for r in every) == [0.05, 0.95]
    sure = json.loads(cli("events", "--db", db, "--min-confidence", "0.5", "--format", "json"))
    assert [r["type"] for r in sure] == ["AID"]
    assert "p=0.95" in cli("events", "--db", db, "--min-confidence", "0.5")

    client = TestClient(create_app(db), base_url="http://127.0.0.1")
    page = client.get("/api/events").json()
    assert page["total"] == 2
    page = client.get("/api/events", params={"min_confidence": "0.5"}).json()
    assert page["total"] == 1 and page["items"][0]["confidence"] == 0.95
    assert client.get("/api/events", params={"min_confidence": "2"}).status_code == 422


# -- the pipeline -------------------------------------------------------------------


def test_every_extracted_event_carries_a_confidence() -> None:
    from claimgraph.pipeline import Extractor

    text = (
        "Russian forces shelled Kharkiv on Monday, the governor said. "
        "The European Union imposed new sanctions on Iran."
    )
    ex = Extractor().extract(Document(name="a.txt", text=text))
    events = ex.to_dict()["events"]
    assert events
    for ev in events:
        assert 0.0 <= ev["confidence"] <= 1.0
    assert len(ex.event_words) == len(ex.events)
