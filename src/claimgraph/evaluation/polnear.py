"""Score attribution extraction against the PolNeAR corpus (brat standoff).

The scores follow the corpus README in ``shared/eval`` so our numbers can be set
beside published ones: per-role character P/R/F1 over non-space characters,
per-role exact-span P/R/F1, and relation P/R/F1 (cue overlap + content Dice >= 0.5,
greedy one-to-one) with the share of matches whose sources also agree.

The report keeps the gold and the predictions so that :func:`diagnose` can show the
attribution engineer what was missed and what was invented, document by document,
without re-running the pipeline.
"""

from __future__ import annotations

import csv
import logging
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from claimgraph.errors import EvaluationDataError
from claimgraph.model import Attribution, Document, Extraction, TextSpan

log = logging.getLogger(__name__)

Fragment = tuple[int, int]
Span = tuple[Fragment, ...]
ROLES = ("source", "cue", "content")

_ROLE_RE = re.compile(r"^(Source|Cue|Content)\d*$")
_ID_RE = re.compile(r"^[TEARMN#]\d*\t")
_TRIGGER_LABELS = frozenset({"Attribution", "Attribution-no-source"})
_NOTE_LABELS = frozenset({"Discard", "Discuss"})


class SupportsExtractMany(Protocol):
    """Anything that turns documents into extractions; lets rule variants be scored too."""

    def extract_many(self, docs: Iterable[Document]) -> Iterable[Extraction]: ...


# --------------------------------------------------------------------------- gold


@dataclass(frozen=True)
class GoldAttribution:
    """One ``E`` line. Spans are fragment tuples; an absent source is ``()``."""

    id: str
    label: str
    source: Span
    cue: Span
    content: Span

    def span(self, role: str) -> Span:
        return {"source": self.source, "cue": self.cue, "content": self.content}[role]


@dataclass(frozen=True)
class TextMismatch:
    """A T line whose text disagrees with the article: a sign of wrong decoding or offsets."""

    tid: str
    start: int
    end: int
    annotated: str
    actual: str


@dataclass
class GoldDocument:
    name: str
    text: str
    ann_file: str
    attributions: list[GoldAttribution] = field(default_factory=list)
    mismatches: list[TextMismatch] = field(default_factory=list)


def _parse_fragments(spec: str, where: str) -> Span:
    frags: list[Fragment] = []
    for part in spec.split(";"):
        bits = part.split()
        if len(bits) != 2:
            raise EvaluationDataError(f"{where}: bad offsets {spec!r}")
        try:
            frags.append((int(bits[0]), int(bits[1])))
        except ValueError as exc:
            raise EvaluationDataError(f"{where}: bad offsets {spec!r}") from exc
    return tuple(frags)


def parse_ann(name: str, text: str, ann: str, ann_file: str = "") -> GoldDocument:
    """Parse one brat file against its text; exposed so tests and tools need no folder."""
    tspans: dict[str, tuple[str, Span, str]] = {}
    elines: list[tuple[str, list[tuple[str, str]], str]] = []
    where_file = ann_file or name
    last_t: str | None = None
    for lineno, raw in enumerate(ann.split("\n"), 1):
        line = raw.rstrip("\r")
        where = f"{where_file}:{lineno}"
        if not _ID_RE.match(line):
            # brat writes a span's text verbatim, so a text with newlines runs on.
            if last_t is not None:
                label, frags, annotated = tspans[last_t]
                tspans[last_t] = (label, frags, annotated + "\n" + line)
            elif line.strip():
                log.debug("%s: ignoring stray line", where)
            continue
        cols = line.split("\t")
        last_t = cols[0] if line.startswith("T") else None
        if line.startswith("T"):
            if len(cols) < 2:
                raise EvaluationDataError(f"{where}: malformed T line")
            label, _, offsets = cols[1].partition(" ")
            tspans[cols[0]] = (label, _parse_fragments(offsets, where), "\t".join(cols[2:]))
        elif line.startswith("E"):
            if len(cols) < 2:
                raise EvaluationDataError(f"{where}: malformed E line")
            args = []
            for arg in cols[1].split():
                role, sep, ref = arg.partition(":")
                if not sep:
                    raise EvaluationDataError(f"{where}: malformed E argument {arg!r}")
                args.append((role, ref))
            elines.append((cols[0], args, where))
        # A (attributes), R, #, N lines carry nothing the scores use.

    doc = GoldDocument(name=name, text=text, ann_file=ann_file)
    for tid, (_label, frags, annotated) in tspans.items():
        if len(frags) == 1:
            s, e = frags[0]
            actual = text[s:e]
            # Blank lines after a T line read as run-on text; they are not part of it.
            if actual.rstrip("\r\n") != annotated.rstrip("\r\n"):
                doc.mismatches.append(TextMismatch(tid, s, e, annotated, actual))

    for eid, args, where in elines:
        roles: dict[str, list[Fragment]] = {"source": [], "cue": [], "content": []}
        label = ""
        trigger: Span = ()
        for role, ref in args:
            if ref not in tspans:
                raise EvaluationDataError(f"{where}: {eid} refers to undefined {ref}")
            frags = tspans[ref][1]
            if role in _TRIGGER_LABELS:
                label, trigger = role, frags
            elif m := _ROLE_RE.match(role):
                roles[m.group(1).lower()].extend(frags)
            elif role in _NOTE_LABELS:
                continue
            else:
                log.debug("%s: ignoring role %s", where, role)
        if not label:
            # Discard/Discuss events and the like are notes, not attributions.
            continue
        # A cue-less relation would be unmatchable; the trigger marks the same words.
        cue = roles["cue"] or list(trigger)
        doc.attributions.append(
            GoldAttribution(
                id=eid,
                label=label,
                source=_canon(roles["source"]),
                cue=_canon(cue),
                content=_canon(roles["content"]),
            )
        )
    return doc


