"""Getting results out: flat CSV and JSON Lines for every listing (command line and web
API), ClaimReview JSON-LD, GraphML/GEXF of the actor network, the readable SQL views
(SQLite and PostgreSQL) and the datasette metadata."""

from __future__ import annotations

import csv
import io
import json
import re
import sqlite3
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx
import pytest
from click.testing import CliRunner, Result

from claimgraph.cli import main
from claimgraph.exporters.datasette import database_name, metadata
from claimgraph.exporters.tabular import LISTINGS, cell, flat_rows, flatten
from claimgraph.store import open_store
from claimgraph.web import create_app
from webserver import live_server

REPO = Path(__file__).resolve().parents[1]
SCHEMA = json.loads((REPO / "tests/fixtures/schemaorg_claimreview.json").read_text("utf-8"))
VIEWS = ("statements_readable", "events_readable", "claims_readable", "contested_readable")


def run(*args: str) -> Result:
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result


def sqlite_path(url: str) -> str:
    return url.removeprefix("sqlite:///")


@pytest.fixture(scope="module")
def web(examples_db: str) -> Iterator[httpx.Client]:
    with (
        live_server(create_app(examples_db)) as base,
        httpx.Client(base_url=base, timeout=120) as client,
    ):
        yield client


# --------------------------------------------------------------------------- CSV, JSONL

#: listing -> the command line that lists it
COMMANDS = {
    "statements": ["statements"],
    "actors": ["actors", "--limit", "500"],
    "claims": ["claims"],
    "contested": ["contested"],
    "threads": ["threads"],
    "timeline": ["timeline", "Iran"],
}


def _no_blob(value: str) -> bool:
    """A cell is one value: not a JSON list or object."""
    v = value.strip()
    return not (v[:1] in "[{" and v[-1:] in "]}" and len(v) > 1)


@pytest.mark.parametrize("listing", sorted(COMMANDS))
def test_every_listing_has_flat_csv_and_jsonl(examples_db: str, listing: str) -> None:
    argv = [*COMMANDS[listing], "--db", examples_db]
    records = json.loads(run(*argv, "--format", "json").stdout)
    assert records, listing
    table = list(csv.reader(io.StringIO(run(*argv, "--format", "csv").stdout)))
    header, rows = table[0], table[1:]
    assert header == list(LISTINGS[listing].columns or ())
    expected = (
        sum(max(1, len(r["statements"])) for r in records)
        if listing == "contested"
        else len(records)
    )
    assert len(rows) == expected
    assert all(len(row) == len(header) for row in rows)
    assert all(_no_blob(v) for row in rows for v in row), listing

    lines = run(*argv, "--format", "jsonl").stdout.splitlines()
    assert [json.loads(line) for line in lines] == records


@pytest.mark.parametrize("listing", sorted(COMMANDS))
def test_fixed_columns_match_the_records(examples_db: str, listing: str) -> None:
    """The column lists are written out (so an empty listing still has a header); they
    must follow the records' fields."""
    argv = [*COMMANDS[listing], "--db", examples_db, "--format", "json"]
    columns, rows = flat_rows(listing, json.loads(run(*argv).stdout))
    seen = {k for row in rows for k in row} - {"voice"}  # a timeline event has no voice
    assert seen == set(columns)


def test_contested_csv_names_the_sides(examples_db: str) -> None:
    rows = list(
        csv.DictReader(io.StringIO(run("contested", "--db", examples_db, "--format", "csv").stdout))
    )
    supplied = [r for r in rows if r["proposition"] == "Iran supplied drone to Russia"]
    assert supplied
    assert "Nasser Kanaani" in supplied[0]["deny_voices"].split("; ")
    assert "John Kirby" in supplied[0]["affirm_voices"].split("; ")
    assert {r["side"] for r in supplied} == {"affirm", "deny"}
    kanaani = [r for r in supplied if r["voice_name"] == "Nasser Kanaani"]
    assert kanaani and {r["side"] for r in kanaani} == {"deny"}
    assert all(r["voice_id"] == "person:nasser kanaani" for r in kanaani)


def test_cells() -> None:
    assert cell("=HYPERLINK(1)") == "'=HYPERLINK(1)"
    assert cell("a\nb\r\nc") == "a b c"
    assert cell(None) == "" and cell(True) == "true" and cell(3) == 3
    assert cell([[1, 4], [6, 9]]) == "1-4; 6-9"
    flat = flatten({"voice": {"id": "x", "name": "X"}, "affirm": [{"name": "A"}, {"name": "B"}]})
    assert flat == {"voice_id": "x", "voice_name": "X", "affirm": "A; B"}


