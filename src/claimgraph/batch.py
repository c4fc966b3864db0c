"""Many documents -> the store, using several processes for the slow part (spaCy).

Reading and hashing are cheap, so they happen first in the main process: documents
already in the store, or seen earlier in the same batch, are counted as duplicates
and never reach a model. Extraction runs in worker processes, each loading its
pipeline once (a spaCy pipeline takes about a second to load and cannot be pickled,
and ``spawn`` avoids forking a process that already holds threads). Only the main
process writes, one transaction per document, so an interrupted batch keeps
everything it already stored and a rerun picks up where it stopped.

The store is written **in input order** whatever order the workers finish in
(finished extractions wait in a small window for the ones before them), because
filing an article's actors under entities depends on what is already filed (the
first article to give a role sets it, "Trump" alone means the dominant Trump). So
one worker or several, interrupted and resumed or not, end in the same store.

Before extracting a document the run *claims* it in the store
(``Store.claim_document``): a second ingest of the same corpus running at the same
time leaves it to the first and, at its end, waits for it to be stored (counted as
a duplicate) or takes it over if the first gave up on it or died.

Workers die with the main process (``PR_SET_PDEATHSIG`` on Linux, and a thread
watching the parent pid everywhere), so a killed ingest leaves no orphans; a
document that takes longer than ``timeout`` seconds is skipped and its worker
replaced.

One bad document never stops a batch: unreadable input, an exception in the
extractor, a worker that crashes on it or runs out of time, or records the
database refuses all become ``skipped`` entries with a reason.
"""

from __future__ import annotations

import ctypes
import multiprocessing
import os
import signal
import sys
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable
from contextlib import suppress
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from multiprocessing.connection import wait as wait_for
from pathlib import Path
from typing import Any, Protocol, cast

from claimgraph.errors import ClaimgraphError, InputError, ModelNotFoundError, StoreError
from claimgraph.model import Document, Extraction
from claimgraph.store import DocumentRejectedError, IngestLease, Store, open_store


class SupportsExtract(Protocol):
    def extract(self, doc: Document) -> Extraction: ...


#: Builds the extractor inside each worker. It must be picklable (a module-level
#: function or class), since workers are started with "spawn".
ExtractorFactory = Callable[[], SupportsExtract]

#: A document in flight when a worker process dies this often is given up on.
MAX_CRASHES_PER_DOCUMENT = 2
#: What ``claimgraph ingest`` allows one document by default, in seconds.
DEFAULT_TIMEOUT = 120.0
#: How often to look again at documents another ingest is extracting, in seconds.
BUSY_POLL_SECONDS = 0.5


@dataclass(frozen=True)
class BatchProgress:
    """Counts for a progress display; ``done`` includes duplicates and skipped ones."""

    done: int
    total: int
    stored: int
    duplicates: int
    skipped: int
    #: Name of the document just finished (None for the initial report).
    current: str | None = None


@dataclass
class IngestReport:
    stored: int = 0
    #: Already stored, seen earlier in the batch, or stored meanwhile by another ingest.
    duplicates: int = 0
    #: (document name, reason) for every document that was not stored.
    skipped: list[tuple[str, str]] = field(default_factory=list)
    #: Ids of the documents stored by this run, in the order they were stored.
    documents: list[str] = field(default_factory=list)


def default_workers() -> int:
    return max(1, min(2, os.cpu_count() or 1))


