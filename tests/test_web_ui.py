"""What a new user found wrong in the web interface, checked in a real browser (headless
Debian Chromium through Playwright, a real server over the example articles): the
network draws only actors and fits its box, every page has an icon and no request
fails, nothing is wider than a phone's screen, speakers link to their actor pages, and
counts of one are singular.

The browser tests are marked ``browser`` (``pytest -m browser``) and skip where
``/usr/bin/chromium`` is missing (``scripts/install-browser.sh`` installs it); the
checks at the end need no browser.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import unquote

import httpx
import pytest

from claimgraph.browse import is_network_actor
from claimgraph.web import create_app
from webserver import TOKEN, live_server

#: The entity types that may be nodes of the network.
ACTOR_TYPES = {"state", "igo", "organisation", "person", "media", "group"}
#: Noun phrases the extractor stores as "groups" or "unknown" that are not actors.
NOT_ACTORS = {"photographs", "questions", "drone", "drones", "decision", "attacks", "sanctions"}
PHONE = {"width": 390, "height": 844}


@pytest.fixture(scope="module")
def server(examples_db: str) -> Iterator[str]:
    with live_server(create_app(examples_db, token=TOKEN)) as base:
        yield base


class Watched:
    """A page with what went wrong on it: JavaScript errors and failed requests."""

    def __init__(self, page: Any) -> None:
        self.page = page
        self.errors: list[str] = []
        self.failed: list[str] = []
        page.on("pageerror", lambda exc: self.errors.append(str(exc)))
        page.on(
            "response",
            lambda r: self.failed.append(f"{r.status} {r.url}") if r.status >= 400 else None,
        )
        page.on("requestfailed", lambda r: self.failed.append(f"failed {r.url}"))


def _open(browser: Any, viewport: dict[str, int]) -> Iterator[Watched]:
    context = browser.new_context(viewport=viewport)
    watched = Watched(context.new_page())
    yield watched
    context.close()
    assert not watched.errors, f"JavaScript errors: {watched.errors}"


@pytest.fixture
def desk(browser: Any) -> Iterator[Watched]:
    yield from _open(browser, {"width": 1280, "height": 900})


@pytest.fixture
def phone(browser: Any) -> Iterator[Watched]:
    yield from _open(browser, PHONE)


def _reader(page: Any, server: str) -> str:
    r = page.request.get(f"{server}/api/documents?limit=500")
    assert r.ok, r.text()
    items = r.json()["items"]
    doc = next(d for d in items if d["name"].endswith("2022-11-05_daily_iran-admits-drones.txt"))
    return f"/documents/{doc['id']}"


# -- the network -------------------------------------------------------------------

NETWORK_STATE = """() => {
  const el = document.getElementById('network-chart');
  const chart = echarts.getInstanceByDom(el);
  const series = chart.getOption().series[0];
  const ctx = document.createElement('canvas').getContext('2d');
  ctx.font = '11px sans-serif';
  return {
    width: el.clientWidth, height: el.clientHeight,
    nodes: series.data.map(n => ({
      name: n.name, type: n.type, size: n.symbolSize,
      label: (n.label && n.label.position) || 'right',
      labelWidth: ctx.measureText(n.name).width,
      xy: chart.convertToPixel({seriesIndex: 0}, [n.x, n.y]) })) };
}"""


@pytest.mark.browser
def test_network_nodes_are_actors_only(desk: Watched, server: str) -> None:
    api = desk.page.request.get(f"{server}/api/network").json()
    assert api["nodes"], "the examples have ties between actors"
    for node in api["nodes"]:
        assert node["type"] in ACTOR_TYPES, node
        assert node["name"].lower() not in NOT_ACTORS, node
    desk.page.goto(server + "/network")
    desk.page.locator("#network-chart[data-ready] canvas").wait_for()
    drawn = desk.page.evaluate(NETWORK_STATE)["nodes"]
    assert {n["name"] for n in drawn} == {n["name"] for n in api["nodes"]}
    assert not {n["name"].lower() for n in drawn} & NOT_ACTORS
    assert {n["type"] for n in drawn} <= ACTOR_TYPES


@pytest.mark.browser
def test_network_fits_below_its_legend(desk: Watched, server: str) -> None:
    """Every node and its label lie wholly inside the canvas, below the legend's line."""
    desk.page.goto(server + "/network")
    desk.page.locator("#network-chart[data-ready] canvas").wait_for()
    state = desk.page.evaluate(NETWORK_STATE)
    legend_bottom = 36  # the legend is one line at the top: 6 px down, about 20 px high
    for n in state["nodes"]:
        x, y = n["xy"]
        r = n["size"] / 2
        assert x - r >= 0 and x + r <= state["width"], n
        assert y - r >= legend_bottom and y + r <= state["height"], n
        # the label, 5 px beside the symbol, on the side it is drawn
        if n["label"] == "left":
            assert x - r - 5 - n["labelWidth"] >= 0, n
        else:
            assert x + r + 5 + n["labelWidth"] <= state["width"], n


# -- the icon ----------------------------------------------------------------------


@pytest.mark.browser
@pytest.mark.parametrize("path", ["/", "/statements", "/network", "/contested", "reader"])
def test_pages_have_an_icon_and_no_failed_request(desk: Watched, server: str, path: str) -> None:
    if path == "reader":
        path = _reader(desk.page, server)
    desk.page.goto(server + path)
    desk.page.wait_for_load_state("networkidle")
    href = desk.page.locator("link[rel=icon]").get_attribute("href")
    assert href, "no <link rel=icon>"
    icon = desk.page.request.get(server + href)
    assert icon.status == 200 and icon.headers["content-type"].startswith("image/")
    assert icon.body()[:4] == b"\x00\x00\x01\x00"  # an ICO file
    assert desk.page.request.get(server + "/favicon.ico").status == 200
    assert not desk.failed, desk.failed


