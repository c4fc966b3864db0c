"""Acceptance: the seed article's contested propositions C1-C4 from its hand-made gold,
found by the commands a user runs (`ingest --published`, then `contested --format json`),
with the gold voices on each side and at most two other contested items."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from claimgraph.cli import main
from claimgraph.evaluation.claims import voice_matches

SEED = Path(__file__).resolve().parents[1].parent / "shared" / "examples"
pytestmark = pytest.mark.skipif(
    not (SEED / "000_57d7b0572d853387.gold.json").is_file(),
    reason="../shared/examples (the seed article and its gold) is not available",
)

#: What each gold proposition is about, to find its item among the predictions.
KEYWORDS = {
    "C1": ("missile",),
    "C2": ("attacked", "drone"),
    "C3": ("ukraine", "refused"),
    "C4": ("drone", "supplied"),
}


@pytest.fixture(scope="module")
def contested(tmp_path_factory: pytest.TempPathFactory) -> list[dict[str, Any]]:
    db = tmp_path_factory.mktemp("seed") / "tmp.db"
    runner = CliRunner()
    stored = runner.invoke(
        main,
        [
            "ingest",
            "--db",
            str(db),
            "--published",
            "2022-11-05",
            str(SEED / "000_57d7b0572d853387.txt"),
        ],
    )
    assert stored.exit_code == 0, stored.output
    result = runner.invoke(main, ["contested", "--db", str(db), "--format", "json"])
    assert result.exit_code == 0, result.output
    items: list[dict[str, Any]] = json.loads(result.output)
    return items


def gold() -> list[dict[str, Any]]:
    data = json.loads((SEED / "000_57d7b0572d853387.gold.json").read_text("utf-8"))
    items: list[dict[str, Any]] = data["contested"]
    return items


def find(items: list[dict[str, Any]], gid: str) -> dict[str, Any]:
    words = KEYWORDS[gid]
    hits = [i for i in items if all(w in i["proposition"].lower() for w in words)]
    assert len(hits) == 1, (gid, [i["proposition"] for i in items])
    return hits[0]


@pytest.mark.parametrize("gid", ["C1", "C2", "C3", "C4"])
def test_gold_contested_proposition_with_its_voices(
    contested: list[dict[str, Any]], gid: str
) -> None:
    item = find(contested, gid)
    g = next(x for x in gold() if x["id"] == gid)
    for side in ("affirm", "deny"):
        names = [v["name"] for v in item[side]]
        for voice in g[side]:
            assert any(voice_matches(n, voice) for n in names), (gid, side, voice, names)
    # the sentences that put them there, with offsets into the article
    text = (SEED / "000_57d7b0572d853387.txt").read_text("utf-8")
    for st in item["statements"]:
        assert text[st["start"] : st["end"]].strip() == st["text"]


def test_at_most_two_other_contested_items(contested: list[dict[str, Any]]) -> None:
    matched = {id(find(contested, gid)) for gid in KEYWORDS}
    assert len(contested) - len(matched) <= 2, [i["proposition"] for i in contested]
