"""Who is the same actor across articles: canonical keys and the surname rule.

Within one article the actors stage already knows that "Mr. Trump" is the "Donald J.
Trump" of the first paragraph. Across articles only names are left, so an actor is
filed under a key built from what identifies it:

- a state by its ISO 3166-1 alpha-3 code, whatever the article called it ("Tehran",
  "the Kremlin");
- an international organisation or a news outlet by its canonical name;
- a person by first and last name, honorifics and middle names dropped
  ("Mr. Donald J. Trump" and "Donald Trump" are one person; "Hillary Clinton" and
  "Bill Clinton" are two);
- other organisations and groups by name and country.

A person named by surname alone ("Trump" in an article that never gives the full name)
is filed under the full-name person with that surname when one such person dominates
the store (see :func:`pick_by_surname`), never by surname alone against a rival.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping

from claimgraph.model import Actor

#: Words dropped from person names before comparing them.
HONORIFICS = frozenset(
    """mr mrs ms miss dr sir dame lord lady sen rep gov gen col lt president prof rev
    republican democrat democratic gop former neither both""".split()
)
#: A surname-only person joins the full-name candidate that has at least this many
#: times the actors of the next candidate (and of a namesake, if any).
DOMINANCE = 3.0


def _plain(text: str) -> str:
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = text.replace("’", "'").replace("‘", "'").lower()
    text = re.sub(r"'s\b", "", text)
    return re.sub(r"[^a-z0-9' -]+", " ", text).strip()


#: Words of a title or a description that articles put before a name ("National
#: Committee Chair Debbie Wasserman Schultz", "Florida Sen. Marco Rubio", "Secretary of
#: State John Kerry"): everything up to the last of them is not the name.
TITLE_WORDS = frozenset(
    """chair chairman chairwoman committee national secretary state senator governor
    minister foreign defense defence prime vice spokesman spokeswoman spokesperson
    representative speaker leader mayor judge director chief ambassador general candidate
    presidential nominee frontrunner front-runner house senate majority minority campaign
    manager adviser advisor aide attorney justice officer commander congressman
    congresswoman assemblyman assemblywoman businessman businesswoman billionaire host
    anchor analyst strategist of the u.s us american""".split()
)
US_STATES = frozenset(
    """alabama alaska arizona arkansas california colorado connecticut delaware florida
    georgia hawaii idaho illinois indiana iowa kansas kentucky louisiana maine maryland
    massachusetts michigan minnesota mississippi missouri montana nebraska nevada
    ohio oklahoma oregon pennsylvania rhode tennessee texas utah vermont virginia
    washington wisconsin wyoming""".split()
)


def person_name_parts(name: str) -> list[str]:
    """Name words without honorifics, titles, initials or punctuation ("Donald J. Trump"
    -> ["donald", "trump"]; "Florida Sen. Marco Rubio" -> ["marco", "rubio"])."""
    words = [w.strip(".'-") for w in _plain(name).replace("-", " - ").split()]
    words = [w for w in words if w and w != "-"]
    words = [w for w in words if w not in HONORIFICS and len(w) > 1]
    last_title = max(
        (i for i, w in enumerate(words) if w in TITLE_WORDS or w in US_STATES), default=-1
    )
    # keep at least the surname: "Mitch McConnell" is never a title
    if 0 <= last_title < len(words) - 1:
        words = words[last_title + 1 :]
    return words


def entity_key(actor: Actor) -> str:
    """The key under which an actor of one article is filed across articles."""
    if actor.type == "state" and actor.country:
        return f"state:{actor.country}"
    if actor.type == "person":
        parts = person_name_parts(actor.name)
        if len(parts) >= 2:
            return f"person:{parts[0]} {parts[-1]}"
        if parts:
            return f"person:{parts[0]}"
        return f"person:{_plain(actor.name)}"
    name = _plain(re.sub(r"(?i)^the\s+", "", actor.name))
    if actor.type in ("igo", "media"):
        return f"{actor.type}:{name}"
    return f"{actor.type}:{name}:{(actor.country or '').lower()}"


def surname_of(key: str) -> str | None:
    """The surname of a full-name person key, None for other keys."""
    if not key.startswith("person:"):
        return None
    parts = key[len("person:") :].split()
    return parts[-1] if len(parts) >= 2 else None


def pick_by_surname(surname: str, candidates: Mapping[str, int]) -> str | None:
    """Among full-name person keys with this surname (key -> how many actors are filed
    under it), the one a bare surname most likely means, or None when it is not clear."""
    ranked = sorted(
        ((n, key) for key, n in candidates.items() if surname_of(key) == surname), reverse=True
    )
    if not ranked:
        return None
    if len(ranked) == 1:
        return ranked[0][1]
    (best_n, best), (second_n, _second) = ranked[0], ranked[1]
    return best if best_n >= DOMINANCE * max(second_n, 1) else None
