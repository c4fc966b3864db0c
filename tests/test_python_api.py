"""The Python API: ``claimgraph.extract``, ``claimgraph.open_store`` and the typed
records exported from ``claimgraph``; and docs/python-api.md, whose every ``python``
block is executed here, in order, in one namespace (as the sqlite-utils and Datasette
documentation tests do), so the page cannot drift from the code."""

from __future__ import annotations

import contextlib
import io
import re
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path
from typing import Any

import pytest

import claimgraph

REPO = Path(__file__).resolve().parents[1]
DOC = REPO / "docs" / "python-api.md"
FENCE = re.compile(r"^```(\w*)\n(.*?)^```$", re.S | re.M)

TEXT = (
    "Iran denies sending drones to Russia\n\n"
    "TEHRAN — Iran's foreign ministry spokesman Nasser Kanaani on Monday dismissed "
    "reports that Tehran had supplied drones to Russia as baseless. Ukraine's foreign "
    "minister Dmytro Kuleba said Kyiv had evidence that Iranian-made drones struck the "
    "capital.\n"
)


def blocks() -> list[tuple[str, str]]:
    """(language, code) of each fenced block of docs/python-api.md, in order."""
    return [(m.group(1), m.group(2)) for m in FENCE.finditer(DOC.read_text("utf-8"))]


# -- the documentation ---------------------------------------------------------------


def test_every_python_block_of_the_docs_runs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each block runs after the ones before it, from a folder holding a copy of
    examples/; a ``text`` block right after a Python block is that block's output."""
    shutil.copytree(REPO / "examples", tmp_path / "examples")
    monkeypatch.chdir(tmp_path)
    namespace: dict[str, Any] = {"__name__": "__docs__"}
    found = blocks()
    python = [i for i, (lang, _) in enumerate(found) if lang == "python"]
    assert len(python) >= 8, "the page shows extract, records, stores, statements, contested"
    checked = 0
    for n, (lang, code) in enumerate(found):
        if lang != "python":
            continue
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            try:
                exec(compile(code, f"{DOC.name} block {n + 1}", "exec"), namespace)
            except Exception as exc:  # pragma: no cover - the failure message
                pytest.fail(f"python block {n + 1} of {DOC.name} failed: {exc!r}\n{code}")
        assert out.getvalue().strip(), f"block {n + 1} prints nothing: show the reader something"
        if n + 1 < len(found) and found[n + 1][0] == "text":
            assert out.getvalue() == found[n + 1][1], f"output shown under block {n + 1}"
            checked += 1
    assert checked >= 1
    assert (tmp_path / "demo.db").exists()


def test_the_docs_name_every_public_name() -> None:
    page = DOC.read_text("utf-8")
    for name in claimgraph.__all__:
        if name != "__version__":
            assert f"`{name}" in page, f"docs/python-api.md does not mention {name}"


# -- the API itself --------------------------------------------------------------------


def test_import_claimgraph_stays_light() -> None:
    """``import claimgraph`` loads neither spaCy nor the store (nor numpy, FastAPI)."""
    code = (
        "import sys, claimgraph\n"
        "heavy = [m for m in sys.modules if m.split('.')[0] in "
        "('spacy', 'thinc', 'numpy', 'fastapi', 'sqlite3', 'psycopg')"
        " or m in ('claimgraph.store', 'claimgraph.pipeline')]\n"
        "print(heavy)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert out.stdout.strip() == "[]", out.stdout


def test_all_names_resolve_and_are_typed_records() -> None:
    for name in claimgraph.__all__:
        assert getattr(claimgraph, name) is not None, name
    assert claimgraph.Store.__module__ == "claimgraph.store"
    assert claimgraph.Statement.__module__ == "claimgraph.store"
    assert claimgraph.Extractor.__module__ == "claimgraph.pipeline"
    assert issubclass(claimgraph.InputError, claimgraph.ClaimgraphError)
    assert issubclass(claimgraph.StoreError, claimgraph.ClaimgraphError)
    with pytest.raises(AttributeError):
        claimgraph.no_such_name  # noqa: B018


def test_extract_returns_an_extraction_with_offsets() -> None:
    ex = claimgraph.extract(TEXT, published=date(2022, 10, 17), url="https://example.com/a")
    assert isinstance(ex, claimgraph.Extraction)
    assert isinstance(ex.document, claimgraph.Document)
    assert ex.document.text == TEXT and ex.document.published == "2022-10-17"
    assert ex.document.title == "Iran denies sending drones to Russia"
    assert ex.document.url == "https://example.com/a"
    assert all(isinstance(a, claimgraph.Attribution) for a in ex.attributions)
    assert all(isinstance(a, claimgraph.Actor) for a in ex.actors)
    speakers = {ex.actor(a.speaker).name for a in ex.attributions if a.speaker}  # type: ignore[union-attr]
    assert {"Nasser Kanaani", "Dmytro Kuleba"} <= speakers
    for att in ex.attributions:
        assert TEXT[att.content.start : att.content.end] == att.content.text
        assert TEXT[att.cue.start : att.cue.end] == att.cue.text
    assert any(e["type"] == "AID" for e in ex.events)


def test_extract_keeps_one_pipeline_per_model() -> None:
    claimgraph.extract("Russia said it would respond.")
    first = claimgraph.extractor()
    claimgraph.extract("Ukraine said it would not.", title="A title")
    assert claimgraph.extractor() is first
    assert claimgraph.extractor("en_core_web_sm") is first  # the model's other name


def test_extract_arguments() -> None:
    ex = claimgraph.extract(TEXT, title="My title", outlet="Wire", name="wire-1")
    assert ex.document.title == "My title"
    assert ex.document.outlet == "Wire" and ex.document.name == "wire-1"
    with pytest.raises(claimgraph.InputError):
        claimgraph.extract("")
    with pytest.raises(claimgraph.InputError):
        claimgraph.extract(TEXT, published="last Tuesday")
    with pytest.raises(claimgraph.InputError):
        claimgraph.extract(TEXT, url="javascript:alert(1)")
    with pytest.raises(TypeError):
        claimgraph.extract(TEXT.encode())  # type: ignore[arg-type]


def test_open_store_saves_and_lists(tmp_path: Path) -> None:
    ex = claimgraph.extract(TEXT, published="2022-10-17")
    url = tmp_path / "ledger.db"
    with claimgraph.open_store(url) as store:
        assert isinstance(store, claimgraph.Store)
        assert store.save(ex) is True
        assert store.save(ex) is False
    with claimgraph.open_store(f"sqlite:///{url}") as store:
        rows = store.statements(speaker="Kuleba")
        assert rows and all(isinstance(r, claimgraph.Statement) for r in rows)
        assert rows[0].speaker == "Dmytro Kuleba" and rows[0].published == "2022-10-17"
        assert isinstance(store.contested(), list)
    with pytest.raises(claimgraph.StoreError):
        claimgraph.open_store("mysql://nowhere/db")
