"""The ``claimgraph`` command as scripts and users meet it: output formats, exit codes,
error messages. Loading the spaCy model takes about a second per command, so the
tests share one set of articles and one database per module and run few commands."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from collections.abc import Iterable, Iterator
from dataclasses import fields
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from claimgraph import __version__
from claimgraph.cli import DEFAULT_MODEL_NAME, Skipped, extract_in_order, main
from claimgraph.errors import EmptyDocumentError
from claimgraph.model import Actor, Attribution, Document, Extraction, TextSpan
from claimgraph.store import Statement, open_store

CONTRACT_KEYS = {"document", "published", "sections", "actors", "attributions", "events", "claims"}

MAYOR = (
    "Harbour bridge to reopen next spring\n\n"
    "The mayor said the bridge would reopen in May [sic]. Engineers finished the last "
    "inspection on Tuesday, and the lanes will be painted next week.\n"
)
COUNCIL = (
    "Council approves new budget\n\n"
    "The finance director said the city would hire twenty more teachers next year. "
    "The vote passed by a wide margin after a short debate.\n"
)


def run(*args: str, env: dict[str, str] | None = None) -> Result:
    return CliRunner().invoke(main, list(args), env=env, catch_exceptions=False)


def spans_of(attribution: dict[str, Any]) -> Iterator[dict[str, Any]]:
    for role in ("source", "cue", "content"):
        if attribution[role] is not None:
            yield attribution[role]


@pytest.fixture(scope="module")
def articles(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("articles")
    paths = {
        "mayor": folder / "mayor.txt",
        "council": folder / "council.txt",
        "empty": folder / "empty.txt",
        "binary": folder / "photo.txt",
    }
    paths["mayor"].write_text(MAYOR, encoding="utf-8")
    paths["council"].write_text(COUNCIL, encoding="utf-8")
    paths["empty"].write_bytes(b"")
    paths["binary"].write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    return paths


@pytest.fixture(scope="module")
def ingested_db(articles: dict[str, Path], tmp_path_factory: pytest.TempPathFactory) -> str:
    """A database with both good articles, ingested through the CLI, plus one
    hand-made statement so the query tests do not depend on the extractor's rules."""
    db = str(tmp_path_factory.mktemp("db") / "ledger.db")
    result = run(
        "ingest", "--db", db, "--workers", "1", str(articles["mayor"]), str(articles["council"])
    )
    assert result.exit_code == 0, result.output
    text = "Ada Lovelace wrote that the engine might compose music."
    doc = Document(name="handmade.txt", text=text, published="1843-09-01")
    extraction = Extraction(
        document=doc,
        actors=[Actor("a1", "Ada Lovelace", "person", "GBR", "mathematician")],
        attributions=[
            Attribution(
                id="t1",
                source=TextSpan(0, 12, "Ada Lovelace"),
                cue=TextSpan(13, 18, "wrote"),
                content=TextSpan(24, 54, text[24:54]),
                speaker="a1",
            )
        ],
    )
    with open_store(db) as store:
        assert store.save(extraction)
    return db


# --------------------------------------------------------------------------- extract


def test_extract_jsonl_follows_the_contract(articles: dict[str, Path]) -> None:
    path = str(articles["mayor"])
    result = run("extract", "--format", "jsonl", "--published", "2023-04-02", path)
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert len(lines) == 1
    record = json.loads(lines[0])
    assert record.keys() >= CONTRACT_KEYS
    assert record["document"] == path
    assert record["published"] == "2023-04-02"
    text = articles["mayor"].read_text(encoding="utf-8")
    for attribution in record["attributions"]:
        for span in spans_of(attribution):
            assert text[span["start"] : span["end"]] == span["text"] or "fragments" in span
            for start, end in span.get("fragments", []):
                assert text[start:end] in span["text"]
    said = [a for a in record["attributions"] if a["cue"]["text"] == "said"]
    assert said, record["attributions"]
    cue = said[0]["cue"]
    assert text[cue["start"] : cue["end"]] == "said"
    assert "bridge would reopen in May" in said[0]["content"]["text"]


