"""Speakers: resolve each attribution's source to an actor of the article.

"Iran", "Tehran" and "the Kremlin" are states; "Iranian Foreign Minister Hossein
Amirabdollahian" is a person with a role and a country, and later "Amirabdollahian",
"he" and "the Iranian foreign minister" are the same person; "two senior Iranian
officials" is an unnamed group. The small spaCy model's entity labels are only one
piece of evidence: a surname seen before as part of a person's name is that person,
whatever the tagger says, and a capital used as a subject stands for its government.

``claimgraph_actors`` (after ``claimgraph_attributions``) writes ``doc._.actors``
(a list of :class:`ActorRecord`) and sets ``speaker``/``channel`` actor indices on
each attribution.
"""

from __future__ import annotations

import bisect
import csv
import itertools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import NamedTuple

import pycountry
from spacy.language import Language
from spacy.tokens import Doc, Token

from claimgraph.attributions import AttributionSpan, attribution_spans, quote_spans
from claimgraph.errors import ClaimgraphError
from claimgraph.model import CLAIM_SECTIONS
from claimgraph.sections import split_sections

if not Doc.has_extension("actors"):
    Doc.set_extension("actors", default=None)
if not Doc.has_extension("actor_registry"):
    Doc.set_extension("actor_registry", default=None)

#: Words of a title that precede a name ("Foreign Minister", "Sen.", "spokesperson").
ROLE_WORDS = frozenset(
    """
    republican republicans democrat democrats democratic gop independent libertarian
    presumptive billionaire businessman businesswoman mogul tycoon
    president vice prime minister foreign defence defense interior finance deputy
    secretary general state chief spokesperson spokesman spokeswoman ambassador envoy
    senator sen. rep. representative gov. governor mayor leader chairman chairwoman
    chair director commander officer official king queen prince crown sheikh emir pope
    justice judge attorney lt. gen. col. maj. adm. sgt. capt. ceo founder executive head
    speaker candidate nominee lawmaker congressman congresswoman adviser advisor aide
    analyst economist professor dr. mr. mrs. ms. miss sir lord dame former acting top
    senior first lady ministry ministry's department
    """.split()
)
#: Capitalised at the start of a sentence, never part of a name ("Neither Donald Trump").
NOT_NAMES = frozenset("neither either both even only also but and or not nor".split())
HONORIFICS = frozenset(["mr.", "mrs.", "ms.", "miss", "dr.", "sir", "dame", "lord"])
PERSON_PRONOUNS = frozenset(["he", "him", "his", "she", "her"])
GROUP_PRONOUNS = frozenset(["they", "them", "their", "it", "its", "we", "us", "our"])
RELATIVE_PRONOUNS = frozenset(["who", "which", "that", "whom"])
#: Heads of noun phrases that name unnamed people or groups of them.
GROUP_NOUNS = frozenset(
    """
    officials official diplomats diplomat sources source people analysts experts
    residents witnesses critics supporters protesters activists lawmakers officers
    soldiers voters members leaders authorities investigators prosecutors police
    observers aides advisers advisors insiders spokesmen spokespeople democrats
    republicans
    """.split()
)
#: Common nouns for one person ("the harbour master said ... he said").
PERSON_NOUNS = frozenset(
    """
    master manager worker resident teacher doctor nurse owner farmer lawyer witness
    survivor victim student engineer soldier officer pilot driver activist researcher
    scientist reporter journalist editor author writer historian expert analyst mother
    father woman man wife husband son daughter boy girl neighbour neighbor colleague
    friend volunteer employee owner guard commander professor priest imam rabbi
    """.split()
)
#: Words that end the name of a body inside a title ("Foreign Ministry spokesperson").
BODY_WORDS = frozenset(
    "ministry department agency office council commission committee party army".split()
)
#: Words that place an actor in a sector, most specific first.
SECTOR_WORDS: tuple[tuple[str, frozenset[str]], ...] = (
    ("MIL", frozenset("army military forces force troops soldiers commander general navy".split())),
    ("COP", frozenset("police officers officer".split())),
    ("SPY", frozenset("intelligence".split())),
    ("JUD", frozenset("court judge judges justice prosecutor prosecutors".split())),
    ("LEG", frozenset("parliament senator lawmaker lawmakers congressman congress senate".split())),
    ("PTY", frozenset("party".split())),
    ("REB", frozenset("rebels rebel militants insurgents separatists".split())),
    ("EDU", frozenset("university professor school".split())),
    ("BUS", frozenset("company corporation inc. firm bank ceo manufacturer".split())),
    ("NGO", frozenset("ngo charity foundation forum".split())),
    (
        "GOV",
        frozenset(
            """minister ministry president government spokesperson spokesman spokeswoman
            official officials ambassador envoy diplomat diplomats secretary governor mayor
            administration cabinet embassy department agency office""".split()
        ),
    ),
    ("CVL", frozenset("residents protesters activists voters people civilians".split())),
)
ORG_WORDS = frozenset(
    """
    party ministry department agency committee council commission company corporation
    inc. group union association campaign administration government army forces military
    navy university institute foundation bank court office board news times post journal
    network service organization organisation center centre fund force ministry
    parliament cabinet embassy police intelligence
    """.split()
)


