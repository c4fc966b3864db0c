"""The ledger's records, as plain dataclasses shared by every stage.

Every record that comes from text keeps character offsets into ``Document.text``
(Python string indices, end exclusive) so any fact can be traced to its sentence.
``to_dict`` methods produce the JSON contract of ``claimgraph extract`` documented
in DESIGN.md; keep those names stable.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any

SECTION_KINDS = ("headline", "caption", "body", "related", "boilerplate")
#: Sections whose sentences are claims of the article; the rest are link lists etc.
CLAIM_SECTIONS = frozenset({"headline", "caption", "body"})


def content_id(text: str) -> str:
    """Stable document id: the same text always gets the same id, wherever it came from."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


@dataclass(frozen=True)
class TextSpan:
    start: int
    end: int
    text: str
    #: Discontinuous spans (e.g. a quote interrupted by "he said"): [(start, end), ...].
    fragments: tuple[tuple[int, int], ...] | None = None

    def joined(self, doc_text: str, sep: str = " … ") -> str:
        """The span's words without what interrupts them ("he said" inside a quote)."""
        if not self.fragments or len(self.fragments) < 2:
            return self.text
        return sep.join(doc_text[s:e] for s, e in self.fragments)

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"start": self.start, "end": self.end, "text": self.text}
        if self.fragments and len(self.fragments) > 1:
            out["fragments"] = [list(f) for f in self.fragments]
        return out

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> TextSpan:
        frags = d.get("fragments")
        return cls(
            int(d["start"]),
            int(d["end"]),
            str(d["text"]),
            tuple((int(a), int(b)) for a, b in frags) if frags else None,
        )


@dataclass(frozen=True)
class Section:
    kind: str
    start: int
    end: int

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "start": self.start, "end": self.end}


@dataclass
class Document:
    """One article as read: ``name`` is the path or record label the user gave."""

    name: str
    text: str
    title: str | None = None
    url: str | None = None
    outlet: str | None = None
    published: str | None = None  # ISO date YYYY-MM-DD
    id: str = ""

    def __post_init__(self) -> None:
        if not self.id:
            self.id = content_id(self.text)


@dataclass
class Actor:
    """A participant resolved within one document (a later stage merges across documents)."""

    id: str
    name: str
    type: str  # person | state | organisation | media | group | unknown
    country: str | None = None  # ISO 3166-1 alpha-3
    role: str | None = None
    mentions: list[TextSpan] = field(default_factory=list)
    #: PLOVER/CAMEO sector (GOV, MIL, MED, IGO, NGO, BUS, ...), where the text tells.
    sector: str | None = None
    #: The body the role belongs to ("Ukrainian Foreign Ministry" for a spokesperson).
    affiliation: str | None = None
    aliases: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "type": self.type,
            "country": self.country,
            "role": self.role,
            "affiliation": self.affiliation,
            "sector": self.sector,
            "aliases": list(self.aliases),
            "mentions": [m.to_dict() for m in self.mentions],
        }


@dataclass
class Attribution:
    id: str
    cue: TextSpan
    content: TextSpan
    source: TextSpan | None = None
    speaker: str | None = None  # actor id
    channel: str | None = None  # actor id of an intermediary (news agency quoting someone)
    kind: str = "indirect"  # direct | indirect | mixed
    stance: str = "affirm"  # affirm | deny | acknowledge | allege | ...
    section: str = "body"
    #: Further speakers when the source is coordinated ("Tehran and Moscow deny ...").
    co_speakers: list[str] = field(default_factory=list)
    #: ``speech`` (said, denied, announced) or ``thought`` (believes, fears, hopes).
    mode: str = "speech"
    #: Estimated probability that the attribution is right (``claimgraph.confidence``);
    #: ``None`` where no model scored it.
    confidence: float | None = None
    #: The cue's lemma ("say", "according to", ":"); not part of the JSON contract.
    cue_lemma: str = ""
    #: Whether the cue is negated ("did not say"); not part of the JSON contract.
    negated: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "source": self.source.to_dict() if self.source else None,
            "cue": self.cue.to_dict(),
            "content": self.content.to_dict(),
            "speaker": self.speaker,
            "channel": self.channel,
            "kind": self.kind,
            "stance": self.stance,
            "section": self.section,
            "co_speakers": list(self.co_speakers),
            "mode": self.mode,
            "confidence": None if self.confidence is None else round(self.confidence, 3),
        }


@dataclass
class Extraction:
    """Everything extracted from one document."""

    document: Document
    sections: list[Section] = field(default_factory=list)
    actors: list[Actor] = field(default_factory=list)
    attributions: list[Attribution] = field(default_factory=list)
    events: list[dict[str, Any]] = field(default_factory=list)
    claims: list[dict[str, Any]] = field(default_factory=list)
    #: Each event's trigger as the parser read it, (lemma, part of speech), in the order
    #: of ``events``; a feature of the event confidence, not part of the JSON contract.
    event_words: list[tuple[str, str]] = field(default_factory=list)

    def actor(self, actor_id: str | None) -> Actor | None:
        if actor_id is None:
            return None
        for a in self.actors:
            if a.id == actor_id:
                return a
        return None

    def to_dict(self) -> dict[str, Any]:
        doc = self.document
        return {
            "document": doc.name,
            "id": doc.id,
            "published": doc.published,
            "title": doc.title,
            "url": doc.url,
            "outlet": doc.outlet,
            "sections": [s.to_dict() for s in self.sections],
            "actors": [a.to_dict() for a in self.actors],
            "attributions": [a.to_dict() for a in self.attributions],
            "events": list(self.events),
            "claims": list(self.claims),
        }
