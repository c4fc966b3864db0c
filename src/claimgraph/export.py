"""Stored events as a GDELT/PLOVER-style CSV, for tools and habits built around event data.

People who count, map and chart events (GDELT, ICEWS/POLECAT, ACLED users) expect
one row per event with a date, a source actor, a target actor and a coded event
type. This export gives them that, plus what those datasets lack: the voice that
asserts the event and the sentence it came from, so every row can be checked.

Columns, in order:

``date``
    The event's own normalised time (``2022-10-28``, ``2022-10``, an interval
    ``A/B``) when the text gives one, else the article's publication date, as
    GDELT's ``SQLDATE`` is. Empty when neither is known.
``source_actor_code``, ``target_actor_code``
    ISO 3166-1 alpha-3 country of the actor (``IRN``, ``RUS``), as in CAMEO/PLOVER
    actor codes; empty for actors without a country (most intergovernmental
    organisations, unnamed groups).
``source_actor_name``, ``target_actor_name``
    The canonical actor name ("Hossein Amirabdollahian", "European Union").
``source_actor_type``, ``target_actor_type``
    claimgraph's actor type: ``state``, ``person``, ``organisation``, ``igo``,
    ``media``, ``group``, ``unknown``. This plays the part of the CAMEO/PLOVER
    sector only loosely.
``event_type``, ``event_mode``, ``event_context``
    PLOVER 2.0 type (AGREE ... ASSAULT), mode and context.
``cameo_root``
    The CAMEO root code ("07" for AID, "16" for SANCTION...) for joining with
    GDELT's ``EventRootCode``; empty when the event stage gave none.
``polarity``
    ``affirmed`` or ``negated``. GDELT has no such column: a negated row records
    that an event was *denied*, not that it happened. Filter on it before counting.
``modality``
    ``actual``, ``promised``, ``agreed``, ``intended``, ``continuing``,
    ``hypothetical`` or ``alleged``. Only ``actual`` corresponds to a GDELT event.
``voice``
    Who asserts the event: the speaker of the statement that contains it, or
    ``publisher`` when the article says it in its own voice.
``source_url``, ``document``
    The article's URL (GDELT's ``SOURCEURL``) and the name it was ingested under.
``sentence``, ``trigger``
    The sentence the event was read from and the word(s) that signal it.

The file is UTF-8 with a header row and ``\\r\\n`` line ends (Python's csv default,
what spreadsheet programs expect).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:
    from claimgraph.store import EventRow

COLUMNS = (
    "date",
    "source_actor_code",
    "source_actor_name",
    "source_actor_type",
    "target_actor_code",
    "target_actor_name",
    "target_actor_type",
    "event_type",
    "event_mode",
    "event_context",
    "cameo_root",
    "polarity",
    "modality",
    "voice",
    "source_url",
    "document",
    "sentence",
    "trigger",
)


def event_record(row: EventRow) -> dict[str, str]:
    """One CSV row as a dict keyed by ``COLUMNS``; missing values are empty strings,
    which is how GDELT-style files mark them."""
    values = {
        "date": row.date,
        "source_actor_code": row.actor_country,
        "source_actor_name": row.actor,
        "source_actor_type": row.actor_type,
        "target_actor_code": row.target_country,
        "target_actor_name": row.target,
        "target_actor_type": row.target_type,
        "event_type": row.type,
        "event_mode": row.mode,
        "event_context": row.context,
        "cameo_root": row.cameo,
        "polarity": row.polarity,
        "modality": row.modality,
        "voice": row.voice,
        "source_url": row.url,
        "document": row.document_name,
        "sentence": row.sentence,
        "trigger": row.trigger,
    }
    return {k: "" if v is None else _one_line(str(v)) for k, v in values.items()}


def csv_chunks(rows: Iterable[EventRow], *, chunk_size: int = 1 << 16) -> Iterator[str]:
    """The CSV text in pieces of about ``chunk_size`` characters, header first, so a
    large export streams to a pipe instead of being built in memory. Written by the
    CSV writer every listing shares (:mod:`claimgraph.exporters.tabular`), with cells
    as GDELT-style data has them (no spreadsheet formula guard)."""
    from claimgraph.exporters.tabular import csv_chunks as write

    return write((event_record(r) for r in rows), COLUMNS, defuse=False, chunk_size=chunk_size)


def write_events_csv(rows: Iterable[EventRow], out: TextIO) -> int:
    """Write the CSV to a text stream (open it with ``newline=""``); returns the row count."""
    n = 0

    def counted() -> Iterator[EventRow]:
        nonlocal n
        for row in rows:
            n += 1
            yield row

    for chunk in csv_chunks(counted()):
        out.write(chunk)
    return n


def _one_line(text: str) -> str:
    """Line breaks inside a cell are legal CSV but break line-based tools (grep, wc -l,
    many GDELT loaders); the sentence loses nothing by becoming one line."""
    return " ".join(text.split()) if ("\n" in text or "\r" in text) else text


__all__ = ["COLUMNS", "csv_chunks", "event_record", "write_events_csv"]
