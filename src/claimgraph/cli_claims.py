"""`claimgraph claims`, `contested`, `threads` and `timeline`: the cross-article view.

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

_F = TypeVar("_F", bound=Callable[..., Any])


def _format_option(choices: list[str]) -> Callable[[_F], _F]:
    return click.option(
        "--format",
        "fmt",
        type=click.Choice(choices),
        default="text",
        show_default=True,
        help="text for reading; json: one array; jsonl: one object per line.",
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
@click.option("--document", metavar="ID_OR_NAME", help="Only claims made in this document.")
@_limit_option("items")
@_format_option(["text", "json", "jsonl"])
def claims_command(
    db: str,
    by: str | None,
    about: str | None,
    thread: str | None,
    document: str | None,
    limit: int | None,
    fmt: str,
) -> None:
    """List claims: each voice's stance (affirm, deny, acknowledge, allege, promise,
    hedge, report) towards a proposition, with the sentence it comes from."""
    from claimgraph.store import open_store

    with open_store(db) as store:
        rows = store.claims(
            by=_entity_id(store, by),
            about=_entity_id(store, about),
            thread=thread,
            document=document,
            limit=limit,
        )
    _emit([r.to_dict() for r in rows], fmt, _print_claims)


@click.command(name="contested", short_help="Propositions that sources contradict each other on.")
@_db_option
@click.option("--about", metavar="TEXT", help="Only propositions whose text contains TEXT.")
@_limit_option("items")
@_format_option(["text", "json", "jsonl"])
def contested_command(db: str, about: str | None, limit: int | None, fmt: str) -> None:
    """Contested claims, most contested first: one voice affirms what another denies
    (or gives an incompatible time or quantity), with the voices on each side and
    the sentences that put them there. Ranked by how many independent voices stand
    on each side."""
    from claimgraph.store import open_store

    with open_store(db) as store:
        rows = store.contested(about=about, limit=limit)
    _emit([r.to_dict() for r in rows], fmt, _print_contested)


@click.command(name="threads", short_help="Claim threads: one proposition across articles.")
@_db_option
@click.option(
    "--actor", metavar="ACTOR", help="Threads ACTOR acts in, is targeted in or speaks in."
)
@click.option("--contested", "only_contested", is_flag=True, help="Only contested threads.")
@_limit_option("items")
@_format_option(["text", "json", "jsonl"])
def threads_command(
    db: str, actor: str | None, only_contested: bool, limit: int | None, fmt: str
) -> None:
    """Claim threads, most widely carried first: the same proposition from different
    sentences, articles and outlets, with first and latest appearance and how many
    independent sources carry it (republished copies of one story count once)."""
    from claimgraph.store import open_store

    with open_store(db) as store:
        rows = store.threads(
            actor=_entity_id(store, actor), contested=True if only_contested else None, limit=limit
        )
    _emit([r.to_dict() for r in rows], fmt, _print_threads)


@click.command(name="timeline", short_help="An actor's or a thread's events and claims in order.")
@click.argument("subject", metavar="ACTOR|THREAD")
@_db_option
@_limit_option("items")
@_format_option(["text", "json", "jsonl"])
@click.pass_context
def timeline_command(
    ctx: click.Context, subject: str, db: str, limit: int | None, fmt: str
) -> None:
    """Events and statements in time order for an actor (id or name) or a thread id:
    the event's own time where the text gives one, else the article's date."""
    from claimgraph.store import open_store

    with open_store(db) as store:
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
    _emit([i.to_dict() for i in items], fmt, _print_timeline)


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


# --------------------------------------------------------------------------- output


def _emit(rows: list[dict[str, Any]], fmt: str, text: Any) -> None:
    out = _Out()
    if fmt == "json":
        out.write(json.dumps(rows, ensure_ascii=False, indent=2) + "\n")
    elif fmt == "jsonl":
        for r in rows:
            out.write(_json_line(r))
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
