"""The one rule for an article's URL: ``http`` or ``https`` with a host, or nothing.

A document's URL ends up in the reader as the ``href`` of its "original" link, so a
``javascript:`` (or ``data:``, ``vbscript:``, ...) URL stored from a JSONL record or an
API request would be a script that runs on a click. Every place that takes a URL in
(the JSONL/HTML readers, ``POST /api/documents``, ``Store.save``) and the one place
that renders it (the reader template) goes through :func:`safe_url`.
"""

from __future__ import annotations

import unicodedata
from urllib.parse import urlsplit

from claimgraph.errors import MalformedRecordError

#: Schemes a stored URL may have.
URL_SCHEMES = frozenset({"http", "https"})
#: Longer than any article URL seen in the wild; longer ones are not URLs we keep.
MAX_URL_LENGTH = 2000


def safe_url(value: str | None) -> str | None:
    """``value`` (stripped) if it is an absolute ``http(s)://host...`` URL, else None.

    Whitespace, control and format characters inside the URL make it unsafe as well:
    browsers drop tabs and newlines from an ``href`` ("java\\tscript:" is a script
    URL to them), and invisible characters only serve to disguise one.
    """
    if value is None:
        return None
    text = value.strip()
    if not text or len(text) > MAX_URL_LENGTH:
        return None
    if any(ch.isspace() or unicodedata.category(ch) in ("Cc", "Cf") for ch in text):
        return None
    try:
        parts = urlsplit(text)
        host = parts.hostname
    except ValueError:  # e.g. "http://[::1" (an unclosed IPv6 bracket)
        return None
    if parts.scheme.lower() not in URL_SCHEMES or not host:
        return None
    return text


def checked_url(value: str | None, document: str, field: str = "url") -> str | None:
    """The URL a caller gave for ``document``: None when absent or blank, the URL when
    :func:`safe_url` accepts it; otherwise ``MalformedRecordError`` naming the field,
    because a record with a script URL is a wrong record, not one to store without it."""
    if value is None or not value.strip():
        return None
    url = safe_url(value)
    if url is None:
        shown = value if len(value) <= 80 else value[:77] + "..."
        raise MalformedRecordError(
            document, f"field {field!r} must be an http(s) URL with a host, got {shown!r}"
        )
    return url
