"""Attribution confidence and speech/thought mode: the features, the shipped model,
the store column (both backends), --min-confidence on the CLI and the API, and a
training smoke run on five PolNeAR train articles."""

from __future__ import annotations

import json
import math
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient

from claimgraph.cli import main
from claimgraph.confidence import (
    FEATURES,
    ConfidenceModel,
    calibration,
    choose_threshold,
    default_threshold,
    features,
    fit_logistic,
    keep_confident,
    load_model,
    score_claims,
    score_extraction,
    train,
)
from claimgraph.cues import cue_mode, load_cue_lexicon
from claimgraph.filters import Filters
from claimgraph.model import Actor, Attribution, Document, Extraction, Section, TextSpan
from claimgraph.store import Store, open_store

TEXT = (
    'Defence Minister Ben Wallace said: "We will send more tanks." '
    "Some believe the war will end soon."
)

#: An article for the real pipeline.
ARTICLE = (
    "Defence Minister Ben Wallace said the government will send more tanks to Kyiv. "
    '"We will not stop," he told reporters on Monday.\n\n'
    "Some officials believe the war will end soon, but others fear a long conflict."
)


def span(text: str, needle: str) -> TextSpan:
    i = text.index(needle)
    return TextSpan(i, i + len(needle), needle)


def quoted() -> Attribution:
    return Attribution(
        "t1",
        cue=span(TEXT, "said"),
        content=span(TEXT, '"We will send more tanks."'),
        source=span(TEXT, "Defence Minister Ben Wallace"),
        speaker="a1",
        kind="direct",
        cue_lemma="say",
        mode="speech",
    )


def thought() -> Attribution:
    return Attribution(
        "t2",
        cue=span(TEXT, "believe"),
        content=span(TEXT, "the war will end soon"),
        kind="indirect",
        cue_lemma="believe",
        mode="thought",
    )


def extraction(conf: tuple[float | None, float | None] = (0.9, 0.2)) -> Extraction:
    a, b = quoted(), thought()
    a.confidence, b.confidence = conf
    return Extraction(
        document=Document(name="tanks.txt", text=TEXT, published="2023-01-10"),
        sections=[Section("body", 0, len(TEXT))],
        actors=[Actor("a1", "Ben Wallace", "person", country="GBR")],
        attributions=[a, b],
    )


# -- mode -------------------------------------------------------------------------


def test_cue_modes_come_from_the_lexicon_and_the_thought_list() -> None:
    lex = load_cue_lexicon()
    assert lex[("say", "VERB")].mode == "speech"
    assert lex[("deny", "VERB")].mode == "speech"
    assert lex[("believe", "VERB")].mode == "thought"
    assert lex[("fear", "VERB")].mode == "thought"
    assert cue_mode("want") == "thought"  # a learned verb in thought_cues.txt
    assert cue_mode("tweet") == "speech"  # any other learned verb
    assert cue_mode("say", "cognition") == "thought"
    assert cue_mode("think", "cognition", "speech") == "speech"  # an explicit column wins


# -- features and model -----------------------------------------------------------


def test_features_are_a_pure_function_of_the_record() -> None:
    f = features(quoted(), "person")
    assert set(f) == set(FEATURES)
    assert f == features(quoted(), "person")
    assert f["kind_direct"] == 1.0 and f["speaker_person"] == 1.0 and f["source_none"] == 0.0
    g = features(thought(), None)
    assert g["mode_thought"] == 1.0 and g["source_none"] == 1.0 and g["speaker_unresolved"] == 1.0
    assert all(isinstance(v, float) for v in g.values())


def test_shipped_model_prefers_a_named_direct_quote_to_an_unsourced_thought() -> None:
    model = load_model()
    assert model is not None, "src/claimgraph/data/confidence.json is missing"
    sure = model.predict(features(quoted(), "person"))
    unsure = model.predict(features(thought(), None))
    assert 0.0 <= unsure < sure <= 1.0
    assert 0.0 < default_threshold() < 1.0
    assert set(model.weights) == set(FEATURES)


def test_fit_logistic_is_deterministic_and_learns_the_direction() -> None:
    x = [[1.0, 0.0], [1.0, 1.0], [0.0, 0.0], [0.0, 1.0]] * 10
    y = [1, 1, 0, 0] * 10
    w1, b1 = fit_logistic(x, y)
    w2, b2 = fit_logistic(x, y)
    assert (w1, b1) == (w2, b2)
    assert w1[0] > 1.0 and abs(w1[1]) < 1e-6
    model = ConfidenceModel({"a": w1[0], "b": w1[1]}, b1, 0.5, {})
    assert model.predict({"a": 1.0}) > 0.5 > model.predict({"a": 0.0})


