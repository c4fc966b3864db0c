"""A small web site on 127.0.0.1 for the fetch tests (not a test module): pages, feeds,
redirects, slow and huge answers, robots.txt, and a count of the requests per path."""

from __future__ import annotations

import threading
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Answer:
    status: int = 200
    body: bytes = b""
    content_type: str = "text/html; charset=utf-8"
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0  # seconds before the status line
    length: bool = True  # send Content-Length (False: the body ends with the connection)


@dataclass
class Site:
    base: str
    routes: dict[str, Answer] = field(default_factory=dict)
    hits: Counter[str] = field(default_factory=Counter)
    agents: list[str] = field(default_factory=list)

    def url(self, path: str) -> str:
        return self.base + path


@contextmanager
def local_site() -> Iterator[Site]:
    site = Site("")

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.0"

        def do_GET(self) -> None:
            path = self.path.split("?", 1)[0]
            site.hits[path] += 1
            site.agents.append(self.headers.get("User-Agent", ""))
            answer = site.routes.get(path, Answer(404, b"not found", "text/plain"))
            if answer.delay:
                time.sleep(answer.delay)
            try:
                self.send_response(answer.status)
                self.send_header("Content-Type", answer.content_type)
                if answer.length:
                    self.send_header("Content-Length", str(len(answer.body)))
                for key, value in answer.headers.items():
                    self.send_header(key, value)
                self.end_headers()
                for start in range(0, len(answer.body), 65536):
                    self.wfile.write(answer.body[start : start + 65536])
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client stopped reading (size limit, timeout): as it should

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    site.base = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield site
    finally:
        server.shutdown()
        server.server_close()


def article_html(headline: str, published: str, body: str | None = None) -> bytes:
    """A news page with its headline, date and site name in the usual meta tags."""
    body = body or (
        f"The city council said on Monday that {headline.lower()} after a long debate. "
        "The mayor told reporters that the decision had been difficult, and the opposition "
        "said it would challenge the plan in court before the end of the year."
    )
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<title>{headline} | Local Gazette</title>
<meta property="og:title" content="{headline}">
<meta property="og:site_name" content="Local Gazette">
<meta property="article:published_time" content="{published}T08:00:00Z">
</head><body>
<nav><a href="/">Home</a> <a href="/news">News</a></nav>
<article><h1>{headline}</h1>
<p>{body}</p>
<p>Residents who spoke at the meeting said they were worried about the cost, and a
spokesman for the council said the budget would be published next week.</p>
</article>
<footer>All rights reserved.</footer>
</body></html>""".encode()


def rss(items: list[tuple[str, str, str]], title: str = "Local Gazette") -> bytes:
    """An RSS 2.0 feed of (link, title, RFC 822 date) items."""
    entries = "".join(
        f"<item><title>{t}</title><link>{link}</link><pubDate>{d}</pubDate>"
        f"<description>A short summary.</description><guid>{link}</guid></item>"
        for link, t, d in items
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
        f"<title>{title}</title><link>http://example.invalid/</link>"
        f"<description>News</description>{entries}</channel></rss>"
    ).encode()
