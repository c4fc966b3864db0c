"""How long claim threads take to build beyond extraction, and how fast `contested`
answers, on a store of PolNeAR train + dev (924 articles).

    python benchmarks/bench_claims.py --db polnear.db          # a store already ingested
    python benchmarks/bench_claims.py --shared ../shared       # ingest train+dev first

Thread building is timed on its own (claims are already in the store, written during
extraction), several times; the query is timed as `store.contested(limit=20)` and as
the `claimgraph contested --format json` command in a fresh process (start-up included).
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from claimgraph.store import open_store


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--db", help="existing store (SQLite path or URL)")
    ap.add_argument("--shared", default="../shared", help="shared data folder (to ingest)")
    ap.add_argument("--builds", type=int, default=5)
    ap.add_argument("--queries", type=int, default=50)
    args = ap.parse_args()

    tmp = None
    db = args.db
    if db is None:
        tmp = tempfile.TemporaryDirectory(prefix="bench-claims-")
        db = str(Path(tmp.name) / "polnear.db")
        polnear = Path(args.shared) / "eval" / "polnear"
        started = time.perf_counter()
        subprocess.run(
            [
                sys.executable,
                "-m",
                "claimgraph",
                "ingest",
                str(polnear / "train" / "text"),
                str(polnear / "dev" / "text"),
                "--db",
                db,
            ],
            check=True,
        )
        print(
            f"ingest (extraction + store + one thread build): {time.perf_counter() - started:.1f} s"
        )

    with open_store(db) as store:
        builds = []
        for _ in range(args.builds):
            started = time.perf_counter()
            counts = store.build_threads(force=True)  # a current store would skip
            builds.append(time.perf_counter() - started)
        print(
            f"{counts['documents']} documents, {counts['claims']} claims -> {counts['threads']} "
            f"threads, {counts['contested']} contested, {counts['groups']} independent stories"
        )
        print(
            f"build_threads: median {statistics.median(builds):.2f} s, "
            f"max {max(builds):.2f} s over {args.builds} runs"
        )
        queries = []
        for _ in range(args.queries):
            started = time.perf_counter()
            store.contested(limit=20)
            queries.append(time.perf_counter() - started)
        queries.sort()
        p95 = queries[int(0.95 * (len(queries) - 1))]
        print(
            f"store.contested(limit=20): median {statistics.median(queries) * 1000:.1f} ms, "
            f"p95 {p95 * 1000:.1f} ms over {args.queries} queries"
        )
    runs = []
    for _ in range(3):
        started = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "claimgraph", "contested", "--db", db, "--format", "json"],
            check=True,
            stdout=subprocess.DEVNULL,
        )
        runs.append(time.perf_counter() - started)
    print(
        f"claimgraph contested --format json (new process): median {statistics.median(runs):.2f} s"
    )
    if tmp is not None:
        tmp.cleanup()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
