"""Full-text search over the ledger: articles, actors and statements.

A reader's first question is often a word ("Shahed", "Kanaani", "sanctions"), not a
filter. This mixin of :class:`claimgraph.store.Store` answers it on both backends:

* **SQLite**: an FTS5 table (``search_fts``, porter stemming, diacritics folded) kept
  beside the schema. It is created *lazily* and brought up to date before each
  search (documents stored since the last search are indexed, deleted ones dropped),
  because the migrations are shared with PostgreSQL, where FTS5 does not exist, and
  an ingest should not pay for an index nobody may ask for. A SQLite built without
  FTS5, or a database opened read-only, falls back to plain substring matching
  (``method == "like"``, with a note saying so).
* **PostgreSQL**: ``to_tsvector('english', ...) @@ plainto_tsquery('english', ...)``
  with GIN expression indexes created lazily and idempotently on first use.

Actors are matched by name (every word of the query must occur in it), ranked by
how often they are quoted: an actor's name is short, and ranking it by text
relevance says nothing.

Snippets come back as plain text plus ``highlights`` (``[start, end)`` ranges into the
snippet), never as markup, so a front end escapes the text and marks the ranges.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Sequence
from contextlib import suppress
from dataclasses import asdict, dataclass, field
from typing import Any, Protocol

#: What can be searched, in the order results are listed when all kinds are asked for.
SEARCH_KINDS = ("actor", "document", "statement")
#: Characters around the first match in a substring-search snippet.
SNIPPET_CHARS = 90
_START, _STOP = "\x02", "\x03"
_WORD = re.compile(r"\w+", re.UNICODE)
_MARKERS = re.compile("[\x02\x03]")
_FTS_TABLE = (
    "CREATE VIRTUAL TABLE IF NOT EXISTS search_fts USING fts5("
    "kind UNINDEXED, ref UNINDEXED, document_id UNINDEXED, body, "
    "tokenize = 'porter unicode61 remove_diacritics 2')"
)
_FTS_DOCS = "CREATE TABLE IF NOT EXISTS search_fts_documents (document_id TEXT PRIMARY KEY)"
_PG_INDEXES = (
    "CREATE INDEX IF NOT EXISTS documents_search_idx ON documents USING GIN "
    "(to_tsvector('english', COALESCE(title, '') || ' ' || text))",
    "CREATE INDEX IF NOT EXISTS attributions_search_idx ON attributions USING GIN "
    "(to_tsvector('english', content_text))",
)
_PG_DOC_VECTOR = "to_tsvector('english', COALESCE(d.title, '') || ' ' || d.text)"
_PG_STATEMENT_VECTOR = "to_tsvector('english', a.content_text)"
_PG_HEADLINE_OPTIONS = (
    "'StartSel=' || chr(2) || ', StopSel=' || chr(3) || ', MaxWords=30, MinWords=12, "
    "MaxFragments=1'"
)


class _Searchable(Protocol):
    backend: str

    def _execute(self, query: str, params: Sequence[Any] = ()) -> Any: ...


@dataclass
class SearchHit:
    """One search result. ``id`` is a document id, an entity id or a statement id;
    ``document`` is the article a document or statement hit lives in."""

    kind: str
    id: str
    title: str
    snippet: str = ""
    highlights: list[tuple[int, int]] = field(default_factory=list)
    document: str | None = None
    published: str | None = None
    score: float = 0.0
    #: Kind-specific details: a statement's speaker, cue and stance, an actor's type,
    #: country and statement count.
    details: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        out = asdict(self)
        out["highlights"] = [list(h) for h in self.highlights]
        return out


@dataclass
class SearchPage:
    """A page of hits with the totals per kind, and how the search was done."""

    query: str
    items: list[SearchHit]
    total: int
    counts: dict[str, int]
    limit: int
    offset: int
    #: "fts5", "postgresql" or "like" (substring fallback).
    method: str
    note: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "query": self.query,
            "items": [h.to_dict() for h in self.items],
            "total": self.total,
            "counts": self.counts,
            "limit": self.limit,
            "offset": self.offset,
            "method": self.method,
            "note": self.note,
        }


def query_words(query: str) -> list[str]:
    """The words of a user's query, lower-cased; punctuation and FTS operators are
    dropped so that no input can be a syntax error."""
    return [w.lower() for w in _WORD.findall(query)][:16]


def split_marked(marked: str) -> tuple[str, list[tuple[int, int]]]:
    """Plain text and highlight ranges from text whose matches are wrapped in
    \\x02 ... \\x03 (what FTS5's ``snippet`` and PostgreSQL's ``ts_headline`` write)."""
    out: list[str] = []
    ranges: list[tuple[int, int]] = []
    pos = 0
    start: int | None = None
    for piece in re.split("([\x02\x03])", marked):
        if piece == _START:
            start = pos
        elif piece == _STOP:
            if start is not None and pos > start:
                ranges.append((start, pos))
            start = None
        else:
            clean = re.sub(r"\s+", " ", piece)
            out.append(clean)
            pos += len(clean)
    return "".join(out), ranges


def like_snippet(text: str, words: Sequence[str]) -> tuple[str, list[tuple[int, int]]]:
    """A snippet around the first of ``words`` found in ``text`` (substring search)."""
    flat = " ".join(_MARKERS.sub(" ", text).split())
    low = flat.lower()
    hits = [(low.find(w), w) for w in words if low.find(w) >= 0]
    if not hits:
        return flat[: 2 * SNIPPET_CHARS], []
    first = min(i for i, _ in hits)
    lo = max(0, first - SNIPPET_CHARS)
    hi = min(len(flat), first + SNIPPET_CHARS)
    prefix = "…" if lo > 0 else ""
    snippet = prefix + flat[lo:hi] + ("…" if hi < len(flat) else "")
    ranges: list[tuple[int, int]] = []
    low_snip = snippet.lower()
    for w in words:
        for m in re.finditer(re.escape(w), low_snip):
            ranges.append((m.start(), m.end()))
    ranges.sort()
    merged: list[tuple[int, int]] = []
    for s, e in ranges:
        if merged and s <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(e, merged[-1][1]))
        else:
            merged.append((s, e))
    return snippet, merged


def _like(word: str) -> str:
    escaped = word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _fts_query(words: Sequence[str]) -> str:
    """Every word must match; the last one as a prefix, so "Kana" finds "Kanaani"
    while the user types."""
    quoted = [f'"{w}"' for w in words]
    quoted[-1] += "*"
    return "body : (" + " ".join(quoted) + ")"


def _headline(text: str, limit: int = 200) -> str:
    first = next((line.strip() for line in text.splitlines() if line.strip()), "")
    return first if len(first) <= limit else first[: limit - 1] + "…"


class SearchStore:
    """Mixin for :class:`claimgraph.store.Store`: ``search(query, kinds, limit, offset)``."""

    #: Per store instance: None until the first search decides how to search.
    _search_method: str | None = None

    def search(
        self: Any,
        query: str,
        kinds: Sequence[str] | None = None,
        limit: int = 50,
        offset: int = 0,
        stance: str | None = None,
    ) -> SearchPage:
        """Articles, actors and statements matching every word of ``query``.

        ``kinds`` picks among ``SEARCH_KINDS`` (default: all). Hits are listed by kind
        (actors, then articles, then statements), best first within a kind; ``limit``
        and ``offset`` page through that list and ``counts`` gives each kind's total.
        ``stance`` ("deny", ...) keeps only statements of that stance (and so only
        statements). Raises ``ValueError`` for an unknown kind or a negative limit/offset.
        """
        store: Any = self
        chosen = list(SEARCH_KINDS) if not kinds else list(dict.fromkeys(kinds))
        unknown = [k for k in chosen if k not in SEARCH_KINDS]
        if unknown:
            raise ValueError(f"unknown search kind {unknown[0]!r}: use {', '.join(SEARCH_KINDS)}")
        if limit < 0 or offset < 0:
            raise ValueError("limit and offset must not be negative")
        chosen = [k for k in SEARCH_KINDS if k in chosen]
        if stance:
            chosen = [k for k in chosen if k == "statement"]
            stance = stance.strip().lower()
        words = query_words(query)
        with store._errors("cannot search"):
            method = SearchStore._prepare_search(store)
            note = None
            if method == "like":
                note = (
                    "full-text index unavailable (SQLite without FTS5, or a read-only "
                    "database): plain substring search, unranked"
                )
            if not words:
                empty = dict.fromkeys(chosen, 0)
                return SearchPage(query, [], 0, empty, limit, offset, method, note)
            counts = {k: SearchStore._count(store, method, k, words, stance) for k in chosen}
            items: list[SearchHit] = []
            skip, room = offset, limit
            for kind in chosen:
                if room <= 0:
                    break
                n = counts[kind]
                if skip >= n:
                    skip -= n
                    continue
                items.extend(SearchStore._hits(store, method, kind, words, room, skip, stance))
                room = limit - len(items)
                skip = 0
        return SearchPage(query, items, sum(counts.values()), counts, limit, offset, method, note)

    # -- index upkeep -------------------------------------------------------------

    def _prepare_search(self: Any) -> str:
        """Make the index usable (create it, index new documents) and say which method
        this store searches with."""
        if self.backend == "postgresql":
            if self._search_method is None:
                for statement in _PG_INDEXES:
                    # No privilege to create an index (or a concurrent creator):
                    # searching still works, it is just slower.
                    with suppress(*self._db.errors):
                        self._execute(statement)
                self._search_method = "postgresql"
            return "postgresql"
        if self._search_method == "like":
            return "like"
        try:
            if self._search_method is None:
                if not SearchStore._fts_exists(self):
                    # in a write transaction: concurrent first searches create it once
                    with self._db.transaction():
                        self._execute(_FTS_TABLE)
                        self._execute(_FTS_DOCS)
                self._search_method = "fts5"
            SearchStore._sync_fts(self)
        except sqlite3.OperationalError as exc:
            # Only what no retry can mend degrades to substring search; a busy
            # database is an error to report, not a reason to search worse forever.
            message = str(exc).lower()
            if "no such module" not in message and "readonly" not in message:
                raise
            self._search_method = "like"
        return str(self._search_method)

    def _fts_exists(self: Any) -> bool:
        rows = self._execute(
            "SELECT name FROM sqlite_master WHERE name IN ('search_fts', 'search_fts_documents')"
        ).fetchall()
        return len(rows) == 2

    def _sync_fts(self: Any) -> None:
        """Index documents stored since the last search; forget deleted ones.

        A cheap read first says whether there is anything to do; if so, the list is
        read again *inside* the write transaction (which SQLite holds alone), so two
        searches racing after an ingest never index the same document twice."""
        if not any(SearchStore._fts_pending(self)):
            return
        with self._db.transaction():
            new, gone = SearchStore._fts_pending(self)
            for doc_id in gone:
                self._execute("DELETE FROM search_fts WHERE document_id = ?", (doc_id,))
                self._execute("DELETE FROM search_fts_documents WHERE document_id = ?", (doc_id,))
            for doc_id in new:
                self._execute(
                    "INSERT INTO search_fts (kind, ref, document_id, body) "
                    "SELECT 'document', id, id, COALESCE(title, '') || ' ' || text "
                    "FROM documents WHERE id = ?",
                    (doc_id,),
                )
                self._execute(
                    "INSERT INTO search_fts (kind, ref, document_id, body) "
                    "SELECT 'statement', id, document_id, content_text "
                    "FROM attributions WHERE document_id = ? ORDER BY id",
                    (doc_id,),
                )
                self._execute(
                    "INSERT INTO search_fts_documents (document_id) VALUES (?)", (doc_id,)
                )

    def _fts_pending(self: Any) -> tuple[list[str], list[str]]:
        """(documents to index, indexed document ids to forget), both sorted."""
        new = [
            str(r[0])
            for r in self._execute(
                "SELECT id FROM documents WHERE id NOT IN "
                "(SELECT document_id FROM search_fts_documents) ORDER BY id"
            ).fetchall()
        ]
        gone = [
            str(r[0])
            for r in self._execute(
                "SELECT document_id FROM search_fts_documents WHERE document_id NOT IN "
                "(SELECT id FROM documents) ORDER BY document_id"
            ).fetchall()
        ]
        return new, gone

    # -- per kind -----------------------------------------------------------------

    def _count(
        self: Any, method: str, kind: str, words: list[str], stance: str | None = None
    ) -> int:
        extra, extra_params = SearchStore._stance_where(method, kind, stance)
        if kind == "actor":
            where, params = SearchStore._actor_where(words)
            row = self._execute(f"SELECT COUNT(*) FROM entities e WHERE {where}", params).fetchone()
        elif method == "fts5":
            row = self._execute(
                f"SELECT COUNT(*) FROM search_fts WHERE search_fts MATCH ? AND kind = ?{extra}",
                (_fts_query(words), kind, *extra_params),
            ).fetchone()
        elif method == "postgresql":
            if kind == "document":
                query = (
                    f"SELECT COUNT(*) FROM documents d WHERE {_PG_DOC_VECTOR} "
                    "@@ plainto_tsquery('english', ?)"
                )
            else:
                query = (
                    f"SELECT COUNT(*) FROM attributions a WHERE {_PG_STATEMENT_VECTOR} "
                    f"@@ plainto_tsquery('english', ?){extra}"
                )
            row = self._execute(query, (" ".join(words), *extra_params)).fetchone()
        else:
            where, params = SearchStore._like_where(kind, words)
            table = "documents d" if kind == "document" else "attributions a"
            row = self._execute(
                f"SELECT COUNT(*) FROM {table} WHERE {where}{extra}", [*params, *extra_params]
            ).fetchone()
        return int(row[0])

    @staticmethod
    def _stance_where(method: str, kind: str, stance: str | None) -> tuple[str, list[Any]]:
        """The statement-stance condition of a search (``search(stance=...)``)."""
        if not stance or kind != "statement":
            return "", []
        if method == "fts5":
            return " AND ref IN (SELECT id FROM attributions WHERE stance = ?)", [stance]
        return " AND a.stance = ?", [stance]

    def _hits(
        self: Any,
        method: str,
        kind: str,
        words: list[str],
        limit: int,
        offset: int,
        stance: str | None = None,
    ) -> list[SearchHit]:
        if kind == "actor":
            return SearchStore._actor_hits(self, words, limit, offset)
        extra, extra_params = SearchStore._stance_where(method, kind, stance)
        if method == "fts5":
            # Rank first, then make snippets for the page only: a snippet for every
            # match (before the sort) is what makes a broad query slow.
            match = _fts_query(words)
            rows = self._execute(
                "SELECT ref, snippet(search_fts, 3, char(2), char(3), '…', 20), "
                "bm25(search_fts) FROM search_fts WHERE search_fts MATCH ? AND rowid IN "
                f"(SELECT rowid FROM search_fts WHERE search_fts MATCH ? AND kind = ?{extra} "
                "ORDER BY bm25(search_fts), ref LIMIT ? OFFSET ?) "
                "ORDER BY bm25(search_fts), ref",
                (match, match, kind, *extra_params, limit, offset),
            ).fetchall()
            found = [(str(r[0]), *split_marked(str(r[1])), -float(r[2])) for r in rows]
        elif method == "postgresql":
            if kind == "document":
                vector, table, text = _PG_DOC_VECTOR, "documents d", "d.text"
                ref = "d.id"
            else:
                vector, table, text = _PG_STATEMENT_VECTOR, "attributions a", "a.content_text"
                ref = "a.id"
            rows = self._execute(
                f"SELECT {ref}, ts_headline('english', {text}, q, {_PG_HEADLINE_OPTIONS}), "
                f"ts_rank({vector}, q) AS rank FROM {table}, "
                "plainto_tsquery('english', ?) AS q "
                f"WHERE {vector} @@ q{extra} ORDER BY rank DESC, {ref} LIMIT ? OFFSET ?",
                (" ".join(words), *extra_params, limit, offset),
            ).fetchall()
            found = [(str(r[0]), *split_marked(str(r[1])), float(r[2])) for r in rows]
        else:
            where, params = SearchStore._like_where(kind, words)
            if kind == "document":
                query = f"SELECT d.id, d.text FROM documents d WHERE {where} ORDER BY d.id"
            else:
                query = (
                    f"SELECT a.id, a.content_text FROM attributions a WHERE {where}{extra} "
                    "ORDER BY a.id"
                )
            rows = self._execute(
                f"{query} LIMIT ? OFFSET ?", [*params, *extra_params, limit, offset]
            ).fetchall()
            found = [(str(r[0]), *like_snippet(str(r[1]), words), 0.0) for r in rows]
        if kind == "document":
            return SearchStore._document_hits(self, found)
        return SearchStore._statement_hits(self, found)

    @staticmethod
    def _actor_where(words: list[str]) -> tuple[str, list[Any]]:
        clauses = ["LOWER(e.name) LIKE ? ESCAPE '\\'" for _ in words]
        return " AND ".join(clauses), [_like(w) for w in words]

    @staticmethod
    def _like_where(kind: str, words: list[str]) -> tuple[str, list[Any]]:
        column = "LOWER(COALESCE(d.title, '') || ' ' || d.text)"
        if kind == "statement":
            column = "LOWER(a.content_text)"
        clauses = [f"{column} LIKE ? ESCAPE '\\'" for _ in words]
        return " AND ".join(clauses), [_like(w) for w in words]

    def _actor_hits(self: Any, words: list[str], limit: int, offset: int) -> list[SearchHit]:
        where, params = SearchStore._actor_where(words)
        rows = self._execute(
            "SELECT e.id, e.name, e.type, e.country, e.role, "
            "(SELECT COUNT(*) FROM attributions t JOIN actors a ON a.id = t.speaker_actor_id "
            " WHERE a.entity_id = e.id) AS n FROM entities e "
            f"WHERE {where} ORDER BY n DESC, e.name, e.id LIMIT ? OFFSET ?",
            [*params, limit, offset],
        ).fetchall()
        hits = []
        for entity_id, name, type_, country, role, n in rows:
            low = str(name).lower()
            ranges = []
            for w in words:
                i = low.find(w)
                if i >= 0:
                    ranges.append((i, i + len(w)))
            hits.append(
                SearchHit(
                    kind="actor",
                    id=str(entity_id),
                    title=str(name),
                    snippet=str(name),
                    highlights=sorted(ranges),
                    score=float(n),
                    details={"type": type_, "country": country, "role": role, "statements": n},
                )
            )
        return hits

    def _document_hits(
        self: Any, found: list[tuple[str, str, list[tuple[int, int]], float]]
    ) -> list[SearchHit]:
        if not found:
            return []
        marks = ", ".join("?" for _ in found)
        meta = {
            str(r[0]): r
            for r in self._execute(
                "SELECT id, name, title, outlet, published, SUBSTR(text, 1, 400) "
                f"FROM documents WHERE id IN ({marks})",
                [f[0] for f in found],
            ).fetchall()
        }
        hits = []
        for ref, snippet, ranges, score in found:
            row = meta.get(ref)
            if row is None:
                continue
            _, name, title, outlet, published, head = row
            hits.append(
                SearchHit(
                    kind="document",
                    id=ref,
                    title=str(title or _headline(str(head)) or name),
                    snippet=snippet,
                    highlights=ranges,
                    document=ref,
                    published=published,
                    score=score,
                    details={"name": name, "outlet": outlet},
                )
            )
        return hits

    def _statement_hits(
        self: Any, found: list[tuple[str, str, list[tuple[int, int]], float]]
    ) -> list[SearchHit]:
        if not found:
            return []
        by_id = {s.id: s for s in self.statements(ids=[f[0] for f in found])}
        hits = []
        for ref, snippet, ranges, score in found:
            s = by_id.get(ref)
            if s is None:
                continue
            who = s.speaker or s.source or "unknown speaker"
            hits.append(
                SearchHit(
                    kind="statement",
                    id=ref,
                    title=f"{who} {s.cue}",
                    snippet=snippet,
                    highlights=ranges,
                    document=s.document_id,
                    published=s.published,
                    score=score,
                    details={
                        "speaker": s.speaker,
                        "source": s.source,
                        "cue": s.cue,
                        "stance": s.stance,
                        "document_name": s.document_name,
                        "title": s.title,
                        "content_start": s.content_start,
                        "content_end": s.content_end,
                    },
                )
            )
        return hits
