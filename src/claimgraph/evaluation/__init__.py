"""Scorers the rules are tuned against: PolNeAR (spans, relations) and the seed article.

Kept apart from the pipeline so any object with ``extract_many`` can be scored,
including experimental rule sets that are not the default extractor.
"""

from claimgraph.evaluation.polnear import (
    PRF,
    Diagnosis,
    DocumentScore,
    GoldAttribution,
    GoldDocument,
    PolnearReport,
    diagnose,
    diagnose_all,
    evaluate,
    gold_as_predictions,
    load_gold,
    parse_ann,
    score,
)
from claimgraph.evaluation.seed import SeedReport, SeedRow, evaluate_seed, load_seed, score_seed

__all__ = [
    "PRF",
    "Diagnosis",
    "DocumentScore",
    "GoldAttribution",
    "GoldDocument",
    "PolnearReport",
    "SeedReport",
    "SeedRow",
    "diagnose",
    "diagnose_all",
    "evaluate",
    "evaluate_seed",
    "gold_as_predictions",
    "load_gold",
    "load_seed",
    "parse_ann",
    "score",
    "score_seed",
]
