"""Accuracy gate: PolNeAR dev, PLOVER dev and the claims story set may not fall below
pinned floors.

Floors sit just under the scores last measured (``claimgraph eval polnear
../shared/eval/polnear/dev``; see docs/evaluation.md). When a change raises a score,
raise its floor in the same commit; a change that lowers one fails ``make test``.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from claimgraph.evaluation.claims import ClaimsReport, evaluate_claims
from claimgraph.evaluation.plover import PloverReport, evaluate_plover
from claimgraph.evaluation.polnear import PolnearReport, evaluate
from claimgraph.pipeline import Extractor

pytestmark = [pytest.mark.shared, pytest.mark.slow]

#: (role, measure) -> floor.  Measured 2026-11-28: see docs/evaluation.md.
EXACT_F1_FLOORS = {"source": 0.69, "cue": 0.655, "content": 0.51}
CHAR_F1_FLOORS = {"source": 0.735, "cue": 0.58, "content": 0.795}
RELATION_F1_FLOOR = 0.665
RELATION_PRECISION_FLOOR = 0.75
SOURCE_AGREEMENT_FLOOR = 0.92


@pytest.fixture(scope="module")
def dev_report() -> PolnearReport:
    dev = Path(__file__).resolve().parents[1].parent / "shared" / "eval" / "polnear" / "dev"
    if not dev.is_dir():
        pytest.skip(f"../shared not found: {dev}")
    return evaluate(dev, Extractor())


def test_scores_all_84_dev_articles(dev_report: PolnearReport) -> None:
    assert dev_report.documents == 84
    assert dev_report.gold_attributions == 2193


@pytest.mark.parametrize("role", sorted(EXACT_F1_FLOORS))
def test_exact_span_f1_floor(dev_report: PolnearReport, role: str) -> None:
    assert dev_report.exact[role].f1 >= EXACT_F1_FLOORS[role], dev_report.format_table()


@pytest.mark.parametrize("role", sorted(CHAR_F1_FLOORS))
def test_character_f1_floor(dev_report: PolnearReport, role: str) -> None:
    assert dev_report.char[role].f1 >= CHAR_F1_FLOORS[role], dev_report.format_table()


def test_relation_floors(dev_report: PolnearReport) -> None:
    assert dev_report.relation.f1 >= RELATION_F1_FLOOR, dev_report.format_table()
    assert dev_report.relation.precision >= RELATION_PRECISION_FLOOR, dev_report.format_table()
    assert dev_report.source_agreement >= SOURCE_AGREEMENT_FLOOR, dev_report.format_table()


# --------------------------------------------------------------------------- PLOVER

#: PLOVER dev floors, measured 2026-11-28 (docs/evaluation.md).
PLOVER_FLOORS = {
    "type_accuracy": 0.84,
    "event_precision": 0.545,  # 0.546 with the role checks of issue 13 (2026-12-04)
    "source_accuracy": 0.75,
    "target_accuracy": 0.72,
    "coverage": 0.95,
}


@pytest.fixture(scope="module")
def plover_report() -> PloverReport:
    path = (
        Path(__file__).resolve().parents[1].parent
        / "shared"
        / "eval"
        / "plover"
        / "PLOVER_GSR_CAMEO.dev.json"
    )
    if not path.is_file():
        pytest.skip(f"../shared not found: {path}")
    return evaluate_plover(path, Extractor())


@pytest.mark.parametrize("measure", sorted(PLOVER_FLOORS))
def test_plover_floor(plover_report: PloverReport, measure: str) -> None:
    value = getattr(plover_report, measure)
    score = value() if callable(value) else value
    assert score >= PLOVER_FLOORS[measure], plover_report.format_table()


# --------------------------------------------------------------------------- claims

#: Multi-article claims floors on the bundled story set (examples/, with its hand-made
#: gold examples/gold/story.gold.json), measured 2026-11-28 (docs/evaluation.md), raised
#: 2026-12-04 (issue 14: own-made weapons, denials of the kind of thing accused). The
#: set ships in the repository, so this gate runs on every machine.
CLAIMS_FLOORS = {
    "contested_precision": 1.0,
    "contested_recall": 1.0,
    "bcubed_precision": 0.97,
    "bcubed_recall": 0.28,
    "covered_precision": 0.96,
    # over the covered mentions only: newly covered mentions can lower it while the
    # recall over all mentions (bcubed_recall) rises, so it is pinned a little lower
    "covered_recall": 0.68,
    "duplicates_f1": 1.0,
}


@pytest.fixture(scope="module")
def claims_report() -> ClaimsReport:
    root = Path(__file__).resolve().parents[1]
    return evaluate_claims(root / "examples" / "gold" / "story.gold.json", base=root)


@pytest.mark.parametrize("measure", sorted(CLAIMS_FLOORS))
def test_claims_floor(claims_report: ClaimsReport, measure: str) -> None:
    values = {
        "contested_precision": claims_report.contested.precision,
        "contested_recall": claims_report.contested.recall,
        "bcubed_precision": claims_report.bcubed.precision,
        "bcubed_recall": claims_report.bcubed.recall,
        "covered_precision": claims_report.bcubed_covered.precision,
        "covered_recall": claims_report.bcubed_covered.recall,
        "duplicates_f1": claims_report.duplicates.f1,
    }
    assert values[measure] >= CLAIMS_FLOORS[measure], claims_report.format_table()