def ingest_paths(
    paths: str | Path | Iterable[str | Path],
    store: str | Path | Store | None,
    *,
    published: str | None = None,
    workers: int | None = None,
    model: str | None = None,
    progress: Callable[[BatchProgress], None] | None = None,
    extractor_factory: ExtractorFactory | None = None,
    timeout: float | None = None,
    on_ignored: Callable[[str, str], None] | None = None,
    min_confidence: float = 0.0,
) -> IngestReport:
    """Read files/folders/URLs with ``claimgraph.ingest.read_documents`` and ingest them.

    ``store`` is a database URL or path (None: the default SQLite file), opened and
    closed here, or an open ``Store``, left open. ``workers`` defaults to
    ``min(2, cpu count)``; 1 extracts in this process unless there is a ``timeout``.
    Raises ``ValueError`` before reading anything if ``published`` is not a date.
    Feed items whose link the store already holds are not fetched again;
    ``on_ignored(name, reason)`` hears of them and of folder files that are not articles.
    ``min_confidence`` > 0 stores only the attributions at least that confident
    (``claimgraph.confidence.keep_confident``); 0, the default, stores them all.
    """
    # Imported here, not at the top: worker processes import this module and have no
    # use for the HTML extraction libraries the reader pulls in.
    from claimgraph.ingest import read_documents

    if not isinstance(store, Store):
        read_documents([], published=published)  # a bad date is refused before any opening
        with open_store(store) as opened:
            return ingest_paths(
                paths,
                opened,
                published=published,
                workers=workers,
                model=model,
                progress=progress,
                extractor_factory=extractor_factory,
                timeout=timeout,
                on_ignored=on_ignored,
                min_confidence=min_confidence,
            )
    items = read_documents(
        [paths] if isinstance(paths, str | Path) else paths,
        published=published,
        known_url=store.has_url,
        on_ignored=on_ignored,
    )
    return ingest_documents(
        items,
        store,
        workers=workers,
        model=model,
        progress=progress,
        extractor_factory=extractor_factory,
        timeout=timeout,
        min_confidence=min_confidence,
    )


def ingest_documents(
    items: Iterable[Document | InputError],
    store: str | Path | Store | None,
    *,
    workers: int | None = None,
    model: str | None = None,
    progress: Callable[[BatchProgress], None] | None = None,
    extractor_factory: ExtractorFactory | None = None,
    timeout: float | None = None,
    min_confidence: float = 0.0,
) -> IngestReport:
    """Extract and store already-read documents; ``InputError`` items become skipped entries.

    Raises ``StoreError`` if the store cannot be opened or written (documents stored
    before that stay stored) and ``ModelNotFoundError`` if the model is not installed.
    ``extractor_factory`` replaces ``Extractor(model)``, e.g. for a custom pipeline.

    ``timeout`` (seconds, None: no limit) is how long one document may take: one that
    takes longer is skipped and its worker process replaced. A limit needs a process
    to stop, so with a ``timeout`` even one worker extracts in a worker process; with
    ``workers=1`` and no ``timeout`` extraction runs in this process. Raises
    ``ValueError`` if ``timeout`` is not positive. ``min_confidence`` > 0 stores only
    the attributions at least that confident (0, the default: all of them).
    """
    if timeout is not None and not timeout > 0:
        raise ValueError(f"timeout must be a positive number of seconds, got {timeout}")
    make = _ExtractorSpec(model, extractor_factory)
    if isinstance(store, Store):
        return _Batch(store, progress, min_confidence).run(items, workers, make, timeout)
    with open_store(store) as opened:
        return _Batch(opened, progress, min_confidence).run(items, workers, make, timeout)