# -- a phone's screen --------------------------------------------------------------

OVERFLOW = "() => document.documentElement.scrollWidth"


@pytest.mark.browser
@pytest.mark.parametrize(
    "path",
    ["/statements", "/", "/documents", "/actors", "/events", "/contested", "/search?q=drones"],
)
def test_no_page_wider_than_a_phone(phone: Watched, server: str, path: str) -> None:
    phone.page.goto(server + path)
    width = phone.page.evaluate(OVERFLOW)
    assert width <= PHONE["width"], f"{path} is {width} px wide on a {PHONE['width']} px screen"


@pytest.mark.browser
def test_statements_table_scrolls_in_its_own_box_on_a_phone(phone: Watched, server: str) -> None:
    phone.page.goto(server + "/statements")
    box = phone.page.locator(".table-scroll").first
    assert box.evaluate("el => getComputedStyle(el).overflowX") == "auto"
    assert phone.page.evaluate(OVERFLOW) <= PHONE["width"]
    # the quotes stay readable: the table keeps its width and scrolls sideways
    assert box.evaluate("el => el.scrollWidth > el.clientWidth")


# -- speakers link to actor pages --------------------------------------------------


@pytest.mark.browser
def test_statement_speakers_link_to_their_actor_pages(desk: Watched, server: str) -> None:
    desk.page.goto(server + "/statements")
    rows = desk.page.locator("table.list-statements tbody tr")
    links = desk.page.locator("table.list-statements tbody tr td:nth-child(2) a.speaker")
    assert links.count() >= rows.count() * 0.8, "most speakers are resolved actors"
    for i in range(links.count()):
        href = links.nth(i).get_attribute("href") or ""
        assert href.startswith("/actors/"), href
    first = links.first
    name = first.inner_text()
    first.click()
    desk.page.wait_for_url("**/actors/*")
    assert desk.page.locator("h1").inner_text() == name


@pytest.mark.browser
def test_speakers_link_on_search_and_actor_pages(desk: Watched, server: str) -> None:
    desk.page.goto(server + "/search?q=drones&kind=statement")
    link = desk.page.locator(".results-statement .hit a.speaker").first
    assert (link.get_attribute("href") or "").startswith("/actors/")
    desk.page.goto(server + "/actors/" + "state%3ARUS")
    about = desk.page.locator("section", has_text="What was said about them").locator("a.speaker")
    assert about.count() >= 1
    assert unquote(about.first.get_attribute("href") or "").startswith("/actors/")


# -- singular and plural -----------------------------------------------------------

WRONG_PLURAL = re.compile(
    r"\b1 (articles|statements|mentions|events|actors|claims|items|independent sources)\b"
)


@pytest.mark.browser
def test_a_count_of_one_is_singular(desk: Watched, server: str) -> None:
    actors = desk.page.request.get(f"{server}/api/actors?limit=500").json()["items"]
    single = next(a for a in actors if a["documents"] == 1)
    desk.page.goto(f"{server}/actors/{single['id']}".replace(" ", "%20"))
    lede = desk.page.locator(".lede").inner_text()
    assert "in 1 article" in lede and "1 articles" not in lede, lede
    pages = ["/", "/search?q=drones", _reader(desk.page, server)]
    threads = desk.page.request.get(f"{server}/api/threads?limit=200").json()["items"]
    pages += [f"/threads/{t['id']}" for t in threads if t.get("documents") == 1][:1]
    for path in pages:
        desk.page.goto(server + path)
        text = desk.page.locator("main").inner_text()
        assert not WRONG_PLURAL.search(text), (path, WRONG_PLURAL.search(text))


# -- without a browser ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("type_", "name", "country", "actor"),
    [
        ("state", "Iran", "IRN", True),
        ("person", "Nasser Kanaani", "IRN", True),
        ("media", "Reuters", None, True),
        ("igo", "European Union", None, True),
        ("organisation", "U.S. State Department", "USA", True),
        ("group", "Iranian officials", "IRN", True),
        ("group", "Russian troops", "RUS", True),
        ("group", "Ukrainians", "UKR", True),
        ("group", "photographs", None, False),
        ("group", "questions", None, False),
        ("group", "explosive drones", None, False),
        ("group", "Iranian drones", "IRN", False),
        ("unknown", "drone", None, False),
        ("unknown", "decision", None, False),
        ("group", "", None, False),
    ],
)
def test_which_entities_are_network_nodes(
    type_: str, name: str, country: str | None, actor: bool
) -> None:
    assert is_network_actor(type_, name, country) is actor


def test_network_api_and_icon_without_a_browser(server: str) -> None:
    with httpx.Client(base_url=server, timeout=60) as client:
        nodes = client.get("/api/network").json()["nodes"]
        assert nodes and {n["type"] for n in nodes} <= ACTOR_TYPES
        assert not {n["name"].lower() for n in nodes} & NOT_ACTORS
        icon = client.get("/favicon.ico")
        assert icon.status_code == 200 and icon.headers["content-type"] == "image/x-icon"
        assert icon.content[:4] == b"\x00\x00\x01\x00"
        home = client.get("/").text
        assert '<link rel="icon" href="/favicon.ico"' in home
        assert not WRONG_PLURAL.search(home)