def _canon(frags: Iterable[Fragment]) -> Span:
    return tuple(sorted(set(frags)))


def read_text(path: Path) -> str:
    """Decode exactly as the corpus offsets expect: UTF-8, no newline translation."""
    try:
        return path.read_bytes().decode("utf-8")
    except UnicodeDecodeError as exc:
        raise EvaluationDataError(f"{path}: not UTF-8 ({exc})") from exc


def load_gold(directory: str | Path, *, limit: int | None = None) -> dict[str, GoldDocument]:
    """Read a PolNeAR split; the first annotator file in sorted order is the gold."""
    root = Path(directory)
    text_dir, ann_dir = root / "text", root / "attributions"
    if not text_dir.is_dir() or not ann_dir.is_dir():
        raise EvaluationDataError(f"{root}: expected text/ and attributions/ subfolders")
    ann_by_name: dict[str, list[Path]] = {}
    for ann in sorted(ann_dir.glob("*.ann")):
        stem, sep, _annotator = ann.stem.rpartition("_")
        if sep:
            ann_by_name.setdefault(stem, []).append(ann)
    gold: dict[str, GoldDocument] = {}
    total_mismatches = 0
    for txt in sorted(text_dir.glob("*.txt")):
        if limit is not None and len(gold) >= limit:
            break
        name = txt.stem
        anns = ann_by_name.get(name)
        if not anns:
            raise EvaluationDataError(f"{txt}: no annotation file in {ann_dir}")
        ann_path = anns[0]
        text = read_text(txt)
        try:
            ann_text = ann_path.read_bytes().decode("utf-8")
        except UnicodeDecodeError as exc:
            raise EvaluationDataError(f"{ann_path}: not UTF-8 ({exc})") from exc
        doc = parse_ann(name, text, ann_text, ann_path.name)
        total_mismatches += len(doc.mismatches)
        gold[name] = doc
    if not gold:
        raise EvaluationDataError(f"{text_dir}: no .txt files")
    if total_mismatches:
        log.warning("%s: %d annotated span texts differ from the article", root, total_mismatches)
    return gold


def gold_mismatches(gold: Mapping[str, GoldDocument]) -> int:
    return sum(len(d.mismatches) for d in gold.values())


def load_metadata(path: str | Path) -> dict[str, dict[str, str]]:
    """``metadata.tsv`` rows by file name, so documents can carry title/date/outlet."""
    p = Path(path)
    if not p.is_file():
        return {}
    with p.open(encoding="utf-8", newline="") as fh:
        return {row["filename"]: row for row in csv.DictReader(fh, delimiter="\t")}


# --------------------------------------------------------------------------- spans


def attribution_span(span: TextSpan | None) -> Span:
    """A predicted span as fragments: ``fragments`` when given, else its one interval."""
    if span is None:
        return ()
    if span.fragments:
        return _canon(span.fragments)
    return ((span.start, span.end),)


