"""Several ingests and readers at once: nothing extracted twice, no search error.

The extractor below stands in for spaCy (fast, and it leaves a mark per call in a
folder named by ``CLAIMGRAPH_TEST_CALLS`` so that calls made in worker processes
are counted too); it is module-level so spawned workers can unpickle it.
"""

from __future__ import annotations

import os
import threading
import time
import uuid
from pathlib import Path

import pytest

from claimgraph.batch import BatchProgress, IngestReport, ingest_documents
from claimgraph.model import Actor, Attribution, Document, Extraction, Section, TextSpan
from claimgraph.store import open_store

WORDS = "ferry museum river harbour valley painting council drones sanctions talks".split()


def corpus(n: int = 24) -> list[Document]:
    return [
        Document(
            name=f"doc{i:02d}.txt",
            text=f"Speaker{i} said the {WORDS[i % len(WORDS)]} story number {i} was true.",
            published=f"2024-03-{1 + i % 28:02d}",
        )
        for i in range(n)
    ]


class CountingExtractor:
    def extract(self, doc: Document) -> Extraction:
        calls = os.environ.get("CLAIMGRAPH_TEST_CALLS")
        if calls:
            (Path(calls) / f"{doc.name}.{uuid.uuid4().hex}").touch()
        time.sleep(0.03)
        first = doc.text.split()[0]
        rest = doc.text[len(first) + 1 :]
        return Extraction(
            document=doc,
            sections=[Section("body", 0, len(doc.text))],
            actors=[Actor("a1", first, "unknown", mentions=[TextSpan(0, len(first), first)])],
            attributions=[
                Attribution(
                    "q1",
                    cue=TextSpan(len(first) + 1, len(first) + 5, "said"),
                    content=TextSpan(len(first) + 6, len(doc.text), rest[5:]),
                    speaker="a1",
                )
            ],
        )


def counting_extractor() -> CountingExtractor:
    return CountingExtractor()


def calls_by_document(folder: Path) -> dict[str, int]:
    out: dict[str, int] = {}
    for mark in folder.iterdir():
        name = mark.name.rsplit(".", 1)[0]
        out[name] = out.get(name, 0) + 1
    return out


@pytest.mark.parametrize("workers", [1, 2])
def test_two_ingests_at_once_extract_each_document_once(
    store_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, workers: int
) -> None:
    calls = tmp_path / "calls"
    calls.mkdir()
    monkeypatch.setenv("CLAIMGRAPH_TEST_CALLS", str(calls))
    open_store(store_url).close()  # migrated before the race, as a server would be
    docs = corpus()
    reports: list[IngestReport] = []
    errors: list[BaseException] = []
    start = threading.Barrier(2)

    def run() -> None:
        try:
            start.wait()
            reports.append(
                ingest_documents(
                    docs, store_url, workers=workers, extractor_factory=counting_extractor
                )
            )
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=run) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    assert not errors, errors
    assert len(reports) == 2
    assert sum(r.stored for r in reports) == len(docs)
    assert sum(r.duplicates for r in reports) == len(docs)
    assert not any(r.skipped for r in reports)
    counted = calls_by_document(calls)
    assert counted == {d.name: 1 for d in docs}, "some document was extracted twice"
    with open_store(store_url) as store:
        assert store.count_documents() == len(docs)
        assert int(store._execute("SELECT COUNT(*) FROM ingest_leases").fetchone()[0]) == 0


def test_a_dead_ingests_claims_do_not_lose_documents(store_url: str) -> None:
    from claimgraph.store import IngestLease

    docs = corpus(6)
    with open_store(store_url) as store:
        dead = IngestLease("crashed", IngestLease.new().host, 2**22 + 4321)
        for d in docs[:3]:
            assert store.claim_document(d.id, dead) == "claimed"
    report = ingest_documents(docs, store_url, workers=1, extractor_factory=counting_extractor)
    assert report.stored == len(docs)


def test_a_live_ingests_claim_is_waited_for(store_url: str) -> None:
    """A document another live ingest claimed is left to it; if that ingest gives it
    up without storing it, this one extracts it after all."""
    from claimgraph.store import IngestLease

    docs = corpus(4)
    other = IngestLease.new()
    released: list[int] = []
    with open_store(store_url) as store:
        assert store.claim_document(docs[0].id, other) == "claimed"

        def give_up(progress: BatchProgress) -> None:
            # the other ingest gives up only once this one has stored all the rest,
            # so this one must have passed over the claimed document (not a race
            # against a timer)
            if progress.done == len(docs) - 1 and not released:
                with open_store(store_url) as s:
                    s.release_document(docs[0].id, other)
                released.append(progress.stored)

        report = ingest_documents(
            docs, store, workers=1, extractor_factory=counting_extractor, progress=give_up
        )
        assert released == [len(docs) - 1]
        assert report.stored == len(docs)
        assert report.documents[-1] == docs[0].id  # deferred to the end
        assert store.count_documents() == len(docs)


# -- search while others write ------------------------------------------------------


def _search_burst(url: str, n: int, until: threading.Event | None) -> list[BaseException]:
    errors: list[BaseException] = []
    start = threading.Barrier(n)

    def search() -> None:
        try:
            with open_store(url) as store:  # each with its own Store, like the web app
                start.wait()
                while True:
                    page = store.search("story")
                    assert page.method in ("fts5", "postgresql")
                    if until is None or until.is_set():
                        break
                    time.sleep(0.01)
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=search) for _ in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    return errors


def test_sixteen_searches_on_a_fresh_store(store_url: str) -> None:
    ingest_documents(corpus(8), store_url, workers=1, extractor_factory=counting_extractor)
    errors = _search_burst(store_url, 16, None)
    assert not errors, errors
    with open_store(store_url) as store:
        page = store.search("story")
        assert page.counts["document"] == 8
        if store.backend == "sqlite":
            indexed = store._execute("SELECT COUNT(*) FROM search_fts_documents").fetchone()
            assert int(indexed[0]) == 8
            kinds = store._execute(
                "SELECT kind, COUNT(*) FROM search_fts GROUP BY kind ORDER BY kind"
            ).fetchall()
            assert [tuple(k) for k in kinds] == [("document", 8), ("statement", 8)]


def test_sixteen_searches_during_an_ingest(store_url: str) -> None:
    docs = corpus(40)
    open_store(store_url).close()
    done = threading.Event()
    report: list[IngestReport] = []

    def ingest() -> None:
        try:
            report.append(
                ingest_documents(docs, store_url, workers=1, extractor_factory=counting_extractor)
            )
        finally:
            done.set()

    writer = threading.Thread(target=ingest)
    writer.start()
    errors = _search_burst(store_url, 16, done)
    writer.join(120)
    assert not errors, errors
    assert report and report[0].stored == len(docs)
    with open_store(store_url) as store:
        assert store.search("story").counts["document"] == len(docs)
