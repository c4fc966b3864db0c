"""The PLOVER scorer on hand-built records and a scripted extractor, so every figure
in the report can be checked by hand; plus a check that the real dev file loads."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import pytest

from claimgraph.errors import EvaluationDataError
from claimgraph.evaluation.plover import (
    PloverReport,
    actor_carries,
    evaluate_plover,
    load_records,
    normalise_code,
    parse_records,
    run_extractor,
    score,
)
from claimgraph.model import Actor, Document, Extraction, TextSpan

R1 = "The United States and Jordan agreed on a trade pact."
R2 = "Japan demanded that the United Nations act."
R3 = "Israeli troops fought Palestinian gunmen."
R4 = "Police investigated the aid group."

RECORDS: list[dict[str, Any]] = [
    {"id": "DOC", "event": "DOCUMENT", "eventText": "file documentation"},
    {
        "id": "R1",
        "event": "AGREE",
        "date": "2000-01-01",
        "source": [{"actorText": "United States", "code": "USA"}, {"code": "JOR"}],
        "target": "",
        "text": R1,
    },
    {
        "id": "R2",
        "event": "DEMAND",
        "source": [{"actorText": "Japan", "code": "JAP", "sector": "GOV"}],
        "target": [{"actorText": "United Nations", "code": "IGO"}],
        "text": R2,
    },
    {
        "id": "R3",
        "event": "FIGHT",
        "source": [{"actorText": "Israeli troops", "code": "ISR", "sector": "MIL"}],
        "target": [
            {"actorText": "Palestinian", "code": "PSE"},
            {"actorText": "gunmen", "code": "PSE", "sector": "REB"},
        ],
        "text": R3,
    },
    {
        "id": "R4",
        "event": "INVESTIGATE",
        "source": "police",
        "target": [{"actorText": "the aid group", "code": "NGO"}],
        "text": R4,
    },
    {"id": "R5", "event": "AGREE", "source": [{"code": "USA"}]},  # no text: not scoreable
]


def actor(local: str, name: str, type_: str, country: str | None = None, **kw: Any) -> Actor:
    a = Actor(local, name, type_, country)
    for key, value in kw.items():  # sector etc.: set whether or not the model has the field
        setattr(a, key, value)
    return a


def ev(type_: str, actor: str | None = None, target: str | None = None) -> dict[str, Any]:
    return {
        "id": f"e-{type_}-{actor}-{target}",
        "type": type_,
        "actor": actor,
        "target": target,
        "trigger": TextSpan(0, 1, "x").to_dict(),
        "polarity": "affirmed",
        "modality": "actual",
        "attribution": None,
    }


SCRIPT: dict[str, tuple[list[Actor], list[dict[str, Any]]]] = {
    R1: (
        [actor("a1", "United States", "state", "USA"), actor("a2", "Jordan", "state", "JOR")],
        [ev("AGREE", "a1"), ev("CONSULT", "a2")],
    ),
    R2: (
        [actor("a1", "Japan", "state", "JPN"), actor("a2", "United Nations", "igo")],
        [ev("REQUEST", "a2", "a1"), ev("REQUEST", "a1", "a2")],
    ),
    R3: (
        [actor("a1", "Israel", "state", "ISR")],
        [ev("ASSAULT", "a1"), ev("PROTEST")],
    ),
    R4: ([actor("a1", "aid group", "organisation", sector="NGO")], []),
}


class ScriptedExtractor:
    """Stands in for the pipeline: what it 'finds' is fixed per sentence."""

    def __init__(self) -> None:
        self.seen: list[Document] = []

    def extract_many(self, docs: Iterable[Document]) -> Iterator[Extraction]:
        for d in docs:
            self.seen.append(d)
            actors, events = SCRIPT[d.text]
            yield Extraction(document=d, actors=actors, events=events)


@pytest.fixture
def gold_file(tmp_path: Path) -> Path:
    path = tmp_path / "plover.json"
    path.write_text(json.dumps(RECORDS), encoding="utf-8")
    return path


@pytest.fixture
def report(gold_file: Path) -> PloverReport:
    return evaluate_plover(gold_file, ScriptedExtractor())


# -- gold ---------------------------------------------------------------------------


def test_records_are_read_with_plover_2_types_and_iso_codes(gold_file: Path) -> None:
    records = load_records(gold_file)
    assert [r.id for r in records] == ["R1", "R2", "R3", "R4"]
    assert [r.event for r in records] == ["AGREE", "REQUEST", "ASSAULT", "ACCUSE"]
    assert records[3].raw_event == "INVESTIGATE"
    r1, r2, r3, r4 = records
    assert r1.codes("source") == ["USA", "JOR"] and r1.codes("target") == []
    assert r1.date == "2000-01-01" and r2.date is None
    assert r2.codes("source") == ["JPN"] and r2.codes("target") == ["IGO"]
    assert r3.codes("target") == ["PSE"]  # a compound actor's repeated code counts once
    assert r4.sources == () and r4.source_text == "police"
    assert load_records(gold_file, limit=2)[-1].id == "R2"


@pytest.mark.parametrize(
    ("raw", "code"),
    [("JAP", "JPN"), ("ITL", "ITA"), ("usa", "USA"), (" IGO ", "IGO"), ("***", None), ("", None)],
)
def test_normalise_code(raw: str, code: str | None) -> None:
    assert normalise_code(raw) == code


def test_bad_gold_files_are_clear_errors(tmp_path: Path) -> None:
    with pytest.raises(EvaluationDataError, match="not found"):
        load_records(tmp_path / "missing.json")
    broken = tmp_path / "broken.json"
    broken.write_text("{not json", encoding="utf-8")
    with pytest.raises(EvaluationDataError, match="cannot read"):
        load_records(broken)
    with pytest.raises(EvaluationDataError, match="JSON list"):
        parse_records({"id": "x"})
    with pytest.raises(EvaluationDataError, match="list of actors"):
        parse_records([{"id": "x", "event": "AGREE", "text": "t", "source": 3}])


def test_actor_carries_countries_and_group_codes() -> None:
    assert actor_carries(actor("a", "Iran", "state", "IRN"), "IRN")
    assert not actor_carries(actor("a", "Iran", "state", "IRN"), "IRQ")
    assert actor_carries(actor("a", "UN", "igo"), "IGO")
    assert actor_carries(actor("a", "UN staff", "group", sector="IGO"), "IGO")
    assert not actor_carries(actor("a", "USA", "state", "USA"), "IGO")
    assert actor_carries(actor("a", "Amnesty", "organisation", sector="ngo"), "NGO")
    assert actor_carries(actor("a", "al-Qaeda", "group", sector="IMG"), "IMG")
    assert actor_carries(actor("a", "X", "organisation", code="IMG"), "IMG")
    assert not actor_carries(None, "USA")


# -- scores -------------------------------------------------------------------------


def test_event_type_scores(report: PloverReport) -> None:
    assert report.total == 4
    assert report.found == 3 and report.type_accuracy == pytest.approx(0.75)
    per = {t: (s.tp, s.fp, s.fn) for t, s in report.per_type.items()}
    assert per == {
        "AGREE": (1, 0, 0),
        "CONSULT": (0, 1, 0),
        "REQUEST": (1, 0, 0),
        "ASSAULT": (1, 0, 0),
        "PROTEST": (0, 1, 0),
        "ACCUSE": (0, 0, 1),
    }
    # F1 1, 0, 1, 1, 0, 0 over six types: invented types count against the coder
    assert report.macro_f1 == pytest.approx(0.5)
    assert (report.events_of_gold_type, report.predicted_events) == (4, 6)
    assert report.event_precision == pytest.approx(4 / 6)


def test_roles_among_found_take_the_best_event(report: PloverReport) -> None:
    by_id = {r.id: r for r in report.records}
    assert (by_id["R1"].source_ok, by_id["R1"].target_ok) == (True, None)
    assert (by_id["R2"].source_ok, by_id["R2"].target_ok) == (True, True)  # second REQUEST
    assert (by_id["R3"].source_ok, by_id["R3"].target_ok) == (True, False)
    assert (by_id["R4"].source_ok, by_id["R4"].target_ok) == (None, None)  # not found
    assert report.source_accuracy == pytest.approx(1.0)
    assert report.target_accuracy == pytest.approx(0.5)


def test_actor_coverage(report: PloverReport) -> None:
    assert report.coverage_counts("source") == (4, 4)
    assert report.coverage_counts("target") == (2, 3)
    assert report.coverage_counts() == (6, 7)
    assert report.coverage() == pytest.approx(6 / 7)
    assert report.missed_codes() == {"PSE": 1}


def test_report_outputs(report: PloverReport) -> None:
    d = report.to_dict()
    assert d["records"] == 4
    assert d["event_type"]["accuracy"] == pytest.approx(0.75)
    assert d["event_type"]["per_type"]["ACCUSE"]["recall"] == 0.0
    assert d["roles_among_found"]["target"] == {"ok": 1, "scored": 2, "accuracy": 0.5}
    assert d["actor_coverage"]["overall"]["covered"] == 6
    assert d["actor_coverage"]["target"]["gold"] == 3
    assert [r["id"] for r in d["per_record"]] == ["R1", "R2", "R3", "R4"]
    json.dumps(d)  # serialisable as is

    table = report.format_table()
    assert "found (accuracy)          0.750   (3/4)" in table
    assert "events of the gold type   0.667   (4/6 predicted events)" in table
    assert "overall   0.857   (6/7)" in table
    assert "most missed: PSE 1" in table
    rows = {line.split()[0]: line.split()[1:] for line in table.splitlines() if line.strip()}
    assert rows["ACCUSE"] == ["1", "0", "0.000", "0.000", "0.000", "0"]  # gold found R P F1 fp
    assert rows["CONSULT"] == ["0", "0", "0.000", "0.000", "0.000", "1"]


def test_each_sentence_is_its_own_document(gold_file: Path) -> None:
    extractor = ScriptedExtractor()
    calls: list[tuple[int, int]] = []
    evaluate_plover(gold_file, extractor, progress=lambda done, total: calls.append((done, total)))
    assert [d.name for d in extractor.seen] == ["R1", "R2", "R3", "R4"]
    assert extractor.seen[0].published == "2000-01-01"
    assert calls[-1] == (4, 4)


def test_missing_extraction_counts_as_nothing_found(gold_file: Path) -> None:
    records = load_records(gold_file)
    report = score(records, {})
    assert report.found == 0 and report.predicted_events == 0
    assert report.event_precision == 0.0 and report.coverage() == 0.0


def test_unknown_document_from_the_extractor_is_an_error(gold_file: Path) -> None:
    class Stray:
        def extract_many(self, docs: Iterable[Document]) -> Iterator[Extraction]:
            for d in docs:
                yield Extraction(document=Document(name="elsewhere", text=d.text))

    with pytest.raises(EvaluationDataError, match="unknown document"):
        run_extractor(load_records(gold_file), Stray())


# -- the real dev file --------------------------------------------------------------


@pytest.mark.shared
def test_dev_file_has_161_scoreable_records(shared_dir: Path) -> None:
    path = shared_dir / "eval" / "plover" / "PLOVER_GSR_CAMEO.dev.json"
    if not path.is_file():
        pytest.skip(f"PLOVER dev file not found: {path}")
    records = load_records(path)
    assert len(records) == 161
    assert all(r.event != "DOCUMENT" for r in records)
    known = {
        "AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST",
        "ACCUSE", "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT",
    }  # fmt: skip
    assert {r.event for r in records} <= known
    assert all(len(c) == 3 for r in records for c in r.codes("source") + r.codes("target"))
