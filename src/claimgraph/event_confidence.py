"""Calibrated confidence for events: how likely an extracted event's type is right.

The event counterpart of :mod:`claimgraph.confidence`, built the same way: a small
logistic-regression model over features of the event record itself
(:func:`features`): its type's family, whether its trigger is a verb or a noun and
how many types the trigger lexicon gives that word, which roles are filled and by
what kind of actor, modality, polarity, whether an attribution carries it and how
sure that attribution is, the sentence's length. No per-word lists from evaluation
data. The weights ship as ``data/event_confidence.json``; :func:`train` relearns them
from the PLOVER gold records (``claimgraph train event-confidence --plover FILE``),
labelling each predicted event 1 when its type is its record's gold type (what
``claimgraph eval plover`` counts as "events of the gold type") and 0 otherwise.

The fitting, prediction and calibration helpers are :mod:`claimgraph.confidence`'s.
Events are never dropped by the extractor on their confidence; a listing keeps those
at or above ``--min-confidence`` (default 0: all).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

from claimgraph import confidence
from claimgraph.confidence import (
    DIGITS,
    ConfidenceModel,
    calibration,
    fit_logistic,
    read_shipped_model,
)
from claimgraph.model import Extraction

MODEL_FILE = "event_confidence.json"
L2 = 1.0
SEED = 0
#: Types that are things said (verbal cooperation or conflict) in PLOVER's quad classes.
VERBAL_TYPES = frozenset({"AGREE", "CONSULT", "SUPPORT", "REQUEST", "ACCUSE", "REJECT", "THREATEN"})
#: Material conflict.
CONFLICT_TYPES = frozenset({"PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT"})

FEATURES: tuple[str, ...] = (
    "type_verbal",
    "type_conflict",
    "has_mode",
    "trigger_noun",
    "trigger_ambiguous",
    "actor_set",
    "actor_state",
    "actor_person",
    "target_set",
    "target_state",
    "object_set",
    "time_set",
    "modality_not_actual",
    "negated",
    "attributed",
    "attribution_confidence",
    "in_claim",
    "commitment",
    "sentence_short",
    "sentence_long",
)


@lru_cache(maxsize=1)
def _types_per_lemma() -> dict[str, int]:
    """How many distinct event types the trigger lexicon gives each lemma (any part of
    speech): a word that codes several types is more often coded wrong."""
    from claimgraph.ontology import load_triggers

    types: dict[str, set[str]] = {}
    for (lemma, _pos), trig in load_triggers().items():
        if not trig.type.startswith("@"):  # support words (@light, ...) code no type
            types.setdefault(lemma, set()).add(trig.type)
    return {k: len(v) for k, v in types.items()}


def features(
    ev: Mapping[str, Any],
    *,
    actor_type: str | None = None,
    target_type: str | None = None,
    attribution_confidence: float | None = None,
    trigger: tuple[str, str] | None = None,
) -> dict[str, float]:
    """The model's inputs for one event record (DESIGN.md's event dict): a pure function
    of the record, its actor's and target's types (``Actor.type``), the confidence of
    the attribution that carries it, and its trigger's (lemma, part of speech) where
    the parser's is known (``None``: taken from the trigger text, part of speech unknown)."""
    etype = str(ev.get("type") or "").upper()
    trig = ev.get("trigger") or {}
    if trigger is not None:
        lemma, pos = trigger[0].lower(), trigger[1].upper()
    else:
        lemma, pos = str(trig.get("text") or "").lower(), ""
    sentence = ev.get("sentence") or {}
    length = None
    if sentence.get("start") is not None and sentence.get("end") is not None:
        length = int(sentence["end"]) - int(sentence["start"])
    attributed = ev.get("attribution") is not None
    atype = (actor_type or "").lower()
    ttype = (target_type or "").lower()
    return {
        "type_verbal": float(etype in VERBAL_TYPES),
        "type_conflict": float(etype in CONFLICT_TYPES),
        "has_mode": float(bool(ev.get("mode"))),
        "trigger_noun": float(pos in ("NOUN", "PROPN")),
        "trigger_ambiguous": float(_types_per_lemma().get(lemma, 1) > 1),
        "actor_set": float(ev.get("actor") is not None),
        "actor_state": float(atype == "state"),
        "actor_person": float(atype == "person"),
        "target_set": float(ev.get("target") is not None),
        "target_state": float(ttype == "state"),
        "object_set": float(bool(ev.get("object"))),
        "time_set": float(bool(ev.get("time"))),
        "modality_not_actual": float((ev.get("modality") or "actual") != "actual"),
        "negated": float((ev.get("polarity") or "affirmed") != "affirmed"),
        "attributed": float(attributed),
        "attribution_confidence": (
            float(attribution_confidence)
            if attributed and attribution_confidence is not None
            else 0.0
        ),
        "in_claim": float(bool(ev.get("in_claim")) or ev.get("alleged_by") is not None),
        "commitment": float(ev.get("act_type") is not None),
        "sentence_short": float(length is not None and length < 80),
        "sentence_long": float(length is not None and length > 250),
    }


def extraction_features(extraction: Extraction) -> list[dict[str, float]]:
    """:func:`features` of each of an extraction's events, in order."""
    types = {a.id: a.type for a in extraction.actors}
    confs = {a.id: a.confidence for a in extraction.attributions}
    words = extraction.event_words
    out = []
    for i, ev in enumerate(extraction.events):
        out.append(
            features(
                ev,
                actor_type=types.get(ev.get("actor") or ""),
                target_type=types.get(ev.get("target") or ""),
                attribution_confidence=confs.get(ev.get("attribution") or ""),
                trigger=words[i] if len(words) == len(extraction.events) else None,
            )
        )
    return out


