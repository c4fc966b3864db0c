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

import bisect
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import cast

import numpy
from spacy.attrs import SENT_START
from spacy.language import Language
from spacy.tokens import Doc, Span, Token
from thinc.types import Ints2d

from claimgraph.cues import (
    DROP_BELOW_SHARE,
    LEARNED_MIN_SHARE,
    Cue,
    CueLexicon,
    load_cue_lexicon,
)

OPEN_QUOTES = '“‘"«'
CLOSE_QUOTES = '”’"»'
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
    #: ``speech`` or ``thought``, from the cue (``Cue.mode``).
    mode: str = "speech"
    #: Whether the cue is negated ("did not say").
    negated: bool = False
    #: Token index of the source's head, for speaker resolution.
    source_head: int | None = None
    channel_head: int | None = None
    #: Indices into ``doc._.actors``, set by the ``claimgraph_actors`` component.
    speaker: int | None = None
    channel_actor: int | None = None
    #: Further speakers of a coordinated source ("Tehran and Moscow deny ...").
    co_speakers: list[int] = field(default_factory=list)

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
    """Force a sentence start after a line break (news text puts one paragraph a line)
    and after a wire dateline ("TEHRAN — ", "KYIV, Oct 18 (Reuters) - "), which the
    parser would otherwise take for the subject of the first sentence."""

    def __call__(self, doc: Doc) -> Doc:
        text = doc.text
        # The marks are collected in a list and written once: setting
        # ``Token.is_sent_start`` checks the whole document for a parse each time,
        # which made this quadratic in the number of paragraphs.
        # 1: starts a sentence, -1: does not, 0: not set (spaCy stores them as uint64)
        marks: list[int] = doc.to_array(SENT_START).astype("int64").tolist()
        for tok in doc[1:]:
            prev = doc[tok.i - 1]
            if "\n" in prev.text or "\n" in prev.whitespace_:
                marks[tok.i] = 1
        starts = [0] + [t.idx for t in doc if marks[t.i] == 1 and t.i > 0]
        for start in starts:
            m = _PARA_DATELINE.match(text, start)
            if m is None:
                continue
            after = doc.char_span(m.end(), m.end() + 1, alignment_mode="expand")
            if after is not None and after.start > 0:
                marks[after.start] = 1
                nxt = after.start + 1
                if nxt < len(doc) and not doc[nxt].is_space and marks[nxt] != 1:
                    marks[nxt] = -1  # a one-word sentence is never right
        if len(doc):
            array = numpy.array(marks, dtype="int64").astype("uint64").reshape(-1, 1)
            doc.from_array([SENT_START], cast(Ints2d, array))
        return doc


@Language.factory(
    "claimgraph_attributions",
    default_config={
        "lexicon": None,
        "learned_min_share": LEARNED_MIN_SHARE,
        "drop_below_share": DROP_BELOW_SHARE,
    },
    assigns=["doc._.attributions"],
)
def make_attributions(
    nlp: Language,
    name: str,
    lexicon: str | None,
    learned_min_share: float,
    drop_below_share: float,
) -> AttributionFinder:
    return AttributionFinder(load_cue_lexicon(lexicon, learned_min_share, drop_below_share))


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


#: A dateline opening a paragraph: upper-case place, optional date and agency, a dash.
_PARA_DATELINE = re.compile(
    r"[A-Z][A-Z.'’ ]{1,30}[A-Z.](?:, [A-Z][a-z]{2,8}\.? \d{1,2})?(?: \(\w[\w ]*\))? [-–—]+ (?=\S)"
)
#: A wire dateline the parser may glue to the subject: "KYIV, Oct 18 (Reuters) - ".
_DATELINE = re.compile(
    r"(?:[A-Z][A-Z .'’-]{1,40},)?(?: ?[A-Z][a-z]{2,8}\.? \d{1,2},?)?(?: ?\(\w[\w ]*\))? ?[-–—]+ "
)


