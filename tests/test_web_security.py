"""The web server against other sites, other host names, script URLs and huge bodies:
a real server (uvicorn in a thread) over a real SQLite store of the example articles.

The browser's side of it (no payload runs on any page, the pages work under the
Content-Security-Policy) is in ``test_web_xss_browser.py``.
"""

from __future__ import annotations

import json
import socket
import sqlite3
import time
from collections.abc import Iterator, MutableMapping
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx
import pytest
from click.testing import CliRunner

from claimgraph.errors import MalformedRecordError
from claimgraph.ingest import document_from_html, document_from_text, read_documents
from claimgraph.model import Document, Extraction
from claimgraph.store import open_store
from claimgraph.urls import checked_url, safe_url
from claimgraph.web import create_app
from claimgraph.web.security import CONTENT_SECURITY_POLICY, SecurityMiddleware, host_of
from webserver import AUTH, TOKEN, live_server

ARTICLE = (
    "Officials deny the drone report\n\n"
    "TEHRAN — Iran denied on Monday that it had sent drones to Russia, and a foreign "
    "ministry spokesman said the reports were baseless. Ukraine's air force said it had "
    "shot down several of them over Kyiv.\n"
)
#: The probe's request: a text/plain POST from another site, no token, a script URL.
EVIL = "http://evil.example"
BAD_URLS = [
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    "  javascript:alert(1)",
    "java\tscript:alert(1)",
    "java\nscript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "vbscript:msgbox(1)",
    "//evil.example/x",
    "/relative/path",
    "http://",
    "http:evil.example",
    "https://exa\u200bmple.org/",
    "ftp://example.org/file",
    "http://[::1",
]


@pytest.fixture(scope="module")
def server(examples_db: str) -> Iterator[str]:
    with live_server(create_app(examples_db, token=TOKEN, max_body=64 * 1024)) as base:
        yield base


@pytest.fixture(scope="module")
def anon(server: str) -> Iterator[httpx.Client]:
    """A client without the token."""
    with httpx.Client(base_url=server, timeout=120) as client:
        yield client


def documents(client: httpx.Client) -> int:
    total: int = client.get("/api/documents", params={"limit": 1}).json()["total"]
    return total


def sqlite_path(url: str) -> str:
    return url.removeprefix("sqlite:///")


# --------------------------------------------------------------------------- writes


def test_the_probe_cross_site_text_plain_post_is_refused(anon: httpx.Client) -> None:
    before = documents(anon)
    r = anon.post(
        "/api/documents",
        params={"url": "javascript:alert(1)"},
        headers={"Origin": EVIL, "content-type": "text/plain"},
        content=b"Iran denied it, officials said.",
    )
    assert r.status_code == 403, r.text
    assert "cross-origin" in r.json()["detail"]
    # with the token too: a page on another site never gets to write
    r = anon.post(
        "/api/documents",
        headers={"Origin": EVIL, "content-type": "application/json", **AUTH},
        content=json.dumps({"text": ARTICLE}).encode(),
    )
    assert r.status_code == 403
    assert documents(anon) == before


@pytest.mark.parametrize(
    "headers",
    [
        {"Referer": EVIL + "/page.html"},
        {"Origin": "null"},
        {"Sec-Fetch-Site": "cross-site"},
        {"Sec-Fetch-Site": "same-site"},
        # the same server under another of its names is another origin
        {"Origin": "http://localhost:1"},
    ],
)
def test_other_origins_are_refused(anon: httpx.Client, headers: dict[str, str]) -> None:
    r = anon.post(
        "/api/documents",
        headers={"content-type": "application/json", **AUTH, **headers},
        content=json.dumps({"text": ARTICLE}).encode(),
    )
    assert r.status_code == 403, r.text


def test_writes_need_the_token(anon: httpx.Client, server: str) -> None:
    before = documents(anon)
    body = json.dumps({"text": ARTICLE, "name": "no-token"}).encode()
    for headers in (
        {},
        {"Authorization": "Bearer wrong-token-0123456789"},
        {"Authorization": f"Basic {TOKEN}"},
        {"X-Claimgraph-Token": TOKEN[:-1]},
    ):
        r = anon.post(
            "/api/documents",
            headers={"content-type": "application/json", "Origin": server, **headers},
            content=body,
        )
        assert r.status_code == 401, (headers, r.text)
        assert r.headers["www-authenticate"].startswith("Bearer")
        assert "token" in r.json()["detail"]
    for method in ("PUT", "PATCH", "DELETE"):
        assert anon.request(method, "/api/documents").status_code == 401
    assert documents(anon) == before
    assert anon.get("/api/documents").status_code == 200  # reading stays open


