"""Score one extraction against a hand-made seed gold (``*.gold.json``).

PolNeAR scores spans only; the seed gold also fixes who the speaker *is* (a resolved
actor), the channel that relayed it, the stance of the cue and the kind of speech,
plus the article's sections. These are the things the ledger promises beyond
span finding, so they get their own check on the example article.

Attributions are paired exactly as in :mod:`claimgraph.evaluation.polnear` (cue
overlap, content Dice >= 0.5, greedy one-to-one), so "found" means the same in both.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pycountry

from claimgraph.errors import EvaluationDataError
from claimgraph.evaluation.polnear import (
    Span,
    SupportsExtractMany,
    match_relations,
    pred_spans,
    read_text,
)
from claimgraph.model import CLAIM_SECTIONS, Actor, Attribution, Document, Extraction

#: Everyday country names that pycountry's lookup does not know.
COUNTRY_ALIASES = {
    "russia": "RUS",
    "britain": "GBR",
    "great britain": "GBR",
    "uk": "GBR",
    "u.k.": "GBR",
    "england": "GBR",
    "us": "USA",
    "u.s.": "USA",
    "america": "USA",
    "turkey": "TUR",
    "iran": "IRN",
    "syria": "SYR",
    "south korea": "KOR",
    "north korea": "PRK",
    "vietnam": "VNM",
    "taiwan": "TWN",
}

_WORD = re.compile(r"[\w.]+", re.UNICODE)


def country_code(name: str) -> str | None:
    """ISO alpha-3 for a country name, or None.

    No fuzzy search: it maps "EU" to Réunion and would make a person look like a state.
    """
    key = name.strip().lower()
    if key in COUNTRY_ALIASES:
        return COUNTRY_ALIASES[key]
    if len(key) <= 3:  # bare codes are ambiguous with acronyms
        return None
    try:
        return str(pycountry.countries.lookup(name.strip()).alpha_3)
    except LookupError:
        return None


def _tokens(s: str) -> list[str]:
    return [t.strip(".").lower() for t in _WORD.findall(s) if t.strip(".")]


def speaker_matches(gold: str | None, actor: Actor | None) -> bool:
    """Strict on purpose: a near-miss name is a resolution error worth seeing."""
    if gold is None:
        return actor is None
    if actor is None:
        return False
    if actor.name.strip().lower() == gold.strip().lower():
        return True
    code = country_code(gold)
    if code is not None and actor.type == "state" and actor.country == code:
        return True
    if gold.rstrip().endswith("(unnamed)") and actor.type == "group":
        head = _tokens(gold.rstrip().removesuffix("(unnamed)"))
        return bool(head) and head[-1] in _tokens(actor.name)
    return False


def channel_matches(gold: str | None, actor: Actor | None) -> bool:
    """An outlet may be named in full ("IRNA news agency"); its acronym is enough."""
    if gold is None:
        return actor is None
    if actor is None:
        return False
    if actor.name.strip().lower() == gold.strip().lower():
        return True
    g = _tokens(gold)
    a = _tokens(actor.name)
    return bool(g) and any(a[i : i + len(g)] == g for i in range(len(a) - len(g) + 1))


@dataclass
class SeedRow:
    """One gold attribution and what the extractor made of it."""

    id: str
    cue: str
    content: str
    speaker: str
    channel: str | None
    stance: str
    kind: str
    pred_id: str | None = None
    dice: float | None = None
    pred_speaker: str | None = None
    pred_channel: str | None = None
    pred_stance: str | None = None
    pred_kind: str | None = None
    speaker_ok: bool = False
    channel_ok: bool = False
    stance_ok: bool = False
    kind_ok: bool = False

    @property
    def found(self) -> bool:
        return self.pred_id is not None

    def to_dict(self) -> dict[str, Any]:
        d = dict(self.__dict__)
        d["found"] = self.found
        return d


@dataclass
class SectionCheck:
    kind: str
    gold: tuple[int, int] | None
    predicted: list[tuple[int, int]]
    ok: bool

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "gold": list(self.gold) if self.gold else None,
            "predicted": [list(p) for p in self.predicted],
            "ok": self.ok,
        }


@dataclass
class SeedReport:
    document: str
    rows: list[SeedRow]
    spurious: list[dict[str, Any]]
    sections: dict[str, SectionCheck]
    #: Predicted attributions whose cue is inside a non-claim gold section (must be empty).
    related: list[dict[str, Any]] = field(default_factory=list)

    @property
    def total(self) -> int:
        return len(self.rows)

    def count(self, what: str) -> int:
        return sum(bool(getattr(r, what)) for r in self.rows)

    @property
    def sections_ok(self) -> bool:
        return all(c.ok for c in self.sections.values())

    def totals(self) -> dict[str, int]:
        return {
            "gold": self.total,
            "found": self.count("found"),
            "speaker_ok": self.count("speaker_ok"),
            "channel_ok": self.count("channel_ok"),
            "stance_ok": self.count("stance_ok"),
            "kind_ok": self.count("kind_ok"),
            "spurious": len(self.spurious),
            "in_related": len(self.related),
        }

    def to_dict(self) -> dict[str, Any]:
        return {
            "document": self.document,
            "totals": self.totals(),
            "sections_ok": self.sections_ok,
            "rows": [r.to_dict() for r in self.rows],
            "spurious": self.spurious,
            "sections": {k: c.to_dict() for k, c in self.sections.items()},
            "related": self.related,
        }

    def format_table(self) -> str:
        def yn(b: bool) -> str:
            return "yes" if b else "-"

        lines = [
            f"{'id':<5}{'cue':<22}{'found':<7}{'speaker':<9}{'channel':<9}{'stance':<8}"
            f"{'kind':<6}predicted speaker / channel / stance / kind",
        ]
        for r in self.rows:
            pred = (
                f"{r.pred_speaker} / {r.pred_channel} / {r.pred_stance} / {r.pred_kind}"
                if r.found
                else f"(want {r.speaker} / {r.channel} / {r.stance} / {r.kind})"
            )
            lines.append(
                f"{r.id:<5}{r.cue[:21]:<22}{yn(r.found):<7}{yn(r.speaker_ok):<9}"
                f"{yn(r.channel_ok):<9}{yn(r.stance_ok):<8}{yn(r.kind_ok):<6}{pred}"
            )
        t = self.totals()
        n = t["gold"]
        lines += [
            "",
            f"found {t['found']}/{n}  speaker {t['speaker_ok']}/{n}  channel {t['channel_ok']}/{n}"
            f"  stance {t['stance_ok']}/{n}  kind {t['kind_ok']}/{n}",
            f"spurious predictions {t['spurious']}   cues in related/boilerplate {t['in_related']}",
            "sections: "
            + ", ".join(f"{k} {'ok' if c.ok else 'WRONG'}" for k, c in self.sections.items()),
        ]
        for c in self.sections.values():
            if not c.ok:
                lines.append(f"  {c.kind}: gold {c.gold} predicted {c.predicted}")
        for s in self.spurious:
            lines.append(f"SPUR [{s['id']}] {s['source']!r} {s['cue']!r}: {s['content']!r}")
        for s in self.related:
            lines.append(f"RELATED [{s['id']}] {s['cue']!r}: {s['content']!r}")
        return "\n".join(lines)


def _pair(v: Any, where: str) -> tuple[int, int]:
    if not isinstance(v, Sequence) or len(v) != 2:
        raise EvaluationDataError(f"{where}: expected [start, end], got {v!r}")
    return int(v[0]), int(v[1])


def _gold_spans(a: Mapping[str, Any]) -> dict[str, Span]:
    where = f"gold attribution {a.get('id')}"
    return {
        role: ((_pair(a[role], where),) if a.get(role) is not None else ())
        for role in ("source", "cue", "content")
    }


def _trim(text: str, s: int, e: int) -> tuple[int, int]:
    # Sections differ only in the blank lines around them; that is not a wrong split.
    while s < e and text[s].isspace():
        s += 1
    while e > s and text[e - 1].isspace():
        e -= 1
    return s, e


def _describe(a: Attribution) -> dict[str, Any]:
    return {
        "id": a.id,
        "source": a.source.text if a.source else None,
        "cue": a.cue.text,
        "content": a.content.text,
    }


def _check_sections(
    gold: Mapping[str, Any], extraction: Extraction, text: str
) -> dict[str, SectionCheck]:
    by_kind: dict[str, list[tuple[int, int]]] = {}
    for s in extraction.sections:
        by_kind.setdefault(s.kind, []).append((s.start, s.end))
    out: dict[str, SectionCheck] = {}
    for kind in [*gold, *(k for k in by_kind if k not in gold)]:
        g = _pair(gold[kind], f"section {kind}") if kind in gold else None
        preds = sorted(by_kind.get(kind, []))
        ok = g is not None and [_trim(text, *p) for p in preds] == [_trim(text, *g)]
        out[kind] = SectionCheck(kind, g, preds, ok)
    return out


def score_seed(extraction: Extraction, gold: Mapping[str, Any]) -> SeedReport:
    """Compare one extraction with the seed gold dict (as loaded from ``*.gold.json``)."""
    try:
        gold_atts: list[Mapping[str, Any]] = list(gold["attributions"])
    except (KeyError, TypeError) as exc:
        raise EvaluationDataError("seed gold has no 'attributions' list") from exc
    text = extraction.document.text
    preds = list(extraction.attributions)
    matches = match_relations(
        [_gold_spans(a) for a in gold_atts], [pred_spans(p) for p in preds], text
    )
    by_gold = {m.gold: m for m in matches}
    rows: list[SeedRow] = []
    for gi, a in enumerate(gold_atts):
        row = SeedRow(
            id=str(a.get("id", gi)),
            cue=str(a.get("cue_text") or _slice(text, a.get("cue"))),
            content=str(a.get("content_text") or _slice(text, a.get("content"))),
            speaker=str(a.get("speaker")),
            channel=a.get("channel"),
            stance=str(a.get("stance")),
            kind=str(a.get("kind")),
        )
        m = by_gold.get(gi)
        if m is not None:
            p = preds[m.pred]
            speaker = extraction.actor(p.speaker)
            channel = extraction.actor(p.channel)
            row.pred_id = p.id
            row.dice = m.dice
            row.pred_speaker = speaker.name if speaker else p.speaker
            row.pred_channel = channel.name if channel else p.channel
            row.pred_stance = p.stance
            row.pred_kind = p.kind
            row.speaker_ok = speaker_matches(a.get("speaker"), speaker)
            row.channel_ok = channel_matches(a.get("channel"), channel)
            row.stance_ok = p.stance == a.get("stance")
            row.kind_ok = p.kind == a.get("kind")
        rows.append(row)
    matched_preds = {m.pred for m in matches}
    spurious = [_describe(p) for i, p in enumerate(preds) if i not in matched_preds]
    sections_gold: Mapping[str, Any] = gold.get("sections") or {}
    no_claims = [
        _pair(v, f"section {k}") for k, v in sections_gold.items() if k not in CLAIM_SECTIONS
    ]
    related = [_describe(p) for p in preds if any(s <= p.cue.start < e for s, e in no_claims)]
    return SeedReport(
        document=str(gold.get("document") or extraction.document.name),
        rows=rows,
        spurious=spurious,
        sections=_check_sections(sections_gold, extraction, text),
        related=related,
    )


def _slice(text: str, v: Any) -> str:
    if v is None:
        return ""
    s, e = _pair(v, "span")
    return text[s:e]


def load_seed(gold_path: str | Path) -> dict[str, Any]:
    p = Path(gold_path)
    try:
        data = json.loads(p.read_bytes().decode("utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise EvaluationDataError(f"{p}: cannot read seed gold ({exc})") from exc
    if not isinstance(data, dict) or "attributions" not in data:
        raise EvaluationDataError(f"{p}: not a seed gold file (no 'attributions')")
    return data


def evaluate_seed(
    text_path: str | Path, extractor: SupportsExtractMany, gold_path: str | Path | None = None
) -> SeedReport:
    """Extract the example article and score it; the gold sits beside it as ``NAME.gold.json``.

    The file carries no date, so the gold's ``published`` is supplied as the CLI's
    ``--published`` would be.
    """
    tp = Path(text_path)
    gp = Path(gold_path) if gold_path is not None else tp.with_suffix(".gold.json")
    gold = load_seed(gp)
    doc = Document(name=str(text_path), text=read_text(tp), published=gold.get("published"))
    extraction = next(iter(extractor.extract_many([doc])), None)
    if extraction is None:
        raise EvaluationDataError(f"{tp}: the extractor returned nothing")
    return score_seed(extraction, gold)
