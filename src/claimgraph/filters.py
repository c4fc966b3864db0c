"""The listing filters, defined once for the store, the command line and the web API.

A :class:`Filters` record says which statements (events, claims, contested items) a
listing keeps: the stance, the kind of quote, who spoke, the event type, the
document, a date range and a piece of text. The store's listing queries take one
(``Store.statements(filters=...)``, ``statement_page``, ``events``, ``event_page``,
``claims``, ``count_claims``, ``contested``, ``count_contested``); the command line
builds its options from :data:`FIELDS` with :func:`click_options`, and the web API
its query parameters with :func:`query_dependency`. So ``--stance deny`` and
``?stance=deny`` are the same filter by construction, on every listing that has it.

The SQL for each listing lives here too (``*_where``), so that a filter means the
same thing in the one-shot listing and in its paged form.

``kind`` is the attribution's kind of quote, ``direct``, ``indirect`` or ``mixed``;
``mode`` says whether it reports ``speech`` (said, wrote, denied) or a ``thought``
(believes, fears, wants), from its cue (``claimgraph.cues``), so "who *said*" is
``--mode speech``.
``min_confidence`` (``--min-confidence``, ``?min_confidence=``) keeps the statements
whose calibrated confidence (:mod:`claimgraph.confidence`) is at least that; the
command line and the API default it to the shipped model's threshold
(:func:`default_min_confidence`), chosen for precision >= 0.85 on PolNeAR train, and
0 shows everything. Statements no model scored (stored before schema version 9)
are always kept. On events it compares the event's own confidence
(:mod:`claimgraph.event_confidence`, that its type is right), defaults to 0, and
keeps events stored before schema version 10.
"""

from __future__ import annotations

import functools
import inspect
import re
from collections.abc import Callable
from dataclasses import asdict, dataclass, fields
from typing import Annotated, Any, TypeVar

from claimgraph.cues import MODES

#: The kinds of quote an attribution has (``Attribution.kind``).
KINDS = ("direct", "indirect", "mixed")
#: The listings that take filters.
LISTINGS = ("statements", "events", "claims", "contested")
_DATE = r"^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$"
_STANCE = r"^[A-Za-z_-]{1,40}$"
_PROBABILITY = r"^(0(\.\d{0,6})?|1(\.0{0,6})?|\.\d{1,6})$"


@dataclass(frozen=True)
class FilterField:
    """One filter: its name (the attribute of :class:`Filters`, the CLI option
    ``--name`` and the API parameter ``name``), how it is typed and explained, and
    the listings it applies to."""

    name: str
    metavar: str
    help: str
    listings: tuple[str, ...]
    pattern: str | None = None
    max_length: int = 200
    #: Listing-specific help, where the generic text would mislead.
    help_for: tuple[tuple[str, str], ...] = ()
    #: The only values it takes, where they are a closed set (a choice on the CLI).
    choices: tuple[str, ...] = ()

    @property
    def option(self) -> str:
        """The command-line option: ``--name`` with dashes for underscores."""
        return "--" + self.name.replace("_", "-")

    def help_text(self, listing: str) -> str:
        return dict(self.help_for).get(listing, self.help)