def test_same_origin_post_with_token_works(anon: httpx.Client, server: str) -> None:
    text = ARTICLE.replace("Monday", "Tuesday")
    r = anon.post(
        "/api/documents",
        json={"text": text, "name": "same-origin", "url": "https://news.example.org/a"},
        headers={"Origin": server, "Referer": server + "/documents", **AUTH},
    )
    assert r.status_code == 201, r.text
    stored = anon.get(f"/api/documents/{r.json()['id']}").json()["document"]
    assert stored["url"] == "https://news.example.org/a"
    # the other header name, and a script with no Origin at all (curl)
    r = anon.post(
        "/api/documents",
        content=ARTICLE.replace("Monday", "Friday").encode(),
        headers={"content-type": "text/plain", "X-Claimgraph-Token": TOKEN},
    )
    assert r.status_code == 201, r.text
    r = anon.post(
        "/api/documents",
        json={"text": text},
        headers={"Origin": server.replace("127.0.0.1", "localhost"), **AUTH},
    )
    assert r.status_code == 403  # Host says 127.0.0.1: localhost is another origin


def test_json_endpoint_refuses_other_content_types(anon: httpx.Client) -> None:
    body = json.dumps({"text": ARTICLE}).encode()
    for ctype in (None, "application/x-www-form-urlencoded", "application/xml"):
        headers = dict(AUTH)
        if ctype:
            headers["content-type"] = ctype
        r = anon.post("/api/documents", content=body, headers=headers)
        assert r.status_code == 415, (ctype, r.text)
    # a form (the /add page's) is taken, but one that is not multipart is a 400
    r = anon.post(
        "/api/documents", content=body, headers={"content-type": "multipart/form-data", **AUTH}
    )
    assert r.status_code == 400, r.text


def test_the_add_form_is_behind_the_token_and_the_origin_check(
    anon: httpx.Client, server: str
) -> None:
    page = anon.get("/add")
    assert page.status_code == 200 and 'id="add-form"' in page.text
    assert TOKEN not in page.text  # readers must not learn the write token
    check_headers(page)
    before = documents(anon)
    form = {"text": ARTICLE.replace("Monday", "Sunday"), "title": "Form test"}
    r = anon.post("/api/documents", data=form, headers={"Origin": server})
    assert r.status_code == 401, r.text
    r = anon.post("/api/documents", data=form, headers={"Origin": "http://evil.example", **AUTH})
    assert r.status_code == 403, r.text
    r = anon.post(
        "/api/documents",
        files={"file": ("a.txt", b"x")},
        data=form,
        headers={"Origin": server, **AUTH},
    )
    assert r.status_code == 400 and "exactly one of" in r.json()["detail"], r.text
    assert documents(anon) == before


# --------------------------------------------------------------------------- URLs


@pytest.mark.parametrize("bad", BAD_URLS)
def test_safe_url_refuses_all_but_http(bad: str) -> None:
    assert safe_url(bad) is None
    with pytest.raises(MalformedRecordError, match="field 'url'"):
        checked_url(bad, "doc")


def test_safe_url_keeps_http_urls() -> None:
    assert safe_url(" https://news.example.org/a?b=1#c ") == "https://news.example.org/a?b=1#c"
    assert safe_url("HTTP://EXAMPLE.ORG") == "HTTP://EXAMPLE.ORG"
    assert safe_url("http://[::1]:8000/x") == "http://[::1]:8000/x"
    assert safe_url(None) is None and safe_url("") is None
    assert checked_url("   ", "doc") is None and checked_url(None, "doc") is None


@pytest.mark.parametrize("bad", ["javascript:alert(1)", "data:text/html,x", " vbscript:x"])
def test_api_refuses_script_urls(anon: httpx.Client, bad: str) -> None:
    before = documents(anon)
    r = anon.post("/api/documents", json={"text": ARTICLE, "url": bad, "name": "u"}, headers=AUTH)
    assert r.status_code == 400, r.text
    assert r.json()["document"] == "u" and "'url'" in r.json()["reason"]
    r = anon.post(
        "/api/documents",
        params={"url": bad},
        content=ARTICLE.encode(),
        headers={"content-type": "text/plain", **AUTH},
    )
    assert r.status_code == 400 and "http(s)" in r.json()["reason"]
    assert documents(anon) == before


