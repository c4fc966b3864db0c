"""Acceptance: a real batch of good and bad files through ``claimgraph ingest``.

Each bad file gets a one-line reason naming it; the good ones are stored with real
extraction (spaCy, SQLite and, where it runs, PostgreSQL); running the batch again
stores nothing twice and loses nothing.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from claimgraph.cli import main
from claimgraph.store import open_store

GOOD = {
    "harbour.txt": (
        "Harbour reopens after storm\n\n"
        "The port authority said on Monday that the harbour would reopen to ferries "
        "within a week.\n\n"
        "\u201cWe have cleared most of the debris,\u201d harbour master Ana Lima said.\n"
    ),
    "council.txt": (
        "Council approves budget\n\n"
        "The city council approved the budget on Tuesday, according to the mayor's office. "
        "Opposition members denied that the vote had been rushed.\n"
    ),
}

BROKEN_BUT_READABLE_HTML = (
    "<html><head><title>Bridge repairs delayed</title><body><div><p>The transport "
    "ministry said the bridge repairs would take two more months because steel "
    "deliveries were late, and engineers warned that traffic would stay heavy<p>Local "
    "shop owners said business had fallen by a third since the closure began"
)
BROKEN_EMPTY_HTML = "<html><body><div><ul><li><a href='/'>Home</a><li><a href='/x'>News"


def make_batch(tmp: Path) -> tuple[list[str], dict[str, str]]:
    """The files, and for each bad one a word its error must contain."""
    for name, text in GOOD.items():
        (tmp / name).write_text(text, encoding="utf-8")
    (tmp / "broken.html").write_text(BROKEN_BUT_READABLE_HTML, encoding="utf-8")
    (tmp / "empty.txt").write_bytes(b"")
    (tmp / "binary.txt").write_bytes(bytes(range(256)) * 40)
    with (tmp / "huge.txt").open("wb") as fh:  # 50 MB, sparse where the filesystem allows
        fh.truncate(50 * 1024 * 1024)
    (tmp / "latin1.txt").write_bytes("Caf\u00e9 owners said prices rose.".encode("latin-1"))
    (tmp / "nav-only.html").write_text(BROKEN_EMPTY_HTML, encoding="utf-8")
    good_line = json.dumps(
        {
            "title": "Library extends hours",
            "text": "Library extends hours\n\nThe head librarian said the reading room "
            "would stay open until nine from next month.",
            "published": "2024-03-01",
            "outlet": "Example Gazette",
        }
    )
    (tmp / "records.jsonl").write_text(good_line + '\n{"text": "The minister sa', "utf-8")
    hostile_good = json.dumps(
        {"text": "Pool reopens\n\nThe council said the swimming pool would reopen in May."}
    )
    (tmp / "hostile.jsonl").write_bytes(
        b"\n".join(
            [
                hostile_good.encode(),
                b'{"text": ' + b"7" * 5000 + b"}",  # more digits than int() takes
                b"[" * 100_000,  # deeper than the JSON decoder recurses
                b'{"text": "The mayor \\ud800 said so."}',  # a lone surrogate
                b"\x00\x01\x02\x03\xff\xfe",  # a binary line
            ]
        )
        + b"\n"
    )
    files = sorted(str(p) for p in tmp.iterdir())
    bad = {
        "empty.txt": "empty",
        "binary.txt": "binary",
        "huge.txt": "over the limit",
        "latin1.txt": "UTF-8",
        "nav-only.html": "no article text",
        "records.jsonl:2": "JSON",
        "hostile.jsonl:2": "4300 digits",
        "hostile.jsonl:3": "nested too deeply",
        "hostile.jsonl:4": "lone surrogate",
        "hostile.jsonl:5": "binary",
    }
    return files, bad


BACKENDS = ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]


@pytest.mark.parametrize("backend", BACKENDS)
def test_bad_files_are_named_good_ones_stored_once(
    tmp_path: Path, backend: str, request: pytest.FixtureRequest
) -> None:
    inputs = tmp_path / "in"
    inputs.mkdir()
    files, bad = make_batch(inputs)
    db = (
        f"sqlite:///{tmp_path / 'cg.db'}"
        if backend == "sqlite"
        else request.getfixturevalue("pg_schema_url")
    )
    runner = CliRunner()
    first = runner.invoke(main, ["ingest", "--db", db, "--workers", "2", *files])
    assert first.exit_code == 1, first.output
    for name, reason in bad.items():
        lines = [ln for ln in first.stderr.splitlines() if name in ln and "skipped" in ln]
        assert lines, f"no skip line for {name}:\n{first.stderr}"
        assert reason.lower() in lines[0].lower(), lines[0]
    assert "stored 5, already stored 0, skipped 10" in first.output

    with open_store(db) as store:
        assert store.count_documents() == 5
        names = {d.name for d in store.documents()}
        statements = len(store.statements())
    stored = {Path(n).name for n in names}
    assert stored == {
        "harbour.txt",
        "council.txt",
        "broken.html",
        "records.jsonl:1",
        "hostile.jsonl:1",
    }
    assert statements >= 5

    again = runner.invoke(main, ["ingest", "--db", db, *files])
    assert again.exit_code == 1
    assert "stored 0, already stored 5, skipped 10" in again.output
    with open_store(db) as store:
        assert store.count_documents() == 5
        assert len(store.statements()) == statements


def test_extract_writes_every_good_record_and_exits_1_when_lines_are_bad(tmp_path: Path) -> None:
    """The records after a bad line are written too (they used to be dropped silently)."""
    make_batch(tmp_path)
    good = [str(tmp_path / name) for name in sorted(GOOD)]
    result = CliRunner().invoke(
        main, ["extract", "--format", "jsonl", str(tmp_path / "hostile.jsonl"), *good]
    )
    assert result.exit_code == 1, result.output
    written = [json.loads(line)["document"] for line in result.stdout.splitlines()]
    assert written == [
        f"{tmp_path / 'hostile.jsonl'}:1",
        str(tmp_path / "council.txt"),
        str(tmp_path / "harbour.txt"),
    ]
    assert [ln.split(":")[1] for ln in result.stderr.splitlines() if "skipped" in ln] == [
        "2",
        "3",
        "4",
        "5",
    ]


def test_a_reader_failure_is_raised_after_the_documents_before_it() -> None:
    """A bug in a reader (an exception from the input itself) is reported, never taken
    for the end of the input."""
    from claimgraph.cli import Skipped, extract_in_order
    from claimgraph.errors import EmptyDocumentError
    from claimgraph.model import Document, Extraction

    class Echo:
        def extract(self, doc: Document) -> Extraction:
            return Extraction(document=doc)

        def extract_many(self, docs: Iterable[Document]) -> Iterator[Extraction]:
            for doc in docs:
                yield self.extract(doc)

    def items() -> Iterator[Document | EmptyDocumentError]:
        yield Document(name="a", text="The mayor said yes.")
        yield EmptyDocumentError("b")
        raise RuntimeError("reader bug")

    out: list[Extraction | Skipped] = []
    with pytest.raises(RuntimeError, match="reader bug"):
        out.extend(extract_in_order(items(), Echo))
    assert [getattr(r, "name", None) or r.document.name for r in out] == ["a", "b"]


def test_actors_file_that_is_not_utf8_is_one_line_error(tmp_path: Path) -> None:
    actors = tmp_path / "actors.csv"
    actors.write_bytes("name,canonical\nCaf\u00e9 Group,Caf\u00e9\n".encode("latin-1"))
    article = tmp_path / "a.txt"
    article.write_text(GOOD["council.txt"], "utf-8")
    result = CliRunner().invoke(main, ["extract", "--actors", str(actors), str(article)])
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert "not valid UTF-8" in result.stderr and str(actors) in result.stderr
