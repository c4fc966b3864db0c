"""Calibrated confidence for attributions: how likely an extracted "X said Y" is right.

A small logistic-regression model over features of the attribution record itself
(:func:`features`): no ``Doc``, no per-word lists from evaluation data, only what the
ledger keeps (kind, quotes, source, speaker type, cue, mode, section ...) plus the
cue lemma's learned share from ``data/cue_stats.tsv``. The weights ship as
``data/confidence.json``; :func:`train` relearns them from PolNeAR train
(``claimgraph train confidence --polnear DIR``), labelling each predicted attribution
1 when it relation-matches a gold one (the scorer of :mod:`claimgraph.evaluation.polnear`)
and 0 otherwise.

The pipeline scores every attribution (:func:`score_extraction`); a listing keeps
those at or above a threshold (``--min-confidence``). The default threshold
(:func:`default_threshold`) is the lowest at which train precision reaches
:data:`TARGET_PRECISION`: a wrong "X said Y" costs a journalist more than a missed one.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from claimgraph.cues import load_cue_lexicon, load_cue_stats
from claimgraph.model import Attribution, Document, Extraction

MODEL_FILE = "confidence.json"
#: The precision the default threshold is chosen for, on PolNeAR train.
TARGET_PRECISION = 0.85
#: Decimals a confidence is kept to: the value the JSON shows, the store keeps and
#: both ``--min-confidence`` filters (extract/ingest, the listings) compare.
DIGITS = 3
#: Thresholds the precision/recall curve is reported at.
CURVE_THRESHOLDS = tuple(round(0.1 * i, 1) for i in range(10))
L2 = 1.0
SEED = 0
_PRONOUNS = frozenset(
    "i you he she it we they me him her us them this that who which one someone".split()
)
_QUOTE_CHARS = re.compile('["“”«»]')

FEATURES: tuple[str, ...] = (
    "cue_share",
    "cue_share_unknown",
    "cue_log_count",
    "cue_curated",
    "cue_noun",
    "cue_according_to",
    "cue_colon",
    "kind_direct",
    "kind_mixed",
    "content_quoted",
    "content_fragments",
    "content_short",
    "content_long",
    "source_none",
    "source_pronoun",
    "speaker_person",
    "speaker_organisation",
    "speaker_state",
    "speaker_group",
    "speaker_unresolved",
    "channel",
    "mode_thought",
    "negated",
    "stance_not_affirm",
    "section_headline",
    "section_caption",
)


def _cue_key(lemma: str) -> str:
    return "accord" if lemma == "according to" else lemma


def features(att: Attribution, speaker_type: str | None = None) -> dict[str, float]:
    """The model's inputs for one attribution: a pure function of the record and the
    type of its speaker actor (``Actor.type``, ``None`` when unresolved)."""
    stats = load_cue_stats()
    lex = load_cue_lexicon()
    lemma = att.cue_lemma.lower()
    count, share = stats.get(_cue_key(lemma), (0, 0.0))
    curated = any(k[0] == lemma and c.cls != "learned" for k, c in lex.items())
    words = len(att.content.text.split())
    source = att.source.text.strip().lower() if att.source else ""
    stype = (speaker_type or "").lower()
    f = {
        "cue_share": share,
        "cue_share_unknown": float(count == 0),
        "cue_log_count": math.log10(1 + count) / 4,
        "cue_curated": float(curated),
        "cue_noun": float((lemma, "NOUN") in lex and (lemma, "VERB") not in lex),
        "cue_according_to": float(lemma == "according to"),
        "cue_colon": float(lemma == ":"),
        "kind_direct": float(att.kind == "direct"),
        "kind_mixed": float(att.kind == "mixed"),
        "content_quoted": float(bool(_QUOTE_CHARS.search(att.content.text))),
        "content_fragments": float(bool(att.content.fragments and len(att.content.fragments) > 1)),
        "content_short": float(words < 5),
        "content_long": float(words > 40),
        "source_none": float(att.source is None),
        "source_pronoun": float(source in _PRONOUNS),
        "speaker_person": float(stype == "person"),
        "speaker_organisation": float(stype in ("organisation", "media")),
        "speaker_state": float(stype == "state"),
        "speaker_group": float(stype == "group"),
        "speaker_unresolved": float(att.speaker is None),
        "channel": float(att.channel is not None),
        "mode_thought": float(att.mode == "thought"),
        "negated": float(att.negated),
        "stance_not_affirm": float(att.stance != "affirm"),
        "section_headline": float(att.section == "headline"),
        "section_caption": float(att.section == "caption"),
    }
    return f


def extraction_features(extraction: Extraction) -> list[dict[str, float]]:
    """:func:`features` of each of an extraction's attributions, in order."""
    types = {a.id: a.type for a in extraction.actors}
    return [features(a, types.get(a.speaker or "")) for a in extraction.attributions]