FIELDS: tuple[FilterField, ...] = (
    FilterField(
        "stance",
        "STANCE",
        "Only statements of this stance: affirm, deny, hedge, acknowledge, allege, ...",
        ("statements", "events", "claims"),
        pattern=_STANCE,
        max_length=40,
        help_for=(("events", "Only events reported in a statement of this stance (deny, ...)."),),
    ),
    FilterField(
        "kind",
        "KIND",
        "Only statements quoted this way: direct, indirect or mixed.",
        ("statements", "events", "claims"),
        pattern=r"^(direct|indirect|mixed)$",
        max_length=10,
        choices=KINDS,
    ),
    FilterField(
        "mode",
        "MODE",
        "Only statements reporting speech (said, wrote, denied) or thought (believes, fears).",
        ("statements", "events", "claims"),
        pattern=r"^(speech|thought)$",
        max_length=10,
        choices=MODES,
    ),
    FilterField(
        "min_confidence",
        "P",
        "Only statements whose confidence (0..1) is at least P; 0 shows all "
        "(default: the confidence model's precision-first threshold, docs/models.md).",
        ("statements", "events"),
        pattern=_PROBABILITY,
        max_length=8,
        help_for=(
            (
                "events",
                "Only events whose confidence (0..1, that the type is right) is at least P "
                "(default 0: all; docs/models.md).",
            ),
        ),
    ),
    FilterField(
        "speaker",
        "NAME",
        "Speaker's name contains NAME (any case).",
        ("statements", "events", "claims", "contested"),
        help_for=(
            ("events", "The voice reporting the event: name contains NAME (any case)."),
            ("contested", "A voice on either side: name contains NAME (any case)."),
        ),
    ),
    FilterField(
        "type",
        "TYPE",
        "PLOVER event type, e.g. AID, SANCTION.",
        ("events", "claims", "contested"),
        pattern=r"^[A-Za-z_]{1,40}$",
        max_length=40,
    ),
    FilterField(
        "document",
        "ID_OR_NAME",
        "Only this document (its id or the name it was ingested under).",
        ("statements", "events", "claims", "contested"),
        max_length=500,
    ),
    FilterField(
        "since",
        "DATE",
        "Published on or after DATE (YYYY, YYYY-MM or YYYY-MM-DD).",
        LISTINGS,
        pattern=_DATE,
        max_length=10,
        help_for=(
            ("events", "Events on or after DATE (YYYY, YYYY-MM or YYYY-MM-DD)."),
            ("contested", "Last seen on or after DATE (YYYY, YYYY-MM or YYYY-MM-DD)."),
        ),
    ),
    FilterField(
        "until",
        "DATE",
        "Published on or before DATE (a month or year includes all of it).",
        LISTINGS,
        pattern=_DATE,
        max_length=10,
        help_for=(
            ("events", "Events on or before DATE (a month or year includes all of it)."),
            ("contested", "First seen on or before DATE (a month or year includes all of it)."),
        ),
    ),
    FilterField(
        "text",
        "TEXT",
        "What was said contains TEXT (any case).",
        LISTINGS,
        help_for=(
            ("events", "The event's sentence contains TEXT (any case)."),
            ("claims", "The proposition or its sentence contains TEXT (any case)."),
            (
                "contested",
                "The proposition, a voice's name or a statement's text contains TEXT (any case).",
            ),
        ),
    ),
)


def fields_for(listing: str) -> list[FilterField]:
    if listing not in LISTINGS:
        raise ValueError(f"unknown listing {listing!r}")
    return [f for f in FIELDS if listing in f.listings]


@dataclass(frozen=True)
class Filters:
    """What a listing keeps; ``None`` (or empty) filters nothing.

    Values are normalised on creation (stance and kind lower case, type upper case,
    surrounding blanks dropped); a date that is not YYYY, YYYY-MM or YYYY-MM-DD, or
    a kind other than direct/indirect/mixed, raises ``ValueError``.
    """

    stance: str | None = None
    kind: str | None = None
    mode: str | None = None
    speaker: str | None = None
    type: str | None = None
    document: str | None = None
    since: str | None = None
    until: str | None = None
    text: str | None = None
    #: Keep statements whose confidence is at least this (0 or ``None``: all).
    min_confidence: float | None = None

    def __post_init__(self) -> None:
        if self.min_confidence is not None:
            try:
                p = float(self.min_confidence)
            except (TypeError, ValueError):
                raise ValueError(f"not a confidence: {self.min_confidence!r}") from None
            if not 0.0 <= p <= 1.0:
                raise ValueError(f"confidence must be between 0 and 1, not {p}")
            object.__setattr__(self, "min_confidence", p or None)
        for f in fields(self):
            if f.name == "min_confidence":
                continue
            value = getattr(self, f.name)
            if value is not None:
                value = str(value).strip() or None
            if value is not None and f.name in ("stance", "kind", "mode"):
                value = value.lower()
            if value is not None and f.name == "type":
                value = value.upper()
            object.__setattr__(self, f.name, value)
        if self.kind is not None and self.kind not in KINDS:
            raise ValueError(f"unknown kind {self.kind!r}: use one of {', '.join(KINDS)}")
        if self.mode is not None and self.mode not in MODES:
            raise ValueError(f"unknown mode {self.mode!r}: use one of {', '.join(MODES)}")
        for bound in (self.since, self.until):
            if bound is not None and not re.fullmatch(_DATE[1:-1], bound):
                raise ValueError(f"not a date: {bound!r} (use YYYY, YYYY-MM or YYYY-MM-DD)")

    def active(self) -> dict[str, Any]:
        """The filters set, by name."""
        return {k: v for k, v in asdict(self).items() if v is not None}

    def __bool__(self) -> bool:
        return bool(self.active())

    def check(self, listing: str) -> None:
        """Raises ``ValueError`` when a filter is set that ``listing`` does not take."""
        allowed = {f.name for f in fields_for(listing)}
        extra = sorted(set(self.active()) - allowed)
        if extra:
            raise ValueError(f"{listing} cannot be filtered by {', '.join(extra)}")