@pytest.mark.parametrize(
    ("path", "listing", "params"),
    [
        ("/api/statements", "statements", {}),
        ("/api/actors", "actors", {}),
        ("/api/claims", "claims", {}),
        ("/api/contested", "contested", {}),
        ("/api/threads", "threads", {}),
        ("/api/timeline", "timeline", {"actor": "state:IRN"}),
        ("/api/events", "events", {}),
        ("/api/documents", "documents", {}),
        ("/api/search", "search", {"q": "drones"}),
    ],
)
def test_web_csv_is_flat_and_the_same_as_the_command_line(
    web: httpx.Client, path: str, listing: str, params: dict[str, str]
) -> None:
    r = web.get(path, params={**params, "format": "csv", "limit": 20})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    table = list(csv.reader(io.StringIO(r.text)))
    assert len(table) > 1
    assert all(_no_blob(v) for row in table for v in row), listing
    fixed = LISTINGS[listing].columns
    if fixed is not None:
        assert table[0] == list(fixed)
        page = web.get(path, params={**params, "limit": 20}).json()["items"]
        _, rows = flat_rows(listing, page)
        assert len(table) - 1 == len(rows)


# --------------------------------------------------------------------------- ClaimReview


def _ancestors(type_: str) -> list[str]:
    out = []
    t: str | None = type_
    while t is not None:
        out.append(t)
        t = SCHEMA["types"][t]["parent"]
    return out


def _check_node(node: dict[str, Any], where: str) -> None:
    """Every @type is a schema.org type, every property is defined on it (or a parent)
    and holds a value of a type the property expects."""
    type_ = node["@type"]
    assert type_ in SCHEMA["types"], f"{where}: unknown type {type_}"
    allowed = {p for t in _ancestors(type_) for p in SCHEMA["types"][t]["properties"]}
    for key, value in node.items():
        if key.startswith("@"):
            continue
        assert key in allowed, f"{where}: {type_} has no property {key}"
        ranges = SCHEMA["ranges"][key]
        for v in value if isinstance(value, list) else [value]:
            if isinstance(v, dict):
                assert any(r in _ancestors(v["@type"]) for r in ranges), f"{where}.{key}"
                _check_node(v, f"{where}.{key}")
            elif "Number" in ranges and isinstance(v, int | float):
                pass
            else:
                assert isinstance(v, str) and v.strip(), f"{where}.{key}: {v!r}"
                if ranges == ["URL"]:
                    assert re.match(r"^https?://", v), f"{where}.{key}: {v!r}"
                if set(ranges) <= {"Date", "DateTime"}:
                    assert re.match(r"^\d{4}(-\d\d(-\d\d)?)?", v), f"{where}.{key}: {v!r}"


def _has(node: dict[str, Any], spec: str) -> bool:
    return any(node.get(k) not in (None, "", []) for k in spec.split("|"))


def _check_google(review: dict[str, Any]) -> None:
    for path, required in SCHEMA["google_required"].items():
        node: Any = review
        for part in path.split(".")[1:]:
            node = node[part]
        for spec in required:
            assert _has(node, spec), f"{path} lacks {spec}"


def test_claimreview_is_valid_schema_org(examples_db: str) -> None:
    out = run(
        "export", "claimreview", "--db", examples_db, "--author", "Example Fact Desk",
        "--author-url", "https://facts.example.org", "--base-url", "https://cg.example.org/",
        "--date", "2026-01-02",
    ).stdout  # fmt: skip
    reviews = json.loads(out)
    assert reviews
    for n, review in enumerate(reviews):
        assert review["@context"] == "https://schema.org" and review["@type"] == "ClaimReview"
        _check_node(review, f"review[{n}]")
        _check_google(review)
        assert review["itemReviewed"]["@type"] == "Claim"
        assert review["reviewRating"]["alternateName"] == "Contested"
        assert review["author"] == {
            "@type": "Organization",
            "name": "Example Fact Desk",
            "url": "https://facts.example.org",
        }
        assert review["datePublished"] == "2026-01-02"
        assert review["url"].startswith("https://cg.example.org/threads/th")
    assert len({r["identifier"] for r in reviews}) == len(reviews)


