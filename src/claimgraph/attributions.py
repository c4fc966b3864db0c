"""Attribution detection: who says (or thinks, reports, denies) what, as spaCy components.

Rules over the dependency parse rather than a trained model: they run at the speed
of the parse itself, they can be read and argued with by journalists, and they are
measured on PolNeAR (``claimgraph eval polnear``), where the conventions for span
boundaries come from (a that-clause includes "that"; a direct quote includes its
quotation marks and the punctuation inside them).

Two components:

- ``claimgraph_paragraphs`` (before the parser) starts a sentence after every line
  break, so a headline or a caption never runs into the next paragraph.
- ``claimgraph_attributions`` (after the parser) writes ``doc._.attributions``,
  a list of :class:`AttributionSpan` with character offsets.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from claimgraph.cues import Cue, CueLexicon, load_cue_lexicon

OPEN_QUOTES = "“‘\"«"
CLOSE_QUOTES = "”’\"»"
#: Quote pairs we trust to delimit speech; single quotes double as apostrophes.
_QUOTE_RE = re.compile(
    r"“[^“”\n]*”|\"[^\"\n]*\"|«[^«»\n]*»|''(?:(?!'').)+?''|‘[^‘\n]*?’(?![A-Za-z])"
)
_TRIM = " \t\r\n,;:–—-"

SUBJECT_DEPS = ("nsubj", "nsubjpass")
#: Children of a cue verb that belong to the cue itself ("has not said", "pointed out").
CUE_PREFIX_DEPS = ("aux", "auxpass", "neg")
CUE_SUFFIX_DEPS = ("prt",)


@dataclass
class AttributionSpan:
    """One attribution found in a ``Doc``; offsets are into ``doc.text``."""

    cue: tuple[int, int]
    content: list[tuple[int, int]]
    source: tuple[int, int] | None = None
    channel: tuple[int, int] | None = None
    kind: str = "indirect"
    stance: str = "affirm"
    cue_lemma: str = ""
    #: Token index of the source's head, for speaker resolution.
    source_head: int | None = None
    channel_head: int | None = None
    #: When the source is implicit (a continued quote), the attribution it continues.
    continues: int | None = None
    notes: list[str] = field(default_factory=list)

    @property
    def content_start(self) -> int:
        return self.content[0][0]

    @property
    def content_end(self) -> int:
        return self.content[-1][1]


if not Doc.has_extension("attributions"):
    Doc.set_extension("attributions", default=None)


@Language.factory("claimgraph_paragraphs")
def make_paragraphs(nlp: Language, name: str) -> ParagraphSentencizer:
    return ParagraphSentencizer()


class ParagraphSentencizer:
    """Force a sentence start after a line break: news text puts one paragraph a line."""

    def __call__(self, doc: Doc) -> Doc:
        for tok in doc[1:]:
            prev = doc[tok.i - 1]
            if "\n" in prev.text or "\n" in prev.whitespace_:
                tok.is_sent_start = True
        return doc


@Language.factory(
    "claimgraph_attributions",
    default_config={"lexicon": None},
    assigns=["doc._.attributions"],
)
def make_attributions(nlp: Language, name: str, lexicon: str | None) -> AttributionFinder:
    return AttributionFinder(load_cue_lexicon(lexicon))


def quote_spans(text: str) -> list[tuple[int, int]]:
    """Character spans of quotations, marks included."""
    return [(m.start(), m.end()) for m in _QUOTE_RE.finditer(text) if m.end() - m.start() > 2]


_LEAD_CONNECTIVES = re.compile(r"(?i)(and|but|so|yet|or|however|still|also|now|then)\b,?\s+")


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    """Strip separators (and a sentence-final period outside quotes) from a span's edges."""
    while start < end and text[start] in _TRIM:
        start += 1
    while end > start and (text[end - 1] in _TRIM or text[end - 1] == "."):
        end -= 1
    return start, end


