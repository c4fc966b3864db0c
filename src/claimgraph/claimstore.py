"""Claims in the store: saving them, building threads, and the questions analysts ask
("what is contested", "what has Kuleba claimed", "what happened to Ukraine, in order").

A mixin of :class:`claimgraph.store.Store`, like :class:`claimgraph.entities.EntityStore`.
Threads are derived data: they are rebuilt from the claims table whenever the stored
documents have changed since the last build (any query that needs them checks), so
ingesting from the CLI, the API or Python leaves the ledger consistent without a
separate step. Building takes seconds for a thousand articles.
"""

from __future__ import annotations

import bisect
import dataclasses
import json
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import asdict, dataclass, field, replace
from datetime import UTC, datetime
from typing import Any, Protocol

from claimgraph.errors import StoreError
from claimgraph.filters import Filters, claim_where, contested_where
from claimgraph.identity import TITLE_WORDS
from claimgraph.model import Extraction
from claimgraph.threads import (
    SHINGLE_N,
    SHINGLE_SAMPLE,
    ClaimRecord,
    build_threads,
    drop_repeats,
    find_contests,
    group_samples,
    shingles,
)

#: PostgreSQL advisory lock key that serialises thread builds ("claimgraph" in ASCII, folded).
_BUILD_LOCK = 0x636C61696D
#: At most this many sentences per contested item (the strongest sides come first).
MAX_STATEMENTS = 60
#: Actor types whose bodies and groups stand for their state in a proposition key.
_COLLAPSE_TO_STATE = frozenset({"group", "unknown"})
_STATE_SECTORS = frozenset({"GOV", "MIL"})


class _Executes(Protocol):
    def _execute(self, query: str, params: Sequence[Any] = ()) -> Any: ...

    def _executemany(self, query: str, rows: Sequence[Sequence[Any]]) -> None: ...

    def _errors(self, action: str) -> Any: ...

    def count_documents(self) -> int: ...


@dataclass
class Voice:
    """Who takes a side: an entity, or the publisher's own narration (id None)."""

    id: str | None
    name: str
    type: str
    country: str | None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class ClaimStatement:
    """A claim as read: who, which side, and the sentence with its offsets."""

    claim: str
    document: str
    document_name: str
    title: str | None
    outlet: str | None
    published: str | None
    voice: Voice
    stance: str
    side: str
    polarity: str
    modality: str
    time: str | None
    quantity: str | None
    start: int
    end: int
    text: str
    evidence: dict[str, int]
    thread: str | None = None
    proposition: str = ""
    #: the attribution's calibrated confidence, where the statement comes from one
    #: that was scored (None: a narrated event, or an unscored store)
    confidence: float | None = None
    #: on the contested board: how many near-duplicate copies of this article repeat the
    #: statement, and their document ids (the statement is quoted once, from the first)
    republications: int = 0
    republished_in: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        out = asdict(self)
        out["voice"] = self.voice.to_dict()
        # the statement's fixed fields only (the CSV listings' columns); a contested
        # item carries these per claim (``Contested.to_dict``)
        for key in _ITEM_EXTRAS:
            out.pop(key)
        return out


#: Statement fields a contested item reports per claim rather than in each statement.
_ITEM_EXTRAS = ("confidence", "republications", "republished_in")


@dataclass
class ThreadRow:
    id: str
    key: str
    proposition: str
    type: str
    first_seen: str | None
    last_seen: str | None
    claims: int
    documents: int
    sources: int
    contested: bool
    statements: list[ClaimStatement] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        out = asdict(self)
        out["statements"] = [s.to_dict() for s in self.statements]
        return out


@dataclass
class Contested:
    thread: str
    proposition: str
    kind: str
    score: float
    affirm: list[Voice]
    deny: list[Voice]
    sources: dict[str, int]
    first_seen: str | None
    last_seen: str | None
    statements: list[ClaimStatement]
    #: rebuttal | named | separate: how directly the two sides answer each other
    strength: str = "separate"

    def to_dict(self) -> dict[str, Any]:
        return {
            "thread": self.thread,
            "proposition": self.proposition,
            "kind": self.kind,
            "strength": self.strength,
            "score": self.score,
            "affirm": [v.to_dict() for v in self.affirm],
            "deny": [v.to_dict() for v in self.deny],
            "sources": dict(self.sources),
            "first_seen": self.first_seen,
            "last_seen": self.last_seen,
            "statements": [s.to_dict() for s in self.statements],
            # claim id -> the attribution's confidence, for the statements scored
            "confidence": {
                s.claim: s.confidence for s in self.statements if s.confidence is not None
            },
            # claim id -> the near-duplicate copies of its article that repeat it (the
            # statement is listed once, from the first copy)
            "republications": {
                s.claim: {"count": s.republications, "documents": list(s.republished_in)}
                for s in self.statements
                if s.republications
            },
        }


@dataclass
class TimelineItem:
    date: str | None
    date_source: str  # event | published
    kind: str  # event | claim
    thread: str | None
    text: str
    voice: Voice | None
    stance: str | None
    document: str
    document_name: str
    title: str | None
    start: int
    end: int

    def to_dict(self) -> dict[str, Any]:
        out = asdict(self)
        out["voice"] = self.voice.to_dict() if self.voice else None
        return out