def pred_spans(a: Attribution) -> dict[str, Span]:
    return {
        "source": attribution_span(a.source),
        "cue": attribution_span(a.cue),
        "content": attribution_span(a.content),
    }


def chars(span: Span, text: str) -> set[int]:
    """Non-space character indices: whitespace inside spans is not a labelling decision."""
    n = len(text)
    out: set[int] = set()
    for s, e in span:
        for i in range(max(0, s), min(e, n)):
            if not text[i].isspace():
                out.add(i)
    return out


def raw_chars(span: Span) -> set[int]:
    out: set[int] = set()
    for s, e in span:
        out.update(range(s, e))
    return out


def trim_span(span: Span, text: str) -> Span:
    """Exact-span identity ignores whitespace at fragment edges, which annotators vary on."""
    out: list[Fragment] = []
    for s, e in span:
        s, e = max(0, s), min(e, len(text))
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if s < e:
            out.append((s, e))
    return _canon(out)


def dice(a: set[int], b: set[int]) -> float:
    """Two empty contents count as identical (1.0): the gold has a few content-less
    relations, and the gold must still match itself perfectly."""
    return 2 * len(a & b) / (len(a) + len(b)) if a or b else 1.0


def _dice_ok(a: set[int], b: set[int]) -> bool:
    # Integer form of 2|A∩B|/(|A|+|B|) >= 0.5, so the boundary is exact.
    return 4 * len(a & b) >= len(a) + len(b)


# --------------------------------------------------------------------------- scores


@dataclass
class PRF:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        """0.0 when nothing was predicted: an empty output should not look perfect."""
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def add(self, other: PRF) -> None:
        self.tp += other.tp
        self.fp += other.fp
        self.fn += other.fn

    def to_dict(self) -> dict[str, Any]:
        return {
            "tp": self.tp,
            "fp": self.fp,
            "fn": self.fn,
            "precision": self.precision,
            "recall": self.recall,
            "f1": self.f1,
        }


def _set_prf(pred: set[Any], gold: set[Any]) -> PRF:
    return PRF(len(pred & gold), len(pred - gold), len(gold - pred))


@dataclass(frozen=True)
class Match:
    gold: int  # index into GoldDocument.attributions
    pred: int  # index into the document's predictions
    dice: float
    source_agrees: bool


def sources_agree(gold: Span, pred: Span) -> bool:
    """Both absent agrees; one absent disagrees; otherwise they must share a character."""
    if not gold and not pred:
        return True
    if not gold or not pred:
        return False
    return bool(raw_chars(gold) & raw_chars(pred))


def match_relations(
    gold: Sequence[Mapping[str, Span]], pred: Sequence[Mapping[str, Span]], text: str
) -> list[Match]:
    """Greedy one-to-one matching by content Dice, as the corpus scores relations.

    Used by the seed scorer as well, so both speak of the same "found".
    """
    gold_cue = [raw_chars(g["cue"]) for g in gold]
    gold_con = [chars(g["content"], text) for g in gold]
    pred_cue = [raw_chars(p["cue"]) for p in pred]
    pred_con = [chars(p["content"], text) for p in pred]
    cands: list[tuple[float, int, int]] = []
    for gi in range(len(gold)):
        for pi in range(len(pred)):
            if gold_cue[gi] & pred_cue[pi] and _dice_ok(gold_con[gi], pred_con[pi]):
                cands.append((dice(gold_con[gi], pred_con[pi]), gi, pi))
    cands.sort(key=lambda c: (-c[0], c[1], c[2]))
    used_g: set[int] = set()
    used_p: set[int] = set()
    out: list[Match] = []
    for d, gi, pi in cands:
        if gi in used_g or pi in used_p:
            continue
        used_g.add(gi)
        used_p.add(pi)
        out.append(Match(gi, pi, d, sources_agree(gold[gi]["source"], pred[pi]["source"])))
    out.sort(key=lambda m: m.gold)
    return out


@dataclass
class DocumentScore:
    """Per-document counts, for finding the articles where the rules go wrong."""

    name: str
    relation: PRF
    matches: list[Match]
    missed: list[int]  # gold indices
    spurious: list[int]  # prediction indices
    char: dict[str, PRF]
    exact: dict[str, PRF]

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "relation": self.relation.to_dict(),
            "source_agree": sum(m.source_agrees for m in self.matches),
            "char": {r: v.to_dict() for r, v in self.char.items()},
            "exact": {r: v.to_dict() for r, v in self.exact.items()},
        }