def _trim_content(text: str, start: int, end: int) -> tuple[int, int]:
    """Content spans also drop a leading connective ("But the report ..." -> "the report ...")."""
    start, end = _trim(text, start, end)
    m = _LEAD_CONNECTIVES.match(text, start, end)
    if m:
        start = m.end()
    return start, end


def _trim_source(text: str, start: int, end: int) -> tuple[int, int]:
    """Sources lose stray quotation marks; an appositive keeps its closing comma (PolNeAR)."""
    start, end = _trim(text, start, end)
    while start < end and text[start] in OPEN_QUOTES + CLOSE_QUOTES:
        start += 1
    while end > start and text[end - 1] in OPEN_QUOTES + CLOSE_QUOTES:
        end -= 1
    if "," in text[start:end] and text[end : end + 1] == ",":
        end += 1
    return start, end


class AttributionFinder:
    def __init__(self, lexicon: CueLexicon) -> None:
        self.lexicon = lexicon

    # -- lexicon --------------------------------------------------------------
    def cue_for(self, tok: Token) -> Cue | None:
        if tok.pos_ == "VERB" or (tok.pos_ == "AUX" and tok.lemma_ == "say"):
            return self.lexicon.get((tok.lemma_.lower(), "VERB"))
        return None

    # -- main -----------------------------------------------------------------
    def __call__(self, doc: Doc) -> Doc:
        text = doc.text
        quotes = quote_spans(text)
        found: list[AttributionSpan] = []
        cue_tokens: set[int] = set()
        for sent in doc.sents:
            for tok in sent:
                if tok.i in cue_tokens or _inside(tok.idx, quotes):
                    # words inside someone's quotation are theirs, not attributions of the article
                    continue
                att = self._according_to(tok, text)
                if att is None:
                    att = self._verb_cue(tok, text, quotes)
                if att is None:
                    continue
                found.append(att)
                cue_tokens.update(t.i for t in doc.char_span(*att.cue, alignment_mode="expand") or [])
        found.extend(self._headline_colons(doc, found))
        found = self._continued_quotes(doc, found, quotes)
        found = _dedupe(found)
        found.sort(key=lambda a: (a.cue[0], a.content_start))
        doc._.attributions = found
        return doc

    # -- "according to X" --------------------------------------------------------
    def _according_to(self, tok: Token, text: str) -> AttributionSpan | None:
        if tok.lower_ != "according":
            return None
        to = next((c for c in tok.children if c.lower_ == "to"), None)
        if to is None and tok.i + 1 < len(tok.doc) and tok.doc[tok.i + 1].lower_ == "to":
            to = tok.doc[tok.i + 1]
        if to is None:
            return None
        pobj = next((c for c in to.children if c.dep_ == "pobj"), None)
        if pobj is None:
            return None
        src = _subtree_span(pobj)
        phrase = set(range(tok.left_edge.i, max(to.right_edge.i, pobj.right_edge.i) + 1))
        sent = tok.sent
        anchor = tok.head if tok.head != tok else sent.root
        if anchor.i in phrase:
            anchor = sent.root
        clause = [t for t in _clause_tokens(anchor) if t.i not in phrase and t.sent == sent]
        if not clause:
            return None
        content = _char_fragments(text, clause)
        if not content:
            return None
        return AttributionSpan(
            cue=(tok.idx, to.idx + len(to.text)),
            content=content,
            source=_trim_source(text, *src),
            source_head=pobj.i,
            cue_lemma="according to",
            kind=_kind(text, content),
        )

    # -- verb cues ---------------------------------------------------------------
    def _verb_cue(
        self, tok: Token, text: str, quotes: Sequence[tuple[int, int]]
    ) -> AttributionSpan | None:
        cue = self.cue_for(tok)
        if cue is None:
            return None
        # "X quoted Y as saying ...": Y speaks, X only relays.
        relay = _as_saying(tok)
        speech = relay[1] if relay else tok
        content_toks = self._content_tokens(speech, cue)
        if not content_toks and relay:
            content_toks = self._content_tokens(tok, cue)
        content: list[tuple[int, int]] = []
        if content_toks:
            content = _char_fragments(text, content_toks)
        if not content:
            content = _adjacent_quote(tok, text, quotes)
        if not content:
            return None
        content = _extend_to_quotes(text, content, quotes)
        cue_end_tok = relay[1] if relay else tok
        cue_span = _cue_span(tok, cue_end_tok)
        # Never let the content swallow the cue (parses sometimes nest the verb inside).
        content = _cut(content, cue_span)
        if not content:
            return None
        att = AttributionSpan(
            cue=cue_span,
            content=content,
            cue_lemma=cue.lemma,
            stance=cue.stance,
            kind=_kind(text, content),
        )
        if relay:
            quoted, _saying = relay
            att.source = _trim_source(text, *_subtree_span(quoted))
            att.source_head = quoted.i
            channel = _subject(tok)
            if channel is not None:
                att.channel = _trim_source(text, *_subtree_span(channel))
                att.channel_head = channel.i
        else:
            subj = self._source_of(tok)
            if subj is not None:
                span = _subtree_span(subj, exclude=_content_token_ids(content, tok.doc))
                att.source = _trim_source(text, *span)
                att.source_head = subj.i
            elif tok.dep_ == "relcl" and tok.head.pos_ in ("NOUN", "PROPN", "PRON"):
                att.source = _trim_source(text, *_subtree_span(tok.head))
                att.source_head = tok.head.i
        if _negated(tok) and cue.stance == "affirm":
            att.stance = "deny" if cue.cls == "speech" else "hedge"
        if att.source is not None and _overlaps(att.source, att.cue):
            att.source = None
        return att

    def _content_tokens(self, verb: Token, cue: Cue) -> list[Token]:
        comps = [c for c in verb.children if c.dep_ in ("ccomp", "parataxis")]
        if not comps and verb.dep_ == "parataxis" and verb.head.sent == verb.sent:
            # "The test, North Korea said, was its biggest": the report wraps the cue.
            inner = {t.i for t in verb.subtree}
            return [t for t in verb.head.subtree if t.i not in inner]
        if comps:
            toks: list[Token] = []
            for c in comps:
                toks.extend(_clause_tokens(c, stop_at_cues=self))
            return toks
        if cue.takes_object:
            obj = next((c for c in verb.children if c.dep_ in ("dobj", "oprd")), None)
            if obj is not None:
                return _right_tokens(verb, obj, self)
        xcomp = next((c for c in verb.children if c.dep_ == "xcomp"), None)
        if xcomp is not None and cue.cls in ("speech", "cognition") and cue.lemma in (
            "promise",
            "pledge",
            "vow",
            "threaten",
            "agree",
            "urge",
            "expect",
            "hope",
        ):
            return _clause_tokens(xcomp, stop_at_cues=self)
        return []

    def _source_of(self, verb: Token) -> Token | None:
        subj = _subject(verb)
        if subj is not None:
            return subj
        seen = 0
        cur = verb
        while cur.dep_ in ("conj", "xcomp", "advcl") and cur.head != cur and seen < 6:
            seen += 1
            head = cur.head
            # "X acknowledged that it had supplied ... but said ...": the parser hangs the
            # second cue off the reported clause; the speaker is the outer cue's subject.
            if cur.dep_ == "conj" and self.cue_for(head) is None:
                outer = _enclosing_cue(head, self)
                if outer is not None and _subject(outer) is not None:
                    return _subject(outer)
            subj = _subject(head)
            if subj is not None:
                return subj
            cur = head
        return None

    # -- headline "X: ..." -------------------------------------------------------
    def _headline_colons(
        self, doc: Doc, found: Sequence[AttributionSpan]
    ) -> Iterable[AttributionSpan]:
        text = doc.text
        taken = [a.cue for a in found]
        for sent in doc.sents:
            toks = [t for t in sent if not t.is_space]
            if len(toks) < 4:
                continue
            colon = next((t for t in toks[:8] if t.text == ":"), None)
            if colon is None or colon.i == toks[0].i:
                continue
            head_toks = [t for t in toks if t.i < colon.i]
            if not all(t.pos_ in ("PROPN", "NOUN", "ADJ", "DET", "PUNCT", "PART") for t in head_toks):
                continue
            if not any(t.pos_ == "PROPN" or t.ent_type_ for t in head_toks):
                continue
            rest = [t for t in toks if t.i > colon.i]
            if not rest or any(_overlaps((colon.idx, colon.idx + 1), c) for c in taken):
                continue
            content = _char_fragments(text, rest)
            if not content:
                continue
            yield AttributionSpan(
                cue=(colon.idx, colon.idx + 1),
                content=content,
                source=_trim(text, head_toks[0].idx, head_toks[-1].idx + len(head_toks[-1])),
                source_head=head_toks[-1].i,
                cue_lemma=":",
                kind=_kind(text, content),
            )

    # -- quotes that continue a speaker ----------------------------------------
    def _continued_quotes(
        self, doc: Doc, found: list[AttributionSpan], quotes: Sequence[tuple[int, int]]
    ) -> list[AttributionSpan]:
        """A quotation with no cue of its own, right after a quoted speaker, is theirs.

        Covers '"A," he said. "B."' in one paragraph and a quote paragraph that follows
        one: the continued quotation becomes another fragment of the same content.
        """
        if not found:
            return found
        text = doc.text
        covered = [frag for a in found for frag in a.content]
        for qs, qe in quotes:
            if any(s < qe and qs < e for s, e in covered):
                continue
            after = text[qe : _line_end(text, qe)]
            if after.strip(" \t.,;"):
                continue
            before = [a for a in found if _reach(a) <= qs]
            if not before:
                continue
            last = max(before, key=_reach)
            if last.kind not in ("direct", "mixed"):
                continue
            gap = text[_reach(last) : qs]
            if gap.strip(" \t\r\n.,;") or gap.count("\n") > 2:
                continue
            last.content.append((qs, qe))
            covered.append((qs, qe))
        return found


