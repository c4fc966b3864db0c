"""The cue lexicon: which words introduce someone else's words or thoughts.

Kept as data (``data/cues.tsv``) so analysts can read and extend it without
touching code; the attribution component only asks "is this lemma a cue, what
stance does it lend, does it take a clause or an object".
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

from claimgraph.errors import ClaimgraphError


@dataclass(frozen=True)
class Cue:
    lemma: str
    pos: str
    stance: str
    cls: str
    frame: str  # clause | object | both

    @property
    def takes_object(self) -> bool:
        return self.frame in ("object", "both")


CueLexicon = dict[tuple[str, str], Cue]


def _parse(lines: list[str], origin: str) -> CueLexicon:
    rows = [ln for ln in lines if ln.strip() and not ln.startswith("#")]
    out: CueLexicon = {}
    for rec in csv.DictReader(rows, delimiter="\t"):
        try:
            cue = Cue(
                rec["lemma"].strip().lower(),
                rec["pos"].strip().upper(),
                rec["stance"].strip(),
                rec["class"].strip(),
                rec["frame"].strip(),
            )
        except (KeyError, AttributeError) as exc:
            raise ClaimgraphError(f"{origin}: bad cue lexicon row {rec!r}") from exc
        out[(cue.lemma, cue.pos)] = cue
    return out


@lru_cache(maxsize=8)
def load_cue_lexicon(extra: str | None = None) -> CueLexicon:
    """The bundled lexicon, optionally overlaid with a user's TSV of the same columns."""
    text = resources.files("claimgraph.data").joinpath("cues.tsv").read_text("utf-8")
    lex = _parse(text.splitlines(), "cues.tsv")
    if extra:
        path = Path(extra)
        lex.update(_parse(path.read_text("utf-8").splitlines(), str(path)))
    return lex