def claim_values(
    extraction: Extraction, gid: Callable[[str | None], str | None]
) -> list[tuple[Any, ...]]:
    """Rows for the claims table from an extraction's claim dicts."""
    from claimgraph.store import time_range

    rows = []
    for c in extraction.claims:
        prop = c["proposition"]
        when = c.get("time") or {}
        first, last = time_range(when.get("value"))
        sentence = c.get("sentence") or c["evidence"]
        rows.append(
            (
                gid(c["id"]),
                extraction.document.id,
                c["id"],
                gid(c.get("voice")),
                gid(c.get("channel")),
                gid(c.get("responds_to")),
                c["stance"],
                {"affirm": 1, "deny": -1}.get(c["side"], 0),
                prop["kind"],
                prop["type"],
                prop.get("mode"),
                prop.get("predicate"),
                gid(prop.get("actor")),
                gid(prop.get("target")),
                prop.get("object"),
                prop["text"],
                c["polarity"],
                c["modality"],
                when.get("text"),
                when.get("value"),
                when.get("relation"),
                first,
                last,
                c.get("quantity"),
                c.get("quantity_class"),
                gid(c.get("attribution")),
                gid(c.get("event")),
                int(c["evidence"]["start"]),
                int(c["evidence"]["end"]),
                int(sentence["start"]),
                int(sentence["end"]),
            )
        )
    return rows


_CLAIM_INSERT = (
    "INSERT INTO claims (id, document_id, local_id, voice_actor_id, channel_actor_id, "
    "responds_to_actor_id, stance, "
    "side, kind, type, mode, predicate, actor_id, target_id, object_class, proposition_text, "
    "polarity, modality, time_text, time_value, time_relation, time_start, time_end, quantity, "
    "quantity_class, attribution_id, event_id, evidence_start, evidence_end, sentence_start, "
    "sentence_end) VALUES (" + ", ".join("?" * 31) + ")"
)

# claim rows as statements: the sentence travels, not the whole article
#: Statements in time order, then by article and place: how every list of them reads.
_STATEMENT_ORDER = "(d.published IS NULL), d.published, d.name, c.evidence_start, c.id"
#: The columns ``_thread_row`` reads, in its order.
_THREAD_COLUMNS = (
    "t.id, t.key, t.proposition, t.type, t.first_seen, t.last_seen, t.claim_count, "
    "t.document_count, t.source_count, t.contested"
)
_STATEMENT_SELECT = (
    "SELECT c.id, d.id, d.name, d.title, d.outlet, d.published, ve.id, "
    "COALESCE(ve.name, va.name), COALESCE(ve.type, va.type), COALESCE(ve.country, va.country), "
    "c.stance, c.side, c.polarity, c.modality, c.time_value, c.quantity, c.sentence_start, "
    "c.sentence_end, SUBSTR(d.text, c.sentence_start + 1, c.sentence_end - c.sentence_start), "
    "c.evidence_start, c.evidence_end, tc.thread_id, c.proposition_text, c.time_relation, "
    "at.confidence "
    "FROM claims c JOIN documents d ON d.id = c.document_id "
    "LEFT JOIN attributions at ON at.id = c.attribution_id "
    "LEFT JOIN actors va ON va.id = c.voice_actor_id "
    "LEFT JOIN entities ve ON ve.id = va.entity_id "
    "LEFT JOIN thread_claims tc ON tc.claim_id = c.id"
)


def _statement(row: Sequence[Any]) -> ClaimStatement:
    (cid, doc, name, title, outlet, published, vid, vname, vtype, vcountry, stance, side,
     polarity, modality, tvalue, quantity, s_start, s_end, text, e_start, e_end, thread,
     prop, relation, confidence) = row  # fmt: skip
    if vname is None:
        voice = Voice(None, outlet or "publisher", "publisher", None)
    else:
        voice = Voice(vid, vname, vtype or "unknown", vcountry)
    time = f"{relation} {tvalue}" if relation and tvalue and relation != "on" else tvalue
    raw = str(text or "")
    body = raw.strip()
    lead = len(raw) - len(raw.lstrip())
    trail = len(raw) - len(raw.rstrip()) if body else 0
    return ClaimStatement(
        claim=cid,
        document=doc,
        document_name=name,
        title=title,
        outlet=outlet,
        published=published,
        voice=voice,
        stance=stance,
        side={1: "affirm", -1: "deny"}.get(int(side), "neutral"),
        polarity=polarity,
        modality=modality,
        time=time,
        quantity=quantity,
        start=int(s_start) + lead,
        end=int(s_end) - trail,
        text=body,
        evidence={"start": int(e_start), "end": int(e_end)},
        thread=thread,
        proposition=prop,
        confidence=None if confidence is None else float(confidence),
    )


