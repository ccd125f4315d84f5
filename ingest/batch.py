"""Many files at once: files side by side, their pages spread over worker processes.

Memory stays flat: at most a few files are read ahead, whatever the size of the batch.
Interrupting is safe: each registration is one transaction, and a re-run skips what is
already registered (same bytes → same entry).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from pathlib import Path

from django.db import connections

from archive.objectstore import ObjectStore
from config.sijill import SijillSettings
from ingest.intake import iter_input_files
from ingest.pagepool import PagePool
from ingest.pipeline import FileOutcome, Pipeline
from ingest.understand import Reader, reader_or_none


def _run_one(pipeline: Pipeline, path: Path, legacy=None) -> FileOutcome:
    try:
        return pipeline.run(path, legacy)
    finally:
        connections.close_all()  # thread-local connections: release them with the thread's work


def _load_reader(settings: SijillSettings) -> Reader | None:
    try:
        return reader_or_none(settings)
    finally:
        connections.close_all()


def ingest_paths(
    paths: Iterable[Path],
    settings: SijillSettings,
    store: ObjectStore,
    actor: str,
    on_start: Callable[[Path], None] | None = None,
    legacy_for: Callable[[Path], object] | None = None,
) -> Iterator[FileOutcome]:
    """Ingest every file under ``paths``; yields one outcome per file as each finishes."""
    workers = settings.workers
    pool = PagePool(workers)
    with (
        ThreadPoolExecutor(workers, thread_name_prefix="sijill-file") as files,
        ThreadPoolExecutor(1, thread_name_prefix="sijill-reader") as loading,
    ):
        # The reading model loads (on first use: trains) while the first pages are OCR'd;
        # it took seconds before any page started.
        pipeline = Pipeline(settings, store, pool, actor, loading.submit(_load_reader, settings))
        pending: set[Future[FileOutcome]] = set()
        try:
            for path in iter_input_files(paths):
                if on_start:
                    on_start(path)
                pending.add(files.submit(_run_one, pipeline, path, legacy_for(path) if legacy_for else None))
                if len(pending) >= workers * 2:
                    done, pending = wait(pending, return_when=FIRST_COMPLETED)
                    yield from (f.result() for f in done)
            while pending:
                done, pending = wait(pending, return_when=FIRST_COMPLETED)
                yield from (f.result() for f in done)
        except BaseException:
            for f in pending:
                f.cancel()
            pool.shutdown(cancel=True)
            raise
        pool.shutdown()
