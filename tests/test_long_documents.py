"""Bounded work per document (issue 17): long texts, symbol runs, the length limit.

Speed itself is measured by ``benchmarks/bench_long.py`` (docs/benchmarks.md); here
the hostile inputs only have to finish (a generous hang guard), offsets must still
index the text, and every lookup rewritten to avoid a scan over the whole document
must answer exactly as the scan did (each is checked against the scan it replaced).
"""

from __future__ import annotations

import copy
import itertools
import json
import random
import subprocess
import sys
from collections.abc import Sequence

import pytest
from spacy.attrs import SENT_START
from spacy.language import Language
from spacy.tokens import Doc, Token

import claimgraph.pipeline as pipeline
from claimgraph.actors import _inside_any
from claimgraph.attributions import (
    _PARA_DATELINE,
    AttributionSpan,
    ParagraphSentencizer,
    SpanIndex,
    _adjacent_quote,
    _extend_to_quotes,
    _first_ending_at,
    _is_quote,
    _kind,
    _line_end,
    _merge,
    _no_other_verb,
    _overlaps_quote,
    attribution_spans,
    quote_spans,
)
from claimgraph.errors import DocumentTooLargeError, InputError
from claimgraph.events import sentence_ents
from claimgraph.model import Document, Extraction
from claimgraph.pipeline import Extractor, GuardedTokenizer, chunk_spans, load_pipeline

PARAGRAPHS = [
    '"We will not accept this," Foreign Minister Jane Doe said on Monday. "Never."',
    "Officials in Kyiv said Russian forces had shelled the port, according to Reuters.",
    "Moscow denied the report. The Kremlin said the claims were baseless.",
    'He added: "The talks will go on." Analysts believe the deal is close.',
    "WASHINGTON (AP) — Senator Smith told reporters that the bill would pass.",
    "The ministry, which says it was not involved, declined to comment.",
]


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    return Extractor()


@pytest.fixture(scope="module")
def nlp(extractor: Extractor) -> Language:
    return extractor.nlp


def article(n: int, seed: int = 1) -> str:
    rng = random.Random(seed)
    return "Talks Stall Again\n\n" + "\n\n".join(rng.choice(PARAGRAPHS) for _ in range(n))


def assert_offsets(text: str, extraction: Extraction) -> None:
    spans = []
    for att in extraction.attributions:
        spans += [att.cue, att.content] + ([att.source] if att.source else [])
    for actor in extraction.actors:
        spans += actor.mentions
    for span in spans:
        assert text[span.start : span.end] == span.text
    for ev in extraction.events:
        trig = ev["trigger"]
        assert text[trig["start"] : trig["end"]] == trig["text"]
    for claim in extraction.claims:
        ev = claim["evidence"]
        assert text[ev["start"] : ev["end"]] == ev["text"]


# -- hostile inputs finish (hang guard), offsets stay right ---------------------------

HOSTILE = {
    "equals": "Talks failed, officials said. " + "=" * 32000,
    "dollars": "$" * 16384,
    "apostrophes": "Talks failed. " + "'" * 16384 + ' he said. "No," she said.',
    "mixed": 'He said: "Yes." ' + ("x$" * 3000 + " ") * 3 + "(" * 5000 + "\n\nOfficials said it.",
    "nospace": "".join(random.Random(3).choice("ab$=.'(-_") for _ in range(60_000)),
}

_HOSTILE_PROGRAM = """\
import json, sys
from claimgraph.model import Document
from claimgraph.pipeline import Extractor
cases = json.loads(sys.stdin.read())
ex = Extractor()
out = {}
for name, text in cases.items():
    x = ex.extract(Document(name=name, text=text))
    spans = [s for a in x.attributions for s in (a.cue, a.content)]
    spans += [m for a in x.actors for m in a.mentions]
    out[name] = {
        "cues": [a.cue.text for a in x.attributions],
        "ok": all(text[s.start : s.end] == s.text for s in spans),
    }
print(json.dumps(out))
"""


