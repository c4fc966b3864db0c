"""The web application: one FastAPI app serving the REST API under ``/api/`` and the
server-rendered reader pages, over one store.

Everything here is plumbing around :class:`claimgraph.store.Store` methods: opening
the store once per worker thread (SQLite connections belong to the thread that opened
them, and opening one runs the migration check, which must not happen per request),
loading the extraction pipeline lazily for ``POST /api/documents`` (a second or two,
and a few hundred MB, that a read-only server never pays), and turning the library's
errors into HTTP answers: 404 for unknown ids, 422 for bad parameters, 400 naming the
document and the reason for input that cannot be ingested, 503 when the database
itself fails.

Security (``claimgraph.web.security``): writes need the token ``create_app`` is given
(or generates) and a same-origin request, the ``Host`` header must be one of the
allowed names, request bodies are bounded, and every answer carries a strict
Content-Security-Policy and the other security headers.
"""

from __future__ import annotations

import threading
from collections.abc import AsyncIterator, Callable, Iterable
from contextlib import asynccontextmanager
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import quote

import jinja2
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp

from claimgraph import __version__
from claimgraph.errors import ClaimgraphError, InputError, StoreError
from claimgraph.store import Store, open_store
from claimgraph.urls import safe_url
from claimgraph.web.security import (
    LOOPBACK_HOSTS,
    MAX_BODY_BYTES,
    SecurityMiddleware,
    check_token,
    new_token,
)

#: Default page size and the most one request may ask for.
DEFAULT_LIMIT = 50
MAX_LIMIT = 500


class NotFoundError(ClaimgraphError):
    """No document, actor or claim thread has the id a request named (HTTP 404)."""

    def __init__(self, kind: str, ident: str) -> None:
        self.kind = kind
        self.ident = ident
        super().__init__(f"no {kind} with id {ident!r}")


class StorePool:
    """One open store per worker thread, opened on first use.

    SQLite connections may only be used by the thread that opened them, and FastAPI
    runs plain ``def`` endpoints in a thread pool; a store per request would run the
    migration check (a write transaction) on every request.
    """

    def __init__(self, url: str) -> None:
        self.url = url
        self._local = threading.local()
        self._lock = threading.Lock()
        self._opened: list[Store] = []
        #: Bumped by ``close``: a thread holding a store of an older generation opens
        #: a new one (an app can be started and shut down more than once, e.g. by an
        #: ASGI test client per request).
        self._generation = 0

    def get(self) -> Store:
        store: Store | None = getattr(self._local, "store", None)
        if store is None or getattr(self._local, "generation", -1) != self._generation:
            store = open_store(self.url)
            self._local.store = store
            self._local.generation = self._generation
            with self._lock:
                self._opened.append(store)
        return store

    def close(self) -> None:
        """Close what can be closed; SQLite refuses a close from another thread, and
        those connections go with the process."""
        with self._lock:
            opened, self._opened = self._opened, []
            self._generation += 1
        for store in opened:
            store.close()


class AppState:
    """What the routes share: the store pool, the lazily loaded extractor, caches."""

    def __init__(
        self,
        store_url: str,
        model: str | None,
        extractor_factory: Callable[[], Any] | None,
    ) -> None:
        self.store_url = store_url
        self.stores = StorePool(store_url)
        self.model = model
        self._extractor_factory = extractor_factory
        self._extractor: Any = None
        #: spaCy pipelines are not safe to share between threads; ingests take turns.
        self.ingest_lock = threading.Lock()
        self._cache: dict[str, tuple[Any, Any]] = {}
        self._cache_lock = threading.Lock()

    def store(self) -> Store:
        return self.stores.get()

    def extractor(self) -> Any:
        """The extraction pipeline, loaded on the first ingest and kept."""
        if self._extractor is None:
            if self._extractor_factory is not None:
                self._extractor = self._extractor_factory()
            else:
                from claimgraph.pipeline import DEFAULT_MODEL, Extractor

                self._extractor = Extractor(self.model or DEFAULT_MODEL)
        return self._extractor

    def cached(self, key: str, compute: Callable[[Store], Any]) -> Any:
        """``compute(store)``, recomputed only when documents were added or removed."""
        store = self.store()
        stamp = store.fingerprint()
        with self._cache_lock:
            hit = self._cache.get(key)
        if hit is not None and hit[0] == stamp:
            return hit[1]
        value = compute(store)
        with self._cache_lock:
            self._cache[key] = (stamp, value)
            if len(self._cache) > 256:
                self._cache.pop(next(iter(self._cache)))
        return value


def package_path(folder: str) -> Path:
    """A folder shipped inside ``claimgraph.web`` (templates, static)."""
    return Path(str(resources.files("claimgraph.web").joinpath(folder)))


def make_templates() -> Jinja2Templates:
    """Jinja2 with autoescaping on for every template, whatever its file name."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(package_path("templates"))),
        autoescape=True,
    )
    env.filters["urlencode_id"] = lambda value: quote(str(value), safe="")
    # A stored URL becomes an href only when it is http(s): an old database, or one
    # written by other code, may hold a "javascript:" URL.
    env.filters["safe_href"] = lambda value: safe_url(value) if isinstance(value, str) else None
    return Jinja2Templates(env=env)


def state_of(request: Request) -> AppState:
    state: AppState = request.app.state.claimgraph
    return state


def _wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api/") or request.url.path == "/api"


class ClaimgraphApp(FastAPI):
    """FastAPI with :class:`SecurityMiddleware` outside everything else, so that even
    the answers of Starlette's own error middleware carry the security headers."""

    security: dict[str, Any]

    def build_middleware_stack(self) -> ASGIApp:
        return SecurityMiddleware(super().build_middleware_stack(), **self.security)


