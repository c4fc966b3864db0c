"""Many documents -> the store, using several processes for the slow part (spaCy).

Reading and hashing are cheap, so they happen first in the main process: documents
already in the store, or seen earlier in the same batch, are counted as duplicates
and never reach a model. Extraction runs in worker processes, each loading its
pipeline once (a spaCy pipeline takes about a second to load and cannot be pickled,
and ``spawn`` avoids forking a process that already holds threads). Only the main
process writes, one transaction per document, so an interrupted batch keeps
everything it already stored and a rerun picks up where it stopped.

One bad document never stops a batch: unreadable input, an exception in the
extractor, a worker that crashes on it, or records the database refuses all become
``skipped`` entries with a reason.
"""

from __future__ import annotations

import multiprocessing
import os
from collections import deque
from collections.abc import Callable, Iterable
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol, cast

from claimgraph.errors import ClaimgraphError, InputError, ModelNotFoundError
from claimgraph.model import Document, Extraction
from claimgraph.pipeline import Extractor
from claimgraph.store import DocumentRejectedError, Store, open_store


class SupportsExtract(Protocol):
    def extract(self, doc: Document) -> Extraction: ...


#: Builds the extractor inside each worker. It must be picklable (a module-level
#: function or class), since workers are started with "spawn".
ExtractorFactory = Callable[[], SupportsExtract]

#: A document in flight when a worker process dies this often is given up on.
MAX_CRASHES_PER_DOCUMENT = 2


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
) -> IngestReport:
    """Read files/folders with ``claimgraph.ingest.read_documents`` and ingest them.

    ``store`` is a database URL or path (None: the default SQLite file), opened and
    closed here, or an open ``Store``, left open. ``workers`` defaults to
    ``min(2, cpu count)``; 1 extracts in this process. Raises ``ValueError`` before
    reading anything if ``published`` is not a date.
    """
    # Imported here, not at the top: worker processes import this module and have no
    # use for the HTML extraction libraries the reader pulls in.
    from claimgraph.ingest import read_documents

    items = read_documents([paths] if isinstance(paths, str | Path) else paths, published=published)
    return ingest_documents(
        items,
        store,
        workers=workers,
        model=model,
        progress=progress,
        extractor_factory=extractor_factory,
    )


def ingest_documents(
    items: Iterable[Document | InputError],
    store: str | Path | Store | None,
    *,
    workers: int | None = None,
    model: str | None = None,
    progress: Callable[[BatchProgress], None] | None = None,
    extractor_factory: ExtractorFactory | None = None,
) -> IngestReport:
    """Extract and store already-read documents; ``InputError`` items become skipped entries.

    Raises ``StoreError`` if the store cannot be opened or written (documents stored
    before that stay stored) and ``ModelNotFoundError`` if the model is not installed.
    ``extractor_factory`` replaces ``Extractor(model)``, e.g. for a custom pipeline.
    """
    make = _ExtractorSpec(model, extractor_factory)
    if isinstance(store, Store):
        return _Batch(store, progress).run(items, workers, make)
    with open_store(store) as opened:
        return _Batch(opened, progress).run(items, workers, make)