def test_calibration_and_threshold() -> None:
    perfect = [(0.25, 0), (0.25, 0), (0.25, 0), (0.25, 1), (0.95, 1)]
    cal = calibration(perfect)
    assert cal["n"] == 5 and len(cal["bins"]) == 10
    assert cal["ece"] == pytest.approx(0.2 * 0.05)
    assert cal["bins"][2]["n"] == 4 and cal["bins"][2]["accuracy"] == 0.25
    assert choose_threshold(perfect, 0.85) == 0.26


def test_to_dict_has_mode_and_confidence_from_the_pipeline() -> None:
    from claimgraph.pipeline import Extractor

    ex = Extractor().extract(Document(name="t.txt", text=ARTICLE))
    out = ex.to_dict()["attributions"]
    assert out, "no attributions found"
    for a in out:
        assert a["mode"] in ("speech", "thought")
        assert isinstance(a["confidence"], float) and 0.0 <= a["confidence"] <= 1.0
    by_cue = {a["cue"]["text"]: a for a in out}
    assert by_cue["said"]["mode"] == by_cue["told"]["mode"] == "speech"
    assert by_cue["believe"]["mode"] == "thought"
    assert by_cue["believe"]["confidence"] < by_cue["said"]["confidence"]


def test_keep_confident_drops_low_ones_with_their_claims() -> None:
    ex = extraction((0.9, 0.2))
    ex.claims = [{"id": "c1", "attribution": "t2"}, {"id": "c2", "attribution": "t1"}]
    ex.events = [{"id": "e1", "attribution": "t2"}, {"id": "e2", "attribution": None}]
    keep_confident(ex, 0.5)
    assert [a.id for a in ex.attributions] == ["t1"]
    assert [c["id"] for c in ex.claims] == ["c2"]
    assert [e["id"] for e in ex.events] == ["e2"]
    unscored = extraction((None, None))
    assert len(keep_confident(unscored, 0.5).attributions) == 2
    assert len(keep_confident(extraction(), 0.0).attributions) == 2


def test_a_claim_is_as_sure_as_its_statement_and_its_proposition() -> None:
    ex = extraction((0.9, 0.5))
    ex.events = [{"id": "e1", "confidence": 0.8}, {"id": "e2", "confidence": None}]
    ex.claims = [
        {"id": "both", "attribution": "t1", "event": "e1"},
        {"id": "statement only", "attribution": "t2", "event": None},
        {"id": "publisher's event", "attribution": None, "event": "e1"},
        {"id": "unscored event", "attribution": "t1", "event": "e2"},
        {"id": "nothing scored", "attribution": None, "event": "e2"},
    ]
    score_claims(ex)
    assert {c["id"]: c["confidence"] for c in ex.claims} == {
        "both": 0.72,
        "statement only": 0.5,
        "publisher's event": 0.8,
        "unscored event": 0.9,
        "nothing scored": None,
    }


def test_every_claim_from_the_pipeline_has_a_confidence() -> None:
    from claimgraph.pipeline import Extractor

    claims = Extractor().extract(Document(name="t.txt", text=ARTICLE)).to_dict()["claims"]
    assert claims, "no claims found"
    assert all(0.0 <= c["confidence"] <= 1.0 for c in claims)


def test_scores_are_kept_to_the_stored_precision_so_both_filters_agree() -> None:
    # a raw 0.62951 is stored (and listed) as 0.63: extract/ingest --min-confidence 0.63
    # must keep it too, as the listing's --min-confidence 0.63 does
    raw = 0.62951
    model = ConfidenceModel({}, math.log(raw / (1 - raw)), 0.63, {})
    ex = extraction((None, None))
    score_extraction(ex, model)
    assert [a.confidence for a in ex.attributions] == [0.63, 0.63]
    assert len(keep_confident(ex, 0.63).attributions) == 2


# -- store, both backends ---------------------------------------------------------


@pytest.fixture
def store(store_url: str) -> Iterator[Store]:
    with open_store(store_url) as s:
        yield s