class ClaimStore:
    """Mixin for :class:`claimgraph.store.Store`: claims, threads, contested claims."""

    # -- writing (inside the save transaction) -----------------------------------

    def _insert_claims(
        self: _Executes, extraction: Extraction, gid: Callable[[str | None], str | None]
    ) -> None:
        self._executemany(_CLAIM_INSERT, claim_values(extraction, gid))
        doc = extraction.document
        self._execute(
            "INSERT INTO document_shingles (document_id, sample) VALUES (?, ?)",
            (doc.id, _encode_sample(shingles(doc.text))),
        )
        self._execute("UPDATE ledger_state SET generation = generation + 1 WHERE id = 1")

    def _delete_claims(self: _Executes, doc_id: str) -> None:
        self._execute(
            "DELETE FROM thread_claims WHERE claim_id IN "
            "(SELECT id FROM claims WHERE document_id = ?)",
            (doc_id,),
        )
        self._execute("DELETE FROM claims WHERE document_id = ?", (doc_id,))
        self._execute("DELETE FROM document_groups WHERE document_id = ?", (doc_id,))
        self._execute("DELETE FROM document_shingles WHERE document_id = ?", (doc_id,))
        self._execute("UPDATE ledger_state SET generation = generation + 1 WHERE id = 1")

    # -- building threads ---------------------------------------------------------

    def threads_current(self: _Executes) -> bool:
        """Were the threads built from the store as it is now? (Every save and delete
        bumps a generation counter in its own transaction; a build records the one it
        read before it read the claims, so a change during a build is never missed.)"""
        row = self._execute(
            "SELECT b.generation, s.generation FROM ledger_state s "
            "LEFT JOIN thread_builds b ON b.id = 1 WHERE s.id = 1"
        ).fetchone()
        return row is not None and row[0] is not None and int(row[0]) == int(row[1])

    def ensure_threads(self) -> None:
        """Build threads if the store changed since the last build (a cheap check).

        On a store this process may not write (a read-only file or role), stale threads
        are better than none: the queries answer from the last build."""
        with self._errors("cannot check claim threads"):  # type: ignore[attr-defined]
            current = ClaimStore.threads_current(self)  # type: ignore[arg-type]
        if current:
            return
        try:
            self.build_threads()
        except StoreError:
            with self._errors("cannot check claim threads"):  # type: ignore[attr-defined]
                built = self._execute(  # type: ignore[attr-defined]
                    "SELECT 1 FROM thread_builds"
                ).fetchone()
            if built is None:
                raise

    def build_threads(self, *, force: bool = False) -> dict[str, int]:
        """(Re)build claim threads, near-duplicate groups and contested claims from all
        stored claims; returns counts for a progress line.

        Builds are serialised (SQLite: the write transaction; PostgreSQL: an advisory
        lock), and one that finds the threads already current after waiting returns at
        once, so concurrent readers after an ingest trigger one build, not many.
        ``force`` rebuilds even so (benchmarks, or a store whose build rules changed)."""
        with self._errors("cannot build claim threads"), self._db.transaction():  # type: ignore[attr-defined]
            if self.backend == "postgresql":  # type: ignore[attr-defined]
                self._execute("SELECT pg_advisory_xact_lock(?)", (_BUILD_LOCK,))  # type: ignore[attr-defined]
            return ClaimStore._build(self, force=force)  # type: ignore[arg-type]

    def _build(self: _Executes, *, force: bool = False) -> dict[str, int]:
        generation = int(
            self._execute("SELECT generation FROM ledger_state WHERE id = 1").fetchone()[0]
        )
        last = self._execute(
            "SELECT generation, documents, claims FROM thread_builds WHERE id = 1"
        ).fetchone()
        if last is not None and int(last[0]) == generation and not force:
            # another build finished while this one waited for the lock
            return {
                "documents": int(last[1]),
                "claims": int(last[2]),
                "threads": int(self._execute("SELECT COUNT(*) FROM threads").fetchone()[0]),
                "contested": int(self._execute("SELECT COUNT(*) FROM contests").fetchone()[0]),
                "groups": int(
                    self._execute(
                        "SELECT COUNT(DISTINCT group_id) FROM document_groups"
                    ).fetchone()[0]
                ),
            }
        docs = self._execute(
            "SELECT d.id, s.sample, CASE WHEN s.sample IS NULL OR s.sample NOT LIKE ? "
            "THEN d.text END FROM documents d "
            "LEFT JOIN document_shingles s ON s.document_id = d.id "
            "ORDER BY (d.published IS NULL), d.published, d.name, d.id",
            (f"{_SAMPLE_HEADER} %",),
        ).fetchall()
        samples: dict[str, set[int]] = {}
        for doc_id, sample, text in docs:
            if text is not None:
                # stored before samples were kept, or sampled another way: sample it now
                samples[str(doc_id)] = shingles(str(text))
                self._execute(
                    "INSERT INTO document_shingles (document_id, sample) VALUES (?, ?) "
                    "ON CONFLICT (document_id) DO UPDATE SET sample = excluded.sample",
                    (doc_id, _encode_sample(samples[str(doc_id)])),
                )
            else:
                samples[str(doc_id)] = _decode_sample(str(sample))
        group_of = group_samples(samples)
        rows = self._execute(
            "SELECT c.id, c.document_id, d.published, va.entity_id, c.side, c.type, c.mode, "
            "va.name, va.type, va.country, ra.entity_id, "
            "c.predicate, c.object_class, c.modality, c.time_relation, c.time_start, "
            "c.time_end, c.quantity_class, c.evidence_start, c.sentence_start, c.sentence_end, "
            "a.type, a.country, a.sector, a.entity_id, t.type, t.country, t.sector, t.entity_id "
            "FROM claims c JOIN documents d ON d.id = c.document_id "
            "LEFT JOIN actors va ON va.id = c.voice_actor_id "
            "LEFT JOIN actors ra ON ra.id = c.responds_to_actor_id "
            "LEFT JOIN actors a ON a.id = c.actor_id "
            "LEFT JOIN actors t ON t.id = c.target_id ORDER BY c.id"
        ).fetchall()
        named = _names_by_document(self)
        records = [
            ClaimRecord(
                id=r[0],
                document=r[1],
                published=r[2],
                voice=r[3],
                voice_named=named_voice(r[7], r[8], r[9]),
                voice_country=r[9],
                responds_to=r[10],
                side=int(r[4]),
                type=r[5],
                mode=r[6],
                predicate=r[11],
                object=r[12],
                modality=r[13],
                time_relation=r[14],
                time_start=r[15],
                time_end=r[16],
                quantity_class=r[17],
                position=int(r[18]),
                addressed=_named_between(named.get(r[1], []), int(r[19]), int(r[20])),
                sentence=int(r[19]),
                actor=participant(r[21], r[22], r[23], r[24]),
                target=participant(r[25], r[26], r[27], r[28]),
            )
            for r in rows
        ]
        threads = build_threads(records)
        names = {
            str(r[0]): str(r[1]) for r in self._execute("SELECT id, name FROM entities").fetchall()
        }
        for table in ("threads", "thread_claims", "contests", "document_groups"):
            self._execute(f"DELETE FROM {table}")
        self._executemany(
            "INSERT INTO document_groups (document_id, group_id) VALUES (?, ?)",
            sorted(group_of.items()),
        )
        thread_rows = []
        link_rows: list[tuple[str, str]] = []
        contest_rows: list[tuple[str, str, str, float, str]] = []
        found = [(th, c) for th in threads for c in find_contests(th, group_of)]
        by_id = {c.id: c for th in threads for c in th.claims}
        kept = {id(c) for _, c in drop_repeats(found, by_id)}
        texts = {
            str(r[0]): str(r[1])
            for r in self._execute(
                "SELECT id, proposition_text FROM claims WHERE type = 'STATEMENT'"
            ).fetchall()
        }
        for th in threads:
            contests = [c for t, c in found if t is th and id(c) in kept]
            dates = [c.published for c in th.claims if c.published]
            sample = th.claims[0]
            predicate = sample.predicate if th.head.startswith("STATEMENT") else None
            mode = th.head.split("@", 1)[0].split(":", 1)[1] or None if not predicate else None
            text = texts.get(sample.id) or proposition_text(
                sample.type,
                _name(th.actor, names),
                _name(th.target, names),
                th.object,
                predicate=predicate,
                mode=mode,
            )
            for contest in contests:
                sides = {
                    "affirm": contest.affirm,
                    "deny": contest.deny,
                    "claims": contest.claims,
                    "strength": contest.strength,
                    "claim_sides": contest.claim_sides,
                }
                contest_rows.append(
                    (
                        f"{th.id}:{contest.kind}",
                        th.id,
                        contest.kind,
                        contest.score,
                        json.dumps(sides),
                    )
                )
            thread_rows.append(
                (
                    th.id,
                    th.key,
                    sample.type,
                    text,
                    min(dates) if dates else None,
                    max(dates) if dates else None,
                    len(th.claims),
                    len({c.document for c in th.claims}),
                    len({group_of.get(c.document, c.document) for c in th.claims}),
                    1 if contests else 0,
                )
            )
            link_rows.extend((c.id, th.id) for c in th.claims)
        self._executemany(
            "INSERT INTO threads (id, key, type, proposition, first_seen, last_seen, "
            "claim_count, document_count, source_count, contested) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            thread_rows,
        )
        self._executemany(
            "INSERT INTO contests (id, thread_id, kind, score, sides) VALUES (?, ?, ?, ?, ?)",
            contest_rows,
        )
        self._executemany(
            "INSERT INTO thread_claims (claim_id, thread_id) VALUES (?, ?)", link_rows
        )
        self._execute("DELETE FROM thread_builds")
        self._execute(
            "INSERT INTO thread_builds (id, generation, documents, claims, built_at) "
            "VALUES (1, ?, ?, ?, ?)",
            (generation, len(docs), len(rows), datetime.now(UTC).isoformat(timespec="seconds")),
        )
        return {
            "documents": len(docs),
            "claims": len(rows),
            "threads": len(threads),
            "contested": len(contest_rows),
            "groups": len(set(group_of.values())),
        }

    # -- reading --------------------------------------------------------------------

    def _statements(self: _Executes, where: str, params: Sequence[Any]) -> list[ClaimStatement]:
        rows = self._execute(f"{_STATEMENT_SELECT} WHERE {where}", params).fetchall()
        return [_statement(r) for r in rows]

    def _voices(self: _Executes, keys: list[str]) -> list[Voice]:
        if not keys:
            return []
        rows = self._execute(
            f"SELECT id, name, type, country FROM entities WHERE id IN "
            f"({', '.join('?' for _ in keys)})",
            keys,
        ).fetchall()
        found = {str(r[0]): Voice(str(r[0]), str(r[1]), str(r[2]), r[3]) for r in rows}
        return [found.get(k) or Voice(k, k.split(":", 1)[-1], "unknown", None) for k in keys]

    def claim_index(self) -> list[dict[str, Any]]:
        """Every claim's position, proposition parts and thread, for evaluations and
        tools that align claims with text (one row per claim, no sentence text)."""
        self.ensure_threads()
        with self._errors("cannot list claims"):  # type: ignore[attr-defined]
            rows = self._execute(  # type: ignore[attr-defined]
                "SELECT c.id, c.document_id, c.evidence_start, c.evidence_end, c.type, "
                "c.object_class, c.side, c.stance, tc.thread_id FROM claims c "
                "LEFT JOIN thread_claims tc ON tc.claim_id = c.id "
                "ORDER BY c.document_id, c.evidence_start, c.id"
            ).fetchall()
        keys = ("id", "document", "evidence_start", "evidence_end", "type", "object", "side")
        return [
            {**dict(zip(keys, r[:7], strict=True)), "stance": r[7], "thread": r[8]} for r in rows
        ]

    def document_groups(self) -> dict[str, str]:
        """Document id -> its near-duplicate group (the group's earliest document)."""
        self.ensure_threads()
        with self._errors("cannot read document groups"):  # type: ignore[attr-defined]
            rows = self._execute(  # type: ignore[attr-defined]
                "SELECT document_id, group_id FROM document_groups"
            ).fetchall()
        return {str(r[0]): str(r[1]) for r in rows}

    def count_contested(self, *, about: str | None = None, filters: Filters | None = None) -> int:
        """How many items ``contested`` returns for the same filters."""
        self.ensure_threads()
        query = "SELECT COUNT(*) FROM contests k JOIN threads t ON t.id = k.thread_id"
        where, params = _contested_filters(about, filters)
        if where:
            query += " WHERE " + " AND ".join(where)
        with self._errors("cannot count contested claims"):  # type: ignore[attr-defined]
            row = self._execute(query, params).fetchone()  # type: ignore[attr-defined]
        return int(row[0])

    def contested(
        self,
        *,
        limit: int | None = None,
        offset: int = 0,
        about: str | None = None,
        filters: Filters | None = None,
    ) -> list[Contested]:
        """Contested propositions, most contested first (see ``threads.score``), each with
        the voices on either side and the sentences that put them there. ``about`` keeps
        items whose proposition, a voice's name or a statement's text contains it
        (case-insensitive), like ``filters.text``; ``filters``
        (``claimgraph.filters.Filters``) adds speaker, type, document and dates."""
        self.ensure_threads()
        query = (
            "SELECT t.id, t.proposition, k.kind, k.score, k.sides, t.first_seen, t.last_seen "
            "FROM contests k JOIN threads t ON t.id = k.thread_id"
        )
        where, params = _contested_filters(about, filters)
        if where:
            query += " WHERE " + " AND ".join(where)
        query += (
            " ORDER BY k.score DESC, t.source_count DESC, (t.first_seen IS NULL), "
            "t.first_seen, k.id"
        )
        query += _page(limit, offset, params)
        with self._errors("cannot query contested claims"):  # type: ignore[attr-defined]
            rows = self._execute(query, params).fetchall()  # type: ignore[attr-defined]
            parsed = [(row, json.loads(row[4])) for row in rows]
            # one query for every item's statements and one for its voices, not three per
            # item: a page of 20 items is two round trips whatever the page holds
            wanted = [list(sides["claims"])[:MAX_STATEMENTS] for _, sides in parsed]
            # the database orders the statements (its collation, as everywhere else);
            # each query holds whole items, so every item's statements come in that order
            ordered: list[ClaimStatement] = []
            for chunk in _item_chunks(wanted):
                ordered += ClaimStore._statements(
                    self,  # type: ignore[arg-type]
                    f"c.id IN ({', '.join('?' for _ in chunk)}) ORDER BY {_STATEMENT_ORDER}",
                    chunk,
                )
            rank = {st.claim: n for n, st in enumerate(ordered)}
            by_claim = {st.claim: st for st in ordered}
            keys = [k for _, sides in parsed for k in (*sides["affirm"], *sides["deny"])]
            voices = {
                v.id: v
                for chunk in _chunks(list(dict.fromkeys(keys)))
                for v in ClaimStore._voices(self, chunk)  # type: ignore[arg-type]
            }
            groups = {
                str(r[0]): str(r[1])
                for r in self._execute(  # type: ignore[attr-defined]
                    "SELECT document_id, group_id FROM document_groups"
                ).fetchall()
            }
            out = []
            for ((tid, prop, kind, score, _, first, last), sides), ids in zip(
                parsed, wanted, strict=True
            ):
                statements = sorted(
                    (by_claim[c] for c in set(ids) if c in by_claim), key=lambda st: rank[st.claim]
                )
                # one line per voice and sentence, however many propositions it holds
                seen: set[tuple[str, str, int]] = set()
                unique = []
                for st in statements:
                    if (st.voice.name, st.document, st.start) not in seen:
                        seen.add((st.voice.name, st.document, st.start))
                        unique.append(st)
                affirm = [voices[k] for k in sides["affirm"]]
                deny = [voices[k] for k in sides["deny"]]
                unique = _placed(unique, kind, sides)
                unique = _fold_republications(unique, groups)
                out.append(
                    Contested(
                        thread=tid,
                        proposition=prop,
                        kind=kind,
                        score=float(score),
                        affirm=affirm,
                        deny=deny,
                        sources={"affirm": len(affirm), "deny": len(deny)},
                        first_seen=first,
                        last_seen=last,
                        statements=unique,
                        strength=sides.get("strength", "separate"),
                    )
                )
        return out

    def threads(
        self,
        *,
        actor: str | None = None,
        contested: bool | None = None,
        limit: int | None = None,
        offset: int = 0,
    ) -> list[ThreadRow]:
        """Claim threads, most widely carried first; ``actor`` is an entity id that must
        be the proposition's actor or target, or a voice in the thread."""
        self.ensure_threads()
        query = f"SELECT {_THREAD_COLUMNS} FROM threads t"
        where, params = _thread_filters(actor, contested)
        if where:
            query += " WHERE " + " AND ".join(where)
        query += (
            " ORDER BY t.source_count DESC, t.claim_count DESC, (t.first_seen IS NULL), "
            "t.first_seen, t.id"
        )
        query += _page(limit, offset, params)
        with self._errors("cannot query claim threads"):  # type: ignore[attr-defined]
            rows = self._execute(query, params).fetchall()  # type: ignore[attr-defined]
        return [_thread_row(r) for r in rows]

    def thread(self, thread_id: str) -> ThreadRow | None:
        """One thread with every statement in it, in time order."""
        self.ensure_threads()
        with self._errors("cannot read claim thread"):  # type: ignore[attr-defined]
            row = self._execute(  # type: ignore[attr-defined]
                f"SELECT {_THREAD_COLUMNS} FROM threads t WHERE t.id = ?",
                (thread_id,),
            ).fetchone()
            if row is None:
                return None
            out = _thread_row(row)
            out.statements = ClaimStore._statements(
                self,  # type: ignore[arg-type]
                f"tc.thread_id = ? ORDER BY {_STATEMENT_ORDER}",
                (thread_id,),
            )
        return out

    def claims(
        self,
        *,
        by: str | None = None,
        about: str | None = None,
        thread: str | None = None,
        document: str | None = None,
        limit: int | None = None,
        offset: int = 0,
        filters: Filters | None = None,
    ) -> list[ClaimStatement]:
        """Claims with their thread: ``by`` the voice, ``about`` an actor or target of the
        proposition (entity id, or a case-insensitive substring of its name);
        ``filters`` (``claimgraph.filters.Filters``) adds stance, kind, dates and text."""
        self.ensure_threads()
        where, params = _claim_filters(by, about, thread, document)
        more, more_params = claim_where(filters)
        where, params = [*where, *more], [*params, *more_params]
        clause = " AND ".join(where) if where else "1 = 1"
        clause += f" ORDER BY {_STATEMENT_ORDER}"
        clause += _page(limit, offset, params)
        with self._errors("cannot query claims"):  # type: ignore[attr-defined]
            return ClaimStore._statements(self, clause, params)  # type: ignore[arg-type]

    def count_claims(
        self,
        *,
        by: str | None = None,
        about: str | None = None,
        thread: str | None = None,
        document: str | None = None,
        filters: Filters | None = None,
    ) -> int:
        """How many rows ``claims`` returns for the same filters (a page needs the total;
        building every row to count it takes seconds on a thousand articles)."""
        self.ensure_threads()
        where, params = _claim_filters(by, about, thread, document)
        more, more_params = claim_where(filters)
        where, params = [*where, *more], [*params, *more_params]
        query = (
            "SELECT COUNT(*) FROM claims c JOIN documents d ON d.id = c.document_id "
            "LEFT JOIN actors va ON va.id = c.voice_actor_id "
            "LEFT JOIN entities ve ON ve.id = va.entity_id "
            "LEFT JOIN thread_claims tc ON tc.claim_id = c.id"
        )
        if where:
            query += " WHERE " + " AND ".join(where)
        with self._errors("cannot count claims"):  # type: ignore[attr-defined]
            return int(self._execute(query, params).fetchone()[0])  # type: ignore[attr-defined]

    def count_threads(self, *, actor: str | None = None, contested: bool | None = None) -> int:
        """How many rows ``threads`` returns for the same filters."""
        self.ensure_threads()
        where, params = _thread_filters(actor, contested)
        query = "SELECT COUNT(*) FROM threads t"
        if where:
            query += " WHERE " + " AND ".join(where)
        with self._errors("cannot count claim threads"):  # type: ignore[attr-defined]
            return int(self._execute(query, params).fetchone()[0])  # type: ignore[attr-defined]

    def timeline(
        self, *, actor: str | None = None, thread: str | None = None, limit: int | None = None
    ) -> list[TimelineItem]:
        """Events and claims in time order: the event's own time where the text gives
        one, else the article's date. ``actor`` (entity id): its events (as actor or
        target) and its claims; ``thread``: the thread's claims."""
        if not actor and not thread:
            raise ValueError("timeline needs an actor or a thread")
        self.ensure_threads()
        items: list[TimelineItem] = []
        with self._errors("cannot build timeline"):  # type: ignore[attr-defined]
            if thread:
                for st in ClaimStore._statements(self, "tc.thread_id = ?", (thread,)):  # type: ignore[arg-type]
                    items.append(_claim_item(st))
            if actor:
                for st in ClaimStore._statements(self, "va.entity_id = ?", (actor,)):  # type: ignore[arg-type]
                    items.append(_claim_item(st))
                rows = self._execute(  # type: ignore[attr-defined]
                    "SELECT e.time_start, d.published, e.type, e.trigger_text, ac.name, tg.name, "
                    "e.polarity, d.id, d.name, d.title, e.trigger_start, e.trigger_end, "
                    "e.sentence_start, e.sentence_end "
                    "FROM events e JOIN documents d ON d.id = e.document_id "
                    "LEFT JOIN actors ac ON ac.id = e.actor_id "
                    "LEFT JOIN actors tg ON tg.id = e.target_id "
                    "WHERE ac.entity_id = ? OR tg.entity_id = ?",
                    (actor, actor),
                ).fetchall()
                for r in rows:
                    what = proposition_text(r[2], r[4], r[5], None)
                    if r[6] == "negated":
                        what = f"not: {what}"
                    items.append(
                        TimelineItem(
                            date=r[0] or r[1],
                            date_source="event" if r[0] else "published",
                            kind="event",
                            thread=None,
                            text=f"{what} ({r[3]})",
                            voice=None,
                            stance=None,
                            document=r[7],
                            document_name=r[8],
                            title=r[9],
                            start=int(r[12] if r[12] is not None else r[10]),
                            end=int(r[13] if r[13] is not None else r[11]),
                        )
                    )
        items.sort(key=lambda i: (i.date is None, i.date or "", i.document_name, i.start))
        return items[:limit] if limit is not None else items