@dataclass
class ActorRecord:
    """An actor of one document, with the character spans where it is mentioned."""

    name: str
    type: str  # person | state | organisation | igo | media | group | unknown
    country: str | None = None
    role: str | None = None
    mentions: list[tuple[int, int]] = field(default_factory=list)
    #: Lower-cased words a later short mention may use ("amirabdollahian").
    keys: set[str] = field(default_factory=set)
    #: PLOVER/CAMEO sector: GOV, MIL, MED, IGO, NGO, BUS, LEG, JUD, COP, SPY, PTY, EDU, REB, CVL.
    sector: str | None = None
    #: The body a role belongs to: "spokesperson" of the "Ukrainian Foreign Ministry".
    affiliation: str | None = None
    #: Other names the article uses for the actor ("Tehran", "Mr. Trump", "the minister").
    aliases: set[str] = field(default_factory=set)


@dataclass(frozen=True)
class OrgEntry:
    canonical: str
    type: str
    country: str | None
    sector: str | None = None
    role: str | None = None


@lru_cache(maxsize=1)
def place_table() -> dict[str, tuple[str, str]]:
    """Lower-cased place name -> (ISO3, kind) from pycountry plus the curated file."""
    table: dict[str, tuple[str, str]] = {}
    for c in pycountry.countries:
        for attr in ("name", "common_name", "official_name"):
            value = getattr(c, attr, None)
            if value:
                table[value.lower()] = (c.alpha_3, "country")
    text = resources.files("claimgraph.data").joinpath("places.tsv").read_text("utf-8")
    rows = [ln for ln in text.splitlines() if ln and not ln.startswith("#")]
    for rec in csv.DictReader(rows, delimiter="\t"):
        table[rec["name"].lower()] = (rec["iso3"], rec["kind"])
    return table


@lru_cache(maxsize=1)
def org_table() -> dict[str, OrgEntry]:
    text = resources.files("claimgraph.data").joinpath("organisations.tsv").read_text("utf-8")
    return _entries(text.splitlines(), "\t")


def _entries(lines: list[str], delimiter: str) -> dict[str, OrgEntry]:
    rows = [ln for ln in lines if ln.strip() and not ln.startswith("#")]
    out: dict[str, OrgEntry] = {}
    for rec in csv.DictReader(rows, delimiter=delimiter):
        name = (rec.get("name") or "").strip()
        if not name:
            continue
        out[name.lower()] = OrgEntry(
            (rec.get("canonical") or name).strip(),
            (rec.get("type") or "organisation").strip().lower(),
            (rec.get("country") or "").strip().upper() or None,
            (rec.get("sector") or "").strip().upper() or None,
            (rec.get("role") or "").strip() or None,
        )
    return out


#: Titles after which a bare surname may be looked up ("President Mugabe").
LEADER_TITLES = frozenset("president premier chancellor minister king emir leader".split())


@lru_cache(maxsize=1)
def people_table() -> tuple[dict[str, tuple[str, str]], dict[str, tuple[str, str] | None]]:
    """Well-known office holders: "first last" -> (ISO3, role), and surname -> the same
    when only one listed person has that surname (None when several do)."""
    from claimgraph.identity import person_name_parts

    text = resources.files("claimgraph.data").joinpath("people.tsv").read_text("utf-8")
    rows = [ln for ln in text.splitlines() if ln and not ln.startswith("#")]
    full: dict[str, tuple[str, str]] = {}
    by_surname: dict[str, tuple[str, str] | None] = {}
    for rec in csv.DictReader(rows, delimiter="\t"):
        parts = person_name_parts(rec["name"])
        if not parts:
            continue
        value = (rec["country"], rec["role"])
        full[f"{parts[0]} {parts[-1]}"] = value
        surname = parts[-1]
        by_surname[surname] = value if surname not in by_surname else None
    return full, by_surname


def lookup_person(name: str, role: str | None) -> tuple[str, str] | None:
    """(ISO3, office) of a well-known office holder: by full name, or by surname when
    the article gives a leader's title ("President Mugabe")."""
    from claimgraph.identity import person_name_parts

    parts = person_name_parts(name)
    if not parts:
        return None
    full, by_surname = people_table()
    if len(parts) >= 2:
        return full.get(f"{parts[0]} {parts[-1]}")
    if role and set(role.lower().split()) & LEADER_TITLES:
        return by_surname.get(parts[0])
    return None


