"""Contested claims as schema.org ``ClaimReview`` JSON-LD.

Fact-checking tools, the Google Fact Check Tools and search engines read
``ClaimReview``: a review (by ``author``, on ``datePublished``, at ``url``) of one
``Claim`` made by someone (``itemReviewed.author``) somewhere
(``itemReviewed.appearance``), with a verdict (``reviewRating``).

claimgraph does not judge who is right; its verdict is that a claim is
*contested*. One ClaimReview is written per (contested proposition, side, voice):
a ``Claim`` has one author, so each voice's claim is reviewed on its own, with
every article where that voice said it as an ``appearance`` and the voices on the
other side named in ``reviewRating.ratingExplanation``. The mapping:

=========================  ==========================================================
``claimReviewed``          the voice's first sentence putting it on that side
``itemReviewed``           ``Claim``: ``name`` the proposition ("Iran supplied drone
                           to Russia"), ``author`` the voice (``Person`` for persons,
                           else ``Organization``), ``datePublished`` and
                           ``firstAppearance`` its earliest article, ``appearance``
                           every article (``CreativeWork`` with ``url``,
                           ``headline``, ``datePublished``, ``publisher``)
``reviewRating``           ``Rating``: ``alternateName`` "Contested",
                           ``ratingExplanation`` who stands on the other side
``reviewBody``             both sides in one sentence
``author``                 the reviewer: ``--author`` (default "claimgraph"), an
                           ``Organization`` unless told ``Person``
``datePublished``          the export's date (``--date``, default today)
``url``                    the thread's page under ``--base-url`` (the web
                           interface), when given
``identifier``             ``claimgraph:<thread>:<kind>:<side>:<voice>``, always
=========================  ==========================================================

No numeric ``ratingValue``: a contest is not a point on a true-false scale.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from claimgraph.claimstore import ClaimStatement, Contested, Voice
    from claimgraph.store import StoredDocument

CONTEXT = "https://schema.org"
RATING = "Contested"
DEFAULT_AUTHOR = "claimgraph"
#: claimReviewed is "a short summary": longer sentences are cut here.
MAX_CLAIM_CHARS = 500

_OTHER_SIDE = {
    ("polarity", "affirm"): "denied by",
    ("polarity", "deny"): "affirmed by",
    ("time", "affirm"): "dated differently by",
    ("time", "deny"): "dated differently by",
    ("quantity", "affirm"): "given a larger figure by",
    ("quantity", "deny"): "given a smaller figure by",
}


def claim_reviews(
    items: Iterable[Contested],
    documents: Mapping[str, StoredDocument],
    *,
    author: str = DEFAULT_AUTHOR,
    author_type: str = "Organization",
    author_url: str | None = None,
    base_url: str | None = None,
    date: str | None = None,
) -> list[dict[str, Any]]:
    """ClaimReview objects (each a complete JSON-LD document with its ``@context``) for
    contested items; ``documents`` maps document ids to their metadata (for URLs)."""
    reviewer: dict[str, Any] = {"@type": author_type, "name": author}
    if author_url:
        reviewer["url"] = author_url
    published = date or dt.date.today().isoformat()
    out = []
    for item in items:
        sides = {"affirm": item.affirm, "deny": item.deny}
        for side, voices in sides.items():
            other = sides["deny" if side == "affirm" else "affirm"]
            for voice in voices:
                said = [s for s in item.statements if _on_side(item, s, side, voice)]
                if not said:
                    continue
                out.append(
                    _review(
                        item, side, voice, said, other, documents, reviewer, published, base_url
                    )
                )
    return out


def _on_side(item: Contested, s: ClaimStatement, side: str, voice: Voice) -> bool:
    if s.voice.id != voice.id:
        return False
    # a polarity contest's sides are the claims' own; time and quantity contests
    # put voices that all affirm it on two sides (see claimgraph.threads)
    return s.side == side if item.kind == "polarity" else True


def _review(
    item: Contested,
    side: str,
    voice: Voice,
    said: Sequence[ClaimStatement],
    other: Sequence[Voice],
    documents: Mapping[str, StoredDocument],
    reviewer: dict[str, Any],
    published: str,
    base_url: str | None,
) -> dict[str, Any]:
    dated = sorted(said, key=lambda s: (s.published is None, s.published or "", s.document))
    first = dated[0]
    appearances: list[dict[str, Any]] = []
    seen: set[str] = set()
    for s in dated:
        if s.document not in seen:
            seen.add(s.document)
            appearances.append(_article(s, documents.get(s.document)))
    claim: dict[str, Any] = {
        "@type": "Claim",
        "name": item.proposition,
        "author": _party(voice),
        "appearance": appearances,
        "firstAppearance": appearances[0],
    }
    if first.published:
        claim["datePublished"] = first.published
    names = ", ".join(v.name for v in other)
    relation = _OTHER_SIDE.get((item.kind, side), "contradicted by")
    review: dict[str, Any] = {
        "@context": CONTEXT,
        "@type": "ClaimReview",
        "identifier": f"claimgraph:{item.thread}:{item.kind}:{side}:{voice.id or 'publisher'}",
        "claimReviewed": _short(first.text),
        "itemReviewed": claim,
        "author": reviewer,
        "datePublished": published,
        "reviewRating": {
            "@type": "Rating",
            "alternateName": RATING,
            "ratingExplanation": f"{RATING}: {relation} {names}." if names else RATING,
        },
        "reviewBody": _body(item),
    }
    if base_url:
        review["url"] = f"{base_url.rstrip('/')}/threads/{item.thread}"
    return review


def _party(voice: Voice) -> dict[str, Any]:
    return {"@type": "Person" if voice.type == "person" else "Organization", "name": voice.name}


def _article(s: ClaimStatement, doc: StoredDocument | None) -> dict[str, Any]:
    work: dict[str, Any] = {"@type": "CreativeWork"}
    if doc is not None and doc.url:
        work["url"] = doc.url
    work["headline"] = s.title or s.document_name
    if s.published:
        work["datePublished"] = s.published
    if s.outlet:
        work["publisher"] = {"@type": "Organization", "name": s.outlet}
    return work


def _body(item: Contested) -> str:
    a = ", ".join(v.name for v in item.affirm) or "no one"
    d = ", ".join(v.name for v in item.deny) or "no one"
    if item.kind == "polarity":
        return f'"{item.proposition}": affirmed by {a}; denied by {d}.'
    what = "when" if item.kind == "time" else "how much"
    return f'"{item.proposition}": {a} and {d} disagree on {what}.'


def _short(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= MAX_CLAIM_CHARS else text[: MAX_CLAIM_CHARS - 1] + "…"


__all__ = ["CONTEXT", "DEFAULT_AUTHOR", "RATING", "claim_reviews"]
