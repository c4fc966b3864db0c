"""Acceptance: the real Reuters report in ../shared/examples against its hand-made gold.

Runs the command users run (``claimgraph extract --format jsonl --published ...``) and
scores its JSON output, so the contract and the extraction are checked together.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from claimgraph.evaluation.seed import load_seed, score_seed
from claimgraph.ingest import read_document
from claimgraph.model import Actor, Attribution, Document, Extraction, Section, TextSpan

pytestmark = pytest.mark.shared

SEED = "000_57d7b0572d853387"


@pytest.fixture(scope="module")
def seed_output() -> tuple[dict[str, Any], str, dict[str, Any]]:
    shared = Path(__file__).resolve().parents[1].parent / "shared" / "examples"
    if not shared.is_dir():
        pytest.skip(f"../shared not found: {shared}")
    text_path = shared / f"{SEED}.txt"
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "claimgraph",
            "extract",
            "--format",
            "jsonl",
            "--published",
            "2022-11-05",
            str(text_path),
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    lines = proc.stdout.splitlines()
    assert len(lines) == 1
    text = read_document(text_path).text
    return json.loads(lines[0]), text, load_seed(shared / f"{SEED}.gold.json")


def _extraction(out: dict[str, Any], text: str) -> Extraction:
    """Rebuild records from the JSON so the seed scorer judges what users receive."""
    doc = Document(name=out["document"], text=text, published=out["published"])
    actors = [Actor(a["id"], a["name"], a["type"], a["country"], a["role"]) for a in out["actors"]]
    atts = [
        Attribution(
            id=a["id"],
            cue=TextSpan.from_dict(a["cue"]),
            content=TextSpan.from_dict(a["content"]),
            source=TextSpan.from_dict(a["source"]) if a["source"] else None,
            speaker=a["speaker"],
            channel=a["channel"],
            kind=a["kind"],
            stance=a["stance"],
        )
        for a in out["attributions"]
    ]
    sections = [Section(s["kind"], s["start"], s["end"]) for s in out["sections"]]
    return Extraction(document=doc, sections=sections, actors=actors, attributions=atts)


def test_contract_fields_and_exact_offsets(seed_output: Any) -> None:
    out, text, _gold = seed_output
    assert out["published"] == "2022-11-05"
    assert {"document", "published", "sections", "actors", "attributions", "events", "claims"} <= (
        out.keys()
    )
    for att in out["attributions"]:
        for role in ("source", "cue", "content"):
            span = att[role]
            if span is not None:
                assert text[span["start"] : span["end"]] == span["text"]
        ids = {a["id"] for a in out["actors"]}
        assert att["speaker"] is None or att["speaker"] in ids


def test_finds_the_gold_attributions_with_their_speakers(seed_output: Any) -> None:
    out, text, gold = seed_output
    report = score_seed(_extraction(out, text), gold)
    totals = report.totals()
    # the issue asks for 14 of 15 found with the gold speaker; we hold the line at 15
    assert totals["found"] == 15, report.format_table()
    assert totals["speaker_ok"] == 15, report.format_table()
    assert totals["channel_ok"] == 15, report.format_table()


def test_irna_relays_a6_and_a11(seed_output: Any) -> None:
    out, text, gold = seed_output
    report = score_seed(_extraction(out, text), gold)
    rows = {r.id: r for r in report.rows}
    for aid in ("A6", "A11"):
        assert rows[aid].found and rows[aid].channel_ok, report.format_table()
        assert "IRNA" in (rows[aid].pred_channel or "")


def test_nothing_from_the_related_posts(seed_output: Any) -> None:
    out, _text, gold = seed_output
    related = [s for s in out["sections"] if s["kind"] == "related"]
    assert [(s["start"], s["end"]) for s in related] == [tuple(gold["sections"]["related"])]
    start = related[0]["start"]
    for att in out["attributions"]:
        assert att["cue"]["start"] < start and att["content"]["end"] <= start
    for actor in out["actors"]:
        assert all(m["start"] < start for m in actor["mentions"])


def test_speakers_are_typed_actors(seed_output: Any) -> None:
    out, _text, _gold = seed_output
    by_name = {a["name"]: a for a in out["actors"]}
    assert by_name["Iran"]["type"] == "state" and by_name["Iran"]["country"] == "IRN"
    fm = by_name["Hossein Amirabdollahian"]
    assert fm["type"] == "person" and fm["country"] == "IRN" and fm["role"] == "foreign minister"
    assert by_name["IRNA"]["type"] == "media"
    officials = [a for a in out["actors"] if a["type"] == "group" and a["country"] == "IRN"]
    assert any("officials" in a["name"] for a in officials)


def test_nikolenko_is_the_ukrainian_foreign_ministry_spokesperson(seed_output: Any) -> None:
    out, _text, _gold = seed_output
    [oleg] = [a for a in out["actors"] if a["name"] == "Oleg Nikolenko"]
    assert (oleg["type"], oleg["role"], oleg["affiliation"], oleg["country"]) == (
        "person",
        "spokesperson",
        "Ukrainian Foreign Ministry",
        "UKR",
    )
    assert oleg["sector"] == "GOV"