def _gold_spans(g: GoldAttribution) -> dict[str, Span]:
    return {"source": g.source, "cue": g.cue, "content": g.content}


def score_document(doc: GoldDocument, preds: Sequence[Attribution]) -> DocumentScore:
    text = doc.text
    gspans = [_gold_spans(g) for g in doc.attributions]
    pspans = [pred_spans(p) for p in preds]
    char: dict[str, PRF] = {}
    exact: dict[str, PRF] = {}
    for role in ROLES:
        gchars: set[int] = set()
        pchars: set[int] = set()
        for g in gspans:
            gchars |= chars(g[role], text)
        for p in pspans:
            pchars |= chars(p[role], text)
        char[role] = _set_prf(pchars, gchars)
        gex = {t for g in gspans if (t := trim_span(g[role], text))}
        pex = {t for p in pspans if (t := trim_span(p[role], text))}
        exact[role] = _set_prf(pex, gex)
    matches = match_relations(gspans, pspans, text)
    mg = {m.gold for m in matches}
    mp = {m.pred for m in matches}
    missed = [i for i in range(len(gspans)) if i not in mg]
    spurious = [i for i in range(len(pspans)) if i not in mp]
    return DocumentScore(
        name=doc.name,
        relation=PRF(len(matches), len(spurious), len(missed)),
        matches=matches,
        missed=missed,
        spurious=spurious,
        char=char,
        exact=exact,
    )


@dataclass
class PolnearReport:
    char: dict[str, PRF]
    exact: dict[str, PRF]
    relation: PRF
    source_agree: int
    documents: int
    gold_attributions: int
    pred_attributions: int
    text_mismatches: int
    per_document: dict[str, DocumentScore]
    # Kept for diagnose(); not part of to_dict().
    gold: dict[str, GoldDocument] = field(default_factory=dict, repr=False)
    predictions: dict[str, list[Attribution]] = field(default_factory=dict, repr=False)

    @property
    def source_agreement(self) -> float:
        return self.source_agree / self.relation.tp if self.relation.tp else 0.0

    def to_dict(self) -> dict[str, Any]:
        return {
            "char": {r: v.to_dict() for r, v in self.char.items()},
            "exact": {r: v.to_dict() for r, v in self.exact.items()},
            "relation": self.relation.to_dict(),
            "source_agreement": self.source_agreement,
            "source_agree": self.source_agree,
            "documents": self.documents,
            "gold_attributions": self.gold_attributions,
            "pred_attributions": self.pred_attributions,
            "text_mismatches": self.text_mismatches,
            "per_document": {n: d.to_dict() for n, d in self.per_document.items()},
        }

    def format_table(self) -> str:
        lines = [
            f"{'role':<9}{'char P':>8}{'char R':>8}{'char F1':>8}   "
            f"{'exact P':>8}{'exact R':>8}{'exact F1':>9}",
        ]
        for role in ROLES:
            c, e = self.char[role], self.exact[role]
            lines.append(
                f"{role:<9}{c.precision:>8.3f}{c.recall:>8.3f}{c.f1:>8.3f}   "
                f"{e.precision:>8.3f}{e.recall:>8.3f}{e.f1:>9.3f}"
            )
        r = self.relation
        lines += [
            "",
            f"relation  P {r.precision:.3f}  R {r.recall:.3f}  F1 {r.f1:.3f}"
            f"   (tp {r.tp}, fp {r.fp}, fn {r.fn})",
            f"source agreement among matches  {self.source_agreement:.3f}"
            f"   ({self.source_agree}/{r.tp})",
            f"documents {self.documents}   gold attributions {self.gold_attributions}"
            f"   predicted attributions {self.pred_attributions}",
        ]
        if self.text_mismatches:
            lines.append(f"gold span texts not matching the article: {self.text_mismatches}")
        return "\n".join(lines)

    def worst_documents(self, n: int = 10) -> list[DocumentScore]:
        """Documents with the most relation errors first: where to look next."""
        return sorted(
            self.per_document.values(), key=lambda d: (-(d.relation.fp + d.relation.fn), d.name)
        )[:n]