# --------------------------------------------------------------------------- SQL


def contains_pattern(text: str) -> str:
    """The ``LIKE ? ESCAPE '\\'`` pattern for "contains ``text``, any case" (compared
    with ``LOWER(column)``), its ``%``, ``_`` and ``\\`` taken literally: the one
    definition for every listing and search."""
    escaped = text.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _add_dates(
    f: Filters, where: list[str], params: list[Any], ends_after: str, starts_before: str
) -> None:
    """``since``/``until`` as terms: what ends on or after ``since`` and starts on or
    before ``until`` (one column for both when a row has one date); a month or a
    year is all of it."""
    from claimgraph.store import date_bound

    if f.since:
        where.append(f"{ends_after} >= ?")
        params.append(date_bound(f.since, last=False))
    if f.until:
        where.append(f"{starts_before} <= ?")
        params.append(date_bound(f.until, last=True))


def _add_document(
    f: Filters, where: list[str], params: list[Any], term: str = "(d.id = ? OR d.name = ?)"
) -> None:
    """``document`` as a term: the document's id or the name it was ingested under."""
    if f.document:
        where.append(term)
        params.extend([f.document, f.document])


_LIKE = "LIKE ? ESCAPE '\\'"


def statement_where(f: Filters | None) -> tuple[list[str], list[Any]]:
    """WHERE terms over ``attributions a JOIN documents d`` (statements)."""
    where: list[str] = []
    params: list[Any] = []
    if not f:
        return where, params
    f.check("statements")
    if f.stance:
        where.append("a.stance = ?")
        params.append(f.stance)
    if f.kind:
        where.append("a.kind = ?")
        params.append(f.kind)
    if f.mode:
        where.append("a.mode = ?")
        params.append(f.mode)
    if f.speaker:
        where.append(f"a.speaker_actor_id IN (SELECT id FROM actors WHERE LOWER(name) {_LIKE})")
        params.append(contains_pattern(f.speaker))
    _add_document(f, where, params)
    _add_dates(f, where, params, "d.published", "d.published")
    if f.text:
        where.append(f"LOWER(a.content_text) {_LIKE}")
        params.append(contains_pattern(f.text))
    if f.min_confidence:
        # a row no model scored (stored before schema version 9) is not filtered out
        where.append("(a.confidence IS NULL OR a.confidence >= ?)")
        params.append(f.min_confidence)
    return where, params


