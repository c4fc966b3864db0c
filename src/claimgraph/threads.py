"""Claims across articles: claim threads, near-duplicate articles, contested claims.

This is the cross-document stage. It works on plain records (``ClaimRecord``) so it
can be tested without a database; :mod:`claimgraph.claimstore` feeds it from the
store and saves what it finds.

- **Threads.** Claims gather by proposition key: (type, mode, actor, target, object)
  for events, (predicate, subject, object) for statements, participants as entities
  (a state's bodies and unnamed groups of its people count as the state). A key with
  a gap ("someone attacked someone with drones") joins the most specific compatible
  thread of the same article; across articles only a key with at least two parts
  known may join another, so a vague claim never glues two stories together. An
  object that names a kind of kinds ("weapons", :data:`claimgraph.ontology.HYPERNYMS`)
  is a gap only one of its kinds fills.
- **Independent sources.** Articles whose texts share most of their word 5-grams are
  one story republished (a wire report on ten sites is one source); a thread's
  ``sources`` counts such groups, not articles.
- **Contested.** A thread is contested when one voice affirms and a different voice
  denies it for overlapping times, or when different voices affirming it give
  incompatible qualifiers: times that cannot overlap ("before the war" vs "after
  the invasion"), or a small vs a large quantity. Times come from the event's
  normalised time; without one, an actual event is dated before publication, a
  continuing one from publication on, and a promised or alleged one is open.
"""

from __future__ import annotations

import hashlib
import re
import zlib
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from claimgraph.ontology import HYPERNYMS

#: Share of sampled word 5-grams two articles must share to count as one story.
NEAR_DUPLICATE_JACCARD = 0.5
#: Keep one 5-gram in this many (by hash) when comparing articles: fast, and still
#: dozens of samples for a short article.
SHINGLE_SAMPLE = 4
#: Word n-grams the near-duplicate check compares.
SHINGLE_N = 5
MIN_DATE, MAX_DATE = "0000-01-01", "9999-12-31"
#: Statement predicates that say too little to be a proposition ("Trump said he said").
VAGUE_PREDICATES = frozenset(
    "say tell be have do go get make think believe know want see come take add ask "
    "call mean need try seem look feel hope expect like".split()
)


def _party(c: ClaimRecord) -> bool:
    """Voices that are parties to a dispute: not the publisher, not an unresolved phrase
    ("percent", "message"), not an unnamed description ("critics", "a Florida senator")."""
    return c.voice is not None and not c.voice.startswith("unknown:") and c.voice_named


OPEN_MODALITIES = frozenset({"promised", "agreed", "intended", "alleged", "hypothetical"})


@dataclass
class ClaimRecord:
    """One stored claim with its participants already resolved to entity keys."""

    id: str
    document: str
    published: str | None
    voice: str | None  # entity key of the voice; None: the publisher
    side: int
    type: str
    mode: str | None
    predicate: str | None
    actor: str | None  # entity key
    target: str | None
    object: str | None
    modality: str
    time_relation: str | None = None
    time_start: str | None = None
    time_end: str | None = None
    quantity_class: str | None = None
    position: int = 0
    #: Entity keys named in the claim's sentence: whom the speaker answers.
    addressed: frozenset[str] = frozenset()
    #: Is the voice someone a reader can hold to it (a named person, a state, a body,
    #: "Iranian officials") rather than "critics" or "a Florida senator"?
    voice_named: bool = True
    #: Entity key of the voice whose claim this one answers ("denied the accusation").
    responds_to: str | None = None
    voice_country: str | None = None
    #: Start of the claim's sentence: claims of one sentence are one piece of evidence.
    sentence: int = 0

    def grounded(self) -> bool:
        """Is the proposition's actor named where the claim is made (or the voice itself,
        or its state: "we provided ...")? A "they" resolved to a state is not enough to
        set two articles against each other."""
        if self.actor is None or self.actor == self.voice or self.actor in self.addressed:
            return True
        return self.voice_country is not None and self.actor == f"state:{self.voice_country}"

    def key_parts(self) -> tuple[str, str | None, str | None, str | None]:
        head = f"{self.type}:{self.predicate or self.mode or ''}"
        return head, self.actor, self.target, self.object