def _reach(a: AttributionSpan) -> int:
    """Where an attribution's last part (content, cue or source) ends."""
    ends = [a.content_end, a.cue[1]]
    if a.source is not None:
        ends.append(a.source[1])
    return max(ends)


# -- helpers ------------------------------------------------------------------------


def _subject(verb: Token) -> Token | None:
    for c in verb.children:
        if c.dep_ in SUBJECT_DEPS:
            return c
    return None


def _negated(verb: Token) -> bool:
    return any(c.dep_ == "neg" for c in verb.children)


def _as_saying(tok: Token) -> tuple[Token, Token] | None:
    """Find Y and "saying" in "X quoted Y as saying" (also "cited Y as saying")."""
    if tok.lemma_.lower() not in ("quote", "cite"):
        return None
    obj = next((c for c in tok.children if c.dep_ in ("dobj", "nsubjpass")), None)
    as_ = next((c for c in tok.children if c.dep_ == "prep" and c.lower_ == "as"), None)
    if obj is None or as_ is None:
        return None
    saying = next((c for c in as_.children if c.dep_ in ("pcomp", "pobj")), None)
    if saying is None or saying.lemma_.lower() not in ("say", "tell", "add", "write", "describe"):
        return None
    return obj, saying


def _enclosing_cue(tok: Token, finder: AttributionFinder) -> Token | None:
    cur = tok
    for _ in range(8):
        if cur.head == cur:
            return None
        if cur.dep_ in ("ccomp", "parataxis") and finder.cue_for(cur.head) is not None:
            return cur.head
        cur = cur.head
    return None


