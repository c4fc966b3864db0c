"""Learn how often each verb introduces an attribution, from PolNeAR ``train``.

Writes ``src/claimgraph/data/cue_stats.tsv``: for every verb lemma seen at least
``--min-count`` times outside quotations, how many of those occurrences a PolNeAR
annotator marked as (part of) an attribution cue. The attribution component treats
a lemma whose share reaches its threshold as a cue, next to the curated
``cues.tsv``; a curated cue that annotators almost never mark is dropped. Only
counts leave the corpus: no text is copied.

    .venv/bin/python scripts/build_cue_stats.py ../shared/eval/polnear/train

Run time: about five minutes on two cores (it parses the 840 training articles).
"""

from __future__ import annotations

import argparse
import collections
import sys
from pathlib import Path

import spacy

import claimgraph.attributions as attributions
from claimgraph.evaluation.polnear import load_gold
from claimgraph.pipeline import DEFAULT_MODEL

OUT = Path(__file__).resolve().parents[1] / "src" / "claimgraph" / "data" / "cue_stats.tsv"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("train_dir", type=Path, help="PolNeAR split in the shared layout (train)")
    ap.add_argument("--model", default=DEFAULT_MODEL)
    ap.add_argument("--min-count", type=int, default=8)
    ap.add_argument("--out", type=Path, default=OUT)
    ap.add_argument("--processes", type=int, default=2)
    args = ap.parse_args(argv)
    if args.train_dir.name != "train":
        print("refusing: cue statistics must come from the train split only", file=sys.stderr)
        return 2
    gold = load_gold(args.train_dir)
    nlp = spacy.load(args.model, exclude=["ner"])
    nlp.add_pipe("claimgraph_paragraphs", before="parser")
    names = sorted(gold)
    total: collections.Counter[str] = collections.Counter()
    as_cue: collections.Counter[str] = collections.Counter()
    texts = (gold[n].text for n in names)
    for n, doc in enumerate(nlp.pipe(texts, n_process=args.processes, batch_size=16), start=1):
        g = gold[names[n - 1]]
        cue_chars = {i for a in g.attributions for s, e in a.cue for i in range(s, e)}
        quotes = attributions.quote_spans(doc.text)
        for tok in doc:
            if tok.pos_ != "VERB" or attributions._inside(tok.idx, quotes):
                continue
            lemma = tok.lemma_.lower()
            total[lemma] += 1
            if tok.idx in cue_chars:
                as_cue[lemma] += 1
        if n % 100 == 0:
            print(f"{n}/{len(names)} articles", file=sys.stderr)
    rows = sorted(
        (lemma, total[lemma], as_cue[lemma]) for lemma in total if total[lemma] >= args.min_count
    )
    with args.out.open("w", encoding="utf-8") as fh:
        fh.write("# Learned by scripts/build_cue_stats.py from PolNeAR train; do not edit.\n")
        fh.write("lemma\tcount\tcue_count\tshare\n")
        for lemma, count, cue in rows:
            fh.write(f"{lemma}\t{count}\t{cue}\t{cue / count:.3f}\n")
    print(f"wrote {len(rows)} lemmas to {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