def test_extract_skips_bad_files_and_exits_1(articles: dict[str, Path]) -> None:
    good, empty, binary = (str(articles[k]) for k in ("mayor", "empty", "binary"))
    result = run("extract", "--format", "jsonl", empty, good, binary)
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert [json.loads(line)["document"] for line in lines] == [good]
    errors = result.stderr.splitlines()
    assert len(errors) == 2
    assert errors[0].startswith(f"skipped {empty}: ")
    assert errors[1].startswith(f"skipped {binary}: ")
    assert "Traceback" not in result.output


def test_extract_text_and_json(articles: dict[str, Path]) -> None:
    path = str(articles["mayor"])
    text = run("extract", path, env={"COLUMNS": "300"})
    assert text.exit_code == 0, text.output
    # Article text is shown as is: "[sic]" must not be taken for rich markup.
    assert path in text.stdout and "said" in text.stdout and "[sic]" in text.stdout
    assert "\x1b[" not in text.stdout  # not a terminal: no colour codes
    as_json = run("extract", "--format", "json", path, str(articles["empty"]))
    assert as_json.exit_code == 1
    records = json.loads(as_json.stdout)
    assert [r["document"] for r in records] == [path]


def test_extract_in_order_isolates_a_failing_document() -> None:
    """A batch that raises must cost only the document that broke it."""

    class Flaky:
        def extract(self, doc: Document) -> Extraction:
            if "boom" in doc.text:
                raise RuntimeError("tokeniser exploded")
            return Extraction(document=doc)

        def extract_many(self, docs: Iterable[Document]) -> Iterator[Extraction]:
            batch = list(docs)  # like nlp.pipe: read the whole batch before yielding
            for doc in batch:
                yield self.extract(doc)

    items: list[Document | EmptyDocumentError] = [
        Document("a", "first text"),
        EmptyDocumentError("b"),
        Document("c", "boom"),
        Document("d", "last text"),
    ]
    out = list(extract_in_order(items, Flaky))
    names = [o.name if isinstance(o, Skipped) else o.document.name for o in out]
    assert names == ["a", "b", "c", "d"]
    assert isinstance(out[2], Skipped) and "tokeniser exploded" in out[2].reason


@pytest.mark.parametrize("command", ["extract", "ingest"])
def test_bad_published_is_a_usage_error(command: str, articles: dict[str, Path]) -> None:
    result = run(command, "--published", "2022-13-45", str(articles["mayor"]))
    assert result.exit_code == 2
    assert "--published" in result.stderr and "2022-13-45" in result.stderr


def test_missing_model_is_a_one_line_error(articles: dict[str, Path]) -> None:
    result = run("extract", "--model", "no_such_model_xyz", str(articles["mayor"]))
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: ") and "no_such_model_xyz" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


# --------------------------------------------------------------------------- store


def test_ingest_again_stores_nothing_twice(articles: dict[str, Path], ingested_db: str) -> None:
    paths = [str(articles[k]) for k in ("mayor", "council", "empty")]
    result = run("ingest", "--db", ingested_db, "--workers", "1", *paths)
    assert result.exit_code == 1  # the empty file
    assert "stored 0, already stored 2, skipped 1" in result.stdout
    assert f"skipped {paths[2]}: " in result.stderr


