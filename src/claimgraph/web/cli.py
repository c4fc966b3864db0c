"""``claimgraph serve``: the web interface and REST API in one process (uvicorn)."""

from __future__ import annotations

import ipaddress
import socket

import click

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000
#: ``--host`` values that mean "every interface".
ALL_INTERFACES = ("0.0.0.0", "::", "")


def is_loopback(host: str) -> bool:
    """Whether ``--host`` is a loopback interface (or the name ``localhost``)."""
    if host.lower() in ("localhost", "localhost."):
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def interface_addresses() -> list[str]:
    """This machine's own host name and non-loopback addresses, best effort (no
    packet is sent: a UDP socket is only connected, to learn the outgoing address)."""
    found: list[str] = []
    name = socket.gethostname()
    if name:
        found.append(name)
    try:
        infos = socket.getaddrinfo(name, None)
    except OSError:
        infos = []
    for info in infos:
        found.append(str(info[4][0]))
    for family, probe in ((socket.AF_INET, "192.0.2.1"), (socket.AF_INET6, "2001:db8::1")):
        try:
            with socket.socket(family, socket.SOCK_DGRAM) as s:
                s.connect((probe, 9))
                found.append(str(s.getsockname()[0]))
        except OSError:
            pass
    out: list[str] = []
    for item in found:
        item = item.split("%", 1)[0]  # an IPv6 zone (fe80::1%eth0) is no host name
        if item and not is_loopback(item) and item not in out:
            out.append(item)
    return out


def _url(host: str, port: int) -> str:
    shown = f"[{host}]" if ":" in host else host
    return f"http://{shown}:{port}/"


def served_hosts(host: str, port: int, extra: tuple[str, ...] = ()) -> tuple[list[str], list[str]]:
    """(the Host names the server answers to, the URLs it is reachable at) for
    ``--host host`` and the ``--allowed-host`` names ``extra``."""
    from claimgraph.web.security import LOOPBACK_HOSTS, normalise_host

    loopback = list(LOOPBACK_HOSTS)
    if host in ALL_INTERFACES:
        own = interface_addresses()
        urls = [_url("127.0.0.1", port)] + [_url(h, port) for h in own]
        names = loopback + own
    elif is_loopback(host):
        # another loopback address (127.0.0.2) is the name its printed URL sends
        bare = host.strip("[]")
        names = loopback + ([bare] if normalise_host(bare) not in loopback else [])
        urls = [_url(bare, port)]
    else:
        names = [host.strip("[]")]
        urls = [_url(host.strip("[]"), port)]
    for name in extra:
        if name not in names:
            names.append(name)
    return names, urls


@click.command(short_help="Serve the web interface and the REST API.")
@click.option(
    "--db",
    metavar="URL",
    envvar="CLAIMGRAPH_DB",
    default="claimgraph.db",
    show_default=True,
    help="Database: a SQLite file or sqlite:///path, or postgresql://... (also $CLAIMGRAPH_DB).",
)
@click.option(
    "--host",
    default=DEFAULT_HOST,
    show_default=True,
    help="Interface to listen on (0.0.0.0: all of them).",
)
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
    "--token",
    metavar="TOKEN",
    envvar="CLAIMGRAPH_TOKEN",
    default=None,
    help="Secret that writes (POST /api/documents) must send as 'Authorization: Bearer "
    "TOKEN', at least 16 printable ASCII characters (also $CLAIMGRAPH_TOKEN, which other "
    "users cannot see in the process list). Default: a random one, printed at start.",
)
@click.option(
    "--allowed-host",
    "allowed_hosts",
    metavar="NAME",
    multiple=True,
    help="Another name the server answers to in the Host header (a DNS name or the "
    "name a reverse proxy forwards); repeatable. Requests naming any other host are "
    "refused (400), which defeats DNS rebinding. '*' allows every name.",
)
@click.option(
    "--log-level",
    type=click.Choice(["critical", "error", "warning", "info", "debug"]),
    default="info",
    show_default=True,
)
def serve(
    db: str,
    host: str,
    port: int,
    model: str | None,
    token: str | None,
    allowed_hosts: tuple[str, ...],
    log_level: str,
) -> None:
    """Serve the article reader, actor pages, contested claims, timeline, network and
    search at http://HOST:PORT/, and the REST API under /api/ (OpenAPI schema at
    /openapi.json). Nothing is loaded from outside this server. Stop with Ctrl-C.

    Reading needs nothing; writes need the token, printed here at start unless given
    with --token or $CLAIMGRAPH_TOKEN, and are refused from other sites' pages."""
    import uvicorn

    from claimgraph.store import open_store
    from claimgraph.web import create_app

    # a mistyped --db must not serve (and leave behind) a new empty database
    open_store(db, create=False).close()
    names, urls = served_hosts(host, port, allowed_hosts)
    try:
        app = create_app(db, model=model, token=token, allowed_hosts=names)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--token") from None
    where = "on all interfaces at " if host in ALL_INTERFACES else "at "
    click.echo(
        f"claimgraph: serving {db} {where}{', '.join(urls)} (API: /api/, schema: /openapi.json)",
        err=True,
    )
    if token is None:
        click.echo(
            f"claimgraph: write token (send as 'Authorization: Bearer TOKEN'): {app.state.token}",
            err=True,
        )
    else:
        click.echo("claimgraph: writes need the token given by --token/$CLAIMGRAPH_TOKEN", err=True)
    if not is_loopback(host):
        click.echo(
            "claimgraph: warning: listening beyond this machine, over plain HTTP: anyone "
            "who can reach it can read the store, and writes need only the token. "
            f"Host names answered: {', '.join(names)}.",
            err=True,
        )
    uvicorn.run(app, host=host, port=port, log_level=log_level)
