"""What stands between the web app and other sites, other host names and huge bodies.

One ASGI middleware, outermost (so that even a 500 carries the headers), does five
things on every HTTP request:

* **Host check**: the ``Host`` header must name this server (``localhost``,
  ``127.0.0.1`` and ``[::1]`` by default, plus the names given with
  ``--allowed-host``); anything else is a 400. A page on ``http://evil.example`` whose
  DNS name is re-pointed at 127.0.0.1 (DNS rebinding) can then read nothing.
* **Body limit**: a ``Content-Length`` over the limit is a 413 before a byte of the
  body is read, and a body sent without one (chunked) is counted as it arrives and cut
  off with a 413 at the limit.
* **Writes need the token and this origin**: every request that is not ``GET``,
  ``HEAD`` or ``OPTIONS`` must carry the server's token (``Authorization: Bearer
  TOKEN`` or ``X-Claimgraph-Token: TOKEN``; 401 otherwise), and a request a browser
  marks as coming from another site (its ``Origin``, else its ``Referer``, or
  ``Sec-Fetch-Site``) is a 403 whatever it carries. Requests with neither header
  (curl, scripts) are judged by the token alone. The token only travels in a header
  that a cross-site form or a no-preflight ``fetch`` cannot set.
* **Security headers** on every answer: a Content-Security-Policy that allows scripts,
  styles, images and requests from this server only (no inline script, no inline
  style, no ``eval``), no framing (``frame-ancestors 'none'`` and
  ``X-Frame-Options: DENY``), ``X-Content-Type-Options: nosniff`` and
  ``Referrer-Policy: no-referrer`` (the reader links to the original article; the
  reader's own URL is nobody else's business).

Content types are checked by the endpoints themselves (``POST /api/documents`` takes
``application/json``, ``text/plain`` or ``text/html`` and answers 415 to anything
else, an absent type included).
"""

from __future__ import annotations

import hmac
import json
import secrets
from collections.abc import Iterable
from urllib.parse import urlsplit

from starlette.datastructures import Headers
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from claimgraph.ingest import DEFAULT_MAX_BYTES

#: Host names a server on a loopback interface answers to.
LOOPBACK_HOSTS = ("localhost", "127.0.0.1", "::1")
#: The largest request body read: an article at the ingest size limit, with room for
#: its JSON escaping and metadata.
MAX_BODY_BYTES = 2 * DEFAULT_MAX_BYTES
#: Methods that change nothing and need neither token nor origin check.
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
#: The shortest token accepted from ``--token`` / ``$CLAIMGRAPH_TOKEN``.
MIN_TOKEN_LENGTH = 16

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'none'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "connect-src 'self'",
        "font-src 'self'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)
SECURITY_HEADERS: tuple[tuple[bytes, bytes], ...] = (
    (b"content-security-policy", CONTENT_SECURITY_POLICY.encode("ascii")),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"no-referrer"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"cross-origin-resource-policy", b"same-origin"),
)


def new_token() -> str:
    """A random write token (32 URL-safe characters, 192 bits)."""
    return secrets.token_urlsafe(24)


def check_token(token: str) -> str:
    """``token`` if it is long enough to be a secret and can travel in a header;
    ``ValueError`` otherwise.

    Only printable ASCII is accepted: a header carries bytes, and clients disagree on
    how to send other characters (a browser's ``fetch`` sends "é" as Latin-1, curl as
    the terminal's UTF-8), so such a token would match for some clients and not others.
    """
    if len(token.strip()) < MIN_TOKEN_LENGTH or token != token.strip():
        raise ValueError(
            f"the write token must be at least {MIN_TOKEN_LENGTH} characters, without "
            "leading or trailing spaces"
        )
    if not (token.isascii() and token.isprintable()):
        raise ValueError("the write token must be printable ASCII characters")
    return token


def normalise_host(name: str) -> str:
    """A host name as the ``Host`` check compares it: lower case, no brackets, no
    trailing dot."""
    name = name.strip().lower()
    if name.startswith("[") and name.endswith("]"):
        name = name[1:-1]
    return name.rstrip(".") if name != "." else name


def host_of(header: str) -> str:
    """The host name of a ``Host`` header value (``example.org:8000``, ``[::1]:80``);
    "" (no allowed name) when what follows the name is not a port."""
    value = header.strip()
    if value.startswith("["):
        end = value.find("]")
        if end < 0:
            return ""
        name, rest = value[: end + 1], value[end + 1 :]
    elif value.count(":") == 1:
        name, port = value.split(":")
        rest = ":" + port
    else:
        name, rest = value, ""
    if rest and not (rest[0] == ":" and _is_digits(rest[1:] or "0")):
        return ""
    return normalise_host(name)


