"""Score event coding and actor recognition against the PLOVER gold standard records.

The records (``../shared/eval/plover/PLOVER_GSR_CAMEO.dev.json``) are single news
sentences, each coded by hand with one event type and its source and target
actors. Each sentence is extracted as its own document, as a user's one-line input
would be, and three questions are asked, following ``shared/eval/README.md``:

1. **Event type.** Is an event of the gold type found in the sentence? Reported as
   accuracy over records, as macro-F1 over types, and as the share of *all*
   predicted events that carry their record's gold type: a coder that emits every
   type for every sentence would reach full accuracy, and only this last figure
   (and precision) shows it.
2. **Roles.** Among records whose type is found, does that event's actor carry a
   gold source code, and its target a gold target code? Where several events of
   the gold type exist, the one that gets most roles right is taken: the question
   is whether the extractor *can* code the sentence, not which duplicate it lists
   first.
3. **Actor coverage.** Independent of events: is each gold source and target code
   carried by some actor the extraction lists for the sentence? This is what the
   actors stage alone can be held to.

Gold codes use CAMEO's spellings; ``CAMEO_QUIRKS`` maps the few non-ISO ones. The
group codes IGO, NGO and IMG are not countries: an actor carries them by its type
or sector (``GROUP_CODES``).
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from claimgraph.errors import EvaluationDataError
from claimgraph.evaluation.polnear import PRF, SupportsExtractMany
from claimgraph.model import Actor, Document, Extraction

#: PLOVER 0.5b1 event names (used by the gold file) -> PLOVER 2.0 types.
PLOVER_05_TO_20 = {
    "DEMAND": "REQUEST",
    "DISAPPROVE": "ACCUSE",
    "INVESTIGATE": "ACCUSE",
    "FIGHT": "ASSAULT",
}
#: CAMEO actor codes that are not ISO 3166-1 alpha-3. VTN is not in CAMEO's own
#: tables: one dev record codes "Vietnamese-led forces" with it, plainly for VNM.
CAMEO_QUIRKS = {"JAP": "JPN", "ITL": "ITA", "VTN": "VNM"}
#: Group codes and what carries them: (actor types, actor sectors). An actor
#: matches when its type is in the first set or its sector in the second.
GROUP_CODES: dict[str, tuple[frozenset[str], frozenset[str]]] = {
    "IGO": (frozenset({"igo"}), frozenset({"IGO"})),
    "NGO": (frozenset({"ngo"}), frozenset({"NGO"})),
    "IMG": (frozenset({"img"}), frozenset({"IMG"})),
}
ROLES = ("source", "target")


# --------------------------------------------------------------------------- gold


@dataclass(frozen=True)
class GoldActor:
    text: str
    code: str | None
    sector: str | None = None


@dataclass(frozen=True)
class PloverRecord:
    """One coded sentence. ``sources``/``targets`` are empty when the role is absent
    or given only as a plain string (then ``*_text`` holds it): such a role has no
    code to score and is skipped."""

    id: str
    text: str
    event: str  # PLOVER 2.0 type
    raw_event: str  # as in the file (PLOVER 0.5b1)
    mode: str | None
    context: str | None
    date: str | None
    sources: tuple[GoldActor, ...]
    targets: tuple[GoldActor, ...]
    source_text: str | None = None
    target_text: str | None = None

    def codes(self, role: str) -> list[str]:
        """The role's distinct codes in file order: a compound actor coded twice
        with the same country counts once."""
        actors = self.sources if role == "source" else self.targets
        out: list[str] = []
        for a in actors:
            if a.code and a.code not in out:
                out.append(a.code)
        return out


def normalise_code(code: str | None) -> str | None:
    if code is None:
        return None
    code = code.strip().upper()
    if not code or code == "***":
        return None
    return CAMEO_QUIRKS.get(code, code)


def _role(value: Any, where: str) -> tuple[tuple[GoldActor, ...], str | None]:
    if value is None:
        return (), None
    if isinstance(value, str):
        return (), (value.strip() or None)
    if not isinstance(value, list):
        raise EvaluationDataError(f"{where}: expected a list of actors, got {type(value).__name__}")
    actors = []
    for a in value:
        if not isinstance(a, dict):
            raise EvaluationDataError(f"{where}: expected an actor object, got {a!r}")
        actors.append(
            GoldActor(
                text=str(a.get("actorText") or ""),
                code=normalise_code(a.get("code")),
                sector=(str(a["sector"]) if a.get("sector") else None),
            )
        )
    return tuple(actors), None


def parse_records(data: Any) -> list[PloverRecord]:
    """The scoreable records: every one with a text and an event, the DOCUMENT
    record (file documentation) left out."""
    if not isinstance(data, list):
        raise EvaluationDataError("PLOVER file must hold a JSON list of records")
    out: list[PloverRecord] = []
    for n, rec in enumerate(data):
        if not isinstance(rec, dict):
            raise EvaluationDataError(f"record {n}: expected an object")
        raw = str(rec.get("event") or "").strip().upper()
        text = rec.get("text")
        if raw == "DOCUMENT" or not raw or not isinstance(text, str) or not text.strip():
            continue
        rid = str(rec.get("id") or f"record-{n}")
        sources, source_text = _role(rec.get("source"), f"{rid} source")
        targets, target_text = _role(rec.get("target"), f"{rid} target")
        date = rec.get("date")
        out.append(
            PloverRecord(
                id=rid,
                text=text,
                event=PLOVER_05_TO_20.get(raw, raw),
                raw_event=raw,
                mode=rec.get("mode") or None,
                context=rec.get("context") or None,
                date=date
                if isinstance(date, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", date)
                else None,
                sources=sources,
                targets=targets,
                source_text=source_text,
                target_text=target_text,
            )
        )
    return out


def load_records(path: str | Path, *, limit: int | None = None) -> list[PloverRecord]:
    p = Path(path)
    if not p.is_file():
        raise EvaluationDataError(f"PLOVER file not found: {p}")
    try:
        data = json.loads(p.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise EvaluationDataError(f"cannot read PLOVER file {p}: {exc}") from exc
    records = parse_records(data)
    return records[:limit] if limit is not None else records


# --------------------------------------------------------------------------- matching


def actor_carries(actor: Actor | None, code: str) -> bool:
    """Does the actor stand for the gold code: its country for a country code, its
    type or sector for a group code, or a ``code`` attribute where an actor has one."""
    if actor is None:
        return False
    if getattr(actor, "code", None) == code:
        return True
    group = GROUP_CODES.get(code)
    if group is not None:
        types, sectors = group
        sector = getattr(actor, "sector", None)
        return actor.type in types or (sector is not None and str(sector).upper() in sectors)
    return actor.country == code


def _carries_any(actor: Actor | None, codes: Sequence[str]) -> bool:
    return any(actor_carries(actor, c) for c in codes)


# --------------------------------------------------------------------------- scores


@dataclass
class RecordScore:
    """One sentence's outcome, kept so the missed cases can be read, not just counted."""

    id: str
    gold_type: str
    predicted_types: list[str]
    events: int
    events_of_gold_type: int
    found: bool
    source_codes: list[str]
    target_codes: list[str]
    source_ok: bool | None  # None: not scored (type not found or no gold code)
    target_ok: bool | None
    covered_sources: list[str]
    covered_targets: list[str]
    actors: list[str]

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "gold_type": self.gold_type,
            "predicted_types": self.predicted_types,
            "events": self.events,
            "events_of_gold_type": self.events_of_gold_type,
            "found": self.found,
            "source_codes": self.source_codes,
            "target_codes": self.target_codes,
            "source_ok": self.source_ok,
            "target_ok": self.target_ok,
            "covered_sources": self.covered_sources,
            "covered_targets": self.covered_targets,
            "actors": self.actors,
        }


