"""Shared fixtures. Keep additions small: several test modules rely on this file."""

from __future__ import annotations

from pathlib import Path

import pytest

#: ../shared beside the repository root: read-only evaluation data and examples.
SHARED_DIR = Path(__file__).resolve().parents[1].parent / "shared"


@pytest.fixture
def shared_dir() -> Path:
    """The ../shared folder; tests that need it skip (not fail) where it is absent."""
    if not SHARED_DIR.is_dir():
        pytest.skip(f"../shared not found: {SHARED_DIR}")
    return SHARED_DIR


# --- store backends: every store test runs on SQLite and on PostgreSQL ----------
import os  # noqa: E402
import uuid  # noqa: E402
from collections.abc import Iterator  # noqa: E402
from typing import Any  # noqa: E402
from urllib.parse import urlsplit, urlunsplit  # noqa: E402

PG_TEST_URL = os.environ.get("CLAIMGRAPH_TEST_PG", "postgresql://postgres@127.0.0.1:5432/test")


def _pg_candidates(url: str) -> list[str]:
    """The URL as given, then without its user (trust auth may only know the OS user)."""
    parts = urlsplit(url)
    out = [url]
    if parts.username:
        host = parts.netloc.rsplit("@", 1)[1]
        out.append(urlunsplit(parts._replace(netloc=host)))
    return out


@pytest.fixture(scope="session")
def pg_url() -> str:
    """A reachable PostgreSQL URL; PG tests skip with the reason when there is none."""
    try:
        import psycopg
    except ImportError:
        pytest.skip("psycopg not installed (pip install 'claimgraph[postgres]')")
    errors = []
    for url in _pg_candidates(PG_TEST_URL):
        try:
            psycopg.connect(url, connect_timeout=3).close()
            return url
        except psycopg.Error as exc:
            errors.append(" ".join(str(exc).split()))
    pytest.skip(f"PostgreSQL not reachable at {PG_TEST_URL}: {'; '.join(errors)}")


@pytest.fixture
def pg_schema_url(pg_url: str) -> Iterator[str]:
    """``pg_url`` with ``?schema=cg_test_<random>``: a private schema, dropped afterwards."""
    import psycopg

    schema = f"cg_test_{uuid.uuid4().hex[:12]}"
    sep = "&" if urlsplit(pg_url).query else "?"
    yield f"{pg_url}{sep}schema={schema}"
    with psycopg.connect(pg_url, autocommit=True) as conn:
        conn.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A database URL for an empty store, once per backend."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'claimgraph.db'}"
    url: str = request.getfixturevalue("pg_schema_url")
    return url


# --- web tests: the example articles in a real SQLite store, ingested once --------


@pytest.fixture(scope="session")
def examples_db(tmp_path_factory: pytest.TempPathFactory) -> str:
    """URL of a SQLite store holding examples/ ingested with the real pipeline (shared by
    the web tests; they may add articles but never remove any)."""
    from claimgraph.batch import ingest_paths

    url = f"sqlite:///{tmp_path_factory.mktemp('web') / 'examples.db'}"
    report = ingest_paths(Path(__file__).resolve().parents[1] / "examples", url, workers=1)
    assert report.stored > 0 and not report.skipped, report.skipped
    return url


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """Debian's Chromium (``/usr/bin/chromium``) driven by Playwright, one per test module;
    Playwright never downloads a browser of its own. Skips where either is missing."""
    from webserver import CHROMIUM

    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} not found: run scripts/install-browser.sh (Debian chromium)")
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright not installed")
    with sync_api.sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=str(CHROMIUM))
        try:
            yield chromium
        finally:
            chromium.close()
