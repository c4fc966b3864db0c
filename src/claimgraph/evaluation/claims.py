"""Score claim threads and contested claims against a hand-made multi-article gold.

The gold (``examples/gold/story.gold.json`` is the bundled one) lists threads, each
with its mentions (document, an exact quote, voice, stance), and contested items
(thread, kind, the voices on each side). The articles are run through the real
pipeline into a real store; then:

- **Thread clustering**, B-cubed over gold mentions: a mention is the claim of the
  gold type inside its quote (object class preferred); its predicted cluster is that
  claim's thread. Over *all* gold mentions, one no claim covers is a cluster of its
  own, so missing it costs recall (end to end: extraction and clustering); over the
  *covered* mentions only, the score is that of the grouping itself. Pairwise
  precision/recall are reported too (large threads weigh more there).
- **Contested detection**: a predicted contested item matches a gold one when it is
  of the same kind, on the predicted thread most of the gold thread's mentions went
  to, with at least one gold voice on each side. Precision over predicted items,
  recall over gold items; side recall says how many gold voices were found.
- **Near-duplicates**: the gold wire groups against the store's groups (pairwise).
"""

from __future__ import annotations

import contextlib
import json
import re
import tempfile
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from claimgraph.errors import EvaluationDataError


@dataclass(frozen=True)
class PRF:
    """Precision and recall as rates (B-cubed averages are not counts)."""

    precision: float
    recall: float

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def to_dict(self) -> dict[str, float]:
        return {"precision": self.precision, "recall": self.recall, "f1": self.f1}


@dataclass
class ClaimsReport:
    documents: int
    mentions: int
    mentions_found: int
    bcubed: PRF
    bcubed_covered: PRF
    pairwise: PRF
    contested: PRF
    side_voices_found: int
    side_voices: int
    predicted_contested: list[dict[str, Any]] = field(default_factory=list)
    unmatched_gold: list[str] = field(default_factory=list)
    duplicates: PRF = field(default_factory=lambda: PRF(0.0, 0.0))

    def to_dict(self) -> dict[str, Any]:
        out = asdict(self)
        for key in ("bcubed", "bcubed_covered", "pairwise", "contested", "duplicates"):
            out[key] = getattr(self, key).to_dict()
        return out

    def format_table(self) -> str:
        def row(name: str, prf: PRF) -> str:
            return f"{name:<28} P {prf.precision:.3f}  R {prf.recall:.3f}  F1 {prf.f1:.3f}"

        lines = [
            f"documents {self.documents}; gold mentions {self.mentions}, "
            f"covered by a claim of the gold type {self.mentions_found}",
            row("threads (B-cubed, all)", self.bcubed),
            row("threads (B-cubed, covered)", self.bcubed_covered),
            row("threads (pairwise)", self.pairwise),
            row("contested items", self.contested),
            row("near-duplicate pairs", self.duplicates),
            f"gold side voices found: {self.side_voices_found}/{self.side_voices}",
        ]
        if self.unmatched_gold:
            lines.append("gold contested items not found: " + ", ".join(self.unmatched_gold))
        wrong = [c for c in self.predicted_contested if not c["matched"]]
        for c in wrong:
            lines.append(
                f"unmatched prediction: {c['proposition']} [{c['kind']}] "
                f"{'/'.join(c['affirm'])} vs {'/'.join(c['deny'])}"
            )
        return "\n".join(lines)


def _prf(tp: float, n_pred: float, n_gold: float) -> PRF:
    return PRF(tp / n_pred if n_pred else 0.0, tp / n_gold if n_gold else 0.0)


_PAREN = re.compile(r"\([^)]*\)")
_NOISE = frozenset("the a an of u.s. us".split())


def voice_matches(predicted: str, gold: str) -> bool:
    """Loose name match: "Iranian officials" = "Iranian officials (unnamed)", "Kirby" =
    "John Kirby", "EU" = "European Union"."""

    def words(name: str) -> set[str]:
        name = _PAREN.sub(" ", name.lower())
        name = name.replace("european union", "eu").replace("’", "'")
        return {w.strip(".,'") for w in name.split()} - _NOISE - {""}

    p, g = words(predicted), words(gold)
    if not p or not g:
        return False
    return p <= g or g <= p


