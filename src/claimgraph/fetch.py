"""Articles and RSS/Atom feeds from the web: ``claimgraph ingest https://...``.

``read_documents`` hands every argument that starts with ``http://`` or ``https://`` to
:func:`read_url`, which yields ``Document`` or ``InputError`` items like the file
readers do: a URL that cannot be fetched or read is one skip naming the URL and the
reason, never the end of a batch.

What a fetch does, and refuses:

* only ``http`` and ``https`` URLs with a host (:func:`claimgraph.urls.safe_url`), at
  every redirect too; at most :data:`MAX_REDIRECTS` redirects are followed;
* ``robots.txt`` is honoured for each host (fetched once per run with the same client;
  a robots file that cannot be fetched, or answers 4xx/5xx, allows everything; a
  ``Disallow`` that matches is a skip saying so). The user agent is
  :data:`USER_AGENT`, which names claimgraph and where to read about it;
* connect and read timeouts (:data:`CONNECT_TIMEOUT`, :data:`READ_TIMEOUT`) and a
  limit on the whole download (:data:`TOTAL_TIMEOUT`), so a server that drips bytes
  cannot hold a batch;
* the body is streamed and the download stopped as soon as it passes the ingest size
  limit (``max_bytes``), whatever ``Content-Length`` said;
* an answer other than 2xx is a skip with its status; content types other than HTML
  (``text/html``, ``application/xhtml+xml``), ``text/plain`` and, for the URL named on
  the command line, RSS/Atom feeds are skipped ("not an article").

Articles: an HTML page goes through the same trafilatura extraction as an HTML file
(title, date, site name from the page); plain text is read as a ``.txt`` file. The
document's ``name`` and ``url`` are the URL as requested (for a feed item: its link),
so that a later run recognises it.

Feeds (detected by content type, or by parsing an XML answer) are read with
``feedparser``. Each item's **link is fetched** and read as an article, since feeds
mostly carry a summary; the item's title, date and the feed's title fill what the
page lacks. An item without a usable link is read from its own full content
(``content:encoded`` / Atom ``content``) when it has some. Items whose link is already
stored (``known_url``) are not fetched again: a rerun fetches only new items.
"""

from __future__ import annotations

import time
import urllib.robotparser
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from email.message import Message
from typing import Any
from urllib.parse import urljoin, urlsplit

import httpx

from claimgraph import __version__
from claimgraph.errors import (
    DocumentTooLargeError,
    EmptyDocumentError,
    InputError,
    UnsupportedInputError,
)
from claimgraph.model import Document
from claimgraph.urls import safe_url

#: Who is asking: a crawler names itself and where to find out about it.
USER_AGENT = (
    f"claimgraph/{__version__} (+https://pypi.org/project/claimgraph/; "
    "news claim extraction; honours robots.txt)"
)
#: The token ``robots.txt`` groups are matched against.
ROBOTS_AGENT = "claimgraph"
#: Seconds to wait for a connection, for each read, and for a whole download.
CONNECT_TIMEOUT = 10.0
READ_TIMEOUT = 20.0
TOTAL_TIMEOUT = 60.0
#: Redirects followed before giving up.
MAX_REDIRECTS = 5
#: robots.txt is read up to this size (RFC 9309 asks for at least 500 KiB).
MAX_ROBOTS_BYTES = 512 * 1024

ARTICLE_TYPES = frozenset({"text/html", "application/xhtml+xml", "text/plain"})
FEED_TYPES = frozenset(
    {"application/rss+xml", "application/atom+xml", "application/rdf+xml", "application/feed+xml"}
)
#: XML types that may be a feed; their body is parsed to find out.
XML_TYPES = frozenset({"application/xml", "text/xml"})

_ACCEPT = (
    "text/html,application/xhtml+xml,application/rss+xml,application/atom+xml,"
    "application/xml;q=0.9,text/plain;q=0.8"
)


def is_url(argument: str) -> bool:
    """Whether a command-line argument names a web page rather than a file."""
    return argument[:8].lower().startswith(("http://", "https://"))