def test_statements_filters_and_formats(ingested_db: str) -> None:
    env = {"CLAIMGRAPH_DB": ingested_db}  # the default --db comes from the environment
    every = json.loads(run("statements", "--format", "json", env=env).stdout)
    assert {s["document_name"] for s in every} >= {"handmade.txt"}
    assert len(every) >= 3  # the mayor, the finance director, Ada Lovelace

    result = run("statements", "--speaker", "LOVELACE", "--format", "json", env=env)
    assert result.exit_code == 0, result.output
    [only] = json.loads(result.stdout)
    assert only["speaker"] == "Ada Lovelace" and only["cue"] == "wrote"

    table = run("statements", "--db", ingested_db, "--format", "csv")
    rows = list(csv.reader(io.StringIO(table.stdout)))
    assert rows[0] == [f.name for f in fields(Statement)]
    assert len(rows) == len(every) + 1

    lines = run("statements", "--db", ingested_db, "--about", "compose", "--format", "jsonl")
    assert [json.loads(line)["speaker"] for line in lines.stdout.splitlines()] == ["Ada Lovelace"]

    text = run("statements", "--db", ingested_db, "--speaker", "lovelace")
    assert "Ada Lovelace" in text.stdout and "handmade.txt" in text.stdout


def test_unreachable_postgres_is_a_one_line_error() -> None:
    url = "postgresql://claimgraph@127.0.0.1:1/nowhere?connect_timeout=2"
    result = run("statements", "--db", url)
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: ")
    assert len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.output


# --------------------------------------------------------------------------- entry points


def test_console_script_and_python_m(tmp_path: Path) -> None:
    script = Path(sys.executable).with_name("claimgraph")
    if not script.exists():
        pytest.skip(f"console script not installed beside {sys.executable}")
    version = subprocess.run([str(script), "--version"], capture_output=True, text=True, check=True)
    assert __version__ in version.stdout
    as_module = subprocess.run(
        [sys.executable, "-m", "claimgraph", "--version"], capture_output=True, text=True
    )
    assert as_module.returncode == 0 and __version__ in as_module.stdout

    article = tmp_path / "brief.txt"
    article.write_text(
        "Ferry service resumes\n\nThe harbour master said the ferries would sail again "
        "on Monday. Tickets go on sale tomorrow.\n",
        encoding="utf-8",
    )
    env = {**os.environ, "NO_COLOR": "1"}
    extracted = subprocess.run(
        [str(script), "extract", "--format", "jsonl", "--published", "2024-03-01", str(article)],
        capture_output=True,
        env=env,
        check=True,
    )
    [line] = extracted.stdout.decode("utf-8").splitlines()
    record = json.loads(line)
    assert record.keys() >= CONTRACT_KEYS
    assert record["document"] == str(article) and record["published"] == "2024-03-01"


def test_default_model_name_matches_the_pipeline() -> None:
    from claimgraph.pipeline import DEFAULT_MODEL

    assert DEFAULT_MODEL_NAME == DEFAULT_MODEL


def test_actors_lists_entities_with_counts(ingested_db: str) -> None:
    result = run("actors", "--db", ingested_db, "--format", "json")
    assert result.exit_code == 0, result.output
    rows = {r["name"]: r for r in json.loads(result.output)}
    ada = rows["Ada Lovelace"]
    assert (ada["type"], ada["country"], ada["statements"], ada["documents"]) == (
        "person",
        "GBR",
        1,
        1,
    )
    text = run("actors", "--db", ingested_db, "--type", "person", "--name", "lovelace")
    assert "Ada Lovelace" in text.output and "1 actors" in text.output


def test_actor_profile_and_unknown_actor(ingested_db: str) -> None:
    result = run("actor", "Lovelace", "--db", ingested_db)
    assert result.exit_code == 0, result.output
    assert "Ada Lovelace (person, GBR, mathematician)" in result.output
    assert "the engine might compose music" in result.output
    as_json = json.loads(
        run("actor", "person:ada lovelace", "--db", ingested_db, "--format", "json").output
    )
    assert as_json["entity"]["id"] == "person:ada lovelace"
    assert [s["cue"] for s in as_json["said"]] == ["wrote"]
    missing = run("actor", "Nobody Atall", "--db", ingested_db)
    assert missing.exit_code == 1
    assert "no actor matches" in missing.stderr