def test_readers_refuse_or_drop_script_urls(tmp_path: Path) -> None:
    """A JSONL record (or a caller) naming a script URL is a malformed record; a URL an
    HTML page declares about itself is dropped (the page is still read)."""
    jsonl = tmp_path / "feed.jsonl"
    records = [
        {"text": ARTICLE, "url": "javascript:alert(1)"},
        {"text": ARTICLE.replace("Monday", "Sunday"), "url": "https://ok.example/1"},
        {"text": ARTICLE.replace("Monday", "Friday"), "url": ""},
    ]
    jsonl.write_text("\n".join(json.dumps(r) for r in records) + "\n", encoding="utf-8")
    out = list(read_documents([jsonl]))
    assert isinstance(out[0], MalformedRecordError)
    assert "'url'" in str(out[0]) and out[0].document.endswith("feed.jsonl:1")
    assert isinstance(out[1], Document) and out[1].url == "https://ok.example/1"
    assert isinstance(out[2], Document) and out[2].url is None
    with pytest.raises(MalformedRecordError, match="'url'"):
        document_from_text(ARTICLE, "t", url="javascript:alert(1)")
    page = (
        '<html><head><link rel="canonical" href="javascript:alert(1)">'
        '<meta property="og:url" content="javascript:alert(1)"><title>Drones</title>'
        "</head><body><article><h1>Drones</h1><p>"
        + ARTICLE.replace("\n", " ")
        + "</p></article></body></html>"
    )
    doc = document_from_html(page, "page.html")
    assert doc.url is None


def test_store_drops_script_urls(tmp_path: Path) -> None:
    store = open_store(tmp_path / "s.db")
    try:
        doc = Document("bad.txt", ARTICLE, url="javascript:alert(1)")
        assert store.save(Extraction(document=doc))
        view = store.document_view(doc.id)
        assert view is not None and view.summary.url is None
    finally:
        store.close()


def test_reader_never_links_a_stored_script_url(anon: httpx.Client, examples_db: str) -> None:
    """An old database may hold a script URL: the reader shows no link for it."""
    r = anon.post(
        "/api/documents",
        json={"text": ARTICLE.replace("Monday", "Wednesday"), "url": "https://ok.example/w"},
        headers=AUTH,
    )
    assert r.status_code == 201, r.text
    doc = r.json()["id"]
    assert 'href="https://ok.example/w"' in anon.get(f"/documents/{doc}").text
    with sqlite3.connect(sqlite_path(examples_db)) as db:
        db.execute("UPDATE documents SET url = ? WHERE id = ?", ("javascript:alert(1)", doc))
    html = anon.get(f"/documents/{doc}").text
    assert "javascript:" not in html and ">original</a>" not in html


# --------------------------------------------------------------------------- headers


def test_security_headers_on_every_answer(anon: httpx.Client) -> None:
    for path in ("/", "/documents", "/api", "/api/documents", "/openapi.json", "/static/app.js"):
        r = anon.get(path)
        assert r.status_code == 200, path
        check_headers(r)
    check_headers(anon.get("/api/documents/nope"))  # 404 JSON
    check_headers(anon.get("/documents/nope"))  # 404 page
    check_headers(anon.post("/api/documents"))  # 401 from the middleware
    check_headers(anon.get("/", headers={"Host": "evil.example"}))  # 400


def check_headers(r: httpx.Response) -> None:
    csp = r.headers.get("content-security-policy", "")
    assert csp == CONTENT_SECURITY_POLICY, (r.url, r.headers)
    assert "'unsafe-inline'" not in csp and "'unsafe-eval'" not in csp
    assert "script-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert r.headers["x-content-type-options"] == "nosniff"
    assert r.headers["x-frame-options"] == "DENY"
    assert r.headers["referrer-policy"] == "no-referrer"


def test_pages_have_no_inline_script_or_handler(anon: httpx.Client) -> None:
    import re

    for path in ("/", "/documents", "/actors", "/timeline", "/network", "/search?q=drones", "/add"):
        html = anon.get(path).text
        for tag in re.findall(r"<script\b[^>]*>", html):
            assert 'src="/static/' in tag or 'type="application/json"' in tag, (path, tag)
        assert not re.search(r"<[^>]+\son[a-z]+\s*=", html), path
        assert not re.search(r"<[^>]+\sstyle\s*=", html), path