def _subtree_span(tok: Token, exclude: set[int] | None = None) -> tuple[int, int]:
    toks = [t for t in tok.subtree if not exclude or t.i not in exclude]
    if not toks:
        toks = [tok]
    # keep it contiguous around the head
    left = tok.i
    right = tok.i
    ids = {t.i for t in toks}
    while left - 1 in ids:
        left -= 1
    while right + 1 in ids:
        right += 1
    doc = tok.doc
    return doc[left].idx, doc[right].idx + len(doc[right].text)


def _clause_tokens(head: Token, stop_at_cues: AttributionFinder | None = None) -> list[Token]:
    """A clause's tokens, leaving out coordinated clauses that are new attributions."""
    skip: set[int] = set()
    if stop_at_cues is not None:
        for t in head.subtree:
            if t.dep_ == "conj" and t.i > head.i and stop_at_cues.cue_for(t) is not None:
                if _subject(t) is None or t.head == head:
                    skip.update(x.i for x in t.subtree)
                    skip.update(c.i for c in t.head.children if c.dep_ == "cc" and c.i < t.i)
    return [t for t in head.subtree if t.i not in skip]


def _right_tokens(verb: Token, obj: Token, finder: AttributionFinder) -> list[Token]:
    """The object and whatever follows it in the verb's clause (adjuncts, participles)."""
    out: list[Token] = list(obj.subtree)
    for c in verb.children:
        if c.i <= obj.i or c.dep_ in ("cc", "conj", "punct", "mark"):
            continue
        if c.dep_ in ("ccomp", "advcl") and finder.cue_for(c) is not None:
            continue
        out.extend(c.subtree)
    return out