def test_migration_adds_confidence_and_mode(store: Store) -> None:
    assert store.schema_version() >= 9
    store.save(extraction((0.9, 0.2)))
    rows = {r.cue: r for r in store.statements()}
    assert rows["said"].confidence == pytest.approx(0.9)
    assert rows["said"].mode == "speech"
    assert rows["believe"].mode == "thought"
    assert rows["said"].to_dict()["confidence"] == pytest.approx(0.9)
    kept = store.statements(filters=Filters(min_confidence=0.5))
    assert [r.cue for r in kept] == ["said"]
    page, total = store.statement_page(filters=Filters(min_confidence=0.5))
    assert total == 1 and page[0].cue == "said"
    assert len(store.statements(filters=Filters(min_confidence=0))) == 2


def test_unscored_rows_are_never_filtered_out(store: Store) -> None:
    store.save(extraction((None, None)))
    assert len(store.statements(filters=Filters(min_confidence=0.99))) == 2
    assert {r.confidence for r in store.statements()} == {None}


def test_filters_refuse_a_bad_confidence() -> None:
    with pytest.raises(ValueError):
        Filters(min_confidence=1.5)
    with pytest.raises(ValueError):
        Filters(min_confidence="much")  # type: ignore[arg-type]
    assert Filters(min_confidence="0.5").min_confidence == 0.5  # type: ignore[arg-type]
    assert not Filters(min_confidence=0.0)


# -- CLI and API ------------------------------------------------------------------


@pytest.fixture
def db(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'c.db'}"
    with open_store(url) as s:
        s.save(extraction((0.95, 0.05)))
    return url


def cli(*args: str) -> Any:
    result = CliRunner().invoke(main, list(args))
    assert result.exit_code == 0, result.output
    return result.output


def test_statements_min_confidence_cli_and_api(db: str) -> None:
    from claimgraph.web import create_app

    every = json.loads(cli("statements", "--db", db, "--min-confidence", "0", "--format", "json"))
    assert len(every) == 2
    sure = json.loads(cli("statements", "--db", db, "--min-confidence", "0.5", "--format", "json"))
    assert [r["cue"] for r in sure] == ["said"] and sure[0]["confidence"] == 0.95
    default = json.loads(cli("statements", "--db", db, "--format", "json"))
    assert [r["cue"] for r in default] == ["said"]  # the default threshold is above 0.05

    client = TestClient(create_app(db), base_url="http://127.0.0.1")
    page = client.get("/api/statements", params={"min_confidence": "0"}).json()
    assert page["total"] == 2
    page = client.get("/api/statements", params={"min_confidence": "0.5"}).json()
    assert page["total"] == 1 and page["items"][0]["confidence"] == 0.95
    assert client.get("/api/statements").json()["total"] == 1
    assert client.get("/api/statements", params={"min_confidence": "2"}).status_code == 422


def test_extract_min_confidence(tmp_path: Path) -> None:
    article = tmp_path / "a.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    every = json.loads(cli("extract", str(article), "--format", "jsonl"))["attributions"]
    some = json.loads(cli("extract", str(article), "--format", "jsonl", "--min-confidence", "0.9"))
    assert 0 < len(some["attributions"]) < len(every)
    assert all(a["confidence"] >= 0.9 for a in some["attributions"])


def test_ingest_min_confidence(tmp_path: Path) -> None:
    article = tmp_path / "a.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    url = f"sqlite:///{tmp_path / 'i.db'}"
    cli("ingest", str(article), "--db", url, "--workers", "1", "--min-confidence", "0.9")
    with open_store(url) as s:
        rows = s.statements()
    assert rows and all((r.confidence or 0) >= 0.9 for r in rows)


# -- training ---------------------------------------------------------------------


def test_training_smoke_on_five_train_articles(shared_dir: Path, tmp_path: Path) -> None:
    from claimgraph.pipeline import Extractor

    split = shared_dir / "eval" / "polnear" / "train"
    if not split.is_dir():
        pytest.skip(f"{split} not found")
    model, summary = train(split, Extractor(), limit=5)
    assert summary["examples"] > 0 and 0 < summary["positives"] <= summary["examples"]
    assert set(model.weights) == set(FEATURES)
    assert 0.0 <= model.threshold <= 1.0
    out = tmp_path / "c.json"
    result = CliRunner().invoke(
        main, ["train", "confidence", "--polnear", str(split), "--limit", "5", "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    data = json.loads(out.read_text(encoding="utf-8"))
    assert "PolNeAR" in data["data"] and data["features"] == list(FEATURES)
    again = ConfidenceModel.from_json(data)
    assert again.weights == pytest.approx(model.weights, abs=1e-5)
