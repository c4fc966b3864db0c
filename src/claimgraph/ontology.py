"""The PLOVER 2.0 ontology and the event trigger lexicon, loaded from data files.

Both live as TSV under ``claimgraph/data`` so that analysts can read, argue with and
extend them without touching code: ``plover_types.tsv`` (types, modes, contexts, CAMEO
roots, the PLOVER 0.5b1 names older gold standards use) and ``event_triggers.tsv``
(which words report which event and where their arguments sit).
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from claimgraph.errors import ClaimgraphError

#: Types whose acts hurt their target; a commitment to one of them is a threat.
HOSTILE_TYPES = frozenset(
    {"ACCUSE", "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT"}
)


@dataclass(frozen=True)
class PloverType:
    name: str
    modes: tuple[str, ...]
    cameo_root: str
    cameo_roots: tuple[str, ...]
    mode_cameo: dict[str, str]
    description: str


@dataclass(frozen=True)
class Ontology:
    types: dict[str, PloverType]
    contexts: tuple[str, ...]
    #: PLOVER 0.5b1 name -> (2.0 type, mode or None)
    legacy: dict[str, tuple[str, str | None]]

    def canonical(self, name: str) -> tuple[str, str | None]:
        """A type name of either PLOVER version as (2.0 type, implied mode)."""
        upper = name.strip().upper()
        if upper in self.types:
            return upper, None
        if upper in self.legacy:
            return self.legacy[upper]
        raise KeyError(name)

    def cameo_root(self, type_: str, mode: str | None = None) -> str | None:
        """The CAMEO root code (two digits) a PLOVER event files under, for GDELT users."""
        t = self.types.get(type_)
        if t is None:
            return None
        if mode and mode in t.mode_cameo:
            return t.mode_cameo[mode]
        return t.cameo_root


@dataclass(frozen=True)
class Trigger:
    lemma: str
    pos: str  # VERB | NOUN
    type: str  # a PLOVER type or @light | @reverse | @commit | @respond
    mode: str | None
    target: tuple[str, ...]
    object: str | None
    reverse: str | None
    actor: str | None  # nouns: subj | speaker | light


def _rows(name: str) -> list[dict[str, str]]:
    text = resources.files("claimgraph.data").joinpath(name).read_text("utf-8")
    lines = [ln for ln in text.splitlines() if ln.strip() and not ln.startswith("#")]
    return [
        {k: (v or "").strip() for k, v in rec.items() if k is not None}
        for rec in csv.DictReader(lines, delimiter="\t")
    ]


@lru_cache(maxsize=1)
def load_ontology() -> Ontology:
    types: dict[str, PloverType] = {}
    contexts: list[str] = []
    legacy: dict[str, tuple[str, str | None]] = {}
    for rec in _rows("plover_types.tsv"):
        kind, name = rec.get("kind", ""), rec.get("name", "")
        if kind == "type":
            mode_cameo = {}
            for pair in filter(None, rec.get("mode_cameo", "").split(",")):
                mode, _, root = pair.partition(":")
                mode_cameo[mode.strip()] = root.strip()
            types[name] = PloverType(
                name,
                tuple(m for m in rec.get("modes", "").split(",") if m),
                rec["cameo_root"],
                tuple(r for r in rec.get("cameo_roots", "").split(",") if r),
                mode_cameo,
                rec.get("description", ""),
            )
        elif kind == "context":
            contexts.append(name)
        elif kind == "legacy":
            new, _, mode = rec.get("modes", "").partition(":")
            legacy[name] = (new, mode or None)
        else:
            raise ClaimgraphError(f"plover_types.tsv: unknown row kind {kind!r}")
    if len(types) != 16:
        raise ClaimgraphError(f"plover_types.tsv: expected 16 PLOVER types, found {len(types)}")
    return Ontology(types, tuple(contexts), legacy)


@lru_cache(maxsize=1)
def load_triggers() -> dict[tuple[str, str], Trigger]:
    """(lemma, pos) -> Trigger. Types are checked against the ontology at load time."""
    onto = load_ontology()
    out: dict[tuple[str, str], Trigger] = {}
    for rec in _rows("event_triggers.tsv"):
        type_ = rec["type"]
        if not type_.startswith("@") and type_ not in onto.types:
            raise ClaimgraphError(f"event_triggers.tsv: unknown type {type_!r} for {rec['lemma']}")
        trig = Trigger(
            rec["lemma"].lower(),
            rec["pos"].upper(),
            type_,
            rec.get("mode") or None,
            tuple(s for s in rec.get("target", "").split("|") if s),
            rec.get("object") or None,
            rec.get("reverse") or None,
            rec.get("actor") or None,
        )
        out[(trig.lemma, trig.pos)] = trig
    return out


def cameo_root(type_: str, mode: str | None = None) -> str | None:
    return load_ontology().cameo_root(type_, mode)


#: Object classes that name a kind of kinds: "weapons" in an article about drone
#: deliveries is the drones (or the missiles), never the advisers. Such an object is a
#: gap that only a thread of one of its kinds may fill (claimgraph.threads), and the
#: kinds are what claimgraph.claims counts as weapons.
HYPERNYMS: dict[str, frozenset[str]] = {
    "weapon": frozenset({"drone", "missile", "ammunition", "aircraft", "vehicle"}),
}


@dataclass(frozen=True)
class EventRoles:
    """What may fill an event's roles and which sentences are not political news
    (``data/event_roles.tsv``)."""

    #: Head nouns (singular) of a group or unnamed actor that names people or a body.
    agents: frozenset[str]
    #: domain -> (words that mark it, sectors it discounts as political)
    domains: dict[str, tuple[frozenset[str], frozenset[str]]]
    #: Endings of agent nouns ("landowner", "loyalist"), and the things that end so.
    suffixes: tuple[str, ...] = ()
    things: frozenset[str] = frozenset()


@lru_cache(maxsize=1)
def load_event_roles() -> EventRoles:
    agents: set[str] = set()
    things: set[str] = set()
    suffixes: list[str] = []
    domains: dict[str, tuple[frozenset[str], frozenset[str]]] = {}
    for rec in _rows("event_roles.tsv"):
        kind, words = rec.get("kind", ""), frozenset(rec.get("words", "").lower().split())
        if kind == "agent":
            agents |= words
        elif kind == "thing":
            things |= words
        elif kind == "suffix":
            suffixes.extend(rec.get("words", "").lower().split())
        elif kind == "domain":
            domains[rec["name"]] = (words, frozenset(rec.get("sectors", "").split()))
        else:
            raise ClaimgraphError(f"event_roles.tsv: unknown row kind {kind!r}")
    return EventRoles(frozenset(agents), domains, tuple(suffixes), frozenset(things))
