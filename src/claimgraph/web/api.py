"""The REST API under ``/api/``: each route is one or two ``Store`` calls.

Lists answer ``{"items": [...], "total": n, "limit": l, "offset": o}`` (or CSV with
``format=csv``); the item shapes are the library's own ``to_dict`` records, described
by the response models below so that ``/openapi.json`` is a contract clients (and the
schema tests) can check answers against.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Annotated, Any, Generic, Literal, TypeVar

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, ConfigDict, Field

from claimgraph.browse import DocumentSummary
from claimgraph.entities import EntityRow
from claimgraph.errors import InputError, MalformedRecordError
from claimgraph.exporters.tabular import listing_csv
from claimgraph.filters import Filters, query_dependency
from claimgraph.model import Document
from claimgraph.search import SEARCH_KINDS
from claimgraph.store import Statement
from claimgraph.urls import checked_url
from claimgraph.web.app import (
    DEFAULT_LIMIT,
    MAX_LIMIT,
    AppState,
    NotFoundError,
    state_of,
)

router = APIRouter(prefix="/api", tags=["api"])

T = TypeVar("T")
Limit = Annotated[int, Query(ge=1, le=MAX_LIMIT, description="Items per page.")]
Offset = Annotated[int, Query(ge=0, le=10_000_000, description="Items to skip.")]
Format = Annotated[Literal["json", "csv"], Query(description="json (default) or csv.")]
DateParam = Annotated[
    str | None,
    Query(
        pattern=r"^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$",
        description="YYYY, YYYY-MM or YYYY-MM-DD (inclusive).",
    ),
]
Text = Annotated[str | None, Query(max_length=200)]
CSV_MEDIA = {"text/csv": {"schema": {"type": "string"}}}


class Page(BaseModel, Generic[T]):
    items: list[T]
    total: int
    limit: int
    offset: int


class ErrorOut(BaseModel):
    detail: Any
    document: str | None = None
    reason: str | None = None


class OverviewOut(BaseModel):
    documents: int
    statements: int
    events: int
    actors: int
    first_published: str | None
    last_published: str | None
    contested: int


class SectionOut(BaseModel):
    kind: str
    start: int
    end: int


class DocumentDetailOut(BaseModel):
    document: DocumentSummary
    text: str
    sections: list[SectionOut]
    actors: list[dict[str, Any]]
    attributions: list[dict[str, Any]]
    events: list[dict[str, Any]]


class EventOut(BaseModel):
    model_config = ConfigDict(extra="allow")

    id: str
    document_id: str
    document_name: str
    type: str
    actor: str | None
    target: str | None
    trigger: str
    trigger_start: int
    trigger_end: int
    polarity: str
    modality: str
    date: str | None
    voice: str
    sentence: str
    #: Calibrated probability that the type is right; null for unscored events.
    confidence: float | None = None


class ActorProfileOut(BaseModel):
    entity: EntityRow
    aliases: list[str]
    said: list[Statement]
    said_about: list[Statement]
    acts: list[EventOut]
    targeted: list[EventOut]


class SearchHitOut(BaseModel):
    kind: str
    id: str
    title: str
    snippet: str
    highlights: list[list[int]]
    document: str | None
    published: str | None
    score: float
    details: dict[str, Any]


class SearchOut(Page[SearchHitOut]):
    query: str
    counts: dict[str, int]
    method: str
    note: str | None


class NetworkNodeOut(BaseModel):
    id: str
    name: str
    type: str
    country: str | None
    weight: int


class NetworkEdgeOut(BaseModel):
    source: str
    target: str
    kind: str
    count: int


class NetworkOut(BaseModel):
    nodes: list[NetworkNodeOut]
    edges: list[NetworkEdgeOut]


class IngestIn(BaseModel):
    text: str = Field(min_length=1, description="The article text, exactly as published.")
    title: str | None = None
    url: str | None = None
    outlet: str | None = None
    published: str | None = Field(None, description="YYYY-MM-DD (or an RFC 2822 date)")
    name: str | None = Field(None, description="A label for the document (default: api:<id>)")


class IngestOut(BaseModel):
    id: str
    name: str
    stored: bool
    already_stored: bool
    message: str
    statements: int
    events: int
    actors: int
    reader: str


# --------------------------------------------------------------------------- helpers


def _page(items: Sequence[Any], total: int, limit: int, offset: int) -> dict[str, Any]:
    return {
        "items": [i if isinstance(i, dict) else i.to_dict() for i in items],
        "total": total,
        "limit": limit,
        "offset": offset,
    }


def csv_response(records: Sequence[Any], listing: str) -> Response:
    """Records as flat CSV, one value per cell (nested records spread over columns,
    lists joined with "; ", formula-like cells defused): the writer the command line
    uses too, claimgraph.exporters.tabular."""
    return Response(
        "".join(listing_csv(listing, records)),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{listing}.csv"'},
    )


def _list(
    items: Sequence[Any], total: int, limit: int, offset: int, fmt: str, name: str
) -> dict[str, Any] | Response:
    page = _page(items, total, limit, offset)
    if fmt == "csv":
        return csv_response(items, name)
    return page


# --------------------------------------------------------------------------- routes


@router.get("", summary="What the store holds", response_model=OverviewOut)
def overview(request: Request) -> dict[str, Any]:
    state = state_of(request)
    store = state.store()
    out = store.overview().to_dict()
    out["contested"] = store.count_contested()
    return out


@router.get(
    "/documents",
    summary="Stored articles, newest first",
    response_model=Page[DocumentSummary],
    responses={200: {"content": CSV_MEDIA}},
)
def list_documents(
    request: Request,
    outlet: Text = None,
    since: DateParam = None,
    until: DateParam = None,
    q: Annotated[str | None, Query(max_length=200, description="In title or name.")] = None,
    limit: Limit = DEFAULT_LIMIT,
    offset: Offset = 0,
    format: Format = "json",
) -> Any:
    store = state_of(request).store()
    filters = {"outlet": outlet, "since": since, "until": until, "q": q}
    items = store.document_summaries(**filters, limit=limit, offset=offset)
    total = store.count_document_summaries(**filters)
    return _list(items, total, limit, offset, format, "documents")


@router.get(
    "/documents/{doc_id}",
    summary="One article with its text, sections, actors, attributions and events",
    response_model=DocumentDetailOut,
    responses={404: {"model": ErrorOut}},
)
def get_document(request: Request, doc_id: str) -> dict[str, Any]:
    view = state_of(request).store().document_view(doc_id)
    if view is None:
        raise NotFoundError("document", doc_id)
    out: dict[str, Any] = view.to_dict()
    return out


@router.post(
    "/documents",
    summary="Ingest an article: extract and store it (idempotent by content hash)",
    response_model=IngestOut,
    status_code=201,
    responses={
        200: {"model": IngestOut, "description": "Already stored; nothing written."},
        400: {"model": ErrorOut, "description": "The text cannot be ingested."},
        401: {"model": ErrorOut, "description": "No or wrong token."},
        403: {"model": ErrorOut, "description": "Sent from another origin."},
        413: {"model": ErrorOut, "description": "The request body is too large."},
        415: {"model": ErrorOut, "description": "Not JSON, plain text, HTML or a form."},
    },
    openapi_extra={
        "requestBody": {
            "content": {
                "application/json": {"schema": {"$ref": "#/components/schemas/IngestIn"}},
                "text/plain": {"schema": {"type": "string"}},
                "text/html": {"schema": {"type": "string"}},
                "multipart/form-data": {
                    "schema": {
                        "type": "object",
                        "properties": {
                            "url": {"type": "string"},
                            "text": {"type": "string"},
                            "file": {"type": "string", "format": "binary"},
                            "title": {"type": "string"},
                            "outlet": {"type": "string"},
                            "published": {"type": "string"},
                            "name": {"type": "string"},
                        },
                    }
                },
            },
            "required": True,
        }
    },
)
async def post_document(
    request: Request,
    title: Text = None,
    url: Annotated[str | None, Query(max_length=2000)] = None,
    outlet: Text = None,
    published: Text = None,
    name: Text = None,
) -> Response:
    """JSON ``{"text", "title"?, "url"?, "outlet"?, "published"?}``, or the raw article
    as ``text/plain`` or ``text/html`` with metadata in the query string, or a
    ``multipart/form-data`` form (the /add page's) with one of ``url`` (fetched),
    ``text`` or ``file``. Needs the server's token (``Authorization: Bearer TOKEN``);
    ``url`` must be http(s)."""
    from starlette.concurrency import run_in_threadpool

    state = state_of(request)
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if content_type not in ("application/json", "text/plain", "text/html", "multipart/form-data"):
        return JSONResponse(
            {
                "detail": f"unsupported content type {content_type!r}: send application/json, "
                "text/plain, text/html or multipart/form-data"
            },
            status_code=415,
        )
    if content_type == "multipart/form-data":
        from claimgraph.web.add import document_from_form
        from claimgraph.web.security import MAX_BODY_BYTES

        doc = await document_from_form(request, MAX_BODY_BYTES)
        return await run_in_threadpool(_ingest_document, state, doc)
    raw = await request.body()
    label = name or "api"
    if content_type == "application/json":
        try:
            body = IngestIn.model_validate_json(raw)
        except ValueError as exc:
            raise MalformedRecordError(
                label, f"request body is not a valid article record: {_first_error(exc)}"
            ) from None
        meta = {
            "title": body.title,
            "url": checked_url(body.url, body.name or label),
            "outlet": body.outlet,
            "published": body.published,
        }
        return await run_in_threadpool(_ingest, state, body.text, body.name or name, meta, False)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(
            label, f"request body is not valid UTF-8 ({exc.reason} at byte {exc.start})"
        ) from None
    meta = {
        "title": title,
        "url": checked_url(url, label),
        "outlet": outlet,
        "published": published,
    }
    return await run_in_threadpool(_ingest, state, text, name, meta, content_type == "text/html")


def _first_error(exc: ValueError) -> str:
    errors = getattr(exc, "errors", None)
    if callable(errors):
        found = errors()
        if found:
            first = found[0]
            where = ".".join(str(p) for p in first.get("loc", ()))
            return f"{where}: {first.get('msg')}" if where else str(first.get("msg"))
    return str(exc).splitlines()[0]


def _ingest(
    state: AppState, text: str, name: str | None, meta: dict[str, Any], is_html: bool
) -> Response:
    from claimgraph.ingest import document_from_html, document_from_text
    from claimgraph.model import content_id

    label = name or f"api:{content_id(text)}"
    if is_html:
        doc = document_from_html(text, label, **meta)
    else:
        doc = document_from_text(text, label, **meta)
    return _ingest_document(state, doc)


def _ingest_document(state: AppState, doc: Document) -> Response:
    from claimgraph.batch import ingest_documents

    store = state.store()
    with state.ingest_lock:
        report = ingest_documents([doc], store, workers=1, extractor_factory=state.extractor)
    if report.skipped:
        _, reason = report.skipped[0]
        raise InputError(doc.name, reason.removeprefix(f"{doc.name}: "))
    view = store.document_view(doc.id)
    stored = bool(report.stored)
    out = {
        "id": doc.id,
        "name": view.summary.name if view else doc.name,
        "stored": stored,
        "already_stored": not stored,
        "message": (
            f"stored {doc.name}"
            if stored
            else f"already stored as {view.summary.name if view else doc.id}; nothing written"
        ),
        "statements": view.summary.statements if view else 0,
        "events": view.summary.events if view else 0,
        "actors": view.summary.actors if view else 0,
        "reader": f"/documents/{doc.id}",
    }
    return JSONResponse(out, status_code=201 if stored else 200)


@router.get(
    "/actors",
    summary="Actors across articles, most quoted first",
    response_model=Page[EntityRow],
    responses={200: {"content": CSV_MEDIA}},
)
def list_actors(
    request: Request,
    name: Text = None,
    type: Annotated[str | None, Query(max_length=40, description="person, state, ...")] = None,
    country: Annotated[str | None, Query(max_length=3, description="ISO 3166 alpha-3")] = None,
    limit: Limit = DEFAULT_LIMIT,
    offset: Offset = 0,
    format: Format = "json",
) -> Any:
    store = state_of(request).store()
    items, total = store.entity_page(
        name=name, type=type, country=country, limit=limit, offset=offset
    )
    return _list(items, total, limit, offset, format, "actors")


@router.get(
    "/actors/{entity_id:path}",
    summary="One actor: what they said, what was said about them, their events",
    response_model=ActorProfileOut,
    responses={404: {"model": ErrorOut}},
)
def get_actor(
    request: Request,
    entity_id: str,
    limit: Limit = DEFAULT_LIMIT,
) -> dict[str, Any]:
    store = state_of(request).store()
    if not store.entities(entity_id=entity_id):
        raise NotFoundError("actor", entity_id)
    profile = store.entity_profile(entity_id, limit=limit)
    if profile is None:  # pragma: no cover - deleted between the two queries
        raise NotFoundError("actor", entity_id)
    out: dict[str, Any] = profile.to_dict()
    return out


@router.get(
    "/statements",
    summary="Who said what: attributions with resolved speakers",
    response_model=Page[Statement],
    responses={200: {"content": CSV_MEDIA}},
)
def list_statements(
    request: Request,
    filters: Annotated[Filters, Depends(query_dependency("statements"))],
    about: Annotated[
        str | None, Query(max_length=200, description="Content contains (the older name of text).")
    ] = None,
    actor: Annotated[str | None, Query(max_length=300, description="Speaker entity id.")] = None,
    limit: Limit = DEFAULT_LIMIT,
    offset: Offset = 0,
    format: Format = "json",
) -> Any:
    store = state_of(request).store()
    items, total = store.statement_page(
        about=about,
        speaker_entity=actor,
        filters=filters,
        limit=limit,
        offset=offset,
    )
    return _list(items, total, limit, offset, format, "statements")


@router.get(
    "/events",
    summary="Who did what to whom: PLOVER events",
    response_model=Page[EventOut],
    responses={200: {"content": CSV_MEDIA}},
)
def list_events(
    request: Request,
    filters: Annotated[Filters, Depends(query_dependency("events"))],
    actor: Annotated[str | None, Query(max_length=200, description="Actor name or ISO3.")] = None,
    target: Annotated[str | None, Query(max_length=200, description="Target name/ISO3.")] = None,
    actor_entity: Annotated[str | None, Query(max_length=300)] = None,
    target_entity: Annotated[str | None, Query(max_length=300)] = None,
    limit: Limit = DEFAULT_LIMIT,
    offset: Offset = 0,
    format: Format = "json",
) -> Any:
    store = state_of(request).store()
    roles: dict[str, Any] = {
        "actor": actor,
        "target": target,
        "actor_entity": actor_entity,
        "target_entity": target_entity,
    }
    items, total = store.event_page(**roles, filters=filters, limit=limit, offset=offset)
    return _list(items, total, limit, offset, format, "events")


@router.get(
    "/search",
    summary="Full-text search over articles, actors and statements",
    response_model=SearchOut,
    responses={200: {"content": CSV_MEDIA}},
)
def search(
    request: Request,
    q: Annotated[str, Query(max_length=200, description="Words to find (all must match).")],
    kind: Annotated[
        list[Literal["actor", "document", "statement"]] | None,
        Query(description=f"Any of {', '.join(SEARCH_KINDS)} (default: all)."),
    ] = None,
    stance: Annotated[
        str | None,
        Query(
            max_length=40,
            pattern=r"^[A-Za-z_-]{1,40}$",
            description="Only statements of this stance (deny, affirm, ...).",
        ),
    ] = None,
    limit: Limit = DEFAULT_LIMIT,
    offset: Offset = 0,
    format: Format = "json",
) -> Any:
    page = (
        state_of(request).store().search(q, kinds=kind, limit=limit, offset=offset, stance=stance)
    )
    if format == "csv":
        return csv_response([h.to_dict() for h in page.items], "search")
    return page.to_dict()


@router.get(
    "/network",
    summary="Who acts on or speaks about whom, between actors",
    response_model=NetworkOut,
)
def network(
    request: Request,
    actor: Annotated[str | None, Query(max_length=300, description="Entity id.")] = None,
    kind: Annotated[
        list[Literal["acts", "speaks"]] | None,
        Query(description="acts (events) and/or speaks (statements naming the other)."),
    ] = None,
    max_nodes: Annotated[int, Query(ge=2, le=300)] = 60,
) -> dict[str, Any]:
    state = state_of(request)
    kinds = tuple(sorted(set(kind))) if kind else ("acts", "speaks")
    key = f"network|{actor}|{','.join(kinds)}|{max_nodes}"
    net = state.cached(key, lambda s: s.network(actor=actor, kinds=kinds, max_nodes=max_nodes))
    out: dict[str, Any] = net.to_dict()
    return out


# --------------------------------------------------------------------------- claims


@router.get(
    "/contested",
    summary="Contested claims, most contested first",
    response_model=Page[dict[str, Any]],
    responses={200: {"content": CSV_MEDIA}},
)
def list_contested(
    request: Request,
    filters: Annotated[Filters, Depends(query_dependency("contested"))],
    about: Annotated[
        str | None, Query(max_length=200, description="The older name of text.")
    ] = None,
    limit: Limit = DEFAULT_LIMIT,
    offset: Offset = 0,
    format: Format = "json",
) -> Any:
    store = state_of(request).store()
    items = store.contested(limit=limit, offset=offset, about=about, filters=filters)
    total = store.count_contested(about=about, filters=filters)
    return _list(items, total, limit, offset, format, "contested")


@router.get(
    "/threads",
    summary="Claim threads: one proposition across statements and articles",
    response_model=Page[dict[str, Any]],
    responses={200: {"content": CSV_MEDIA}},
)
def list_threads(
    request: Request,
    actor: Annotated[str | None, Query(max_length=300)] = None,
    contested: bool | None = None,
    limit: Limit = DEFAULT_LIMIT,
    offset: Offset = 0,
    format: Format = "json",
) -> Any:
    store = state_of(request).store()
    items = store.threads(actor=actor, contested=contested, limit=limit, offset=offset)
    total = store.count_threads(actor=actor, contested=contested)
    return _list(items, total, limit, offset, format, "threads")


@router.get(
    "/threads/{thread_id}",
    summary="One claim thread with its statements",
    response_model=dict[str, Any],
    responses={404: {"model": ErrorOut}},
)
def get_thread(request: Request, thread_id: str) -> dict[str, Any]:
    store = state_of(request).store()
    thread = store.thread(thread_id)
    if thread is None:
        raise NotFoundError("claim thread", thread_id)
    out: dict[str, Any] = thread.to_dict()
    return out


@router.get(
    "/claims",
    summary="Claims: statements of a stance towards a proposition",
    response_model=Page[dict[str, Any]],
    responses={200: {"content": CSV_MEDIA}},
)
def list_claims(
    request: Request,
    filters: Annotated[Filters, Depends(query_dependency("claims"))],
    by: Annotated[str | None, Query(max_length=300, description="Entity id or name.")] = None,
    about: Annotated[str | None, Query(max_length=300, description="Entity id or name.")] = None,
    thread: Annotated[str | None, Query(max_length=300)] = None,
    limit: Limit = DEFAULT_LIMIT,
    offset: Offset = 0,
    format: Format = "json",
) -> Any:
    store = state_of(request).store()
    chosen: dict[str, Any] = {"by": by, "about": about, "thread": thread, "filters": filters}
    items = store.claims(**chosen, limit=limit, offset=offset)
    total = store.count_claims(**chosen)
    return _list(items, total, limit, offset, format, "claims")


@router.get(
    "/timeline",
    summary="Events and claims in time order",
    response_model=Page[dict[str, Any]],
    responses={200: {"content": CSV_MEDIA}},
)
def timeline(
    request: Request,
    actor: Annotated[str | None, Query(max_length=300, description="Entity id.")] = None,
    thread: Annotated[str | None, Query(max_length=300)] = None,
    limit: Limit = DEFAULT_LIMIT,
    offset: Offset = 0,
    format: Format = "json",
) -> Any:
    """Needs ``actor`` or ``thread`` (422 otherwise): the whole store in time order is
    not a question anyone reads an answer to."""
    store = state_of(request).store()
    every = store.timeline(actor=actor, thread=thread, limit=offset + limit)
    items = every[offset:]
    total = len(every)
    if total == offset + limit:  # a full page: there may be more
        total = len(store.timeline(actor=actor, thread=thread))
    return _list(items, total, limit, offset, format, "timeline")