@lru_cache(maxsize=8)
def load_user_actors(path: str) -> dict[str, OrgEntry]:
    """A user's own actors (``--actors my_actors.csv``): columns name, canonical, type,
    country, sector, role; ``name`` is how articles write it, ``canonical`` the one name
    all of them are filed under. Persons, organisations, media and IGOs alike."""
    try:
        text = Path(path).read_text("utf-8")
    except OSError as exc:
        raise ClaimgraphError(f"cannot read actors file {path}: {exc.strerror}") from exc
    except UnicodeDecodeError as exc:
        raise ClaimgraphError(
            f"actors file {path} is not valid UTF-8 (byte 0x{exc.object[exc.start]:02x} at "
            f"byte offset {exc.start}); convert it with: iconv -f WINDOWS-1252 -t UTF-8"
        ) from None
    lines = text.splitlines()
    delimiter = "\t" if lines and "\t" in lines[0] else ","
    entries = _entries(lines, delimiter)
    if not entries:
        raise ClaimgraphError(f"actors file {path} has no rows with a 'name' column")
    return entries


@lru_cache(maxsize=512)
def country_name(iso3: str) -> str:
    """The short name news uses for a state ("Iran", not "Iran, Islamic Republic of")."""
    c = pycountry.countries.get(alpha_3=iso3)
    if c is None:
        return iso3
    common = getattr(c, "common_name", None)
    if common:
        return str(common)
    short = {"RUS": "Russia", "GBR": "Britain", "USA": "United States", "CZE": "Czech Republic"}
    return short.get(iso3, str(c.name).split(",")[0])


_DIRECTIONS = re.compile(
    r"(?i)^(?:north|south|east|west|northern|southern|eastern|western|central|"
    r"north-?eastern|north-?western|south-?eastern|south-?western)\s+"
)


def lookup_place(name: str) -> tuple[str, str] | None:
    """ISO3 and kind for a country, alias, demonym, capital or seat of government;
    "southern Lebanon" is Lebanon, but "South Korea" stays South Korea."""
    key = name.strip().lower()
    table = place_table()
    if key.startswith("the "):
        key = key[4:]
    if key in table:
        return table[key]
    stripped = _DIRECTIONS.sub("", key)
    if stripped != key and stripped in table and table[stripped][1] != "demonym":
        return table[stripped]
    return None


def lookup_org(name: str) -> OrgEntry | None:
    key = name.strip().lower()
    table = org_table()
    if key in table:
        return table[key]
    if key.startswith("the ") and key[4:] in table:
        return table[key[4:]]
    return None


@Language.factory(
    "claimgraph_actors", default_config={"actors_file": None}, assigns=["doc._.actors"]
)
def make_actors(nlp: Language, name: str, actors_file: str | None) -> ActorResolver:
    return ActorResolver(load_user_actors(actors_file) if actors_file else {})


class ActorResolver:
    """Resolve attribution sources and channels to per-document actors."""

    def __init__(self, user_actors: dict[str, OrgEntry] | None = None) -> None:
        self.user_actors = user_actors or {}

    def __call__(self, doc: Doc) -> Doc:
        state = _DocActors(doc, self.user_actors)
        state.seed_from_entities()
        for att in attribution_spans(doc):
            if att.source_head is not None:
                ids = state.resolve_all(doc[att.source_head], att.source)
                att.speaker = ids[0] if ids else None
                att.co_speakers = ids[1:]
            if att.channel_head is not None:
                att.channel_actor = state.resolve(doc[att.channel_head], att.channel, channel=True)
        doc._.actors = state.actors
        # later components (events) resolve their own arguments through the same registry
        doc._.actor_registry = state
        return doc


def resolve_mention(doc: Doc, head: Token) -> int | None:
    """Resolve the noun phrase headed by ``head`` to an index into ``doc._.actors``,
    registering a new actor if needed. For components that run after
    ``claimgraph_actors`` (event arguments: "the EU imposed sanctions on Iran")."""
    registry: _DocActors | None = doc._.actor_registry
    if registry is None:
        raise ValueError("resolve_mention needs the claimgraph_actors component to run first")
    return registry.resolve(head, _np_extent(head))


def _np_extent(head: Token, stop_at_conj: bool = False) -> tuple[int, int]:
    """The phrase of an argument head without its clauses and prepositional tails
    (and, for one conjunct of "Tehran and Moscow", without the other)."""
    skip: set[int] = set()
    if stop_at_conj:
        for c in head.children:
            if c.dep_ in ("conj", "cc"):
                skip.update(t.i for t in c.subtree)
    keep = [
        t
        for t in head.subtree
        if t.i not in skip
        and (t.i <= head.i or t.dep_ in ("compound", "flat", "nummod", "amod", "poss", "case"))
    ]
    ids = {t.i for t in keep}
    left = head.i
    while left - 1 in ids:
        left -= 1
    doc = head.doc
    return doc[left].idx, head.idx + len(head.text)


