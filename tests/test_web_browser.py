"""The web interface in a real browser: headless Debian Chromium driven by Playwright,
against a real server (uvicorn in a thread) over a real store of the example articles.

Screenshots of each step are kept in ``test-artifacts/screenshots/`` (git-ignored;
``CLAIMGRAPH_TEST_ARTIFACTS`` moves them). The tests skip, saying why, where
``/usr/bin/chromium`` is missing (``scripts/install-browser.sh`` installs it).
Select them with ``pytest -m browser``.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from claimgraph.web import create_app
from webserver import AUTH, CHROMIUM, REPO, TOKEN, XSS_TEXT, live_server

pytestmark = pytest.mark.browser

if not CHROMIUM.exists():
    pytest.skip(
        f"{CHROMIUM} not found: run scripts/install-browser.sh (Debian chromium)",
        allow_module_level=True,
    )
playwright_api = pytest.importorskip("playwright.sync_api", reason="playwright not installed")

SHOTS = Path(os.environ.get("CLAIMGRAPH_TEST_ARTIFACTS", REPO / "test-artifacts")) / "screenshots"


@pytest.fixture(scope="module")
def server(examples_db: str) -> Iterator[str]:
    with live_server(create_app(examples_db, token=TOKEN)) as base:
        yield base


@pytest.fixture
def page(browser: object, server: str) -> Iterator[object]:
    """A fresh page that fails the test on a JavaScript error or on any request that
    leaves the test server (the interface must work with no other network)."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})  # type: ignore[attr-defined]
    pg = context.new_page()
    errors: list[str] = []
    foreign: list[str] = []
    pg.on("pageerror", lambda exc: errors.append(str(exc)))
    pg.on(
        "request",
        lambda req: (
            foreign.append(req.url)
            if urlsplit(req.url).hostname not in ("127.0.0.1", None, "")
            else None
        ),
    )
    yield pg
    context.close()
    assert not errors, f"JavaScript errors: {errors}"
    assert not foreign, f"requests beyond the server: {foreign}"


def shot(page: object, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)  # type: ignore[attr-defined]


def reader_url(page: object, server: str, name_end: str) -> str:
    items = page.request.get(f"{server}/api/documents?limit=500").json()["items"]  # type: ignore[attr-defined]
    doc = next(d for d in items if d["name"].endswith(name_end))
    return f"{server}/documents/{doc['id']}"


def test_reader_click_quote_shows_speaker(page: object, server: str) -> None:
    page.goto(reader_url(page, server, "2022-11-05_daily_iran-admits-drones.txt"))  # type: ignore[attr-defined]
    colours = page.evaluate(  # type: ignore[attr-defined]
        """() => ['cg-source', 'cg-cue', 'cg-content'].map(c =>
             getComputedStyle(document.querySelector('.sec-body .' + c)).backgroundColor)"""
    )
    assert len(set(colours)) == 3, colours
    caption = page.locator(".sec-caption")  # type: ignore[attr-defined]
    assert "photo caption" in caption.inner_text().lower()
    related = page.locator(".sec-related .sec-label").inner_text()  # type: ignore[attr-defined]
    assert related.lower().startswith("related links")
    popover = page.locator("#popover")  # type: ignore[attr-defined]
    assert popover.is_hidden()
    page.locator(".sec-body .cg-cue", has_text="acknowledged").first.click()  # type: ignore[attr-defined]
    popover.wait_for(state="visible")
    text = popover.inner_text()
    assert "Hossein Amirabdollahian" in text and "affirm" in text and "indirect" in text
    assert "Iran’s foreign minister" in text  # the words the article used for him
    assert page.locator(".cg-active").count() >= 3  # source, cue and content lit together  # type: ignore[attr-defined]
    shot(page, "reader-popover")
    page.locator(".sec-body .cg-event").first.click()  # type: ignore[attr-defined]
    assert "event e" in popover.inner_text().lower() and "polarity" in popover.inner_text()
    page.keyboard.press("Escape")  # type: ignore[attr-defined]
    assert popover.is_hidden()


def test_contested_board_within_two_clicks(page: object, server: str) -> None:
    page.goto(server + "/")  # type: ignore[attr-defined]
    page.click("#home-contested")  # type: ignore[attr-defined]
    assert page.url.endswith("/contested")  # type: ignore[attr-defined]
    first = page.locator("article.contest").first  # type: ignore[attr-defined]
    assert first.locator(".side-affirm .quote").count() >= 1
    assert first.locator(".side-deny .quote").count() >= 1
    assert first.locator(".side-deny .voice").count() >= 1
    shot(page, "contested")
    first.locator(".side-deny a", has_text="read in the article").first.click()
    page.wait_for_url("**/documents/*#pos-*")  # type: ignore[attr-defined]
    page.locator("#popover").wait_for(state="visible")  # type: ignore[attr-defined]
    assert "speaker" in page.locator("#popover").inner_text()  # type: ignore[attr-defined]
    shot(page, "contested-to-reader")


def test_search_box_finds_actor(page: object, server: str) -> None:
    page.goto(server + "/documents")  # type: ignore[attr-defined]
    page.fill("header input[name=q]", "Kanaani")  # type: ignore[attr-defined]
    page.press("header input[name=q]", "Enter")  # type: ignore[attr-defined]
    page.wait_for_url("**/search?q=Kanaani")  # type: ignore[attr-defined]
    actors = page.locator(".results-actor .hit a")  # type: ignore[attr-defined]
    assert actors.first.inner_text() == "Nasser Kanaani"
    assert page.locator(".results-statement .hit").count() >= 1  # type: ignore[attr-defined]
    assert page.locator(".results-document mark").count() >= 1  # type: ignore[attr-defined]
    shot(page, "search")
    actors.first.click()
    assert page.locator("h1").inner_text() == "Nasser Kanaani"  # type: ignore[attr-defined]
    page.locator("#actor-chart[data-ready]").wait_for()  # type: ignore[attr-defined]
    shot(page, "actor")


def test_article_markup_renders_as_text(page: object, server: str) -> None:
    r = page.request.post(  # type: ignore[attr-defined]
        f"{server}/api/documents", data={"text": XSS_TEXT, "name": "xss.txt"}, headers=AUTH
    )
    assert r.status in (200, 201), r.text()
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))  # type: ignore[attr-defined]
    page.goto(server + r.json()["reader"])  # type: ignore[attr-defined]
    page.wait_for_timeout(300)  # type: ignore[attr-defined]
    article = page.locator("#reader")  # type: ignore[attr-defined]
    text = article.inner_text()
    assert "<script>alert(1)</script>" in text
    assert "<img src=x onerror=alert(1)>" in text
    assert article.locator("img, script").count() == 0
    marks = page.locator(".cg-mark")  # type: ignore[attr-defined]
    if marks.count():
        marks.first.click()  # the popover is built with textContent: still no dialog
    assert dialogs == []
    shot(page, "escaped-markup")


def test_network_and_timeline_charts_draw(page: object, server: str) -> None:
    page.goto(server + "/network")  # type: ignore[attr-defined]
    page.locator("#network-chart[data-ready] canvas").wait_for()  # type: ignore[attr-defined]
    shot(page, "network")
    page.goto(server + "/timeline")  # type: ignore[attr-defined]
    page.locator("#timeline-chart[data-ready] canvas").wait_for()  # type: ignore[attr-defined]
    assert page.locator("ol.timeline li").count() >= 1  # type: ignore[attr-defined]
    shot(page, "timeline")