class _Batch:
    def __init__(
        self,
        store: Store,
        progress: Callable[[BatchProgress], None] | None,
        min_confidence: float = 0.0,
    ) -> None:
        self.store = store
        self.min_confidence = min_confidence
        self.progress = progress
        self.report = IngestReport()
        self.total = 0
        self.done = 0
        self.lease = IngestLease.new()
        self.renewed = time.monotonic()

    def run(
        self,
        items: Iterable[Document | InputError],
        workers: int | None,
        make: _ExtractorSpec,
        timeout: float | None,
    ) -> IngestReport:
        todo: list[Document] = []
        pending_skips: list[tuple[str, str]] = []
        duplicates: list[str] = []
        seen: set[str] = set()
        # Materialised so the progress display knows the total up front; texts are
        # small next to what a spaCy pipeline holds per worker.
        for item in items:
            self.total += 1
            if isinstance(item, InputError):
                pending_skips.append((item.document, item.detail))
            elif item.id in seen or self.store.has_document(item.id):
                duplicates.append(item.name)
            else:
                seen.add(item.id)
                todo.append(item)
        self._report(None)
        for name, reason in pending_skips:
            self._skip(name, reason)
        for name in duplicates:
            self._duplicate(name)
        if not todo:
            return self.report
        source = _Source(self, todo)
        n = min(workers if workers is not None else default_workers(), len(todo))
        try:
            if n <= 1 and timeout is None:
                self._run_inline(source, make)
            else:
                self._run_pool(source, make, max(1, n), timeout)
        finally:
            # claims of documents not stored (an error stopped the run): free them now
            # rather than at their expiry; a broken store keeps them until then
            with suppress(StoreError):
                self.store.renew_leases(self.lease, release=True)
        return self.report

    # -- bookkeeping ------------------------------------------------------------

    def _report(self, current: str | None) -> None:
        if self.progress is not None:
            r = self.report
            self.progress(
                BatchProgress(
                    self.done, self.total, r.stored, r.duplicates, len(r.skipped), current
                )
            )

    def _finish(self, name: str | None) -> None:
        self.done += 1
        self._report(name)

    def _skip(self, name: str, reason: str) -> None:
        self.report.skipped.append((name, reason))
        self._finish(name)

    def _duplicate(self, name: str) -> None:
        self.report.duplicates += 1
        self._finish(name)

    def _give_up(self, doc: Document, reason: str) -> None:
        """Skip a claimed document: another ingest may try it."""
        self.store.release_document(doc.id, self.lease)
        self._skip(doc.name, reason)

    def _store(self, extraction: Extraction) -> None:
        doc = extraction.document
        if self.min_confidence:
            from claimgraph.confidence import keep_confident

            keep_confident(extraction, self.min_confidence)
        try:
            stored = self.store.save(extraction)
        except DocumentRejectedError as exc:
            self._give_up(doc, f"could not store: {exc}")
            return
        if stored:
            self.report.stored += 1
            self.report.documents.append(doc.id)
        else:  # another process stored it since we checked
            self.report.duplicates += 1
        self._finish(doc.name)

    def _renew(self) -> None:
        """Keep this run's claims from expiring while it runs."""
        now = time.monotonic()
        if now - self.renewed >= self.lease.seconds / 5:
            self.store.renew_leases(self.lease)
            self.renewed = now

    def _handle(self, doc: Document, result: _Result) -> None:
        status, payload = result
        if status == "ok":
            self._store(cast(Extraction, payload))
        else:
            self._give_up(doc, cast(str, payload))

    # -- extraction -------------------------------------------------------------

    def _run_inline(self, source: _Source, make: _ExtractorSpec) -> None:
        extractor = make()
        while (doc := source.take()) is not None:
            if doc is _WAIT:
                time.sleep(BUSY_POLL_SECONDS)
                continue
            assert isinstance(doc, Document)
            try:
                extraction = extractor.extract(doc)
            except Exception as exc:
                self._give_up(doc, _reason(exc))
                continue
            self._store(extraction)
            self._renew()

    def _run_pool(
        self, source: _Source, make: _ExtractorSpec, workers: int, timeout: float | None
    ) -> None:
        context = multiprocessing.get_context("spawn")
        # Claimed documents not yet written, in input order; a finished extraction
        # waits here for those before it. The window bounds memory and how far ahead
        # this run claims documents.
        pending: deque[_Slot] = deque()
        queue: deque[_Slot] = deque()  # claimed, waiting for a worker
        window = workers * 4
        exhausted = False
        pool = [_Worker(context, make) for _ in range(workers)]
        try:
            while True:
                waiting = False
                while not exhausted and len(pending) < window:
                    doc = source.take()
                    if doc is None:
                        exhausted = True
                    elif doc is _WAIT:
                        waiting = True
                        break
                    else:
                        slot = _Slot(doc)
                        pending.append(slot)
                        queue.append(slot)
                while pending and pending[0].result is not None:
                    slot = pending.popleft()
                    self._handle(slot.doc, cast(_Result, slot.result))
                self._renew()
                if not pending:
                    if exhausted:
                        return
                    if not waiting:
                        continue
                for i, worker in enumerate(pool):
                    if not worker.alive():
                        pool[i] = worker = _Worker(context, make)
                    if worker.ready and worker.slot is None and queue:
                        worker.give(queue.popleft())
                deadlines = [w.started + timeout for w in pool if w.slot and timeout]
                pause = BUSY_POLL_SECONDS
                if deadlines:
                    pause = max(0.0, min(pause, min(deadlines) - time.monotonic()))
                wait_for([o for w in pool for o in (w.conn, w.process.sentinel)], pause)
                for worker in pool:
                    self._collect(worker, queue, timeout)
        finally:
            for worker in pool:
                worker.stop()

    def _collect(self, worker: _Worker, queue: deque[_Slot], timeout: float | None) -> None:
        """Take what a worker has to say: ready, a result, a crash or a timeout."""
        message: _Result | None = None
        try:
            if worker.conn.poll():
                message = worker.conn.recv()
        except (EOFError, OSError):
            worker.process.join(1)
        except Exception as exc:
            # A result that would not unpickle here: recv read the whole message
            # before unpickling it, so the pipe is still in step; only this
            # document is lost, as when it would not pickle in the worker.
            message = ("error", _reason(exc))
        if message is not None:
            status, payload = message
            if status == "ready":
                worker.ready = True
            elif status == "fatal":  # the worker could not load its model
                kind, text = cast(tuple[str, str], payload)
                if kind == "ModelNotFoundError":
                    raise ModelNotFoundError(text)
                raise ClaimgraphError(f"extraction worker failed to start: {text}")
            elif worker.slot is not None:
                worker.slot.result = message
                worker.slot = None
            return
        slot = worker.slot
        if not worker.process.is_alive():
            worker.stop()
            if slot is None:
                if not worker.ready:
                    code = worker.process.exitcode
                    raise ClaimgraphError(
                        f"extraction worker failed to start: it exited with status {code}"
                    )
                return
            slot.crashes += 1
            if slot.crashes >= MAX_CRASHES_PER_DOCUMENT:
                slot.result = ("error", "worker process crashed while extracting it")
            else:
                queue.appendleft(slot)
        elif slot is not None and timeout and time.monotonic() - worker.started > timeout:
            worker.stop()
            slot.result = ("error", f"extraction took longer than {timeout:g} s")