# --------------------------------------------------------------------------- hosts


@pytest.mark.parametrize("host", ["evil.example", "evil.example:80", "127.0.0.1.nip.io", ""])
def test_unknown_host_names_are_refused(anon: httpx.Client, host: str) -> None:
    r = anon.get("/api", headers={"Host": host})
    assert r.status_code == 400 and "Host" in r.json()["detail"]


def test_loopback_names_are_served(anon: httpx.Client, server: str) -> None:
    port = urlsplit(server).port
    for host in ("localhost", "127.0.0.1", "[::1]", "LOCALHOST."):
        r = anon.get("/api", headers={"Host": f"{host}:{port}"})
        assert r.status_code == 200, host


def test_allowed_hosts_are_configurable(examples_db: str) -> None:
    app = create_app(examples_db, allowed_hosts=["news.example"])
    with live_server(app) as base, httpx.Client(base_url=base) as client:
        assert client.get("/api", headers={"Host": "news.example"}).status_code == 200
        assert client.get("/api").status_code == 400  # 127.0.0.1 is not in the list
    assert host_of("[::1]:80") == "::1" and host_of("Example.ORG.:8000") == "example.org"


def test_a_host_header_with_more_than_a_port_is_no_allowed_name() -> None:
    for header in ("[::1]evil.example", "[::1]:80x", "localhost:http", "[::1", "localhost:8²"):
        assert host_of(header) == "", header
    assert host_of("localhost:") == "localhost" and host_of("::1") == "::1"


def test_tokens(examples_db: str) -> None:
    app = create_app(examples_db)
    assert len(app.state.token) >= 32 and app.state.token != create_app(examples_db).state.token
    with pytest.raises(ValueError, match="16 characters"):
        create_app(examples_db, token="short")
    # a header carries bytes: a token clients would encode differently is refused
    for token in ("é" * 16, "token-with-a-tab\there", "token\x00" * 3):
        with pytest.raises(ValueError, match="printable ASCII"):
            create_app(examples_db, token=token)


# --------------------------------------------------------------------------- bodies


def raw_request(base: str, head: str, body: bytes = b"", timeout: float = 5) -> bytes:
    """Send ``head`` (and ``body``) on a plain socket; the server's answer."""
    parts = urlsplit(base)
    with socket.create_connection((parts.hostname, parts.port), timeout=timeout) as sock:
        sock.sendall(head.encode("latin-1") + body)
        answer = b""
        while True:
            chunk = sock.recv(65536)
            if not chunk:
                break
            answer += chunk
    return answer


def test_huge_content_length_is_413_before_reading(server: str) -> None:
    port = urlsplit(server).port
    started = time.monotonic()
    answer = raw_request(
        server,
        "POST /api/documents HTTP/1.1\r\n"
        f"Host: 127.0.0.1:{port}\r\n"
        f"Authorization: Bearer {TOKEN}\r\n"
        "Content-Type: text/plain\r\n"
        "Content-Length: 10000000000\r\n\r\n",
    )
    assert answer.startswith(b"HTTP/1.1 413"), answer[:200]
    assert b"larger than the limit" in answer
    assert time.monotonic() - started < 5  # answered and closed, body never awaited
    # also without the token: the size is checked first
    answer = raw_request(
        server,
        f"POST /api/documents HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
        "Content-Length: 99999999\r\n\r\n",
    )
    assert answer.startswith(b"HTTP/1.1 413")


def asgi_status(app: Any, method: str, headers: list[tuple[bytes, bytes]]) -> int:
    """The status ``app`` answers a request with these raw headers, straight over
    ASGI: what an HTTP parser in front of it might let through."""
    import asyncio

    sent: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: MutableMapping[str, Any]) -> None:
        sent.append(dict(message))

    scope = {
        "type": "http",
        "method": method,
        "scheme": "http",
        "path": "/api/documents",
        "raw_path": b"/api/documents",
        "query_string": b"",
        "headers": [(b"host", b"127.0.0.1"), *headers],
    }
    asyncio.run(SecurityMiddleware(app, token=TOKEN, max_body=1000)(scope, receive, send))
    return int(sent[0]["status"])


