"""The ledger on disk: one schema, on SQLite by default or PostgreSQL for shared servers.

Both backends run the *same* SQL. The schema comes from numbered migration files
(``claimgraph/migrations/NNNN_name.sql``) recorded in ``schema_migrations``, so a
database made by an older claimgraph is brought up to date when it is opened and a
newer stage (events, claims) only has to add a file. The few dialect differences
(placeholders, how a write transaction starts, serialising migrations) live in
``_Backend``.

A document and everything extracted from it is written in one transaction keyed by
the document's content hash: a document is either wholly stored or not at all, and
storing it again is a no-op, which makes re-running an ingest safe.
"""

from __future__ import annotations

import calendar
import json
import os
import re
import secrets
import socket
import sqlite3
from collections.abc import Callable, Collection, Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import asdict, dataclass, fields
from datetime import UTC, date, datetime, timedelta
from importlib import resources
from pathlib import Path
from types import TracebackType
from typing import Any
from urllib.parse import parse_qsl, quote, unquote, urlencode, urlsplit, urlunsplit

from claimgraph.browse import BrowseStore
from claimgraph.claimstore import ClaimStore
from claimgraph.entities import EntityStore, co_speakers_json
from claimgraph.errors import StoreError
from claimgraph.filters import Filters, contains_pattern, event_where, statement_where
from claimgraph.model import Document, Extraction
from claimgraph.search import SearchStore
from claimgraph.urls import safe_url

DEFAULT_SQLITE_PATH = "claimgraph.db"
#: Seconds to wait for a PostgreSQL server before giving up (unless the URL says otherwise).
PG_CONNECT_TIMEOUT = 10
_SCHEMA_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_MIGRATION_FILE = re.compile(r"^(\d+)_([A-Za-z0-9_]+)\.sql$")
#: Arbitrary constant for pg_advisory_xact_lock: serialises concurrent migrators.
_PG_MIGRATION_LOCK = 0x636C6D67


#: How long a claim on a document lasts without renewal (``Store.renew_leases``).
LEASE_SECONDS = 300


@dataclass(frozen=True)
class IngestLease:
    """Who an ingest run is, for claiming documents before extracting them: a random
    token (two runs in one process differ), the host and the process id (a lease
    whose process is gone on this host is taken over at once)."""

    owner: str
    host: str
    pid: int
    seconds: float = LEASE_SECONDS

    @classmethod
    def new(cls, seconds: float = LEASE_SECONDS) -> IngestLease:
        return cls(secrets.token_hex(8), socket.gethostname(), os.getpid(), seconds)

    def expires_at(self) -> str:
        return _timestamp(datetime.now(UTC) + timedelta(seconds=self.seconds))

    def holds(self, owner: str, host: str, pid: int, expires_at: str) -> bool:
        """Is a lease row (someone's, possibly ours) still valid?"""
        if owner == self.owner:
            return True
        if str(expires_at) <= _timestamp(datetime.now(UTC)):
            return False
        return host != self.host or _pid_alive(int(pid))


def _pid_alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OSError):
        return True
    try:  # a zombie (killed, not yet reaped) is gone for our purposes
        with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as f:
            return f.read().rsplit(")", 1)[-1].split()[0] != "Z"
    except OSError:
        return True


class DocumentRejectedError(StoreError):
    """The database refused one document's records (bad data, not a broken database).

    A batch skips such a document and carries on; any other ``StoreError`` means the
    store itself is unusable and the batch should stop.
    """


@dataclass(frozen=True)
class Migration:
    version: int
    name: str
    sql: str

    def statements(self) -> list[str]:
        """Split the file into statements; drivers differ in running several at once."""
        without_comments = "\n".join(line.split("--", 1)[0] for line in self.sql.splitlines())
        return [s.strip() for s in without_comments.split(";") if s.strip()]


def load_migrations() -> list[Migration]:
    """The migrations shipped with the package, in version order."""
    folder = resources.files("claimgraph").joinpath("migrations")
    found: list[Migration] = []
    for entry in folder.iterdir():
        m = _MIGRATION_FILE.match(entry.name)
        if m:
            found.append(Migration(int(m.group(1)), m.group(2), entry.read_text(encoding="utf-8")))
    found.sort(key=lambda mig: mig.version)
    versions = [mig.version for mig in found]
    if not found or versions != list(range(1, len(found) + 1)):
        raise StoreError(f"migration files must be numbered 1..n without gaps, found {versions}")
    return found


@dataclass(frozen=True)
class Statement:
    """One attribution as a reader wants it: who said what, where, and in which article."""

    id: str
    document_id: str
    document_name: str
    title: str | None
    published: str | None
    speaker: str | None
    speaker_type: str | None
    speaker_country: str | None
    speaker_role: str | None
    channel: str | None
    source: str | None
    cue: str
    content: str
    kind: str
    stance: str
    section: str
    source_start: int | None
    source_end: int | None
    cue_start: int
    cue_end: int
    content_start: int
    content_end: int
    content_fragments: tuple[tuple[int, int], ...] | None = None
    #: ``speech`` or ``thought`` (``None`` for rows stored before schema version 9).
    mode: str | None = None
    #: Calibrated probability that the statement is right (``claimgraph.confidence``).
    confidence: float | None = None

    def to_dict(self) -> dict[str, Any]:
        out = asdict(self)
        if self.content_fragments is not None:
            out["content_fragments"] = [list(f) for f in self.content_fragments]
        return out


