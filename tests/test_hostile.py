"""The hostile-input corpus (tests/hostile/cases.jsonl) through the reader, the batch
into SQLite and PostgreSQL, and ``claimgraph extract``.

For every case: no exception escapes; each item the reader yields is the one the
case expects (a document, or a skip whose reason names it); both backends store and
skip exactly the same items; and the case finishes in under 30 seconds. One spaCy
pipeline serves the whole module, and each document is extracted once for both
backends, so the corpus runs in about a minute: most cases end at reading.
"""

from __future__ import annotations

import json
import os
import re
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from claimgraph import cli
from claimgraph.batch import IngestReport, ingest_documents
from claimgraph.errors import InputError
from claimgraph.ingest import read_documents
from claimgraph.model import Document, Extraction
from claimgraph.store import Store, open_store
from hostile.corpus import case_path, load_cases, materialise, needs_non_root

CASES = load_cases()
#: Wall-clock limit per case: reading plus storing in every backend.
CASE_SECONDS = 30.0
IS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0
ROOT_REASON = "running as root, which reads every file and folder whatever its mode"


def printable(name: str) -> str:
    """How the reader names a path that is not valid UTF-8 (see ``ingest._printable``)."""
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return os.fsencode(name).decode("utf-8", "backslashreplace")
    return name


def one_line(text: str) -> str:
    return " ".join(text.split())


def label(item: Document | InputError) -> str:
    return item.name if isinstance(item, Document) else item.document


def expected(case: dict[str, Any], path: str) -> list[tuple[str, dict[str, Any]]]:
    return [(printable(path) + e["doc"], e) for e in case["expect"]]


class _OnceEach:
    """The module's one extractor, remembering each document's extraction so the
    second backend stores what the first did without running spaCy again."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner
        self.done: dict[str, Extraction] = {}

    def extract(self, doc: Document) -> Extraction:
        if doc.id not in self.done:
            self.done[doc.id] = self.inner.extract(doc)
        return self.done[doc.id]


@pytest.fixture(scope="module")
def extractor() -> Any:
    from claimgraph.pipeline import Extractor

    return Extractor()


@pytest.fixture(scope="module")
def corpus_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("hostile")


@pytest.fixture(scope="module")
def sqlite_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    store = open_store(f"sqlite:///{tmp_path_factory.mktemp('hostile-db') / 'cg.db'}")
    yield store
    store.close()


_PG_STATE: dict[str, str] = {}


@pytest.fixture(scope="module")
def pg_store(request: pytest.FixtureRequest) -> Iterator[Store | None]:
    """A store in a private schema, or None (the reason kept for test_postgres_ran)."""
    try:
        url: str = request.getfixturevalue("pg_url")
    except pytest.skip.Exception as exc:
        _PG_STATE["skip"] = str(exc)
        yield None
        return
    import uuid

    import psycopg

    schema = f"cg_hostile_{uuid.uuid4().hex[:12]}"
    sep = "&" if "?" in url else "?"
    store = open_store(f"{url}{sep}schema={schema}")
    try:
        yield store
    finally:
        store.close()
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')


def outcomes(items: list[Document | InputError], report: IngestReport) -> list[tuple[str, str]]:
    """(label, "stored" | "skipped") for each item, from a batch report."""
    skipped = {name for name, _ in report.skipped}
    assert report.stored + report.duplicates + len(report.skipped) == len(items), report
    return [(label(i), "skipped" if label(i) in skipped else "stored") for i in items]


def check_reader(case: dict[str, Any], path: str, items: list[Document | InputError]) -> None:
    want = expected(case, path)
    assert [label(i) for i in items] == [name for name, _ in want], [str(i) for i in items]
    for item, (name, e) in zip(items, want, strict=True):
        if isinstance(item, InputError):
            assert e["outcome"] != "stored", f"{name} expected stored, got: {item}"
            assert item.detail.strip(), item
            assert str(item).startswith(f"{name}: "), str(item)
            if e["outcome"] == "skipped":
                assert e["reason"].lower() in item.detail.lower(), (e["reason"], item.detail)
        else:
            assert e["outcome"] != "skipped", f"{name} expected skip ({e['reason']}), was read"
            assert isinstance(item, Document)


def check_stored(store: Store, doc: Document) -> None:
    """What the store gives back is what was read, within the readers' rules."""
    back = store.get_document(doc.id)
    assert back is not None
    assert back.text == doc.text and back.title == doc.title and back.outlet == doc.outlet
    for value in (back.text, back.title or "", back.outlet or "", back.url or ""):
        assert "\x00" not in value
        value.encode("utf-8")  # no lone surrogates
    assert back.url is None or back.url.startswith(("http://", "https://")), back.url


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_case(
    case: dict[str, Any],
    corpus_dir: Path,
    extractor: Any,
    sqlite_store: Store,
    pg_store: Store | None,
) -> None:
    if IS_ROOT and needs_non_root(case):
        pytest.skip(ROOT_REASON)
    path = materialise(case, corpus_dir)
    started = time.monotonic()
    items = list(read_documents([path]))
    check_reader(case, path, items)

    once = _OnceEach(extractor)
    results: dict[str, list[tuple[str, str]]] = {}
    reasons: dict[str, str] = {}
    for backend, store in (("sqlite", sqlite_store), ("postgres", pg_store)):
        if store is None:
            continue
        report = ingest_documents(items, store, workers=1, extractor_factory=lambda: once)
        results[backend] = outcomes(items, report)
        reasons.update((name, reason) for name, reason in report.skipped)
        for item in items:
            if isinstance(item, Document) and item.name not in dict(report.skipped):
                check_stored(store, item)
    took = time.monotonic() - started
    assert took < CASE_SECONDS, f"{case['id']} took {took:.1f} s"

    if "postgres" in results:
        assert results["postgres"] == results["sqlite"], "SQLite and PostgreSQL disagree"
    for (name, got), (_, e) in zip(results["sqlite"], expected(case, path), strict=True):
        if e["outcome"] == "stored":
            assert got == "stored", f"{name} was not stored: {reasons.get(name)}"
        elif e["outcome"] == "skipped":
            assert got == "skipped"
        if got == "skipped":
            assert reasons[name].strip(), name