def test_symbol_runs_finish_with_offsets_intact() -> None:
    # a subprocess, because a stuck tokenizer (C code) would not heed a signal; 120 s
    # is a hang guard only: together these take about a second (bench_long.py)
    proc = subprocess.run(
        [sys.executable, "-c", _HOSTILE_PROGRAM],
        input=json.dumps(HOSTILE),
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    result = json.loads(proc.stdout.strip().splitlines()[-1])
    assert set(result) == set(HOSTILE)
    assert all(r["ok"] for r in result.values())
    assert result["equals"]["cues"] == ["said"]


def test_guarded_tokenizer_keeps_the_text_exactly(nlp: Language) -> None:
    guard = nlp.tokenizer
    assert isinstance(guard, GuardedTokenizer)
    rng = random.Random(0)
    alphabet = ["=", "$", "'", " ", "\n", "  ", "a", "b.", "\t", "“", "_", "x$", "\u00a0"]
    for _ in range(500):
        text = "".join(
            rng.choice(alphabet) * rng.choice([1, 2, 63, 64, 65, 130, 1100])
            for _ in range(rng.randint(1, 6))
        )
        doc = guard(text)
        assert doc.text == text
        assert all(t.text.isspace() or len(t.text) < pipeline.NONSPACE_RUN for t in doc)


def test_guarded_tokenizer_can_be_copied_and_pickled(nlp: Language) -> None:
    import pickle

    text = "Talks failed, officials said. " + "=" * 200
    tokenizer = nlp.tokenizer
    assert isinstance(tokenizer, GuardedTokenizer)
    for twin in (copy.copy(tokenizer), pickle.loads(pickle.dumps(tokenizer))):
        assert isinstance(twin, GuardedTokenizer)
        assert [t.text for t in twin(text)] == [t.text for t in tokenizer(text)]


def test_guarded_tokenizer_leaves_ordinary_text_to_spacy(nlp: Language) -> None:
    guard = nlp.tokenizer
    assert isinstance(guard, GuardedTokenizer)
    text = article(30) + "\n\n" + "-" * 40 + "\n\nhttps://example.com/a/b?c=d (AP Photo/Jane Doe)"
    ours = [(t.text, t.whitespace_, t.norm_) for t in guard(text)]
    theirs = [(t.text, t.whitespace_, t.norm_) for t in guard.tokenizer(text)]
    assert ours == theirs


# -- long texts: pieces, limit ----------------------------------------------------------


def test_chunk_spans_cover_the_text_in_bounded_pieces() -> None:
    rng = random.Random(5)
    for _ in range(200):
        text = "".join(
            rng.choice(["word ", "Stop. ", "\n", "\n\n", "x" * 30, " "])
            for _ in range(rng.randint(0, 300))
        )
        size = rng.choice([10, 50, 200])
        spans = chunk_spans(text, size)
        assert spans[0][0] == 0 and spans[-1][1] == len(text)
        assert all(a[1] == b[0] for a, b in itertools.pairwise(spans))
        assert all(0 < e - s <= size for s, e in spans) or text == ""
    text = "First paragraph here.\nSecond one, longer than the first.\nThird."
    assert chunk_spans(text, 40) == [(0, 22), (22, 57), (57, len(text))]


def test_long_text_is_parsed_in_pieces_with_offsets_intact(
    extractor: Extractor, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = article(60)
    monkeypatch.setattr(pipeline, "CHUNK_CHARS", 1500)
    assert len(chunk_spans(text, 1500)) > 3
    long = extractor.extract(Document(name="long.txt", text=text))
    assert_offsets(text, long)
    monkeypatch.setattr(pipeline, "CHUNK_CHARS", 1_000_000)
    whole = extractor.extract(Document(name="long.txt", text=text))
    # pieces end at paragraph breaks, so the same cues are found either way
    assert [a.cue.start for a in long.attributions] == [a.cue.start for a in whole.attributions]
    assert [a.speaker for a in long.attributions] == [a.speaker for a in whole.attributions]


def test_parse_long_keeps_the_text_and_sentences(
    extractor: Extractor, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = article(20, seed=2)
    doc = extractor.parse_long(text) if len(text) > 0 else None
    assert doc is not None and doc.text == text
    monkeypatch.setattr(pipeline, "CHUNK_CHARS", 700)
    pieces = extractor.parse_long(text)
    assert pieces.text == text
    assert pieces.has_annotation("DEP") and pieces.has_annotation("SENT_START")
    assert [(s.start_char, s.end_char) for s in pieces.sents][:3] == [
        (s.start_char, s.end_char) for s in doc.sents
    ][:3]


def test_too_long_a_document_is_refused_by_name(
    extractor: Extractor, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pipeline, "MAX_CHARS", 500)
    short = Document(name="short.txt", text="Officials said talks failed.")
    big = Document(name="huge-upload.txt", text="Officials said talks failed. " * 40)
    out = extractor.extract_many([short, big, short])
    assert next(out).document.name == "short.txt"  # what came before is not lost
    with pytest.raises(DocumentTooLargeError) as info:
        next(out)
    err = info.value
    assert isinstance(err, InputError)
    assert err.document == "huge-upload.txt"
    assert "1,160 characters" in str(err) and "limit of 500" in str(err)
    assert str(err).startswith("huge-upload.txt: ")


def test_the_limit_is_the_pipelines_max_length() -> None:
    assert load_pipeline().max_length == pipeline.MAX_CHARS


# -- lookups that replaced scans answer as the scans did --------------------------------


def _sorted_spans(rng: random.Random, n: int, gap: int = 20) -> list[tuple[int, int]]:
    """Sorted, non-overlapping spans of at least 3 characters (like quotations)."""
    out, pos = [], 0
    for _ in range(n):
        s = pos + rng.randint(0, gap)
        e = s + rng.randint(3, 30)
        out.append((s, e))
        pos = e + rng.choice([0, 1, 5])
    return out


def test_quote_lookups_match_a_scan() -> None:
    rng = random.Random(11)
    for _ in range(300):
        quotes = _sorted_spans(rng, rng.randint(0, 12))
        top = quotes[-1][1] + 10 if quotes else 50
        for _ in range(30):
            pos = rng.randint(-2, top)
            s, e = sorted((rng.randint(-2, top), rng.randint(-2, top)))
            assert _overlaps_quote(s, e, quotes) == any(qs < e and s < qe for qs, qe in quotes)
            assert _is_quote((s, e), quotes) == ((s, e) in set(quotes))
            assert _inside_any(pos, quotes) == any(qs < pos < qe for qs, qe in quotes)
            k = _first_ending_at(quotes, pos)
            assert all(qe < pos for _, qe in quotes[:k])
            assert k == len(quotes) or quotes[k][1] >= pos


def test_span_index_finds_every_span_near_a_position() -> None:
    rng = random.Random(12)
    spans = [
        (n, s, s + rng.choice([0, 1, 5, 300, 2000]))
        for n, s in enumerate(rng.randint(0, 5000) for _ in range(300))
    ]
    index = SpanIndex(spans)
    for pos in range(0, 7000, 7):
        near = index.near(pos)
        assert [x for x in spans if x[1] <= pos <= x[2]] == [x for x in near if x[1] <= pos <= x[2]]
        assert near == sorted(near)  # in the order they were added
        lo, hi = pos, pos + rng.randint(0, 400)
        got = {x for x in index.near_range(lo, hi)}
        assert {x for x in spans if x[1] <= hi and lo <= x[2]} <= got


def test_sentence_entities_match_span_ents(nlp: Language) -> None:
    doc = nlp(article(25, seed=3))
    ents = list(doc.ents)
    starts = [e.start for e in ents]
    for sent in doc.sents:
        assert sentence_ents(ents, starts, sent.start, sent.end) == list(sent.ents)
    for a in range(0, len(doc), 7):
        span = doc[a : a + 13]
        assert sentence_ents(ents, starts, span.start, span.end) == list(span.ents)


# the scans as they were before issue 17, to compare the rewritten rules with


def _old_extend_to_quotes(
    text: str, content: list[tuple[int, int]], quotes: Sequence[tuple[int, int]]
) -> list[tuple[int, int]]:
    s, e = content[0][0], content[-1][1]
    for qs, qe in quotes:
        if (
            qs < s < qe
            or (qs <= s < qe and qe > e)
            or (qs < e <= qe and qs < s)
            or (s <= qs < e < qe)
        ):
            para = (text.rfind("\n", 0, s) + 1, _line_end(text, e))
            if not (para[0] <= qs and qe <= para[1] + 1):
                continue
            ns, ne = min(s, qs), max(e, qe)
            content = _merge([(ns, ne), *content])
            s, e = content[0][0], content[-1][1]
    return content


def _old_adjacent_quote(
    verb: Token, text: str, quotes: Sequence[tuple[int, int]]
) -> list[tuple[int, int]]:
    sent = verb.sent
    for qs, qe in quotes:
        if qe <= verb.idx and qe >= sent.start_char - 1:
            between = text[qe : verb.idx]
            if len(between) < 80 and "\n" not in between and _no_other_verb(verb, qe):
                return [(qs, qe)]
        if qs >= verb.idx:
            between = text[verb.idx + len(verb.text) : qs]
            bare = len(between) < 40 and between.strip(" ,:\t") == ""
            if bare or between.strip() in (":", ","):
                return [(qs, qe)]
    return []


def _old_kind(text: str, content: list[tuple[int, int]], quotes: Sequence[tuple[int, int]]) -> str:
    import re

    qset = set(quotes)
    frags = []
    for s, e in content:
        m = re.match(r"(?i)that,?\s+", text[s:e])
        frags.append((s + m.end(), e) if m else (s, e))
    if all(f in qset for f in frags):
        return "direct"
    if any(qs < e and s < qe for s, e in content for qs, qe in quotes):
        return "mixed"
    return "indirect"


QUOTED = (
    '"We will not," she said. "Never." He said: "Go." "Stop," he added, "now."\n'
    'Officials said "the port" was hit and "nothing" else. “Fine,” said Doe.\n'
    "Analysts said: 'fine' and ''twice'' and «non». "
)


def test_quote_rules_match_the_scans(nlp: Language) -> None:
    text = QUOTED * 6
    doc = nlp(text)
    quotes = quote_spans(text)
    assert len(quotes) > 40
    rng = random.Random(4)
    for tok in doc:
        assert _adjacent_quote(tok, text, quotes) == _old_adjacent_quote(tok, text, quotes)
    for _ in range(2000):
        a, b = sorted(rng.sample(range(len(text) + 1), 2))
        content = [(a, b)]
        if rng.random() < 0.3:
            c, d = sorted(rng.sample(range(b, len(text) + 2), 2))
            content.append((c, d))
        assert _extend_to_quotes(text, list(content), quotes) == _old_extend_to_quotes(
            text, list(content), quotes
        )
        assert _kind(text, content, quotes) == _old_kind(text, content, quotes)
        assert _kind(text, [quotes[rng.randrange(len(quotes))]], quotes) == "direct"


def _old_paragraphs(doc: Doc) -> Doc:
    text = doc.text
    for tok in doc[1:]:
        prev = doc[tok.i - 1]
        if "\n" in prev.text or "\n" in prev.whitespace_:
            tok.is_sent_start = True
    starts = [0] + [t.idx for t in doc if t.is_sent_start and t.i > 0]
    for start in starts:
        m = _PARA_DATELINE.match(text, start)
        if m is None:
            continue
        after = doc.char_span(m.end(), m.end() + 1, alignment_mode="expand")
        if after is not None and after.start > 0:
            doc[after.start].is_sent_start = True
            nxt = after.start + 1
            if nxt < len(doc) and not doc[nxt].is_space and not doc[nxt].is_sent_start:
                doc[nxt].is_sent_start = False
    return doc


def test_paragraph_sentencizer_marks_as_before(nlp: Language) -> None:
    texts = [
        article(15, seed=6),
        "TEHRAN — Iran said.\nKYIV, Oct 18 (Reuters) - Drones hit.\n\n\nMOSCOW — x\n",
        "One line only.",
        "\n\n",
    ]
    for text in texts:
        new = ParagraphSentencizer()(nlp.make_doc(text))
        old = _old_paragraphs(nlp.make_doc(text))
        assert new.to_array(SENT_START).tolist() == old.to_array(SENT_START).tolist()


def _old_continued(
    doc: Doc, found: list[AttributionSpan], quotes: Sequence[tuple[int, int]]
) -> list[AttributionSpan]:
    from claimgraph.attributions import _bare, _next_sentence, _reach, _start

    text = doc.text
    covered = [frag for a in found for frag in a.content]
    for qs, qe in quotes:
        if any(s < qe and qs < e for s, e in covered):
            continue
        before = [a for a in found if _reach(a) <= qs]
        after = [a for a in found if _start(a) >= qe]
        if before:
            last = max(before, key=_reach)
            gap = text[_reach(last) : qs]
            if last.kind in ("direct", "mixed") and (
                _bare(gap, 2) or _next_sentence(doc, text, last.cue[0], qs)
            ):
                last.content.append((qs, qe))
                covered.append((qs, qe))
                continue
        if after:
            nxt = min(after, key=_start)
            gap = text[qe : _start(nxt)]
            if nxt.kind in ("direct", "mixed") and _bare(gap, 0) and nxt.content_start > nxt.cue[0]:
                nxt.content.insert(0, (qs, qe))
                covered.append((qs, qe))
    return found


def test_continued_quotes_match_the_scan(nlp: Language) -> None:
    text = (
        '"We will win," Doe said. "And soon."\n"They will see."\n'
        'Smith said the vote was fair. "It was clean."\n'
        '"Every time you say that," he said, "you give in."\n'
        "\"Fine.\" Officials said nothing. 'No,' she said.\n"
    ) * 8
    doc = nlp(text)
    finder = nlp.get_pipe("claimgraph_attributions")
    quotes = quote_spans(text)
    # the attributions as they were before continued quotations were joined to them
    found = [
        AttributionSpan(cue=a.cue, content=[a.content[-1]], source=a.source, kind=a.kind)
        for a in attribution_spans(doc)
    ]
    assert len(found) > 10
    for trial in range(20):
        rng = random.Random(trial)
        sample = sorted(rng.sample(found, k=len(found) // 2), key=lambda a: a.cue)
        for a in sample:
            a.kind = rng.choice(["direct", "mixed", "indirect"])
        new = finder._continued_quotes(doc, copy.deepcopy(sample), quotes)
        old = _old_continued(doc, copy.deepcopy(sample), quotes)
        assert [a.content for a in new] == [a.content for a in old]


def test_claim_lookups_match_the_scans(extractor: Extractor) -> None:
    from claimgraph.claims import _Builder

    text = article(40, seed=8) + "\n\n" + QUOTED * 3
    x = extractor.extract(Document(name="many.txt", text=text))
    assert len(x.attributions) > 30
    b = _Builder(x, None)
    for pos in range(0, len(text) + 800, 97):
        for reach in (0, 700, 1400):
            scan = [a for a in x.attributions if a.cue.start < pos and pos - a.cue.start < reach]
            assert b.cued_before(pos, reach) == scan
    for att in x.attributions:
        scan = sorted(
            (
                o
                for o in x.attributions
                if o.id != att.id
                and o.content.start <= att.cue.start
                and att.content.end <= o.content.end
                and (o.content.end - o.content.start) > (att.content.end - att.content.start)
            ),
            key=lambda o: o.content.end - o.content.start,
        )
        assert b.outer(att) == scan
    doc = extractor.nlp(text)
    for tok in doc:
        start, end = tok.idx, tok.idx + len(tok.text)
        scan_id = next(
            (a.id for a in x.actors if any(m.start <= start and end <= m.end for m in a.mentions)),
            None,
        )
        assert b.actor_of(tok) == scan_id