def event_where(f: Filters | None) -> tuple[list[str], list[Any]]:
    """WHERE terms over ``events e JOIN documents d`` (events). ``since``/``until``
    compare the event's own time where it has one, else the article's date."""
    where: list[str] = []
    params: list[Any] = []
    if not f:
        return where, params
    f.check("events")
    voice: list[str] = []
    if f.stance:
        voice.append("v.stance = ?")
        params.append(f.stance)
    if f.kind:
        voice.append("v.kind = ?")
        params.append(f.kind)
    if f.mode:
        voice.append("v.mode = ?")
        params.append(f.mode)
    if f.speaker:
        voice.append(f"v.speaker_actor_id IN (SELECT id FROM actors WHERE LOWER(name) {_LIKE})")
        params.append(contains_pattern(f.speaker))
    if voice:
        where.append(
            f"e.attribution_id IN (SELECT v.id FROM attributions v WHERE {' AND '.join(voice)})"
        )
    if f.type:
        where.append("e.type = ?")
        params.append(f.type)
    _add_document(f, where, params)
    _add_dates(
        f, where, params, "COALESCE(e.time_end, d.published)", "COALESCE(e.time_start, d.published)"
    )
    if f.text:
        where.append(
            "LOWER(COALESCE(SUBSTR(d.text, e.sentence_start + 1, e.sentence_end - "
            f"e.sentence_start), e.trigger_text)) {_LIKE}"
        )
        params.append(contains_pattern(f.text))
    if f.min_confidence:
        # an event no model scored (stored before schema version 10) is not filtered out
        where.append("(e.confidence IS NULL OR e.confidence >= ?)")
        params.append(f.min_confidence)
    return where, params


def claim_where(f: Filters | None) -> tuple[list[str], list[Any]]:
    """WHERE terms over ``claims c JOIN documents d LEFT JOIN actors va LEFT JOIN
    entities ve`` (claims; ``va``/``ve`` the voice)."""
    where: list[str] = []
    params: list[Any] = []
    if not f:
        return where, params
    f.check("claims")
    if f.stance:
        where.append("c.stance = ?")
        params.append(f.stance)
    if f.kind:
        where.append("c.attribution_id IN (SELECT id FROM attributions WHERE kind = ?)")
        params.append(f.kind)
    if f.mode:
        where.append("c.attribution_id IN (SELECT id FROM attributions WHERE mode = ?)")
        params.append(f.mode)
    if f.speaker:
        where.append(f"LOWER(COALESCE(ve.name, va.name)) {_LIKE}")
        params.append(contains_pattern(f.speaker))
    if f.type:
        where.append("c.type = ?")
        params.append(f.type)
    _add_document(f, where, params)
    _add_dates(f, where, params, "d.published", "d.published")
    if f.text:
        where.append(
            f"(LOWER(c.proposition_text) {_LIKE} OR LOWER(SUBSTR(d.text, c.sentence_start + 1, "
            f"c.sentence_end - c.sentence_start)) {_LIKE})"
        )
        params.extend([contains_pattern(f.text)] * 2)
    return where, params


def contested_where(f: Filters | None) -> tuple[list[str], list[Any]]:
    """WHERE terms over ``contests k JOIN threads t`` (contested items). A voice,
    document or text filter keeps an item when any statement in its thread matches;
    text also matches the proposition."""
    where: list[str] = []
    params: list[Any] = []
    if not f:
        return where, params
    f.check("contested")
    in_thread = (
        "EXISTS (SELECT 1 FROM thread_claims xc JOIN claims x ON x.id = xc.claim_id "
        "JOIN documents xd ON xd.id = x.document_id "
        "LEFT JOIN actors xa ON xa.id = x.voice_actor_id "
        "LEFT JOIN entities xe ON xe.id = xa.entity_id "
        "LEFT JOIN attributions xt ON xt.id = x.attribution_id "
        "WHERE xc.thread_id = t.id AND {})"
    )
    voice = f"(LOWER(xe.name) {_LIKE} OR LOWER(xa.name) {_LIKE})"
    if f.speaker:
        where.append(in_thread.format(voice))
        params.extend([contains_pattern(f.speaker)] * 2)
    if f.type:
        where.append("t.type = ?")
        params.append(f.type)
    _add_document(f, where, params, in_thread.format("(xd.id = ? OR xd.name = ?)"))
    _add_dates(f, where, params, "t.last_seen", "t.first_seen")
    if f.text:
        said = (
            f"(LOWER(xt.content_text) {_LIKE} OR LOWER(SUBSTR(xd.text, x.sentence_start + 1, "
            f"x.sentence_end - x.sentence_start)) {_LIKE} OR {voice})"
        )
        where.append(f"(LOWER(t.proposition) {_LIKE} OR {in_thread.format(said)})")
        params.extend([contains_pattern(f.text)] * 5)
    return where, params