@dataclass(frozen=True)
class StoredDocument:
    """A stored article's metadata; the text stays in the database until asked for."""

    id: str
    name: str
    title: str | None
    url: str | None
    outlet: str | None
    published: str | None
    ingested_at: str

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class EventRow:
    """One stored event as an analyst reads it: who did what to whom, when, in whose
    voice, with the sentence it came from, so a coded record can be checked by eye."""

    id: str
    document_id: str
    document_name: str
    title: str | None
    url: str | None
    outlet: str | None
    published: str | None
    type: str
    mode: str | None
    context: str | None
    cameo: str | None
    actor: str | None
    actor_type: str | None
    actor_country: str | None
    target: str | None
    target_type: str | None
    target_country: str | None
    trigger: str
    trigger_start: int
    trigger_end: int
    object: str | None
    quantity: str | None
    time_text: str | None
    time_value: str | None
    time_relation: str | None
    polarity: str
    modality: str
    attribution_id: str | None
    speaker: str | None
    speaker_type: str | None
    speaker_country: str | None
    source: str | None
    stance: str | None
    section: str
    #: Calibrated probability that the event's type is right (``claimgraph.event_confidence``);
    #: ``None`` for events stored before schema version 10 or by an unscored extractor.
    confidence: float | None
    sentence: str

    @property
    def date(self) -> str | None:
        """When it happened as far as we know: the event's own time, else the article's
        date (what GDELT-style data does for every event)."""
        return self.time_value or self.published

    @property
    def voice(self) -> str:
        """Who asserts the event: the speaker, else the unresolved source text, else the
        publisher when no statement carries it."""
        if self.attribution_id is None:
            return "publisher"
        return self.speaker or self.source or "unknown speaker"

    def to_dict(self) -> dict[str, Any]:
        out = asdict(self)
        out["date"] = self.date
        out["voice"] = self.voice
        return out


def mask_url(url: str) -> str:
    """The URL with its password replaced, safe for error messages and logs."""
    try:
        parts = urlsplit(url)
        if parts.password is None:
            return url
        host = parts.hostname or ""
        if parts.port is not None:
            host = f"{host}:{parts.port}"
        user = quote(unquote(parts.username or ""), safe="")
        return urlunsplit(parts._replace(netloc=f"{user}:***@{host}"))
    except ValueError:
        return "<unparseable database URL>"


class _Rollback(Exception):
    """Raised inside a transaction to undo it without reporting an error."""


class _Backend:
    """What differs between SQLite and PostgreSQL; everything else is shared SQL."""

    name: str
    errors: tuple[type[BaseException], ...]
    rejected: tuple[type[BaseException], ...]

    def __init__(self, conn: Any) -> None:
        self.conn = conn

    def sql(self, query: str) -> str:
        return query

    @contextmanager
    def transaction(self) -> Iterator[None]:
        raise NotImplementedError
        yield  # pragma: no cover

    def lock_migrations(self) -> None:
        """Make concurrent openers apply each migration once; called inside a transaction."""

    def close(self) -> None:
        self.conn.close()


class _SQLiteBackend(_Backend):
    name = "sqlite"
    errors = (sqlite3.Error,)
    rejected = (sqlite3.IntegrityError, sqlite3.DataError)

    @contextmanager
    def transaction(self) -> Iterator[None]:
        # IMMEDIATE takes the write lock up front, so two writers wait (busy timeout)
        # instead of failing half-way; that also serialises migrations.
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise
        self.conn.execute("COMMIT")


class _PostgresBackend(_Backend):
    name = "postgresql"

    def __init__(self, conn: Any, psycopg: Any) -> None:
        super().__init__(conn)
        self.errors = (psycopg.Error,)
        self.rejected = (psycopg.IntegrityError, psycopg.DataError)

    def sql(self, query: str) -> str:
        # Our SQL has no literal "?" or "%"; LIKE patterns travel as parameters.
        return query.replace("?", "%s")

    @contextmanager
    def transaction(self) -> Iterator[None]:
        with self.conn.transaction():
            yield

    def lock_migrations(self) -> None:
        self.conn.execute("SELECT pg_advisory_xact_lock(%s)", (_PG_MIGRATION_LOCK,))


def _sqlite_lower(value: str | bytes | int | float | None) -> str | bytes | int | float | None:
    return value.lower() if isinstance(value, str) else value


def _connect_sqlite(path: str) -> _SQLiteBackend:
    try:
        # isolation_level=None: we issue BEGIN/COMMIT ourselves, so DDL in migrations
        # is transactional too (the sqlite3 module's implicit transactions skip DDL).
        conn = sqlite3.connect(path, timeout=30, isolation_level=None)
    except sqlite3.Error as exc:
        raise StoreError(f"cannot open SQLite database {path}: {exc}") from exc
    try:
        conn.execute("PRAGMA foreign_keys = ON")
        # SQLite's LOWER only folds ASCII; PostgreSQL folds all of Unicode. Python's
        # lower() makes "speaker"/"about" searches behave the same on both.
        conn.create_function("lower", 1, _sqlite_lower, deterministic=True)
    except sqlite3.Error as exc:
        conn.close()
        raise StoreError(f"cannot open SQLite database {path}: {exc}") from exc
    return _SQLiteBackend(conn)


