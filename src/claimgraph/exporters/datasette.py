"""Metadata that makes ``datasette demo.db -m metadata.json`` useful at once.

The shipped file (``claimgraph/data/datasette-metadata.json``) describes the store's
readable views (migration 0008: ``statements_readable``, ``events_readable``,
``claims_readable``, ``contested_readable``) and main tables, sets facets, and
adds canned queries. Datasette keys a database's metadata by the file's stem
(``demo`` for ``demo.db``), so :func:`metadata` files it under the name given.
claimgraph does not depend on datasette.
"""

from __future__ import annotations

import json
from importlib import resources
from pathlib import PurePath
from typing import Any

TEMPLATE = "datasette-metadata.json"
#: The database key in the shipped file.
PLACEHOLDER = "claimgraph"


def metadata(database: str | None = None) -> dict[str, Any]:
    """The metadata, for the database ``database`` (a name, a path or a URL: its stem
    is used; default "claimgraph")."""
    raw = resources.files("claimgraph").joinpath("data", TEMPLATE).read_text(encoding="utf-8")
    out: dict[str, Any] = json.loads(raw)
    name = database_name(database) if database else PLACEHOLDER
    out["databases"] = {name: out["databases"][PLACEHOLDER]}
    return out


def database_name(database: str) -> str:
    """What datasette calls a database file: its name without the suffix."""
    path = database.split("://", 1)[-1].split("?", 1)[0]
    return PurePath(path).stem or PLACEHOLDER


__all__ = ["database_name", "metadata"]