@dataclass
class Thread:
    id: str
    key: str
    head: str
    actor: str | None
    target: str | None
    object: str | None
    claims: list[ClaimRecord] = field(default_factory=list)


@dataclass
class Contest:
    kind: str  # polarity | time | quantity
    affirm: list[str]  # voice entity keys, first appearance first
    deny: list[str]
    claims: list[str]  # ids of the claims that make the sides
    score: float = 0.0
    #: "rebuttal": one side answers the other's claim ("dismissed X's accusation");
    #: "named": one names the other; "separate": they only say opposite things
    strength: str = "separate"
    #: claim id -> "affirm" (side A) or "deny" (side B): where each sentence stands in
    #: this contest; for time and quantity contests every claim affirms the act, and
    #: only this says which of the two accounts it gives
    claim_sides: dict[str, str] = field(default_factory=dict)


# -- near-duplicate articles ---------------------------------------------------------

_TOKEN = re.compile(r"\w+")


def shingles(text: str, n: int = SHINGLE_N, sample: int = SHINGLE_SAMPLE) -> set[int]:
    """Hashes of a sample of the text's word n-grams (lower case, punctuation dropped)."""
    words = _TOKEN.findall(text.lower())
    out: set[int] = set()
    for i in range(max(0, len(words) - n + 1)):
        h = zlib.crc32(" ".join(words[i : i + n]).encode())
        if h % sample == 0:
            out.add(h)
    return out


def near_duplicate_groups(
    docs: Sequence[tuple[str, str]], threshold: float = NEAR_DUPLICATE_JACCARD
) -> dict[str, str]:
    """Document id -> group id (the group's first document in the given order), joining
    articles whose sampled 5-gram sets have Jaccard similarity >= ``threshold``.

    Candidates come from an inverted index over the samples, so unrelated articles are
    never compared; linear in practice.
    """
    return group_samples({doc_id: shingles(text) for doc_id, text in docs}, threshold)


