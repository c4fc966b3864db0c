"""Flat CSV and JSON Lines for every listing, shared by the command line and the web API.

A CSV cell holds one value, never a JSON blob: nested records are spread over
columns (``voice`` becomes ``voice_id``, ``voice_name``, ``voice_type``,
``voice_country``), lists of names are joined with ``"; "`` and lists of offset
pairs are written ``start-end; start-end``. ``contested`` is exploded into one row
per statement (each row repeats its proposition's columns), so the voices on each
side can be filtered and counted in a spreadsheet. docs/export.md has a table of
every listing's columns.

Cells are made safe for spreadsheets: a text starting with ``=``, ``+``, ``-``,
``@``, a tab or a carriage return gets a leading ``'`` so it is not run as a
formula, and line breaks inside a cell become spaces so that line-based tools
(``wc -l``, ``grep``) count records (the offsets still point into the article).
Booleans are ``true``/``false``, missing values empty.

JSON Lines keeps the records as the JSON output has them, nested, one per line.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

#: Separator of repeated values inside one cell.
JOIN = "; "
#: A spreadsheet would run a cell starting with these as a formula.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")

_VOICE = ("voice_id", "voice_name", "voice_type", "voice_country")

STATEMENT_COLUMNS = (
    "id",
    "document_id",
    "document_name",
    "title",
    "published",
    "speaker",
    "speaker_type",
    "speaker_country",
    "speaker_role",
    "channel",
    "source",
    "cue",
    "content",
    "kind",
    "stance",
    "section",
    "source_start",
    "source_end",
    "cue_start",
    "cue_end",
    "content_start",
    "content_end",
    "content_fragments",
    "mode",
    "confidence",
)
ACTOR_COLUMNS = (
    "id",
    "name",
    "type",
    "country",
    "sector",
    "role",
    "affiliation",
    "documents",
    "mentions",
    "statements",
)
CLAIM_COLUMNS = (
    "claim",
    "document",
    "document_name",
    "title",
    "outlet",
    "published",
    *_VOICE,
    "stance",
    "side",
    "polarity",
    "modality",
    "time",
    "quantity",
    "start",
    "end",
    "text",
    "evidence_start",
    "evidence_end",
    "thread",
    "proposition",
)
#: Per proposition (repeated on each of its rows), then per statement.
CONTESTED_COLUMNS = (
    "thread",
    "proposition",
    "kind",
    "strength",
    "score",
    "first_seen",
    "last_seen",
    "affirm_voices",
    "deny_voices",
    "sources_affirm",
    "sources_deny",
    "claim",
    "side",
    *_VOICE,
    "stance",
    "polarity",
    "modality",
    "time",
    "quantity",
    "claim_proposition",
    "text",
    "start",
    "end",
    "evidence_start",
    "evidence_end",
    "document",
    "document_name",
    "title",
    "outlet",
    "published",
)
THREAD_COLUMNS = (
    "id",
    "key",
    "proposition",
    "type",
    "first_seen",
    "last_seen",
    "claims",
    "documents",
    "sources",
    "contested",
)
TIMELINE_COLUMNS = (
    "date",
    "date_source",
    "kind",
    "thread",
    "text",
    *_VOICE,
    "stance",
    "document",
    "document_name",
    "title",
    "start",
    "end",
)


# --------------------------------------------------------------------------- cells


def join_values(values: Iterable[Any]) -> str:
    """A list as one cell: names of records, ``start-end`` for offset pairs."""
    parts = []
    for item in values:
        if isinstance(item, Mapping):
            item = item.get("name", item.get("id", ""))
        elif isinstance(item, list | tuple):
            item = "-".join(str(x) for x in item)
        parts.append("" if item is None else str(item))
    return JOIN.join(parts)


def flatten(record: Mapping[str, Any], prefix: str = "") -> dict[str, Any]:
    """One level of columns: ``{"voice": {"name": ...}}`` gives ``voice_name``; lists are
    joined (:func:`join_values`)."""
    out: dict[str, Any] = {}
    for key, value in record.items():
        if isinstance(value, Mapping):
            out.update(flatten(value, f"{prefix}{key}_"))
        elif isinstance(value, list | tuple):
            out[f"{prefix}{key}"] = join_values(value)
        else:
            out[f"{prefix}{key}"] = value
    return out


def cell(value: Any, *, defuse: bool = True) -> Any:
    """A value as the csv module should write it."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Mapping):
        value = join_values([value])
    elif isinstance(value, list | tuple):
        value = join_values(value)
    if isinstance(value, str):
        if "\n" in value or "\r" in value:
            value = " ".join(value.split())
        if defuse and value.startswith(FORMULA_START):
            return "'" + value
    return value