class _DocActors:
    def __init__(self, doc: Doc, user_actors: dict[str, OrgEntry] | None = None) -> None:
        self.doc = doc
        self.user = user_actors or {}
        self.actors: list[ActorRecord] = []
        self.by_key: dict[tuple[str, str], int] = {}
        #: (token index, actor index) of every resolved mention, in text order.
        self.timeline: list[tuple[int, int]] = []
        #: ``Doc.text`` joins every token on each access: read it once per document.
        self.text = doc.text
        self.quotes = quote_spans(self.text)
        #: Link lists and boilerplate: no actor is seeded there, no pronoun reaches there.
        self.outside = [
            (s.start, s.end) for s in split_sections(self.text) if s.kind not in CLAIM_SECTIONS
        ]
        self.outside_starts = [s for s, _ in self.outside]
        #: key (a surname) -> indices of the persons that have it, ascending: looking a
        #: surname up among all actors for every name was quadratic in long texts
        self.person_keys: dict[str, list[int]] = {}
        #: each actor's mentions as a set, beside the list that keeps their order
        self.mention_sets: dict[int, set[tuple[int, int]]] = {}

    def _lookup_org(self, name: str) -> OrgEntry | None:
        key = _strip_det(name).lower()
        return self.user.get(key) or self.user.get(name.lower()) or lookup_org(name)

    def _in_claims(self, pos: int) -> bool:
        # sections are sorted and do not overlap: only the last one starting at or
        # before ``pos`` can hold it
        k = bisect.bisect_right(self.outside_starts, pos) - 1
        return not (k >= 0 and self.outside[k][0] <= pos < self.outside[k][1])

    # -- registry ---------------------------------------------------------------
    def _add(self, rec: ActorRecord, key: tuple[str, str]) -> int:
        if key in self.by_key:
            idx = self.by_key[key]
            old = self.actors[idx]
            old.role = old.role or rec.role
            old.country = old.country or rec.country
            old.sector = old.sector or rec.sector
            old.affiliation = old.affiliation or rec.affiliation
            if old.type == "person":
                for k in rec.keys - old.keys:
                    bisect.insort(self.person_keys.setdefault(k, []), idx)
            old.keys |= rec.keys
            if len(rec.name) > len(old.name) and rec.type == "person":
                old.name = rec.name
            return idx
        self.actors.append(rec)
        idx = self.by_key[key] = len(self.actors) - 1
        if rec.type == "person":
            for k in rec.keys:
                self.person_keys.setdefault(k, []).append(idx)
        return idx

    def _mention(self, idx: int, start: int, end: int, tok_i: int) -> int:
        span = (start, end)
        actor = self.actors[idx]
        seen = self.mention_sets.get(idx)
        if seen is None or len(seen) != len(actor.mentions):
            seen = self.mention_sets[idx] = set(actor.mentions)
        if span not in seen:
            actor.mentions.append(span)
            seen.add(span)
        alias = _strip_det(self.text[start:end]).strip()
        if alias and alias.lower() not in PERSON_PRONOUNS | GROUP_PRONOUNS and len(alias) <= 80:
            actor.aliases.add(alias)
        if self._in_claims(start):
            self.timeline.append((tok_i, idx))
        return idx

    def person(
        self,
        name: str,
        role: str | None,
        country: str | None,
        affiliation: str | None = None,
    ) -> int:
        known = self.user.get(name.lower())
        if known is not None and known.type == "person":
            name = known.canonical
            role = role or known.role
            country = country or known.country
        elif country is None:
            office = lookup_person(name, role)
            if office is not None:
                country, role = office[0], role or office[1]
        words = name.split()
        surname = words[-1].lower() if words else name.lower()
        # a surname alone joins the person already seen with that surname
        for i in self.person_keys.get(surname, ()):
            a = self.actors[i]
            same = (
                len(words) == 1 or a.name.lower().endswith(name.lower()) or len(a.name.split()) == 1
            )
            if a.type == "person" and surname in a.keys and same:
                if len(words) > len(a.name.split()):
                    a.name = name
                a.role = a.role or role
                a.country = a.country or country
                a.affiliation = a.affiliation or affiliation
                a.sector = a.sector or _sector("person", a.role, a.affiliation)
                return i
        rec = ActorRecord(
            name,
            "person",
            country,
            role,
            keys={surname},
            sector=_sector("person", role, affiliation),
            affiliation=affiliation,
        )
        return self._add(rec, ("person", name.lower()))

    def state(self, iso3: str) -> int:
        rec = ActorRecord(country_name(iso3), "state", iso3, sector="GOV")
        return self._add(rec, ("state", iso3))

    def org(self, name: str, type_: str, country: str | None, sector: str | None = None) -> int:
        rec = ActorRecord(
            name, type_, country, keys={name.lower()}, sector=sector or _sector(type_, None, name)
        )
        return self._add(rec, (type_, name.lower()))

    def group(self, label: str, country: str | None, head: str) -> int:
        rec = ActorRecord(label, "group", country, sector=_sector("group", head, None))
        return self._add(rec, ("group", label.lower()))

    # -- seeding ---------------------------------------------------------------
    def seed_from_entities(self) -> None:
        """Register every named person, place and body the tagger or the tables recognise,
        and the states behind demonyms ("Iranian-made drones" names Iran)."""
        doc = self.doc
        seeded: set[int] = set()  # tokens of entities that became actors
        for ent in doc.ents:
            if _inside_any(ent.start_char, self.quotes) or not self._in_claims(ent.start_char):
                continue
            seeded.update(t.i for t in ent)
            if ent.label_ == "PERSON":
                # "Foreign Minister Jane Doe arrived ...": the title sits outside the entity
                root = ent.root
                lead = [t for t in doc[root.left_edge.i : ent.start] if t.dep_ != "det"]
                title = _split_title(lead + list(ent))
                if title.name:
                    idx = self.person(title.name, title.role, title.country, title.affiliation)
                    self._mention(idx, ent.start_char, ent.end_char, ent.root.i)
                continue
            if ent.label_ not in ("GPE", "NORP", "ORG", "FAC", "LOC"):
                continue
            org = self._lookup_org(ent.text)
            if org is not None:
                idx = self.org(org.canonical, org.type, org.country, org.sector)
                self._mention(idx, ent.start_char, ent.end_char, ent.root.i)
                continue
            place = lookup_place(ent.text)
            if place is not None and place[1] not in ("demonym", "region"):
                self._mention(self.state(place[0]), ent.start_char, ent.end_char, ent.root.i)
            else:
                seeded.difference_update(t.i for t in ent)
        # multi-word names the tagger missed or buried in a longer entity ("Sri Lanka",
        # "The Ivory Coast's Supreme Court", "Sierra Leonean refugees")
        caps = [t.text[:1].isupper() for t in doc]
        for n in (3, 2):
            for i in range(len(doc) - n + 1):
                if not all(caps[i : i + n]) or i in seeded:
                    continue
                toks = doc[i : i + n]
                place = lookup_place(toks.text)
                if place is not None and place[1] == "region":
                    seeded.update(t.i for t in toks)  # "New Jersey" is not the island
                    continue
                if place is None or not self._in_claims(toks.start_char):
                    continue
                if _inside_any(toks.start_char, self.quotes):
                    continue
                idx = self.state(place[0])
                self._mention(idx, toks.start_char, toks.end_char, toks.root.i)
                seeded.update(t.i for t in toks)
        for tok in doc:
            if not tok.text[:1].isupper() or _inside_any(tok.idx, self.quotes):
                continue
            place = lookup_place(tok.text)
            if place is None or place[1] == "region" or not self._in_claims(tok.idx):
                continue
            end = tok.idx + len(tok.text)
            if place[1] != "demonym":
                # a capital or country the tagger missed ("hit Kyiv")
                if tok.i not in seeded and tok.pos_ == "PROPN":
                    self._mention(self.state(place[0]), tok.idx, end, tok.i)
                continue
            if tok.pos_ in ("PROPN", "NOUN") and tok.tag_ in ("NNS", "NNPS"):
                # "Iranians who live in Ukraine": a group of people of that country
                idx = self.group(tok.text, place[0], tok.lower_)
            else:
                idx = self.state(place[0])
            self._mention(idx, tok.idx, end, tok.i)

    # -- resolution -------------------------------------------------------------
    def resolve_all(self, head: Token, span: tuple[int, int] | None) -> list[int]:
        """Coordinated sources ("Tehran and Moscow deny ...") are several speakers."""
        conjuncts = [c for c in head.children if c.dep_ == "conj" and c.pos_ in ("PROPN", "NOUN")]
        if span is None or not conjuncts or head.lower_ in PERSON_PRONOUNS | GROUP_PRONOUNS:
            idx = self.resolve(head, span)
            return [] if idx is None else [idx]
        out: list[int] = []
        for tok in [head, *conjuncts]:
            idx = self.resolve(tok, _np_extent(tok, stop_at_conj=True))
            if idx is not None and idx not in out:
                out.append(idx)
        return out

    def resolve(
        self, head: Token, span: tuple[int, int] | None, channel: bool = False
    ) -> int | None:
        doc = self.doc
        if span is None:
            return None
        # "Western governments, which say Iran ...": the relative clause is not the name
        clausal = {t.i for c in head.children if c.dep_ in ("relcl", "acl") for t in c.subtree}
        toks = [
            t for t in doc.char_span(*span, alignment_mode="expand") or [head] if t.i not in clausal
        ] or [head]
        start, end = span
        lower = head.lower_
        if lower in RELATIVE_PRONOUNS and head.head.dep_ == "relcl":
            target = head.head.head
            return self.resolve(target, (target.left_edge.idx, target.idx + len(target.text)))
        # "US" in capitals is the country, not the pronoun "us"
        pronoun = head.pos_ == "PRON" or lower in PERSON_PRONOUNS | GROUP_PRONOUNS
        if pronoun and not (head.text.isupper() and len(head.text) > 1):
            idx = self._antecedent(head)
            if idx is not None:
                self._mention(idx, start, end, head.i)
            return idx
        # a surname seen before in a person's full name is that person, whatever the tag
        if head.text[:1].isupper() and head.pos_ in ("PROPN", "NOUN", "ADJ"):
            known = self._person_by_surname(head)
            if known is not None and not _name_tokens(head)[:-1]:
                return self._mention(known, start, end, head.i)
        text = self.text[start:end]
        org = self._lookup_org(text) or _org_in(toks)
        if org is not None and org.type == "person":
            idx = self.person(org.canonical, org.role, org.country)
            return self._mention(idx, start, end, head.i)
        if org is not None:
            idx = self.org(org.canonical, org.type, org.country, org.sector)
            return self._mention(idx, start, end, head.i)
        place = lookup_place(_strip_det(text)) or lookup_place(head.text)
        if place is not None and place[1] != "demonym" and head.pos_ == "PROPN":
            return self._mention(self.state(place[0]), start, end, head.i)
        # proper name: a person unless it looks like an organisation
        name_toks = _name_tokens(head)
        if name_toks and head.tag_ == "NNPS" and len(name_toks) == 1:
            # "Several Democrats said", "Mainstream Republicans": a group, not a person
            country = _country_of(toks)
            return self._mention(self.group(head.text, country, head.lower_), start, end, head.i)
        if name_toks:
            if any(w in ORG_WORDS for w in (t.lower_ for t in name_toks)) or (
                head.ent_type_ in ("ORG",)
                and not self._known_surname(head)
                and len(name_toks) > 1
                and not _looks_personal(toks)
            ):
                country = _country_of(toks)
                name = _org_label(toks, country) or " ".join(t.text for t in name_toks)
                return self._mention(self.org(name, "organisation", country), start, end, head.i)
            # the name and the title before it; an appositive ("X, the finance minister,")
            # gives the role when there is no title
            title = _split_title([t for t in toks if t.i <= head.i])
            role, country, affiliation = title.role, title.country, title.affiliation
            appos = next((c for c in head.children if c.dep_ == "appos"), None)
            if appos is not None and role is None:
                atoks = list(appos.subtree)
                role = _role_words(atoks) or None
                country = country or _country_of(atoks)
            if title.name:
                idx = self.person(title.name, role, country, affiliation)
                return self._mention(idx, start, end, head.i)
        # a body named by a common noun: "Ukraine's foreign ministry", "the air force"
        if head.pos_ == "NOUN" and head.lower_ in ORG_WORDS:
            country = _country_of(toks)
            label = _org_label(toks, country)
            if label:
                idx = self.org(label, "organisation", country, _sector("organisation", None, label))
                return self._mention(idx, start, end, head.i)
        # a role noun phrase: "the Iranian foreign minister", "the spokesperson"
        if head.pos_ == "NOUN" and head.tag_ in ("NN",) and head.lower_ in ROLE_WORDS:
            role = " ".join(
                t.lower_ for t in toks if t.lower_ in ROLE_WORDS and t.lower_ not in HONORIFICS
            )
            country = _country_of(toks)
            # only a definite phrase points back ("the minister"); "a spokesperson" is new
            definite = toks[0].lower_ in ("the", "this", "that") or toks[0].dep_ == "poss"
            body = " ".join(
                t.lower_
                for t in toks
                if t.text[:1].isupper()
                and t.lower_ not in ROLE_WORDS
                and t.pos_ != "DET"
                and lookup_place(t.text) is None
            )
            idx = self._by_role(role, head.lower_, country, head.i) if definite else None
            if idx is not None and body and body not in (self.actors[idx].role or "").lower():
                idx = None
            if idx is not None:
                return self._mention(idx, start, end, head.i)
            rec = ActorRecord(
                _np_name(toks) or role,
                "person",
                country,
                role or None,
                sector=_sector("person", role, None),
            )
            return self._mention(self._add(rec, ("unnamed", rec.name.lower())), start, end, head.i)
        # one unnamed person: "a senior European diplomat", "the harbour master"
        if head.tag_ == "NN" and (head.lower_ in GROUP_NOUNS or head.lower_ in PERSON_NOUNS):
            rec = ActorRecord(_np_name(toks), "person", _country_of(toks), head.lower_)
            return self._mention(self._add(rec, ("unnamed", rec.name.lower())), start, end, head.i)
        # groups: "two senior Iranian officials", "sources", "Western countries"
        if head.tag_ in ("NNS", "NNPS") or head.lower_ in GROUP_NOUNS:
            country = _country_of(toks)
            noun = head.lemma_.lower() if head.tag_ in ("NNS",) else head.lower_
            plural = head.lower_ if head.tag_ in ("NNS", "NNPS") else noun + "s"
            label = f"{country_adjective(country)} {plural}" if country else plural
            if not country:
                label = _np_name(toks) or plural
            return self._mention(self.group(label, country, head.lower_), start, end, head.i)
        if head.pos_ == "PROPN" or head.ent_type_:
            place = lookup_place(head.text)
            if place is not None:
                return self._mention(self.state(place[0]), start, end, head.i)
        name = _np_name(toks)
        if not name:
            return None
        rec = ActorRecord(name, "unknown", _country_of(toks), None)
        return self._mention(self._add(rec, ("unknown", name.lower())), start, end, head.i)

    def _person_by_surname(self, tok: Token) -> int | None:
        for i in self.person_keys.get(tok.lower_, ()):
            a = self.actors[i]
            if a.type == "person" and tok.lower_ in a.keys and a.name.split()[-1] == tok.text:
                return i
        return None

    def _known_surname(self, tok: Token) -> bool:
        return bool(self.person_keys.get(tok.lower_))

    def _antecedent(self, pron: Token) -> int | None:
        """The nearest earlier actor of the right kind, preferring the latest speaker."""
        lower = pron.lower_
        want_person = lower in PERSON_PRONOUNS
        for tok_i, idx in reversed(self.timeline):
            if tok_i >= pron.i:
                continue
            a = self.actors[idx]
            if want_person and a.type == "person":
                return idx
            if not want_person and a.type in ("state", "organisation", "igo", "group", "media"):
                return idx
        return None

    def _by_role(self, role: str, head: str, country: str | None, before: int) -> int | None:
        for tok_i, idx in reversed(self.timeline):
            if tok_i >= before:
                continue
            a = self.actors[idx]
            if a.type != "person" or not a.role:
                continue
            if head in a.role.split() and (country is None or a.country in (None, country)):
                return idx
        return None