def _connect_postgres(url: str, schema: str | None) -> _PostgresBackend:
    try:
        import psycopg
    except ImportError as exc:
        raise StoreError(
            "PostgreSQL support needs psycopg: pip install 'claimgraph[postgres]'"
        ) from exc
    parts = urlsplit(url)
    query = parse_qsl(parts.query, keep_blank_values=True)
    # "schema" is ours, not libpq's: strip it before libpq sees it.
    for key, value in query:
        if key == "schema":
            schema = schema or value
    query = [(k, v) for k, v in query if k != "schema"]
    scheme = "postgresql" if parts.scheme.startswith("postgres") else parts.scheme
    conninfo = urlunsplit(parts._replace(scheme=scheme, query=urlencode(query)))
    kwargs: dict[str, Any] = {"autocommit": True}
    if "connect_timeout" not in dict(query):
        kwargs["connect_timeout"] = PG_CONNECT_TIMEOUT
    if schema is not None and not _SCHEMA_NAME.match(schema):
        raise StoreError(f"invalid schema name {schema!r}: use letters, digits and _")
    try:
        conn = psycopg.connect(conninfo, **kwargs)
    except psycopg.Error as exc:
        reason = " ".join(str(exc).split()) or type(exc).__name__
        raise StoreError(f"cannot connect to PostgreSQL at {mask_url(url)}: {reason}") from exc
    backend = _PostgresBackend(conn, psycopg)
    if schema is not None:
        try:
            exists = conn.execute(
                "SELECT 1 FROM pg_namespace WHERE nspname = %s", (schema,)
            ).fetchone()
            if not exists:
                conn.execute(f'CREATE SCHEMA IF NOT EXISTS "{schema}"')
            conn.execute(f'SET search_path TO "{schema}"')
        except psycopg.Error as exc:
            conn.close()
            raise StoreError(
                f"cannot use schema {schema!r} at {mask_url(url)}: {str(exc).strip()}"
            ) from exc
    return backend


def _sqlite_path(url: str) -> str | None:
    """The SQLite file a URL names, or None when it is not a SQLite URL."""
    if url == ":memory:":
        return url
    if url.startswith("sqlite:"):
        rest = url[len("sqlite:") :]
        if rest in ("", "//", "///:memory:", "//:memory:"):
            return ":memory:"
        if rest.startswith("///"):
            # sqlite:///rel.db is relative, sqlite:////abs.db absolute (SQLAlchemy's rule).
            return unquote(rest[3:])
        if rest.startswith("//"):
            raise StoreError(f"SQLite URL needs three slashes: sqlite:///path.db, got {url}")
        return unquote(rest)
    if re.match(r"^[A-Za-z][A-Za-z0-9+.-]*://", url):
        return None
    return url


def open_store(
    url: str | Path | None = None, *, schema: str | None = None, create: bool = True
) -> Store:
    """Open (creating and migrating as needed) the store a URL names.

    With ``create=False`` a SQLite file that does not exist is a ``StoreError``
    naming it, instead of a new empty database: what a command that only reads wants.

    ``None`` is ``claimgraph.db`` in the current directory; ``sqlite:///path.db``, a
    plain path or ``:memory:`` is SQLite; ``postgresql://`` / ``postgres://`` is
    PostgreSQL. For PostgreSQL, ``schema`` (or ``?schema=name`` in the URL) keeps the
    tables in that schema, created if missing; libpq's own
    ``?options=-csearch_path%3Dname`` is passed through as well.
    """
    target = DEFAULT_SQLITE_PATH if url is None else str(url)
    path = _sqlite_path(target)
    if path is not None:
        if schema is not None:
            raise StoreError("a schema can only be chosen for PostgreSQL stores")
        if not create and path != ":memory:" and not Path(path).exists():
            raise StoreError(
                f"no database at {path}: `claimgraph ingest FILE... --db {path}` creates one"
            )
        backend: _Backend = _connect_sqlite(path)
        shown = path
    elif target.startswith(("postgresql:", "postgres:", "postgresql+")):
        backend = _connect_postgres(target.replace("postgresql+psycopg:", "postgresql:"), schema)
        shown = mask_url(target)
    else:
        raise StoreError(
            f"unsupported database URL {mask_url(target)}: "
            "use a file path, sqlite:///path.db or postgresql://..."
        )
    store = Store(backend, shown)
    try:
        store.migrate()
    except BaseException:
        store.close()
        raise
    return store