def proposition_text(*args: Any, **kwargs: Any) -> str:
    """:func:`claimgraph.claims.proposition_text`, imported when first needed: that
    module imports spaCy, which a process that only reads or writes the store (an
    extraction worker, a web server) should not wait for."""
    from claimgraph.claims import proposition_text as text

    return text(*args, **kwargs)


def _names_by_document(store: _Executes) -> dict[str, list[tuple[int, str]]]:
    """Document id -> (offset, entity key) of every actor mention, sorted by offset."""
    out: dict[str, list[tuple[int, str]]] = {}
    rows = store._execute(
        "SELECT m.document_id, m.start_char, a.entity_id, m.text FROM mentions m "
        "JOIN actors a ON a.id = m.actor_id WHERE a.entity_id IS NOT NULL"
    ).fetchall()
    for doc, start, entity, text in rows:
        if str(text).lower() in _PRONOUNS:
            continue  # "they", "we": resolved, but not named
        out.setdefault(str(doc), []).append((int(start), str(entity)))
    for mentions in out.values():
        mentions.sort()
    return out


def _named_between(mentions: list[tuple[int, str]], start: int, end: int) -> frozenset[str]:
    lo = bisect.bisect_left(mentions, (start, ""))
    hi = bisect.bisect_left(mentions, (end, ""))
    return frozenset(entity for _, entity in mentions[lo:hi])