# -- helpers --------------------------------------------------------------------


_ADJ_CACHE: dict[str, str] = {}


#: How news writes a few countries as modifiers ("U.S. State Department").
_MODIFIERS = {"USA": "U.S.", "GBR": "British", "PRK": "North Korean", "KOR": "South Korean"}


def country_adjective(iso3: str | None) -> str:
    if not iso3:
        return ""
    if iso3 in _MODIFIERS:
        return _MODIFIERS[iso3]
    if not _ADJ_CACHE:
        for name, (code, kind) in place_table().items():
            if kind == "demonym" and not name.endswith("s") and code not in _ADJ_CACHE:
                _ADJ_CACHE[code] = name.title()
    return _ADJ_CACHE.get(iso3, country_name(iso3))


def _inside_any(pos: int, spans: Sequence[tuple[int, int]]) -> bool:
    """``pos`` strictly inside one of ``spans`` (sorted, not overlapping: quotations).

    Only the last span starting before ``pos`` can hold it; a scan over all of them
    from every capitalised word was quadratic in the length of the document.
    """
    k = bisect.bisect_left(spans, (pos, pos)) - 1
    return k >= 0 and spans[k][0] < pos < spans[k][1]


def _strip_det(text: str) -> str:
    return re.sub(r"(?i)^(the|a|an)\s+", "", text.strip())


