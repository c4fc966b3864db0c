"""Actors across articles: filing each article's actors under a shared entity, and
the queries analysts ask of them ("what has Iran's government said", "who talks
about Kuleba").

Kept apart from :mod:`claimgraph.store` (which it extends as a mixin) because the
rules of identity live in :mod:`claimgraph.identity` and change on their own.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from typing import Any, Protocol

from claimgraph.identity import entity_key, pick_by_surname, surname_of
from claimgraph.model import Actor, Extraction

_PRONOUNS = frozenset("he she it they him her them his its their we us".split())


class _Executes(Protocol):
    def _execute(self, query: str, params: Sequence[Any] = ()) -> Any: ...


@dataclass
class EntityRow:
    """One actor across the whole store, with how much the store holds about it."""

    id: str
    name: str
    type: str
    country: str | None
    sector: str | None
    role: str | None
    affiliation: str | None
    documents: int
    mentions: int
    statements: int

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_row(cls, r: Sequence[Any]) -> EntityRow:
        """From (id, name, type, country, sector, role, affiliation, documents, mentions,
        statements), the column order every entity query here selects."""
        return cls(
            id=str(r[0]),
            name=str(r[1]),
            type=str(r[2]),
            country=r[3],
            sector=r[4],
            role=r[5],
            affiliation=r[6],
            documents=int(r[7]),
            mentions=int(r[8]),
            statements=int(r[9]),
        )


@dataclass
class EntityProfile:
    """Everything the store knows about one entity, for ``claimgraph actor NAME``."""

    entity: EntityRow
    aliases: list[str] = field(default_factory=list)
    said: list[Any] = field(default_factory=list)  # Statement rows by the entity
    said_about: list[Any] = field(default_factory=list)  # others' statements naming it
    acts: list[Any] = field(default_factory=list)  # EventRows where it is the actor
    targeted: list[Any] = field(default_factory=list)  # EventRows where it is the target
    #: How many there are of each list in all, the lists holding at most ``limit``:
    #: said, said_about, acts, targeted (``entity.statements`` equals ``said``'s).
    totals: dict[str, int] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "entity": self.entity.to_dict(),
            "aliases": self.aliases,
            "said": [s.to_dict() for s in self.said],
            "said_about": [s.to_dict() for s in self.said_about],
            "acts": [e.to_dict() for e in self.acts],
            "targeted": [e.to_dict() for e in self.targeted],
        }


class EntityStore:
    """Mixin for :class:`claimgraph.store.Store`: entity linking and entity queries."""

    # -- writing (inside the save transaction) -----------------------------------

    def _link_entities(self: _Executes, extraction: Extraction) -> dict[str, str]:
        """File each actor of the document under its entity; returns local id -> key."""
        out: dict[str, str] = {}
        for actor in extraction.actors:
            key = entity_key(actor)
            if actor.type == "person" and surname_of(key) is None:
                key = EntityStore._resolve_surname(self, key) or key
            EntityStore._upsert(self, key, actor)
            out[actor.id] = key
            surname = surname_of(key)
            if surname is not None:
                EntityStore._absorb_surname_only(self, key, surname)
        return out

    def _resolve_surname(self: _Executes, key: str) -> str | None:
        surname = key[len("person:") :]
        rows = self._execute(
            "SELECT id, actor_count FROM entities WHERE type = 'person' AND id LIKE ?",
            (f"person:% {surname}",),
        ).fetchall()
        return pick_by_surname(surname, {str(r[0]): int(r[1]) for r in rows})

    def _absorb_surname_only(self: _Executes, key: str, surname: str) -> None:
        """Actors filed under a bare surname before the full name was known move over,
        once this full-name person is the one the surname means."""
        bare = f"person:{surname}"
        row = self._execute("SELECT actor_count FROM entities WHERE id = ?", (bare,)).fetchone()
        if row is None:
            return
        chosen = EntityStore._resolve_surname(self, bare)
        if chosen != key:
            return
        moved = int(row[0])
        self._execute("UPDATE actors SET entity_id = ? WHERE entity_id = ?", (key, bare))
        self._execute(
            "UPDATE entities SET actor_count = actor_count + ? WHERE id = ?", (moved, key)
        )
        self._execute("DELETE FROM entities WHERE id = ?", (bare,))

    def _upsert(self: _Executes, key: str, actor: Actor) -> None:
        self._execute(
            "INSERT INTO entities (id, name, type, country, sector, role, affiliation, "
            "actor_count) VALUES (?, ?, ?, ?, ?, ?, ?, 0) ON CONFLICT (id) DO NOTHING",
            (
                key,
                actor.name,
                actor.type,
                actor.country,
                actor.sector,
                actor.role,
                actor.affiliation,
            ),
        )
        # fill what earlier articles did not say; a fuller name wins for display
        self._execute(
            "UPDATE entities SET actor_count = actor_count + 1, "
            "country = COALESCE(country, ?), sector = COALESCE(sector, ?), "
            "role = COALESCE(role, ?), affiliation = COALESCE(affiliation, ?), "
            "name = CASE WHEN LENGTH(?) > LENGTH(name) AND type = 'person' THEN ? ELSE name END "
            "WHERE id = ?",
            (
                actor.country,
                actor.sector,
                actor.role,
                actor.affiliation,
                actor.name,
                actor.name,
                key,
            ),
        )

    def _unlink_entities(self: _Executes, doc_id: str) -> None:
        """Before a document's actors are deleted: their entities count them no more."""
        self._execute(
            "UPDATE entities SET actor_count = actor_count - (SELECT COUNT(*) FROM actors a "
            "WHERE a.entity_id = entities.id AND a.document_id = ?) "
            "WHERE id IN (SELECT entity_id FROM actors WHERE document_id = ?)",
            (doc_id, doc_id),
        )

    def _backfill_entities(self: _Executes) -> None:
        """Actors stored before entities existed (schema < 3) get theirs now."""
        rows = self._execute(
            "SELECT id, name, type, country, role FROM actors WHERE entity_id IS NULL"
        ).fetchall()
        for actor_id, name, type_, country, role in rows:
            actor = Actor(id=str(actor_id), name=name, type=type_, country=country, role=role)
            key = entity_key(actor)
            EntityStore._upsert(self, key, actor)
            self._execute("UPDATE actors SET entity_id = ? WHERE id = ?", (key, actor_id))

    # -- reading ------------------------------------------------------------------

    def entities(
        self: _Executes,
        *,
        name: str | None = None,
        type: str | None = None,
        country: str | None = None,
        order: str = "statements",
        limit: int | None = None,
        entity_id: str | None = None,
    ) -> list[EntityRow]:
        """Actors across the store with document, mention and statement counts."""
        where: list[str] = []
        params: list[Any] = []
        if entity_id:
            where.append("e.id = ?")
            params.append(entity_id)
        if name:
            where.append("LOWER(e.name) LIKE ?")
            params.append(f"%{name.lower()}%")
        if type:
            where.append("e.type = ?")
            params.append(type)
        if country:
            where.append("e.country = ?")
            params.append(country.upper())
        query = (
            "SELECT e.id, e.name, e.type, e.country, e.sector, e.role, e.affiliation, "
            "(SELECT COUNT(DISTINCT a.document_id) FROM actors a WHERE a.entity_id = e.id), "
            "(SELECT COUNT(*) FROM mentions m JOIN actors a ON a.id = m.actor_id "
            " WHERE a.entity_id = e.id), "
            "(SELECT COUNT(*) FROM attributions t JOIN actors a ON a.id = t.speaker_actor_id "
            " WHERE a.entity_id = e.id) AS n_statements "
            "FROM entities e"
        )
        if where:
            query += " WHERE " + " AND ".join(where)
        sort = {
            "statements": "n_statements DESC, e.name",
            "name": "e.name",
        }.get(order, "n_statements DESC, e.name")
        query += f" ORDER BY {sort}"
        if limit is not None:
            query += " LIMIT ?"
            params.append(int(limit))
        rows = self._execute(query, params).fetchall()
        return [EntityRow.from_row(r) for r in rows]

    def find_entity(self: _Executes, name: str) -> EntityRow | None:
        """The entity a user means by ``name``: an id, an exact name, an alias, or the
        most quoted entity whose name contains it."""
        store: Any = self
        for query, arg in (
            ("SELECT id FROM entities WHERE id = ?", name),
            ("SELECT id FROM entities WHERE LOWER(name) = ?", name.lower()),
        ):
            row = self._execute(query, (arg,)).fetchone()
            if row is not None:
                found: list[EntityRow] = store.entities(entity_id=str(row[0]))
                return found[0] if found else None
        rows: list[EntityRow] = store.entities(name=name, limit=1)
        if rows:
            return rows[0]
        alias = self._execute(
            "SELECT a.entity_id FROM mentions m JOIN actors a ON a.id = m.actor_id "
            "WHERE LOWER(m.text) = ? AND a.entity_id IS NOT NULL "
            "GROUP BY a.entity_id ORDER BY COUNT(*) DESC LIMIT 1",
            (name.lower(),),
        ).fetchone()
        if alias is None:
            return None
        by_alias: list[EntityRow] = store.entities(entity_id=str(alias[0]))
        return by_alias[0] if by_alias else None

    def entity_profile(self: _Executes, name: str, *, limit: int = 50) -> EntityProfile | None:
        """What an actor said, what others said about it, and what it did or suffered."""
        store: Any = self
        entity: EntityRow | None = store.find_entity(name)
        if entity is None:
            return None
        aliases: list[str] = []
        for (text,) in self._execute(
            "SELECT m.text FROM mentions m JOIN actors a ON a.id = m.actor_id "
            "WHERE a.entity_id = ? GROUP BY m.text ORDER BY COUNT(*) DESC, m.text LIMIT 40",
            (entity.id,),
        ).fetchall():
            alias = re.sub(r"(?i)^(the|a|an)\s+", "", str(text)).strip()
            if alias.lower() in _PRONOUNS or alias == entity.name:
                continue
            if alias.lower() not in {a.lower() for a in aliases}:
                aliases.append(alias)
        said_ids = [
            str(r[0])
            for r in self._execute(
                "SELECT t.id FROM attributions t JOIN actors a ON a.id = t.speaker_actor_id "
                "WHERE a.entity_id = ?",
                (entity.id,),
            ).fetchall()
        ]
        about_ids = [
            str(r[0])
            for r in self._execute(
                "SELECT DISTINCT t.id FROM attributions t "
                "JOIN mentions m ON m.document_id = t.document_id "
                "JOIN actors a ON a.id = m.actor_id "
                "LEFT JOIN actors sp ON sp.id = t.speaker_actor_id "
                "WHERE a.entity_id = ? AND m.start_char >= t.content_start "
                "AND m.end_char <= t.content_end "
                "AND (sp.entity_id IS NULL OR sp.entity_id <> ?)",
                (entity.id, entity.id),
            ).fetchall()
        ]
        said = store.statements(ids=said_ids[:limit])
        about = store.statements(ids=about_ids[:limit])
        acts, n_acts = store.event_page(actor_entity=entity.id, limit=limit)
        targeted, n_targeted = store.event_page(target_entity=entity.id, limit=limit)
        totals = {
            "said": len(said_ids),
            "said_about": len(about_ids),
            "acts": n_acts,
            "targeted": n_targeted,
        }
        return EntityProfile(entity, aliases, said, about, acts, targeted, totals)


def co_speakers_json(extraction: Extraction, gid: Any) -> dict[str, str | None]:
    """attribution local id -> JSON list of global actor ids of its further speakers."""
    return {
        att.id: json.dumps([gid(x) for x in att.co_speakers]) if att.co_speakers else None
        for att in extraction.attributions
    }