def named_voice(name: str | None, type_: str | None, country: str | None) -> bool:
    """Can a reader hold this voice to what it said? States, bodies, outlets and named
    people can; "critics", "others", "a Florida senator" cannot."""
    if name is None or type_ is None:
        return False
    if type_ in ("state", "igo", "media"):
        return True
    words = [w.strip(".,") for w in name.replace("’", "'").split() if w[:1].isalpha()]
    if not words:
        return False
    first, last = words[0], words[-1]
    if type_ == "person":
        # a name ends with a capitalised surname; a description with a role noun
        return last[:1].isupper() and last.lower() not in TITLE_WORDS
    if first.lower() in _NOT_A_NAME:
        return False
    return country is not None or first[:1].isupper()


_PRONOUNS = frozenset(
    "he him his she her hers it its they them their theirs we us our ours i me my you your".split()
)
#: Capitalised at the start of a sentence, but not the name of a group or body.
_NOT_A_NAME = frozenset(
    "others some many most several these those his her their its our my your critics "
    "sources officials analysts experts".split()
)


def _placed(
    statements: list[ClaimStatement], kind: str, sides: dict[str, Any]
) -> list[ClaimStatement]:
    """Each statement on the side of the contest it stands on. A time or quantity
    contest's claims all affirm the act; which account each gives (side A: earlier or
    fewer, side B: later or more) is the contest's, per claim, or, in stores built
    before that was kept, the side its voice is listed on."""
    if kind == "polarity":
        return statements
    per_claim: dict[str, str] = sides.get("claim_sides") or {}
    deny = set(sides.get("deny") or ())
    out = []
    for st in statements:
        side = per_claim.get(st.claim) or ("deny" if st.voice.id in deny else "affirm")
        out.append(replace(st, side=side))
    return out


