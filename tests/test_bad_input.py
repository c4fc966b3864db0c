"""Acceptance: a real batch of good and bad files through ``claimgraph ingest``.

Each bad file gets a one-line reason naming it; the good ones are stored with real
extraction (spaCy, SQLite and, where it runs, PostgreSQL); running the batch again
stores nothing twice and loses nothing.
"""

from __future__ import annotations

import json
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
    files = sorted(str(p) for p in tmp.iterdir())
    bad = {
        "empty.txt": "empty",
        "binary.txt": "binary",
        "huge.txt": "over the limit",
        "latin1.txt": "UTF-8",
        "nav-only.html": "no article text",
        "records.jsonl:2": "JSON",
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
    assert "stored 4, already stored 0, skipped 6" in first.output

    with open_store(db) as store:
        assert store.count_documents() == 4
        names = {d.name for d in store.documents()}
        statements = len(store.statements())
    stored = {Path(n).name for n in names}
    assert stored == {"harbour.txt", "council.txt", "broken.html", "records.jsonl:1"}
    assert statements >= 5

    again = runner.invoke(main, ["ingest", "--db", db, *files])
    assert again.exit_code == 1
    assert "stored 0, already stored 4, skipped 6" in again.output
    with open_store(db) as store:
        assert store.count_documents() == 4
        assert len(store.statements()) == statements
