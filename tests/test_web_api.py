"""The REST API against a real server (uvicorn in a thread) over a real SQLite store
holding the example articles, and the list endpoints against PostgreSQL."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import httpx
import pytest

from claimgraph.store import open_store
from claimgraph.web import create_app
from webserver import AUTH, EXAMPLES, TOKEN, XSS_TEXT, live_server

IRAN_ADMITS = "2022-11-05_daily_iran-admits-drones.txt"
NEW_ARTICLE = (
    "Kyiv says it intercepted drones over the capital\n\n"
    "KYIV — Ukraine's air force said on Tuesday that it had shot down twelve drones over "
    "the capital overnight. Defence minister Oleksii Reznikov told reporters that the "
    "drones were made in Iran. Iran's foreign ministry denied that it had sent any "
    "drones to Russia since the invasion, and a spokesman said the claims were baseless.\n"
)


@pytest.fixture(scope="module")
def server(examples_db: str) -> Iterator[str]:
    with live_server(create_app(examples_db, token=TOKEN)) as base:
        yield base


@pytest.fixture(scope="module")
def api(server: str) -> Iterator[httpx.Client]:
    """A client that sends the write token (as a script on this machine would)."""
    with httpx.Client(base_url=server, timeout=120, headers=AUTH) as client:
        yield client


def doc_id(api: httpx.Client, name: str) -> str:
    items = api.get("/api/documents", params={"limit": 500}).json()["items"]
    return next(d["id"] for d in items if d["name"].endswith(name))


# --------------------------------------------------------------------------- documents


def test_overview_counts_what_the_store_holds(api: httpx.Client, examples_db: str) -> None:
    body = api.get("/api").json()
    with open_store(examples_db) as store:
        assert body["documents"] == store.count_documents()
        assert body["contested"] == store.count_contested()
    assert body["statements"] > body["documents"] > 0
    assert body["contested"] >= 1
    assert body["first_published"] <= body["last_published"]


def test_documents_page_newest_first_with_counts(api: httpx.Client) -> None:
    page = api.get("/api/documents", params={"limit": 3}).json()
    assert page["limit"] == 3 and page["offset"] == 0 and len(page["items"]) == 3
    assert page["total"] >= 13  # the example articles (more once articles are POSTed)
    dates = [d["published"] for d in page["items"]]
    assert dates == sorted(dates, reverse=True)
    rest = api.get("/api/documents", params={"limit": 500, "offset": 3}).json()
    assert len(rest["items"]) == page["total"] - 3
    assert not {d["id"] for d in page["items"]} & {d["id"] for d in rest["items"]}
    first = page["items"][0]
    assert first["headline"] and first["statements"] > 0 and first["actors"] > 0


def test_documents_filters_and_bad_parameters(api: httpx.Client) -> None:
    got = api.get("/api/documents", params={"since": "2022-11", "until": "2022-11"}).json()
    assert got["items"] and all(d["published"].startswith("2022-11") for d in got["items"])
    bad = [{"limit": 0}, {"limit": 501}, {"offset": -1}]
    bad += [{"since": "yesterday"}, {"until": "2022-13"}]
    for params in bad:
        r = api.get("/api/documents", params=params)
        assert r.status_code == 422, params
        assert r.headers["content-type"].startswith("application/json")
    r = api.get("/api/documents", params={"since": "2022-02-30"})
    assert r.status_code == 422 and "not a date" in r.json()["detail"][0]["msg"]


def test_documents_as_csv(api: httpx.Client) -> None:
    r = api.get("/api/documents", params={"format": "csv", "limit": 500})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(r.text)))
    assert len(rows) == api.get("/api").json()["documents"]
    assert {"id", "name", "published", "statements"} <= set(rows[0])
    assert any(row["name"].endswith(IRAN_ADMITS) for row in rows)


def test_document_with_its_spans(api: httpx.Client) -> None:
    body = api.get(f"/api/documents/{doc_id(api, IRAN_ADMITS)}").json()
    text = body["text"]
    assert body["document"]["headline"].startswith("Iran admits sending drones to Russia")
    assert [s["kind"] for s in body["sections"]] == ["headline", "caption", "body", "related"]
    acknowledged = next(a for a in body["attributions"] if a["cue"]["text"] == "acknowledged")
    assert acknowledged["speaker"]["name"] == "Hossein Amirabdollahian"
    assert acknowledged["speaker"]["entity"] == "person:hossein amirabdollahian"
    assert acknowledged["source"]["text"] == "Iran’s foreign minister"
    for att in body["attributions"]:  # every span is an exact slice of the text
        for role in ("source", "cue", "content"):
            span = att[role]
            if span:
                assert text[span["start"] : span["end"]] == span["text"]
    via_irna = [a for a in body["attributions"] if a["channel"]]
    assert via_irna and via_irna[0]["channel"]["name"] == "IRNA"
    assert any(e["type"] == "AID" for e in body["events"])


def test_unknown_ids_are_404_json(api: httpx.Client) -> None:
    for path in (
        "/api/documents/0000000000000000",
        "/api/actors/person:nobody at all",
        "/api/threads/th-none",
    ):
        r = api.get(path)
        assert r.status_code == 404, path
        assert r.headers["content-type"].startswith("application/json")
        assert "no " in r.json()["detail"]


# --------------------------------------------------------------------------- actors etc.


def test_actors_most_quoted_first_and_profile(api: httpx.Client) -> None:
    page = api.get("/api/actors", params={"limit": 10}).json()
    counts = [a["statements"] for a in page["items"]]
    assert counts == sorted(counts, reverse=True) and page["total"] > 10
    kanaani = api.get("/api/actors", params={"name": "kanaani"}).json()["items"]
    assert [a["name"] for a in kanaani] == ["Nasser Kanaani"]
    profile = api.get(f"/api/actors/{quote(kanaani[0]['id'], safe='')}").json()
    assert profile["entity"]["id"] == "person:nasser kanaani"
    assert profile["said"] and all(s["speaker"] == "Nasser Kanaani" for s in profile["said"])
    iran = api.get("/api/actors/state:IRN").json()
    assert (iran["entity"]["country"] == "IRN" and iran["targeted"]) or iran["acts"]


def test_statements_filters(api: httpx.Client) -> None:
    by = api.get("/api/statements", params={"speaker": "Kanaani"}).json()
    assert by["total"] == len(by["items"]) > 0
    assert all("Kanaani" in s["speaker"] for s in by["items"])
    deny = api.get("/api/statements", params={"stance": "deny", "limit": 500}).json()
    assert deny["items"] and all(s["stance"] == "deny" for s in deny["items"])
    page = api.get("/api/statements", params={"limit": 2, "offset": 1}).json()
    everything = api.get("/api/statements", params={"limit": 3}).json()
    assert [s["id"] for s in page["items"]] == [s["id"] for s in everything["items"][1:3]]
    r = api.get("/api/statements", params={"format": "csv", "speaker": "Kanaani"})
    assert r.text.splitlines()[0].startswith("id,document_id,")
    assert len(list(csv.DictReader(io.StringIO(r.text)))) == by["total"]


def test_events_filters(api: httpx.Client) -> None:
    aid = api.get("/api/events", params={"type": "aid", "limit": 500}).json()
    assert aid["total"] == len(aid["items"]) > 0 and {e["type"] for e in aid["items"]} == {"AID"}
    page = api.get("/api/events", params={"limit": 5, "offset": 5}).json()
    assert len(page["items"]) == 5 and page["total"] > 10
    assert api.get("/api/events", params={"since": "2022-02-30"}).status_code == 422


def test_search_finds_actors_articles_and_statements(api: httpx.Client) -> None:
    body = api.get("/api/search", params={"q": "Kanaani"}).json()
    assert body["method"] == "fts5" and body["note"] is None
    assert body["counts"]["actor"] == 1 and body["counts"]["document"] >= 3
    assert body["items"][0]["kind"] == "actor" and body["items"][0]["title"] == "Nasser Kanaani"
    for hit in body["items"]:
        for s, e in hit["highlights"]:
            assert hit["snippet"][s:e].lower().startswith("kanaani")
    stmts = api.get("/api/search", params={"q": "drones Russia", "kind": "statement"}).json()
    assert stmts["total"] == stmts["counts"]["statement"] > 0
    assert all(h["kind"] == "statement" and h["details"]["cue"] for h in stmts["items"])
    # stemming: "sanction" finds "sanctions"
    assert api.get("/api/search", params={"q": "sanction"}).json()["counts"]["document"] >= 1
    # FTS syntax in the query is just words, never an error
    odd = api.get("/api/search", params={"q": 'drones" OR (NEAR'})
    assert odd.status_code == 200
    assert api.get("/api/search", params={"q": "x", "kind": "planet"}).status_code == 422


def test_network_edges_join_listed_nodes(api: httpx.Client) -> None:
    net = api.get("/api/network").json()
    ids = {n["id"] for n in net["nodes"]}
    assert "state:IRN" in ids and "state:RUS" in ids
    assert net["edges"] and all(e["source"] in ids and e["target"] in ids for e in net["edges"])
    assert {e["kind"] for e in net["edges"]} == {"acts", "speaks"}
    ego = api.get("/api/network", params={"actor": "person:nasser kanaani"}).json()
    assert all("person:nasser kanaani" in (e["source"], e["target"]) for e in ego["edges"])


# --------------------------------------------------------------------------- claims


def test_contested_claims_have_both_sides(api: httpx.Client) -> None:
    page = api.get("/api/contested").json()
    assert page["total"] == len(page["items"]) >= 1
    top = page["items"][0]
    assert top["affirm"] and top["deny"]
    sides = {s["side"] for s in top["statements"]}
    assert {"affirm", "deny"} <= sides
    for s in top["statements"]:
        assert s["evidence"]["start"] >= s["start"] and s["evidence"]["end"] <= s["end"]
    thread = api.get(f"/api/threads/{top['thread']}").json()
    assert thread["proposition"] == top["proposition"] and thread["contested"] is True
    assert thread["statements"]


def test_threads_claims_and_timeline(api: httpx.Client) -> None:
    threads = api.get("/api/threads", params={"contested": "true"}).json()
    assert threads["items"] and all(t["contested"] for t in threads["items"])
    claims = api.get("/api/claims", params={"by": "Kanaani"}).json()
    assert claims["items"] and all("Kanaani" in c["voice"]["name"] for c in claims["items"])
    tl = api.get("/api/timeline", params={"actor": "state:IRN"}).json()
    dates = [i["date"] for i in tl["items"] if i["date"]]
    assert tl["items"] and dates == sorted(dates)
    assert api.get("/api/timeline").status_code == 422


# --------------------------------------------------------------------------- ingest


def test_post_article_then_again(api: httpx.Client) -> None:
    payload = {
        "text": NEW_ARTICLE,
        "title": "Kyiv says it intercepted drones over the capital",
        "outlet": "Test Wire",
        "published": "2022-12-20",
        "url": "https://news.example.org/kyiv-intercepts",
    }
    first = api.post("/api/documents", json=payload)
    assert first.status_code == 201, first.text
    body = first.json()
    assert body["stored"] is True and body["statements"] > 0 and body["actors"] > 0
    assert body["reader"] == f"/documents/{body['id']}"
    again = api.post("/api/documents", json=payload)
    assert again.status_code == 200
    assert again.json()["already_stored"] is True and "already stored" in again.json()["message"]
    stored = api.get(f"/api/documents/{body['id']}").json()["document"]
    assert stored["outlet"] == "Test Wire" and stored["published"] == "2022-12-20"
    assert api.get("/api/search", params={"q": "Reznikov"}).json()["counts"]["document"] == 1


def test_post_raw_text_with_query_metadata(api: httpx.Client) -> None:
    text = NEW_ARTICLE.replace("twelve", "fourteen")
    r = api.post(
        "/api/documents",
        content=text.encode("utf-8"),
        params={"title": "Fourteen drones", "published": "2022-12-21", "name": "wire-14"},
        headers={"content-type": "text/plain; charset=utf-8"},
    )
    assert r.status_code == 201, r.text
    assert r.json()["name"] == "wire-14"


def test_post_bad_input_names_document_and_reason(api: httpx.Client) -> None:
    cases = [
        ({"text": "   \n  ", "name": "blank.txt"}, "empty"),
        (
            {
                "text": "Министр заявил, что беспилотники не поставлялись в Россию. " * 10,
                "name": "russian.txt",
            },
            "English",
        ),
        ({"text": NEW_ARTICLE, "published": "last Tuesday", "name": "dated.txt"}, "date"),
    ]
    for payload, reason in cases:
        r = api.post("/api/documents", json=payload)
        assert r.status_code == 400, (payload, r.text)
        body = r.json()
        assert body["document"] == payload["name"]
        assert reason in body["reason"] and body["detail"].startswith(payload["name"])
    json_type = {"content-type": "application/json"}
    r = api.post("/api/documents", content=b"{not json", headers=json_type)
    assert r.status_code == 400 and "not a valid article record" in r.json()["detail"]
    r = api.post("/api/documents", content=b"x", headers={"content-type": "image/png"})
    assert r.status_code == 415


def test_article_markup_is_escaped_in_the_reader(api: httpx.Client) -> None:
    r = api.post("/api/documents", json={"text": XSS_TEXT, "name": "xss.txt"})
    assert r.status_code in (200, 201), r.text
    page = api.get(r.json()["reader"])
    assert page.status_code == 200
    html = page.text
    assert "<script>alert(1)</script>" not in html
    assert "<img src=x" not in html and "onerror=alert(1)>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in re.sub(r"<[^>]+>", "", html)
    # the popover data is JSON inside a script element: no "<" may appear in it raw
    data = html.split('id="cg-data">', 1)[1].split("</script>", 1)[0]
    assert "<" not in data


# --------------------------------------------------------------------------- pages


def test_contested_is_two_clicks_from_home(api: httpx.Client) -> None:
    home = api.get("/").text
    assert 'href="/contested"' in home
    board = api.get("/contested").text
    top = api.get("/api/contested").json()["items"][0]
    assert top["proposition"] in board
    assert f"/threads/{top['thread']}" in board
    assert api.get(f"/threads/{top['thread']}").status_code == 200


def test_pages_answer_and_unknown_pages_are_html_404(api: httpx.Client) -> None:
    for path in (
        "/documents",
        "/actors",
        "/statements",
        "/events",
        "/timeline",
        "/network",
        "/search?q=drones",
        "/actors/state%3AIRN",
        "/static/vendor/echarts/LICENSE",
    ):
        assert api.get(path).status_code == 200, path
    r = api.get("/documents/0000000000000000")
    assert r.status_code == 404 and r.headers["content-type"].startswith("text/html")
    assert "no document with id" in r.text


# --------------------------------------------------------------------------- PostgreSQL


@pytest.mark.postgres
def test_list_endpoints_on_postgresql(pg_schema_url: str) -> None:
    from claimgraph.batch import ingest_paths

    files = sorted(Path(EXAMPLES).glob("2022-*.txt"))
    report = ingest_paths(files, pg_schema_url, workers=1)
    assert report.stored == len(files)
    with live_server(create_app(pg_schema_url)) as base, httpx.Client(base_url=base) as api:
        assert api.get("/api").json()["documents"] == len(files)
        docs = api.get("/api/documents", params={"limit": 2}).json()
        assert docs["total"] == len(files) and len(docs["items"]) == 2
        assert api.get("/api/actors").json()["items"][0]["statements"] > 0
        kanaani = api.get("/api/statements", params={"speaker": "Kanaani"}).json()
        assert kanaani["items"] and all("Kanaani" in s["speaker"] for s in kanaani["items"])
        assert api.get("/api/events", params={"type": "AID"}).json()["total"] > 0
        found = api.get("/api/search", params={"q": "sanctions drones"}).json()
        assert found["method"] == "postgresql" and found["counts"]["document"] >= 1
        assert all(h["snippet"][s:e] for h in found["items"] for s, e in h["highlights"])
        assert api.get("/api/contested").status_code == 200
        assert api.get("/api/network").json()["nodes"]
        detail = api.get(f"/api/documents/{docs['items'][0]['id']}").json()
        assert detail["attributions"]


def test_page_totals_agree_with_the_store_lists(examples_db: str) -> None:
    """The web layer's counts mirror the filters of Store.claims/threads/events: a
    change to those filters must change the counts too."""
    with open_store(examples_db) as store:
        for filters in ({}, {"by": "Kanaani"}, {"about": "state:UKR"}, {"about": "russia"}):
            assert store.count_claims(**filters) == len(store.claims(**filters)), filters
        for tf in ({}, {"contested": True}, {"actor": "state:IRN"}):
            assert store.count_threads(**tf) == len(store.threads(**tf)), tf
        for ef in ({}, {"type": "aid"}, {"actor": "iran", "since": "2022-10"}):
            rows, total = store.event_page(limit=3, offset=2, **ef)
            every = store.events(**ef)
            assert total == len(every) and [r.id for r in rows] == [r.id for r in every[2:5]]
        rows, total = store.statement_page(speaker="kanaani", limit=500)
        assert [s.id for s in rows] == [s.id for s in store.statements(speaker="kanaani")]


def _page_total(html: str) -> int:
    """The total the statements page's pager states ("1–50 of 200" or "17 in all")."""
    m = re.search(r"of (\d+)</span>|<p class=\"muted\">(\d+) in all</p>", html)
    assert m, "no total on the page"
    return int(m.group(1) or m.group(2))