@lru_cache(maxsize=1)
def load_model() -> ConfidenceModel | None:
    """The shipped model (``data/event_confidence.json``), or ``None`` when absent."""
    return read_shipped_model(MODEL_FILE)


def score_events(extraction: Extraction, model: ConfidenceModel | None = None) -> None:
    """Set ``"confidence"`` on every event of ``extraction`` (in place), rounded to
    :data:`~claimgraph.confidence.DIGITS` decimals; ``None`` without a model. Run
    after the attributions are scored: their confidence is a feature."""
    model = model or load_model()
    for ev, feats in zip(extraction.events, extraction_features(extraction), strict=True):
        ev["confidence"] = None if model is None else round(model.predict(feats), DIGITS)


# --------------------------------------------------------------------------- training


def labelled_events(
    path: str | Path,
    extractor: Any,
    *,
    limit: int | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> list[tuple[int, dict[str, float], int]]:
    """(index in the file, features, label) of every event predicted on the PLOVER
    records, labelled 1 when its type is the record's gold type. The index counts the
    file's DOCUMENT record too, as the even/odd split of docs/evaluation.md does."""
    from claimgraph.evaluation.plover import load_records, parse_records, run_extractor

    records = load_records(path, limit=limit)
    raw = json.loads(Path(path).read_text(encoding="utf-8"))
    positions = [n for n, rec in enumerate(raw) if parse_records([rec])]
    extractions = run_extractor(records, extractor, progress=progress)
    out: list[tuple[int, dict[str, float], int]] = []
    for i, rec in zip(positions, records, strict=False):
        ex = extractions.get(rec.id)
        if ex is None:
            continue
        for ev, f in zip(ex.events, extraction_features(ex), strict=True):
            if ev.get("type"):
                out.append((i, f, int(str(ev["type"]).upper() == rec.event)))
    return out


def fit(data: Sequence[tuple[dict[str, float], int]], l2: float = L2) -> ConfidenceModel:
    if not data:
        raise ValueError("no predicted events to learn from")
    x = [[f[name] for name in FEATURES] for f, _ in data]
    y = [label for _, label in data]
    weights, bias = fit_logistic(x, y, l2=l2)
    return ConfidenceModel(dict(zip(FEATURES, weights, strict=True)), bias, 0.0, {})


def brier(scored: Sequence[tuple[float, int]]) -> float:
    return sum((c - y) ** 2 for c, y in scored) / len(scored) if scored else 0.0


def train(
    path: str | Path,
    extractor: Any,
    *,
    limit: int | None = None,
    l2: float = L2,
    progress: Callable[[int, int], None] | None = None,
) -> tuple[ConfidenceModel, dict[str, Any]]:
    """Learn the model from PLOVER records. Fits on the even-indexed records (by position
    in the file) and reports calibration on the odd-indexed ones (``summary["heldout"]``),
    then fits the shipped weights on all of them."""
    data = labelled_events(path, extractor, limit=limit, progress=progress)
    even = [(f, y) for i, f, y in data if i % 2 == 0]
    odd = [(f, y) for i, f, y in data if i % 2 == 1]
    heldout: dict[str, Any] | None = None
    if even and odd:
        half = fit(even, l2)
        scored = [(round(half.predict(f), DIGITS), y) for f, y in odd]
        heldout = calibration(scored)
        heldout["brier"] = brier(scored)
        base = sum(y for _, y in even) / len(even)
        heldout["brier_base_rate"] = brier([(base, y) for _, y in odd])
        heldout["positives"] = sum(y for _, y in odd)
    everything = [(f, y) for _, f, y in data]
    model = fit(everything, l2)
    scored_all = [(model.predict(f), y) for f, y in everything]
    summary = {
        "examples": len(everything),
        "positives": sum(y for _, y in everything),
        "train_ece": calibration(scored_all)["ece"],
        "heldout": heldout,
    }
    scope = f"first {limit}" if limit else "all"
    meta = {
        "about": (
            "claimgraph event confidence: logistic regression (L2, Newton/IRLS) over "
            "claimgraph.event_confidence.features of each extracted event; label 1 when "
            "the event's type is its PLOVER record's gold type, else 0. No threshold: "
            "events are never dropped on confidence by default."
        ),
        "made_by": "claimgraph train event-confidence --plover <PLOVER_GSR_CAMEO.dev.json>",
        "data": f"{Path(path).name}, {scope} records (odd-half calibration in summary)",
        "date": date.today().isoformat(),
        "seed": SEED,
        "l2": l2,
        "features": list(FEATURES),
        "summary": summary,
    }
    return ConfidenceModel(model.weights, model.bias, 0.0, meta), summary


def format_heldout(cal: Mapping[str, Any]) -> str:
    lines = [
        f"odd-half calibration: ECE {cal['ece']:.3f}, Brier {cal['brier']:.3f} "
        f"(base rate {cal['brier_base_rate']:.3f}) over {cal['n']} events "
        f"({cal['positives']} of the gold type)",
        f"{'bin':<10}{'n':>6}{'mean conf':>11}{'correct':>9}",
    ]
    for b in cal["bins"]:
        lines.append(f"{b['bin']:<10}{b['n']:>6}{b['confidence']:>11.3f}{b['accuracy']:>9.3f}")
    return "\n".join(lines)


def shipped_model_path() -> Path:
    """Where ``claimgraph train event-confidence`` writes by default."""
    return confidence.shipped_model_path(MODEL_FILE)


__all__ = [
    "FEATURES",
    "extraction_features",
    "features",
    "fit",
    "format_heldout",
    "labelled_events",
    "load_model",
    "score_events",
    "shipped_model_path",
    "train",
]