# --------------------------------------------------------------------------- CLI, API


def default_min_confidence(listing: str = "statements") -> float:
    """What ``--min-confidence`` / ``?min_confidence=`` default to on a listing: for
    statements the shipped confidence model's threshold (train precision >= 0.85), 0
    without one; for events 0 (all: an event is never hidden by default)."""
    if listing == "events":
        return 0.0
    from claimgraph.confidence import default_threshold

    return default_threshold()


_F = TypeVar("_F", bound=Callable[..., Any])


def click_options(
    listing: str, *, aliases: dict[str, tuple[str, ...]] | None = None
) -> Callable[[_F], _F]:
    """The listing's filter options (``--stance``, ``--kind``, ...), collected into
    one ``filters: Filters`` argument of the command. ``aliases`` adds other option
    names for a filter (``{"text": ("--about",)}``)."""
    import click

    def check(ctx: click.Context, param: click.Parameter, value: Any) -> Any:
        if value is None:
            return None
        try:
            Filters(**{str(param.name).removeprefix("filter_"): value})
        except ValueError as exc:
            raise click.BadParameter(str(exc)) from None
        return value

    def decorate(command: _F) -> _F:
        @functools.wraps(command)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            values = {f.name: kwargs.pop(f"filter_{f.name}", None) for f in fields_for(listing)}
            return command(*args, filters=Filters(**values), **kwargs)

        decorated: Any = wrapper
        for f in reversed(fields_for(listing)):
            names = (f.option, *(aliases or {}).get(f.name, ()))
            if f.name == "min_confidence":
                decorated = click.option(
                    *names,
                    f"filter_{f.name}",
                    metavar=f.metavar,
                    help=f.help_text(listing),
                    type=click.FloatRange(0.0, 1.0),
                    default=functools.partial(default_min_confidence, listing),
                    show_default=False,
                )(decorated)
                continue
            decorated = click.option(
                *names,
                f"filter_{f.name}",
                metavar=f.metavar,
                help=f.help_text(listing),
                callback=check,
                type=click.Choice(f.choices) if f.choices else None,
            )(decorated)
        return decorated  # type: ignore[no-any-return]

    return decorate


def query_dependency(listing: str) -> Callable[..., Filters]:
    """A FastAPI dependency reading the listing's filters from query parameters of
    the same names as the CLI options (``?stance=deny&since=2022-10``)."""
    from fastapi import Query

    params = [
        inspect.Parameter(
            f.name,
            inspect.Parameter.KEYWORD_ONLY,
            default=None,
            annotation=Annotated[
                str | None,
                Query(
                    max_length=f.max_length,
                    # an empty field, as an HTML form sends it, means "no filter"
                    pattern=None if f.pattern is None else f"^$|{f.pattern}",
                    description=f.help_text(listing),
                ),
            ],
        )
        for f in fields_for(listing)
    ]

    def dependency(**values: str | None) -> Filters:
        values = {name: value or None for name, value in values.items()}
        if "min_confidence" in values and values["min_confidence"] is None:
            values["min_confidence"] = str(default_min_confidence(listing))
        return Filters(**values)  # type: ignore[arg-type]  # Filters reads the number

    dependency.__signature__ = inspect.Signature(params, return_annotation=Filters)  # type: ignore[attr-defined]
    return dependency


__all__ = [
    "FIELDS",
    "KINDS",
    "LISTINGS",
    "FilterField",
    "Filters",
    "claim_where",
    "click_options",
    "contains_pattern",
    "contested_where",
    "default_min_confidence",
    "event_where",
    "fields_for",
    "query_dependency",
    "statement_where",
]
