"""Split an article's text into headline, caption, body, related-links and boilerplate.

Only headline, caption and body make claims of the article (``model.CLAIM_SECTIONS``);
a "Related posts" list carries other articles' headlines and a "Reporting by" footer
carries no claim at all, so later stages must be able to skip them by offset.

The heuristics work on paragraphs (blank-line separated blocks, or single lines when
a text has no blank lines at all) and look only at shapes that recur across outlets:
short single-line titles, photo-credit formulas, link-list markers and stock phrases.
They are deliberately conservative where a mistake would hide claims: anything not
recognised is body.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from claimgraph.model import Section

#: A headline is one short line; longer first paragraphs are ledes, not titles.
HEADLINE_MAX_WORDS = 25
HEADLINE_MAX_CHARS = 250
#: Captions and boilerplate are short; a long paragraph that mentions "Getty Images"
#: or "subscribe" is prose about them, not a credit or a footer.
CAPTION_MAX_WORDS = 90
BOILERPLATE_MAX_WORDS = 60
#: Items of a related-links list are headline-sized.
RELATED_ITEM_MAX_WORDS = 25
RELATED_ITEM_MAX_CHARS = 200

_BLANK_LINE = re.compile(r"\n[ \t\r\f\v\ufeff]*\n")
_WORD = re.compile(r"[^\W_]+(?:['’.-][^\W_]+)*")
_NON_SPACE = re.compile(r"[^\s\ufeff]")

# A wire dateline ("KYIV (Reuters) -", "WASHINGTON (AP) —") opens the body, even though
# "Reuters" or "AP" would otherwise look like a photo credit.
_DATELINE = re.compile(
    r"^[^\n]{0,80}?\((?:Reuters|AP|AFP|Associated Press|Bloomberg|UPI|dpa|CNN)\)\s*[-–—]",
    re.IGNORECASE,
)

# Photo credits. Anchored at the end of the paragraph ("... REUTERS/Gleb Garanich",
# "(AP Photo/Evan Vucci)") or the start ("Photo: ...", "File photo: ..."), or standing
# alone ("Getty."), because prose may mention agencies and photos anywhere.
_AGENCY = (
    r"(?:REUTERS|Reuters|AP|AFP|EPA|EPA-EFE|Getty Images|Getty|Shutterstock|Bloomberg|"
    r"Alamy|PA|PA Wire|Xinhua|TASS|Anadolu|ANP|SIPA|Sipa|NurPhoto|Pool|POOL|UPI|"
    r"Sputnik|Zuma|ZUMA|Kyodo|Yonhap|DPA|dpa)"
)
_CREDIT_END = re.compile(
    "(?:"
    + "|".join(
        [
            # Reuters: "REUTERS/Name" or "REUTERS/Name/File Photo"
            r"\bREUTERS/[^\n]{1,80}",
            # "(AP Photo/Name)", "(Photo by Name/AFP via Getty Images)"
            r"\((?:AP|AFP|Reuters|EPA|Getty|UPI|Pool|Xinhua)?\s*(?:Photo|Photograph|Image|Picture)s?"
            r"\s*(?:/|by|:)[^\n()]{1,100}\)",
            # "Name/AFP via Getty Images", "Name/Getty Images"
            r"(?:\bvia\s+|/\s*|[.!?]\s+)Getty Images\)?",
            # "Photograph: Name/AP"
            r"\b(?:Photo|Photograph|Image|Picture|Credit|Photo credit)s?\s*:\s*[^\n]{1,100}",
            # "Name/AP", "Name/EPA-EFE/Shutterstock"
            r"/\s*" + _AGENCY + r"(?:\s*(?:/|via)\s*[^\n]{1,40})?\)?",
            r"\b(?:File photo|FILE PHOTO|File Photo)\)?",
        ]
    )
    + r")[\s.)]*$",
)
_CREDIT_START = re.compile(
    r"^[\"'“(]?(?:"
    r"(?:FILE PHOTO|File photo|File Photo)\s*[:\-–—]"
    r"|(?:Photo|Photograph|Image|Picture|Photo credit)s?\s*:"
    r"|\((?:AP|AFP|Reuters)\s+Photo"
    r")",
)
_CREDIT_ALONE = re.compile(
    r"^[\"'“(]*(?:" + _AGENCY + r"|AP Photo|AFP Photo|Getty Images|Photo|Photograph|"
    r"File photo|FILE PHOTO)(?:\s*(?:/|via)\s*[\w .'’-]{1,60})*[\")”.]*$",
)

# The first line of a related-links list ("Related posts", "Read more", ...).
_RELATED_MARKER = re.compile(
    r"^[\"'“]?(?:"
    r"related(?:\s+(?:posts?|articles?|stories|story|content|coverage|news|links?|reading|"
    r"topics?|videos?))?"
    r"|read\s+(?:more|next|also)"
    r"|more\s+(?:from|on|stories|news|articles|coverage)\b[^\n.]{0,60}"
    r"|more\s+stories|most\s+(?:popular|read|viewed|shared)|popular\s+(?:now|stories|posts)"
    r"|recommended(?:\s+(?:for\s+you|stories|articles|reading))?"
    r"|you\s+(?:may|might)\s+(?:also\s+)?(?:like|be\s+interested\s+in|have\s+missed)"
    r"|trending(?:\s+(?:now|stories|news))?|see\s+also|also\s+read|further\s+reading"
    r"|editor['’]?s\s+picks?|top\s+stories|latest\s+(?:news|stories)|what\s+to\s+read\s+next"
    r")\s*[:.]?[\"'”]?\s*:?$",
    re.IGNORECASE,
)
# An inline promo: "READ MORE: Some other headline" on one short line.
_RELATED_INLINE = re.compile(
    r"^[\"'“]?(?:related|read\s+more|also\s+read|see\s+also|more\s+on\s+this|watch)\s*:\s*\S",
    re.IGNORECASE,
)

# Stock phrases that make no claim: calls to action, footers, ads, separators.
_BOILERPLATE = re.compile(
    r"^[\"'“(]*(?:"
    r"(?:read|see|view|continue\s+reading)\s+(?:the\s+)?(?:rest|full|whole|original|entire|more)\b"
    r"|continue\s+reading\b"
    r"|advertisement\s*[.:]?\s*$|sponsored(?:\s+content)?\s*[.:]?\s*$|ad\s*$"
    r"|story\s+continues\s+below"
    r"|share\s+(?:this|on|via|the\s+story|the\s+article)\b|(?:share|tweet|email|print)\s*$"
    r"|follow\s+(?:us\b(?![,'’\"”])|@|[^\n]{0,60}\bon\s+(?:twitter|x|facebook|instagram|linkedin|tiktok|threads|"
    r"youtube|telegram|bluesky|mastodon)\b)"
    r"|like\s+(?:us|our\s+page|the\s+page)\b"
    r"|sign\s+up\b|subscribe\b|(?:click|tap)\s+here\b|download\s+(?:our|the)\s+app\b"
    r"|get\s+(?:our|the)\s+(?:newsletter|app|daily|morning)\b|join\s+our\s+(?:newsletter|mailing)"
    r"|©|\(c\)\s*\d{4}|copyright\s*(?:©|\(c\)|\d{4})|all\s+rights\s+reserved"
    r"|(?:additional\s+)?(?:reporting|writing|editing|compiled|produced|edited)\s+by\b"
    r"|this\s+(?:story|article)\s+(?:has\s+been|was)\s+(?:updated|corrected|edited)\b"
    r"|(?:abstract|full\s+text|transcript\s+follows)\s*[.:]?\s*$"
    r"|(?:twitter|facebook|instagram|e-?mail|contact)\s*:\s*\S+\s*$"
    r"|watch\s*:?\s*$|watch\s+(?:the\s+)?(?:full\s+)?video\b"
    r")",
    re.IGNORECASE,
)
# Whole-paragraph boilerplate anywhere in it: "All rights reserved" footers.
_BOILERPLATE_ANYWHERE = re.compile(r"all\s+rights\s+reserved|©\s*\d{4}", re.IGNORECASE)


@dataclass
class _Unit:
    """One paragraph (or line) with its trimmed offsets and the kind given to it."""

    start: int
    end: int
    text: str
    kind: str = "body"

    @property
    def words(self) -> int:
        return len(_WORD.findall(self.text))

    @property
    def single_line(self) -> bool:
        return "\n" not in self.text


def split_sections(text: str, title: str | None = None) -> list[Section]:
    """Sections in text order, contiguous runs of one kind merged, separators left out.

    ``title`` (from HTML or JSON metadata) pins the headline when the text starts
    with it, which is more reliable than judging the first line by its shape.
    """
    units = _paragraphs(text)
    if not units:
        return []
    index = 0
    headline = _find_headline(text, units, title)
    if headline is not None:
        units = headline
        index = 1
    _classify(units, index)
    return _merge(units)


def _paragraphs(text: str) -> list[_Unit]:
    """Blank-line separated blocks; single lines where the text uses no blank lines.

    Offsets are trimmed to the first and last non-space character, so separators
    (and stray indentation) fall outside every section.
    """
    blocks: list[tuple[int, int]] = []
    pos = 0
    for m in _BLANK_LINE.finditer(text):
        blocks.append((pos, m.start()))
        pos = m.end()
    blocks.append((pos, len(text)))
    trimmed = [t for t in (_trim(text, a, b) for a, b in blocks) if t is not None]
    if len(trimmed) == 1 and "\n" in text[trimmed[0][0] : trimmed[0][1]]:
        # One block with several lines: a text that separates paragraphs by single
        # newlines (common after HTML extraction), so each line is a paragraph.
        lines: list[tuple[int, int]] = []
        pos = trimmed[0][0]
        for line in text[trimmed[0][0] : trimmed[0][1]].split("\n"):
            span = _trim(text, pos, pos + len(line))
            if span is not None:
                lines.append(span)
            pos += len(line) + 1
        trimmed = lines
    return [_Unit(a, b, text[a:b]) for a, b in trimmed]


def _trim(text: str, start: int, end: int) -> tuple[int, int] | None:
    m = _NON_SPACE.search(text, start, end)
    if m is None:
        return None
    last = end
    while last > m.start() and (text[last - 1].isspace() or text[last - 1] == "\ufeff"):
        last -= 1
    return m.start(), last


def _find_headline(text: str, units: list[_Unit], title: str | None) -> list[_Unit] | None:
    """Units with the headline split off as the first one, or None if there is none."""
    first = units[0]
    if title and title.strip():
        t = title.strip()
        if text.startswith(t, first.start):
            end = first.start + len(t)
            after = text[end : end + 1]
            if after in ("", "\n", "\r"):
                return [
                    _Unit(first.start, end, t, "headline"),
                    *_rest_of(text, first, end),
                    *units[1:],
                ]
    if len(units) < 2 and first.single_line:
        return None  # a lone paragraph is the article itself, not a title over nothing
    line_end = text.find("\n", first.start, first.end)
    line_end = first.end if line_end < 0 else line_end
    span = _trim(text, first.start, line_end)
    if span is None:
        return None
    line = _Unit(span[0], span[1], text[span[0] : span[1]], "headline")
    rest = text[line.end : first.end].lstrip()
    if rest[:1].islower():
        return None  # a hard-wrapped lede continues on the next line; not a title
    if not _is_headline_like(line) or _DATELINE.search(line.text) or _BOILERPLATE.search(line.text):
        return None
    return [line, *_rest_of(text, first, line.end), *units[1:]]


def _rest_of(text: str, unit: _Unit, cut: int) -> list[_Unit]:
    """What remains of a paragraph after its first line became the headline (a deck)."""
    span = _trim(text, cut, unit.end)
    return [] if span is None else [_Unit(span[0], span[1], text[span[0] : span[1]])]


def _is_headline_like(unit: _Unit) -> bool:
    return (
        unit.single_line
        and 0 < unit.words <= HEADLINE_MAX_WORDS
        and len(unit.text) <= HEADLINE_MAX_CHARS
    )


def _classify(units: list[_Unit], start: int) -> None:
    """Give each unit after the headline its kind, in one left-to-right pass."""
    in_related = False
    for i in range(start, len(units)):
        u = units[i]
        if in_related:
            if _is_related_item(u) and not _BOILERPLATE.search(u.text):
                u.kind = "related"
                continue
            in_related = False
        if _is_caption(u):
            u.kind = "caption"
            prev = units[i - 1] if i > 0 else None
            if (
                prev is not None
                and prev.kind == "body"
                and i - 1 == start
                and start > 0
                and _is_credit_only(u)
                and prev.words <= CAPTION_MAX_WORDS
                and not _DATELINE.search(prev.text)
            ):
                # "Description of the photo." + "(AP Photo/Name)" on its own line:
                # the credit belongs to the description right under the headline.
                prev.kind = "caption"
        elif _RELATED_MARKER.match(u.text) and u.words <= 10:
            u.kind = "related"
            in_related = True
        elif _RELATED_INLINE.match(u.text) and _is_related_item(u):
            u.kind = "related"
        elif _is_boilerplate(u):
            u.kind = "boilerplate"
        else:
            u.kind = "body"


def _is_caption(u: _Unit) -> bool:
    if u.words > CAPTION_MAX_WORDS or _DATELINE.search(u.text):
        return False
    return bool(_CREDIT_END.search(u.text) or _CREDIT_START.match(u.text) or _is_credit_only(u))


def _is_credit_only(u: _Unit) -> bool:
    return u.words <= 12 and bool(_CREDIT_ALONE.match(u.text) or _CREDIT_END.match(u.text))


def _is_related_item(u: _Unit) -> bool:
    """A headline of another article: one short line that is not a sentence of prose.

    Prose sentences end in a full stop and are in sentence case; list items either
    carry no final full stop or are Title Cased (some corpora add a stop to titles).
    Lines made of several short lines (a block of links) qualify line by line.
    """
    lines = [ln.strip() for ln in u.text.split("\n") if ln.strip()]
    return all(_is_headline_line(ln) for ln in lines)


def _is_headline_line(line: str) -> bool:
    words = _WORD.findall(line)
    if not words or len(words) > RELATED_ITEM_MAX_WORDS or len(line) > RELATED_ITEM_MAX_CHARS:
        return False
    if not re.search(r"[.!]['\"’”)]*$", line):
        return True
    return _title_case_share(words) >= 0.6


def _title_case_share(words: list[str]) -> float:
    content = [w for w in words if len(w) > 3 and w[0].isalpha()]
    if not content:
        return 0.0
    return sum(w[0].isupper() for w in content) / len(content)


def _is_boilerplate(u: _Unit) -> bool:
    if u.words > BOILERPLATE_MAX_WORDS:
        return False
    if not any(ch.isalnum() for ch in u.text):
        return True  # separators such as "___." or "* * *"
    return bool(_BOILERPLATE.match(u.text) or _BOILERPLATE_ANYWHERE.search(u.text))


def _merge(units: list[_Unit]) -> list[Section]:
    """Adjacent units of one kind become one section (one body, one related list)."""
    sections: list[Section] = []
    for u in units:
        if sections and sections[-1].kind == u.kind and u.kind != "headline":
            sections[-1] = Section(u.kind, sections[-1].start, u.end)
        else:
            sections.append(Section(u.kind, u.start, u.end))
    return sections
