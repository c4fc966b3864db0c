"""`claimgraph claims`, `contested`, `threads`, `timeline` and `export`: the
cross-article view and getting results out (claimgraph.exporters).

Kept beside :mod:`claimgraph.cli` (which registers these commands) so that the
per-article commands and the cross-article ones can each be read on one screen.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from claimgraph.cli import (
    _clean,
    _db_option,
    _json_line,
    _limit_option,
    _Out,
    _stdout_console,
    _trim,
    eval_group,
)
from claimgraph.filters import Filters, click_options

_F = TypeVar("_F", bound=Callable[..., Any])


def _format_option(choices: list[str]) -> Callable[[_F], _F]:
    return click.option(
        "--format",
        "fmt",
        type=click.Choice(choices),
        default="text",
        show_default=True,
        help="text for reading; json: one array; jsonl: one object per line; csv: flat "
        "columns, one value per cell (docs/export.md)"
        + ("; claimreview: schema.org ClaimReview JSON-LD." if "claimreview" in choices else "."),
    )


def _entity_id(store: Any, name: str | None) -> str | None:
    """The entity a user means, or the name itself so the query can match it as text."""
    if not name:
        return None
    found = store.find_entity(name)
    return str(found.id) if found is not None else name


@click.command(name="claims", short_help="Claims: who affirms or denies what, in which article.")
@_db_option
@click.option("--by", metavar="ACTOR", help="Claims made by ACTOR (an actor id or name).")
@click.option(
    "--about", metavar="ACTOR", help="Claims whose proposition is about ACTOR (actor or target)."
)
@click.option("--thread", metavar="ID", help="Only claims of this thread (see `threads`).")
@click_options("claims")
@_limit_option("items")
@_format_option(["text", "json", "jsonl", "csv"])
def claims_command(
    db: str,
    by: str | None,
    about: str | None,
    thread: str | None,
    filters: Filters,
    limit: int | None,
    fmt: str,
) -> None:
    """List claims: each voice's stance (affirm, deny, acknowledge, allege, promise,
    hedge, report) towards a proposition, with the sentence it comes from."""
    from claimgraph.store import open_store

    with open_store(db, create=False) as store:
        rows = store.claims(
            by=_entity_id(store, by),
            about=_entity_id(store, about),
            thread=thread,
            filters=filters,
            limit=limit,
        )
    _emit([r.to_dict() for r in rows], fmt, _print_claims, "claims")


@click.command(name="contested", short_help="Propositions that sources contradict each other on.")
@_db_option
@click_options("contested", aliases={"text": ("--about",)})
@_limit_option("items")
@_format_option(["text", "json", "jsonl", "csv", "claimreview"])
def contested_command(db: str, filters: Filters, limit: int | None, fmt: str) -> None:
    """Contested claims, most contested first: one voice affirms what another denies
    (or gives an incompatible time or quantity), with the voices on each side and
    the sentences that put them there. Ranked by how many independent voices stand
    on each side."""
    from claimgraph.store import open_store

    with open_store(db, create=False) as store:
        rows = store.contested(filters=filters, limit=limit)
        if fmt == "claimreview":
            _write_claim_reviews(store, rows, "json", {})
            return
    _emit([r.to_dict() for r in rows], fmt, _print_contested, "contested")


@click.command(name="threads", short_help="Claim threads: one proposition across articles.")
@_db_option
@click.option(
    "--actor", metavar="ACTOR", help="Threads ACTOR acts in, is targeted in or speaks in."
)
@click.option("--contested", "only_contested", is_flag=True, help="Only contested threads.")
@_limit_option("items")
@_format_option(["text", "json", "jsonl", "csv"])
def threads_command(
    db: str, actor: str | None, only_contested: bool, limit: int | None, fmt: str
) -> None:
    """Claim threads, most widely carried first: the same proposition from different
    sentences, articles and outlets, with first and latest appearance and how many
    independent sources carry it (republished copies of one story count once)."""
    from claimgraph.store import open_store

    with open_store(db, create=False) as store:
        rows = store.threads(
            actor=_entity_id(store, actor), contested=True if only_contested else None, limit=limit
        )
    _emit([r.to_dict() for r in rows], fmt, _print_threads, "threads")


@click.command(name="timeline", short_help="An actor's or a thread's events and claims in order.")
@click.argument("subject", metavar="ACTOR|THREAD")
@_db_option
@_limit_option("items")
@_format_option(["text", "json", "jsonl", "csv"])
@click.pass_context
def timeline_command(
    ctx: click.Context, subject: str, db: str, limit: int | None, fmt: str
) -> None:
    """Events and statements in time order for an actor (id or name) or a thread id:
    the event's own time where the text gives one, else the article's date."""
    from claimgraph.store import open_store

    with open_store(db, create=False) as store:
        if store.thread(subject) is not None:
            items = store.timeline(thread=subject, limit=limit)
        else:
            entity = store.find_entity(subject)
            if entity is None:
                click.echo(
                    f"Error: no actor or thread matches {subject!r} "
                    "(see `claimgraph actors` and `claimgraph threads`)",
                    err=True,
                )
                ctx.exit(1)
                return
            items = store.timeline(actor=entity.id, limit=limit)
    _emit([i.to_dict() for i in items], fmt, _print_timeline, "timeline")


@eval_group.command(name="claims")
@click.argument(
    "gold", type=click.Path(exists=True, dir_okay=False, path_type=Path), metavar="GOLD.json"
)
@click.option(
    "--base",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    default=None,
    help="Folder the gold's document names are relative to (default: found from the gold).",
)
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text")
def eval_claims(gold: Path, base: Path | None, fmt: str) -> None:
    """Score claim threads and contested claims against a multi-article gold (e.g.
    examples/gold/story.gold.json): the gold's articles are ingested into a temporary
    store with the real pipeline, then threads (B-cubed), contested items and
    near-duplicate groups are compared."""
    from claimgraph.evaluation.claims import evaluate_claims

    report = evaluate_claims(gold, base=base)
    if fmt == "json":
        _Out().write(json.dumps(report.to_dict(), ensure_ascii=False, indent=2) + "\n")
    else:
        click.echo(report.format_table())


# --------------------------------------------------------------------------- export


@click.group(name="export", short_help="ClaimReview, GraphML/GEXF, datasette metadata.")
def export_group() -> None:
    """Write the store in formats other tools read: schema.org ClaimReview JSON-LD for
    fact-checking tools, the actor network for graph tools, metadata for datasette.
    Listings as CSV or JSON Lines are the listing commands' --format csv / jsonl."""


