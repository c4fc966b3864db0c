"""The article reader's markup, built from offsets, with every piece of text escaped.

Spans overlap freely (a quote's content holds another statement's source and cue,
an event trigger sits inside a content), so nested tags cannot express them. The
text is cut at every span boundary instead, and each piece becomes one flat
``<span>`` whose classes and ``data-`` attributes list every span covering it: the
browser needs no offsets and nothing can be mis-nested.

Safety: article text reaches the page only through :func:`html.escape`, piece by
piece; class names and ids are ours (roles, local ids checked against a pattern).
The result is a :class:`markupsafe.Markup`, so Jinja2 inserts it as is and the
template never needs ``|safe`` on anything derived from article text.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from itertools import pairwise
from typing import Any

from markupsafe import Markup

from claimgraph.model import Section

#: Which role colours a piece when several cover it (the cue is the shortest and
#: most telling, then who spoke, then what was said).
ROLE_PRIORITY = ("cue", "source", "content")
#: How each section kind is set in the reader; captions and link lists are set apart
#: because they make no claims of the article.
SECTION_LABELS = {
    "headline": "Headline",
    "caption": "Photo caption",
    "body": "",
    "related": "Related links (not part of the article)",
    "boilerplate": "Boilerplate (not part of the article)",
}
_SAFE_ID = re.compile(r"^[A-Za-z0-9_.-]+$")
_PARAGRAPH_BREAK = re.compile(r"\n\s*\n|\n")


@dataclass(frozen=True)
class Mark:
    """A range of the text with what it is: ``role`` is source, cue, content or event."""

    start: int
    end: int
    role: str
    ref: str


@dataclass
class Block:
    """A section of the article as drawn: its kind, a label, and paragraphs of markup."""

    kind: str
    label: str
    start: int
    end: int
    paragraphs: list[Markup] = field(default_factory=list)


def _ranges(span: dict[str, Any] | None) -> list[tuple[int, int]]:
    if not span:
        return []
    frags = span.get("fragments")
    if frags:
        return [(int(s), int(e)) for s, e in frags if int(e) > int(s)]
    s, e = int(span["start"]), int(span["end"])
    return [(s, e)] if e > s else []


def marks_for(
    attributions: Iterable[dict[str, Any]], events: Iterable[dict[str, Any]]
) -> list[Mark]:
    """Source, cue and content ranges of each attribution, and each event's trigger."""
    out: list[Mark] = []
    for att in attributions:
        ref = str(att["id"])
        if not _SAFE_ID.match(ref):
            continue
        for role in ("source", "cue", "content"):
            out.extend(Mark(s, e, role, ref) for s, e in _ranges(att.get(role)))
    for ev in events:
        ref = str(ev["id"])
        if _SAFE_ID.match(ref):
            out.extend(Mark(s, e, "event", ref) for s, e in _ranges(ev.get("trigger")))
    return out


def _piece(text: str, covering: Sequence[Mark]) -> str:
    escaped = html.escape(text, quote=True)
    if not covering:
        return escaped
    roles = {m.role for m in covering}
    role = next((r for r in ROLE_PRIORITY if r in roles), None)
    classes = ["cg-mark"]
    if role is not None:
        classes.append(f"cg-{role}")
    if "event" in roles:
        classes.append("cg-event")
    atts = sorted({m.ref for m in covering if m.role != "event"})
    evs = sorted({m.ref for m in covering if m.role == "event"})
    attrs = [f'class="{" ".join(classes)}"', 'tabindex="0"']
    if atts:
        attrs.append(f'data-att="{" ".join(atts)}"')
    if evs:
        attrs.append(f'data-ev="{" ".join(evs)}"')
    if role is not None:
        attrs.append(f'data-role="{role}"')
    return f"<span {' '.join(attrs)}>{escaped}</span>"


def markup_range(text: str, start: int, end: int, marks: Sequence[Mark]) -> Markup:
    """``text[start:end]`` as escaped HTML with the marks drawn over it."""
    inside = [m for m in marks if m.start < end and m.end > start]
    cuts = {start, end}
    for m in inside:
        cuts.add(max(start, m.start))
        cuts.add(min(end, m.end))
    points = sorted(cuts)
    pieces: list[str] = []
    for lo, hi in pairwise(points):
        if hi <= lo:
            continue
        covering = [m for m in inside if m.start <= lo and m.end >= hi]
        pieces.append(_piece(text[lo:hi], covering))
    return Markup("".join(pieces))


def paragraphs(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Ranges of the non-empty paragraphs (line-separated) in ``text[start:end]``."""
    out: list[tuple[int, int]] = []
    pos = start
    for m in _PARAGRAPH_BREAK.finditer(text, start, end):
        if text[pos : m.start()].strip():
            out.append((pos, m.start()))
        pos = m.end()
    if text[pos:end].strip():
        out.append((pos, end))
    return out


def article_blocks(
    text: str,
    sections: Sequence[Section],
    attributions: Sequence[dict[str, Any]],
    events: Sequence[dict[str, Any]],
) -> list[Block]:
    """The article cut into its sections (or one body when it has none), each a list of
    paragraphs with sources, cues, contents and event triggers marked."""
    marks = marks_for(attributions, events)
    spans = [(s.kind, s.start, s.end) for s in sections if 0 <= s.start < s.end <= len(text)]
    if not spans:
        spans = [("body", 0, len(text))]
    blocks = []
    for kind, start, end in spans:
        block = Block(kind, SECTION_LABELS.get(kind, kind), start, end)
        block.paragraphs = [
            markup_range(text, lo, hi, marks) for lo, hi in paragraphs(text, start, end)
        ]
        if block.paragraphs:
            blocks.append(block)
    return blocks


def marked_sentence(text: str, ranges: Sequence[tuple[int, int]]) -> Markup:
    """``text`` escaped, with the given ``[start, end)`` ranges wrapped in ``<mark>``
    (search snippets, a claim's evidence inside its sentence)."""
    pieces: list[str] = []
    pos = 0
    for s, e in sorted(ranges):
        s, e = max(pos, s), min(len(text), e)
        if e <= s:
            continue
        pieces.append(html.escape(text[pos:s], quote=True))
        pieces.append(f"<mark>{html.escape(text[s:e], quote=True)}</mark>")
        pos = e
    pieces.append(html.escape(text[pos:], quote=True))
    return Markup("".join(pieces))
