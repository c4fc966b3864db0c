"""Batch ingest: one bad document never stops a batch, and nothing is stored twice.

The extractor factories below are module-level so spawned worker processes can
unpickle them; they stand in for spaCy so these tests stay fast and test the
batch machinery rather than the NLP.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from claimgraph.batch import BatchProgress, ingest_documents, ingest_paths
from claimgraph.errors import EmptyDocumentError, InputError, ModelNotFoundError
from claimgraph.model import Actor, Attribution, Document, Extraction, Section, TextSpan
from claimgraph.store import Store, open_store

TEXTS = [
    "The harbour authority said the new ferry would start running in May.",
    "Farmers in the valley complained that the river had dried up early this year.",
    "A spokesperson for the museum denied that the painting had been sold.",
]


def documents() -> list[Document | InputError]:
    docs: list[Document | InputError] = [
        Document(name=f"doc{i}.txt", text=t, published="2024-03-0" + str(i + 1))
        for i, t in enumerate(TEXTS)
    ]
    docs.insert(1, EmptyDocumentError("empty.txt"))
    return docs


class TinyExtractor:
    """Pretends the first word is a speaker who said the rest; fails on demand."""

    def extract(self, doc: Document) -> Extraction:
        if "EXPLODE" in doc.text:
            raise ValueError("cannot parse this one")
        if "CRASH" in doc.text:
            os._exit(3)  # a worker dying outright, as on a segfault or OOM kill
        first = doc.text.split()[0]
        rest = doc.text[len(first) + 1 :]
        return Extraction(
            document=doc,
            sections=[Section("body", 0, len(doc.text))],
            actors=[Actor("a1", first, "unknown", mentions=[TextSpan(0, len(first), first)])],
            attributions=[
                Attribution(
                    "q1",
                    cue=TextSpan(0, len(first), first),
                    content=TextSpan(len(first) + 1, len(doc.text), rest),
                    speaker="a1",
                )
            ],
        )


def tiny_extractor() -> TinyExtractor:
    return TinyExtractor()


class SlowExtractor(TinyExtractor):
    """Hangs on documents that say SLOW; otherwise like TinyExtractor."""

    def extract(self, doc: Document) -> Extraction:
        if "SLOW" in doc.text:
            time.sleep(60)
        return super().extract(doc)


def slow_extractor() -> SlowExtractor:
    return SlowExtractor()


class RoleExtractor:
    """A person per document with a role that differs between documents, the first
    finishing last: filing order decides which role the entity keeps."""

    def extract(self, doc: Document) -> Extraction:
        n = int(doc.name.split(".")[0][3:])
        if n == 0:  # the other worker gets going and files the next ones first
            time.sleep(2.0)
        name = "Lovelace" if n % 3 == 2 else "Ada Lovelace"
        roles = ["minister", "mayor", "poet", "judge", "envoy"]
        return Extraction(
            document=doc,
            sections=[Section("body", 0, len(doc.text))],
            actors=[
                Actor(
                    "a1",
                    name,
                    "person",
                    role=roles[n % len(roles)],
                    mentions=[TextSpan(0, 5, doc.text[:5])],
                )
            ],
        )


def role_extractor() -> RoleExtractor:
    return RoleExtractor()


def _refuse_to_load() -> None:
    raise ValueError("this result cannot be read back")


class Unreadable:
    """Pickles in the worker, but unpickling it in the ingest raises."""

    def __reduce__(self) -> tuple[object, tuple[()]]:
        return (_refuse_to_load, ())


class UnreadableExtractor(TinyExtractor):
    """Returns a result the ingest cannot unpickle for documents that say UNREADABLE."""

    def extract(self, doc: Document) -> Extraction:
        extraction = super().extract(doc)
        if "UNREADABLE" in doc.text:
            extraction.events.append({"odd": Unreadable()})
        return extraction


def unreadable_extractor() -> UnreadableExtractor:
    return UnreadableExtractor()


def missing_model() -> TinyExtractor:
    raise ModelNotFoundError("spaCy pipeline 'xx_nothing' is not installed")


@pytest.fixture
def db(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'batch.db'}"


@pytest.mark.parametrize("workers", [1, 2])
def test_batch_stores_good_skips_bad_and_never_twice(db: str, workers: int) -> None:
    seen: list[BatchProgress] = []
    report = ingest_documents(
        documents(), db, workers=workers, extractor_factory=tiny_extractor, progress=seen.append
    )
    assert report.stored == 3
    assert report.duplicates == 0
    assert report.skipped == [("empty.txt", EmptyDocumentError.reason)]
    assert sorted(report.documents) == sorted(Document("x", t).id for t in TEXTS)
    assert seen[0].done == 0 and seen[0].total == 4
    last = seen[-1]
    assert (last.done, last.total, last.stored, last.skipped) == (4, 4, 3, 1)
    assert [p.done for p in seen] == list(range(5))

    again = ingest_documents(documents(), db, workers=workers, extractor_factory=tiny_extractor)
    assert (again.stored, again.duplicates, again.documents) == (0, 3, [])
    with open_store(db) as s:
        assert s.count_documents() == 3
        assert len(s.statements()) == 3
        [museum] = s.statements(about="MUSEUM")
        assert museum.content.startswith("spokesperson for the museum")


@pytest.mark.parametrize("workers", [1, 2])
def test_extraction_error_is_skipped_and_batch_goes_on(db: str, workers: int) -> None:
    docs = [*documents(), Document(name="bad.txt", text="This one will EXPLODE in the parser.")]
    report = ingest_documents(docs, db, workers=workers, extractor_factory=tiny_extractor)
    assert report.stored == 3
    reasons = dict(report.skipped)
    assert reasons["bad.txt"] == "extraction failed: ValueError: cannot parse this one"


def test_duplicates_within_one_batch(db: str) -> None:
    twin = Document(name="copy-of-doc0.txt", text=TEXTS[0])
    report = ingest_documents([*documents(), twin], db, workers=1, extractor_factory=tiny_extractor)
    assert (report.stored, report.duplicates) == (3, 1)


def test_crashing_worker_skips_only_its_document(db: str) -> None:
    docs = [*documents(), Document(name="crash.txt", text="Something here will CRASH hard.")]
    report = ingest_documents(docs, db, workers=2, extractor_factory=tiny_extractor)
    assert report.stored == 3
    assert dict(report.skipped)["crash.txt"] == "worker process crashed while extracting it"


def test_a_result_that_cannot_be_read_back_skips_only_its_document(db: str) -> None:
    docs = [*documents(), Document(name="odd.txt", text="Its result is UNREADABLE here.")]
    report = ingest_documents(docs, db, workers=2, extractor_factory=unreadable_extractor)
    assert report.stored == 3
    assert dict(report.skipped)["odd.txt"] == (
        "extraction failed: ValueError: this result cannot be read back"
    )


def test_missing_model_stops_the_batch(db: str) -> None:
    with pytest.raises(ModelNotFoundError, match="xx_nothing"):
        ingest_documents(documents(), db, workers=2, extractor_factory=missing_model)
    with pytest.raises(ModelNotFoundError, match="xx_nothing"):
        ingest_documents(documents(), db, workers=1, extractor_factory=missing_model)


def test_all_duplicates_never_loads_a_model(db: str) -> None:
    ingest_documents(documents(), db, workers=1, extractor_factory=tiny_extractor)
    report = ingest_documents(documents(), db, workers=2, extractor_factory=missing_model)
    assert (report.stored, report.duplicates) == (0, 3)


def test_open_store_is_left_open(store_url: str) -> None:
    with open_store(store_url) as s:
        report = ingest_documents(documents(), s, workers=1, extractor_factory=tiny_extractor)
        assert report.stored == 3
        assert s.count_documents() == 3  # still open


@pytest.mark.parametrize("workers", [1, 2])
def test_default_extractor(db: str, workers: int) -> None:
    report = ingest_documents(documents(), db, workers=workers)
    assert report.stored == 3
    with open_store(db) as s:
        assert isinstance(s, Store)
        assert s.count_documents() == 3


def test_ingest_paths_reads_files(db: str, tmp_path: Path) -> None:
    pytest.importorskip("claimgraph.ingest")
    folder = tmp_path / "articles"
    folder.mkdir()
    for i, text in enumerate(TEXTS):
        (folder / f"a{i}.txt").write_text(text + "\n", encoding="utf-8")
    (folder / "empty.txt").write_text("", encoding="utf-8")
    report = ingest_paths(
        [folder], db, published="2024-01-31", workers=1, extractor_factory=tiny_extractor
    )
    assert report.stored == 3
    assert [name for name, _ in report.skipped] == [str(folder / "empty.txt")]
    again = ingest_paths([folder], db, workers=1, extractor_factory=tiny_extractor)
    assert (again.stored, again.duplicates) == (0, 3)
    with open_store(db) as s:
        assert {d.published for d in s.documents()} == {"2024-01-31"}


@pytest.mark.parametrize("workers", [1, 2])
def test_a_document_over_the_time_limit_is_skipped(db: str, workers: int) -> None:
    docs = [*documents(), Document(name="slow.txt", text="This one is SLOW to parse.")]
    started = time.monotonic()
    report = ingest_documents(
        docs, db, workers=workers, extractor_factory=slow_extractor, timeout=1.5
    )
    assert time.monotonic() - started < 30
    assert report.stored == 3
    assert dict(report.skipped)["slow.txt"] == "extraction took longer than 1.5 s"
    with open_store(db) as s:
        assert int(s._execute("SELECT COUNT(*) FROM ingest_leases").fetchone()[0]) == 0


def test_timeout_must_be_positive(db: str) -> None:
    with pytest.raises(ValueError, match="timeout"):
        ingest_documents(documents(), db, timeout=0)


def test_results_do_not_depend_on_the_number_of_workers(tmp_path: Path) -> None:
    docs: list[Document | InputError] = [
        Document(name=f"doc{n}.txt", text=f"Lovelace spoke in article number {n}.")
        for n in range(12)
    ]
    dumps = []
    for workers, timeout in ((1, None), (2, None), (2, 30.0)):
        db = f"sqlite:///{tmp_path / f'w{workers}-{timeout}.db'}"
        report = ingest_documents(
            docs, db, workers=workers, extractor_factory=role_extractor, timeout=timeout
        )
        assert report.documents == [d.id for d in docs if isinstance(d, Document)]
        with open_store(db) as s:
            rows = s._execute("SELECT * FROM entities ORDER BY id").fetchall()
            actors = s._execute("SELECT id, entity_id FROM actors ORDER BY id").fetchall()
        dumps.append((rows, actors))
    assert all(d == dumps[0] for d in dumps[1:])


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc")
def test_worker_exits_when_its_parent_dies_without_the_kernel_signal(tmp_path: Path) -> None:
    """The portable fallback alone (no PR_SET_PDEATHSIG): a thread notices the parent
    is gone and ends the worker."""
    import subprocess
    import sys

    child = (
        "import os, sys, time, types\n"
        "import claimgraph.batch as b\n"
        "b.sys = types.SimpleNamespace(platform='elsewhere')  # no prctl\n"
        "b._die_with_parent(int(sys.argv[1]))\n"
        "time.sleep(60)\n"
    )
    middle = (
        "import os, subprocess, sys\n"
        f"p = subprocess.Popen([sys.executable, '-c', {child!r}, str(os.getpid())])\n"
        "print(p.pid, flush=True)\n"
        "import time; time.sleep(1.5)\n"  # let the child set up its watch
    )
    out = subprocess.run(
        [sys.executable, "-c", middle], capture_output=True, text=True, timeout=60, check=True
    )
    pid = int(out.stdout.split()[0])
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            break
        if state in ("Z", "X"):
            break
        time.sleep(0.1)
    else:
        os.kill(pid, 9)
        pytest.fail("the worker outlived its parent")
