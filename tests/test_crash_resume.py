"""``kill -9`` an ingest at random moments, resume it, and end with the same store.

Runs the real CLI (``python -m claimgraph ingest``) with the real pipeline over
PolNeAR dev articles, with one worker process and with two, on SQLite and once on
PostgreSQL. After every kill no process the ingest started (extraction workers,
multiprocessing's resource tracker) may remain, and the final store must equal the
store of an uninterrupted run in a canonical dump: every row of every table, ids and
attributes, ordered by all columns. The only values left out are times of the run
(``documents.ingested_at``, ``schema_migrations.applied_at``,
``thread_builds.built_at``).
"""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from claimgraph.store import open_store

#: Columns that record when the run happened, not what it stored.
RUN_TIMES = {
    "documents": {"ingested_at"},
    "schema_migrations": {"applied_at"},
    "thread_builds": {"built_at"},
}
ARTICLES = 24
KILLS = 5
REPO = Path(__file__).resolve().parents[1]

pytestmark = pytest.mark.skipif(
    not sys.platform.startswith("linux"), reason="reads /proc to find the ingest's processes"
)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    source = REPO.parent / "shared" / "eval" / "polnear" / "dev" / "text"
    if not source.is_dir():
        pytest.skip(f"PolNeAR dev texts not found: {source}")
    folder = tmp_path_factory.mktemp("polnear")
    for path in sorted(source.glob("*.txt"))[:ARTICLES]:
        (folder / path.name).write_bytes(path.read_bytes())
    return folder


def dump(url: str) -> str:
    """Every row of every table, canonically ordered, run times left out."""
    with open_store(url) as store:
        if store.backend == "sqlite":
            tables = [
                str(r[0])
                for r in store._execute(
                    "SELECT name FROM sqlite_master WHERE type = 'table' "
                    "AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'search_fts%'"
                ).fetchall()
            ]
        else:
            tables = [
                str(r[0])
                for r in store._execute(
                    "SELECT table_name FROM information_schema.tables "
                    "WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'"
                ).fetchall()
            ]
        out: dict[str, Any] = {}
        for table in sorted(tables):
            cursor = store._execute(f"SELECT * FROM {table}")
            names = [d[0] for d in cursor.description]
            keep = [i for i, n in enumerate(names) if n not in RUN_TIMES.get(table, set())]
            rows = [[row[i] for i in keep] for row in cursor.fetchall()]
            rows.sort(key=lambda r: json.dumps(r, default=str))
            out[table] = {"columns": [names[i] for i in keep], "rows": rows}
    return json.dumps(out, default=str, sort_keys=True)


def _processes() -> dict[int, tuple[int, str]]:
    """pid -> (parent pid, state) of every process."""
    out = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            fields = stat.rsplit(")", 1)[1].split()
            out[int(entry)] = (int(fields[1]), fields[0])
    return out


def descendants(pid: int) -> set[int]:
    procs = _processes()
    found: set[int] = set()
    frontier = [pid]
    while frontier:
        parent = frontier.pop()
        for child, (ppid, _) in procs.items():
            if ppid == parent and child not in found:
                found.add(child)
                frontier.append(child)
    return found


def still_running(pids: set[int]) -> set[int]:
    procs = _processes()
    return {p for p in pids if p in procs and procs[p][1] not in ("Z", "X")}


def ingest(url: str, corpus: Path, workers: int) -> subprocess.Popen[bytes]:
    env = {**os.environ, "PYTHONPATH": str(REPO / "src")}
    command = ["ingest", "--db", url, "--workers", str(workers), str(corpus)]
    return subprocess.Popen(
        [sys.executable, "-m", "claimgraph", *command],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        env=env,
        start_new_session=True,  # a kill of the test's own group must not reach it
    )


def finish(url: str, corpus: Path, workers: int) -> float:
    started = time.monotonic()
    proc = ingest(url, corpus, workers)
    output, _ = proc.communicate(timeout=300)
    assert proc.returncode == 0, output.decode()
    return time.monotonic() - started


def count_documents(url: str) -> int:
    try:
        with open_store(url) as store:
            return store.count_documents()
    except Exception:  # not created yet, or busy migrating
        return 0


def kill_and_resume(url: str, corpus: Path, workers: int, seed: int, took: float) -> int:
    """KILLS times: start an ingest, ``kill -9`` it at a random moment (after it stored
    something new, when it still has work), check nothing it started survives; then
    let one run finish. Returns how many kills hit an ingest with workers running."""
    rng = random.Random(seed)
    hits = 0
    for _ in range(KILLS):
        before = count_documents(url)
        proc = ingest(url, corpus, workers)
        deadline = time.monotonic() + took + 60
        # a random moment: sometimes during start-up, mostly after some progress
        if rng.random() < 0.3:
            time.sleep(rng.uniform(0.2, 1.5))
        else:
            while count_documents(url) <= before and proc.poll() is None:
                assert time.monotonic() < deadline, "ingest made no progress"
                time.sleep(0.05)
            time.sleep(rng.uniform(0.0, 0.6))
        children = descendants(proc.pid)
        if proc.poll() is None and children:  # killed while its workers ran
            hits += 1
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)
        proc.stdout and proc.stdout.close()
        gone_by = time.monotonic() + 5
        while still_running(children) and time.monotonic() < gone_by:
            time.sleep(0.05)
        left = still_running(children)
        assert not left, f"orphans after kill -9: {left}"
    finish(url, corpus, workers)
    return hits


def test_killed_ingests_resume_to_the_same_store_sqlite(corpus: Path, tmp_path: Path) -> None:
    reference = f"sqlite:///{tmp_path / 'reference.db'}"
    took = finish(reference, corpus, 1)
    expected = dump(reference)
    with open_store(reference) as store:
        assert store.count_documents() == ARTICLES
    two = f"sqlite:///{tmp_path / 'two-workers.db'}"
    finish(two, corpus, 2)
    assert dump(two) == expected, "1 and 2 workers stored different things"
    for workers, seed in ((1, 17), (2, 18)):
        url = f"sqlite:///{tmp_path / f'killed-{workers}.db'}"
        hits = kill_and_resume(url, corpus, workers, seed, took)
        assert hits >= 3, f"only {hits} kills hit a running ingest"
        assert dump(url) == expected, f"killed and resumed with {workers} workers differs"


@pytest.mark.postgres
def test_killed_ingest_resumes_to_the_same_store_postgres(
    corpus: Path, pg_schema_url: str, pg_url: str
) -> None:
    import uuid

    import psycopg

    schema = f"cg_test_{uuid.uuid4().hex[:12]}"
    reference = f"{pg_url}{'&' if '?' in pg_url else '?'}schema={schema}"
    try:
        took = finish(reference, corpus, 1)
        expected = dump(reference)
        hits = kill_and_resume(pg_schema_url, corpus, 2, 19, took)
        assert hits >= 3, f"only {hits} kills hit a running ingest"
        assert dump(pg_schema_url) == expected
    finally:
        with psycopg.connect(pg_url, autocommit=True) as conn:
            conn.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