class _Batch:
    def __init__(self, store: Store, progress: Callable[[BatchProgress], None] | None) -> None:
        self.store = store
        self.progress = progress
        self.report = IngestReport()
        self.total = 0
        self.done = 0

    def run(
        self, items: Iterable[Document | InputError], workers: int | None, make: _ExtractorSpec
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
            self.report.duplicates += 1
            self._finish(name)
        if todo:
            n = min(workers if workers is not None else default_workers(), len(todo))
            if n <= 1:
                self._run_inline(todo, make)
            else:
                self._run_pool(todo, make, n)
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

    def _store(self, extraction: Extraction) -> None:
        doc = extraction.document
        try:
            stored = self.store.save(extraction)
        except DocumentRejectedError as exc:
            self._skip(doc.name, f"could not store: {exc}")
            return
        if stored:
            self.report.stored += 1
            self.report.documents.append(doc.id)
        else:  # another process stored it since we checked
            self.report.duplicates += 1
        self._finish(doc.name)

    # -- extraction -------------------------------------------------------------

    def _run_inline(self, todo: list[Document], make: _ExtractorSpec) -> None:
        extractor = make()
        for doc in todo:
            try:
                extraction = extractor.extract(doc)
            except Exception as exc:
                self._skip(doc.name, _reason(exc))
                continue
            self._store(extraction)

    def _run_pool(self, todo: list[Document], make: _ExtractorSpec, workers: int) -> None:
        queue: deque[int] = deque(range(len(todo)))
        crashes = [0] * len(todo)
        # A small window keeps memory flat and limits what a crashing worker takes down.
        window = workers * 2
        context = multiprocessing.get_context("spawn")
        while queue:
            pool = ProcessPoolExecutor(
                max_workers=workers,
                mp_context=context,
                initializer=_init_worker,
                initargs=(make,),
            )
            in_flight: dict[Future[_Result], int] = {}
            try:
                while queue or in_flight:
                    while queue and len(in_flight) < window:
                        i = queue.popleft()
                        in_flight[pool.submit(_extract_in_worker, todo[i])] = i
                    finished, _ = wait(in_flight, return_when=FIRST_COMPLETED)
                    for future in finished:
                        i = in_flight[future]
                        try:
                            result = future.result()
                        except BrokenProcessPool:
                            raise
                        except Exception as exc:  # e.g. a result that would not pickle
                            result = ("error", _reason(exc))
                        del in_flight[future]
                        self._handle(todo[i], result)
            except BrokenProcessPool:
                # Which document killed the worker is unknown: retry everything that
                # was in flight, and give up on those that were present at every crash.
                for i in sorted(in_flight.values(), reverse=True):
                    crashes[i] += 1
                    if crashes[i] >= MAX_CRASHES_PER_DOCUMENT:
                        self._skip(todo[i].name, "worker process crashed while extracting it")
                    else:
                        queue.appendleft(i)
            finally:
                pool.shutdown(wait=True, cancel_futures=True)

    def _handle(self, doc: Document, result: _Result) -> None:
        status, payload = result
        if status == "ok":
            self._store(cast(Extraction, payload))
        elif status == "error":
            self._skip(doc.name, cast(str, payload))
        else:  # the worker could not even load its model: no document can succeed
            kind, message = cast(tuple[str, str], payload)
            if kind == "ModelNotFoundError":
                raise ModelNotFoundError(message)
            raise ClaimgraphError(f"extraction worker failed to start: {message}")


#: ("ok", Extraction) | ("error", reason) | ("fatal", (exception class name, message))
_Result = tuple[str, Any]

_worker_extractor: SupportsExtract | None = None
_worker_failure: tuple[str, str] | None = None


@dataclass(frozen=True)
class _ExtractorSpec:
    """How to build an extractor, small enough to send to every worker."""

    model: str | None
    factory: ExtractorFactory | None

    def __call__(self) -> SupportsExtract:
        if self.factory is not None:
            return self.factory()
        return Extractor() if self.model is None else Extractor(self.model)


def _init_worker(make: _ExtractorSpec) -> None:
    """Load the pipeline once per process; a failure is reported with the first document
    instead of breaking the pool, so the caller gets the real reason."""
    global _worker_extractor, _worker_failure
    try:
        _worker_extractor = make()
    except Exception as exc:
        _worker_failure = (type(exc).__name__, str(exc))


def _extract_in_worker(doc: Document) -> _Result:
    if _worker_extractor is None:
        return ("fatal", _worker_failure or ("RuntimeError", "worker was not initialised"))
    try:
        return ("ok", _worker_extractor.extract(doc))
    except Exception as exc:
        return ("error", _reason(exc))


def _reason(exc: BaseException) -> str:
    if isinstance(exc, ClaimgraphError):
        return str(exc)
    return f"extraction failed: {type(exc).__name__}: {exc}"
