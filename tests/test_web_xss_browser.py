"""Stored XSS and cross-site writes in a real browser: headless Debian Chromium driven
by Playwright against a real server under its Content-Security-Policy.

One article holds a script payload in every field a user controls: its name, title,
outlet, URL (a ``javascript:`` URL written straight into the database, as an old
database may hold one), its text, and the names, roles and aliases of its actors.
Every page that shows it is opened (and its marks, popovers and charts used) with a
flag the payloads would set, a dialog handler, and a listener for Content-Security-
Policy violations: no payload may run, and the app's own pages must not need anything
the policy blocks (no violation at all, charts drawn).

Select with ``pytest -m browser``; skipped where ``/usr/bin/chromium`` is missing.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from typing import Any
from urllib.parse import quote

import pytest

from claimgraph.model import Document
from claimgraph.store import open_store
from claimgraph.web import create_app
from webserver import CHROMIUM, EXAMPLES, TOKEN, live_server

pytestmark = pytest.mark.browser

if not CHROMIUM.exists():
    pytest.skip(
        f"{CHROMIUM} not found: run scripts/install-browser.sh (Debian chromium)",
        allow_module_level=True,
    )
playwright_api = pytest.importorskip("playwright.sync_api", reason="playwright not installed")

#: Payloads: each would set window.__xss if it ever ran.
SCRIPT = "<script>window.__xss='script'</script>"
IMG = '"><img src=x onerror="window.__xss=\'img\'">'
SVG = "'><svg onload=window.__xss='svg'>"
BREAKOUT = "</script><script>window.__xss='breakout'</script>"
ALL = f"{SCRIPT}{IMG}{SVG}{BREAKOUT}"
JS_URL = "javascript:window.__xss='href'"

TEXT = (
    f"Iran denies sending drones {SCRIPT}\n\n"
    f"TEHRAN — Iran's foreign ministry denied on Monday that it had sent drones to "
    f"Russia {IMG}, and spokesman Nasser Kanaani said the reports were baseless {SVG}. "
    f"Ukraine's defence minister Oleksii Reznikov said the drones were made in Iran "
    f"{BREAKOUT}. The Kremlin said it had not received any Iranian drones.\n"
)

#: Run in every page before its own scripts: collect CSP violations and dialogs.
WATCH = """
window.__violations = [];
document.addEventListener('securitypolicyviolation', function (e) {
  window.__violations.push(e.violatedDirective + ' ' + e.blockedURI + ' ' + (e.sample || ''));
});
"""


@pytest.fixture(scope="module")
def xss_db(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """The example articles plus the payload article, every field of it poisoned."""
    from claimgraph.batch import ingest_paths
    from claimgraph.pipeline import Extractor

    path = tmp_path_factory.mktemp("xss") / "xss.db"
    url = f"sqlite:///{path}"
    report = ingest_paths(EXAMPLES, url, workers=1)
    assert report.stored > 0, report.skipped
    doc = Document(
        name=f"xss{ALL}.txt",
        text=TEXT,
        title=f"Drones {ALL}",
        outlet=f"Wire {ALL}",
        published="2022-11-07",
    )
    extraction = Extractor().extract(doc)
    assert extraction.attributions and extraction.actors
    for actor in extraction.actors:
        actor.name = f"{actor.name} {SCRIPT}{IMG}"
        actor.role = f"role {SVG}"
        actor.aliases = [*actor.aliases, BREAKOUT]
    with open_store(url) as store:
        assert store.save(extraction)
        entity = next(
            e.id for e in store.entity_page(name="Kanaani", limit=50)[0] if "<script>" in e.name
        )
    with sqlite3.connect(path) as db:  # the store refuses one; an old database may hold it
        db.execute("UPDATE documents SET url = ? WHERE id = ?", (JS_URL, doc.id))
    return {"url": url, "doc": doc.id, "entity": entity}


@pytest.fixture(scope="module")
def server(xss_db: dict[str, str]) -> Iterator[str]:
    with live_server(create_app(xss_db["url"], token=TOKEN)) as base:
        yield base


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    """A page that records JavaScript errors, dialogs and CSP violations."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.add_init_script(WATCH)
    pg = context.new_page()
    pg.errors = []
    pg.dialogs = []
    pg.on("pageerror", lambda exc: pg.errors.append(str(exc)))
    pg.on("dialog", lambda d: (pg.dialogs.append(d.message), d.dismiss()))
    yield pg
    context.close()


def assert_clean(page: Any, where: str) -> None:
    page.wait_for_timeout(150)
    state = page.evaluate("() => ({xss: window.__xss || null, csp: window.__violations})")
    assert state["xss"] is None, f"{where}: payload ran ({state['xss']})"
    assert state["csp"] == [], f"{where}: CSP violations {state['csp']}"
    assert page.dialogs == [], f"{where}: dialogs {page.dialogs}"
    assert page.errors == [], f"{where}: JavaScript errors {page.errors}"
    # nothing the payloads carry became an element or an attribute
    injected = page.evaluate(
        """() => document.querySelectorAll(
             'img[src="x"], svg[onload], [onerror], [onload], a[href^="javascript" i]').length"""
    )
    assert injected == 0, f"{where}: injected elements"