def _is_digits(text: str) -> bool:
    """ASCII digits only (``str.isdigit`` also takes "²" and other scripts' digits)."""
    return text.isascii() and text.isdigit()


def _origin(url: str) -> tuple[str, str, int] | None:
    """(scheme, host, port) of an origin or URL; None for ``null`` or a non-URL."""
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:
        return None
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https") or not parts.hostname:
        return None
    if port is None:
        port = 443 if scheme == "https" else 80
    return scheme, normalise_host(parts.hostname), port


class SecurityMiddleware:
    """See the module docstring."""

    def __init__(
        self,
        app: ASGIApp,
        *,
        token: str,
        allowed_hosts: Iterable[str] = LOOPBACK_HOSTS,
        max_body: int = MAX_BODY_BYTES,
    ) -> None:
        self.app = app
        self.token = token.encode("utf-8")
        self.allowed_hosts = frozenset(normalise_host(h) for h in allowed_hosts)
        self.max_body = max_body

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                present = {name.lower() for name, _ in headers}
                headers.extend(h for h in SECURITY_HEADERS if h[0] not in present)
                message = {**message, "headers": headers}
            await send(message)

        headers = Headers(scope=scope)
        host = headers.get("host", "")
        problem = self._check(scope, headers, host)
        if problem is not None:
            status, detail, extra = problem
            await _answer(send_with_headers, status, detail, extra)
            return

        received = 0

        async def bounded_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_body:
                    raise HTTPException(413, self._too_large())
            return message

        await self.app(scope, bounded_receive, send_with_headers)

    def _too_large(self) -> str:
        return f"request body is larger than the limit of {self.max_body} bytes"

    def _check(
        self, scope: Scope, headers: Headers, host: str
    ) -> tuple[int, str, dict[str, str]] | None:
        """(status, detail, extra headers) of a request refused before the app sees it."""
        if "*" not in self.allowed_hosts and host_of(host) not in self.allowed_hosts:
            return 400, "invalid Host header: this server does not answer to that name", {}
        length = headers.get("content-length")
        if length is not None:
            length = length.strip()
            if not _is_digits(length):
                return 400, "invalid Content-Length header", {}
            # (the digit count first: int() refuses strings of over 4,300 digits)
            digits = length.lstrip("0")
            if len(digits) > len(str(self.max_body)) or int(digits or "0") > self.max_body:
                return 413, self._too_large(), {}
        if scope["method"] in SAFE_METHODS:
            return None
        cross = self._cross_site(scope, headers, host)
        if cross is not None:
            return 403, cross, {}
        if not self._has_token(headers):
            return (
                401,
                "writes need the server's token: send 'Authorization: Bearer TOKEN' "
                "(printed by 'claimgraph serve' at start)",
                {"www-authenticate": 'Bearer realm="claimgraph"'},
            )
        return None

    def _cross_site(self, scope: Scope, headers: Headers, host: str) -> str | None:
        """Why a browser request comes from another site; None when it does not (or
        when nothing says where it comes from: not a browser, the token decides)."""
        site = headers.get("sec-fetch-site")
        if site is not None and site.lower() not in ("same-origin", "none"):
            return f"cross-site write refused (Sec-Fetch-Site: {site})"
        origin = headers.get("origin")
        label = "Origin"
        if origin is None:
            origin = headers.get("referer")
            label = "Referer"
            if origin is None:
                return None
        own = _origin(f"{scope.get('scheme', 'http')}://{host}")
        theirs = _origin(origin)
        if own is None or theirs != own:
            return f"cross-origin write refused ({label}: {origin[:200]!r})"
        return None

    def _has_token(self, headers: Headers) -> bool:
        given: str | None = None
        auth = headers.get("authorization")
        if auth is not None and auth[:7].lower() == "bearer ":
            given = auth[7:].strip()
        if given is None:
            given = headers.get("x-claimgraph-token")
        if given is None:
            return False
        return hmac.compare_digest(given.encode("utf-8"), self.token)


async def _answer(send: Send, status: int, detail: str, extra: dict[str, str]) -> None:
    """A JSON ``{"detail": ...}`` answer, sent without reading the request body (the
    connection is closed after it, so an unread body is never waited for)."""
    body = json.dumps({"detail": detail}).encode("utf-8")
    headers = [
        (b"content-type", b"application/json"),
        (b"content-length", str(len(body)).encode("ascii")),
        (b"connection", b"close"),
        *((k.encode("latin-1"), v.encode("latin-1")) for k, v in extra.items()),
    ]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})