def group_samples(
    sets: dict[str, set[int]], threshold: float = NEAR_DUPLICATE_JACCARD
) -> dict[str, str]:
    """:func:`near_duplicate_groups` over samples already taken (the store keeps each
    document's sample, so a build need not read the texts again); the dict's order is
    the documents' order."""
    index: dict[int, list[str]] = defaultdict(list)
    parent = {doc_id: doc_id for doc_id in sets}
    order = {doc_id: n for n, doc_id in enumerate(sets)}

    def find(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for doc_id in sets:
        mine = sets[doc_id]
        shared: dict[str, int] = defaultdict(int)
        for h in mine:
            for other in index[h]:
                shared[other] += 1
            index[h].append(doc_id)
        for other, n in shared.items():
            union = len(mine) + len(sets[other]) - n
            if union and n / union >= threshold:
                a, b = find(doc_id), find(other)
                if a != b:
                    keep, drop = (a, b) if order[a] < order[b] else (b, a)
                    parent[drop] = keep
    return {doc_id: find(doc_id) for doc_id in sets}


# -- threads ---------------------------------------------------------------------------


def _known_part(p: str | None) -> bool:
    return p is not None and p not in HYPERNYMS


def _fits(x: str | None, y: str | None) -> bool:
    if x is None or y is None or x == y:
        return True
    return y in HYPERNYMS.get(x, ()) or x in HYPERNYMS.get(y, ())


def _compatible(
    a: tuple[str, str | None, str | None, str | None],
    b: tuple[str, str | None, str | None, str | None],
) -> bool:
    if a[0] != b[0]:
        return False
    return all(_fits(x, y) for x, y in zip(a[1:], b[1:], strict=True))


def _known(k: tuple[str, str | None, str | None, str | None]) -> int:
    return sum(_known_part(p) for p in k[1:])


def _merge(
    a: tuple[str, str | None, str | None, str | None],
    b: tuple[str, str | None, str | None, str | None],
) -> tuple[str, str | None, str | None, str | None]:
    def pick(x: str | None, y: str | None) -> str | None:
        return x if _known_part(x) else y if _known_part(y) else x or y

    return (a[0], pick(a[1], b[1]), pick(a[2], b[2]), pick(a[3], b[3]))


#: The pairs of key positions (actor, target, object) a one-gap key can be known on.
_PAIRS = ((1, 2), (1, 3), (2, 3))


def key_string(k: tuple[str, str | None, str | None, str | None]) -> str:
    return "|".join(p or "*" for p in k)


def build_threads(claims: Iterable[ClaimRecord]) -> list[Thread]:
    """Gather claims into threads (see the module docstring for the rules).

    Deterministic: the same claims in any order give the same threads and ids.
    """
    by_doc: dict[str, dict[tuple[str, str | None, str | None, str | None], list[ClaimRecord]]]
    by_doc = defaultdict(lambda: defaultdict(list))
    for c in claims:
        if c.type != "STATEMENT" and c.actor is None and c.target is None and c.object is None:
            continue  # "someone supplied something": nothing to hold on to
        if c.type == "STATEMENT" and (c.actor is None or c.predicate in VAGUE_PREDICATES):
            continue
        if c.actor is not None and c.actor == c.target:
            continue  # "Trump protested against Trump": a misread, not a proposition
        by_doc[c.document][c.key_parts()].append(c)

    # 1. within an article: a key with gaps joins the most specific compatible key
    doc_clusters: list[tuple[tuple[str, str | None, str | None, str | None], list[ClaimRecord]]]
    doc_clusters = []
    for doc in sorted(by_doc):
        groups = by_doc[doc]
        clusters: list[list[Any]] = []  # [key, claims]
        for k in sorted(groups, key=lambda k: (-_known(k), -len(groups[k]), key_string(k))):
            best = None
            for cl in clusters:
                if _compatible(cl[0], k) and (
                    best is None or _overlap(cl[0], k) > _overlap(best[0], k)
                ):
                    best = cl
            if best is not None and _known(k) >= 1:
                best[0] = _merge(best[0], k)
                best[1].extend(groups[k])
            else:
                clusters.append([k, list(groups[k])])
        for key, members in clusters:
            if not key[0].startswith("STATEMENT") and _known(key) < 2:
                # "the United States asked someone": too vague to be the same proposition
                # as another article's; it stays a thread of this article
                key = (f"{key[0]}@{doc}", key[1], key[2], key[3])
            doc_clusters.append((key, members))

    # 2. across articles: equal keys join; a key with one gap (two parts known) joins the
    # largest compatible complete key
    by_key: dict[tuple[str, str | None, str | None, str | None], list[ClaimRecord]]
    by_key = defaultdict(list)
    for k, cs in doc_clusters:
        by_key[k].extend(cs)
    full = sorted(
        (k for k in by_key if _known(k) == 3 or k[0].startswith("STATEMENT")),
        key=lambda k: (-len(by_key[k]), key_string(k)),
    )
    is_full = set(full)
    # a key with one gap can only join a complete key equal to it on its two known
    # parts: index the complete keys by each pair of parts (largest first, as in
    # ``full``) instead of trying every complete key for every gapped one
    by_pair: dict[tuple[Any, ...], list[tuple[str, str | None, str | None, str | None]]]
    by_pair = defaultdict(list)
    for f in full:
        if _known(f) == 3:
            for i, j in _PAIRS:
                by_pair[(f[0], i, j, f[i], f[j])].append(f)
    for k in sorted(by_key, key=key_string):
        if k in is_full or _known(k) < 2:
            continue
        i, j = (n for n in (1, 2, 3) if _known_part(k[n]))
        target = next((f for f in by_pair[(k[0], i, j, k[i], k[j])] if _compatible(f, k)), None)
        if target is not None:
            by_key[target].extend(by_key.pop(k))

    threads: list[Thread] = []
    for k, cs in by_key.items():
        cs.sort(key=lambda c: (c.published or MAX_DATE, c.document, c.position, c.id))
        ks = key_string(k)
        # 64 bits of the key: a 32-bit checksum collides within ~80,000 threads
        tid = "th" + hashlib.sha1(ks.encode()).hexdigest()[:16]
        threads.append(Thread(tid, ks, k[0], k[1], k[2], k[3], cs))
    threads.sort(key=lambda t: (t.claims[0].published or MAX_DATE, t.key))
    return threads


def _overlap(
    a: tuple[str, str | None, str | None, str | None],
    b: tuple[str, str | None, str | None, str | None],
) -> tuple[int, int]:
    same = sum(_known_part(x) and x == y for x, y in zip(a[1:], b[1:], strict=True))
    return same, _known(a)


# -- contested -------------------------------------------------------------------------


def _next_day(day: str) -> str:
    try:
        return (date.fromisoformat(day) + timedelta(days=1)).isoformat()
    except ValueError:
        return day


def interval(c: ClaimRecord) -> tuple[str, str]:
    """When the claim says it happened, as [lo, hi) ISO dates."""
    if c.time_start or c.time_end:
        lo, hi = c.time_start or c.time_end or MIN_DATE, c.time_end or c.time_start or MAX_DATE
        rel = (c.time_relation or "").lower()
        if rel == "before":
            return MIN_DATE, lo
        if rel in ("after", "since"):
            return _next_day(hi), MAX_DATE
        return lo, _next_day(hi)
    if c.modality == "continuing":
        return (c.published or MIN_DATE), MAX_DATE
    if c.modality in OPEN_MODALITIES or c.published is None:
        return MIN_DATE, MAX_DATE
    return MIN_DATE, c.published


def _overlaps(a: tuple[str, str], b: tuple[str, str]) -> bool:
    return max(a[0], b[0]) < min(a[1], b[1])


def find_contests(thread: Thread, group_of: dict[str, str] | None = None) -> list[Contest]:
    """The ways the voices of a thread contradict each other, at most one per kind;
    ``group_of`` maps documents to their near-duplicate group, so republished copies
    count once when ranking."""
    voiced = [c for c in thread.claims if _party(c) and c.side != 0]
    pos = [c for c in voiced if c.side > 0]
    neg = [c for c in voiced if c.side < 0]
    vague = "@" in thread.head
    candidates: list[tuple[str, list[tuple[ClaimRecord, ClaimRecord]]]] = []
    candidates.append(
        (
            "polarity",
            [
                (a, b)
                for a in pos
                for b in neg
                if a.voice != b.voice
                and _overlaps(interval(a), interval(b))
                # a vague proposition ("Ukraine refused") is only disputed when one
                # voice answers the other by name
                and (not vague or _answers(a, b))
            ],
        )
    )
    # "only before the war" against "since the summer" / "keeps supplying": one side
    # bounds it before a date, the other puts it after; repeated acts that are simply
    # dated differently ("since September", "on Monday") do not contradict each other
    timed = [
        (a, b)
        for a in pos
        for b in pos
        if a.voice != b.voice
        and a.time_relation == "before"
        and (b.time_relation in ("after", "since", "on", "during") or b.modality == "continuing")
        and not _overlaps(interval(a), interval(b))
    ]
    candidates.append(("time", timed))
    sized = [
        (a, b)
        for i, a in enumerate(pos)
        for b in pos[i + 1 :]
        if a.voice != b.voice
        and {a.quantity_class, b.quantity_class} == {"small", "large"}
        and _overlaps(interval(a), interval(b))
    ]
    # side A: the smaller figure, side B: the larger one
    candidates.append(
        ("quantity", [(a, b) if a.quantity_class == "small" else (b, a) for a, b in sized])
    )
    groups = group_of or {}
    outlets = len({groups.get(c.document, c.document) for c in thread.claims})
    specific = (
        0 if vague else sum(_known_part(p) for p in (thread.actor, thread.target, thread.object))
    )
    first: dict[str | None, int] = {}
    for c in voiced:
        first.setdefault(c.voice, c.side)
    out = []
    for kind, found in candidates:
        # a voice on both sides (it said both) stays where it spoke first
        affirm_all = dict.fromkeys(a.voice for a, _ in found if a.voice is not None)
        deny_all = dict.fromkeys(b.voice for _, b in found if b.voice is not None)
        both = affirm_all.keys() & deny_all.keys()
        if kind == "polarity":
            stay_a = {v for v in both if first[v] > 0}
        else:
            stay_a = {v for v in both if _first_side(found, v) == 0}
        # unless one answers the other's claim, opposite claims must be about a fully
        # specified proposition (who did what to whom, with what), and, when neither
        # names the other, each must name who acted
        pairs = [
            (a, b)
            for a, b in found
            if (a.voice not in both or a.voice in stay_a)
            and (b.voice not in both or b.voice not in stay_a)
            and (
                _rebuts(a, b)
                or (_specific(thread) and (_answers(a, b) or (a.grounded() and b.grounded())))
            )
        ]
        if not pairs:
            continue
        # dicts keep first-seen order and make membership cheap on threads with
        # thousands of voices
        affirm = [str(v) for v in dict.fromkeys(a.voice for a, _ in pairs)]
        deny = [str(v) for v in dict.fromkeys(b.voice for _, b in pairs)]
        used = list(dict.fromkeys(c.id for pair in pairs for c in pair))
        claim_sides: dict[str, str] = {}
        for a, b in pairs:
            claim_sides.setdefault(a.id, "affirm")
            claim_sides.setdefault(b.id, "deny")
        strength = (
            "rebuttal"
            if any(_rebuts(a, b) for a, b in pairs)
            else "named"
            if any(_answers(a, b) for a, b in pairs)
            else "separate"
        )
        total = score(len(affirm), len(deny), outlets, specific) + STRENGTH_BONUS[strength]
        out.append(Contest(kind, affirm, deny, used, total, strength, claim_sides))
    return out


#: How much a direct exchange adds to a dispute's rank: a denial that answers the
#: other side's claim is the surest sign that two voices really disagree.
STRENGTH_BONUS = {"rebuttal": 4.0, "named": 2.0, "separate": 0.0}


def _specific(thread: Thread) -> bool:
    if "@" in thread.head:
        return False
    if thread.head.startswith("STATEMENT"):
        return thread.actor is not None and thread.object is not None
    return all(_known_part(p) for p in (thread.actor, thread.target, thread.object))


def _rebuts(a: ClaimRecord, b: ClaimRecord) -> bool:
    return (a.responds_to is not None and a.responds_to == b.voice) or (
        b.responds_to is not None and b.responds_to == a.voice
    )


def _answers(a: ClaimRecord, b: ClaimRecord) -> bool:
    return (a.voice is not None and a.voice in b.addressed) or (
        b.voice is not None and b.voice in a.addressed
    )


def _first_side(pairs: list[tuple[ClaimRecord, ClaimRecord]], voice: str) -> int:
    """0 when ``voice``'s earliest claim among the pairs is on side A, else 1."""
    claims = sorted(
        (
            (c.published or MAX_DATE, c.position, n)
            for a, b in pairs
            for n, c in enumerate((a, b))
            if c.voice == voice
        )
    )
    return claims[0][2] if claims else 0


def evidence(contest: Contest, claims: dict[str, ClaimRecord]) -> set[tuple[str, int]]:
    """The sentences a contest rests on."""
    return {(claims[c].document, claims[c].sentence) for c in contest.claims if c in claims}


def drop_repeats(
    contests: list[tuple[Thread, Contest]], claims: dict[str, ClaimRecord]
) -> list[tuple[Thread, Contest]]:
    """One dispute read into several propositions of the same sentences ("dismissed
    Sanders' accusations that the campaign is violating the law through its agreement")
    is reported once, under its best-ranked proposition."""
    kept: list[tuple[Thread, Contest, set[tuple[str, int]]]] = []
    for th, c in sorted(contests, key=lambda tc: -tc[1].score):
        mine = evidence(c, claims)
        if c.kind == "polarity" and any(
            k.kind == "polarity" and t is not th and mine <= other for t, k, other in kept
        ):
            continue
        kept.append((th, c, mine))
    return [(th, c) for th, c, _ in kept]


def score(affirm: int, deny: int, outlets: int, specific: int = 0) -> float:
    """Rank: the weaker side's count weighs most (one lone denial of a claim many make
    is less of a dispute than two camps), then both sides, then how widely it is carried
    (independent stories) and how specific the proposition is (actor, target, object)."""
    return 2.0 * min(affirm, deny) + affirm + deny + 0.5 * max(outlets - 1, 0) + 0.1 * specific