_WORD = re.compile(r"\w+")

#: How alike (shared words over all words) two sentences of one voice in two copies of
#: an article must be to be one statement republished, lightly edited or not
REPUBLISHED_OVERLAP = 0.6


def _fold_republications(
    statements: list[ClaimStatement], groups: dict[str, str]
) -> list[ClaimStatement]:
    """A wire story carried by several outlets (one near-duplicate group, see
    ``threads.near_duplicate_groups``) says each thing once: a voice's statement on one
    side from a copy is kept from the first copy only, with the number of other copies
    that repeat it and their document ids."""
    kept: list[tuple[ClaimStatement, tuple[str, str, str], set[str]]] = []
    for st in statements:
        group = groups.get(st.document, st.document)
        words = {w.lower() for w in _WORD.findall(st.text)}
        for n, (first, key, first_words) in enumerate(kept):
            if (
                key == (st.voice.name, st.side, group)
                and st.document != first.document
                and st.document not in first.republished_in
                and _alike(words, first_words)
            ):
                kept[n] = (
                    replace(
                        first,
                        republications=first.republications + 1,
                        republished_in=[*first.republished_in, st.document],
                    ),
                    key,
                    first_words,
                )
                break
        else:
            kept.append((st, (st.voice.name, st.side, group), words))
    return [st for st, _, _ in kept]