@dataclass(frozen=True)
class Page:
    """A fetched answer: the URL it finally came from, its media type and body."""

    url: str
    media_type: str
    charset: str | None
    body: bytes

    @property
    def is_feed(self) -> bool:
        if self.media_type in FEED_TYPES:
            return True
        if self.media_type in XML_TYPES:
            head = self.body[:2048].lower()
            return b"<rss" in head or b"<feed" in head or b"<rdf:rdf" in head
        return False

    def text(self) -> str:
        """The body decoded with the declared charset, else UTF-8 (strictly)."""
        for encoding in (self.charset, "utf-8"):
            if not encoding:
                continue
            try:
                return self.body.decode(encoding)
            except (LookupError, UnicodeDecodeError):
                continue
        raise InputError(self.url, "text is not valid UTF-8 and declares no usable charset")


class Fetcher:
    """One HTTP client for a run: connections and robots.txt answers are reused."""

    def __init__(
        self,
        *,
        max_bytes: int,
        connect_timeout: float | None = None,
        read_timeout: float | None = None,
        total_timeout: float | None = None,
        max_redirects: int = MAX_REDIRECTS,
        user_agent: str = USER_AGENT,
    ) -> None:
        self.max_bytes = max_bytes
        self.max_redirects = max_redirects
        self.total_timeout = TOTAL_TIMEOUT if total_timeout is None else total_timeout
        connect = CONNECT_TIMEOUT if connect_timeout is None else connect_timeout
        read = READ_TIMEOUT if read_timeout is None else read_timeout
        self._client = httpx.Client(
            follow_redirects=False,
            timeout=httpx.Timeout(read, connect=connect),
            headers={"User-Agent": user_agent, "Accept": _ACCEPT},
            trust_env=False,  # no proxies or .netrc credentials picked up behind one's back
        )
        self._robots: dict[str, urllib.robotparser.RobotFileParser | None] = {}
        self.requests = 0

    def close(self) -> None:
        self._client.close()

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- fetching ---------------------------------------------------------------

    def get(self, url: str, *, name: str | None = None, feeds: bool = True) -> Page:
        """The page at ``url`` after redirects; ``InputError`` naming ``name`` (default:
        the URL) for every way it can fail."""
        name = name or url
        current = safe_url(url)
        if current is None:
            raise UnsupportedInputError(name, "not an http(s) URL with a host; not fetched")
        for _ in range(self.max_redirects + 1):
            if not self.allowed(current):
                where = "" if current == name else f" (redirected to {current})"
                raise InputError(name, f"robots.txt of the site disallows fetching it{where}")
            page, location = self._get_once(current, name, feeds)
            if page is not None:
                return page
            target = safe_url(urljoin(current, location or ""))
            if target is None:
                raise UnsupportedInputError(
                    name, f"redirected to {location!r}, which is not an http(s) URL; not followed"
                )
            current = target
        raise InputError(name, f"more than {self.max_redirects} redirects; gave up")

    def _get_once(self, url: str, name: str, feeds: bool) -> tuple[Page | None, str | None]:
        started = time.monotonic()
        self.requests += 1
        try:
            with self._client.stream("GET", url) as response:
                if response.is_redirect:
                    location = response.headers.get("location", "").strip()
                    if not location:  # following "" would ask for the same URL again
                        phrase = response.reason_phrase or "redirect"
                        raise InputError(
                            name,
                            f"HTTP {response.status_code} {phrase} from the server, "
                            "with no Location to follow",
                        )
                    return None, location
                if not 200 <= response.status_code < 300:
                    phrase = response.reason_phrase or "error"
                    raise InputError(name, f"HTTP {response.status_code} {phrase} from the server")
                media_type, charset = _content_type(response.headers.get("content-type", ""))
                allowed = ARTICLE_TYPES | FEED_TYPES | XML_TYPES if feeds else ARTICLE_TYPES
                if media_type not in allowed:
                    shown = media_type or "none given"
                    raise UnsupportedInputError(
                        name,
                        f"not an article: content type {shown} (claimgraph reads HTML and "
                        "plain-text pages" + (" and RSS/Atom feeds)" if feeds else ")"),
                    )
                length = response.headers.get("content-length", "")
                if length.isdigit() and int(length) > self.max_bytes:
                    raise DocumentTooLargeError(name, self._too_large(int(length)))
                body = bytearray()
                for chunk in response.iter_bytes():
                    body += chunk
                    if len(body) > self.max_bytes:
                        raise DocumentTooLargeError(
                            name, self._too_large(None) + "; download stopped"
                        )
                    if time.monotonic() - started > self.total_timeout:
                        raise InputError(
                            name, f"download took over {self.total_timeout:g} s; gave up"
                        )
                return Page(str(response.url), media_type, charset, bytes(body)), None
        except httpx.TimeoutException as exc:
            raise InputError(name, _timeout_reason(exc, self._client.timeout)) from None
        except httpx.HTTPError as exc:
            raise InputError(name, _connect_reason(exc)) from None

    def _too_large(self, size: int | None) -> str:
        told = f"{size:,} bytes" if size is not None else "the page"
        return f"{told} is over the limit of {self.max_bytes:,} bytes"

    # -- robots.txt -------------------------------------------------------------

    def allowed(self, url: str) -> bool:
        """Whether the site's robots.txt lets claimgraph fetch ``url``."""
        parts = urlsplit(url)
        site = f"{parts.scheme}://{parts.netloc}"
        if site not in self._robots:
            self._robots[site] = self._read_robots(site)
        rules = self._robots[site]
        return rules is None or rules.can_fetch(ROBOTS_AGENT, url)

    def _read_robots(self, site: str) -> urllib.robotparser.RobotFileParser | None:
        """The parsed robots.txt, or None (everything allowed) when there is none or it
        cannot be fetched: a robots failure must not stop the reading of an article."""
        url = site + "/robots.txt"
        try:
            for _ in range(self.max_redirects + 1):
                self.requests += 1
                with self._client.stream("GET", url) as response:
                    if response.is_redirect:
                        location = response.headers.get("location", "").strip()
                        target = safe_url(urljoin(url, location)) if location else None
                        if target is None:
                            return None
                        url = target
                        continue
                    if response.status_code != 200:
                        return None
                    body = bytearray()
                    for chunk in response.iter_bytes():
                        body += chunk
                        if len(body) >= MAX_ROBOTS_BYTES:
                            break
                    rules = urllib.robotparser.RobotFileParser(url)
                    text = bytes(body[:MAX_ROBOTS_BYTES]).decode("utf-8", "replace")
                    rules.parse(text.splitlines())
                    return rules
        except httpx.HTTPError:
            return None
        return None


