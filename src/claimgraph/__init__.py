"""claimgraph: a ledger of who said what, about whom, through whom, from news articles.

The Python API, for notebooks and scripts (see docs/python-api.md)::

    import claimgraph

    ex = claimgraph.extract("Iran denied on Monday that it had sent drones to Russia.")
    for att in ex.attributions:
        print(ex.actor(att.speaker), att.cue.text, att.content.text)

    with claimgraph.open_store("demo.db") as store:
        for s in store.statements(speaker="Kanaani"):
            print(s.speaker, s.cue, s.content)

``import claimgraph`` stays light: spaCy is loaded by the first :func:`extract` (and
kept for the next ones), the store's modules by the first :func:`open_store`.
"""

from __future__ import annotations

import threading
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from claimgraph.errors import ClaimgraphError, InputError, StoreError
from claimgraph.model import Actor, Attribution, Document, Extraction, Section, TextSpan

if TYPE_CHECKING:
    from claimgraph.pipeline import Extractor
    from claimgraph.store import Statement, Store

__version__ = "0.1.0"

__all__ = [
    "Actor",
    "Attribution",
    "ClaimgraphError",
    "Document",
    "Extraction",
    "Extractor",
    "InputError",
    "Section",
    "Statement",
    "Store",
    "StoreError",
    "TextSpan",
    "__version__",
    "extract",
    "extractor",
    "open_store",
]

#: Loaded pipelines by model name: loading spaCy takes seconds, extracting milliseconds.
_EXTRACTORS: dict[str, Extractor] = {}
_LOCK = threading.Lock()


def extractor(model: str | None = None) -> Extractor:
    """The shared :class:`~claimgraph.pipeline.Extractor` for ``model`` (the default
    English pipeline when None), loaded on first use and kept for the next calls."""
    from claimgraph.pipeline import DEFAULT_MODEL, MODEL_ALIASES, Extractor

    name = model or DEFAULT_MODEL
    name = MODEL_ALIASES.get(name, name)
    with _LOCK:
        found = _EXTRACTORS.get(name)
        if found is None:
            found = _EXTRACTORS[name] = Extractor(name)
    return found


def extract(
    text: str,
    *,
    published: str | date | None = None,
    title: str | None = None,
    url: str | None = None,
    outlet: str | None = None,
    name: str = "text",
    model: str | None = None,
) -> Extraction:
    """Everything claimgraph finds in one article's text: its sections, actors,
    attributions (who said what, through whom, with which stance), PLOVER events and
    claims, each with character offsets into ``text``.

    ``published`` (a date or ``YYYY-MM-DD``) anchors relative times ("last month");
    without ``title`` the first line is taken when it reads like a headline. The text
    is checked as a file would be and an :class:`InputError` says why one cannot be
    read (empty, binary, not English, too large). ``model`` names another spaCy
    pipeline; each is loaded once per process.
    """
    from claimgraph.ingest import document_from_text

    if isinstance(published, date):
        published = published.isoformat()
    if not isinstance(text, str):
        raise TypeError(f"extract() takes the article's text as a str, not {type(text).__name__}")
    doc = document_from_text(text, name, title=title, url=url, outlet=outlet, published=published)
    return extractor(model).extract(doc)


def open_store(url: str | Path | None = None, *, schema: str | None = None) -> Store:
    """Open the ledger a URL names: a SQLite file path (``claimgraph.db`` when None),
    ``sqlite:///path.db``, ``:memory:`` or ``postgresql://...``; created and migrated
    as needed. Use it as a context manager to close it. See
    :func:`claimgraph.store.open_store`."""
    from claimgraph.store import open_store as _open

    return _open(url, schema=schema)


def __getattr__(name: str) -> Any:
    """``claimgraph.Store``, ``claimgraph.Statement`` and ``claimgraph.Extractor``,
    imported when first asked for (they pull in the store's modules or spaCy)."""
    if name in ("Store", "Statement"):
        from claimgraph import store

        return getattr(store, name)
    if name == "Extractor":
        from claimgraph.pipeline import Extractor

        return Extractor
    raise AttributeError(f"module 'claimgraph' has no attribute {name!r}")