@pytest.mark.parametrize(
    "query",
    [
        {},
        {"stance": "deny"},
        {"min_confidence": "0"},
        {"min_confidence": "0.9"},
        {"speaker": "Kanaani", "min_confidence": "0"},
    ],
)
def test_statements_page_lists_what_the_api_lists(api: httpx.Client, query: dict[str, str]) -> None:
    """One filter definition: the page and /api/statements agree on the same query
    string, the default confidence threshold included."""
    page = api.get("/statements", params=query)
    assert page.status_code == 200
    listed = api.get("/api/statements", params={**query, "limit": 1}).json()["total"]
    assert _page_total(page.text) == listed


def test_statements_form_with_empty_fields_means_no_filter(api: httpx.Client) -> None:
    """An HTML form sends every field, empty ones as ``name=``: that is no filter."""
    empty = api.get("/statements", params={"speaker": "", "about": "", "stance": ""})
    assert empty.status_code == 200
    assert _page_total(empty.text) == _page_total(api.get("/statements").text)
    assert api.get("/api/statements", params={"stance": ""}).status_code == 200
    assert api.get("/api/statements", params={"stance": "no such!"}).status_code == 422


def test_statements_form_shows_the_threshold_in_force(api: httpx.Client) -> None:
    """The form's confidence field shows the threshold applied, so resubmitting the
    form keeps it (0 after asking for everything, the default otherwise)."""
    default = api.get("/api/statements", params={"limit": 1}).json()
    assert default["total"] > 0
    shown = re.search(r'name="min_confidence" value="([^"]*)"', api.get("/statements").text)
    assert shown and 0 < float(shown.group(1)) < 1
    everything = api.get("/statements", params={"min_confidence": "0"}).text
    shown = re.search(r'name="min_confidence" value="([^"]*)"', everything)
    assert shown and float(shown.group(1)) == 0