@dataclass
class TypeScore(PRF):
    """Per-type counts over records: tp = gold type found, fp = predicted in a record
    of another gold type, fn = gold type not found; P/R/F1 as for PolNeAR."""

    @property
    def support(self) -> int:
        return self.tp + self.fn

    def to_dict(self) -> dict[str, Any]:
        return {"support": self.support, **super().to_dict()}


def _share(n: int, d: int) -> float:
    return n / d if d else 0.0


@dataclass
class PloverReport:
    records: list[RecordScore] = field(default_factory=list)
    per_type: dict[str, TypeScore] = field(default_factory=dict)

    # -- event type ---------------------------------------------------------------

    @property
    def total(self) -> int:
        return len(self.records)

    @property
    def found(self) -> int:
        return sum(r.found for r in self.records)

    @property
    def type_accuracy(self) -> float:
        return _share(self.found, self.total)

    @property
    def macro_f1(self) -> float:
        """Mean F1 over every type that is gold or predicted somewhere: a type the
        coder invents for sentences that never carry it scores 0 and pulls it down."""
        scores = [t.f1 for t in self.per_type.values()]
        return sum(scores) / len(scores) if scores else 0.0

    @property
    def predicted_events(self) -> int:
        return sum(r.events for r in self.records)

    @property
    def events_of_gold_type(self) -> int:
        return sum(r.events_of_gold_type for r in self.records)

    @property
    def event_precision(self) -> float:
        """Share of all predicted events whose type is their record's gold type."""
        return _share(self.events_of_gold_type, self.predicted_events)

    # -- roles among found ------------------------------------------------------

    def _role_counts(self, attr: str) -> tuple[int, int]:
        scored = [getattr(r, attr) for r in self.records if getattr(r, attr) is not None]
        return sum(scored), len(scored)

    @property
    def source_accuracy(self) -> float:
        return _share(*self._role_counts("source_ok"))

    @property
    def target_accuracy(self) -> float:
        return _share(*self._role_counts("target_ok"))

    # -- actor coverage ---------------------------------------------------------

    def coverage_counts(self, role: str | None = None) -> tuple[int, int]:
        """(covered, gold) codes for ``source``, ``target`` or both (None)."""
        covered = gold = 0
        for r in self.records:
            if role in (None, "source"):
                covered += len(r.covered_sources)
                gold += len(r.source_codes)
            if role in (None, "target"):
                covered += len(r.covered_targets)
                gold += len(r.target_codes)
        return covered, gold

    def coverage(self, role: str | None = None) -> float:
        return _share(*self.coverage_counts(role))

    def missed_codes(self) -> Counter[str]:
        """Gold codes no actor carried, most frequent first: what the actors stage lacks."""
        missed: Counter[str] = Counter()
        for r in self.records:
            missed.update(c for c in r.source_codes if c not in r.covered_sources)
            missed.update(c for c in r.target_codes if c not in r.covered_targets)
        return missed

    # -- output -----------------------------------------------------------------

    def to_dict(self) -> dict[str, Any]:
        src, src_n = self._role_counts("source_ok")
        tgt, tgt_n = self._role_counts("target_ok")
        return {
            "records": self.total,
            "event_type": {
                "found": self.found,
                "accuracy": self.type_accuracy,
                "macro_f1": self.macro_f1,
                "predicted_events": self.predicted_events,
                "events_of_gold_type": self.events_of_gold_type,
                "event_precision": self.event_precision,
                "per_type": {t: s.to_dict() for t, s in sorted(self.per_type.items())},
            },
            "roles_among_found": {
                "source": {"ok": src, "scored": src_n, "accuracy": self.source_accuracy},
                "target": {"ok": tgt, "scored": tgt_n, "accuracy": self.target_accuracy},
            },
            "actor_coverage": {
                role or "overall": {
                    "covered": self.coverage_counts(role)[0],
                    "gold": self.coverage_counts(role)[1],
                    "share": self.coverage(role),
                }
                for role in ("source", "target", None)
            },
            "missed_codes": dict(self.missed_codes().most_common()),
            "per_record": [r.to_dict() for r in self.records],
        }

    def format_table(self) -> str:
        src, src_n = self._role_counts("source_ok")
        tgt, tgt_n = self._role_counts("target_ok")
        lines = [
            f"PLOVER records {self.total}",
            "",
            "event type",
            f"  found (accuracy)          {self.type_accuracy:.3f}   ({self.found}/{self.total})",
            f"  macro-F1 over types       {self.macro_f1:.3f}",
            f"  events of the gold type   {self.event_precision:.3f}"
            f"   ({self.events_of_gold_type}/{self.predicted_events} predicted events)",
            "",
            f"  {'type':<11}{'gold':>5}{'found':>7}{'recall':>8}{'prec':>7}{'F1':>7}{'fp':>5}",
        ]
        for name, t in sorted(self.per_type.items()):
            lines.append(
                f"  {name:<11}{t.support:>5}{t.tp:>7}{t.recall:>8.3f}"
                f"{t.precision:>7.3f}{t.f1:>7.3f}{t.fp:>5}"
            )
        lines += [
            "",
            "roles, among records whose type is found",
            f"  actor carries a gold source code   {self.source_accuracy:.3f}   ({src}/{src_n})",
            f"  target carries a gold target code  {self.target_accuracy:.3f}   ({tgt}/{tgt_n})",
            "",
            "actor coverage (gold codes carried by any extracted actor)",
        ]
        for role in ("source", "target", None):
            covered, gold = self.coverage_counts(role)
            lines.append(
                f"  {role or 'overall':<8}{self.coverage(role):>7.3f}   ({covered}/{gold})"
            )
        missed = self.missed_codes()
        if missed:
            top = ", ".join(f"{c} {n}" for c, n in missed.most_common(12))
            lines.append(f"  most missed: {top}")
        return "\n".join(lines)


