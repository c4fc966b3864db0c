"""Helpers for the web tests (not a test module): a real uvicorn server in a thread
over a real store, and the example articles ingested once per session."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import uvicorn

REPO = Path(__file__).resolve().parents[1]
EXAMPLES = REPO / "examples"
CHROMIUM = Path("/usr/bin/chromium")
#: The write token the test servers are started with, and the header that carries it.
TOKEN = "test-token-0123456789abcdef"
AUTH = {"Authorization": f"Bearer {TOKEN}"}

#: Article text that must render as text, never as markup.
XSS_TEXT = (
    "Officials say <script>alert(1)</script> was found in the drone files\n\n"
    "TEHRAN — The foreign ministry said on Monday that the drone shipments were "
    "legal, and a spokesman told reporters that <img src=x onerror=alert(1)> was "
    "a forged caption. Ukraine denied that it had shot down any Iranian aircraft, "
    "and the ministry said it would publish the full records next week.\n"
)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def live_server(app: Any) -> Iterator[str]:
    """Serve ``app`` with uvicorn on a free local port in a thread; yields the base URL."""
    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="on")
    )
    thread = threading.Thread(target=server.run, name="uvicorn-test", daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("test server did not start")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