@dataclass(frozen=True)
class ConfidenceModel:
    """Logistic regression: ``sigmoid(bias + sum(weight * feature))``."""

    weights: Mapping[str, float]
    bias: float
    threshold: float
    meta: Mapping[str, Any]

    def predict(self, feats: Mapping[str, float]) -> float:
        z = self.bias + sum(w * feats.get(name, 0.0) for name, w in self.weights.items())
        return _sigmoid(z)

    def to_json(self) -> dict[str, Any]:
        return {
            **self.meta,
            "bias": self.bias,
            "weights": dict(self.weights),
            "threshold": self.threshold,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> ConfidenceModel:
        meta = {k: v for k, v in data.items() if k not in ("bias", "weights", "threshold")}
        return cls(
            {str(k): float(v) for k, v in data["weights"].items()},
            float(data["bias"]),
            float(data["threshold"]),
            meta,
        )


def _sigmoid(z: float) -> float:
    if z >= 0:
        return 1.0 / (1.0 + math.exp(-z))
    e = math.exp(z)
    return e / (1.0 + e)


def read_shipped_model(name: str) -> ConfidenceModel | None:
    """A model shipped as ``claimgraph/data/NAME``, or ``None`` when absent (the one
    reader of the attribution and the event confidence models)."""
    path = shipped_model_path(name)
    if not path.is_file():
        return None
    return ConfidenceModel.from_json(json.loads(path.read_text("utf-8")))


@lru_cache(maxsize=1)
def load_model() -> ConfidenceModel | None:
    """The shipped model (``data/confidence.json``), or ``None`` when absent."""
    return read_shipped_model(MODEL_FILE)


def default_threshold() -> float:
    """The shipped model's threshold (train precision >= TARGET_PRECISION); 0 without one."""
    model = load_model()
    return model.threshold if model is not None else 0.0


def score_extraction(extraction: Extraction, model: ConfidenceModel | None = None) -> None:
    """Set ``confidence`` on every attribution of ``extraction`` (in place), rounded to
    :data:`DIGITS` decimals: the number ``extract --min-confidence`` compares is then
    the one stored, shown and compared by the listings' ``--min-confidence``."""
    model = model or load_model()
    if model is None:
        return
    for att, feats in zip(extraction.attributions, extraction_features(extraction), strict=True):
        att.confidence = round(model.predict(feats), DIGITS)


def score_claims(extraction: Extraction) -> None:
    """Set ``"confidence"`` on every claim of ``extraction`` (in place): the product
    of the calibrated confidences it rests on, the statement's (its attribution) and
    the proposition's (its event), rounded to :data:`DIGITS` decimals; ``None`` where
    neither is scored. A claim is right only if both are, and the two models' errors
    are taken as independent: the product is not calibrated on claims of its own
    (no gold of claims is large enough), so read it as a ranking with the scale of a
    probability. Run after the attributions and the events are scored."""
    attributions: dict[Any, float | None] = {a.id: a.confidence for a in extraction.attributions}
    events: dict[Any, float | None] = {e.get("id"): e.get("confidence") for e in extraction.events}
    for claim in extraction.claims:
        parts = [
            p
            for p in (attributions.get(claim.get("attribution")), events.get(claim.get("event")))
            if p is not None
        ]
        claim["confidence"] = round(math.prod(parts), DIGITS) if parts else None


def keep_confident(extraction: Extraction, min_confidence: float) -> Extraction:
    """``extraction`` without the attributions below ``min_confidence`` (in place), and
    without the events and claims told in their voice; unscored attributions stay.
    ``min_confidence`` 0 changes nothing."""
    if not min_confidence:
        return extraction
    dropped = {
        a.id
        for a in extraction.attributions
        if a.confidence is not None and a.confidence < min_confidence
    }
    if not dropped:
        return extraction
    extraction.attributions = [a for a in extraction.attributions if a.id not in dropped]
    extraction.events = [e for e in extraction.events if e.get("attribution") not in dropped]
    extraction.claims = [c for c in extraction.claims if c.get("attribution") not in dropped]
    return extraction


# --------------------------------------------------------------------------- training


def fit_logistic(
    x: Sequence[Sequence[float]], y: Sequence[int], *, l2: float = L2, iterations: int = 50
) -> tuple[list[float], float]:
    """L2-regularised logistic regression by Newton's method (IRLS); deterministic.

    Returns (weights, bias); the bias is not penalised.
    """
    import numpy as np

    xm = np.asarray(x, dtype=float)
    ym = np.asarray(y, dtype=float)
    n, d = xm.shape
    xb = np.hstack([xm, np.ones((n, 1))])
    w = np.zeros(d + 1)
    penalty = np.full(d + 1, l2)
    penalty[-1] = 0.0
    for _ in range(iterations):
        p = 1.0 / (1.0 + np.exp(-(xb @ w)))
        grad = xb.T @ (p - ym) + penalty * w
        hess = (xb * (p * (1 - p))[:, None]).T @ xb + np.diag(penalty) + 1e-9 * np.eye(d + 1)
        step = np.linalg.solve(hess, grad)
        w -= step
        if float(np.max(np.abs(step))) < 1e-8:
            break
    return [float(v) for v in w[:-1]], float(w[-1])


@dataclass
class Labelled:
    """A predicted attribution, its features, and whether it matched a gold one."""

    features: dict[str, float]
    label: int
    confidence: float | None


class _Keeping:
    """Passes an extractor through, keeping each extraction's features by document name."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner
        self.features: dict[str, list[dict[str, float]]] = {}

    def extract_many(self, docs: Iterable[Document]) -> Iterator[Extraction]:
        for ex in self.inner.extract_many(docs):
            self.features[ex.document.name] = extraction_features(ex)
            yield ex


def labelled_predictions(
    directory: str | Path,
    extractor: Any,
    *,
    limit: int | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> list[Labelled]:
    """Run ``extractor`` over a PolNeAR split with the evaluation's reader and label
    each prediction by the evaluation's relation matcher."""
    from claimgraph.evaluation.polnear import load_gold, load_metadata, run_extractor, score

    root = Path(directory)
    gold = load_gold(root, limit=limit)
    keeping = _Keeping(extractor)
    preds = run_extractor(
        gold, keeping, metadata=load_metadata(root.parent / "metadata.tsv"), progress=progress
    )
    report = score(gold, preds)
    return labels_of(report, keeping.features)


def labels_of(
    report: Any, feats: Mapping[str, list[dict[str, float]]] | None = None
) -> list[Labelled]:
    """Each prediction of a ``PolnearReport``, labelled 1 when it matched a gold one."""
    out: list[Labelled] = []
    for name, ds in report.per_document.items():
        matched = {m.pred for m in ds.matches}
        preds = report.predictions.get(name, [])
        doc_feats = (feats or {}).get(f"{name}.txt")
        for i, att in enumerate(preds):
            f = doc_feats[i] if doc_feats is not None else features(att)
            out.append(Labelled(f, int(i in matched), att.confidence))
    return out


def pr_at(
    scored: Sequence[tuple[float, int]], threshold: float, gold_total: int
) -> tuple[float, float, int]:
    """(precision, recall, kept) of the predictions whose confidence >= threshold."""
    kept = [lab for conf, lab in scored if conf >= threshold - 1e-12]
    tp = sum(kept)
    precision = tp / len(kept) if kept else 0.0
    recall = tp / gold_total if gold_total else 0.0
    return precision, recall, len(kept)


def choose_threshold(
    scored: Sequence[tuple[float, int]], target: float = TARGET_PRECISION
) -> float:
    """The lowest threshold (a multiple of 0.01) whose precision reaches ``target``."""
    for i in range(100):
        t = i / 100
        p, _r, kept = pr_at(scored, t, 1)
        if kept and p >= target:
            return t
    return 0.99


def calibration(scored: Sequence[tuple[float, int]], bins: int = 10) -> dict[str, Any]:
    """Expected calibration error over ``bins`` equal-width bins, and the reliability
    table (per bin: count, mean confidence, share correct)."""
    table = []
    ece = 0.0
    n = len(scored)
    for b in range(bins):
        lo, hi = b / bins, (b + 1) / bins
        inside = [(c, y) for c, y in scored if lo <= c < hi or (b == bins - 1 and c == 1.0)]
        if inside:
            conf = sum(c for c, _ in inside) / len(inside)
            acc = sum(y for _, y in inside) / len(inside)
            ece += len(inside) / n * abs(conf - acc)
        else:
            conf = acc = 0.0
        table.append(
            {"bin": f"{lo:.1f}-{hi:.1f}", "n": len(inside), "confidence": conf, "accuracy": acc}
        )
    return {"ece": ece, "bins": table, "n": n}


def calibration_report(report: Any) -> dict[str, Any] | None:
    """Calibration and the precision/recall curve of a scored PolNeAR run whose
    predictions carry confidences; ``None`` when they do not."""
    scored = [
        (lab.confidence, lab.label) for lab in labels_of(report) if lab.confidence is not None
    ]
    if not scored:
        return None
    gold_total = int(report.gold_attributions)
    out = calibration(scored)
    out["curve"] = [
        dict(
            zip(
                ("threshold", "precision", "recall", "kept"),
                (t, *pr_at(scored, t, gold_total)),
                strict=True,
            )
        )
        for t in CURVE_THRESHOLDS
    ]
    t = default_threshold()
    p, r, kept = pr_at(scored, t, gold_total)
    out["default"] = {"threshold": t, "precision": p, "recall": r, "kept": kept}
    return out


def format_calibration(cal: Mapping[str, Any]) -> str:
    lines = [
        f"confidence calibration: ECE {cal['ece']:.3f} over {cal['n']} predictions (10 bins)",
        f"{'bin':<10}{'n':>6}{'mean conf':>11}{'correct':>9}",
    ]
    for b in cal["bins"]:
        lines.append(f"{b['bin']:<10}{b['n']:>6}{b['confidence']:>11.3f}{b['accuracy']:>9.3f}")
    lines += ["", f"{'threshold':<10}{'P':>7}{'R':>7}{'kept':>7}"]
    for c in cal["curve"]:
        lines.append(
            f"{c['threshold']:<10.1f}{c['precision']:>7.3f}{c['recall']:>7.3f}{c['kept']:>7}"
        )
    d = cal["default"]
    lines.append(
        f"default threshold {d['threshold']:.2f}: P {d['precision']:.3f}  R {d['recall']:.3f}"
        f"  ({d['kept']} kept)"
    )
    return "\n".join(lines)


def train(
    directory: str | Path,
    extractor: Any,
    *,
    limit: int | None = None,
    l2: float = L2,
    progress: Callable[[int, int], None] | None = None,
) -> tuple[ConfidenceModel, dict[str, Any]]:
    """Learn the model from a PolNeAR split (train); returns it and a summary."""
    data = labelled_predictions(directory, extractor, limit=limit, progress=progress)
    if not data:
        raise ValueError(f"{directory}: the extractor predicted no attributions to learn from")
    x = [[d.features[name] for name in FEATURES] for d in data]
    y = [d.label for d in data]
    weights, bias = fit_logistic(x, y, l2=l2)
    model = ConfidenceModel(dict(zip(FEATURES, weights, strict=True)), bias, 0.0, {})
    scored = [(model.predict(d.features), d.label) for d in data]
    threshold = choose_threshold(scored)
    cal = calibration(scored)
    summary = {
        "examples": len(data),
        "positives": sum(y),
        "threshold": threshold,
        "train_precision_at_threshold": pr_at(scored, threshold, max(1, sum(y)))[0],
        "train_ece": cal["ece"],
    }
    scope = f"first {limit}" if limit else "all"
    meta = {
        "about": (
            "claimgraph attribution confidence: logistic regression (L2, Newton/IRLS) over "
            "claimgraph.confidence.features of each extracted attribution; label 1 when the "
            "attribution relation-matches a PolNeAR gold attribution (cue overlap + content "
            "Dice >= 0.5), else 0. threshold: the lowest (step 0.01) with train precision "
            f">= {TARGET_PRECISION}."
        ),
        "made_by": "claimgraph train confidence --polnear <PolNeAR train>",
        "data": f"PolNeAR {Path(directory).name} split, {scope} articles",
        "date": date.today().isoformat(),
        "seed": SEED,
        "l2": l2,
        "features": list(FEATURES),
        "summary": summary,
    }
    return ConfidenceModel(model.weights, bias, threshold, meta), summary


def write_model(model: ConfidenceModel, path: str | Path) -> None:
    data = model.to_json()
    data["weights"] = {k: round(v, 6) for k, v in data["weights"].items()}
    data["bias"] = round(data["bias"], 6)
    Path(path).write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def shipped_model_path(name: str = MODEL_FILE) -> Path:
    """Where a model shipped inside the package lives (``claimgraph/data/NAME``)."""
    return Path(str(resources.files("claimgraph.data").joinpath(name)))


__all__ = [
    "FEATURES",
    "TARGET_PRECISION",
    "ConfidenceModel",
    "Labelled",
    "calibration",
    "calibration_report",
    "choose_threshold",
    "default_threshold",
    "extraction_features",
    "features",
    "fit_logistic",
    "format_calibration",
    "keep_confident",
    "labelled_predictions",
    "load_model",
    "read_shipped_model",
    "score_claims",
    "score_extraction",
    "shipped_model_path",
    "train",
    "write_model",
]