def _check_date(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    import datetime as dt

    if value is None:
        return None
    try:
        dt.date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date (YYYY-MM-DD)") from None
    return value


@export_group.command(name="claimreview")
@_db_option
@click.option("--about", metavar="TEXT", help="Only propositions whose text contains TEXT.")
@_limit_option("contested propositions")
@click.option(
    "--author",
    default="claimgraph",
    show_default=True,
    help="The reviewer: your organisation's (or your) name.",
)
@click.option(
    "--author-type",
    type=click.Choice(["Organization", "Person"]),
    default="Organization",
    show_default=True,
)
@click.option("--author-url", metavar="URL", help="The reviewer's web address.")
@click.option(
    "--base-url",
    metavar="URL",
    help="Where claimgraph serve runs (https://host): each review's url is its thread page.",
)
@click.option(
    "--date", metavar="YYYY-MM-DD", callback=_check_date, help="datePublished (default: today)."
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["json", "jsonl"]),
    default="json",
    show_default=True,
    help="json: one array of ClaimReview objects; jsonl: one per line.",
)
def export_claimreview(
    db: str,
    about: str | None,
    limit: int | None,
    author: str,
    author_type: str,
    author_url: str | None,
    base_url: str | None,
    date: str | None,
    fmt: str,
) -> None:
    """Contested claims as schema.org ClaimReview JSON-LD: one review per contested
    proposition, side and voice, rated "Contested", naming the voices on the other
    side (see docs/export.md for the mapping)."""
    from claimgraph.store import open_store

    options = {
        "author": author,
        "author_type": author_type,
        "author_url": author_url,
        "base_url": base_url,
        "date": date,
    }
    with open_store(db, create=False) as store:
        rows = store.contested(about=about, limit=limit)
        _write_claim_reviews(store, rows, fmt, options)


