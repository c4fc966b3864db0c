"""``claimgraph serve``: the web interface and REST API in one process (uvicorn)."""

from __future__ import annotations

import click

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000


@click.command(short_help="Serve the web interface and the REST API.")
@click.option(
    "--db",
    metavar="URL",
    envvar="CLAIMGRAPH_DB",
    default="claimgraph.db",
    show_default=True,
    help="Database: a SQLite file or sqlite:///path, or postgresql://... (also $CLAIMGRAPH_DB).",
)
@click.option("--host", default=DEFAULT_HOST, show_default=True, help="Interface to listen on.")
@click.option(
    "--port",
    type=click.IntRange(0, 65535),
    default=DEFAULT_PORT,
    show_default=True,
    help="Port to listen on.",
)
@click.option(
    "--model",
    metavar="NAME",
    default=None,
    help="spaCy pipeline for articles POSTed to /api/documents (loaded on first use).",
)
@click.option(
    "--log-level",
    type=click.Choice(["critical", "error", "warning", "info", "debug"]),
    default="info",
    show_default=True,
)
def serve(db: str, host: str, port: int, model: str | None, log_level: str) -> None:
    """Serve the article reader, actor pages, contested claims, timeline, network and
    search at http://HOST:PORT/, and the REST API under /api/ (OpenAPI schema at
    /openapi.json). Nothing is loaded from outside this server. Stop with Ctrl-C."""
    import uvicorn

    from claimgraph.web import create_app

    app = create_app(db, model=model)
    shown = "localhost" if host in ("127.0.0.1", "0.0.0.0", "::") else host
    click.echo(
        f"claimgraph: serving {db} at http://{shown}:{port}/ (API: /api/, schema: /openapi.json)",
        err=True,
    )
    uvicorn.run(app, host=host, port=port, log_level=log_level)
