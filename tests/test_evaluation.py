"""The scorers are what the rules are tuned against, so their numbers are checked by hand."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import pytest

from claimgraph.errors import EvaluationDataError
from claimgraph.evaluation import (
    diagnose,
    evaluate,
    gold_as_predictions,
    load_gold,
    parse_ann,
    score,
    score_seed,
)
from claimgraph.evaluation.polnear import GoldDocument
from claimgraph.evaluation.seed import channel_matches, country_code, speaker_matches
from claimgraph.model import Actor, Attribution, Document, Extraction, Section, TextSpan

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
POLNEAR_DEV = SHARED / "eval" / "polnear" / "dev"
EXAMPLE = SHARED / "examples" / "000_57d7b0572d853387.txt"
EXAMPLE_GOLD = SHARED / "examples" / "000_57d7b0572d853387.gold.json"

needs_dev = pytest.mark.skipif(
    not POLNEAR_DEV.is_dir(), reason=f"PolNeAR dev split not found at {POLNEAR_DEV}"
)
needs_example = pytest.mark.skipif(
    not EXAMPLE_GOLD.is_file(), reason=f"seed gold not found at {EXAMPLE_GOLD}"
)


def ts(text: str, s: int, e: int, frags: tuple[tuple[int, int], ...] | None = None) -> TextSpan:
    return TextSpan(s, e, text[s:e], frags)


def att(
    text: str,
    aid: str,
    cue: tuple[int, int],
    content: tuple[int, int],
    source: tuple[int, int] | None = None,
    **kw: Any,
) -> Attribution:
    return Attribution(
        id=aid,
        cue=ts(text, *cue),
        content=ts(text, *content),
        source=ts(text, *source) if source else None,
        **kw,
    )


# "Bob said rain falls. Ann thinks sun shines."
#  0   4    9   13   19  21  25     32  36    42
TEXT_A = "Bob said rain falls. Ann thinks sun shines."
ANN_A = (
    "T1\tSource 0 3\tBob\n"
    "T2\tCue 4 8\tsaid\n"
    "T3\tContent 9 19\train falls\n"
    "E1\tAttribution:T4 Cue:T2 Source:T1 Content:T3\n"  # T4 comes later
    "T4\tAttribution 4 8\tsaid\n"
    "T5\tCue 25 31\tthinks\n"
    "T6\tContent 32 35;36 42\tsun shines\n"
    "T8\tAttribution-no-source 25 31\tthinks\n"
    "E2\tAttribution-no-source:T8 Cue:T5 Content:T6\n"
    "T9\tDiscuss 0 20\tBob said rain falls.\n"
)


def gold_a() -> dict[str, GoldDocument]:
    return {"a": parse_ann("a", TEXT_A, ANN_A)}


def test_parse_ann_fragments_no_source_and_forward_reference() -> None:
    doc = gold_a()["a"]
    assert [a.id for a in doc.attributions] == ["E1", "E2"]
    e1, e2 = doc.attributions
    assert (e1.source, e1.cue, e1.content) == (((0, 3),), ((4, 8),), ((9, 19),))
    assert e2.label == "Attribution-no-source"
    assert e2.source == ()
    assert e2.content == ((32, 35), (36, 42))
    assert doc.mismatches == []


def test_parse_ann_content2_joins_fragments() -> None:
    text = "Sun she said is hot."
    ann = (
        "T1\tContent 0 3\tSun\nT2\tSource 4 7\tshe\nT3\tCue 8 12\tsaid\n"
        "T4\tContent 13 19\tis hot\nT5\tAttribution 8 12\tsaid\n"
        "E1\tAttribution:T5 Source:T2 Cue:T3 Content:T1 Content2:T4\n"
    )
    gold = {"b": parse_ann("b", text, ann)}
    assert gold["b"].attributions[0].content == ((0, 3), (13, 19))
    # A predicted span with the same fragments is an exact match.
    pred = att(text, "p", (8, 12), (0, 19), (4, 7))
    pred = Attribution(
        id="p", cue=pred.cue, source=pred.source, content=ts(text, 0, 19, ((0, 3), (13, 19)))
    )
    r = score(gold, {"b": [pred]})
    assert r.exact["content"].tp == 1
    assert r.char["content"].f1 == 1.0
    assert r.relation.f1 == 1.0


def test_mismatched_span_text_is_counted_not_fatal() -> None:
    ann = "T1\tCue 4 8\tsays\nT2\tContent 9 19\train\nfalls\nT3\tAttribution 4 8\tsaid\n"
    ann += "E1\tAttribution:T3 Cue:T1 Content:T2\n"
    doc = parse_ann("a", TEXT_A, ann)
    # T2's text runs on over a newline (brat writes it verbatim) and still differs;
    # T1's "says" is not "said".
    assert [m.tid for m in doc.mismatches] == ["T1", "T2"]
    assert len(doc.attributions) == 1


def test_undefined_reference_is_a_data_error() -> None:
    with pytest.raises(EvaluationDataError, match="T9"):
        parse_ann("a", TEXT_A, "T1\tCue 4 8\tsaid\nE1\tAttribution:T9 Cue:T1\n")


def test_scores_by_hand() -> None:
    preds = {
        "a": [
            # trailing space on the source: same characters, same exact span once trimmed
            att(TEXT_A, "P1", cue=(4, 8), content=(9, 20), source=(0, 4)),
            # cue "Ann" does not overlap gold cue "thinks": no relation match
            att(TEXT_A, "P2", cue=(21, 24), content=(25, 42)),
        ]
    }
    r = score(gold_a(), preds)
    # source chars: gold {0,1,2}; pred {0,1,2} (the space at 3 is not counted)
    assert (r.char["source"].tp, r.char["source"].fp, r.char["source"].fn) == (3, 0, 0)
    # cue chars: gold said(4) + thinks(6) = 10; pred said(4) + Ann(3)
    assert (r.char["cue"].tp, r.char["cue"].fp, r.char["cue"].fn) == (4, 3, 6)
    assert r.char["cue"].precision == pytest.approx(4 / 7)
    assert r.char["cue"].recall == pytest.approx(4 / 10)
    assert r.char["cue"].f1 == pytest.approx(2 * (4 / 7) * 0.4 / (4 / 7 + 0.4))
    # content chars: gold 9 + 9 = 18; pred "rain falls." 10 + "thinks sun shines" 15
    assert (r.char["content"].tp, r.char["content"].fp, r.char["content"].fn) == (18, 7, 0)
    # exact spans
    assert (r.exact["source"].tp, r.exact["source"].fp, r.exact["source"].fn) == (1, 0, 0)
    assert (r.exact["cue"].tp, r.exact["cue"].fp, r.exact["cue"].fn) == (1, 1, 1)
    assert (r.exact["content"].tp, r.exact["content"].fp, r.exact["content"].fn) == (0, 2, 2)
    # relations: P1~E1 (Dice 18/19), P2 unmatched, E2 missed
    assert (r.relation.tp, r.relation.fp, r.relation.fn) == (1, 1, 1)
    assert r.source_agree == 1
    assert r.source_agreement == 1.0
    assert r.per_document["a"].matches[0].dice == pytest.approx(18 / 19)
    assert (r.gold_attributions, r.pred_attributions, r.documents) == (2, 2, 1)

    d = diagnose(r, "a.txt")
    assert [m["id"] for m in d.missed] == ["E2"]
    assert d.missed[0]["content"] == "sun … shines"
    assert d.missed[0]["nearest"]["id"] == "P2"
    assert d.missed[0]["nearest"]["cue_overlap"] is False
    assert [s["cue"] for s in d.spurious] == ["Ann"]
    assert "MISS [E2]" in d.format()

    table = r.format_table()
    assert "relation  P 0.500  R 0.500  F1 0.500" in table
    assert "source agreement among matches  1.000" in table
    json.dumps(r.to_dict())


# "Al said abcd." / "Al said abcdefghij."
TEXT_D = "Al said abcdefghij."


def _one(content: tuple[int, int], *, cue: tuple[int, int] = (3, 7)) -> str:
    return (
        f"T1\tCue {cue[0]} {cue[1]}\tx\nT2\tContent {content[0]} {content[1]}\tx\n"
        f"T3\tAttribution {cue[0]} {cue[1]}\tx\nE1\tAttribution-no-source:T3 Cue:T1 Content:T2\n"
    )


def test_dice_threshold_is_inclusive() -> None:
    pred = {"d": [att(TEXT_D, "p", (3, 7), (8, 9))]}  # "a"
    at_half = score({"d": parse_ann("d", TEXT_D, _one((8, 11)))}, pred)  # "abc": 2*1/4
    assert at_half.relation.tp == 1
    assert at_half.per_document["d"].matches[0].dice == 0.5
    below = score({"d": parse_ann("d", TEXT_D, _one((8, 12)))}, pred)  # "abcd": 2*1/5
    assert (below.relation.tp, below.relation.fp, below.relation.fn) == (0, 1, 1)


def test_cue_must_share_a_character() -> None:
    pred = {"d": [att(TEXT_D, "p", (0, 4), (8, 18))]}  # "Al s" shares only index 3
    r = score({"d": parse_ann("d", TEXT_D, _one((8, 18), cue=(3, 7)))}, pred)
    assert r.relation.tp == 1
    pred = {"d": [att(TEXT_D, "p", (0, 3), (8, 18))]}  # adjacent (end exclusive): no
    r = score({"d": parse_ann("d", TEXT_D, _one((8, 18), cue=(3, 7)))}, pred)
    assert r.relation.tp == 0


def test_greedy_one_to_one_by_dice() -> None:
    ann = (
        "T1\tCue 3 7\tsaid\nT2\tContent 8 18\tabcdefghij\nT3\tContent 8 13\tabcde\n"
        "T4\tAttribution 3 7\tsaid\nT5\tAttribution 3 7\tsaid\n"
        "E1\tAttribution-no-source:T4 Cue:T1 Content:T2\n"
        "E2\tAttribution-no-source:T5 Cue:T1 Content:T3\n"
    )
    gold = {"d": parse_ann("d", TEXT_D, ann)}
    # Pa~E1 18/19 and Pa~E2 10/14; Pb~E1 10/15, Pb~E2 0. Greedy takes Pa~E1 first,
    # leaving Pb and E2 unpaired (an optimal matching would pair both).
    preds = {
        "d": [
            att(TEXT_D, "Pa", (3, 7), (8, 17)),
            att(TEXT_D, "Pb", (3, 7), (13, 18)),
        ]
    }
    r = score(gold, preds)
    assert (r.relation.tp, r.relation.fp, r.relation.fn) == (1, 1, 1)
    (m,) = r.per_document["d"].matches
    assert (m.gold, m.pred) == (0, 0)
    assert m.dice == pytest.approx(18 / 19)
    # Sources: both absent counts as agreement.
    assert r.source_agree == 1
    # One prediction cannot satisfy two gold relations.
    r = score(gold, {"d": [att(TEXT_D, "Pa", (3, 7), (8, 18))]})
    assert (r.relation.tp, r.relation.fp, r.relation.fn) == (1, 0, 1)


def test_source_disagreement_when_one_side_missing() -> None:
    pred = {"a": [att(TEXT_A, "P1", (4, 8), (9, 19))]}  # no source, gold has "Bob"
    r = score(gold_a(), pred)
    assert r.relation.tp == 1
    assert r.source_agree == 0
    assert r.source_agreement == 0.0


def test_whitespace_only_spans_count_for_nothing() -> None:
    # A cue of one space and a content of one space: no characters, no exact span.
    pred = {"a": [att(TEXT_A, "P", (3, 4), (8, 9))]}
    r = score(gold_a(), pred)
    assert r.char["cue"].fp == 0
    assert r.char["content"].fp == 0
    assert r.exact["cue"].fp == 0
    assert r.exact["content"].fp == 0
    assert r.relation.tp == 0  # cue " " overlaps no gold cue


def test_gold_against_itself_is_perfect() -> None:
    gold = gold_a()
    r = score(gold, gold_as_predictions(gold))
    for role in ("source", "cue", "content"):
        assert r.char[role].f1 == 1.0
        assert r.exact[role].f1 == 1.0
    assert r.relation.f1 == 1.0
    assert r.source_agreement == 1.0


def test_predictions_for_unknown_documents_are_rejected() -> None:
    with pytest.raises(EvaluationDataError):
        score(gold_a(), {"zzz": []})


class GoldExtractor:
    """Stands in for the pipeline: answers with the gold, to test plumbing only."""

    def __init__(self, gold: dict[str, GoldDocument]) -> None:
        self.preds = gold_as_predictions(gold)
        self.seen: list[Document] = []

    def extract_many(self, docs: Iterable[Document]) -> Iterator[Extraction]:
        for d in docs:
            self.seen.append(d)
            yield Extraction(document=d, attributions=self.preds[d.name.removesuffix(".txt")])


def _write_split(root: Path) -> None:
    (root / "text").mkdir(parents=True)
    (root / "attributions").mkdir()
    # CRLF must survive: offsets count the \r.
    text = "Intro.\r\n" + TEXT_A
    (root / "text" / "my_doc_x.txt").write_bytes(text.encode("utf-8"))
    shifted = "".join(
        f"T{i}\t{label} {s + 8} {e + 8}\t{text[s + 8 : e + 8]}\n"
        for i, (label, s, e) in enumerate(
            [("Cue", 4, 8), ("Content", 9, 19), ("Attribution", 4, 8)], 1
        )
    )
    shifted += "E1\tAttribution-no-source:T3 Cue:T1 Content:T2\n"
    (root / "attributions" / "my_doc_x_aaaa.ann").write_text(shifted, encoding="utf-8")
    # A second annotator, later in sort order, with nothing annotated: must be ignored.
    (root / "attributions" / "my_doc_x_bbbb.ann").write_text("", encoding="utf-8")


def test_load_gold_picks_first_annotator_and_keeps_crlf(tmp_path: Path) -> None:
    _write_split(tmp_path)
    gold = load_gold(tmp_path)
    assert list(gold) == ["my_doc_x"]
    g = gold["my_doc_x"]
    assert g.ann_file == "my_doc_x_aaaa.ann"
    assert g.text.startswith("Intro.\r\n")
    assert g.mismatches == []
    assert g.attributions[0].cue == ((12, 16),)


def test_evaluate_accepts_any_extract_many(tmp_path: Path) -> None:
    _write_split(tmp_path)
    ext = GoldExtractor(load_gold(tmp_path))
    calls: list[tuple[int, int]] = []
    r = evaluate(tmp_path, ext, progress=lambda done, total: calls.append((done, total)))
    assert [d.name for d in ext.seen] == ["my_doc_x.txt"]
    assert ext.seen[0].text == (tmp_path / "text" / "my_doc_x.txt").read_bytes().decode()
    assert calls == [(1, 1)]
    assert r.relation.f1 == 1.0


def test_load_gold_rejects_wrong_layout(tmp_path: Path) -> None:
    with pytest.raises(EvaluationDataError):
        load_gold(tmp_path)


@needs_dev
@pytest.mark.shared
def test_real_dev_split_loads_cleanly() -> None:
    gold = load_gold(POLNEAR_DEV)
    assert len(gold) == 84
    assert sum(len(d.attributions) for d in gold.values()) == 2193
    # Every single-fragment T text equals the article text at its offsets.
    assert sum(len(d.mismatches) for d in gold.values()) == 0
    first = gold["breitbart_2016-09-12_stealth-over-health-hillary-clin"]
    e1 = first.attributions[0]
    assert first.text[e1.source[0][0] : e1.source[0][1]] == "The New York Post"
    assert first.text[e1.cue[0][0] : e1.cue[0][1]] == "reports"
    # Multi-annotator articles: the first file in sorted order is the gold.
    for name, d in gold.items():
        anns = sorted((POLNEAR_DEV / "attributions").glob(f"{name}_*.ann"))
        assert d.ann_file == anns[0].name


@needs_dev
@pytest.mark.shared
def test_real_dev_gold_against_itself_is_perfect() -> None:
    gold = load_gold(POLNEAR_DEV)
    r = evaluate(POLNEAR_DEV, GoldExtractor(gold), limit=None)
    for role in ("source", "cue", "content"):
        assert r.char[role].f1 == 1.0
        assert r.exact[role].f1 == 1.0
    assert r.relation.f1 == 1.0
    assert r.source_agreement == 1.0
    assert r.documents == 84


# ------------------------------------------------------------------ seed


def test_country_code_is_strict() -> None:
    assert country_code("Iran") == "IRN"
    assert country_code("Russia") == "RUS"
    assert country_code("Ukraine") == "UKR"
    assert country_code("EU") is None
    assert country_code("Hossein Amirabdollahian") is None


def test_speaker_and_channel_rules() -> None:
    iran = Actor("a1", "Islamic Republic of Iran", "state", country="IRN")
    officials = Actor("a2", "two senior Iranian officials", "group")
    person = Actor("a3", "Hossein Amirabdollahian", "person", country="IRN")
    irna = Actor("a4", "IRNA news agency", "media")
    assert speaker_matches("Iran", iran)
    assert not speaker_matches("Iran", person)  # a person of Iran is not Iran
    assert speaker_matches("Iranian officials (unnamed)", officials)
    assert not speaker_matches("Iranian officials (unnamed)", iran)
    assert speaker_matches("hossein amirabdollahian", person)
    assert not speaker_matches("Amirabdollahian", person)
    assert not speaker_matches("Iran", None)
    assert channel_matches("IRNA", irna)
    assert channel_matches(None, None)
    assert not channel_matches(None, irna)
    assert not channel_matches("IRNA", None)
    assert not channel_matches("IRN", irna)


SEED_TEXT = "Iran denies it. Iran said no.\n\nRelated posts\nUkraine says yes."
#            0    5      12 16   21   26   31             45      53   58


def _seed_gold() -> dict[str, Any]:
    return {
        "document": "seed.txt",
        "sections": {"headline": [0, 15], "body": [16, 29], "related": [31, 62]},
        "attributions": [
            {"id": "A1", "source": [0, 4], "cue": [5, 11], "content": [12, 14],
             "speaker": "Iran", "channel": None, "stance": "deny", "kind": "indirect"},
            {"id": "A2", "source": [16, 20], "cue": [21, 25], "content": [26, 28],
             "speaker": "Iran", "channel": "IRNA", "stance": "deny", "kind": "indirect"},
        ],
    }  # fmt: skip


def test_score_seed_by_hand() -> None:
    t = SEED_TEXT
    iran = Actor("s1", "Iran", "state", country="IRN")
    ext = Extraction(
        document=Document("seed.txt", t),
        sections=[Section("headline", 0, 16), Section("body", 16, 29)],
        actors=[iran],
        attributions=[
            att(t, "p1", (5, 11), (12, 14), (0, 4), speaker="s1", stance="deny"),
            att(t, "p2", (21, 25), (26, 28), (16, 20), speaker="s1", stance="affirm"),
            att(t, "p3", (53, 57), (58, 61), (45, 52)),  # inside "related"
        ],
    )
    r = score_seed(ext, _seed_gold())
    a1, a2 = r.rows
    assert (a1.found, a1.speaker_ok, a1.channel_ok, a1.stance_ok, a1.kind_ok) == (
        True, True, True, True, True,
    )  # fmt: skip
    assert (a2.found, a2.speaker_ok, a2.channel_ok, a2.stance_ok) == (True, True, False, False)
    assert a2.pred_speaker == "Iran"
    assert r.totals() == {
        "gold": 2, "found": 2, "speaker_ok": 2, "channel_ok": 1, "stance_ok": 1,
        "kind_ok": 2, "spurious": 1, "in_related": 1,
    }  # fmt: skip
    assert [s["id"] for s in r.spurious] == ["p3"]
    assert [s["id"] for s in r.related] == ["p3"]
    # headline 0-16 ends in a space: trimmed, it equals the gold 0-15.
    assert r.sections["headline"].ok
    assert r.sections["body"].ok
    assert not r.sections["related"].ok
    assert not r.sections_ok
    table = r.format_table()
    assert "found 2/2  speaker 2/2  channel 1/2  stance 1/2" in table
    assert "RELATED [p3]" in table
    json.dumps(r.to_dict())


def _gold_extraction(gold: dict[str, Any], text: str) -> Extraction:
    """The seed gold turned into an extraction, as a perfect extractor would produce it."""
    actors: dict[str, Actor] = {}

    def actor(name: str | None) -> str | None:
        if name is None:
            return None
        if name not in actors:
            code = country_code(name)
            kind = "state" if code else "group" if name.endswith("(unnamed)") else "person"
            label = name.removesuffix(" (unnamed)") if kind == "group" else name
            actors[name] = Actor(f"x{len(actors)}", label, kind, country=code)
        return actors[name].id

    atts = [
        Attribution(
            id=a["id"],
            cue=ts(text, *a["cue"]),
            content=ts(text, *a["content"]),
            source=ts(text, *a["source"]) if a["source"] else None,
            speaker=actor(a["speaker"]),
            channel=actor(a["channel"]),
            stance=a["stance"],
            kind=a["kind"],
        )
        for a in gold["attributions"]
    ]
    sections = [Section(k, s, e) for k, (s, e) in gold["sections"].items()]
    return Extraction(
        document=Document("x", text), sections=sections, actors=list(actors.values()),
        attributions=atts,
    )  # fmt: skip


@needs_example
@pytest.mark.shared
def test_seed_gold_against_itself_is_perfect() -> None:
    gold = json.loads(EXAMPLE_GOLD.read_text(encoding="utf-8"))
    text = EXAMPLE.read_bytes().decode("utf-8")
    r = score_seed(_gold_extraction(gold, text), gold)
    t = r.totals()
    assert t["gold"] == 15
    assert t["found"] == t["speaker_ok"] == t["channel_ok"] == t["stance_ok"] == 15
    assert t["kind_ok"] == 15
    assert t["spurious"] == t["in_related"] == 0
    assert r.sections_ok
    for row in r.rows:
        assert text[slice(*next(a for a in gold["attributions"] if a["id"] == row.id)["cue"])] == (
            row.cue
        )