def _name_tokens(head: Token) -> list[Token]:
    """The proper-name run that ends at (or contains) the head: compounds + the head."""
    if head.pos_ != "PROPN":
        return []
    toks = [head]
    i = head.i - 1
    doc = head.doc
    while i >= 0 and doc[i].pos_ == "PROPN" and doc[i].head.i in {t.i for t in toks} | {head.i}:
        toks.insert(0, doc[i])
        i -= 1
    return toks


class Title(NamedTuple):
    name: str
    role: str | None
    country: str | None
    affiliation: str | None


def _split_title(toks: list[Token]) -> Title:
    """ "Ukrainian Foreign Ministry spokesperson Oleg Nikolenko" -> name "Oleg Nikolenko",
    role "spokesperson", affiliation "Ukrainian Foreign Ministry", country UKR;
    "Iranian Foreign Minister Hossein Amirabdollahian" -> role "foreign minister", IRN."""
    words = [t for t in toks if not t.is_punct and not t.is_space and t.pos_ != "DET"]
    # the name is the trailing run of capitalised words that are not title words
    name: list[Token] = []
    words = [t for t in words if t.lower_ not in NOT_NAMES]
    for t in reversed(words):
        if t.text[:1].isupper() and t.lower_ not in ROLE_WORDS and lookup_place(t.text) is None:
            name.insert(0, t)
        elif name:
            break
        elif t.lower_ in ("'s", "’s", "jr.", "sr."):
            continue
        else:
            break
    if not name:
        return Title("", None, None, None)
    country = _country_of(toks)
    rest = [t for t in words if t.i < name[0].i]
    # a body named before the role: "... Foreign Ministry spokesperson"
    body_end = max((k for k, t in enumerate(rest) if t.lower_ in BODY_WORDS), default=-1)
    affiliation = None
    if body_end >= 0:
        body = [t for t in rest[: body_end + 1] if lookup_place(t.text) is None]
        if body:
            affiliation = " ".join(t.text for t in body)
            if country:
                affiliation = f"{country_adjective(country)} {affiliation}"
        rest = rest[body_end + 1 :]
    role = " ".join(t.lower_ for t in rest if t.lower_ in ROLE_WORDS and t.lower_ not in HONORIFICS)
    full = re.sub(r"[’‘']s$", "", " ".join(t.text for t in name))
    return Title(full, role or None, country, affiliation)


