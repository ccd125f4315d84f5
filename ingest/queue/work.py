"""What a worker does with one queued file: fetch it from the object store's ``incoming/``
area (never from another machine's disk), run the ingest pipeline, record the outcome."""

from __future__ import annotations

import logging
import tempfile
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db import connections
from huey import Huey

from archive import catalogue, routing, taxonomy_store
from archive.objectstore import ObjectStore, open_store
from config.errors import SijillError, TransientError, error_class
from config.failures import as_transient
from config.sijill import SijillSettings
from ingest.classify.store import current_version
from ingest.models import QueuedTask
from ingest.pagepool import PagePool
from ingest.pipeline import FileOutcome, Pipeline
from ingest.queue import lease, pages
from ingest.queue.indexing import IndexUpdater
from ingest.understand import Reader, reader_or_none

log = logging.getLogger("sijill.queue")
S = QueuedTask.Status
TASK_NAME = "sijill.ingest_file"
TRAIN_TASK_NAME = "sijill.train"


class Worker:
    """What every task of this process shares: settings, store, OCR processes, the reader."""

    def __init__(
        self,
        settings: SijillSettings,
        page_workers: int,
        on_registered: Callable[[], object],
        send_page: Callable[[int], object],
    ) -> None:
        self.settings = settings
        self.name = lease.worker_name()
        self.store: ObjectStore = open_store(settings)
        self.pool = PagePool(page_workers)
        self.send_page = send_page
        self._reader: Reader | None = None
        self._reader_model: str | None = None
        self._reader_lock = threading.Lock()
        self.indexer = IndexUpdater(on_registered)

    def reader(self) -> Reader | None:
        """Built on first use, and again whenever any machine made another model current."""
        model = current_version()
        with self._reader_lock:
            if self._reader is None or model != self._reader_model:
                self._reader = reader_or_none(self.settings)  # None: tried again for the next task
                self._reader_model = current_version() if self._reader is not None else None
            return self._reader

    def warm(self) -> None:
        """Load the reading model and start the OCR processes before the first task, not during it."""
        import os

        try:
            self.reader()
            self.pool.submit(os.getpid)[1].result(timeout=120)
        finally:
            connections.close_all()

    def read_page(self, job_id: int) -> None:
        """Another worker's long file: read one of its pages."""
        try:
            pages.read_page_job(job_id, self.name, self.settings, self.store, self.pool)
        finally:
            connections.close_all()

    def close(self) -> None:
        self.pool.shutdown(cancel=True)
        self.indexer.close()

    def run(self, task_id: int, resend) -> None:
        """Run one task if this worker can claim it; ``resend(task_id, delay_s)`` re-queues."""
        try:
            task = lease.claim(task_id, self.name, self.settings.queue.lease_s)
            if task is None:
                return  # finished, or running under another worker's live lease
            with lease.Heartbeat(task.pk, self.name, self.settings.queue.lease_s):
                outcome = self._ingest(task)
            self._record(task, outcome, resend)
            if outcome.status == "registered":
                self.indexer.request()  # new letters become searchable here, not in a clerk's search
        finally:
            connections.close_all()

    def _ingest(self, task: QueuedTask) -> FileOutcome:
        try:
            data = self.store.get(task.incoming_key)
        except SijillError as err:
            return FileOutcome(task.filename, "failed", reason=err.message, reason_code=err.code)
        with tempfile.TemporaryDirectory(prefix="sijill-task-") as tmp:
            path = Path(tmp) / _safe_name(task.filename)
            path.write_bytes(data)
            splitter = pages.SplitPages(task, self.name, self.pool, self.settings, self.send_page)
            pipeline = Pipeline(self.settings, self.store, self.pool, task.actor, self.reader(), splitter,
                                intake=f"task:{task.pk}")  # fmt: skip
            outcome = pipeline.run(path, confidential=bool(task.options.get("confidential")),
                                   direction="D" if task.options.get("direction") == "D" else "A",
                                   attach_to=task.options.get("attach_to") or None)  # fmt: skip
        outcome.path = task.filename
        if outcome.status == "registered" and outcome.registry_number:
            _apply_clerk_values(outcome.registry_number, task, self.settings)
        return outcome

    def _record(self, task: QueuedTask, outcome: FileOutcome, resend) -> None:
        retry = outcome.status == "failed" and _transient_code(outcome.reason_code)
        if retry and task.attempts < self.settings.queue.attempts:
            delay = min(600.0, self.settings.retry.delay_s * 4**task.attempts)
            log.warning("%s: %s; task %d retried in %.0f s", task.filename, outcome.reason, task.pk, delay)
            if lease.finish(task.pk, self.name, status=S.RETRYING, reason=outcome.reason or "",
                            reason_code=outcome.reason_code or ""):  # fmt: skip
                resend(task.pk, delay)
            return
        if lease.finish(
            task.pk,
            self.name,
            status=outcome.status,
            registry_number=outcome.registry_number or "",
            reason=outcome.reason or "",
            reason_code=outcome.reason_code or "",
            pages=outcome.pages,
        ):
            pages.forget(task.pk)


def _transient_code(code: str | None) -> bool:
    return code is not None and issubclass(error_class(code), TransientError)


def _safe_name(name: str) -> str:
    base = Path(name).name.replace("\x00", "") or "file"
    return base[-200:]


def _apply_clerk_values(number: str, task: QueuedTask, settings: SijillSettings) -> None:
    """What the clerk typed with the upload wins over what Sijill read; the services he chose
    receive the letter at once."""
    given = {k: task.options[k] for k in ("sender", "subject") if task.options.get(k)}
    if given:
        catalogue.update_entry(number, task.actor, **given)
    if services := task.options.get("services"):
        routing.route(number, list(services), task.actor, taxonomy_store.current(settings))


@dataclass(frozen=True)
class Tasks:
    ingest_file: Any
    read_page: Any
    train: Any


def register_tasks(huey: Huey, worker_for: Callable[[], Worker], settings: SijillSettings) -> Tasks:
    """Declare the queue's tasks on ``huey``; ``worker_for()`` gives this process's Worker."""

    def guarded(what: str, job: Callable[[], object]) -> None:
        try:
            job()
        except Exception as exc:  # a row's lease brings the work back; log and keep the worker alive
            if as_transient(exc) is None:
                log.exception("%s: internal error", what)
            else:
                log.warning("%s: %s; its lease will bring it back", what, exc)

    def ingest_file(task_id: int) -> None:
        guarded(
            f"task {task_id}",
            lambda: worker_for().run(task_id, lambda tid, delay: ingest.schedule((tid,), delay=delay)),
        )

    def read_page(job_id: int) -> None:
        guarded(f"page job {job_id}", lambda: worker_for().read_page(job_id))

    def train() -> None:
        from ingest.queue.periodic import retrain

        guarded("training", lambda: retrain(settings))

    ingest = huey.task(name=TASK_NAME)(ingest_file)
    return Tasks(ingest, huey.task(name=pages.PAGE_TASK_NAME)(read_page), huey.task(name=TRAIN_TASK_NAME)(train))
