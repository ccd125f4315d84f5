"""What a worker does with one queued file: fetch it from the object store's ``incoming/``
area (never from another machine's disk), run the ingest pipeline, record the outcome."""

from __future__ import annotations

import logging
import tempfile
import threading
from collections.abc import Callable
from pathlib import Path

from django.db import connections
from huey import Huey

from archive import catalogue, routing, taxonomy_store
from archive.objectstore import ObjectStore, open_store
from config.errors import SijillError, TransientError
from config.failures import as_transient
from config.sijill import SijillSettings
from ingest.models import QueuedTask
from ingest.pagepool import PagePool
from ingest.pipeline import FileOutcome, Pipeline
from ingest.queue import lease
from ingest.queue.indexing import IndexUpdater
from ingest.understand import Reader, reader_or_none

log = logging.getLogger("sijill.queue")
S = QueuedTask.Status
TASK_NAME = "sijill.ingest_file"


class Worker:
    """What every task of this process shares: settings, store, OCR processes, the reader."""

    def __init__(self, settings: SijillSettings, page_workers: int, on_registered: Callable[[], object]) -> None:
        self.settings = settings
        self.name = lease.worker_name()
        self.store: ObjectStore = open_store(settings)
        self.pool = PagePool(page_workers)
        self._reader: Reader | None = None
        self._reader_lock = threading.Lock()
        self.indexer = IndexUpdater(on_registered)

    def reader(self) -> Reader | None:
        with self._reader_lock:  # built once, on first use (it loads the trained model)
            if self._reader is None:
                self._reader = reader_or_none(self.settings)  # None: tried again for the next task
            return self._reader

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
            pipeline = Pipeline(self.settings, self.store, self.pool, task.actor, self.reader())
            outcome = pipeline.run(path, confidential=bool(task.options.get("confidential")))
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
        lease.finish(
            task.pk,
            self.name,
            status=outcome.status,
            registry_number=outcome.registry_number or "",
            reason=outcome.reason or "",
            reason_code=outcome.reason_code or "",
            pages=outcome.pages,
        )


def _transient_code(code: str | None) -> bool:
    return code in {cls.code for cls in _subclasses(TransientError)}


def _subclasses(cls: type) -> list[type]:
    out = [cls]
    for sub in cls.__subclasses__():
        out += _subclasses(sub)
    return out


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


def register_tasks(huey: Huey, worker_for) -> object:
    """Declare the queue's task on ``huey``; ``worker_for()`` gives this process's Worker."""

    def ingest_file(task_id: int) -> None:
        try:
            worker_for().run(task_id, lambda tid, delay: task.schedule((tid,), delay=delay))
        except Exception as exc:  # the row's lease brings the task back; log and keep the worker alive
            if as_transient(exc) is None:
                log.exception("task %s: internal error", task_id)
            else:
                log.warning("task %s: %s; its lease will bring it back", task_id, exc)

    task = huey.task(name=TASK_NAME)(ingest_file)
    return task