def score_record(record: PloverRecord, extraction: Extraction) -> RecordScore:
    events = [e for e in extraction.events if e.get("type")]
    types = [str(e["type"]).upper() for e in events]
    of_gold = [e for e, t in zip(events, types, strict=True) if t == record.event]
    sources, targets = record.codes("source"), record.codes("target")

    source_ok: bool | None = None
    target_ok: bool | None = None
    if of_gold:

        def roles(ev: Mapping[str, Any]) -> tuple[bool, bool]:
            return (
                _carries_any(extraction.actor(ev.get("actor")), sources),
                _carries_any(extraction.actor(ev.get("target")), targets),
            )

        best = max((roles(e) for e in of_gold), key=lambda ok: (ok[0] + ok[1], ok[0]))
        source_ok = best[0] if sources else None
        target_ok = best[1] if targets else None

    def covered(codes: Iterable[str]) -> list[str]:
        return [c for c in codes if any(actor_carries(a, c) for a in extraction.actors)]

    return RecordScore(
        id=record.id,
        gold_type=record.event,
        predicted_types=sorted(set(types)),
        events=len(events),
        events_of_gold_type=len(of_gold),
        found=bool(of_gold),
        source_codes=sources,
        target_codes=targets,
        source_ok=source_ok,
        target_ok=target_ok,
        covered_sources=covered(sources),
        covered_targets=covered(targets),
        actors=[
            f"{a.name} [{a.type}{'/' + a.country if a.country else ''}]" for a in extraction.actors
        ],
    )