# --------------------------------------------------------------------------- writing


def csv_chunks(
    rows: Iterable[Mapping[str, Any]],
    columns: Sequence[str],
    *,
    defuse: bool = True,
    chunk_size: int = 1 << 16,
) -> Iterator[str]:
    """The CSV text (header first) in pieces of about ``chunk_size`` characters, so a
    large export streams instead of being built in memory. Keys a row lacks are empty
    cells; keys not in ``columns`` are left out."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(columns)
    for row in rows:
        writer.writerow([cell(row.get(c), defuse=defuse) for c in columns])
        if buffer.tell() >= chunk_size:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def jsonl_chunks(records: Iterable[Any]) -> Iterator[str]:
    """One JSON object per line (records with ``to_dict`` are converted)."""
    for r in records:
        obj = r.to_dict() if hasattr(r, "to_dict") else r
        yield json.dumps(obj, ensure_ascii=False) + "\n"


# --------------------------------------------------------------------------- listings


def _contested_rows(item: Mapping[str, Any]) -> Iterator[dict[str, Any]]:
    head = {
        "thread": item["thread"],
        "proposition": item["proposition"],
        "kind": item["kind"],
        "strength": item.get("strength"),
        "score": item["score"],
        "first_seen": item["first_seen"],
        "last_seen": item["last_seen"],
        "affirm_voices": join_values(item["affirm"]),
        "deny_voices": join_values(item["deny"]),
        "sources_affirm": item["sources"].get("affirm"),
        "sources_deny": item["sources"].get("deny"),
    }
    statements = item.get("statements") or []
    if not statements:
        yield dict(head)
    for s in statements:
        row = dict(head)
        flat = flatten(s)
        flat["claim_proposition"] = flat.pop("proposition", None)
        flat.pop("thread", None)
        row.update(flat)
        yield row


def _without_statements(item: Mapping[str, Any]) -> Iterator[dict[str, Any]]:
    yield flatten({k: v for k, v in item.items() if k != "statements"})


def _flat(item: Mapping[str, Any]) -> Iterator[dict[str, Any]]:
    yield flatten(item)


@dataclass(frozen=True)
class Listing:
    """How one listing's records become CSV rows."""

    name: str
    #: None: the union of the rows' keys, in first-seen order (the web-only listings).
    columns: tuple[str, ...] | None
    rows: Callable[[Mapping[str, Any]], Iterator[dict[str, Any]]] = _flat
    #: One row per record, or several (``contested``: one per statement).
    exploded: bool = False


LISTINGS: dict[str, Listing] = {
    listing.name: listing
    for listing in (
        Listing("statements", STATEMENT_COLUMNS),
        Listing("actors", ACTOR_COLUMNS),
        Listing("claims", CLAIM_COLUMNS),
        Listing("contested", CONTESTED_COLUMNS, _contested_rows, exploded=True),
        Listing("threads", THREAD_COLUMNS, _without_statements),
        Listing("timeline", TIMELINE_COLUMNS),
        # the web API's own listings; the command line's events CSV is the
        # GDELT/PLOVER-style one of claimgraph.export
        Listing("events", None),
        Listing("documents", None),
        Listing("search", None),
    )
}


def flat_rows(listing: str, records: Iterable[Any]) -> tuple[list[str], list[dict[str, Any]]]:
    """The columns and flat rows of a listing's records (dicts or objects with
    ``to_dict``)."""
    spec = LISTINGS[listing]
    rows = [row for r in records for row in spec.rows(r.to_dict() if hasattr(r, "to_dict") else r)]
    if spec.columns is not None:
        return list(spec.columns), rows
    columns: dict[str, None] = {}
    for row in rows:
        columns.update(dict.fromkeys(row))
    return list(columns), rows


def listing_csv(listing: str, records: Iterable[Any]) -> Iterator[str]:
    """A listing as flat CSV, in chunks (see :func:`csv_chunks`)."""
    columns, rows = flat_rows(listing, records)
    return csv_chunks(rows, columns)


__all__ = [
    "JOIN",
    "LISTINGS",
    "Listing",
    "cell",
    "csv_chunks",
    "flat_rows",
    "flatten",
    "join_values",
    "jsonl_chunks",
    "listing_csv",
]