def resolve_gold_path(name: str, base: Path) -> tuple[Path, int | None]:
    """ "examples/story.jsonl:3" -> (base/examples/story.jsonl, 3)."""
    m = re.match(r"^(.*\.(?:jsonl|ndjson)):(\d+)$", name)
    if m:
        return base / m.group(1), int(m.group(2))
    return base / name, None


def evaluate_claims(
    gold_file: Path,
    *,
    base: Path | None = None,
    store_url: str | None = None,
    ingest: Callable[[list[str], Any], Any] | None = None,
) -> ClaimsReport:
    """Ingest the gold's documents into a fresh store and score threads and contested
    claims. ``base`` is where the gold's document names are relative to (default: the
    first of the current directory and the gold file's ancestors that holds them)."""
    from claimgraph.store import open_store

    try:
        gold = json.loads(Path(gold_file).read_text("utf-8"))
    except (OSError, ValueError) as exc:
        raise EvaluationDataError(f"cannot read claims gold {gold_file}: {exc}") from exc
    names: list[str] = list(gold.get("documents") or [])
    if not names:
        raise EvaluationDataError(f"{gold_file}: no documents listed")
    if base is None:
        candidates = [Path.cwd(), *Path(gold_file).resolve().parents]
        base = next(
            (b for b in candidates if resolve_gold_path(names[0], b)[0].is_file()), Path.cwd()
        )
    files = sorted({str(resolve_gold_path(n, base)[0]) for n in names})
    for f in files:
        if not Path(f).is_file():
            raise EvaluationDataError(f"{gold_file}: document file {f} not found")
    with tempfile.TemporaryDirectory(prefix="claimgraph-eval-") as tmp:
        url = store_url or f"sqlite:///{Path(tmp) / 'claims.db'}"
        with open_store(url) as store:
            if ingest is None:
                from claimgraph.batch import ingest_paths

                ingest_paths(files, store, workers=1)
            else:
                ingest(files, store)
            store.build_threads()
            return _score(gold, names, base, store)