def _sector(type_: str, role: str | None, name: str | None) -> str | None:
    """A PLOVER/CAMEO sector from what the article says the actor is."""
    if type_ in ("igo", "media"):
        return {"igo": "IGO", "media": "MED"}[type_]
    if type_ == "state":
        return "GOV"
    words = set(f"{role or ''} {name or ''}".lower().replace("'s", "").split())
    for sector, cues in SECTOR_WORDS:
        if words & cues:
            return sector
    return None


def _role_words(toks: Iterable[Token]) -> str:
    return " ".join(t.lower_ for t in toks if t.lower_ in ROLE_WORDS and t.lower_ not in HONORIFICS)


def _country_of(toks: Iterable[Token]) -> str | None:
    """The country a phrase names, two-word names first ("New Jersey Gov. Chris Christie"
    is American, not from the island of Jersey)."""
    words = list(toks)
    for a, b in itertools.pairwise(words):
        place = lookup_place(f"{a.text} {b.text}")
        if place is not None:
            return place[0]
    for i, t in enumerate(words):
        if i > 0 and words[i - 1].text in ("New", "North", "South", "West", "East"):
            continue
        place = lookup_place(t.text)
        if place is not None and place[1] != "region":
            return place[0]
    return None


def _org_in(toks: list[Token]) -> OrgEntry | None:
    """A known organisation named inside a phrase ("the official IRNA news agency")."""
    for t in toks:
        if t.pos_ == "PROPN" or t.text.isupper():
            org = lookup_org(t.text)
            if (
                org is not None
                and org.type == "media"
                and any(
                    w.lower_
                    in ("agency", "news", "newspaper", "channel", "television", "broadcaster")
                    for w in toks
                )
            ):
                return org
            if org is not None and t.i == toks[-1].i:
                return org
    return None


