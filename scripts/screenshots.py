#!/usr/bin/env python3
"""Screenshots of the web interface for the README and docs/web.md.

Starts ``claimgraph serve`` on a free port against a database (default ``demo.db``,
made by ``make demo``), opens pages in Debian's headless Chromium through Playwright
(``/usr/bin/chromium``; Playwright never downloads a browser here) and writes PNGs:

    docs/images/reader.png      the article reader with a statement's popover open
    docs/images/contested.png   the contested claims board
    docs/images/home.png, actor.png, network.png, timeline.png   (with --all)

Usage:

    .venv/bin/python scripts/screenshots.py [--db demo.db] [--out docs/images] [--all]
"""

from __future__ import annotations

import argparse
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
#: The article shown in the reader screenshot: the demo's richest one.
READER_ARTICLE = "examples/2022-11-05_daily_iran-admits-drones.txt"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_until_up(url: str, proc: subprocess.Popen[bytes], timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"claimgraph serve exited with status {proc.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"server at {url} did not answer within {timeout:.0f} s")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", default="demo.db", help="database to show (default demo.db)")
    parser.add_argument("--out", default=str(REPO / "docs" / "images"), help="folder for PNGs")
    parser.add_argument("--all", action="store_true", help="also home, actor, network, timeline")
    args = parser.parse_args(argv)
    if not Path(CHROMIUM).exists():
        print(f"error: {CHROMIUM} not found; run scripts/install-browser.sh", file=sys.stderr)
        return 1
    if "://" not in args.db and not Path(args.db).exists():
        print(f"error: {args.db} not found; run `make demo` first", file=sys.stderr)
        return 1
    from playwright.sync_api import sync_playwright

    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    claimgraph = Path(sys.executable).with_name("claimgraph")
    command = [str(claimgraph), "serve", "--db", args.db, "--port", str(port)]
    proc = subprocess.Popen([*command, "--log-level", "warning"], cwd=REPO)
    try:
        wait_until_up(base + "/api", proc)
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM)
            page = browser.new_page(viewport={"width": 1360, "height": 900})
            docs = page.request.get(base + "/api/documents?limit=500").json()["items"]
            doc = next((d for d in docs if d["name"] == READER_ARTICLE), docs[0])
            page.goto(f"{base}/documents/{doc['id']}")
            quote = page.locator(".sec-body .cg-content[data-att]").nth(2)
            quote.scroll_into_view_if_needed()
            page.evaluate("window.scrollTo(0, 0)")
            quote.click()
            page.wait_for_selector("#popover:not([hidden])")
            page.screenshot(path=str(out / "reader.png"))
            page.goto(base + "/contested")
            page.screenshot(path=str(out / "contested.png"))
            if args.all:
                page.goto(base + "/")
                page.screenshot(path=str(out / "home.png"))
                page.goto(base + "/actors/" + "state%3AIRN")
                page.wait_for_selector("#actor-chart[data-ready]")
                page.screenshot(path=str(out / "actor.png"))
                page.goto(base + "/network")
                page.wait_for_selector("#network-chart[data-ready]")
                page.wait_for_timeout(2500)  # let the force layout settle
                page.screenshot(path=str(out / "network.png"))
                page.goto(base + "/timeline")
                page.wait_for_selector("#timeline-chart[data-ready]")
                page.screenshot(path=str(out / "timeline.png"))
            browser.close()
    finally:
        proc.terminate()
        proc.wait(timeout=10)
    for png in sorted(out.glob("*.png")):
        print(png)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
