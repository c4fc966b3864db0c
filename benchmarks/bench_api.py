#!/usr/bin/env python3
"""Latency of the main REST API endpoints on a store of >= 1,000 ingested articles.

1. **Store.** ``--db`` (default ``bench-api.db``) is built when missing: the PolNeAR
   train and dev texts in ``../shared/eval/polnear`` (924 articles) and the demo
   articles in ``examples/`` are ingested with the real pipeline (claims and threads
   included); when that is fewer than ``--articles`` (default 1,000), copies of the
   demo articles with a numbered line appended (so each is a new document) make up
   the rest. An existing file is reused as is, so repeated runs measure the same store.
2. **Server.** ``claimgraph serve`` runs as its own process (uvicorn, one worker) on
   a free port on 127.0.0.1, as a user would start it.
3. **Requests.** Each endpoint is requested ``--warmup`` times unrecorded (the first
   request of a thread opens its store connection; the first search brings the
   full-text index up to date; the first claims query builds the threads), then
   ``--requests`` times in sequence, one at a time; wall time per request is measured
   around the whole HTTP exchange by the client. The table gives p50, p95 and max.

Usage:

    .venv/bin/python benchmarks/bench_api.py                       # build if needed, measure
    .venv/bin/python benchmarks/bench_api.py --write docs/benchmarks.md
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import socket
import statistics
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DEFAULT_SHARED = REPO.parent / "shared"
START_MARKER = "<!-- bench-api:start -->"
END_MARKER = "<!-- bench-api:end -->"
TARGET_P95_MS = 100.0


def build_store(db: Path, shared: Path, articles: int, workers: int) -> None:
    from claimgraph.batch import ingest_documents
    from claimgraph.ingest import read_documents
    from claimgraph.model import Document

    folders = [shared / "eval/polnear/train/text", shared / "eval/polnear/dev/text"]
    folders = [f for f in folders if f.is_dir()]
    examples = [d for d in read_documents([REPO / "examples"]) if isinstance(d, Document)]

    def copies(start: int, count: int) -> Iterator[Document]:
        for copy in range(start, start + count):
            base = examples[copy % len(examples)]
            yield Document(
                name=f"{base.name}#copy{copy}",
                text=f"{base.text}\n\n(Benchmark copy {copy} of this example article.)\n",
                title=base.title,
                url=base.url,
                outlet=base.outlet,
                published=base.published,
            )

    started = time.monotonic()
    report = ingest_documents(
        read_documents([*folders, REPO / "examples"]), str(db), workers=workers
    )
    stored, copy = report.stored, 0
    while stored < articles:  # duplicates among the sources are stored once
        missing = articles - stored
        report = ingest_documents(copies(copy, missing), str(db), workers=workers)
        stored += report.stored
        copy += missing
    print(f"built {db}: {stored} articles in {time.monotonic() - started:.0f} s", file=sys.stderr)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def get(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=60) as r:
            return r.status, r.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    k = max(0, min(len(ordered) - 1, round(q / 100 * len(ordered) + 0.5) - 1))
    return ordered[k]


def endpoints(base: str) -> list[tuple[str, str]]:
    """(label, path) pairs; ids come from the store itself."""
    docs = json.loads(get(base + "/api/documents?limit=1")[1])["items"]
    actors = json.loads(get(base + "/api/actors?limit=1")[1])["items"]
    doc, actor = docs[0]["id"], urllib.parse.quote(actors[0]["id"], safe="")
    threads = json.loads(get(base + "/api/threads?limit=1")[1])["items"]
    out = [
        ("overview", "/api"),
        ("documents (page 1)", "/api/documents"),
        ("documents (page 10)", "/api/documents?offset=450"),
        ("document with spans", f"/api/documents/{doc}"),
        ("actors", "/api/actors"),
        ("actor profile", f"/api/actors/{actor}"),
        ("statements", "/api/statements"),
        ("statements by speaker", "/api/statements?speaker=trump"),
        ("statements (csv)", "/api/statements?format=csv"),
        ("events", "/api/events"),
        ("events by type", "/api/events?type=ACCUSE"),
        ("search", "/api/search?q=election+campaign"),
        ("search statements", "/api/search?q=drones&kind=statement"),
        ("contested", "/api/contested"),
        ("threads", "/api/threads"),
        ("claims", "/api/claims"),
        ("timeline (actor)", f"/api/timeline?actor={actor}"),
        ("network", "/api/network"),
        ("reader page (HTML)", f"/documents/{doc}"),
        ("contested board (HTML)", "/contested"),
    ]
    if threads:
        out.insert(16, ("thread", f"/api/threads/{threads[0]['id']}"))
    return out


def measure(base: str, requests: int, warmup: int) -> tuple[list[dict[str, object]], int]:
    rows = []
    for label, path in endpoints(base):
        for _ in range(warmup):
            get(base + path)
        times = []
        status = 0
        for _ in range(requests):
            t0 = time.perf_counter()
            status, _ = get(base + path)
            times.append((time.perf_counter() - t0) * 1000)
        rows.append(
            {
                "endpoint": label,
                "path": path,
                "status": status,
                "p50": statistics.median(times),
                "p95": percentile(times, 95),
                "max": max(times),
            }
        )
    docs = json.loads(get(base + "/api")[1])["documents"]
    return rows, int(docs)


def report(rows: list[dict[str, object]], docs: int, args: argparse.Namespace) -> str:
    from importlib import metadata

    lines = [
        START_MARKER,
        "<!-- generated by: python benchmarks/bench_api.py --write docs/benchmarks.md -->",
        "",
        f"Store: **{docs:,} articles** ({args.db}, SQLite). {args.requests} sequential "
        f"requests per endpoint after {args.warmup} warm-up request(s); one "
        "`claimgraph serve` process (uvicorn); client and server on the same machine.",
        "",
        "| endpoint | request | status | p50 (ms) | p95 (ms) | max (ms) |",
        "| --- | --- | ---: | ---: | ---: | ---: |",
    ]
    for r in rows:
        lines.append(
            f"| {r['endpoint']} | `{str(r['path'])[:60]}` | {r['status']} | {r['p50']:.1f} | "
            f"**{r['p95']:.1f}** | {r['max']:.1f} |"
        )
    worst = max(rows, key=lambda r: float(str(r["p95"])))
    verdict = "meets" if float(str(worst["p95"])) < TARGET_P95_MS else "misses"
    lines += [
        "",
        f"- Slowest p95: **{float(str(worst['p95'])):.1f} ms** ({worst['endpoint']}); "
        f"the target p95 < {TARGET_P95_MS:.0f} ms: every endpoint {verdict} it"
        + ("." if verdict == "meets" else " somewhere (see the table)."),
        "",
        "Machine:",
        "",
        f"- date: {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC",
        f"- cpu: {platform.processor() or platform.machine()}, {os.cpu_count()} logical CPUs",
        f"- python: {platform.python_version()}, sqlite {__import__('sqlite3').sqlite_version}",
        f"- fastapi {metadata.version('fastapi')}, uvicorn {metadata.version('uvicorn')}",
        END_MARKER,
    ]
    return "\n".join(lines)


def write_section(path: Path, section: str) -> None:
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    if START_MARKER in text and END_MARKER in text:
        head, rest = text.split(START_MARKER, 1)
        _, tail = rest.split(END_MARKER, 1)
        text = head + section + tail
    else:
        text = text.rstrip() + "\n\n" + section + "\n"
    path.write_text(text, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", default="bench-api.db", help="SQLite store (built if missing)")
    parser.add_argument("--shared", default=str(DEFAULT_SHARED), help="../shared folder")
    parser.add_argument("--articles", type=int, default=1000, help="minimum store size")
    parser.add_argument("--workers", type=int, default=2, help="extraction processes")
    parser.add_argument("--requests", type=int, default=100, help="timed requests each")
    parser.add_argument("--warmup", type=int, default=3, help="unrecorded requests each")
    parser.add_argument("--json", help="also write the raw results here")
    parser.add_argument("--write", help="replace (or append) the results section of this file")
    args = parser.parse_args(argv)
    db = Path(args.db)
    if not db.exists():
        build_store(db, Path(args.shared), args.articles, args.workers)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    claimgraph = Path(sys.executable).with_name("claimgraph")
    proc = subprocess.Popen(
        [str(claimgraph), "serve", "--db", str(db), "--port", str(port), "--log-level", "warning"]
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                get(base + "/api")
                break
            except OSError:
                if time.monotonic() > deadline or proc.poll() is not None:
                    raise SystemExit("server did not start") from None
                time.sleep(0.3)
        rows, docs = measure(base, args.requests, args.warmup)
    finally:
        proc.terminate()
        proc.wait(timeout=10)
    if docs < args.articles:
        print(
            f"warning: the store holds {docs} articles, fewer than {args.articles}", file=sys.stderr
        )
    section = report(rows, docs, args)
    print(section)
    if args.json:
        Path(args.json).write_text(json.dumps({"documents": docs, "rows": rows}, indent=2))
    if args.write:
        write_section(Path(args.write), section)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
