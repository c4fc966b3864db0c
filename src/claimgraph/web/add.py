"""Adding an article from the browser: the ``/add`` page and the form it posts.

The page is a plain form (a URL, pasted text, or a file) that ``static/add.js``
sends to ``POST /api/documents`` as ``multipart/form-data`` with the write token in
the ``X-Claimgraph-Token`` header, then follows the answer's ``reader`` link. The
page itself never contains the token: anyone who can read pages could otherwise
write. The user pastes the token once and the script keeps it in the browser's
``localStorage`` for this origin (see docs/web.md, "Add an article").

The form is read here; what it names is read and checked like any input
(``claimgraph.ingest`` for text and files, ``claimgraph.fetch`` for a URL) and
ingested like a JSON request.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from fastapi.templating import Jinja2Templates
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from claimgraph.errors import InputError, MalformedRecordError, UnsupportedInputError
from claimgraph.ingest import DEFAULT_MAX_BYTES, HTML_SUFFIXES
from claimgraph.model import Document
from claimgraph.urls import checked_url

router = APIRouter(include_in_schema=False)

#: Form fields taken; anything else in the form is ignored.
FIELDS = ("url", "text", "file", "title", "outlet", "published", "name")
#: The most fields a form may carry (the browser sends the seven above).
MAX_FIELDS = 20


@router.get("/add", response_class=HTMLResponse)
def add_page(request: Request) -> Response:
    templates: Jinja2Templates = request.app.state.templates
    return templates.TemplateResponse(
        request, "add.html", {"nav": "add", "title": "Add an article"}
    )


async def document_from_form(request: Request, max_part: int) -> Document:
    """The one article a ``multipart/form-data`` request names: ``url``, ``text`` or
    ``file`` (exactly one), with ``title``, ``outlet``, ``published`` and ``name``
    beside it. ``InputError`` (a 400) for everything wrong with it."""
    try:
        form = await request.form(max_files=1, max_fields=MAX_FIELDS, max_part_size=max_part)
    except Exception as exc:  # python-multipart's and Starlette's parse errors
        detail = getattr(exc, "detail", None) or str(exc) or type(exc).__name__
        raise MalformedRecordError("form", f"request body is not a usable form: {detail}") from None
    try:
        values: dict[str, Any] = {key: form.get(key) for key in FIELDS}
        upload = values["file"]
        data: bytes | None = None
        filename = ""
        if isinstance(upload, UploadFile):
            filename = Path(upload.filename or "").name
            data = await upload.read(DEFAULT_MAX_BYTES + 1)
            if not data and not filename:
                data = None  # an empty file input
    finally:
        await form.close()
    text = _text(values["text"])
    url = _field(values["url"])
    title, outlet = _field(values["title"]), _field(values["outlet"])
    published = _field(values["published"])
    label = _field(values["name"]) or filename or url or "form"
    given = [what for what, v in (("url", url), ("text", text), ("file", data)) if v is not None]
    if len(given) != 1:
        raise MalformedRecordError(
            label,
            "give exactly one of: a URL, pasted text, or a file"
            + (f" (got {', '.join(given)})" if given else ""),
        )
    if url is not None:
        checked = checked_url(url, label)
        assert checked is not None
        return await run_in_threadpool(_fetch, checked, title, outlet, published)
    from claimgraph.ingest import document_from_html, document_from_text

    if data is not None:
        if Path(filename).suffix.lower() in HTML_SUFFIXES:
            return document_from_html(data, label, title=title, outlet=outlet, published=published)
        try:
            decoded = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise InputError(
                label, f"file is not valid UTF-8 ({exc.reason} at byte {exc.start})"
            ) from None
        return document_from_text(decoded, label, title=title, outlet=outlet, published=published)
    assert text is not None
    name = _field(values["name"]) or "pasted text"
    return document_from_text(text, name, title=title, outlet=outlet, published=published)


def _fetch(url: str, title: str | None, outlet: str | None, published: str | None) -> Document:
    from claimgraph.fetch import XML_TYPES, Fetcher, page_document

    with Fetcher(max_bytes=DEFAULT_MAX_BYTES) as fetcher:
        page = fetcher.get(url, feeds=True)
        if page.is_feed:
            raise UnsupportedInputError(
                url, "is a feed, not an article; ingest feeds with: claimgraph ingest URL"
            )
        if page.media_type in XML_TYPES:
            raise UnsupportedInputError(
                url, f"not an article: content type {page.media_type} (XML that is not a feed)"
            )
        return page_document(
            page, url, title=title, outlet=outlet, published=published, max_bytes=DEFAULT_MAX_BYTES
        )


def _field(value: Any) -> str | None:
    if not isinstance(value, str):
        return None
    return value.strip() or None


def _text(value: Any) -> str | None:
    """Pasted text as typed (offsets index into it), with the browser's CRLF line
    ends made LF; None when only whitespace."""
    if not isinstance(value, str) or not value.strip():
        return None
    return value.replace("\r\n", "\n")
