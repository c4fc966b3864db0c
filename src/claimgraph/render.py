"""Human-readable views of an ``Extraction``, for the terminal now and the web UI later.

The logic that decides *what* a reader sees (who is speaking, through whom, which
part of the sentence is source, cue and content) is kept apart from *how* it is
drawn: ``sentence_segments`` returns plain ``(text, role)`` pieces that an HTML
template can wrap in ``<mark>`` tags, and the ``*_text`` functions wrap the same
pieces in ``rich.text.Text`` for a console.

Article text is never passed to rich as markup: an article may contain
``[brackets]`` or ``:colons:`` that rich would otherwise interpret, and terminal
escape sequences that would otherwise reach the terminal. Every piece of article
text goes through ``Text.append`` with an explicit style after ``_printable``.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from rich.console import Console, Group, RenderableType
from rich.padding import Padding
from rich.text import Text

from claimgraph.model import Actor, Attribution, Extraction, TextSpan

#: Roles of the highlighted spans, drawn in this order of priority where they overlap.
ROLES = ("cue", "source", "content")

#: Colours differ and so do the decorations, so the three roles stay apart under
#: NO_COLOR (rich drops colours but keeps bold, underline and italic).
STYLES: dict[str, str] = {
    "source": "bold cyan",
    "cue": "bold underline yellow",
    "content": "italic green",
}
HEADER_STYLE = "bold"
DIM_STYLE = "dim"

#: How far the sentence view reaches beyond the spans to find a sentence boundary.
CONTEXT_CHARS = 160
#: Content longer than this is shortened in the one-line summary (the sentence view
#: below it shows it whole).
SUMMARY_CONTENT_CHARS = 300

_SENTENCE_END_BEFORE = re.compile(r"(?:[.!?][\"'’”)\]]*\s+|\n)")
_SENTENCE_END_AFTER = re.compile(r"[.!?][\"'’”)\]]*(?=\s|$)|\n")
#: Control characters (C0 except tab/newline, DEL, C1) would drive the terminal.
_ENDS_SENTENCE = re.compile(r"[.!?][\"'’”)\]]*$")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


@dataclass(frozen=True)
class Segment:
    """A piece of the sentence view: ``role`` is None for text outside every span."""

    text: str
    role: str | None


def _printable(text: str) -> str:
    """Display form of article text, with the same length so offsets still line up."""
    return _CONTROL.sub("\ufffd", text).replace("\t", " ")


def _one_line(text: str) -> str:
    return " ".join(_printable(text).split())


def _shorten(text: str, limit: int) -> str:
    text = _one_line(text)
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    if " " in cut[limit // 2 :]:
        cut = cut[: cut.rindex(" ")]
    return cut + "…"


# --------------------------------------------------------------------------- pure logic


def span_ranges(span: TextSpan | None) -> list[tuple[int, int]]:
    """The character ranges a span covers: its fragments, so that the words between
    them ("he said" inside a split quote) are not marked as content."""
    if span is None:
        return []
    if span.fragments:
        return [(s, e) for s, e in span.fragments if e > s]
    return [(span.start, span.end)] if span.end > span.start else []


def context_bounds(text: str, start: int, end: int, reach: int = CONTEXT_CHARS) -> tuple[int, int]:
    """Widen ``[start, end)`` to the sentence(s) around it, at most ``reach`` characters
    each way: the extraction carries no sentence boundaries, and the sentence is what
    a reader needs to judge an attribution."""
    left, right, _, _ = _context(text, start, end, reach)
    return left, right


def _context(text: str, start: int, end: int, reach: int) -> tuple[int, int, bool, bool]:
    """``context_bounds`` plus whether each side was cut short mid-sentence."""
    start = max(0, min(start, len(text)))
    end = max(start, min(end, len(text)))
    lo = max(0, start - reach)
    before = None
    for m in _SENTENCE_END_BEFORE.finditer(text, lo, start):
        before = m
    left = before.end() if before else lo
    cut_left = before is None and lo > 0 and text[lo - 1] != "\n"
    if _ENDS_SENTENCE.search(text, max(0, end - 8), end) and (
        end == len(text) or text[end].isspace()
    ):
        right, cut_right = end, False
    else:
        hi = min(len(text), end + reach)
        after = _SENTENCE_END_AFTER.search(text, end, hi)
        right = hi if after is None else after.end()
        cut_right = after is None and hi < len(text)
    while right > left and text[right - 1] in "\r\n":
        right -= 1
    while left < right and text[left].isspace():
        left += 1
    return left, right, cut_left, cut_right


def sentence_segments(text: str, attribution: Attribution) -> list[Segment]:
    """The sentence an attribution comes from, cut into pieces by role.

    Leading/trailing ``…`` pieces (role None) mark a view cut short mid-sentence.
    Line breaks become spaces, so a piece never breaks the layout it is put in.
    """
    ranges = {role: span_ranges(getattr(attribution, role)) for role in ROLES}
    covered = [r for rs in ranges.values() for r in rs]
    if not covered:
        return []
    left, right, cut_left, cut_right = _context(
        text, min(s for s, _ in covered), max(e for _, e in covered), CONTEXT_CHARS
    )
    roles: list[str | None] = [None] * (right - left)
    for role in reversed(ROLES):  # highest priority last, so it wins
        for s, e in ranges[role]:
            for i in range(max(s, left), min(e, right)):
                roles[i - left] = role
    segments: list[Segment] = []
    if cut_left:
        segments.append(Segment("…", None))
    i = left
    while i < right:
        here = roles[i - left]
        j = i
        while j < right and roles[j - left] == here:
            j += 1
        segments.append(Segment(text[i:j].replace("\r", " ").replace("\n", " "), here))
        i = j
    if cut_right:
        segments.append(Segment("…", None))
    return segments


def actor_description(actor: Actor) -> str:
    """``type · country · role``, skipping what is unknown."""
    parts = [actor.type if actor.type and actor.type != "unknown" else None]
    parts += [actor.country, actor.role]
    return " · ".join(p for p in parts if p)


def section_summary(extraction: Extraction) -> str:
    """E.g. ``1 headline, 9 body, 1 related``: what the reader is looking at, and
    whether boilerplate was told apart from the article."""
    counts = Counter(s.kind for s in extraction.sections)
    if not counts:
        return "no sections"
    order = ("headline", "caption", "body", "related", "boilerplate")
    kinds = [k for k in order if k in counts] + sorted(k for k in counts if k not in order)
    return ", ".join(f"{counts[k]} {k}" for k in kinds)


# --------------------------------------------------------------------------- rich


def header_text(extraction: Extraction) -> Text:
    doc = extraction.document
    text = Text()
    text.append(_one_line(doc.name), style=HEADER_STYLE)
    details = [f"published {doc.published}" if doc.published else "no publication date"]
    if doc.outlet:
        details.append(_one_line(doc.outlet))
    details.append(section_summary(extraction))
    n = len(extraction.attributions)
    details.append(f"{n} attribution{'' if n == 1 else 's'}")
    text.append("  ·  " + "  ·  ".join(details), style=DIM_STYLE)
    if doc.title:
        text.append("\n")
        text.append(_one_line(doc.title), style="italic")
    if doc.url:
        text.append("\n")
        text.append(_one_line(doc.url), style=DIM_STYLE)
    return text


def speaker_text(extraction: Extraction, attribution: Attribution) -> Text:
    """Who speaks, resolved where possible, and the words that named them when those
    differ ("he", "the minister"), so the resolution can be checked at a glance."""
    text = Text()
    actor = extraction.actor(attribution.speaker)
    source = attribution.source
    if actor is not None:
        text.append(_one_line(actor.name), style=STYLES["source"])
        description = actor_description(actor)
        if description:
            text.append(f" ({description})", style=DIM_STYLE)
        if source is not None and _one_line(source.text).casefold() != actor.name.casefold():
            text.append(" as “", style=DIM_STYLE)
            text.append(_shorten(source.text, 80))
            text.append("”", style=DIM_STYLE)
    elif source is not None:
        text.append(_shorten(source.text, 120), style=STYLES["source"])
        text.append(" (unresolved)", style=DIM_STYLE)
    else:
        text.append("unknown speaker", style=DIM_STYLE)
    channel = extraction.actor(attribution.channel)
    if channel is not None:
        text.append("  via ", style=DIM_STYLE)
        text.append(_one_line(channel.name), style="bold")
    elif attribution.channel:
        text.append("  via ", style=DIM_STYLE)
        text.append(_one_line(attribution.channel), style="bold")
    return text


def cue_text(attribution: Attribution) -> Text:
    text = Text()
    text.append(_one_line(attribution.cue.text), style=STYLES["cue"])
    details = [attribution.stance, attribution.kind]
    if attribution.section and attribution.section != "body":
        details.append(attribution.section)
    text.append(f"  [{' · '.join(d for d in details if d)}]", style=DIM_STYLE)
    return text


def content_text(extraction: Extraction, attribution: Attribution) -> Text:
    """What was said; a quote split by "he said" shows its pieces joined by " … "."""
    ranges = span_ranges(attribution.content)
    text = extraction.document.text
    if len(ranges) > 1 and all(0 <= s < e <= len(text) for s, e in ranges):
        body = " … ".join(_one_line(text[s:e]) for s, e in ranges)
    else:
        body = attribution.content.text
    out = Text()
    out.append("“", style=DIM_STYLE)
    out.append(_shorten(body, SUMMARY_CONTENT_CHARS), style=STYLES["content"])
    out.append("”", style=DIM_STYLE)
    return out


def sentence_text(text: str, attribution: Attribution) -> Text:
    out = Text()
    for seg in sentence_segments(text, attribution):
        out.append(_printable(seg.text), style=STYLES[seg.role] if seg.role else "")
    return out


#: Indent of the lines under an attribution's number.
INDENT = 5


def attribution_lines(
    extraction: Extraction, attribution: Attribution, number: int
) -> list[tuple[int, Text]]:
    """One attribution as ``(indent, line)`` pairs: who, the cue, what was said, and
    the sentence with its spans marked. Left to the caller to lay out, because a
    terminal wants wrapped lines with a hanging indent and a pipe wants long lines."""
    head = Text()
    head.append(f"{number:>3}  ", style=DIM_STYLE)
    head.append_text(speaker_text(extraction, attribution))
    lines = [
        (0, head),
        (INDENT, cue_text(attribution)),
        (INDENT, content_text(extraction, attribution)),
    ]
    sentence = sentence_text(extraction.document.text, attribution)
    if sentence.plain:
        lines.append((INDENT, Text.assemble(("│ ", DIM_STYLE), sentence)))
    return lines


def attribution_renderable(
    extraction: Extraction, attribution: Attribution, number: int
) -> RenderableType:
    """``attribution_lines`` for a screen: wrapped lines keep their indent."""
    return Group(
        *(
            Padding(line, (0, 0, 0, indent), expand=False)
            for indent, line in attribution_lines(extraction, attribution, number)
        )
    )


def render_extraction(extraction: Extraction, console: Console) -> None:
    """Print one document's header and every attribution in text order.

    On a terminal lines wrap to its width; elsewhere (a pipe, a file) each line is
    printed whole, so the output has no wrapped fragments or trailing padding and
    stays greppable.
    """
    wrap = console.is_terminal
    console.print(header_text(extraction), soft_wrap=not wrap)
    if not extraction.attributions:
        console.print(Text(" " * INDENT + "no attributions found", style=DIM_STYLE))
    ordered = sorted(extraction.attributions, key=lambda a: (a.cue.start, a.cue.end))
    for number, attribution in enumerate(ordered, start=1):
        if wrap:
            console.print(attribution_renderable(extraction, attribution, number))
            continue
        for indent, line in attribution_lines(extraction, attribution, number):
            console.print(Text.assemble(" " * indent, line), soft_wrap=True)
    console.print()


def legend_text() -> Text:
    """The key to the colours, printed once before the first document."""
    text = Text("key: ", style=DIM_STYLE)
    for i, role in enumerate(("source", "cue", "content")):
        if i:
            text.append("  ")
        text.append(role, style=STYLES[role])
    return text
