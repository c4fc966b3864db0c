"""claimgraph's web layer: a REST API and a reader interface over one store.

``create_app(store_url)`` builds the FastAPI application; ``claimgraph serve`` (the
``serve`` click command in :mod:`claimgraph.web.cli`) runs it with uvicorn. Importing
this package stays cheap: FastAPI is loaded only when an app is built, so the
``claimgraph`` command answers ``--help`` at once.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from fastapi import FastAPI


def create_app(
    store_url: str | None = None,
    *,
    model: str | None = None,
    extractor_factory: Callable[[], Any] | None = None,
    token: str | None = None,
    allowed_hosts: Iterable[str] | None = None,
    max_body: int | None = None,
) -> FastAPI:
    """See :func:`claimgraph.web.app.create_app`."""
    from claimgraph.web.app import create_app as build
    from claimgraph.web.security import MAX_BODY_BYTES

    return build(
        store_url,
        model=model,
        extractor_factory=extractor_factory,
        token=token,
        allowed_hosts=allowed_hosts,
        max_body=MAX_BODY_BYTES if max_body is None else max_body,
    )


__all__ = ["create_app"]