def score(records: Sequence[PloverRecord], extractions: Mapping[str, Extraction]) -> PloverReport:
    """Score extractions keyed by record id; a record without one counts as nothing found."""
    report = PloverReport()
    for rec in records:
        ex = extractions.get(rec.id) or Extraction(document=Document(name=rec.id, text=rec.text))
        rs = score_record(rec, ex)
        report.records.append(rs)
        gold = report.per_type.setdefault(rec.event, TypeScore())
        if rs.found:
            gold.tp += 1
        else:
            gold.fn += 1
        for t in rs.predicted_types:
            if t != rec.event:
                report.per_type.setdefault(t, TypeScore()).fp += 1
    return report


def _documents(records: Iterable[PloverRecord]) -> Iterator[Document]:
    for rec in records:
        yield Document(name=rec.id, text=rec.text, published=rec.date)


def run_extractor(
    records: Sequence[PloverRecord],
    extractor: SupportsExtractMany,
    *,
    progress: Callable[[int, int], None] | None = None,
) -> dict[str, Extraction]:
    """Each sentence as its own document, named by its record id to tie it back."""
    wanted = {r.id for r in records}
    out: dict[str, Extraction] = {}
    for ex in extractor.extract_many(_documents(records)):
        if ex.document.name not in wanted:
            raise EvaluationDataError(f"extractor returned unknown document {ex.document.name!r}")
        out[ex.document.name] = ex
        if progress is not None:
            progress(len(out), len(records))
    return out


def evaluate_plover(
    path: str | Path,
    extractor: SupportsExtractMany,
    *,
    limit: int | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> PloverReport:
    records = load_records(path, limit=limit)
    return score(records, run_extractor(records, extractor, progress=progress))


__all__ = [
    "CAMEO_QUIRKS",
    "GROUP_CODES",
    "PLOVER_05_TO_20",
    "GoldActor",
    "PloverRecord",
    "PloverReport",
    "RecordScore",
    "TypeScore",
    "actor_carries",
    "evaluate_plover",
    "load_records",
    "normalise_code",
    "parse_records",
    "run_extractor",
    "score",
    "score_record",
]
