"""The cue lexicon: which words introduce someone else's words or thoughts.

Kept as data (``data/cues.tsv``) so analysts can read and extend it without
touching code; the attribution component only asks "is this lemma a cue, what
stance does it lend, does it take a clause or an object".
"""

from __future__ import annotations

import csv
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from types import MappingProxyType

from claimgraph.errors import ClaimgraphError


@dataclass(frozen=True)
class Cue:
    lemma: str
    pos: str
    stance: str
    cls: str
    frame: str  # clause | object | both
    #: ``speech`` (say, deny, announce ...) or ``thought`` (believe, fear, hope ...).
    mode: str = "speech"

    @property
    def takes_object(self) -> bool:
        return self.frame in ("object", "both")


CueLexicon = dict[tuple[str, str], Cue]

MODES = ("speech", "thought")
#: Cue classes that report a thought rather than speech.
THOUGHT_CLASSES = frozenset({"cognition"})


@lru_cache(maxsize=1)
def thought_lemmas() -> frozenset[str]:
    """Lemmas whose cue reports a thought (``data/thought_cues.txt``)."""
    text = resources.files("claimgraph.data").joinpath("thought_cues.txt").read_text("utf-8")
    return frozenset(
        ln.strip().lower() for ln in text.splitlines() if ln.strip() and not ln.startswith("#")
    )


def cue_mode(lemma: str, cls: str = "learned", mode: str | None = None) -> str:
    """``speech`` or ``thought``: the lexicon's mode column where given, else the cue's
    class (``cognition`` is thought), else the thought list; anything else is speech."""
    if mode in MODES:
        return mode
    if cls in THOUGHT_CLASSES or lemma.lower() in thought_lemmas():
        return "thought"
    return "speech"


def _parse(lines: list[str], origin: str) -> CueLexicon:
    rows = [ln for ln in lines if ln.strip() and not ln.startswith("#")]
    out: CueLexicon = {}
    for rec in csv.DictReader(rows, delimiter="\t"):
        try:
            lemma, cls = rec["lemma"].strip().lower(), rec["class"].strip()
            cue = Cue(
                lemma,
                rec["pos"].strip().upper(),
                rec["stance"].strip(),
                cls,
                rec["frame"].strip(),
                cue_mode(lemma, cls, (rec.get("mode") or "").strip() or None),
            )
        except (KeyError, AttributeError) as exc:
            raise ClaimgraphError(f"{origin}: bad cue lexicon row {rec!r}") from exc
        out[(cue.lemma, cue.pos)] = cue
    return out


#: A learned verb becomes a cue when annotators marked at least this share of its uses.
LEARNED_MIN_SHARE = 0.45
#: A curated cue is dropped when annotators marked less than this share of its
#: (at least ``DROP_MIN_COUNT``) uses: the word is mostly used for something else.
DROP_BELOW_SHARE = 0.25
DROP_MIN_COUNT = 20


@lru_cache(maxsize=1)
def load_cue_stats() -> Mapping[str, tuple[int, float]]:
    """lemma -> (uses seen, share marked as cue), learned from PolNeAR train. Read
    once per process (the confidence model asks for it for every attribution), and
    read-only since it is shared."""
    path = resources.files("claimgraph.data").joinpath("cue_stats.tsv")
    if not path.is_file():
        return MappingProxyType({})
    rows = [ln for ln in path.read_text("utf-8").splitlines() if ln and not ln.startswith("#")]
    out: dict[str, tuple[int, float]] = {}
    for rec in csv.DictReader(rows, delimiter="\t"):
        out[rec["lemma"]] = (int(rec["count"]), float(rec["share"]))
    return MappingProxyType(out)


@lru_cache(maxsize=8)
def load_cue_lexicon(
    extra: str | None = None,
    learned_min_share: float = LEARNED_MIN_SHARE,
    drop_below_share: float = DROP_BELOW_SHARE,
) -> CueLexicon:
    """The curated lexicon, adjusted by the learned statistics, then a user's overlay.

    The curated file says what a cue means (stance, frame); the statistics say how
    often a word is used as a cue in news, which no hand-made list knows.
    """
    text = resources.files("claimgraph.data").joinpath("cues.tsv").read_text("utf-8")
    lex = _parse(text.splitlines(), "cues.tsv")
    for lemma, (count, share) in load_cue_stats().items():
        key = (lemma, "VERB")
        if key in lex and count >= DROP_MIN_COUNT and share < drop_below_share:
            del lex[key]
        elif key not in lex and share >= learned_min_share:
            lex[key] = Cue(lemma, "VERB", "affirm", "learned", "both", cue_mode(lemma))
    if extra:
        path = Path(extra)
        lex.update(_parse(path.read_text("utf-8").splitlines(), str(path)))
    return lex
