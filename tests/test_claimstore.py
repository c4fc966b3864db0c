"""Claims in the store, on SQLite and PostgreSQL: threads across articles, wire copies
counted once, contested claims with both sides, claims by and about an actor,
timelines, and consistency when documents come and go."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from claimgraph.cli import main
from claimgraph.model import Document, Extraction
from claimgraph.pipeline import Extractor
from claimgraph.store import Store, open_store

# Three short reports in this project's own words; the second republishes the first.
KYIV = (
    "Kyiv says Tehran sent hundreds of drones\n\n"
    "KYIV, Oct 18 - Ukraine's foreign minister Dmytro Kuleba said on Tuesday that Iran had "
    "supplied hundreds of drones to Russia after Moscow invaded Ukraine on Feb. 24.\n\n"
    "Iran denied that it had supplied drones to Russia. The Kremlin did not comment.\n\n"
    "The air force said it shot down most of the drones overnight."
)
REPUBLISHED = KYIV.replace("Kyiv says Tehran sent", "Ukraine: Iran shipped") + (
    "\n\n(Reporting by a staff writer)"
)
TEHRAN = (
    "Tehran admits a few drones went to Moscow before the war\n\n"
    "TEHRAN, Nov 5 - Iranian Foreign Minister Hossein Amirabdollahian said on Saturday that "
    "Iran had supplied a small number of drones to Russia before the war in Ukraine.\n\n"
    "He denied that Iran was still supplying drones to Moscow."
)


@pytest.fixture(scope="module")
def extractions() -> list[Extraction]:
    extractor = Extractor()
    docs = [
        Document(name="kyiv.txt", text=KYIV, outlet="North Wire", published="2022-10-18"),
        Document(name="copy.txt", text=REPUBLISHED, outlet="Harbour Times", published="2022-10-19"),
        Document(name="tehran.txt", text=TEHRAN, outlet="Gulf Ledger", published="2022-11-05"),
    ]
    return list(extractor.extract_many(docs))


@pytest.fixture
def store(store_url: str, extractions: list[Extraction]) -> Iterator[Store]:
    with open_store(store_url) as s:
        for x in extractions:
            assert s.save(x)
        yield s


DRONES = "Iran supplied drone to Russia"


def test_one_thread_across_articles_with_republished_copies_counted_once(store: Store) -> None:
    (thread,) = [t for t in store.threads() if t.proposition == DRONES]
    assert (thread.documents, thread.sources) == (3, 2)
    assert (thread.first_seen, thread.last_seen) == ("2022-10-18", "2022-11-05")
    full = store.thread(thread.id)
    assert full is not None
    assert {s.document_name for s in full.statements} == {"kyiv.txt", "copy.txt", "tehran.txt"}
    groups = store.document_groups()
    assert len(set(groups.values())) == 2


def test_contested_claims_name_both_sides_with_their_sentences(store: Store) -> None:
    contested = {(c.proposition, c.kind): c for c in store.contested()}
    polarity = contested[(DRONES, "polarity")]
    assert [v.name for v in polarity.deny] == ["Iran"]
    assert {v.name for v in polarity.affirm} >= {"Dmytro Kuleba", "Hossein Amirabdollahian"}
    iran = polarity.deny[0]
    assert (iran.id, iran.type, iran.country) == ("state:IRN", "state", "IRN")
    denial = next(s for s in polarity.statements if s.side == "deny")
    doc = store.get_document(denial.document)
    assert doc is not None
    assert doc.text[denial.start : denial.end] == denial.text
    assert "Iran denied" in denial.text
    # "before the war" against "after Moscow invaded": a dispute about when
    timing = contested[(DRONES, "time")]
    assert [v.name for v in timing.affirm] == ["Hossein Amirabdollahian"]
    assert [v.name for v in timing.deny] == ["Dmytro Kuleba"]
    # "a small number" against "hundreds": a dispute about how many
    size = contested[(DRONES, "quantity")]
    assert [v.name for v in size.affirm] == ["Hossein Amirabdollahian"]
    assert store.count_contested() == len(contested)


def test_claims_by_and_about_an_actor(store: Store) -> None:
    by_iran = store.claims(by="state:IRN")
    assert by_iran and {c.voice.name for c in by_iran} == {"Iran"}
    assert {c.side for c in by_iran} == {"deny"}
    about_russia = store.claims(about="Russia")
    assert any(c.proposition == DRONES for c in about_russia)
    assert all(c.thread for c in about_russia)
    assert len(store.claims(limit=2)) == 2
    assert store.claims(limit=2, offset=1)[0].claim == store.claims(limit=3)[1].claim


def test_timeline_puts_claims_and_events_in_time_order(store: Store) -> None:
    items = store.timeline(actor="person:hossein amirabdollahian")
    assert items and all(i.kind == "claim" for i in items)
    assert {i.date for i in items} == {"2022-11-05"}
    iran = store.timeline(actor="state:IRN")
    dates = [i.date for i in iran if i.date]
    assert dates == sorted(dates)
    assert {i.kind for i in iran} == {"claim", "event"}
    with pytest.raises(ValueError, match="actor or a thread"):
        store.timeline()


def test_threads_follow_the_documents(store: Store, extractions: list[Extraction]) -> None:
    before = store.count_contested()
    assert store.delete_document(extractions[2].document.id)
    # the Tehran article took the time and quantity disputes with it
    kinds = {c.kind for c in store.contested()}
    assert kinds == {"polarity"}
    assert store.count_contested() < before
    assert store.save(extractions[2])
    assert not store.save(extractions[2])  # stored once, whatever happens
    assert store.count_contested() == before


def test_cli_contested_json_contract(tmp_path: Path, extractions: list[Extraction]) -> None:
    db = tmp_path / "c.db"
    with open_store(db) as s:
        for x in extractions:
            s.save(x)
    result = CliRunner().invoke(main, ["contested", "--db", str(db), "--format", "json"])
    assert result.exit_code == 0, result.output
    items = json.loads(result.output)
    assert items
    for item in items:
        assert set(item) >= {"proposition", "affirm", "deny", "statements", "kind", "thread"}
        for voice in item["affirm"] + item["deny"]:
            assert set(voice) == {"id", "name", "type", "country"}
        for st in item["statements"]:
            assert {"document", "start", "end", "text", "voice", "side"} <= set(st)
    text = CliRunner().invoke(main, ["contested", "--db", str(db)])
    assert "Iran supplied drone to Russia" in text.output and "deny: Iran" in text.output
    threads = CliRunner().invoke(main, ["threads", "--db", str(db), "--contested"])
    assert "contested" in threads.output
    timeline = CliRunner().invoke(main, ["timeline", "Amirabdollahian", "--db", str(db)])
    assert timeline.exit_code == 0 and "2022-11-05" in timeline.output
    missing = CliRunner().invoke(main, ["timeline", "Nobody At All", "--db", str(db)])
    assert missing.exit_code == 1 and "no actor or thread matches" in missing.output
    claims = CliRunner().invoke(
        main, ["claims", "--db", str(db), "--by", "Iran", "--format", "jsonl"]
    )
    lines = [json.loads(x) for x in claims.output.splitlines()]
    assert lines and all(x["voice"]["name"] == "Iran" for x in lines)


def test_statement_offsets_match_their_text(store: Store) -> None:
    for item in store.contested():
        for st in item.statements:
            doc = store.get_document(st.document)
            assert doc is not None
            assert doc.text[st.start : st.end] == st.text


def test_like_wildcards_are_literal(store: Store) -> None:
    assert store.claims(by="%") == []
    assert store.contested(about="_") == []
    assert store.count_contested(about="_") == 0
    assert store.count_claims(by="Iran") == len(store.claims(by="Iran")) > 0


def test_a_change_with_the_same_counts_still_rebuilds(
    store: Store, extractions: list[Extraction]
) -> None:
    """Delete one article and store another with as many claims: counts alone would
    call the old threads current."""
    store.ensure_threads()
    assert store.threads_current()
    assert store.delete_document(extractions[1].document.id)
    assert not store.threads_current()
    assert store.save(extractions[1])
    assert not store.threads_current()
    store.ensure_threads()
    assert store.threads_current()
    assert all(c.thread for c in store.claims())


def test_a_current_build_is_skipped_unless_forced(store: Store) -> None:
    store.ensure_threads()
    assert store.contested()
    # derived rows lost behind the store's back: a build of a current store does no
    # work, so they stay lost; a forced one rebuilds them from the claims
    store._execute("DELETE FROM contests")
    store.build_threads()
    assert store.count_contested() == 0
    store.build_threads(force=True)
    assert store.contested() and store.threads_current()


def test_samples_for_near_duplicates_are_kept_from_save_to_delete(
    store: Store, extractions: list[Extraction]
) -> None:
    def sampled() -> set[str]:
        return {r[0] for r in store._execute("SELECT document_id FROM document_shingles")}

    ids = {x.document.id for x in extractions}
    assert sampled() == ids
    # a document stored before samples were kept is sampled at the next build, and the
    # wire story and its copy are still one story
    copy = extractions[1].document.id
    store._execute("DELETE FROM document_shingles WHERE document_id = ?", (copy,))
    store.build_threads(force=True)
    assert sampled() == ids
    groups = store.document_groups()
    assert groups[copy] == groups[extractions[0].document.id]
    assert store.delete_document(copy)
    assert sampled() == ids - {copy}
    # a sample taken another way (an older n-gram size or rate) is taken again
    first = extractions[0].document.id
    store._execute(
        "UPDATE document_shingles SET sample = ? WHERE document_id = ?", ("n4/s2 1 2 3", first)
    )
    store.build_threads(force=True)
    (sample,) = store._execute(
        "SELECT sample FROM document_shingles WHERE document_id = ?", (first,)
    ).fetchone()
    assert sample.startswith("n5/s4 ") and len(sample.split()) > 4


def test_readers_after_an_ingest_build_the_threads_once(
    store_url: str, extractions: list[Extraction]
) -> None:
    """Several connections asking at once (as the web server's threads do) all get
    answers; builds queue behind each other instead of colliding."""
    import threading

    errors: list[BaseException] = []
    counts: list[int] = []

    def read() -> None:
        try:
            with open_store(store_url) as s:
                counts.append(len(s.contested()))
        except BaseException as exc:  # reported below, with the others
            errors.append(exc)

    for _ in range(3):
        with open_store(store_url) as first:
            first.delete_document(extractions[0].document.id)
            first.save(extractions[0])
            assert not first.threads_current()
        workers = [threading.Thread(target=read) for _ in range(4)]
        for w in workers:
            w.start()
        for w in workers:
            w.join()
    assert errors == []
    assert len(set(counts)) == 1 and counts[0] > 0