def _write_claim_reviews(store: Any, rows: list[Any], fmt: str, options: dict[str, Any]) -> None:
    from claimgraph.exporters.claimreview import claim_reviews

    wanted = {s.document for c in rows for s in c.statements}
    documents = {d.id: d for d in store.documents() if d.id in wanted}
    reviews = claim_reviews(rows, documents, **options)
    out = _Out()
    if fmt == "jsonl":
        for r in reviews:
            out.write(_json_line(r))
    else:
        out.write(json.dumps(reviews, ensure_ascii=False, indent=2) + "\n")


@export_group.command(name="network")
@_db_option
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["graphml", "gexf"]),
    default="graphml",
    show_default=True,
    help="graphml (yEd, Cytoscape, networkx, igraph) or gexf (Gephi).",
)
@click.option("--actor", metavar="ACTOR", help="Only edges touching ACTOR (an id or name).")
@click.option(
    "--kind",
    "kinds",
    type=click.Choice(["acts", "speaks"]),
    multiple=True,
    help="acts (events) and/or speaks (statements naming the other); default both.",
)
@click.option(
    "--max-nodes",
    type=click.IntRange(min=2),
    default=60,
    show_default=True,
    help="Keep the N busiest actors, as the web network page does.",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, writable=True, path_type=Path),
    default=None,
    help="Write to this file (default: stdout).",
)
def export_network(
    db: str,
    fmt: str,
    actor: str | None,
    kinds: tuple[str, ...],
    max_nodes: int,
    output: Path | None,
) -> None:
    """The actor network as GraphML or GEXF: the same nodes and edges as the web
    interface's network page (/network, /api/network) with the same options."""
    from claimgraph.exporters.network import FORMATS
    from claimgraph.store import open_store

    with open_store(db, create=False) as store:
        net = store.network(
            actor=_entity_id(store, actor),
            kinds=tuple(sorted(set(kinds))) if kinds else ("acts", "speaks"),
            max_nodes=max_nodes,
        )
    text = FORMATS[fmt](net)
    if output is None:
        _Out().write(text)
    else:
        output.write_text(text, encoding="utf-8")


@export_group.command(name="datasette-metadata")
@_db_option
def export_datasette_metadata(db: str) -> None:
    """Metadata for datasette (descriptions of the readable views and tables, facets,
    canned queries), filed under the database's name:

        claimgraph export datasette-metadata --db demo.db > metadata.json
        datasette demo.db -m metadata.json

    The store's schema (and so the views) and its claim threads are brought up to
    date first, so that the views show the whole ledger."""
    from claimgraph.exporters.datasette import metadata
    from claimgraph.store import open_store

    with open_store(db, create=False) as store:
        store.ensure_threads()
    _Out().write(json.dumps(metadata(db), ensure_ascii=False, indent=2) + "\n")


# --------------------------------------------------------------------------- output


def _emit(rows: list[dict[str, Any]], fmt: str, text: Any, listing: str) -> None:
    out = _Out()
    if fmt == "json":
        out.write(json.dumps(rows, ensure_ascii=False, indent=2) + "\n")
    elif fmt == "jsonl":
        for r in rows:
            out.write(_json_line(r))
    elif fmt == "csv":
        from claimgraph.exporters.tabular import listing_csv

        for chunk in listing_csv(listing, rows):
            out.write(chunk)
    else:
        text(rows)