class Store(EntityStore, ClaimStore, SearchStore, BrowseStore):
    """A connection to the ledger; use ``open_store`` to get one."""

    def __init__(self, backend: _Backend, url: str) -> None:
        self._db = backend
        #: Where the store lives, password masked: for messages.
        self.url = url
        self.backend = backend.name
        self._closed = False

    # -- plumbing ---------------------------------------------------------------

    def _execute(self, query: str, params: Sequence[Any] = ()) -> Any:
        return self._db.conn.execute(self._db.sql(query), tuple(params))

    def _executemany(self, query: str, rows: Sequence[Sequence[Any]]) -> None:
        if rows:
            cur = self._db.conn.cursor()
            try:
                cur.executemany(self._db.sql(query), [tuple(r) for r in rows])
            finally:
                cur.close()

    @contextmanager
    def _errors(self, action: str) -> Iterator[None]:
        if self._closed:
            raise StoreError(f"store {self.url} is closed")
        try:
            yield
        except self._db.rejected as exc:
            raise DocumentRejectedError(f"{action}: {exc}") from exc
        except self._db.errors as exc:
            raise StoreError(f"{action} in {self.url}: {exc}") from exc

    # -- schema -----------------------------------------------------------------

    def schema_version(self) -> int:
        """Highest migration applied; opening a store has already brought it up to date."""
        with self._errors("cannot read schema version"):
            row = self._execute("SELECT MAX(version) FROM schema_migrations").fetchone()
        return int(row[0]) if row and row[0] is not None else 0

    def applied_migrations(self) -> list[tuple[int, str, str]]:
        """(version, name, applied_at) of every migration this database has had."""
        with self._errors("cannot read migrations"):
            rows = self._execute(
                "SELECT version, name, applied_at FROM schema_migrations ORDER BY version"
            ).fetchall()
        return [(int(v), str(n), str(t)) for v, n, t in rows]

    def migrate(self) -> list[int]:
        """Apply the migrations this database lacks, each once and in its own transaction."""
        migrations = load_migrations()
        applied: list[int] = []
        with self._errors("cannot migrate database"):
            with self._db.transaction():
                self._db.lock_migrations()
                self._execute(
                    "CREATE TABLE IF NOT EXISTS schema_migrations ("
                    "version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)"
                )
            for mig in migrations:
                with self._db.transaction():
                    self._db.lock_migrations()
                    done = {
                        int(r[0]) for r in self._execute("SELECT version FROM schema_migrations")
                    }
                    newest = max(done, default=0)
                    if newest > migrations[-1].version:
                        raise StoreError(
                            f"database {self.url} has schema version {newest}, newer than this "
                            f"claimgraph knows ({migrations[-1].version}); upgrade claimgraph"
                        )
                    if mig.version in done:
                        continue
                    for statement in mig.statements():
                        self._execute(statement)
                    self._execute(
                        "INSERT INTO schema_migrations (version, name, applied_at) "
                        "VALUES (?, ?, ?)",
                        (mig.version, mig.name, _now()),
                    )
                    applied.append(mig.version)
            if applied:
                with self._db.transaction():
                    self._backfill_entities()
        return applied

    # -- writing ----------------------------------------------------------------

    def has_document(self, doc_id: str) -> bool:
        with self._errors("cannot look up document"):
            row = self._execute("SELECT 1 FROM documents WHERE id = ?", (doc_id,)).fetchone()
        return row is not None

    def has_url(self, url: str) -> bool:
        """Whether an article with this URL is stored (a feed ingest fetches only the
        items it does not know)."""
        with self._errors("cannot look up document"):
            row = self._execute("SELECT 1 FROM documents WHERE url = ? LIMIT 1", (url,)).fetchone()
        return row is not None

    def claim_document(self, doc_id: str, lease: IngestLease) -> str:
        """Claim a document for extraction by this ingest run: "claimed" (go ahead; also
        when it is already ours), "stored" (someone stored it meanwhile) or "busy"
        (another live ingest is extracting it). One short write transaction; a lease
        left by a dead or expired ingest is taken over."""
        with self._errors(f"cannot claim document {doc_id}"), self._db.transaction():
            if self._execute("SELECT 1 FROM documents WHERE id = ?", (doc_id,)).fetchone():
                return "stored"
            row = self._execute(
                "SELECT owner, host, pid, expires_at FROM ingest_leases WHERE document_id = ?",
                (doc_id,),
            ).fetchone()
            if row is not None:
                if row[0] == lease.owner:
                    return "claimed"
                if lease.holds(*row):
                    return "busy"
                self._execute(
                    "DELETE FROM ingest_leases WHERE document_id = ? AND owner = ?",
                    (doc_id, row[0]),
                )
            inserted = self._execute(
                "INSERT INTO ingest_leases (document_id, owner, host, pid, expires_at) "
                "VALUES (?, ?, ?, ?, ?) ON CONFLICT (document_id) DO NOTHING",
                (doc_id, lease.owner, lease.host, lease.pid, lease.expires_at()),
            ).rowcount
            if inserted != 1:
                return "busy"
            # Looked at again after the insert: on PostgreSQL each statement sees what
            # was committed when it began, and a save that ended another run's lease
            # may have committed since the first look (the insert waited for it).
            if self._execute("SELECT 1 FROM documents WHERE id = ?", (doc_id,)).fetchone():
                self._execute(
                    "DELETE FROM ingest_leases WHERE document_id = ? AND owner = ?",
                    (doc_id, lease.owner),
                )
                return "stored"
        return "claimed"

    def release_document(self, doc_id: str, lease: IngestLease) -> None:
        """Give up this run's claim on a document (it was skipped, or the run stops)."""
        with self._errors(f"cannot release document {doc_id}"), self._db.transaction():
            self._execute(
                "DELETE FROM ingest_leases WHERE document_id = ? AND owner = ?",
                (doc_id, lease.owner),
            )

    def renew_leases(self, lease: IngestLease, *, release: bool = False) -> None:
        """Push back the expiry of every claim this run holds, or (``release``) drop them."""
        with self._errors("cannot renew document claims"), self._db.transaction():
            if release:
                self._execute("DELETE FROM ingest_leases WHERE owner = ?", (lease.owner,))
            else:
                self._execute(
                    "UPDATE ingest_leases SET expires_at = ? WHERE owner = ?",
                    (lease.expires_at(), lease.owner),
                )

    def save(self, extraction: Extraction) -> bool:
        """Store a document with all its records; False (nothing written) if already stored.

        Any ingest's claim on the document (``claim_document``) ends in the same
        transaction.

        Raises ``DocumentRejectedError`` when the records break the schema's rules (e.g.
        an attribution naming an actor that does not exist); nothing is written then.
        """
        doc = extraction.document
        try:
            with self._errors(f"cannot store document {doc.name}"), self._db.transaction():
                inserted = self._execute(
                    "INSERT INTO documents (id, name, title, url, outlet, published, text, "
                    "ingested_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING",
                    (
                        doc.id,
                        doc.name,
                        doc.title,
                        safe_url(doc.url),  # the last line against script URLs
                        doc.outlet,
                        doc.published,
                        doc.text,
                        _now(),
                    ),
                ).rowcount
                if inserted != 1:
                    raise _Rollback
                self._insert_records(extraction)
                self._execute("DELETE FROM ingest_leases WHERE document_id = ?", (doc.id,))
        except _Rollback:
            return False
        return True

    def delete_document(self, doc_id: str) -> bool:
        """Remove a document and all its records (e.g. to store a fresh extraction of it
        after a newer claimgraph learnt to extract more); False if it was not stored."""
        with self._errors(f"cannot delete document {doc_id}"), self._db.transaction():
            # Children first: SQLite only cascades when foreign keys are switched on,
            # which other tools opening the same file may not do.
            self._unlink_entities(doc_id)
            self._delete_claims(doc_id)
            for table in ("events", "attributions", "mentions", "actors", "sections"):
                self._execute(f"DELETE FROM {table} WHERE document_id = ?", (doc_id,))
            deleted = self._execute("DELETE FROM documents WHERE id = ?", (doc_id,)).rowcount
        return bool(deleted)

    def _insert_records(self, extraction: Extraction) -> None:
        doc_id = extraction.document.id

        def gid(local: str | None) -> str | None:
            return None if local is None else f"{doc_id}:{local}"

        self._executemany(
            "INSERT INTO sections (document_id, seq, kind, start_char, end_char) "
            "VALUES (?, ?, ?, ?, ?)",
            [(doc_id, i, s.kind, s.start, s.end) for i, s in enumerate(extraction.sections)],
        )
        entity_of = self._link_entities(extraction)
        self._executemany(
            "INSERT INTO actors (id, document_id, local_id, name, type, country, role, "
            "sector, affiliation, entity_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                (
                    gid(a.id),
                    doc_id,
                    a.id,
                    a.name,
                    a.type,
                    a.country,
                    a.role,
                    a.sector,
                    a.affiliation,
                    entity_of[a.id],
                )
                for a in extraction.actors
            ],
        )
        self._executemany(
            "INSERT INTO mentions (actor_id, seq, document_id, start_char, end_char, text) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            [
                (gid(a.id), i, doc_id, m.start, m.end, m.text)
                for a in extraction.actors
                for i, m in enumerate(a.mentions)
            ],
        )
        rows = []
        co_speakers = co_speakers_json(extraction, gid)
        for att in extraction.attributions:
            src, cue, content = att.source, att.cue, att.content
            frags = json.dumps([list(f) for f in content.fragments]) if content.fragments else None
            rows.append(
                (
                    gid(att.id),
                    doc_id,
                    att.id,
                    att.section,
                    att.kind,
                    att.stance,
                    src.start if src else None,
                    src.end if src else None,
                    src.text if src else None,
                    cue.start,
                    cue.end,
                    cue.text,
                    content.start,
                    content.end,
                    # what the speaker said, without the "he said" that interrupts a quote
                    content.joined(extraction.document.text),
                    frags,
                    gid(att.speaker),
                    gid(att.channel),
                    co_speakers[att.id],
                    None if att.confidence is None else round(att.confidence, 3),
                    att.mode,
                )
            )
        self._executemany(
            "INSERT INTO attributions (id, document_id, local_id, section, kind, stance, "
            "source_start, source_end, source_text, cue_start, cue_end, cue_text, "
            "content_start, content_end, content_text, content_fragments, "
            "speaker_actor_id, channel_actor_id, co_speakers, confidence, mode) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            rows,
        )
        self._executemany(
            "INSERT INTO events (id, document_id, local_id, type, mode, context, cameo, "
            "actor_id, target_id, trigger_start, trigger_end, trigger_text, object_start, "
            "object_end, object_text, quantity, time_text, time_value, time_relation, "
            "time_start, time_end, polarity, modality, attribution_id, section, "
            "sentence_start, sentence_end, confidence) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
            "?, ?, ?)",
            [
                _event_values(extraction, n, ev, gid)
                for n, ev in enumerate(extraction.events, start=1)
            ],
        )
        self._insert_claims(extraction, gid)

    # -- reading ----------------------------------------------------------------

    def count_documents(self) -> int:
        with self._errors("cannot count documents"):
            row = self._execute("SELECT COUNT(*) FROM documents").fetchone()
        return int(row[0])

    def documents(self) -> list[StoredDocument]:
        """Stored articles by publication date (undated last), then name."""
        with self._errors("cannot list documents"):
            rows = self._execute(
                "SELECT id, name, title, url, outlet, published, ingested_at FROM documents "
                "ORDER BY (published IS NULL), published, name, id"
            ).fetchall()
        return [StoredDocument(*r) for r in rows]

    def get_document(self, doc_id: str) -> Document | None:
        """The stored article with its text, so offsets can be resolved against it."""
        with self._errors("cannot read document"):
            row = self._execute(
                "SELECT id, name, title, url, outlet, published, text FROM documents WHERE id = ?",
                (doc_id,),
            ).fetchone()
        if row is None:
            return None
        return Document(
            id=row[0],
            name=row[1],
            title=row[2],
            url=row[3],
            outlet=row[4],
            published=row[5],
            text=row[6],
        )

    def statements(
        self,
        *,
        speaker: str | None = None,
        about: str | None = None,
        document: str | None = None,
        limit: int | None = None,
        ids: Collection[str] | None = None,
        filters: Filters | None = None,
    ) -> list[Statement]:
        """Who said what, filtered; ordered by publication date (undated last), then
        document, then position in the text.

        ``speaker`` and ``about`` are case-insensitive substrings of the speaker's actor
        name and of the content; ``document`` is a document id or the name it was
        ingested under. ``filters`` (``claimgraph.filters.Filters``) adds stance, kind,
        date range and the rest, as the CLI and the web API take them.
        """
        where, params = statement_where(filters)
        if speaker:
            where.append("LOWER(sp.name) LIKE ? ESCAPE '\\'")
            params.append(_contains(speaker))
        if about:
            where.append("LOWER(a.content_text) LIKE ? ESCAPE '\\'")
            params.append(_contains(about))
        if document:
            where.append("(d.id = ? OR d.name = ?)")
            params.extend([document, document])
        if ids is not None:
            if not ids:
                return []
            where.append(f"a.id IN ({', '.join('?' for _ in ids)})")
            params.extend(ids)
        query = (
            "SELECT a.id, d.id, d.name, d.title, d.published, sp.name, sp.type, sp.country, "
            "sp.role, ch.name, a.source_text, a.cue_text, a.content_text, a.kind, a.stance, "
            "a.section, a.source_start, a.source_end, a.cue_start, a.cue_end, "
            "a.content_start, a.content_end, a.content_fragments, a.mode, a.confidence "
            "FROM attributions a JOIN documents d ON d.id = a.document_id "
            "LEFT JOIN actors sp ON sp.id = a.speaker_actor_id "
            "LEFT JOIN actors ch ON ch.id = a.channel_actor_id"
        )
        if where:
            query += " WHERE " + " AND ".join(where)
        query += " ORDER BY (d.published IS NULL), d.published, d.name, d.id, a.content_start, a.id"
        if limit is not None:
            if limit < 0:
                raise ValueError("limit must not be negative")
            query += " LIMIT ?"
            params.append(int(limit))
        with self._errors("cannot query statements"):
            rows = self._execute(query, params).fetchall()
        return [_statement(r) for r in rows]

    def events(
        self,
        *,
        actor: str | None = None,
        target: str | None = None,
        type: str | None = None,
        since: str | None = None,
        until: str | None = None,
        document: str | None = None,
        limit: int | None = None,
        actor_entity: str | None = None,
        target_entity: str | None = None,
        ids: Collection[str] | None = None,
        filters: Filters | None = None,
    ) -> list[EventRow]:
        """Who did what to whom, filtered; ordered by when it happened (the event's time,
        else the article's date; undated last), then document and position.

        ``actor`` and ``target`` match a case-insensitive substring of the actor's name
        or exactly its country code ("IRN"). ``since``/``until`` (YYYY, YYYY-MM or
        YYYY-MM-DD, both inclusive) keep events whose time overlaps the range; an
        event without a time of its own is dated by its article. ``type`` is a
        PLOVER type (any case). ``actor_entity``/``target_entity`` are entity ids
        (``claimgraph actors``), matching the actor across articles; ``ids`` keeps
        only the events with those ids. Raises ``ValueError`` for a date it cannot read.
        ``filters`` (``claimgraph.filters.Filters``) adds the voice's stance, kind and
        name, and the sentence's text, as the CLI and the web API take them.
        """
        where, params = event_where(filters)
        for alias, entity in (("ac", actor_entity), ("tg", target_entity)):
            if entity:
                where.append(f"{alias}.entity_id = ?")
                params.append(entity)
        for alias, value in (("ac", actor), ("tg", target)):
            if value:
                where.append(f"(LOWER({alias}.name) LIKE ? ESCAPE '\\' OR {alias}.country = ?)")
                params.extend([_contains(value), value.strip().upper()])
        if type:
            where.append("e.type = ?")
            params.append(type.strip().upper())
        if since:
            where.append("COALESCE(e.time_end, d.published) >= ?")
            params.append(date_bound(since, last=False))
        if until:
            where.append("COALESCE(e.time_start, d.published) <= ?")
            params.append(date_bound(until, last=True))
        if document:
            where.append("(d.id = ? OR d.name = ?)")
            params.extend([document, document])
        if ids is not None:  # a page chosen by the caller (e.g. the web API)
            if not ids:
                return []
            where.append(f"e.id IN ({', '.join('?' for _ in ids)})")
            params.extend(ids)
        # Only a window of the article travels, not its whole text per event.
        window_start = (
            f"(CASE WHEN e.trigger_start > {SENTENCE_WINDOW} "
            f"THEN e.trigger_start - {SENTENCE_WINDOW} ELSE 0 END)"
        )
        query = (
            "SELECT e.id, d.id, d.name, d.title, d.url, d.outlet, d.published, e.type, e.mode, "
            "e.context, e.cameo, ac.name, ac.type, ac.country, tg.name, tg.type, tg.country, "
            "e.trigger_text, e.trigger_start, e.trigger_end, e.object_text, e.quantity, "
            "e.time_text, e.time_value, e.time_relation, e.polarity, e.modality, "
            "e.attribution_id, sp.name, sp.type, sp.country, att.source_text, att.stance, "
            "e.section, e.confidence, e.sentence_start, e.sentence_end, "
            f"SUBSTR(d.text, {window_start} + 1, "
            f"e.trigger_end - {window_start} + {SENTENCE_WINDOW}) "
            "FROM events e JOIN documents d ON d.id = e.document_id "
            "LEFT JOIN actors ac ON ac.id = e.actor_id "
            "LEFT JOIN actors tg ON tg.id = e.target_id "
            "LEFT JOIN attributions att ON att.id = e.attribution_id "
            "LEFT JOIN actors sp ON sp.id = att.speaker_actor_id"
        )
        if where:
            query += " WHERE " + " AND ".join(where)
        when = "COALESCE(e.time_start, d.published)"
        query += f" ORDER BY ({when} IS NULL), {when}, d.name, d.id, e.trigger_start, e.id"
        if limit is not None:
            if limit < 0:
                raise ValueError("limit must not be negative")
            query += " LIMIT ?"
            params.append(int(limit))
        with self._errors("cannot query events"):
            rows = self._execute(query, params).fetchall()
        return [_event_row(r) for r in rows]

    # -- lifetime ---------------------------------------------------------------

    def close(self) -> None:
        if not self._closed:
            self._closed = True
            with suppress(*self._db.errors):
                self._db.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"<Store {self.backend} {self.url}>"