def score(
    gold: Mapping[str, GoldDocument], predictions: Mapping[str, Sequence[Attribution]]
) -> PolnearReport:
    """Score predictions keyed like ``gold``; a gold document without predictions scores empty."""
    unknown = set(predictions) - set(gold)
    if unknown:
        raise EvaluationDataError(f"predictions for documents not in the gold: {sorted(unknown)}")
    char = {r: PRF() for r in ROLES}
    exact = {r: PRF() for r in ROLES}
    relation = PRF()
    per_doc: dict[str, DocumentScore] = {}
    agree = n_pred = n_gold = 0
    kept: dict[str, list[Attribution]] = {}
    for name, doc in gold.items():
        preds = list(predictions.get(name, []))
        kept[name] = preds
        ds = score_document(doc, preds)
        per_doc[name] = ds
        for role in ROLES:
            char[role].add(ds.char[role])
            exact[role].add(ds.exact[role])
        relation.add(ds.relation)
        agree += sum(m.source_agrees for m in ds.matches)
        n_pred += len(preds)
        n_gold += len(doc.attributions)
    return PolnearReport(
        char=char,
        exact=exact,
        relation=relation,
        source_agree=agree,
        documents=len(gold),
        gold_attributions=n_gold,
        pred_attributions=n_pred,
        text_mismatches=gold_mismatches(gold),
        per_document=per_doc,
        gold=dict(gold),
        predictions=kept,
    )


def gold_as_predictions(gold: Mapping[str, GoldDocument]) -> dict[str, list[Attribution]]:
    """The gold as model Attributions: an upper-bound check and a handy fixture."""
    out: dict[str, list[Attribution]] = {}
    for name, doc in gold.items():
        out[name] = [
            Attribution(
                id=g.id,
                cue=_to_textspan(g.cue, doc.text),
                content=_to_textspan(g.content, doc.text),
                source=_to_textspan(g.source, doc.text) if g.source else None,
            )
            for g in doc.attributions
        ]
    return out


def _to_textspan(span: Span, text: str) -> TextSpan:
    if not span:
        return TextSpan(0, 0, "")
    start, end = min(s for s, _ in span), max(e for _, e in span)
    return TextSpan(
        start,
        end,
        " ".join(text[s:e] for s, e in span),
        span if len(span) > 1 else None,
    )


def _documents(
    gold: Mapping[str, GoldDocument], metadata: Mapping[str, Mapping[str, str]]
) -> Iterator[Document]:
    for name, g in gold.items():
        meta = metadata.get(name, {})
        date = meta.get("publication_date") or None
        yield Document(
            name=f"{name}.txt",
            text=g.text,
            title=(meta.get("title") or None),
            outlet=(meta.get("publisher") or None),
            published=date if date and re.fullmatch(r"\d{4}-\d{2}-\d{2}", date) else None,
        )