def test_postgres_ran(pg_store: Store | None) -> None:
    """Says so (as a skip) when the corpus could not run against PostgreSQL."""
    if pg_store is None:
        pytest.skip(f"PostgreSQL part of the corpus not run: {_PG_STATE.get('skip')}")


def test_corpus_covers_every_class() -> None:
    classes = {c["class"] for c in CASES}
    assert len(CASES) >= 200
    assert {"jsonl", "text", "html", "special", "names", "folders"} <= classes


# --------------------------------------------------------------------------- the CLI


def test_extract_over_the_whole_corpus_writes_good_records_and_exits_1(
    tmp_path: Path, extractor: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """One ``claimgraph extract --format jsonl`` over every case: the good records are
    written, each skip is named on stderr, and the exit status is 1."""
    monkeypatch.setattr(cli, "_make_extractor", lambda model, actors_file=None: lambda: extractor)
    cases = [c for c in CASES if not (IS_ROOT and needs_non_root(c))]
    for case in cases:
        materialise(case, tmp_path)
    monkeypatch.chdir(tmp_path)  # relative names, so "-rf.txt" must come after "--"
    paths = [os.path.relpath(case_path(c, tmp_path)) if "abs" not in c else c["abs"] for c in cases]
    started = time.monotonic()
    result = CliRunner().invoke(cli.main, ["extract", "--format", "jsonl", "--", *paths])
    took = time.monotonic() - started
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert result.exit_code == 1, result.output

    written = [json.loads(line)["document"] for line in result.stdout.splitlines()]
    skipped = [ln for ln in result.stderr.splitlines() if ln.startswith("skipped ")]
    skipped_names = set()
    for case, path in zip(cases, paths, strict=True):
        for name, e in expected(case, path):
            shown = one_line(name)
            in_out = name in written
            in_err = any(ln.startswith(f"skipped {shown}: ") for ln in skipped)
            assert in_out != in_err, f"{name}: written {in_out}, skipped {in_err}"
            if e["outcome"] == "stored":
                assert in_out, f"{name} not written"
            elif e["outcome"] == "skipped":
                assert in_err, f"{name} not reported as skipped"
            if in_err:
                skipped_names.add(shown)
    assert len(written) + len(skipped) == sum(len(c["expect"]) for c in cases)
    assert len(written) == len(set(written))
    assert took < 5 * 60


def test_extract_exits_0_when_nothing_is_skipped(
    tmp_path: Path, extractor: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(cli, "_make_extractor", lambda model, actors_file=None: lambda: extractor)
    good = tmp_path / "good.jsonl"
    good.write_text(
        json.dumps({"text": "Road reopens\n\nThe mayor said the road would reopen on Monday."})
        + "\n",
        "utf-8",
    )
    result = CliRunner().invoke(cli.main, ["extract", "--format", "jsonl", str(good)])
    assert result.exit_code == 0, result.output
    assert [json.loads(ln)["document"] for ln in result.stdout.splitlines()] == [f"{good}:1"]


def test_ingest_over_the_whole_corpus_stores_the_good_and_exits_1(
    tmp_path: Path, extractor: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """One ``claimgraph ingest`` over every case: a summary, every skip named on stderr,
    every expected document stored, exit status 1."""
    import claimgraph.pipeline

    # the batch builds its extractor from claimgraph.pipeline when it needs one
    monkeypatch.setattr(claimgraph.pipeline, "Extractor", lambda *a, **k: extractor)
    cases = [c for c in CASES if not (IS_ROOT and needs_non_root(c))]
    corpus = tmp_path / "corpus"
    paths = [materialise(case, corpus) for case in cases]
    db = f"sqlite:///{tmp_path / 'cg.db'}"
    argv = ["ingest", "--db", db, "--workers", "1", "--timeout", "0", "--", *paths]
    result = CliRunner().invoke(cli.main, argv)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert result.exit_code == 1, result.output

    skipped = [ln for ln in result.stderr.splitlines() if ln.startswith("skipped ")]
    want_stored = want_skipped = 0
    for case, path in zip(cases, paths, strict=True):
        for name, e in expected(case, path):
            named = any(ln.startswith(f"skipped {one_line(name)}: ") for ln in skipped)
            if e["outcome"] == "stored":
                assert not named, f"{name} was skipped"
                want_stored += 1
            elif e["outcome"] == "skipped":
                assert named, f"{name} not reported as skipped"
                want_skipped += 1
    summary = next(ln for ln in result.stdout.splitlines() if ln.startswith("stored "))
    m = re.match(r"stored (\d+), already stored (\d+), skipped (\d+) ", summary)
    assert m, summary
    stored, duplicates, skips = (int(g) for g in m.groups())
    assert stored + duplicates + skips == sum(len(c["expect"]) for c in cases), summary
    assert skips == len(skipped) >= want_skipped and stored + duplicates >= want_stored
    with open_store(db) as store:
        assert store.count_documents() == stored