def test_claimreview_one_per_proposition_side_and_voice(examples_db: str) -> None:
    contested = json.loads(run("contested", "--db", examples_db, "--format", "json").stdout)
    reviews = json.loads(run("contested", "--db", examples_db, "--format", "claimreview").stdout)
    expected = {
        (c["thread"], c["kind"], side, v["name"])
        for c in contested
        for side in ("affirm", "deny")
        for v in c[side]
        if any(s["voice"]["id"] == v["id"] for s in c["statements"])
    }
    got = {
        (r["identifier"].split(":")[1], r["identifier"].split(":")[2],
         r["identifier"].split(":")[3], r["itemReviewed"]["author"]["name"])
        for r in reviews
    }  # fmt: skip
    assert got == expected
    kanaani = next(
        r
        for r in reviews
        if r["itemReviewed"]["author"]["name"] == "Nasser Kanaani"
        and r["itemReviewed"]["name"] == "Iran supplied drone to Russia"
    )
    assert kanaani["itemReviewed"]["author"]["@type"] == "Person"
    assert "affirmed by" in kanaani["reviewRating"]["ratingExplanation"]
    assert "John Kirby" in kanaani["reviewRating"]["ratingExplanation"]
    urls = [a.get("url") for a in kanaani["itemReviewed"]["appearance"]]
    assert any(u and u.startswith("https://") for u in urls)
    assert kanaani["itemReviewed"]["firstAppearance"] == kanaani["itemReviewed"]["appearance"][0]
    assert "url" not in kanaani  # no --base-url: the identifier stands in


# --------------------------------------------------------------------------- network


@pytest.mark.parametrize("fmt", ["graphml", "gexf"])
@pytest.mark.parametrize("options", [{}, {"actor": "state:IRN", "max_nodes": "8"}])
def test_network_files_hold_the_web_network(
    web: httpx.Client, examples_db: str, tmp_path: Path, fmt: str, options: dict[str, str]
) -> None:
    nx = pytest.importorskip("networkx")
    params = {k: v for k, v in options.items()}
    expected = web.get("/api/network", params=params).json()
    assert expected["nodes"] and expected["edges"]
    path = tmp_path / f"net.{fmt}"
    argv = ["export", "network", "--db", examples_db, "--format", fmt, "-o", str(path)]
    if "actor" in options:
        argv += ["--actor", options["actor"], "--max-nodes", options["max_nodes"]]
    run(*argv)
    graph = nx.read_graphml(path) if fmt == "graphml" else nx.read_gexf(path)
    assert graph.is_directed()
    nodes = {n["id"]: (n["name"], n["type"], n["country"], n["weight"]) for n in expected["nodes"]}
    assert {
        k: (d["label"], d["type"], d.get("country"), int(d["weight"]))
        for k, d in graph.nodes(data=True)
    } == nodes
    edges = {(e["source"], e["target"], e["kind"]): e["count"] for e in expected["edges"]}
    found = {(s, t, d["kind"]): int(d["weight"]) for s, t, d in graph.edges(data=True)}
    assert found == edges and graph.number_of_edges() == len(edges)


def test_network_on_stdout_is_xml(examples_db: str) -> None:
    out = run("export", "network", "--db", examples_db, "--kind", "acts").stdout
    assert out.startswith('<?xml version="1.0" encoding="UTF-8"?>\n<graphml')
    assert ">speaks<" not in out and ">acts<" in out


def test_network_names_with_markup_and_control_characters_stay_parseable() -> None:
    import xml.etree.ElementTree as ET

    from claimgraph.browse import Network, NetworkEdge, NetworkNode
    from claimgraph.exporters.network import FORMATS

    name = 'Smith & <Sons> "Ltd"\x01\x0b\x1f'
    net = Network(
        [
            NetworkNode("e:1", name, "organisation", None, 1),
            NetworkNode("e:2", "Iran\x00", "state", "IRN", 1),
        ],
        [NetworkEdge("e:1", "e:2", "speaks", 1)],
    )
    for fmt, write in FORMATS.items():
        root = ET.fromstring(write(net).encode("utf-8"))  # parses: markup escaped, controls gone
        if fmt == "graphml":
            labels = [el.text for el in root.iter() if el.get("key") == "n_label"]
        else:
            labels = [el.get("label") for el in root.iter() if el.tag.endswith("}node")]
        assert labels == ['Smith & <Sons> "Ltd"', "Iran"], fmt


# --------------------------------------------------------------------------- SQL views