def run_extractor(
    gold: Mapping[str, GoldDocument],
    extractor: SupportsExtractMany,
    *,
    metadata: Mapping[str, Mapping[str, str]] | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> dict[str, list[Attribution]]:
    """Predictions keyed by gold name; the extractor's document name ties them back."""
    by_doc_name = {f"{n}.txt": n for n in gold}
    preds: dict[str, list[Attribution]] = {}
    total = len(gold)
    for ex in extractor.extract_many(_documents(gold, metadata or {})):
        name = by_doc_name.get(ex.document.name)
        if name is None:
            raise EvaluationDataError(f"extractor returned unknown document {ex.document.name!r}")
        preds[name] = list(ex.attributions)
        if progress is not None:
            progress(len(preds), total)
    return preds


def evaluate(
    directory: str | Path,
    extractor: SupportsExtractMany,
    *,
    limit: int | None = None,
    progress: Callable[[int, int], None] | None = None,
    metadata: bool = True,
) -> PolnearReport:
    """Run ``extractor`` over a split and score it.

    ``metadata`` fills title/outlet/date from ``../metadata.tsv`` when present, since
    a real article arrives with them and the sections stage may use the title.
    """
    root = Path(directory)
    gold = load_gold(root, limit=limit)
    meta = load_metadata(root.parent / "metadata.tsv") if metadata else {}
    preds = run_extractor(gold, extractor, metadata=meta, progress=progress)
    return score(gold, preds)


# --------------------------------------------------------------------------- diagnosis


def _span_text(span: Span, text: str) -> str:
    return " … ".join(text[s:e] for s, e in span)


@dataclass
class Diagnosis:
    """One document's errors in words, for improving rules rather than reading numbers."""

    name: str
    missed: list[dict[str, Any]]
    spurious: list[dict[str, Any]]
    matched: list[dict[str, Any]]

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "missed": self.missed,
            "spurious": self.spurious,
            "matched": self.matched,
        }

    def format(self, *, show_matched: bool = False) -> str:
        out = [f"== {self.name}: {len(self.missed)} missed, {len(self.spurious)} spurious"]

        def row(tag: str, a: Mapping[str, Any]) -> None:
            out.append(
                f"{tag} [{a['id']}] source={a['source']!r} cue={a['cue']!r} @{a['cue_at']}\n"
                f"      content={a['content']!r}"
            )
            near = a.get("nearest")
            if near:
                out.append(
                    f"      nearest: [{near['id']}] dice={near['dice']:.2f} "
                    f"cue_overlap={near['cue_overlap']} cue={near['cue']!r}"
                )

        for a in self.missed:
            row("MISS", a)
        for a in self.spurious:
            row("SPUR", a)
        if show_matched:
            for a in self.matched:
                out.append(
                    f"OK   gold [{a['gold']}] ~ pred [{a['pred']}] dice={a['dice']:.2f} "
                    f"source_agrees={a['source_agrees']}"
                )
        return "\n".join(out)


def _describe(aid: str, spans: Mapping[str, Span], text: str) -> dict[str, Any]:
    cue = spans["cue"]
    return {
        "id": aid,
        "source": _span_text(spans["source"], text) if spans["source"] else None,
        "cue": _span_text(cue, text),
        "cue_at": cue[0][0] if cue else None,
        "content": _span_text(spans["content"], text),
    }


def _nearest(
    spans: Mapping[str, Span], others: Sequence[tuple[str, Mapping[str, Span]]], text: str
) -> dict[str, Any] | None:
    """The closest counterpart by content Dice: tells a near miss from a true miss."""
    mine = chars(spans["content"], text)
    cue = raw_chars(spans["cue"])
    best: dict[str, Any] | None = None
    for oid, o in others:
        d = dice(mine, chars(o["content"], text))
        overlap = bool(cue & raw_chars(o["cue"]))
        if d == 0 and not overlap:
            continue
        if best is None or (d, overlap) > (best["dice"], best["cue_overlap"]):
            best = {"id": oid, "dice": d, "cue_overlap": overlap, "cue": _span_text(o["cue"], text)}
    return best


def diagnose(report: PolnearReport, name: str) -> Diagnosis:
    """Missed gold and spurious predictions of one document, with their text.

    Each also names its nearest counterpart (by content Dice, and whether the cues
    overlap), since most errors are boundary or cue choices, not absent attributions.
    """
    if name not in report.per_document:
        name = name.removesuffix(".txt")
    if name not in report.per_document:
        raise KeyError(f"no such document in the report: {name}")
    doc = report.gold[name]
    preds = report.predictions.get(name, [])
    ds = report.per_document[name]
    text = doc.text
    gsp = [(g.id, _gold_spans(g)) for g in doc.attributions]
    psp = [(p.id, pred_spans(p)) for p in preds]
    missed = []
    for i in ds.missed:
        d = _describe(gsp[i][0], gsp[i][1], text)
        d["nearest"] = _nearest(gsp[i][1], psp, text)
        missed.append(d)
    spurious = []
    for i in ds.spurious:
        d = _describe(psp[i][0], psp[i][1], text)
        d["nearest"] = _nearest(psp[i][1], gsp, text)
        spurious.append(d)
    matched = [
        {
            "gold": gsp[m.gold][0],
            "pred": psp[m.pred][0],
            "dice": m.dice,
            "source_agrees": m.source_agrees,
        }
        for m in ds.matches
    ]
    return Diagnosis(name=name, missed=missed, spurious=spurious, matched=matched)


def diagnose_all(report: PolnearReport, n: int | None = None) -> str:
    """The worst documents' diagnoses as one text, ready to print."""
    docs = report.worst_documents(n if n is not None else len(report.per_document))
    return "\n\n".join(diagnose(report, d.name).format() for d in docs)