def test_payloads_never_run_on_any_page(page: Any, server: str, xss_db: dict[str, str]) -> None:
    doc, entity = xss_db["doc"], quote(xss_db["entity"], safe="")
    page.goto(f"{server}/documents/{doc}")
    reader = page.locator("#reader")
    assert SCRIPT in reader.inner_text() and "Drones <script>" in page.title()
    assert page.locator("a", has_text="original").count() == 0  # the javascript: URL
    marks = page.locator(".cg-mark[data-att]")
    assert marks.count() >= 1
    for i in range(min(marks.count(), 6)):  # popovers show the poisoned speaker names
        marks.nth(i).click()
        page.locator("#popover").wait_for(state="visible")
        shown = page.locator("#popover").inner_text()
        page.keyboard.press("Escape")
    assert "<script>" in shown
    page.locator(".statements-side .jump").first.click()
    assert_clean(page, "reader")

    pages = [
        "/",
        "/documents",
        "/documents?q=xss",
        "/statements",
        "/statements?speaker=Kanaani",
        "/events",
        "/actors",
        "/actors?name=Kanaani",
        f"/actors/{entity}",
        "/search?q=Kanaani",
        "/search?q=drones",
        "/contested",
        "/timeline",
        f"/timeline?actor={entity}",
        "/network",
        f"/network?actor={entity}",
    ]
    for path in pages:
        page.goto(server + path)
        assert page.locator("body").inner_text(), path
        assert_clean(page, path)
    # the pages show the payloads as text
    page.goto(f"{server}/actors/{entity}")
    assert "<script>" in page.locator("h1").inner_text()
    page.locator("#actor-chart[data-ready] canvas").wait_for()
    assert_clean(page, "actor chart")
    for thread in page.locator("a[href^='/threads/']").all()[:2]:
        thread.click()
        assert_clean(page, page.url)
        page.go_back()


def test_charts_draw_under_the_policy(page: Any, server: str, xss_db: dict[str, str]) -> None:
    """The charts work with style-src 'self' (no inline styles, no eval): drawn, their
    tooltips shown on hover, no violation reported."""
    entity = quote(xss_db["entity"], safe="")
    page.goto(f"{server}/network?actor={entity}")
    chart = page.locator("#network-chart[data-ready] canvas").first
    chart.wait_for()
    box = chart.bounding_box()
    assert box and box["height"] >= 600  # its height comes from style.css
    for dx in range(40, int(box["width"]), 60):  # hover across it: tooltips come and go
        page.mouse.move(box["x"] + dx, box["y"] + box["height"] / 2)
    assert_clean(page, "network")
    page.goto(f"{server}/timeline?actor={entity}")
    tl = page.locator("#timeline-chart[data-ready] canvas").first
    tl.wait_for()
    box = tl.bounding_box()
    assert box and box["height"] >= 250
    for dx in range(40, int(box["width"]), 40):
        page.mouse.move(box["x"] + dx, box["y"] + box["height"] * 0.7)
    assert_clean(page, "timeline")
    # the actor select submits its form without an inline handler
    select = page.locator("select[data-autosubmit]")
    values = select.locator("option").evaluate_all("os => os.map(o => o.value)")
    other = next(v for v in values if v != xss_db["entity"])
    with page.expect_navigation():
        select.select_option(other)
    assert "actor=" in page.url
    assert_clean(page, "timeline select")


def count(page: Any, server: str) -> int:
    total: int = page.request.get(f"{server}/api/documents?limit=1").json()["total"]
    return total


def test_cross_site_write_from_a_browser_is_refused(page: Any, server: str) -> None:
    """The probe's attack from a page on http://evil.example: a form posting text/plain
    (the classic CSRF, no preflight) is answered 403, and a fetch that tries to send a
    token is stopped by the browser (no CORS). Nothing is stored."""
    evil = (
        "<!doctype html><title>evil</title>"
        f'<form method="post" enctype="text/plain" '
        f'action="{server}/api/documents?url=javascript:alert(1)">'
        '<input name="Iran denied it, officials said the drones were not" value="theirs.">'
        '<button id="go">go</button></form>'
    )
    page.route(
        "http://evil.example/**",
        lambda route: route.fulfill(status=200, content_type="text/html", body=evil),
    )
    before = count(page, server)
    page.goto("http://evil.example/")
    with page.expect_navigation() as nav:
        page.click("#go")
    response = nav.value
    assert response.status == 403, response.text()
    assert "cross-origin" in response.json()["detail"] or "cross-site" in response.json()["detail"]
    page.goto("http://evil.example/")
    outcome = page.evaluate(
        """async (target) => {
             try {
               const r = await fetch(target + '/api/documents', {method: 'POST',
                 headers: {'content-type': 'application/json', 'Authorization': 'Bearer x'},
                 body: JSON.stringify({text: 'Iran denied it, officials said.'})});
               return r.status;
             } catch (e) { return 'blocked'; }
           }""",
        server,
    )
    assert outcome == "blocked"  # the preflight is not answered: no CORS
    assert count(page, server) == before
    # the same request from the server's own origin, with the token, is a write
    page.goto(server + "/")
    status = page.evaluate(
        """async ([token]) => (await fetch('/api/documents', {method: 'POST',
             headers: {'content-type': 'application/json', 'Authorization': 'Bearer ' + token},
             body: JSON.stringify({text: 'Iran denied on Monday that it had sent drones to ' +
               'Russia, and a spokesman said the reports were baseless.',
               name: 'same-origin.txt'})})).status""",
        [TOKEN],
    )
    assert status == 201
    assert count(page, server) == before + 1
    assert_clean(page, "same-origin write")


def test_pages_carry_the_policy(page: Any, server: str) -> None:
    response = page.goto(server + "/documents")
    headers = response.headers
    assert "script-src 'self'" in headers["content-security-policy"]
    assert headers["x-frame-options"] == "DENY"
    # a page that frames the app gets nothing drawn in the frame
    page.set_content(f'<iframe id="f" src="{server}/"></iframe>')
    page.wait_for_timeout(500)
    frame = page.frame_locator("#f")
    assert frame.locator("header.top").count() == 0