def _content_type(header: str) -> tuple[str, str | None]:
    msg = Message()
    msg["content-type"] = header
    media_type = msg.get_content_type() if header.strip() else ""
    charset = msg.get_param("charset")
    return media_type.lower(), charset if isinstance(charset, str) and charset else None


def _timeout_reason(exc: httpx.TimeoutException, timeout: httpx.Timeout) -> str:
    if isinstance(exc, httpx.ConnectTimeout):
        return f"timed out connecting to the server (after {timeout.connect:g} s)"
    if isinstance(exc, httpx.ReadTimeout):
        return f"timed out waiting for the server to answer (after {timeout.read:g} s)"
    return f"timed out ({type(exc).__name__})"


def _connect_reason(exc: httpx.HTTPError) -> str:
    text = " ".join(str(exc).split()) or type(exc).__name__
    low = text.lower()
    if "name or service not known" in low or "nodename nor servname" in low or "getaddrinfo" in low:
        return f"cannot resolve the host name (DNS): {text}"
    if "connection refused" in low:
        return "connection refused by the server"
    return f"fetch failed: {text}"


# --------------------------------------------------------------------------- documents


def read_url(
    url: str,
    fetcher: Fetcher,
    *,
    published: str | None = None,
    known_url: Callable[[str], bool] | None = None,
    notice: Callable[[str, str], None] | None = None,
) -> Iterator[Document | InputError]:
    """The article at ``url``, or the new items of the feed at ``url``."""
    try:
        page = fetcher.get(url)
        if not page.is_feed and page.media_type not in XML_TYPES:
            yield page_document(page, url, published=published, max_bytes=fetcher.max_bytes)
            return
    except InputError as exc:
        yield exc
        return
    except Exception as exc:  # a reader bug must not end the batch; name it instead
        yield InputError(url, f"could not be read ({type(exc).__name__}: {exc})")
        return
    yield from _feed_items(page, url, fetcher, published, known_url, notice)