_STATEMENT_COLUMNS = [f.name for f in fields(Statement)]
#: EventRow fields in the order Store.events selects them (the sentence is computed).
_EVENT_COLUMNS = [f.name for f in fields(EventRow) if f.name != "sentence"]


def _statement(row: Sequence[Any]) -> Statement:
    values = dict(zip(_STATEMENT_COLUMNS, row, strict=True))
    frags = values["content_fragments"]
    if frags is not None:
        values["content_fragments"] = tuple((int(s), int(e)) for s, e in json.loads(frags))
    return Statement(**values)


#: Characters of article text fetched on each side of an event's trigger to find its
#: sentence; also the longest sentence shown.
SENTENCE_WINDOW = 400
_SENTENCE_END = re.compile(r"[.!?]+[\"'”’)\]]*\s+(?=[\"'“‘(\[]*[A-Z])|\n")
#: Words whose full stop does not end a sentence ("Mr. Trump", "Feb. 24").
_ABBREVIATIONS = frozenset(
    "mr mrs ms dr prof gen col lt sgt capt rep sen gov st jr sr vs no inc corp co ltd "
    "jan feb mar apr jun jul aug sep sept oct nov dec".split()
)
_PERIOD = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")
_ISO_WEEK = re.compile(r"^(\d{4})-W(\d{2})")