@pytest.fixture(
    scope="module", params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]
)
def ledger_url(request: pytest.FixtureRequest, examples_db: str) -> Iterator[str]:
    """The example articles in a store, once per backend (PostgreSQL: a private schema,
    dropped afterwards, as conftest's pg_schema_url but for the whole module)."""
    if request.param == "sqlite":
        yield examples_db
        return
    import psycopg

    from claimgraph.batch import ingest_paths

    pg_url: str = request.getfixturevalue("pg_url")
    schema = f"cg_test_{uuid.uuid4().hex[:12]}"
    url = f"{pg_url}{'&' if urlsplit(pg_url).query else '?'}schema={schema}"
    try:
        report = ingest_paths(REPO / "examples", url, workers=1)
        assert report.stored > 0 and not report.skipped
        with open_store(url) as store:
            store.ensure_threads()  # what `claimgraph ingest` ends with
        yield url
    finally:
        with psycopg.connect(pg_url, autocommit=True) as conn:
            conn.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')


ID_LIKE = re.compile(r"^(person|state|organisation|igo|media|group|unknown):|^[0-9a-f]{16}:")


def _query(url: str, sql: str) -> list[dict[str, Any]]:
    with open_store(url) as store:
        cur = store._execute(sql)  # the store's own connection: either backend
        names = [d[0] for d in cur.description]
        return [dict(zip(names, row, strict=True)) for row in cur.fetchall()]


def test_readable_views_show_names(ledger_url: str) -> None:
    name_columns = {
        "statements_readable": ("speaker", "channel", "document"),
        "events_readable": ("actor", "target", "voice", "document"),
        "claims_readable": ("voice", "document"),
        "contested_readable": ("voice", "document", "proposition"),
    }
    for view in VIEWS:
        rows = _query(ledger_url, f"SELECT * FROM {view}")
        assert rows, view
        for column in name_columns[view]:
            values = {r[column] for r in rows if r[column] is not None}
            assert values, (view, column)
            assert not any(ID_LIKE.match(str(v)) for v in values), (view, column)
    speakers = {r["speaker"] for r in _query(ledger_url, "SELECT speaker FROM statements_readable")}
    assert {"Nasser Kanaani", "John Kirby"} <= speakers
    kirby = _query(
        ledger_url,
        "SELECT content, cue, published FROM statements_readable WHERE speaker = 'John Kirby'",
    )
    assert kirby and all(r["content"] and r["cue"] and r["published"] for r in kirby)
    aid = _query(
        ledger_url,
        "SELECT actor, target, trigger_text, sentence FROM events_readable "
        "WHERE event_type = 'AID' AND actor = 'Iran' AND target = 'Russia'",
    )
    assert aid and all(r["trigger_text"] in r["sentence"] for r in aid)


def test_contested_view_has_the_sides_of_contested(ledger_url: str) -> None:
    with open_store(ledger_url) as store:
        contested = store.contested()
    rows = _query(ledger_url, "SELECT * FROM contested_readable")
    for item in contested:
        mine = [r for r in rows if r["thread_id"] == item.thread and r["contest"] == item.kind]
        a, b = ("affirm", "deny") if item.kind == "polarity" else ("side A", "side B")
        assert {r["voice"] for r in mine if r["side"] == a} == {v.name for v in item.affirm}
        assert {r["voice"] for r in mine if r["side"] == b} == {v.name for v in item.deny}
        claims = {s.claim: s.text for s in item.statements}
        for r in mine:
            if r["claim_id"] in claims:
                assert r["sentence"].strip() == claims[r["claim_id"]]


# --------------------------------------------------------------------------- datasette


def test_datasette_metadata_describes_what_the_database_holds(examples_db: str) -> None:
    meta = json.loads(run("export", "datasette-metadata", "--db", examples_db).stdout)
    name = database_name(examples_db)
    assert name == "examples" and list(meta["databases"]) == [name]
    assert meta == metadata(examples_db)
    db = meta["databases"][name]
    conn = sqlite3.connect(sqlite_path(examples_db))
    try:
        present = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
        assert set(db["tables"]) <= present
        assert set(VIEWS) <= set(db["tables"])
        for table, info in db["tables"].items():
            columns = {r[1] for r in conn.execute(f"PRAGMA table_info({table})")}
            assert set(info.get("columns", {})) <= columns, table
            assert set(info.get("facets", [])) <= columns, table
            if "sort_desc" in info:
                assert info["sort_desc"] in columns, table
        params = {"words": "drones", "actor": "Iran"}
        for query in db["queries"].values():
            rows = conn.execute(query["sql"], params).fetchall()
            assert rows, query["title"]
    finally:
        conn.close()