def _score(gold: dict[str, Any], names: list[str], base: Path, store: Any) -> ClaimsReport:
    # stored documents by gold name
    by_name: dict[str, Any] = {}
    for d in store.documents():
        rel = Path(d.name)
        with contextlib.suppress(ValueError):  # a name outside base stays as given
            rel = rel.resolve().relative_to(base.resolve())
        label = str(rel).replace("\\", "/")
        m = re.match(r"^(.*\.(?:jsonl|ndjson))$", label.split(":")[0])
        if m and ":" in d.name:
            label = f"{label.split(':')[0]}:{d.name.rsplit(':', 1)[1]}"
        by_name[label] = d
    missing = [n for n in names if n not in by_name]
    if missing:
        raise EvaluationDataError(f"documents not stored: {', '.join(missing[:5])}")
    index = store.claim_index()
    claims_by_doc: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for c in index:
        claims_by_doc[c["document"]].append(c)
    texts = {n: store.get_document(by_name[n].id).text for n in names}

    # 1. mentions -> predicted threads
    mention_gold: list[str] = []
    mention_pred: list[str | None] = []
    for th in gold["threads"]:
        for m in th["mentions"]:
            doc = by_name[m["document"]]
            text = texts[m["document"]]
            qs = text.find(m["quote"])
            if qs < 0:
                raise EvaluationDataError(f"quote not in {m['document']}: {m['quote'][:60]!r}")
            qe = qs + len(m["quote"])
            cands = [
                c
                for c in claims_by_doc[doc.id]
                if c["evidence_start"] < qe
                and qs < c["evidence_end"]
                and c["thread"]
                and (th["type"] == "STATEMENT" or c["type"] == th["type"])
            ]
            cands.sort(key=lambda c: (c["object"] != th.get("object"), c["evidence_start"]))
            mention_gold.append(th["id"])
            mention_pred.append(cands[0]["thread"] if cands else None)
    n = len(mention_gold)
    pred_ids = [p if p is not None else f"missing-{i}" for i, p in enumerate(mention_pred)]
    gold_size = Counter(mention_gold)
    pred_size = Counter(pred_ids)
    both = Counter(zip(mention_gold, pred_ids, strict=True))
    precision = sum(
        both[(g, p)] / pred_size[p] for g, p in zip(mention_gold, pred_ids, strict=True)
    )
    recall = sum(both[(g, p)] / gold_size[g] for g, p in zip(mention_gold, pred_ids, strict=True))
    bcubed = PRF(precision / n if n else 0.0, recall / n if n else 0.0)
    # clustering alone: the mentions some claim covers, grouped as the store grouped them
    covered = [(g, p) for g, p in zip(mention_gold, mention_pred, strict=True) if p is not None]
    c_gold = Counter(g for g, _ in covered)
    c_pred = Counter(p for _, p in covered)
    c_both = Counter(covered)
    nc = len(covered)
    bcubed_covered = PRF(
        sum(c_both[x] / c_pred[x[1]] for x in covered) / nc if nc else 0.0,
        sum(c_both[x] / c_gold[x[0]] for x in covered) / nc if nc else 0.0,
    )
    same_pred = same_gold = same_both = 0
    for i in range(n):
        for j in range(i + 1, n):
            g = mention_gold[i] == mention_gold[j]
            p = pred_ids[i] == pred_ids[j]
            same_gold += g
            same_pred += p
            same_both += g and p
    pairwise = _prf(same_both, same_pred, same_gold)

    # the predicted thread each gold thread became: where most of its mentions went
    thread_of: dict[str, str | None] = {}
    for th in gold["threads"]:
        went = Counter(
            p for g, p in zip(mention_gold, mention_pred, strict=True) if g == th["id"] and p
        )
        thread_of[th["id"]] = went.most_common(1)[0][0] if went else None

    # 2. contested
    predicted = store.contested()
    matched_gold: set[str] = set()
    rows = []
    side_found = side_total = 0
    for k in gold["contested"]:
        side_total += len(k["affirm"]) + len(k["deny"])
    for c in predicted:
        hit = None
        for k in gold["contested"]:
            if k["id"] in matched_gold or k.get("kind", "polarity") != c.kind:
                continue
            if thread_of.get(k["thread"]) != c.thread:
                continue
            aff = any(voice_matches(v.name, g) for v in c.affirm for g in k["affirm"])
            den = any(voice_matches(v.name, g) for v in c.deny for g in k["deny"])
            if aff and den:
                hit = k
                break
        if hit is not None:
            matched_gold.add(hit["id"])
            side_found += sum(
                any(voice_matches(v.name, g) for v in c.affirm) for g in hit["affirm"]
            ) + sum(any(voice_matches(v.name, g) for v in c.deny) for g in hit["deny"])
        rows.append(
            {
                "proposition": c.proposition,
                "kind": c.kind,
                "thread": c.thread,
                "affirm": [v.name for v in c.affirm],
                "deny": [v.name for v in c.deny],
                "matched": hit["id"] if hit else None,
            }
        )
    contested = _prf(len(matched_gold), len(predicted), len(gold["contested"]))

    # 3. near-duplicates, pairwise over documents
    groups = store.document_groups()
    gold_pairs = set()
    for grp in gold.get("wire_groups") or []:
        ids = sorted(by_name[x].id for x in grp)
        gold_pairs |= {(a, b) for i, a in enumerate(ids) for b in ids[i + 1 :]}
    members: dict[str, list[str]] = defaultdict(list)
    for doc_id, grp in groups.items():
        members[grp].append(doc_id)
    pred_pairs = set()
    for ids in members.values():
        ids.sort()
        pred_pairs |= {(a, b) for i, a in enumerate(ids) for b in ids[i + 1 :]}
    dup = _prf(len(gold_pairs & pred_pairs), len(pred_pairs), len(gold_pairs))
    if not gold_pairs and not pred_pairs:
        dup = PRF(1.0, 1.0)

    return ClaimsReport(
        documents=len(names),
        mentions=n,
        mentions_found=sum(p is not None for p in mention_pred),
        bcubed=bcubed,
        bcubed_covered=bcubed_covered,
        pairwise=pairwise,
        contested=contested,
        side_voices_found=side_found,
        side_voices=side_total,
        predicted_contested=rows,
        unmatched_gold=[k["id"] for k in gold["contested"] if k["id"] not in matched_gold],
        duplicates=dup,
    )