def _voices(voices: list[dict[str, Any]]) -> str:
    return ", ".join(_clean(v["name"]) for v in voices) or "—"


def _print_contested(rows: list[dict[str, Any]]) -> None:
    from rich.text import Text

    console = _stdout_console()
    if not rows:
        console.print(Text("no contested claims", style="dim"))
        return
    for n, c in enumerate(rows, start=1):
        head = Text(f"{n}. ", style="bold")
        head.append(_clean(c["proposition"]), style="bold")
        head.append(f"  [{c['kind']}, {c['thread']}]", style="dim")
        console.print(head, soft_wrap=not console.is_terminal)
        labels = ("affirm", "deny") if c["kind"] == "polarity" else ("side A", "side B")
        console.print(Text(f"   {labels[0]}: {_voices(c['affirm'])}", style="green"))
        console.print(Text(f"   {labels[1]}: {_voices(c['deny'])}", style="red"))
        for s in c["statements"]:
            line = f"     {s['side']:>7} · {_clean(s['voice']['name'])}: {_trim(s['text'], 160)}"
            where = f" — {_clean(s['document_name'])}" + (
                f" · {s['published']}" if s["published"] else ""
            )
            console.print(Text(line + where, style="dim"), soft_wrap=not console.is_terminal)
    console.print(Text(f"{len(rows)} contested", style="dim"))


def _print_claims(rows: list[dict[str, Any]]) -> None:
    from rich.text import Text

    console = _stdout_console()
    if not rows:
        console.print(Text("no claims match", style="dim"))
        return
    for s in rows:
        line = Text(f"{s['published'] or 'no date'} · ")
        line.append(_clean(s["voice"]["name"]), style="bold")
        style = {"affirm": "green", "deny": "red"}.get(s["side"], "yellow")
        line.append(f" {s['stance']} ", style=style)
        line.append(_clean(s["proposition"]))
        if s["time"]:
            line.append(f" [{s['time']}]", style="cyan")
        console.print(line, soft_wrap=not console.is_terminal)
        console.print(
            Text(f"    {_trim(s['text'], 200)} — {_clean(s['document_name'])}", style="dim"),
            soft_wrap=not console.is_terminal,
        )
    console.print(Text(f"{len(rows)} claim{'' if len(rows) == 1 else 's'}", style="dim"))


def _print_threads(rows: list[dict[str, Any]]) -> None:
    from rich.text import Text

    console = _stdout_console()
    if not rows:
        console.print(Text("no threads match", style="dim"))
        return
    for t in rows:
        line = Text(f"{t['id']} ", style="dim")
        line.append(_clean(t["proposition"]), style="bold")
        seen = t["first_seen"] or "?"
        if t["last_seen"] and t["last_seen"] != t["first_seen"]:
            seen += f" … {t['last_seen']}"
        line.append(
            f" · {t['claims']} claims, {t['documents']} articles, {t['sources']} sources · {seen}"
        )
        if t["contested"]:
            line.append(" · contested", style="red")
        console.print(line, soft_wrap=not console.is_terminal)
    console.print(Text(f"{len(rows)} thread{'' if len(rows) == 1 else 's'}", style="dim"))


def _print_timeline(rows: list[dict[str, Any]]) -> None:
    from rich.text import Text

    console = _stdout_console()
    if not rows:
        console.print(Text("nothing in this timeline", style="dim"))
        return
    for i in rows:
        date = i["date"] or "no date"
        mark = "" if i["date_source"] == "event" else " (article date)"
        line = Text(f"{date}{mark} · ", style="cyan" if i["date_source"] == "event" else "")
        line.append(_clean(i["text"]))
        line.append(f" — {_clean(i['document_name'])}", style="dim")
        console.print(line, soft_wrap=not console.is_terminal)
    console.print(Text(f"{len(rows)} item{'' if len(rows) == 1 else 's'}", style="dim"))