def _alike(a: set[str], b: set[str]) -> bool:
    if not a or not b:
        return a == b
    return len(a & b) / len(a | b) >= REPUBLISHED_OVERLAP


def _chunks(items: list[str], size: int = 500) -> Iterator[list[str]]:
    """Slices short enough for an IN list on any backend."""
    for i in range(0, len(items), size):
        yield items[i : i + size]


def _item_chunks(items: list[list[str]], size: int = 500) -> Iterator[list[str]]:
    """The ids of several items in IN lists of about ``size``, never splitting an item."""
    chunk: list[str] = []
    for ids in items:
        if chunk and len(chunk) + len(ids) > size:
            yield list(dict.fromkeys(chunk))
            chunk = []
        chunk += ids
    if chunk:
        yield list(dict.fromkeys(chunk))


#: How a stored sample was taken (n-gram size, one in how many): a sample taken another
#: way is taken again at the next build.
_SAMPLE_HEADER = f"n{SHINGLE_N}/s{SHINGLE_SAMPLE}"


def _encode_sample(sample: set[int]) -> str:
    return " ".join([_SAMPLE_HEADER, *(str(h) for h in sorted(sample))])


def _decode_sample(text: str) -> set[int]:
    return {int(h) for h in text.split()[1:]}


def participant(
    type_: str | None, country: str | None, sector: str | None, entity: str | None
) -> str | None:
    """A proposition participant's key: a state's bodies, forces and unnamed groups of
    its people act for the state ("Moscow's forces", "the Ukrainian delegation")."""
    if type_ is None:
        return None
    if country and (
        type_ == "state"
        or type_ in _COLLAPSE_TO_STATE
        or (type_ == "organisation" and sector in _STATE_SECTORS)
    ):
        return f"state:{country}"
    if type_ in _COLLAPSE_TO_STATE and not country:
        return None
    return entity