def _char_fragments(text: str, toks: Iterable[Token]) -> list[tuple[int, int]]:
    """Contiguous runs of tokens as trimmed character spans."""
    ids = sorted({t.i for t in toks})
    if not ids:
        return []
    doc = next(iter(toks)).doc
    runs: list[tuple[int, int]] = []
    start = prev = ids[0]
    for i in ids[1:]:
        gap = doc[prev + 1 : i]
        if i == prev + 1 or all(t.is_punct or t.is_space for t in gap):
            prev = i
            continue
        runs.append((start, prev))
        start = prev = i
    runs.append((start, prev))
    out: list[tuple[int, int]] = []
    for a, b in runs:
        s, e = _trim_content(text, doc[a].idx, doc[b].idx + len(doc[b].text))
        if e > s:
            out.append((s, e))
    return out


def _extend_to_quotes(
    text: str, content: list[tuple[int, int]], quotes: Sequence[tuple[int, int]]
) -> list[tuple[int, int]]:
    """A content that starts or ends inside a quotation takes the whole quotation."""
    s, e = content[0][0], content[-1][1]
    for qs, qe in quotes:
        if qs < s < qe or (qs <= s < qe and qe > e) or (qs < e <= qe and qs < s) or (s <= qs < e < qe):
            para = (text.rfind("\n", 0, s) + 1, _line_end(text, e))
            if not (para[0] <= qs and qe <= para[1] + 1):
                continue
            ns, ne = min(s, qs), max(e, qe)
            content = _merge([(ns, ne)] + content)
            s, e = content[0][0], content[-1][1]
    return content


def _merge(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for s, e in sorted(spans):
        if out and s <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], e))
        else:
            out.append((s, e))
    return out


def _adjacent_quote(
    verb: Token, text: str, quotes: Sequence[tuple[int, int]]
) -> list[tuple[int, int]]:
    """ "…," she said. / She said: "…" — the quotation next to a cue with no clause."""
    sent = verb.sent
    for qs, qe in quotes:
        if qe <= verb.idx and qe >= sent.start_char - 1:
            between = text[qe : verb.idx]
            if len(between) < 80 and "\n" not in between and _no_other_verb(verb, qe):
                return [(qs, qe)]
        if qs >= verb.idx:
            between = text[verb.idx + len(verb.text) : qs]
            if len(between) < 40 and between.strip(" ,:\t") == "" or between.strip() in (":", ","):
                return [(qs, qe)]
    return []


def _no_other_verb(verb: Token, after: int) -> bool:
    for t in verb.sent:
        if after <= t.idx < verb.idx and t.pos_ == "VERB" and t.i != verb.i:
            return False
    return True