#: Returned by ``_Source.take`` when the documents left are another ingest's for now.
_WAIT: Any = object()


class _Source:
    """The batch's documents in input order, each claimed before it is handed out."""

    def __init__(self, batch: _Batch, todo: list[Document]) -> None:
        self.batch = batch
        self.queue = deque(todo)
        #: Claimed by another live ingest: looked at again when the rest is done.
        self.busy: list[Document] = []
        self.next_look = 0.0

    def take(self) -> Document | None:
        """The next document this run has claimed; None when none is left, ``_WAIT``
        when those left are being extracted by another ingest (ask again soon)."""
        batch = self.batch
        while True:
            while self.queue:
                doc = self.queue.popleft()
                state = batch.store.claim_document(doc.id, batch.lease)
                if state == "claimed":
                    return doc
                if state == "stored":  # by another ingest, before or while we waited
                    batch._duplicate(doc.name)
                else:
                    self.busy.append(doc)
            if not self.busy:
                return None
            now = time.monotonic()
            if now < self.next_look:
                return cast(Document, _WAIT)
            self.next_look = now + BUSY_POLL_SECONDS
            self.queue.extend(self.busy)
            self.busy.clear()


@dataclass(eq=False)
class _Slot:
    doc: Document
    result: _Result | None = None
    crashes: int = 0


