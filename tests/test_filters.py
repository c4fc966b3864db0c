"""The same filters everywhere (issue 16): one definition (claimgraph.filters) behind
the CLI options, the API parameters and the store's listings; terminal output that
survives a pipe; honest counts; Ctrl-C during ingest; a missing --db is an error."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient

from claimgraph.cli import main
from claimgraph.filters import Filters, fields_for
from claimgraph.store import open_store

ROOT = Path(__file__).resolve().parents[1]
POLNEAR_DEV = ROOT.parent / "shared" / "eval" / "polnear" / "dev" / "text"


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> str:
    """examples/ in SQLite, ingested once through the CLI."""
    path = tmp_path_factory.mktemp("filters") / "ex.db"
    result = CliRunner().invoke(main, ["ingest", "--db", str(path), "--workers", "1", "examples"])
    assert result.exit_code == 0, result.output
    return str(path)


def cli_json(*args: str) -> Any:
    result = CliRunner().invoke(main, [*args, "--format", "json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def api(url: str, path: str, **params: Any) -> Any:
    from claimgraph.web import create_app

    client = TestClient(create_app(url), base_url="http://127.0.0.1")
    response = client.get(path, params=params)
    assert response.status_code == 200, response.text
    return response.json()


def test_one_definition_names_the_cli_options_and_the_api_parameters() -> None:
    from claimgraph.web import create_app

    schema = TestClient(create_app(":memory:"), base_url="http://127.0.0.1").get("/openapi.json")
    paths = schema.json()["paths"]
    for listing in ("statements", "events", "claims", "contested"):
        names = {p["name"] for p in paths[f"/api/{listing}"]["get"]["parameters"]}
        command = main.get_command(click_ctx(), listing)
        assert command is not None
        options = {o for p in command.params for o in getattr(p, "opts", [])}
        for f in fields_for(listing):
            assert f.name in names, (listing, f.name)
            assert f.option in options, (listing, f.name)


def click_ctx() -> Any:
    import click

    return click.Context(main)


def test_statements_stance_deny_only_denials_cli_and_api_agree(db: str) -> None:
    rows = cli_json("statements", "--db", db, "--stance", "deny")
    assert rows and {r["stance"] for r in rows} == {"deny"}
    every = cli_json("statements", "--db", db)
    assert len(rows) == sum(r["stance"] == "deny" for r in every) < len(every)
    page = api(db, "/api/statements", stance="deny", limit=500)
    assert page["total"] == len(rows)
    assert [s["id"] for s in page["items"]] == [r["id"] for r in rows]


def test_kind_speaker_and_date_filters(db: str) -> None:
    every = cli_json("statements", "--db", db)
    direct = cli_json("statements", "--db", db, "--kind", "direct")
    assert direct and len(direct) == sum(r["kind"] == "direct" for r in every)
    kanaani = cli_json("statements", "--db", db, "--speaker", "kanaani")
    assert kanaani and all("Kanaani" in r["speaker"] for r in kanaani)
    october = cli_json("statements", "--db", db, "--since", "2022-10-19", "--until", "2022-10")
    assert october and all("2022-10-19" <= r["published"] <= "2022-10-31" for r in october)
    assert len(october) == sum(
        bool(r["published"]) and "2022-10-19" <= r["published"] <= "2022-10-31" for r in every
    )
    page = api(db, "/api/statements", kind="direct", since="2022-10-19", until="2022-10")
    assert page["total"] == sum(r["kind"] == "direct" for r in october)
    bad = CliRunner().invoke(main, ["statements", "--db", db, "--kind", "thought"])
    assert bad.exit_code == 2


def test_mode_speech_or_thought(db: str) -> None:
    """``--mode speech`` is "who *said*": statements whose cue reports thought
    (believes, fears, wants) are left out, on the CLI and the API alike."""
    every = cli_json("statements", "--db", db, "--min-confidence", "0")
    said = cli_json("statements", "--db", db, "--min-confidence", "0", "--mode", "speech")
    thought = cli_json("statements", "--db", db, "--min-confidence", "0", "--mode", "thought")
    assert said and thought, "the examples hold both kinds of cue"
    assert {r["mode"] for r in said} == {"speech"} and {r["mode"] for r in thought} == {"thought"}
    assert len(said) + len(thought) == len(every)
    page = api(db, "/api/statements", mode="thought", min_confidence="0", limit=500)
    assert [s["id"] for s in page["items"]] == [r["id"] for r in thought]
    claims = cli_json("claims", "--db", db, "--mode", "thought")
    assert api(db, "/api/claims", mode="thought", limit=500)["total"] == len(claims)
    bad = CliRunner().invoke(main, ["statements", "--db", db, "--mode", "direct"])
    assert bad.exit_code == 2


def test_events_and_claims_take_the_same_filters(db: str) -> None:
    aid = cli_json("events", "--db", db, "--type", "aid", "--since", "2022-10")
    assert aid and {e["type"] for e in aid} == {"AID"}
    assert api(db, "/api/events", type="aid", since="2022-10")["total"] == len(aid)
    denials = cli_json("claims", "--db", db, "--stance", "deny")
    assert denials and {c["stance"] for c in denials} == {"deny"}
    assert api(db, "/api/claims", stance="deny", limit=500)["total"] == len(denials)


@pytest.mark.parametrize("about", ["Kanaani", "baseless"])
def test_contested_about_matches_voices_and_statement_text(db: str, about: str) -> None:
    items = cli_json("contested", "--db", db, "--about", about)
    assert items, about
    assert not all(about.lower() in i["proposition"].lower() for i in items)
    assert api(db, "/api/contested", about=about)["total"] == len(items)
    assert api(db, "/api/contested", text=about)["total"] == len(items)


def test_search_restricted_to_a_stance(db: str) -> None:
    page = api(db, "/api/search", q="drones", stance="deny")
    assert page["items"] and {h["kind"] for h in page["items"]} == {"statement"}
    assert {h["details"]["stance"] for h in page["items"]} == {"deny"}
    assert page["total"] < api(db, "/api/search", q="drones", kind="statement")["total"]


def test_filters_on_both_backends(store_url: str) -> None:
    """SQLite and PostgreSQL: the same rows for the same filter."""
    from claimgraph.batch import ingest_paths

    report = ingest_paths(ROOT / "examples" / "story.jsonl", store_url, workers=1)
    assert report.stored
    with open_store(store_url) as store:
        every = store.statements()
        denials = store.statements(filters=Filters(stance="DENY"))
        assert denials and len(denials) == sum(s.stance == "deny" for s in every)
        items, total = store.statement_page(filters=Filters(stance="deny", kind="indirect"))
        assert total == sum(s.stance == "deny" and s.kind == "indirect" for s in every)
        assert items and all(s.stance == "deny" and s.kind == "indirect" for s in items)
        contested = store.contested(about="Kanaani")
        assert contested and store.count_contested(about="Kanaani") == len(contested)


def test_a_filter_a_listing_does_not_take_is_refused() -> None:
    from claimgraph.filters import contested_where

    with pytest.raises(ValueError, match="stance"):
        contested_where(Filters(stance="deny"))
    with pytest.raises(ValueError, match="not a date"):
        Filters(since="last week")


# --------------------------------------------------------------------------- output


def test_piped_output_keeps_each_record_on_one_line(db: str) -> None:
    result = CliRunner().invoke(main, ["contested", "--db", db, "--about", "Kanaani"])
    assert result.exit_code == 0
    voices = [ln for ln in result.output.splitlines() if ln.lstrip().startswith("affirm:")]
    assert voices and len(voices[0]) > 80  # a long line, not broken at 80 columns
    long = "Foreign Ministry spokesman Nasser Kanaani said on Saturday that the U.S. claims"
    result = CliRunner().invoke(main, ["actor", "Iran", "--db", db])
    assert result.exit_code == 0
    header = result.output.splitlines()[1]
    assert header.endswith("documents"), header
    lines = CliRunner().invoke(main, ["events", "--db", db, "--speaker", "kanaani"]).output
    assert any(long in ln for ln in lines.splitlines())


def test_actor_header_count_equals_said_count(db: str) -> None:
    result = CliRunner().invoke(main, ["actor", "Iran", "--db", db, "--limit", "5"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    made = int(lines[1].split(" statements made")[0])
    said = next(ln for ln in lines if ln.startswith("said ("))
    assert said.startswith(f"said ({made}; the first 5 shown"), said
    everything = CliRunner().invoke(main, ["actor", "Iran", "--db", db, "--limit", "500"])
    said_all = next(ln for ln in everything.output.splitlines() if ln.startswith("said ("))
    assert said_all == f"said ({made})"


def test_missing_database_is_an_error_and_creates_nothing(tmp_path: Path) -> None:
    missing = tmp_path / "typo.db"
    for command in (
        ["statements"],
        ["events"],
        ["actors"],
        ["actor", "Iran"],
        ["claims"],
        ["contested"],
        ["threads"],
        ["serve"],
    ):
        result = CliRunner().invoke(main, [*command, "--db", str(missing)])
        assert result.exit_code == 1, (command, result.output)
        assert f"no database at {missing}" in result.output
        assert "claimgraph ingest" in result.output
        assert not missing.exists(), command


@pytest.mark.skipif(not POLNEAR_DEV.is_dir(), reason="PolNeAR dev texts not available")
def test_ctrl_c_during_ingest_reports_and_exits_130(tmp_path: Path) -> None:
    texts = tmp_path / "texts"
    texts.mkdir()
    for src in sorted(POLNEAR_DEV.glob("*.txt"))[:10]:
        (texts / src.name).write_bytes(src.read_bytes())
    db = tmp_path / "pn.db"
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    proc = subprocess.Popen(
        [sys.executable, "-m", "claimgraph", "ingest", str(texts), "--db", str(db)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    try:
        deadline = time.monotonic() + 180
        stored = 0
        while not stored and time.monotonic() < deadline and proc.poll() is None:
            time.sleep(0.2)
            if db.exists():
                try:
                    with sqlite3.connect(db, timeout=1) as conn:
                        stored = conn.execute("SELECT COUNT(*) FROM documents").fetchone()[0]
                except sqlite3.Error:
                    continue
        assert stored, "nothing stored in time"
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=120)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 130, (out, err)
    assert out.startswith("interrupted after "), out
    assert "stored " in out and "already stored 0" in out and "skipped " in out
    assert "Run the same command again to resume" in err
    assert "Traceback" not in err, err