_CUE_NOUNS = frozenset(
    {"statement", "interview", "speech", "tweet", "post", "letter", "email", "address", "op-ed",
     "release", "remarks", "briefing", "conference", "call", "message", "video", "memo"}
)


def _cue_span(verb: Token, last: Token) -> tuple[int, int]:
    """The cue: the verb with its auxiliaries, negation and adverbs ("has not yet said"),
    a particle ("pointed out"), and a manner phrase right after it ("said in a statement",
    "said Thursday", "said:"), as PolNeAR marks them."""
    doc = verb.doc
    left = verb.i
    for c in sorted(verb.children, key=lambda t: -t.i):
        if c.i == left - 1 and (
            c.dep_ in CUE_PREFIX_DEPS or (c.dep_ == "advmod" and c.pos_ == "ADV")
        ):
            left = c.i
    right = max(verb.i, last.i)
    for c in sorted(verb.children, key=lambda t: t.i):
        if c.i != right + 1:
            continue
        if c.dep_ in CUE_SUFFIX_DEPS:
            right = c.i
        elif c.dep_ == "npadvmod" or (c.dep_ in ("advmod", "npadvmod") and c.ent_type_ in ("DATE", "TIME")):
            right = c.right_edge.i
        elif c.dep_ == "prep" and c.lower_ in ("in", "during", "on", "at") and any(
            g.lemma_.lower() in _CUE_NOUNS for g in c.children if g.dep_ == "pobj"
        ):
            right = c.right_edge.i
    if right + 1 < len(doc) and doc[right + 1].text == ":":
        right += 1
    return doc[left].idx, doc[right].idx + len(doc[right].text)


def _cut(content: list[tuple[int, int]], hole: tuple[int, int]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for s, e in content:
        if e <= hole[0] or s >= hole[1]:
            out.append((s, e))
            continue
        if s < hole[0]:
            out.append((s, hole[0]))
        if e > hole[1]:
            out.append((hole[1], e))
    return [(s, e) for s, e in out if e - s > 1]


def _content_token_ids(content: list[tuple[int, int]], doc: Doc) -> set[int]:
    ids: set[int] = set()
    for s, e in content:
        span = doc.char_span(s, e, alignment_mode="expand")
        if span is not None:
            ids.update(range(span.start, span.end))
    return ids


def _kind(text: str, content: list[tuple[int, int]]) -> str:
    s, e = content[0][0], content[-1][1]
    body = text[s:e]
    if body[:1] in OPEN_QUOTES and body[-1:] in CLOSE_QUOTES:
        # one quotation from end to end, not "“a” and “b”"
        inner = body[1:-1]
        if not any(q in inner for q in "“”\""):
            return "direct"
        return "mixed"
    if any(q in body for q in "“”\"«»"):
        return "mixed"
    return "indirect"


def _inside(pos: int, spans: Sequence[tuple[int, int]]) -> bool:
    return any(s < pos < e - 1 for s, e in spans)


def _overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def _line_end(text: str, pos: int) -> int:
    end = text.find("\n", pos)
    return len(text) if end < 0 else end


def _dedupe(found: list[AttributionSpan]) -> list[AttributionSpan]:
    """Two cues on the same content (e.g. "said ... adding") keep the first; same cue once."""
    out: list[AttributionSpan] = []
    seen_cues: set[tuple[int, int]] = set()
    for a in sorted(found, key=lambda a: a.cue):
        if a.cue in seen_cues:
            continue
        seen_cues.add(a.cue)
        out.append(a)
    return out


def attribution_spans(doc: Doc) -> list[AttributionSpan]:
    """The attributions a ``claimgraph_attributions`` component put on ``doc``."""
    found: list[AttributionSpan] | None = doc._.attributions
    return found or []


def sentence_of(doc: Doc, char: int) -> Span | None:
    span = doc.char_span(char, char + 1, alignment_mode="expand")
    return span.sent if span is not None else None