def _name(key: str | None, names: dict[str, str]) -> str | None:
    if key is None:
        return None
    if key in names:
        return names[key]
    if key.startswith("state:"):
        from claimgraph.actors import country_name

        return country_name(key[len("state:") :])
    return key.split(":", 2)[1] if ":" in key else key


def _claim_filters(
    by: str | None, about: str | None, thread: str | None, document: str | None
) -> tuple[list[str], list[Any]]:
    """WHERE terms shared by ``claims`` and ``count_claims`` (aliases c, d, va, ve, tc)."""
    from claimgraph.store import _contains

    where: list[str] = []
    params: list[Any] = []
    if by:
        where.append("(va.entity_id = ? OR LOWER(COALESCE(ve.name, va.name)) LIKE ? ESCAPE '\\')")
        params.extend([by, _contains(by)])
    if about:
        where.append(
            "c.id IN (SELECT c2.id FROM claims c2 "
            "LEFT JOIN actors a ON a.id = c2.actor_id "
            "LEFT JOIN actors g ON g.id = c2.target_id "
            "LEFT JOIN entities ae ON ae.id = a.entity_id "
            "LEFT JOIN entities ge ON ge.id = g.entity_id "
            "WHERE a.entity_id = ? OR g.entity_id = ? OR LOWER(ae.name) LIKE ? ESCAPE '\\' "
            "OR LOWER(ge.name) LIKE ? ESCAPE '\\' OR LOWER(a.country) = ? "
            "OR LOWER(g.country) = ?)"
        )
        like = _contains(about)
        params.extend([about, about, like, like, about.lower(), about.lower()])
    if thread:
        where.append("tc.thread_id = ?")
        params.append(thread)
    if document:
        where.append("(d.id = ? OR d.name = ?)")
        params.extend([document, document])
    return where, params


def _contested_filters(about: str | None, filters: Filters | None) -> tuple[list[str], list[Any]]:
    """WHERE terms of ``contested`` and ``count_contested``: ``about`` is
    ``filters.text`` by its older name (a filter's value wins)."""
    if about and not (filters and filters.text):
        filters = dataclasses.replace(filters or Filters(), text=about)
    return contested_where(filters)


def _thread_filters(actor: str | None, contested: bool | None) -> tuple[list[str], list[Any]]:
    """WHERE terms shared by ``threads`` and ``count_threads`` (alias t)."""
    where: list[str] = []
    params: list[Any] = []
    if contested is not None:
        where.append("t.contested = ?")
        params.append(1 if contested else 0)
    if actor:
        where.append(
            "t.id IN (SELECT tc.thread_id FROM thread_claims tc "
            "JOIN claims c ON c.id = tc.claim_id "
            "LEFT JOIN actors v ON v.id = c.voice_actor_id "
            "LEFT JOIN actors a ON a.id = c.actor_id "
            "LEFT JOIN actors g ON g.id = c.target_id "
            "WHERE v.entity_id = ? OR a.entity_id = ? OR g.entity_id = ?)"
        )
        params.extend([actor, actor, actor])
    return where, params


def _page(limit: int | None, offset: int, params: list[Any]) -> str:
    if limit is not None and limit < 0:
        raise ValueError("limit must not be negative")
    if offset < 0:
        raise ValueError("offset must not be negative")
    sql = ""
    if limit is not None:
        sql += " LIMIT ?"
        params.append(int(limit))
        if offset:
            sql += " OFFSET ?"
            params.append(int(offset))
    elif offset:
        # SQLite knows no OFFSET without LIMIT, PostgreSQL no LIMIT -1: a limit past any store
        sql += " LIMIT ? OFFSET ?"
        params.extend([2**62, int(offset)])
    return sql


def _thread_row(r: Sequence[Any]) -> ThreadRow:
    return ThreadRow(
        id=r[0],
        key=r[1],
        proposition=r[2],
        type=r[3],
        first_seen=r[4],
        last_seen=r[5],
        claims=int(r[6]),
        documents=int(r[7]),
        sources=int(r[8]),
        contested=bool(r[9]),
    )


def _claim_item(st: ClaimStatement) -> TimelineItem:
    """A claim on a timeline: at the time it says the thing happened, when that is a
    date ("on 2022-10-17", "2022-10"), else at its article's date."""
    from claimgraph.store import time_range

    date, source = st.published, "published"
    if st.time and not st.time.startswith(("before", "after", "since")):
        first, _ = time_range(st.time)
        if first:
            date, source = first, "event"
    return TimelineItem(
        date=date,
        date_source=source,
        kind="claim",
        thread=st.thread,
        text=f"{st.voice.name} ({st.side}): {st.proposition}",
        voice=st.voice,
        stance=st.stance,
        document=st.document,
        document_name=st.document_name,
        title=st.title,
        start=st.start,
        end=st.end,
    )
