"""Normalise a temporal expression against the article's publication date.

News dates events relative to the day of writing ("on Saturday", "last month",
"two weeks ago"), so a value is only meaningful against the publication date. The
result is an ISO 8601 date ("2022-10-28"), a month or year ("2022-10", "1988"), or an
interval ("2022-10-15/2022-11-05"), with a relation saying how the event sits
against it: ``on`` (at that date), ``during`` (somewhere inside that month, year or
interval), ``before`` or ``after`` it.

Where dateparser (RELATIVE_BASE = publication date, PREFER_DATES_FROM = past) serves:
calendar dates with a month name ("October 28, 2022", "Feb. 24") and counted offsets
("two weeks ago", "3 days ago"), whose result is a day.

Where it does not, plain rules take over:

- bare weekdays ("on Saturday"): dateparser returns the Saturday *before* the base
  even when the article was published on a Saturday; news means the same day then.
- month/year granularity ("last month", "last year", "in 1988", "this week"):
  dateparser returns a day (the same day-of-month a month back), which would claim a
  precision the text does not have; we return "2022-10" instead.
- vague spans ("in recent weeks", "recently"): dateparser returns nothing; we
  return a three-week interval ending on the publication date.
- anchored expressions ("a few months before Moscow's forces invaded Ukraine on Feb.
  24", "after the election on May 3"): the relation word is ours, the anchor date
  inside is normalised by the rules above.

Without a publication date, relative expressions get no value (never "today").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
MONTHS = (
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
)
_MONTH_RE = (
    r"(?:jan(?:uary|\.)?|feb(?:ruary|\.)?|mar(?:ch|\.)?|apr(?:il|\.)?|may|june?|july?|"
    r"aug(?:ust|\.)?|sept?(?:ember|\.)?|oct(?:ober|\.)?|nov(?:ember|\.)?|dec(?:ember|\.)?)"
)
_NUMBERS = {
    "a": 1,
    "an": 1,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "a couple of": 2,
    "a few": 3,
    "several": 3,
}
_RELATION_WORDS = {
    "before": "before",
    "prior to": "before",
    "until": "before",
    "ahead of": "before",
    "after": "after",
    "since": "after",
    "following": "after",
    "during": "during",
    "in": "during",
    "on": "on",
    "at": "on",
}
_ANCHOR_RE = re.compile(r"(?i)\b(before|prior to|ahead of|until|after|since|following)\b")
_DATE_IN_RE = re.compile(
    rf"(?i)\b{_MONTH_RE}\s+\d{{1,2}}(?:st|nd|rd|th)?(?:,?\s+\d{{4}})?\b"
    rf"|\b\d{{1,2}}\s+{_MONTH_RE}(?:\s+\d{{4}})?\b"
    rf"|\b{_MONTH_RE}\s+\d{{4}}\b"
    r"|\b\d{4}-\d{2}-\d{2}\b"
)


@dataclass(frozen=True)
class TimeValue:
    """A normalised time: ``value`` is None when the text names no resolvable date."""

    value: str | None
    relation: str
    text: str


def _parse_published(published: str | None) -> date | None:
    if not published:
        return None
    try:
        return date.fromisoformat(published[:10])
    except ValueError:
        return None


def _month_shift(d: date, months: int) -> str:
    m = d.year * 12 + (d.month - 1) + months
    return f"{m // 12:04d}-{m % 12 + 1:02d}"


@lru_cache(maxsize=4096)
def _dateparser(expr: str, base: date | None) -> date | None:
    """dateparser for calendar dates and counted offsets; cached because it is the
    slow path (a first call loads its language data)."""
    import dateparser

    settings: dict[str, object] = {"PREFER_DATES_FROM": "past", "REQUIRE_PARTS": ["day"]}
    if base is not None:
        settings["RELATIVE_BASE"] = datetime(base.year, base.month, base.day)
    try:
        parsed = dateparser.parse(expr, languages=["en"], settings=settings)
    except (ValueError, OverflowError, TypeError):
        return None
    return parsed.date() if parsed is not None else None


def _leading_relation(expr: str) -> tuple[str | None, str]:
    low = expr.lower()
    for word in sorted(_RELATION_WORDS, key=len, reverse=True):
        if low.startswith(word + " "):
            return _RELATION_WORDS[word], expr[len(word) + 1 :].strip()
    return None, expr.strip()


def _number(word: str) -> int | None:
    word = word.lower().strip()
    if word.isdigit():
        return int(word)
    return _NUMBERS.get(word)


def _core(expr: str, base: date | None) -> tuple[str | None, str]:
    """(value, default relation) for an expression without an anchor clause."""
    low = re.sub(r"\s+", " ", expr.lower().strip(" ,.;"))
    low = re.sub(r"^(the|this past|earlier this|late|early|mid-?)\s+", "", low)
    # plain calendar forms first: no relative base needed
    m = re.fullmatch(r"(?:the )?(\d{4})s", low)
    if m:
        return m.group(1)[:3] + "X", "during"
    m = re.fullmatch(r"(?:in )?(\d{4})", low)
    if m:
        return m.group(1), "during"
    m = re.fullmatch(rf"({_MONTH_RE})\s+(\d{{4}})", low)
    if m:
        month = _month_index(m.group(1))
        if month:
            return f"{m.group(2)}-{month:02d}", "during"
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", low):
        return low, "on"
    if _DATE_IN_RE.fullmatch(low):
        d = _dateparser(expr.strip(" ,.;"), base)
        if d is not None:
            return d.isoformat(), "on"
        return None, "on"
    if base is None:
        return None, "on"
    # relative to the publication date
    if low in ("today", "tonight", "this morning", "this afternoon", "this evening"):
        return base.isoformat(), "on"
    if low in ("yesterday", "last night"):
        return (base - timedelta(days=1)).isoformat(), "on"
    wd = low.removeprefix("last ").removeprefix("on ")
    for suffix in (" morning", " afternoon", " evening", " night"):
        wd = wd.removesuffix(suffix)
    if wd in WEEKDAYS:
        back = (base.weekday() - WEEKDAYS.index(wd)) % 7
        if low.startswith("last ") and back == 0:
            back = 7
        return (base - timedelta(days=back)).isoformat(), "on"
    m = re.fullmatch(r"(last|this|next) (week|month|year)", low)
    if m:
        step = {"last": -1, "this": 0, "next": 1}[m.group(1)]
        if m.group(2) == "month":
            return _month_shift(base, step), "during"
        if m.group(2) == "year":
            return f"{base.year + step:04d}", "during"
        monday = base - timedelta(days=base.weekday()) + timedelta(weeks=step)
        return f"{monday.isoformat()}/{(monday + timedelta(days=6)).isoformat()}", "during"
    if re.fullmatch(r"(in )?(recent|the past|the last) (days|weeks|months)|recently|lately", low):
        span = {"days": 7, "weeks": 21, "months": 90}.get(low.rsplit(" ", 1)[-1], 21)
        return f"{(base - timedelta(days=span)).isoformat()}/{base.isoformat()}", "during"
    m = re.fullmatch(
        r"(a couple of|a few|several|an?|one|two|three|four|five|six|seven|eight|nine|ten|"
        r"eleven|twelve|\d+) (day|week|month|year)s? ago",
        low,
    )
    if m:
        n = _number(m.group(1))
        unit = m.group(2)
        if n is None:
            return None, "on"
        if unit == "month":
            return _month_shift(base, -n), "during"
        if unit == "year":
            return f"{base.year - n:04d}", "during"
        d = _dateparser(f"{n} {unit}s ago", base)
        return (d.isoformat() if d else None), "on"
    return None, "on"


def _month_index(word: str) -> int | None:
    w = word.lower().rstrip(".")[:3]
    for i, name in enumerate(MONTHS, start=1):
        if name.startswith(w):
            return i
    return None


def normalise(expr: str, published: str | None) -> TimeValue:
    """Normalise ``expr`` against ``published`` (ISO date or None)."""
    text = expr.strip()
    base = _parse_published(published)
    anchor = _ANCHOR_RE.search(text)
    if anchor is not None:
        relation = _RELATION_WORDS[anchor.group(1).lower()]
        rest = text[anchor.end() :]
        inner = _DATE_IN_RE.search(rest)
        if inner is not None:
            value, _ = _core(inner.group(0), base)
        else:
            value, _ = _core(rest, base)
        return TimeValue(value, relation, text)
    lead, rest = _leading_relation(text)
    value, default = _core(rest, base)
    if value is None:
        inner = _DATE_IN_RE.search(rest)
        if inner is not None:
            value, default = _core(inner.group(0), base)
    relation = default if lead in (None, "in", "on", "at") else lead
    return TimeValue(value, relation, text)


_WAR_RE = re.compile(r"(?i)\b(war|invasion|conflict|offensive|fighting|hostilities)\b")


def names_war(expr: str) -> bool:
    """Does a time expression date something by a war ("before the war in Ukraine")?"""
    return _WAR_RE.search(expr) is not None and _DATE_IN_RE.search(expr) is None


@lru_cache(maxsize=1)
def _conflicts() -> tuple[tuple[frozenset[str], str], ...]:
    from importlib import resources

    rows = []
    text = resources.files("claimgraph").joinpath("data/conflicts.tsv").read_text("utf-8")
    for line in text.splitlines():
        if not line.strip() or line.startswith("#") or line.startswith("states\t"):
            continue
        states, start, *_ = line.split("\t")
        rows.append((frozenset(s.strip() for s in states.split(",")), start.strip()))
    return tuple(rows)


def conflict_start(countries: set[str | None], published: str | None) -> str | None:
    """Start date of the known war between states an article names, if it had begun by
    the article's publication (an undated article gets none: it might predate it)."""
    if not published:
        return None
    found = [
        start
        for states, start in _conflicts()
        if len(states & countries) >= 2 and start <= published[:10]
    ]
    return max(found) if found else None