class _Worker:
    """One extraction process and the pipe to it; it loads its model, says "ready",
    then answers one document at a time."""

    def __init__(self, context: Any, make: _ExtractorSpec) -> None:
        mine, theirs = context.Pipe(duplex=True)
        self.conn: Connection = mine
        self.process: Any = context.Process(
            target=_worker_main,
            args=(theirs, make, os.getpid()),
            name="claimgraph-extract",
            daemon=True,
        )
        self.process.start()
        theirs.close()
        self.ready = False
        self.slot: _Slot | None = None
        self.started = 0.0
        self.stopped = False

    def alive(self) -> bool:
        return not self.stopped

    def give(self, slot: _Slot) -> None:
        self.slot = slot
        self.started = time.monotonic()
        with suppress(OSError):  # it died: the next look at it sees the crash
            self.conn.send(slot.doc)

    def stop(self) -> None:
        """End the process: politely when idle, at once when busy (timeout, crash)."""
        if self.stopped:
            return
        self.stopped = True
        idle = self.slot is None and self.process.is_alive()
        with suppress(OSError):
            if idle:
                self.conn.send(None)
        self.conn.close()
        self.process.join(2 if idle else 0)
        if self.process.is_alive():
            self.process.kill()
            self.process.join()


#: ("ready", None) | ("ok", Extraction) | ("error", reason) |
#: ("fatal", (exception class name, message))
_Result = tuple[str, Any]


@dataclass(frozen=True)
class _ExtractorSpec:
    """How to build an extractor, small enough to send to every worker."""

    model: str | None
    factory: ExtractorFactory | None

    def __call__(self) -> SupportsExtract:
        if self.factory is not None:
            return self.factory()
        # here, not at the top: a worker with another factory need not import spaCy
        from claimgraph.pipeline import Extractor

        return Extractor() if self.model is None else Extractor(self.model)


#: Linux prctl option: the signal a process gets when its parent dies.
_PR_SET_PDEATHSIG = 1


def _die_with_parent(parent: int) -> None:
    """Never outlive the ingest that started this worker, even on ``kill -9``: the
    kernel's parent-death signal on Linux, and everywhere a thread that exits once
    the parent pid changes (the orphan was adopted by init or a subreaper)."""
    if sys.platform.startswith("linux"):
        with suppress(Exception):
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    if os.getppid() != parent:  # died before the signal was set up
        os._exit(1)

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(0.5)
        os._exit(1)

    threading.Thread(target=watch, name="claimgraph-parent-watch", daemon=True).start()


def _worker_main(conn: Connection, make: _ExtractorSpec, parent: int) -> None:
    _die_with_parent(parent)
    # Ctrl-C reaches the whole process group: the main process handles it and stops
    # the workers; a worker dying of it mid-document would read as a crash.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        extractor = make()
    except Exception as exc:
        conn.send(("fatal", (type(exc).__name__, str(exc))))
        return
    try:
        conn.send(("ready", None))
    except (EOFError, OSError):  # the main process stopped (Ctrl-C) while we loaded
        return
    while True:
        try:
            doc = conn.recv()
        except (EOFError, OSError):
            return
        if doc is None:
            return
        try:
            result: _Result = ("ok", extractor.extract(doc))
        except Exception as exc:
            result = ("error", _reason(exc))
        try:
            conn.send(result)
        except (EOFError, OSError):
            return
        except Exception as exc:  # e.g. a result that would not pickle
            conn.send(("error", _reason(exc)))


def _reason(exc: BaseException) -> str:
    if isinstance(exc, ClaimgraphError):
        return str(exc)
    return f"extraction failed: {type(exc).__name__}: {exc}"
