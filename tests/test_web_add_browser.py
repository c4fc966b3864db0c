"""The /add page in a real browser: an article by URL (served by a local site on
127.0.0.1), by pasted text and by file upload, each stored with its title and date
and opened in the reader. Headless Debian Chromium driven by Playwright.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from claimgraph.web import create_app
from localsite import Answer, Site, article_html, local_site
from webserver import CHROMIUM, TOKEN, live_server

pytestmark = pytest.mark.browser

if not CHROMIUM.exists():
    pytest.skip(
        f"{CHROMIUM} not found: run scripts/install-browser.sh (Debian chromium)",
        allow_module_level=True,
    )
playwright_api = pytest.importorskip("playwright.sync_api", reason="playwright not installed")


@pytest.fixture(scope="module")
def site() -> Iterator[Site]:
    with local_site() as s:
        s.routes["/robots.txt"] = Answer(404, b"", "text/plain")
        s.routes["/port.html"] = Answer(
            body=article_html("Port reopens after strike", "2022-11-03")
        )
        yield s


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    db = f"sqlite:///{tmp_path_factory.mktemp('add') / 'add.db'}"
    with live_server(create_app(db, token=TOKEN)) as base:
        yield base


@pytest.fixture
def page(browser: object, server: str) -> Iterator[object]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})  # type: ignore[attr-defined]
    pg = context.new_page()
    errors: list[str] = []
    pg.on("pageerror", lambda exc: errors.append(str(exc)))
    # a refused script or style (CSP) is a console error; a 4xx answer to fetch is not ours
    pg.on(
        "console",
        lambda msg: (
            errors.append(msg.text)
            if msg.type == "error" and "Failed to load resource" not in msg.text
            else None
        ),
    )
    yield pg
    context.close()
    assert not errors, f"JavaScript or CSP errors: {errors}"


def open_form(page: object, server: str) -> None:
    page.goto(f"{server}/add")  # type: ignore[attr-defined]
    page.fill("#token", TOKEN)  # type: ignore[attr-defined]
    page.dispatch_event("#token", "change")  # type: ignore[attr-defined]


def submit_and_read(page: object) -> dict[str, str]:
    """Submit, wait for the reader, and return what it shows."""
    page.click("#add-submit")  # type: ignore[attr-defined]
    page.wait_for_url("**/documents/*", timeout=120_000)  # type: ignore[attr-defined]
    parts = urlsplit(page.url)  # type: ignore[attr-defined]
    doc_id = parts.path.rsplit("/", 1)[1]
    api = f"{parts.scheme}://{parts.netloc}/api/documents/{doc_id}"
    doc: dict[str, str] = page.request.get(api).json()["document"]  # type: ignore[attr-defined]
    doc["page"] = page.content()  # type: ignore[attr-defined]
    return doc


def test_add_by_url(page: object, server: str, site: Site) -> None:
    open_form(page, server)
    page.fill("#add-url", site.url("/port.html"))  # type: ignore[attr-defined]
    doc = submit_and_read(page)
    assert doc["title"] == "Port reopens after strike"
    assert doc["published"] == "2022-11-03"
    assert doc["url"] == site.url("/port.html")
    assert "Port reopens after strike" in doc["page"]


def test_add_pasted_text_and_the_token_is_remembered(page: object, server: str) -> None:
    open_form(page, server)
    page.goto(f"{server}/add")  # type: ignore[attr-defined]
    assert page.input_value("#token") == TOKEN  # type: ignore[attr-defined]
    text = (
        "Council approves bridge plan\n\n"
        "The city council said on Monday that the old bridge would be replaced, and the "
        "mayor told reporters that work would begin in the spring."
    )
    page.fill("#add-text", text)  # type: ignore[attr-defined]
    page.fill("#add-published", "2022-11-07")  # type: ignore[attr-defined]
    doc = submit_and_read(page)
    assert doc["title"] == "Council approves bridge plan"
    assert doc["published"] == "2022-11-07"


def test_add_by_file_upload(page: object, server: str, tmp_path: Path) -> None:
    path = tmp_path / "tram.html"
    path.write_bytes(article_html("Council rejects tram extension", "2022-11-04"))
    open_form(page, server)
    page.set_input_files("#add-file", str(path))  # type: ignore[attr-defined]
    doc = submit_and_read(page)
    assert doc["title"] == "Council rejects tram extension"
    assert doc["published"] == "2022-11-04"
    assert doc["name"] == "tram.html"


def test_errors_are_shown_on_the_page(page: object, server: str) -> None:
    open_form(page, server)
    page.fill("#add-url", "http://127.0.0.1:1/nothing.html")  # type: ignore[attr-defined]
    page.click("#add-submit")  # type: ignore[attr-defined]
    page.wait_for_selector("#add-error:not([hidden])")  # type: ignore[attr-defined]
    assert "connection refused" in page.text_content("#add-error")  # type: ignore[attr-defined]
    page.fill("#token", "wrong-token-0123456789")  # type: ignore[attr-defined]
    page.dispatch_event("#token", "change")  # type: ignore[attr-defined]
    page.click("#add-submit")  # type: ignore[attr-defined]
    page.locator("#add-error", has_text="not accepted").wait_for()  # type: ignore[attr-defined]