def create_app(
    store_url: str | None = None,
    *,
    model: str | None = None,
    extractor_factory: Callable[[], Any] | None = None,
    token: str | None = None,
    allowed_hosts: Iterable[str] | None = None,
    max_body: int = MAX_BODY_BYTES,
) -> FastAPI:
    """The claimgraph web app over the store at ``store_url`` (a SQLite path or URL, or
    ``postgresql://...``; None: ``claimgraph.db``).

    The store is opened (and migrated) once here, so a wrong URL fails at start-up,
    not on the first request. ``model`` is the spaCy pipeline used by ``POST
    /api/documents``; ``extractor_factory`` replaces it (an object with ``extract``).

    ``token`` is the secret every write request must carry (None: a random one, read
    it back from ``app.state.token``; ``ValueError`` if shorter than 16 characters).
    ``allowed_hosts`` are the names the ``Host`` header may carry (None: localhost,
    127.0.0.1 and ::1; ``"*"`` allows any). Request bodies over ``max_body`` bytes
    are refused with a 413.
    """
    from claimgraph.web import add, api, pages

    token = new_token() if token is None else check_token(token)
    hosts = tuple(LOOPBACK_HOSTS if allowed_hosts is None else allowed_hosts)
    url = "claimgraph.db" if store_url is None else str(store_url)
    open_store(url).close()  # fail fast on a bad URL or an unreadable database
    state = AppState(url, model, extractor_factory)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        yield
        state.stores.close()

    app = ClaimgraphApp(
        title="claimgraph",
        version=__version__,
        description=(
            "Who said what about whom, in news articles: documents with their "
            "attributions and events, actors across articles, statements, full-text "
            "search, and (with the claims stage) contested claims. Lists take `limit` "
            f"(default {DEFAULT_LIMIT}, at most {MAX_LIMIT}) and `offset`, answer "
            '`{"items", "total", "limit", "offset"}` and CSV with `format=csv`. '
            "Writes (`POST /api/documents`) need the token `claimgraph serve` prints at "
            "start, as `Authorization: Bearer TOKEN`, and are refused from other origins."
        ),
        lifespan=lifespan,
        # Swagger UI and ReDoc load their scripts from a CDN; the interface must work
        # with no network beyond this server, so only the schema is served.
        docs_url=None,
        redoc_url=None,
    )
    app.security = {"token": token, "allowed_hosts": hosts, "max_body": max_body}
    app.state.claimgraph = state
    app.state.token = token
    app.state.allowed_hosts = hosts
    app.state.templates = make_templates()
    app.mount("/static", StaticFiles(directory=str(package_path("static"))), name="static")
    app.include_router(api.router)
    app.include_router(pages.router)
    app.include_router(add.router)
    _install_error_handlers(app)
    return app


def _install_error_handlers(app: FastAPI) -> None:
    def page_or_json(request: Request, status: int, detail: str, **extra: Any) -> Response:
        if _wants_json(request):
            return JSONResponse({"detail": detail, **extra}, status_code=status)
        return pages_error(request, status, detail)

    @app.exception_handler(NotFoundError)
    async def not_found(request: Request, exc: NotFoundError) -> Response:
        return page_or_json(request, 404, str(exc))

    @app.exception_handler(InputError)
    async def bad_input(request: Request, exc: InputError) -> Response:
        return page_or_json(request, 400, str(exc), document=exc.document, reason=exc.detail)

    @app.exception_handler(StoreError)
    async def store_failed(request: Request, exc: StoreError) -> Response:
        return page_or_json(request, 503, str(exc))

    @app.exception_handler(ValueError)
    async def bad_value(request: Request, exc: ValueError) -> Response:
        # The store raises ValueError for parameters it cannot read (a date such as
        # "2022-13"): the request is wrong, not the server. Same shape as FastAPI's
        # own 422 answers, so clients parse one kind of validation error.
        if _wants_json(request):
            return JSONResponse(
                {"detail": [{"loc": ["query"], "msg": str(exc), "type": "value_error"}]},
                status_code=422,
            )
        return pages_error(request, 422, str(exc))

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        if _wants_json(request):
            return JSONResponse(
                {"detail": exc.detail}, status_code=exc.status_code, headers=exc.headers
            )
        return pages_error(request, exc.status_code, str(exc.detail))

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> Response:
        errors = exc.errors()
        if _wants_json(request):
            return JSONResponse({"detail": _jsonable(errors)}, status_code=422)
        text = "; ".join(
            f"{'.'.join(str(p) for p in e.get('loc', ())[1:])}: {e.get('msg')}" for e in errors
        )
        return pages_error(request, 422, text or "invalid request")


def _jsonable(value: Any) -> Any:
    from fastapi.encoders import jsonable_encoder

    return jsonable_encoder(value, custom_encoder={Exception: str})


def pages_error(request: Request, status: int, detail: str) -> Response:
    templates: Jinja2Templates = request.app.state.templates
    return templates.TemplateResponse(
        request,
        "error.html",
        {"status": status, "detail": detail, "title": f"Error {status}"},
        status_code=status,
    )