def page_document(
    page: Page,
    name: str,
    *,
    title: str | None = None,
    outlet: str | None = None,
    published: str | None = None,
    max_bytes: int,
) -> Document:
    """The article in a fetched page; ``title``, ``outlet`` and ``published`` fill what
    the page lacks, and the document's URL is ``name`` (the URL as requested)."""
    from claimgraph.ingest import _from_html, _Meta, _normalise_record_date, document_from_text

    published = _normalise_record_date(published, name)

    if page.media_type == "text/plain":
        return document_from_text(
            page.text(),
            name,
            title=title,
            url=name,
            outlet=outlet,
            published=published,
            max_bytes=max_bytes,
        )
    html: str | bytes = page.body
    if page.charset and page.charset.lower().replace("_", "-") not in ("utf-8", "utf8"):
        html = page.text()  # the HTTP header's charset beats the page's guess
    if isinstance(html, bytes):
        from claimgraph.ingest import _decode_html

        html = _decode_html(html, name)
    explicit = _Meta(url=safe_url(name))
    fallback = _Meta(title=title, outlet=outlet, published=published)
    return _from_html(html, name, explicit, fallback, max_bytes)


def _feed_items(
    page: Page,
    url: str,
    fetcher: Fetcher,
    published: str | None,
    known_url: Callable[[str], bool] | None,
    notice: Callable[[str, str], None] | None,
) -> Iterator[Document | InputError]:
    import feedparser

    try:
        feed: Any = feedparser.parse(
            page.body,
            response_headers={"content-location": page.url, "content-type": page.media_type},
            sanitize_html=False,
            resolve_relative_uris=True,
        )
    except Exception as exc:
        yield InputError(url, f"feed could not be parsed ({type(exc).__name__}: {exc})")
        return
    entries = list(feed.get("entries") or [])
    if not entries:
        if feed.get("version"):
            yield EmptyDocumentError(url, "feed has no items")
        else:
            yield UnsupportedInputError(url, "not an article: XML that is neither RSS nor Atom")
        return
    outlet = _clean(feed.get("feed", {}).get("title"))
    known = 0
    for n, entry in enumerate(entries, 1):
        link = safe_url(_clean(entry.get("link")))
        title = _clean(entry.get("title"))
        when = _entry_date(entry) or published
        try:
            if link is not None:
                if known_url is not None and known_url(link):
                    known += 1
                    continue
                item = fetcher.get(link, feeds=False)
                yield page_document(
                    item,
                    link,
                    title=title,
                    outlet=outlet,
                    published=when,
                    max_bytes=fetcher.max_bytes,
                )
                continue
            content = _full_content(entry)
            if content is None:
                yield UnsupportedInputError(
                    f"{url}#item-{n}", "feed item has neither a link nor its full text"
                )
                continue
            from claimgraph.ingest import document_from_html

            yield document_from_html(
                f"<html><body><article>{content}</article></body></html>",
                f"{url}#item-{n}",
                title=title,
                outlet=outlet,
                published=when,
                max_bytes=fetcher.max_bytes,
            )
        except InputError as exc:
            yield exc
        except Exception as exc:  # a reader bug must not end the batch; name it
            yield InputError(link or f"{url}#item-{n}", f"could not be read ({exc!r})")
    if known and notice is not None:
        notice(url, f"{known} of {len(entries)} feed items already stored; not fetched again")


def _clean(value: Any) -> str | None:
    if not isinstance(value, str):
        return None
    return " ".join(value.split()) or None


def _entry_date(entry: Any) -> str | None:
    for key in ("published_parsed", "updated_parsed"):
        parsed = entry.get(key)
        if parsed:
            try:
                return f"{parsed.tm_year:04d}-{parsed.tm_mon:02d}-{parsed.tm_mday:02d}"
            except AttributeError:
                continue
    return None


def _full_content(entry: Any) -> str | None:
    """The item's own full text (``content:encoded``, Atom ``content``), not its summary."""
    for part in entry.get("content") or []:
        value = part.get("value") if isinstance(part, dict) else None
        if isinstance(value, str) and value.strip():
            return value
    return None