def _looks_personal(toks: list[Token]) -> bool:
    return any(t.lower_ in ROLE_WORDS for t in toks)


def _org_label(toks: list[Token], country: str | None) -> str:
    """ "Ukraine's foreign ministry" -> "Ukrainian Foreign Ministry": one spelling for one
    body, whichever way the article names it."""
    label = " ".join(w[:1].upper() + w[1:] for w in _np_name(toks, drop_places=True).split())
    if country and label:
        label = f"{country_adjective(country)} {label}"
    return label


def _np_name(toks: list[Token], drop_places: bool = False) -> str:
    """A label for an unnamed actor: the phrase up to its head noun, without what follows
    ("a senior European diplomat, who spoke on condition of anonymity" -> the diplomat)
    and without determiners; with ``drop_places`` also without a place that the actor's
    country already records ("Ukraine's foreign ministry" -> "foreign ministry")."""
    if not toks:
        return ""
    root = min(toks, key=lambda t: len(list(t.ancestors)))
    keep: list[Token] = []
    dropped_place = False
    for t in toks:
        if t.i > root.i or t.is_space or t.pos_ in ("DET", "NUM"):
            continue
        if drop_places and lookup_place(t.text) is not None:
            dropped_place = True
            continue
        if t.tag_ == "POS" and dropped_place:
            continue
        dropped_place = False
        keep.append(t)
    while keep and keep[0].is_punct:
        keep.pop(0)
    keep = keep[-6:]
    return "".join(t.text + t.whitespace_ for t in keep).strip()


def actor_for(att: AttributionSpan) -> int | None:
    return getattr(att, "speaker", None)
