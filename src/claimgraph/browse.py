"""Page-by-page reading of the ledger: what the web interface and the REST API ask.

A mixin of :class:`claimgraph.store.Store`. The store's own queries
(``statements``, ``events``, ``entities``) return whole result sets in the order a
command-line user wants; a web page wants one page of them plus the total, an
article with *every* span so it can be drawn, and the actor network. Those live
here so that the web layer stays a thin shell over store methods and the same
queries can be used from Python (``store.document_view(doc_id)``).

Pages reuse the store's own row types: a page of statements is a page of ids chosen
here, then ``Store.statements(ids=...)`` builds the rows, so a statement looks the
same wherever it is shown.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from typing import Any

from claimgraph.filters import Filters, event_where, statement_where
from claimgraph.filters import contains_pattern as _like
from claimgraph.model import Document, Section

#: Characters of an article's start fetched to find its headline when it has no title.
_HEAD_CHARS = 400

#: Entity types that are always actors in the network; "unknown" never is.
NETWORK_TYPES = frozenset(["state", "igo", "organisation", "person", "media"])
#: A "group" is any plural noun phrase ("officials", but also "drones", "photographs"):
#: only those whose head word names people or bodies of them are network nodes.
GROUP_HEADS = frozenset(
    """
    officials diplomats sources people analysts experts residents witnesses critics
    supporters protesters activists lawmakers officers soldiers voters members leaders
    authorities investigators prosecutors police observers aides advisers advisors
    insiders spokesmen spokespeople democrats republicans civilians troops forces
    ministers governments partners allies personnel operators makers companies firms
    manufacturers media rebels militants insurgents separatists fighters units
    envoys negotiators politicians countries states nations agencies
    ministries groups organisations organizations parties militias commanders
    generals journalists reporters citizens refugees workers students volunteers
    researchers scientists doctors families relatives victims survivors
    """.split()
)


def is_network_actor(type_: str, name: str, country: str | None = None) -> bool:
    """Whether an entity may be a node of the actor network: a state, organisation,
    person, IGO or outlet, or a group of people ("Iranian officials", "Ukrainians");
    never an unknown noun phrase or a group of things ("drones", "photographs")."""
    if type_ in NETWORK_TYPES:
        return True
    if type_ != "group":
        return False
    words = name.lower().split()
    if not words:
        return False
    # "Ukrainians", "Iranians": a people, named after its country
    demonym = len(words) == 1 and country is not None and words[0].endswith(("ans", "ese"))
    return demonym or words[-1] in GROUP_HEADS


def _headline(text: str, sections: list[tuple[str, int, int]]) -> str | None:
    """The headline section's text, else the first line: what to call an article that
    came without a title (plain-text files rarely have one)."""
    for kind, start, end in sections:
        if kind == "headline" and end <= len(text):
            line = " ".join(text[start:end].split())
            if line:
                return line
    first = next((ln.strip() for ln in text.splitlines() if ln.strip()), "")
    return " ".join(first.split())[:200] or None


@dataclass
class DocumentSummary:
    """An article in a list: metadata, a display title and how much was found in it."""

    id: str
    name: str
    title: str | None
    url: str | None
    outlet: str | None
    published: str | None
    ingested_at: str
    #: ``title``, else the headline the sections stage found, else the first line.
    headline: str | None
    statements: int
    events: int
    actors: int

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class DocumentView:
    """One article with every span, for a reader that draws them over the text.

    ``attributions`` and ``events`` are contract-shaped dicts (as in ``claimgraph
    extract --format jsonl``) with local ids, plus the names and entity ids of the
    actors they refer to, so a reader needs no second query.
    """

    summary: DocumentSummary
    text: str
    sections: list[Section]
    actors: list[dict[str, Any]] = field(default_factory=list)
    attributions: list[dict[str, Any]] = field(default_factory=list)
    events: list[dict[str, Any]] = field(default_factory=list)

    @property
    def document(self) -> Document:
        s = self.summary
        return Document(
            name=s.name,
            text=self.text,
            title=s.title,
            url=s.url,
            outlet=s.outlet,
            published=s.published,
            id=s.id,
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "document": self.summary.to_dict(),
            "text": self.text,
            "sections": [s.to_dict() for s in self.sections],
            "actors": self.actors,
            "attributions": self.attributions,
            "events": self.events,
        }


@dataclass
class NetworkNode:
    id: str
    name: str
    type: str
    country: str | None
    #: Edges touching the node, weighted: how central it is in this network.
    weight: int

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class NetworkEdge:
    source: str
    target: str
    #: "acts" (an event by source on target) or "speaks" (source's statement names target).
    kind: str
    count: int

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class Network:
    nodes: list[NetworkNode]
    edges: list[NetworkEdge]

    def to_dict(self) -> dict[str, Any]:
        return {
            "nodes": [n.to_dict() for n in self.nodes],
            "edges": [e.to_dict() for e in self.edges],
        }


@dataclass
class Overview:
    """Counts for a home page."""

    documents: int
    statements: int
    events: int
    actors: int
    first_published: str | None
    last_published: str | None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def _span(start: Any, end: Any, text: str) -> dict[str, Any] | None:
    if start is None or end is None:
        return None
    s, e = int(start), int(end)
    return {"start": s, "end": e, "text": text[s:e]}


class BrowseStore:
    """Mixin for :class:`claimgraph.store.Store`: paged lists, article views, network."""

    # -- overview -------------------------------------------------------------------

    def overview(self: Any) -> Overview:
        """How much the store holds, in one round trip."""
        with self._errors("cannot count the store"):
            row = self._execute(
                "SELECT (SELECT COUNT(*) FROM documents), (SELECT COUNT(*) FROM attributions), "
                "(SELECT COUNT(*) FROM events), (SELECT COUNT(*) FROM entities), "
                "(SELECT MIN(published) FROM documents), (SELECT MAX(published) FROM documents)"
            ).fetchone()
        return Overview(int(row[0]), int(row[1]), int(row[2]), int(row[3]), row[4], row[5])

    def fingerprint(self: Any) -> tuple[int, str | None]:
        """(document count, latest ingest time): changes whenever documents are stored or
        deleted, so a front end can cache what is costly to compute (the network)."""
        with self._errors("cannot read the store"):
            row = self._execute("SELECT COUNT(*), MAX(ingested_at) FROM documents").fetchone()
        return int(row[0]), row[1]

    # -- documents ------------------------------------------------------------------

    @staticmethod
    def _document_where(
        outlet: str | None, since: str | None, until: str | None, q: str | None
    ) -> tuple[str, list[Any]]:
        from claimgraph.store import date_bound

        where: list[str] = []
        params: list[Any] = []
        if outlet:
            where.append("LOWER(d.outlet) = ?")
            params.append(outlet.lower())
        if since:
            where.append("d.published >= ?")
            params.append(date_bound(since, last=False))
        if until:
            where.append("d.published <= ?")
            params.append(date_bound(until, last=True))
        if q:
            where.append(
                "(LOWER(COALESCE(d.title, '')) LIKE ? ESCAPE '\\' "
                "OR LOWER(d.name) LIKE ? ESCAPE '\\')"
            )
            params.extend([_like(q), _like(q)])
        return (" WHERE " + " AND ".join(where)) if where else "", params

    def document_summaries(
        self: Any,
        *,
        outlet: str | None = None,
        since: str | None = None,
        until: str | None = None,
        q: str | None = None,
        limit: int | None = 50,
        offset: int = 0,
    ) -> list[DocumentSummary]:
        """Articles newest first (undated last) with statement, event and actor counts.

        ``since``/``until`` are YYYY, YYYY-MM or YYYY-MM-DD (inclusive; ``ValueError``
        otherwise), ``outlet`` is exact (any case), ``q`` a substring of title or name.
        """
        where, params = BrowseStore._document_where(outlet, since, until, q)
        query = (
            "SELECT d.id, d.name, d.title, d.url, d.outlet, d.published, d.ingested_at, "
            f"SUBSTR(d.text, 1, {_HEAD_CHARS}), "
            "(SELECT COUNT(*) FROM attributions a WHERE a.document_id = d.id), "
            "(SELECT COUNT(*) FROM events e WHERE e.document_id = d.id), "
            "(SELECT COUNT(*) FROM actors ac WHERE ac.document_id = d.id) "
            f"FROM documents d{where} "
            "ORDER BY (d.published IS NULL), d.published DESC, d.name, d.id"
        )
        if limit is not None:
            query += " LIMIT ? OFFSET ?"
            params.extend([int(limit), int(offset)])
        with self._errors("cannot list documents"):
            rows = self._execute(query, params).fetchall()
            heads = BrowseStore._headline_sections(self, [str(r[0]) for r in rows])
        out = []
        for r in rows:
            title = r[2]
            headline = title or _headline(str(r[7]), heads.get(str(r[0]), []))
            out.append(
                DocumentSummary(
                    id=str(r[0]),
                    name=str(r[1]),
                    title=title,
                    url=r[3],
                    outlet=r[4],
                    published=r[5],
                    ingested_at=str(r[6]),
                    headline=headline,
                    statements=int(r[8]),
                    events=int(r[9]),
                    actors=int(r[10]),
                )
            )
        return out

    def count_document_summaries(
        self: Any,
        *,
        outlet: str | None = None,
        since: str | None = None,
        until: str | None = None,
        q: str | None = None,
    ) -> int:
        where, params = BrowseStore._document_where(outlet, since, until, q)
        with self._errors("cannot count documents"):
            row = self._execute(f"SELECT COUNT(*) FROM documents d{where}", params).fetchone()
        return int(row[0])

    def _headline_sections(self: Any, doc_ids: list[str]) -> dict[str, list[tuple[str, int, int]]]:
        if not doc_ids:
            return {}
        marks = ", ".join("?" for _ in doc_ids)
        out: dict[str, list[tuple[str, int, int]]] = {}
        for doc_id, kind, start, end in self._execute(
            "SELECT document_id, kind, start_char, end_char FROM sections "
            f"WHERE kind = 'headline' AND document_id IN ({marks}) ORDER BY document_id, seq",
            doc_ids,
        ).fetchall():
            out.setdefault(str(doc_id), []).append((str(kind), int(start), int(end)))
        return out

    def document_view(self: Any, doc_id: str) -> DocumentView | None:
        """One article with its sections, actors, attributions and events; None if the
        id is not stored."""
        with self._errors("cannot read document"):
            row = self._execute(
                "SELECT d.id, d.name, d.title, d.url, d.outlet, d.published, d.ingested_at, "
                "d.text FROM documents d WHERE d.id = ?",
                (doc_id,),
            ).fetchone()
            if row is None:
                return None
            text = str(row[7])
            sections = [
                Section(str(k), int(s), int(e))
                for k, s, e in self._execute(
                    "SELECT kind, start_char, end_char FROM sections WHERE document_id = ? "
                    "ORDER BY seq",
                    (doc_id,),
                ).fetchall()
            ]
            actors = BrowseStore._view_actors(self, doc_id)
            attributions = BrowseStore._view_attributions(self, doc_id, text, actors)
            events = BrowseStore._view_events(self, doc_id, text, actors)
        summary = DocumentSummary(
            id=str(row[0]),
            name=str(row[1]),
            title=row[2],
            url=row[3],
            outlet=row[4],
            published=row[5],
            ingested_at=str(row[6]),
            headline=row[2] or _headline(text, [(s.kind, s.start, s.end) for s in sections]),
            statements=len(attributions),
            events=len(events),
            actors=len(actors),
        )
        return DocumentView(summary, text, sections, list(actors.values()), attributions, events)

    def _view_actors(self: Any, doc_id: str) -> dict[str, dict[str, Any]]:
        actors: dict[str, dict[str, Any]] = {}
        for aid, local, name, type_, country, role, entity in self._execute(
            "SELECT id, local_id, name, type, country, role, entity_id FROM actors "
            "WHERE document_id = ? ORDER BY id",
            (doc_id,),
        ).fetchall():
            actors[str(aid)] = {
                "id": str(local),
                "name": name,
                "type": type_,
                "country": country,
                "role": role,
                "entity": entity,
                "mentions": [],
            }
        for aid, start, end, text in self._execute(
            "SELECT actor_id, start_char, end_char, text FROM mentions WHERE document_id = ? "
            "ORDER BY start_char",
            (doc_id,),
        ).fetchall():
            if str(aid) in actors:
                actors[str(aid)]["mentions"].append(
                    {"start": int(start), "end": int(end), "text": text}
                )
        return actors

    @staticmethod
    def _who(actors: dict[str, dict[str, Any]], actor_id: Any) -> dict[str, Any] | None:
        if actor_id is None or str(actor_id) not in actors:
            return None
        a = actors[str(actor_id)]
        return {
            "id": a["id"],
            "name": a["name"],
            "type": a["type"],
            "country": a["country"],
            "role": a["role"],
            "entity": a["entity"],
        }

    def _view_attributions(
        self: Any, doc_id: str, text: str, actors: dict[str, dict[str, Any]]
    ) -> list[dict[str, Any]]:
        out = []
        for r in self._execute(
            "SELECT local_id, section, kind, stance, source_start, source_end, cue_start, "
            "cue_end, content_start, content_end, content_text, content_fragments, "
            "speaker_actor_id, channel_actor_id, mode, confidence FROM attributions "
            "WHERE document_id = ? "
            "ORDER BY cue_start, id",
            (doc_id,),
        ).fetchall():
            content = _span(r[8], r[9], text) or {}
            content["said"] = r[10]
            if r[11]:
                content["fragments"] = [[int(s), int(e)] for s, e in json.loads(r[11])]
            out.append(
                {
                    "id": str(r[0]),
                    "section": r[1],
                    "kind": r[2],
                    "stance": r[3],
                    "source": _span(r[4], r[5], text),
                    "cue": _span(r[6], r[7], text),
                    "content": content,
                    "speaker": BrowseStore._who(actors, r[12]),
                    "channel": BrowseStore._who(actors, r[13]),
                    "mode": r[14],
                    "confidence": None if r[15] is None else float(r[15]),
                }
            )
        return out

    def _view_events(
        self: Any, doc_id: str, text: str, actors: dict[str, dict[str, Any]]
    ) -> list[dict[str, Any]]:
        out = []
        for r in self._execute(
            "SELECT local_id, type, mode, context, cameo, actor_id, target_id, trigger_start, "
            "trigger_end, object_start, object_end, quantity, time_text, time_value, "
            "time_relation, polarity, modality, attribution_id, section FROM events "
            "WHERE document_id = ? ORDER BY trigger_start, id",
            (doc_id,),
        ).fetchall():
            attribution = r[17]
            out.append(
                {
                    "id": str(r[0]),
                    "type": r[1],
                    "mode": r[2],
                    "context": r[3],
                    "cameo": r[4],
                    "actor": BrowseStore._who(actors, r[5]),
                    "target": BrowseStore._who(actors, r[6]),
                    "trigger": _span(r[7], r[8], text),
                    "object": _span(r[9], r[10], text),
                    "quantity": r[11],
                    "time": None
                    if r[12] is None and r[13] is None
                    else {"text": r[12], "value": r[13], "relation": r[14]},
                    "polarity": r[15],
                    "modality": r[16],
                    # local id of the statement carrying it; None: the publisher's voice
                    "attribution": None if attribution is None else str(attribution).split(":")[-1],
                    "section": r[18],
                }
            )
        return out

    # -- statements -----------------------------------------------------------------

    @staticmethod
    def _statement_where(
        speaker: str | None,
        about: str | None,
        document: str | None,
        stance: str | None,
        speaker_entity: str | None,
    ) -> tuple[str, list[Any]]:
        where: list[str] = []
        params: list[Any] = []
        if speaker:
            # speakers first: a few actors match, then their statements by index
            where.append(
                "a.speaker_actor_id IN (SELECT id FROM actors WHERE LOWER(name) LIKE ? ESCAPE '\\')"
            )
            params.append(_like(speaker))
        if about:
            where.append("LOWER(a.content_text) LIKE ? ESCAPE '\\'")
            params.append(_like(about))
        if document:
            where.append("(d.id = ? OR d.name = ?)")
            params.extend([document, document])
        if stance:
            where.append("a.stance = ?")
            params.append(stance.lower())
        if speaker_entity:
            where.append("sp.entity_id = ?")
            params.append(speaker_entity)
        return (" WHERE " + " AND ".join(where)) if where else "", params

    def statement_page(
        self: Any,
        *,
        speaker: str | None = None,
        about: str | None = None,
        document: str | None = None,
        stance: str | None = None,
        speaker_entity: str | None = None,
        limit: int = 50,
        offset: int = 0,
        filters: Filters | None = None,
    ) -> tuple[list[Any], int]:
        """A page of ``Store.statements`` rows (same filters, plus ``stance`` and the
        speaker's entity id) in the same order, and the total matching."""
        where, params = BrowseStore._statement_where(
            speaker, about, document, stance, speaker_entity
        )
        more, more_params = statement_where(filters)
        if more:
            where = (where + " AND " if where else " WHERE ") + " AND ".join(more)
            params = [*params, *more_params]
        joins = (
            "FROM attributions a JOIN documents d ON d.id = a.document_id "
            "LEFT JOIN actors sp ON sp.id = a.speaker_actor_id"
        )
        with self._errors("cannot query statements"):
            total = int(self._execute(f"SELECT COUNT(*) {joins}{where}", params).fetchone()[0])
            ids = [
                str(r[0])
                for r in self._execute(
                    f"SELECT a.id {joins}{where} ORDER BY (d.published IS NULL), d.published, "
                    "d.name, d.id, a.content_start, a.id LIMIT ? OFFSET ?",
                    [*params, int(limit), int(offset)],
                ).fetchall()
            ]
        return (self.statements(ids=ids) if ids else []), total

    def speaker_entities(self: Any, statement_ids: list[str]) -> dict[str, str]:
        """The entity id of each listed statement's speaker, where the speaker is
        resolved to one: what a page needs to link a speaker to its actor page."""
        out: dict[str, str] = {}
        ids = list(dict.fromkeys(statement_ids))
        with self._errors("cannot query statements"):
            for i in range(0, len(ids), 500):
                chunk = ids[i : i + 500]
                marks = ", ".join("?" for _ in chunk)
                for sid, eid in self._execute(
                    "SELECT t.id, a.entity_id FROM attributions t "
                    "JOIN actors a ON a.id = t.speaker_actor_id "
                    f"WHERE t.id IN ({marks}) AND a.entity_id IS NOT NULL",
                    chunk,
                ).fetchall():
                    out[str(sid)] = str(eid)
        return out

    # -- events ---------------------------------------------------------------------

    @staticmethod
    def _event_where(filters: dict[str, Any]) -> tuple[str, list[Any]]:
        """The WHERE clause of ``Store.events`` for the same filters (its rules)."""
        from claimgraph.store import date_bound

        where: list[str] = []
        params: list[Any] = []
        for alias, key in (("ac", "actor_entity"), ("tg", "target_entity")):
            if filters.get(key):
                where.append(f"{alias}.entity_id = ?")
                params.append(filters[key])
        for alias, key in (("ac", "actor"), ("tg", "target")):
            value = filters.get(key)
            if value:
                where.append(f"(LOWER({alias}.name) LIKE ? ESCAPE '\\' OR {alias}.country = ?)")
                params.extend([_like(value), value.strip().upper()])
        if filters.get("type"):
            where.append("e.type = ?")
            params.append(str(filters["type"]).strip().upper())
        if filters.get("since"):
            where.append("COALESCE(e.time_end, d.published) >= ?")
            params.append(date_bound(filters["since"], last=False))
        if filters.get("until"):
            where.append("COALESCE(e.time_start, d.published) <= ?")
            params.append(date_bound(filters["until"], last=True))
        if filters.get("document"):
            where.append("(d.id = ? OR d.name = ?)")
            params.extend([filters["document"], filters["document"]])
        return (" WHERE " + " AND ".join(where)) if where else "", params

    def event_page(
        self: Any,
        *,
        limit: int = 50,
        offset: int = 0,
        **filters: Any,
    ) -> tuple[list[Any], int]:
        """A page of ``Store.events`` rows (same filters: actor, target, type, since,
        until, document, actor_entity, target_entity, and ``filters``, a
        ``claimgraph.filters.Filters``) in the same order, and the total.

        The page's ids are chosen first without building any row: ordering every
        event with its sentence window attached is what makes a plain
        ``events(limit=...)`` slow on a large store.
        """
        shared: Filters | None = filters.pop("filters", None)  # claimgraph.filters
        where, params = BrowseStore._event_where(filters)
        more, more_params = event_where(shared)
        if more:
            where = (where + " AND " if where else " WHERE ") + " AND ".join(more)
            params = [*params, *more_params]
        joins = (
            "FROM events e JOIN documents d ON d.id = e.document_id "
            "LEFT JOIN actors ac ON ac.id = e.actor_id LEFT JOIN actors tg ON tg.id = e.target_id"
        )
        when = "COALESCE(e.time_start, d.published)"
        with self._errors("cannot query events"):
            total = int(self._execute(f"SELECT COUNT(*) {joins}{where}", params).fetchone()[0])
            ids = [
                str(r[0])
                for r in self._execute(
                    f"SELECT e.id {joins}{where} ORDER BY ({when} IS NULL), {when}, d.name, "
                    "d.id, e.trigger_start, e.id LIMIT ? OFFSET ?",
                    [*params, int(limit), int(offset)],
                ).fetchall()
            ]
        return (self.events(ids=ids) if ids else []), total

    # -- actors ---------------------------------------------------------------------

    def entity_page(
        self: Any,
        *,
        name: str | None = None,
        type: str | None = None,
        country: str | None = None,
        limit: int = 50,
        offset: int = 0,
    ) -> tuple[list[Any], int]:
        """A page of ``Store.entities`` rows, most quoted first, and the total.

        Sorting needs only the statement count, so it is computed for every entity in
        one grouped pass; document and mention counts only for the page.
        """
        where: list[str] = []
        params: list[Any] = []
        if name:
            where.append("LOWER(e.name) LIKE ? ESCAPE '\\'")
            params.append(_like(name))
        if type:
            where.append("e.type = ?")
            params.append(type)
        if country:
            where.append("e.country = ?")
            params.append(country.upper())
        clause = (" WHERE " + " AND ".join(where)) if where else ""
        with self._errors("cannot list actors"):
            total = int(
                self._execute(f"SELECT COUNT(*) FROM entities e{clause}", params).fetchone()[0]
            )
            ids = [
                str(r[0])
                for r in self._execute(
                    # statements per speaking actor first (one index scan), then per
                    # entity: twice as fast as joining every statement to its actor
                    "SELECT e.id FROM entities e LEFT JOIN (SELECT a.entity_id AS eid, "
                    "SUM(x.n) AS n FROM (SELECT speaker_actor_id AS sid, COUNT(*) AS n "
                    "FROM attributions WHERE speaker_actor_id IS NOT NULL "
                    "GROUP BY speaker_actor_id) x JOIN actors a ON a.id = x.sid "
                    f"GROUP BY a.entity_id) s ON s.eid = e.id{clause} "
                    "ORDER BY COALESCE(s.n, 0) DESC, e.name, e.id LIMIT ? OFFSET ?",
                    [*params, int(limit), int(offset)],
                ).fetchall()
            ]
            rows = BrowseStore._entity_rows(self, ids)
        return [rows[i] for i in ids if i in rows], total

    def _entity_rows(self: Any, ids: list[str]) -> dict[str, Any]:
        """``EntityRow``s with their counts for a few entity ids, in one query."""
        from claimgraph.entities import EntityRow

        if not ids:
            return {}
        marks = ", ".join("?" for _ in ids)
        rows = self._execute(
            "SELECT e.id, e.name, e.type, e.country, e.sector, e.role, e.affiliation, "
            "(SELECT COUNT(DISTINCT a.document_id) FROM actors a WHERE a.entity_id = e.id), "
            "(SELECT COUNT(*) FROM actors a JOIN mentions m ON m.actor_id = a.id "
            " WHERE a.entity_id = e.id), "
            "(SELECT COUNT(*) FROM actors a JOIN attributions t ON t.speaker_actor_id = a.id "
            f" WHERE a.entity_id = e.id) FROM entities e WHERE e.id IN ({marks})",
            ids,
        ).fetchall()
        return {str(r[0]): EntityRow.from_row(r) for r in rows}

    # -- network --------------------------------------------------------------------

    def network(
        self: Any,
        *,
        actor: str | None = None,
        kinds: tuple[str, ...] = ("acts", "speaks"),
        max_nodes: int = 60,
    ) -> Network:
        """Who acts on or speaks about whom, between entities.

        "acts": an event whose actor and target are both known; "speaks": a statement
        whose content mentions another entity. ``actor`` (an entity id) keeps the
        edges touching it; ``max_nodes`` keeps the busiest nodes (by edge weight).
        """
        edges: dict[tuple[str, str, str], int] = {}
        with self._errors("cannot build the actor network"):
            if "acts" in kinds:
                query = (
                    "SELECT ac.entity_id, tg.entity_id, COUNT(*) FROM events e "
                    "JOIN actors ac ON ac.id = e.actor_id JOIN actors tg ON tg.id = e.target_id "
                    "WHERE ac.entity_id IS NOT NULL AND tg.entity_id IS NOT NULL "
                    "AND ac.entity_id <> tg.entity_id"
                )
                params: list[Any] = []
                if actor:
                    query += " AND (ac.entity_id = ? OR tg.entity_id = ?)"
                    params.extend([actor, actor])
                for s, t, n in self._execute(
                    query + " GROUP BY ac.entity_id, tg.entity_id", params
                ).fetchall():
                    edges[(str(s), str(t), "acts")] = int(n)
            if "speaks" in kinds:
                query = (
                    "SELECT sp.entity_id, a.entity_id, COUNT(DISTINCT t.id) FROM attributions t "
                    "JOIN actors sp ON sp.id = t.speaker_actor_id "
                    "JOIN mentions m ON m.document_id = t.document_id "
                    "AND m.start_char >= t.content_start AND m.end_char <= t.content_end "
                    "JOIN actors a ON a.id = m.actor_id "
                    "WHERE sp.entity_id IS NOT NULL AND a.entity_id IS NOT NULL "
                    "AND sp.entity_id <> a.entity_id"
                )
                params = []
                if actor:
                    query += " AND (sp.entity_id = ? OR a.entity_id = ?)"
                    params.extend([actor, actor])
                for s, t, n in self._execute(
                    query + " GROUP BY sp.entity_id, a.entity_id", params
                ).fetchall():
                    edges[(str(s), str(t), "speaks")] = int(n)
            # Only actors are nodes: an edge to "the decision" or "photographs" is dropped.
            info: dict[str, Any] = {}
            ids = sorted({k for s, t, _ in edges for k in (s, t)})
            for i in range(0, len(ids), 500):
                chunk = ids[i : i + 500]
                marks = ", ".join("?" for _ in chunk)
                for r in self._execute(
                    f"SELECT id, name, type, country FROM entities WHERE id IN ({marks})", chunk
                ).fetchall():
                    if is_network_actor(str(r[2]), str(r[1]), r[3]):
                        info[str(r[0])] = r
            edges = {k: n for k, n in edges.items() if k[0] in info and k[1] in info}
            weight: dict[str, int] = {}
            for (s, t, _), n in edges.items():
                weight[s] = weight.get(s, 0) + n
                weight[t] = weight.get(t, 0) + n
            keep = sorted(weight, key=lambda k: (-weight[k], k))[:max_nodes]
            if actor and actor in weight and actor not in keep:
                keep[-1] = actor
            kept = set(keep)
            nodes: list[NetworkNode] = []
            for k in keep:
                _, name, type_, country = info[k]
                nodes.append(NetworkNode(k, str(name), str(type_), country, weight[k]))
        known = {n.id for n in nodes}
        return Network(
            nodes,
            [
                NetworkEdge(s, t, kind, n)
                for (s, t, kind), n in sorted(edges.items(), key=lambda x: (-x[1], x[0]))
                if s in kept and t in kept and s in known and t in known
            ],
        )
