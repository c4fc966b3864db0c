"""The contested board as a reader sees it (issue 14): each quote in its own column for
time and quantity contests, a wire story's copies quoted once with a note, and a page
short enough to scan, with an index and the quotes beyond the best two folded away.

The browser tests are marked ``browser`` and skip where ``/usr/bin/chromium`` is
missing; the API checks need no browser.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from claimgraph.web import create_app
from webserver import TOKEN, live_server

#: Run in every page before its own scripts: collect CSP violations.
WATCH = """
window.__violations = [];
document.addEventListener('securitypolicyviolation', function (e) {
  window.__violations.push(e.violatedDirective + ' ' + e.blockedURI);
});
"""


@pytest.fixture(scope="module")
def server(examples_db: str) -> Iterator[str]:
    with live_server(create_app(examples_db, token=TOKEN)) as base:
        yield base


@pytest.fixture(scope="module")
def items(server: str) -> list[dict[str, Any]]:
    r = httpx.get(f"{server}/api/contested", params={"limit": 100}, timeout=60)
    assert r.status_code == 200, r.text
    out: list[dict[str, Any]] = r.json()["items"]
    return out


def _item(items: list[dict[str, Any]], kind: str) -> dict[str, Any]:
    return next(i for i in items if i["kind"] == kind and "drone" in i["proposition"])


@pytest.mark.parametrize("kind", ["time", "quantity"])
def test_time_and_quantity_quotes_stand_on_their_voices_side(
    items: list[dict[str, Any]], kind: str
) -> None:
    item = _item(items, kind)
    a = {v["name"] for v in item["affirm"]}
    b = {v["name"] for v in item["deny"]}
    sides = {s["side"] for s in item["statements"]}
    assert sides == {"affirm", "deny"}, item["statements"]
    for s in item["statements"]:
        assert s["voice"]["name"] in (a if s["side"] == "affirm" else b), s


def test_quantity_sides_fewer_and_more(items: list[dict[str, Any]]) -> None:
    item = _item(items, "quantity")
    fewer = {s["voice"]["name"] for s in item["statements"] if s["side"] == "affirm"}
    more = {s["voice"]["name"] for s in item["statements"] if s["side"] == "deny"}
    assert fewer == {"Hossein Amirabdollahian"}
    assert "John Kirby" in more and "Hossein Amirabdollahian" not in more


def test_a_republished_wire_story_is_quoted_once(items: list[dict[str, Any]]) -> None:
    for item in items:
        claims = {s["claim"]: s for s in item["statements"]}
        for claim, copies in item["republications"].items():
            assert copies["count"] == len(copies["documents"]) > 0
            assert claims[claim]["document"] not in copies["documents"]
        # the same voice never says the same sentence twice on one side of an item
        seen = [(s["voice"]["name"], s["side"], s["text"]) for s in item["statements"]]
        assert len(seen) == len(set(seen)), item["proposition"]
    drones = next(i for i in items if i["kind"] == "polarity" and "drone" in i["proposition"])
    ihnat = [s for s in drones["statements"] if s["voice"]["name"] == "Yuriy Ihnat"]
    assert len(ihnat) == 1, ihnat
    assert drones["republications"][ihnat[0]["claim"]]["count"] == 2


def test_statements_carry_their_confidence(items: list[dict[str, Any]]) -> None:
    scored = [c for i in items for c in i["confidence"].values()]
    assert scored and all(0.0 <= c <= 1.0 for c in scored)


# -- in a browser ------------------------------------------------------------------


@pytest.fixture
def board(browser: Any, server: str) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.add_init_script(WATCH)
    page.goto(f"{server}/contested")
    yield page
    violations = page.evaluate("window.__violations")
    context.close()
    assert not violations, violations
    assert not errors, errors


@pytest.mark.browser
def test_the_board_is_short_enough_to_scan(board: Any) -> None:
    height = board.evaluate("document.documentElement.scrollHeight")
    assert height < 4000, height


@pytest.mark.browser
def test_the_index_links_to_every_item(board: Any) -> None:
    anchors = board.eval_on_selector_all(
        ".contest-index a", "els => els.map(e => e.getAttribute('href'))"
    )
    ids = board.eval_on_selector_all("article.contest", "els => els.map(e => '#' + e.id)")
    assert ids and sorted(anchors) == sorted(ids)
    assert len(set(ids)) == len(ids)
    board.click(f".contest-index a[href='{anchors[-1]}']")
    assert board.evaluate("location.hash") == anchors[-1]


@pytest.mark.browser
def test_show_all_reveals_the_folded_quotes(board: Any) -> None:
    for col in board.query_selector_all(".side-col"):
        assert len(col.query_selector_all(":scope > .said")) <= 2
    folded = board.query_selector("details.more-quotes")
    assert folded is not None
    hidden = folded.query_selector(".said")
    assert hidden is not None and not hidden.is_visible()
    folded.query_selector("summary").click()
    assert hidden.is_visible()


@pytest.mark.browser
def test_republications_are_noted(board: Any) -> None:
    notes = board.eval_on_selector_all(".republished", "els => els.map(e => e.textContent)")
    assert any("and 2 republications" in n for n in notes), notes