def sentence_around(
    text: str,
    start: int,
    end: int,
    cap: int = SENTENCE_WINDOW,
    *,
    bounds: tuple[int, int] | None = None,
) -> str:
    """The sentence holding ``text[start:end]``, whitespace collapsed, at most ``cap``
    characters (cut around the span, marked with "…").

    ``bounds`` are the sentence's offsets when the events stage recorded them (the
    parser's sentence); otherwise a light rule finds it (end punctuation before a
    capital, or a line break): the store has only the text, and a reader needs
    context, not a parse.
    """
    begin, finish = 0, len(text)
    known = bounds is not None and bounds[0] <= start and end <= bounds[1]
    if bounds is not None and known:
        begin, finish = max(0, bounds[0]), min(len(text), bounds[1])
    for m in () if known else _SENTENCE_END.finditer(text):
        if m.group().startswith("."):
            word = re.search(r"(\w+)$", text[max(0, m.start() - 12) : m.start()])
            if word and (
                word.group(1).lower() in _ABBREVIATIONS
                or (len(word.group(1)) == 1 and word.group(1).isupper())
            ):
                continue
        stop = m.start() + len(m.group().rstrip())
        if m.end() <= start:
            begin = m.end()
        elif stop >= end:
            finish = stop
            break
    if finish - begin > cap:
        room = max(0, cap - (end - start))
        lo = max(begin, start - room // 2)
        hi = min(finish, lo + max(cap, end - start))
        lo = max(begin, min(lo, hi - cap))
        out = text[lo:hi]
        out = ("…" if lo > begin else "") + out + ("…" if hi < finish else "")
        return " ".join(out.split())
    return " ".join(text[begin:finish].split())


def _period(value: str) -> tuple[str, str] | None:
    """First and last day of an ISO date, month, year or week; None when unreadable."""
    value = value.strip()
    try:
        week = _ISO_WEEK.match(value)
        if week:
            monday = date.fromisocalendar(int(week.group(1)), int(week.group(2)), 1)
            return monday.isoformat(), (monday + timedelta(days=6)).isoformat()
        m = _PERIOD.match(value)
        if not m:
            return None
        year, month, day = m.groups()
        if day is not None:
            d = date(int(year), int(month), int(day))
            return d.isoformat(), d.isoformat()
        if month is not None:
            first = date(int(year), int(month), 1)
            last = date(int(year), int(month), calendar.monthrange(first.year, first.month)[1])
            return first.isoformat(), last.isoformat()
        return f"{year}-01-01", f"{year}-12-31"
    except ValueError:
        return None


def time_range(value: str | None) -> tuple[str | None, str | None]:
    """The first and last day a normalised time value covers ("2022-10" ->
    2022-10-01, 2022-10-31; "A/B" intervals from A's first to B's last day), so that
    date filters compare whole ISO dates. (None, None) when it cannot be read."""
    if not value:
        return None, None
    parts = value.split("/", 1)
    first, last = _period(parts[0]), _period(parts[-1])
    lo, hi = first or last, last or first
    if lo is None or hi is None:
        return None, None
    return lo[0], hi[1]


def date_bound(value: str, *, last: bool) -> str:
    """The first (or, with ``last``, the final) day of a YYYY, YYYY-MM or YYYY-MM-DD
    the user typed, so "--until 2022-10" includes the whole of October."""
    period = _period(value)
    if period is None or not re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", value.strip()):
        raise ValueError(f"not a date: {value!r} (use YYYY, YYYY-MM or YYYY-MM-DD)")
    return period[1] if last else period[0]


def _event_values(
    extraction: Extraction,
    n: int,
    ev: dict[str, Any],
    gid: Callable[[str | None], str | None],
) -> tuple[Any, ...]:
    """One events row from a contract event dict; tolerant of optional keys so an
    events stage that leaves some out still stores."""
    trigger = ev["trigger"]
    obj = ev.get("object") or {}
    when = ev.get("time") or {}
    start = int(trigger["start"])
    section = ev.get("section")
    if section is None:
        section = next(
            (s.kind for s in extraction.sections if s.start <= start < s.end),
            "body" if not extraction.sections else "boilerplate",
        )
    local = str(ev.get("id") or f"e{n}")
    quantity = ev.get("quantity")
    sentence = ev.get("sentence") or {}
    value = when.get("value")
    first, last = time_range(value)
    return (
        gid(local),
        extraction.document.id,
        local,
        str(ev["type"]),
        ev.get("mode"),
        ev.get("context"),
        None if ev.get("cameo") is None else str(ev["cameo"]),
        gid(ev.get("actor")),
        gid(ev.get("target")),
        start,
        int(trigger["end"]),
        str(trigger["text"]),
        obj.get("start"),
        obj.get("end"),
        obj.get("text"),
        None if quantity is None else str(quantity),
        when.get("text"),
        value,
        when.get("relation"),
        first,
        last,
        ev.get("polarity") or "affirmed",
        ev.get("modality") or "actual",
        gid(ev.get("attribution")),
        section,
        sentence.get("start"),
        sentence.get("end"),
        _confidence(ev.get("confidence")),
    )


def _confidence(value: Any) -> float | None:
    """An event's confidence as stored: rounded like the JSON shows it; ``None`` where
    no model scored it or the value is not a probability."""
    try:
        p = float(value)
    except (TypeError, ValueError):
        return None
    return round(p, 3) if 0.0 <= p <= 1.0 else None


def _event_row(row: Sequence[Any]) -> EventRow:
    *columns, sent_start, sent_end, window = row
    values = dict(zip(_EVENT_COLUMNS, columns, strict=True))
    start, end = int(values["trigger_start"]), int(values["trigger_end"])
    offset = max(0, start - SENTENCE_WINDOW)
    bounds = None
    if sent_start is not None and sent_end is not None:
        bounds = (int(sent_start) - offset, int(sent_end) - offset)
    values["sentence"] = sentence_around(window or "", start - offset, end - offset, bounds=bounds)
    return EventRow(**values)


#: The LIKE pattern of a "contains" search (claimgraph.filters has the one definition).
_contains = contains_pattern


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _timestamp(when: datetime) -> str:
    """UTC with fixed width, so that timestamps compare as strings."""
    return when.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