def _trim_source(text: str, start: int, end: int) -> tuple[int, int]:
    """Sources lose stray quotation marks and a leading dateline; an appositive keeps its
    closing comma (PolNeAR)."""
    start, end = _trim(text, start, end)
    m = _DATELINE.match(text, start, end)
    if m and m.end() < end:
        start = m.end()
    while start < end and text[start] in OPEN_QUOTES + CLOSE_QUOTES:
        start += 1
    while end > start and text[end - 1] in OPEN_QUOTES + CLOSE_QUOTES:
        end -= 1
    if "," in text[start:end] and text[end : end + 1] == ",":
        end += 1
    elif text[end : end + 1] == "." and re.search(r"\b(?:[A-Z]\.)+[A-Z]$", text[start:end]):
        end += 1  # "the U.S." keeps the period of its abbreviation
    return start, end


class AttributionFinder:
    def __init__(self, lexicon: CueLexicon) -> None:
        self.lexicon = lexicon

    # -- lexicon --------------------------------------------------------------
    def cue_for(self, tok: Token) -> Cue | None:
        if not (tok.pos_ == "VERB" or _mistagged_aux(tok)):
            return None
        cue = self.lexicon.get((_verb_lemma(tok), "VERB"))
        if cue is not None and cue.cls == "learned" and _infinitive(tok):
            # "drones to attack Ukraine": a learned action verb reports nothing unless
            # someone performs it ("Trump attacked the press")
            return None
        return cue

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
                cue_tokens.update(
                    t.i for t in doc.char_span(*att.cue, alignment_mode="expand") or []
                )
        found.extend(self._headline_colons(doc, found))
        for att in found:
            att.kind = _kind(text, att.content, quotes)
        found = self._continued_quotes(doc, found, quotes)
        for att in found:
            att.kind = _kind(text, att.content, quotes)
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
        )

    # -- verb cues ---------------------------------------------------------------
    def _verb_cue(
        self, tok: Token, text: str, quotes: Sequence[tuple[int, int]]
    ) -> AttributionSpan | None:
        cue = self.cue_for(tok)
        if cue is None:
            return None
        if tok.dep_ == "xcomp" and self.cue_for(tok.head) is not None:
            # "refused to deny", "declined to say": one attribution, cued by the outer verb
            return None
        # "X quoted Y as saying ...": Y speaks, X only relays.
        relay = _as_saying(tok)
        speech = relay[1] if relay else tok
        content_toks = self._content_tokens(speech, cue)
        if not content_toks and _mistagged_aux(tok) and tok.dep_ == "aux":
            # headline "Iran admits sending drones ...": the tagger made the cue an
            # auxiliary of the reported verb, whose clause is then the content
            subj = _subject(tok.head)
            drop = {t.i for t in subj.subtree} if subj is not None else set()
            drop.add(tok.i)
            content_toks = [t for t in _clause_tokens(tok.head, self) if t.i not in drop]
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
        content = _cut(content, cue_span, text)
        if not content:
            return None
        att = AttributionSpan(
            cue=cue_span,
            content=content,
            cue_lemma=cue.lemma,
            stance=cue.stance,
            mode=cue.mode,
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
            if subj is None and _mistagged_aux(tok) and tok.dep_ == "aux":
                subj = _subject(tok.head)
            if subj is not None:
                span = _subtree_span(subj, exclude=_content_token_ids(content, tok.doc))
                att.source = _trim_source(text, *span)
                att.source_head = subj.i
            elif tok.dep_ == "relcl" and tok.head.pos_ in ("NOUN", "PROPN", "PRON"):
                att.source = _trim_source(text, *_subtree_span(tok.head))
                att.source_head = tok.head.i
        negated = _negated(tok)
        att.negated = negated
        if negated:
            # "did not deny", "has not said whether", "never confirmed": no commitment
            att.stance = "hedge"
        if att.source is not None and not relay:
            # a parse that hangs the speaker inside the quotation ("…," she said, "…")
            att.content = _cut(att.content, att.source, text)
            if not att.content:
                return None
        if not relay and att.source is not None and _overlaps(att.source, att.cue):
            att.source = None
        if (
            not negated
            and att.stance in ("affirm", "hedge")
            and _REJECTION.search(_text(text, content))
        ):
            att.stance = "deny"
        return att

    def _content_tokens(self, verb: Token, cue: Cue) -> list[Token]:
        comps = [c for c in verb.children if c.dep_ in ("ccomp", "parataxis")]
        if not comps and verb.dep_ == "parataxis" and verb.head.sent == verb.sent:
            # "The test, North Korea said, was its biggest": the report wraps the cue.
            inner = {t.i for t in verb.subtree}
            return [t for t in verb.head.subtree if t.i not in inner]
        if not comps:
            # "said in a statement that ...": the parser hangs the clause on the noun
            for adjunct in (c for c in verb.children if c.dep_ == "prep"):
                for noun in (g for g in adjunct.children if g.lemma_.lower() in _CUE_NOUNS):
                    comps = [c for c in noun.children if c.dep_ in ("ccomp", "acl")]
                    comps = [c for c in comps if any(m.dep_ == "mark" for m in c.children)]
        if comps:
            toks: list[Token] = []
            for c in comps:
                toks.extend(_clause_tokens(c, stop_at_cues=self))
            return toks
        if cue.takes_object:
            # "accused Holt of being a Democrat", "called him a liar", "described it as ...":
            # the person named is the target; the content is what is said of them.
            of = next(
                (c for c in verb.children if c.dep_ == "prep" and c.lower_ in ("of", "as")), None
            )
            pred = next((c for c in verb.children if c.dep_ in ("oprd", "ccomp", "xcomp")), None)
            if of is not None and any(c.dep_ in ("pcomp", "pobj") for c in of.children):
                return [t for c in of.children if c.dep_ in ("pcomp", "pobj") for t in c.subtree]
            if pred is not None and verb.lemma_.lower() in ("call", "label", "brand", "name"):
                # "called Tehran's version not credible": what was called, and what it was called
                obj = next((c for c in verb.children if c.dep_ == "dobj"), None)
                if obj is not None and obj.lower_ in ("what", "which", "whom"):
                    return []  # "what he called baseless reports": a label, not a report
                lead = list(obj.subtree) if obj is not None and obj.i < pred.i else []
                return lead + list(pred.subtree)
            obj = next((c for c in verb.children if c.dep_ in ("dobj", "oprd")), None)
            if obj is not None and obj.lower_ not in ("what", "which", "that", "it"):
                return _right_tokens(verb, obj, self)
        # "refused to comment", "wants to build a wall", "seems to think"
        xcomp = next((c for c in verb.children if c.dep_ == "xcomp"), None)
        if xcomp is not None:
            # "urged Trump to make the debate a game-changer": Trump is part of what is urged
            urged = next((c for c in verb.children if c.dep_ == "dobj" and c.i < xcomp.i), None)
            lead = list(urged.subtree) if urged is not None else []
            return lead + _clause_tokens(xcomp, stop_at_cues=self)
        # "called for a ban", "spoke of the risks", "warned against complacency"
        prep = _prep_object(verb)
        if prep is not None:
            return [t for c in prep.children if c.dep_ in ("pobj", "pcomp") for t in c.subtree]
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
                # "Iran admits sending ... but says ...": the first cue was tagged AUX
                cue_aux = next((c for c in head.children if _mistagged_aux(c)), None)
                if cue_aux is not None and self.cue_for(cue_aux) is not None:
                    return _subject(head) or _subject(cue_aux)
            subj = _subject(head)
            if subj is not None:
                return subj
            cur = head
        return None

    # -- headline "X: ..." -------------------------------------------------------
    def _headline_colons(
        self, doc: Doc, found: Sequence[AttributionSpan]
    ) -> Iterable[AttributionSpan]:
        """ "Sidney Blumenthal: 'No idea' ..." headlines and "PENCE: Well, ..." transcripts.

        A short proper name before a colon at the start of a sentence is a speaker; in a
        transcript the turn runs to the end of the paragraph.
        """
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
            if not all(
                t.pos_ in ("PROPN", "NOUN", "ADJ", "DET", "PUNCT", "PART") for t in head_toks
            ):
                continue
            if not any(
                t.pos_ == "PROPN" or t.ent_type_ or (t.text[:1].isupper() and t.pos_ == "NOUN")
                for t in head_toks
            ):
                continue
            if head_toks[0].lower_.strip("\"“'") in _COLON_LABELS or len(head_toks) > 5:
                continue
            rest = [t for t in toks if t.i > colon.i]
            para_start = text.rfind("\n", 0, toks[0].idx) + 1
            if not text[para_start : toks[0].idx].strip(" \t\"“'"):
                # a transcript turn: the speaker's words run to the end of the paragraph
                end = _line_end(text, colon.idx)
                span = doc.char_span(colon.idx + 1, end, alignment_mode="expand")
                if span is not None:
                    rest = [t for t in span if not t.is_space]
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
        covered = SpanIndex((0, s, e) for a in found for s, e in a.content)
        # (where it ends, its index) and (where it starts, its index), kept sorted so
        # that the attribution just before and just after a quotation are found by
        # bisection; ties go to the earlier attribution, as ``max`` and ``min`` did
        by_reach = sorted((_reach(a), n) for n, a in enumerate(found))
        by_start = sorted((_start(a), n) for n, a in enumerate(found))

        def changed(n: int, reach: int, start: int) -> None:
            by_reach.pop(bisect.bisect_left(by_reach, (reach, n)))
            bisect.insort(by_reach, (_reach(found[n]), n))
            by_start.pop(bisect.bisect_left(by_start, (start, n)))
            bisect.insort(by_start, (_start(found[n]), n))

        for qs, qe in quotes:
            if any(s < qe and qs < e for _, s, e in covered.near_range(qs, qe)):
                continue
            k = bisect.bisect_right(by_reach, (qs, len(found)))  # those reaching <= qs
            if k:
                n = by_reach[bisect.bisect_left(by_reach, (by_reach[k - 1][0], -1))][1]
                last = found[n]
                gap = text[_reach(last) : qs]
                if last.kind in ("direct", "mixed") and (
                    _bare(gap, 2) or _next_sentence(doc, text, last.cue[0], qs)
                ):
                    reach, start = _reach(last), _start(last)
                    last.content.append((qs, qe))
                    covered.add((0, qs, qe))
                    changed(n, reach, start)
                    continue
            j = bisect.bisect_left(by_start, (qe, -1))  # the first starting at or after qe
            if j < len(by_start):
                n = by_start[j][1]
                nxt = found[n]
                gap = text[qe : _start(nxt)]
                # '"Every time you say that," he said, "you give ..."'
                if (
                    nxt.kind in ("direct", "mixed")
                    and _bare(gap, 0)
                    and nxt.content_start > nxt.cue[0]
                ):
                    reach, start = _reach(nxt), _start(nxt)
                    nxt.content.insert(0, (qs, qe))
                    covered.add((0, qs, qe))
                    changed(n, reach, start)
        return found


def _next_sentence(doc: Doc, text: str, cue_char: int, qs: int) -> bool:
    """True when the quotation opens the sentence right after the cue's sentence."""
    span = doc.char_span(qs, qs + 1, alignment_mode="expand")
    if span is None or span.start == 0 or span.sent.start_char != qs:
        return False
    i = span.sent.start - 1
    while i > 0 and doc[i].is_space:
        i -= 1
    prev = doc[i].sent
    return prev.start_char <= cue_char < prev.end_char and text.count("\n", prev.end_char, qs) <= 2


_COLON_LABELS = frozenset(
    """
    correction update note editor editor's editor’s related photo photos video watch
    read source sources advertisement click listen share warning disclaimer update:
    """.split()
)


def _bare(gap: str, max_breaks: int) -> bool:
    """Only punctuation and at most ``max_breaks`` line breaks between two pieces."""
    return not gap.strip(" \t\r\n.,;:") and gap.count("\n") <= max_breaks


def _start(a: AttributionSpan) -> int:
    starts = [a.content_start, a.cue[0]]
    if a.source is not None:
        starts.append(a.source[0])
    return min(starts)


def _reach(a: AttributionSpan) -> int:
    """Where an attribution's last part (content, cue or source) ends."""
    ends = [a.content_end, a.cue[1]]
    if a.source is not None:
        ends.append(a.source[1])
    return max(ends)


# -- helpers ------------------------------------------------------------------------


def _subject(verb: Token) -> Token | None:
    """The verb's subject; of two (a dateline the parser took for one), the nearer."""
    subjects = [c for c in verb.children if c.dep_ in SUBJECT_DEPS]
    if not subjects:
        return None
    return min(subjects, key=lambda c: abs(verb.i - c.i))


_TRUE_AUXILIARIES = frozenset(
    "be have do will would can could may might shall should must ought need dare get".split()
)


def _verb_lemma(tok: Token) -> str:
    """The lemma, repaired where the tagger's wrong part of speech left it inflected."""
    lemma = tok.lemma_.lower()
    if tok.pos_ == "AUX" and lemma == tok.lower_ and tok.tag_ == "VBZ" and lemma.endswith("s"):
        return lemma[:-1]
    return lemma


def _mistagged_aux(tok: Token) -> bool:
    """A lexical verb the tagger called an auxiliary ("Iran admits sending ...")."""
    return tok.pos_ == "AUX" and tok.lemma_.lower() not in _TRUE_AUXILIARIES


def _infinitive(verb: Token) -> bool:
    return verb.tag_ == "VB" and any(c.dep_ == "aux" and c.lower_ == "to" for c in verb.children)


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


_CONTENT_PREPS = frozenset({"for", "about", "of", "on", "to", "against", "with", "over"})


def _prep_object(verb: Token) -> Token | None:
    """The preposition right after a cue verb that introduces its content ("called for",
    "spoke of"); not a time or place adjunct ("saying for weeks")."""
    if any(c.dep_ in ("dobj", "ccomp") for c in verb.children):
        return None
    for c in verb.children:
        objs = [g for g in c.children if g.dep_ in ("pobj", "pcomp")]
        if (
            c.dep_ == "prep"
            and c.lower_ in _CONTENT_PREPS
            and verb.i < c.i <= verb.i + 2
            and objs
            and not any(g.ent_type_ in ("DATE", "TIME", "GPE", "LOC") for g in objs)
        ):
            return c
    return None


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
            cue = stop_at_cues.cue_for(t) if t.dep_ == "conj" and t.i > head.i else None
            # only a coordinated *reporting* clause ("... but said they were sent") is a new
            # attribution; "offered to ..." or "let them know" stays part of the content
            if (
                cue is not None
                and cue.cls != "learned"
                and _has_own_content(t)
                and (_subject(t) is None or t.head == head)
            ):
                skip.update(x.i for x in t.subtree)
                skip.update(c.i for c in t.head.children if c.dep_ == "cc" and c.i < t.i)
    toks = [t for t in head.subtree if t.i not in skip]
    return _drop_trailing_relative(toks)


def _drop_trailing_relative(toks: list[Token]) -> list[Token]:
    """Leave out a non-restrictive relative clause that ends the content
    ("... the war in Ukraine, where Russia has used drones ..."): it is the writer's
    gloss, not part of what was reported (PolNeAR and our gold both leave it out)."""
    if not toks:
        return toks
    ids = {t.i for t in toks}
    last = max(ids)
    for t in toks:
        if t.dep_ != "relcl" or t.right_edge.i < last - 1:
            continue
        first = t.left_edge
        doc = t.doc
        if first.i > 0 and doc[first.i - 1].text == "," and doc[first.i - 1].i in ids:
            cut = {x.i for x in t.subtree} | {first.i - 1}
            return [x for x in toks if x.i not in cut]
    return toks


def _has_own_content(verb: Token) -> bool:
    return any(c.dep_ in ("ccomp", "parataxis") for c in verb.children)


def _right_tokens(verb: Token, obj: Token, finder: AttributionFinder) -> list[Token]:
    """The object and whatever follows it in the verb's clause: annotators mostly keep
    adjuncts ("drone shipments to Russia before the war") inside the content."""
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
    # quotes are sorted and do not overlap: those ending before the content's start
    # cannot touch it, and once one starts at or after its (growing) end none can
    for qs, qe in quotes[_first_ending_at(quotes, min(s, e)) :]:
        if qs >= e and qs > s:
            break
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
    verb_end = verb.idx + len(verb.text)
    # ``quotes`` are sorted and do not overlap: start at the first that ends in the
    # sentence; after the first one past the verb, the quotation itself stands between
    # the verb and any later one, so none can follow it (``_QUOTE_RE`` spans begin
    # with a quotation mark)
    for qs, qe in quotes[_first_ending_at(quotes, sent.start_char - 1) :]:
        if qe <= verb.idx and qe >= sent.start_char - 1:
            between = text[qe : verb.idx]
            if len(between) < 80 and "\n" not in between and _no_other_verb(verb, qe):
                return [(qs, qe)]
        if qs >= verb.idx:
            between = text[verb_end:qs]
            bare = len(between) < 40 and between.strip(" ,:\t") == ""
            if bare or between.strip() in (":", ","):
                return [(qs, qe)]
            if qs >= verb_end:
                break
    return []


def _first_ending_at(quotes: Sequence[tuple[int, int]], pos: int) -> int:
    """Index of the first of ``quotes`` (sorted, not overlapping) that ends at or after
    ``pos``; those before it end before ``pos``."""
    k = bisect.bisect_left(quotes, (pos, pos)) - 1
    return k if k >= 0 and quotes[k][1] >= pos else k + 1


def _no_other_verb(verb: Token, after: int) -> bool:
    for t in verb.sent:
        if after <= t.idx < verb.idx and t.pos_ == "VERB" and t.i != verb.i:
            return False
    return True


_CUE_NOUNS = frozenset(
    {
        "statement",
        "interview",
        "speech",
        "tweet",
        "post",
        "letter",
        "email",
        "address",
        "op-ed",
        "release",
        "remarks",
        "briefing",
        "conference",
        "call",
        "message",
        "video",
        "memo",
    }
)


def _phrase_end(tok: Token) -> int:
    """Where a phrase ends if the clauses hanging off it are left out ("in a statement
    [that the border would stay closed]")."""
    clausal = {t.i for c in tok.subtree if c.dep_ in ("acl", "relcl", "ccomp") for t in c.subtree}
    return max(t.i for t in tok.subtree if t.i not in clausal)


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
        elif (
            c.dep_ == "npadvmod"
            or (c.dep_ in ("advmod", "npadvmod") and c.ent_type_ in ("DATE", "TIME"))
            or (
                c.dep_ == "prep"
                and c.lower_ in ("in", "during", "on", "at")
                and any(g.lemma_.lower() in _CUE_NOUNS for g in c.children if g.dep_ == "pobj")
            )
        ):
            right = _phrase_end(c)
    prep = _prep_object(verb)
    if (
        prep is not None
        and prep.i <= right + 2
        and not any(c.dep_ in ("ccomp", "dobj", "xcomp") for c in verb.children)
    ):
        right = max(right, prep.i)
    if right + 1 < len(doc) and doc[right + 1].text == ":":
        right += 1
    return doc[left].idx, doc[right].idx + len(doc[right].text)


def _cut(content: list[tuple[int, int]], hole: tuple[int, int], text: str) -> list[tuple[int, int]]:
    """Remove ``hole`` (a cue or source) from content fragments, re-trimming the edges."""
    out: list[tuple[int, int]] = []
    for s, e in content:
        if e <= hole[0] or s >= hole[1]:
            out.append((s, e))
            continue
        if s < hole[0]:
            out.append(_trim_content(text, s, hole[0]))
        if e > hole[1]:
            out.append(_trim_content(text, hole[1], e))
    return [(s, e) for s, e in out if e - s > 1]


def _content_token_ids(content: list[tuple[int, int]], doc: Doc) -> set[int]:
    ids: set[int] = set()
    for s, e in content:
        span = doc.char_span(s, e, alignment_mode="expand")
        if span is not None:
            ids.update(range(span.start, span.end))
    return ids


#: Words by which a speaker rejects a claim in their own words ("the missile part is
#: completely wrong"); with an affirming cue they make the statement a denial.
_REJECTION = re.compile(
    r"(?i)\b(?:(?:completely|totally|absolutely|simply|entirely) )?(?:wrong|false|untrue|baseless|"
    r"groundless|unfounded|fabricated|fabrication|lies|a lie|nonsense|insinuations?|"
    r"not true|no truth|never happened|fake news|absurd|ridiculous)\b"
)


def _text(text: str, content: list[tuple[int, int]]) -> str:
    return " ".join(text[s:e] for s, e in content)


def _kind(text: str, content: list[tuple[int, int]], quotes: Sequence[tuple[int, int]]) -> str:
    """direct: every fragment is a whole quotation; mixed: some quoted words; else indirect."""
    frags = []
    for s, e in content:
        m = re.match(r"(?i)that,?\s+", text[s:e])
        frags.append((s + m.end(), e) if m else (s, e))
    if all(_is_quote(f, quotes) for f in frags):
        return "direct"
    if any(_overlaps_quote(s, e, quotes) for s, e in content):
        return "mixed"
    return "indirect"


def _is_quote(span: tuple[int, int], quotes: Sequence[tuple[int, int]]) -> bool:
    """``span in quotes`` for sorted ``quotes``, by bisection."""
    k = bisect.bisect_left(quotes, span)
    return k < len(quotes) and quotes[k] == span


def _overlaps_quote(s: int, e: int, quotes: Sequence[tuple[int, int]]) -> bool:
    """Does any of ``quotes`` (sorted, not overlapping) overlap ``s:e``?

    Only the last quotation starting before ``s`` and the first starting at or after
    it can: every other one ends before the one or starts after the other.
    """
    k = bisect.bisect_left(quotes, (s, s))
    return any(qs < e and s < qe for qs, qe in quotes[max(k - 1, 0) : k + 1])


def _inside(pos: int, spans: Sequence[tuple[int, int]]) -> bool:
    """``pos`` strictly inside one of ``spans`` (sorted, non-overlapping quotations)."""
    k = bisect.bisect_left(spans, (pos, pos)) - 1
    return k >= 0 and spans[k][0] < pos < spans[k][1] - 1


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


class SpanIndex:
    """Character spans bucketed by position, to find those near a position without
    walking all of them (a long document has thousands of quotations, cues and
    contents, and looking each up from every token was quadratic).

    ``near(pos)`` gives, in the order they were added, every ``(key, start, end)`` with
    ``start <= pos <= end`` and possibly a few more: callers test their own condition,
    so their answers are the same as a scan over all the spans.
    """

    BUCKET = 256

    def __init__(self, spans: Iterable[tuple[int, int, int]] = ()) -> None:
        self.buckets: dict[int, list[tuple[int, int, int]]] = {}
        for item in spans:
            self.add(item)

    def add(self, item: tuple[int, int, int]) -> None:
        _, s, e = item
        for b in range(s // self.BUCKET, max(s, e) // self.BUCKET + 1):
            self.buckets.setdefault(b, []).append(item)

    def near(self, pos: int) -> list[tuple[int, int, int]]:
        return self.buckets.get(pos // self.BUCKET, [])

    def near_range(self, start: int, end: int) -> Iterator[tuple[int, int, int]]:
        """Every span with ``start <= span_end`` and ``span_start <= end`` (and maybe a
        few more, some more than once: for tests like ``any``, not for ordered scans)."""
        for b in range(start // self.BUCKET, max(start, end) // self.BUCKET + 1):
            yield from self.buckets.get(b, ())


def attribution_spans(doc: Doc) -> list[AttributionSpan]:
    """The attributions a ``claimgraph_attributions`` component put on ``doc``."""
    found: list[AttributionSpan] | None = doc._.attributions
    return found or []


def sentence_of(doc: Doc, char: int) -> Span | None:
    span = doc.char_span(char, char + 1, alignment_mode="expand")
    return span.sent if span is not None else None