def test_odd_content_lengths_are_answered_not_raised() -> None:
    async def ok(scope: Any, receive: Any, send: Any) -> None:
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b""})

    auth = [(b"authorization", f"Bearer {TOKEN}".encode())]
    for length, status in (
        (b"\xb2", 400),  # "²": a digit to str.isdigit, not to int()
        (b"\xd9\xa3", 400),
        (b"1" * 5000, 413),  # more digits than int() converts
        (b"0" * 5000 + b"7", 200),
        (b"1001", 413),
        (b" 1000 ", 200),
    ):
        assert asgi_status(ok, "POST", [(b"content-length", length), *auth]) == status, length


def test_chunked_body_is_cut_off_at_the_limit(anon: httpx.Client) -> None:
    sent: list[int] = []

    def chunks() -> Iterator[bytes]:
        for _ in range(64):  # 64 x 16 KiB = 1 MiB, the server's limit is 64 KiB
            sent.append(1)
            yield b"Iran denied it. " * 1024

    r = anon.post(
        "/api/documents",
        content=chunks(),
        headers={"content-type": "text/plain", **AUTH},
    )
    assert r.status_code == 413, r.text
    assert "larger than the limit" in r.json()["detail"]
    check_headers(r)


def test_a_body_under_the_limit_is_read(anon: httpx.Client) -> None:
    r = anon.post(
        "/api/documents",
        content=iter([b"not ", b"json"]),
        headers={"content-type": "application/json", **AUTH},
    )
    assert r.status_code == 400 and "not a valid article record" in r.json()["detail"]


# --------------------------------------------------------------------------- serve


def run_serve(
    monkeypatch: pytest.MonkeyPatch, db: str, *args: str, env_token: str | None = None
) -> tuple[int, str, dict[str, Any]]:
    """``claimgraph serve ARGS`` with uvicorn.run replaced: (exit code, output, the
    arguments uvicorn.run was given)."""
    import uvicorn

    from claimgraph.cli import main

    seen: dict[str, Any] = {}
    monkeypatch.setattr(uvicorn, "run", lambda app, **kw: seen.update(app=app, **kw))
    env = {"CLAIMGRAPH_TOKEN": env_token}
    result = CliRunner().invoke(main, ["serve", "--db", db, *args], env=env)
    return result.exit_code, result.output, seen


def test_serve_on_loopback_prints_the_token(
    monkeypatch: pytest.MonkeyPatch, examples_db: str
) -> None:
    code, out, seen = run_serve(monkeypatch, examples_db, "--port", "8123")
    assert code == 0, out
    assert "http://127.0.0.1:8123/" in out and "warning" not in out
    assert seen["app"].state.token in out  # printed once, at start
    assert seen["app"].state.allowed_hosts == ("localhost", "127.0.0.1", "::1")


def test_serve_on_another_loopback_address_answers_to_it(
    monkeypatch: pytest.MonkeyPatch, examples_db: str
) -> None:
    code, out, seen = run_serve(monkeypatch, examples_db, "--host", "127.0.0.2")
    assert code == 0, out
    assert "http://127.0.0.2:8000/" in out and "warning" not in out
    assert seen["app"].state.allowed_hosts == ("localhost", "127.0.0.1", "::1", "127.0.0.2")
    code, out, seen = run_serve(monkeypatch, examples_db, "--host", "[::1]")
    assert seen["app"].state.allowed_hosts == ("localhost", "127.0.0.1", "::1")


def test_serve_on_all_interfaces_names_them_and_warns(
    monkeypatch: pytest.MonkeyPatch, examples_db: str
) -> None:
    code, out, seen = run_serve(
        monkeypatch,
        examples_db,
        *("--host", "0.0.0.0", "--allowed-host", "news.example"),
        env_token="x" * 20,
    )
    assert code == 0, out
    assert "all interfaces" in out and "localhost" not in out.splitlines()[0]
    assert "warning" in out and "token" in out and "x" * 20 not in out
    assert seen["app"].state.token == "x" * 20 and seen["host"] == "0.0.0.0"
    hosts = seen["app"].state.allowed_hosts
    assert "news.example" in hosts and "127.0.0.1" in hosts
    code, out, seen = run_serve(monkeypatch, examples_db, "--token", "y" * 20)
    assert "y" * 20 not in out and seen["app"].state.token == "y" * 20
    code, out, _ = run_serve(monkeypatch, examples_db, "--token", "short")
    assert code == 2 and "16 characters" in out
