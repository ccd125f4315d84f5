"""The queue as the rest of Sijill uses it: hand files over, follow them, run a worker."""

from __future__ import annotations

import logging
import threading
import time
import uuid
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from django.db import connections

from archive.objectstore import object_key, open_store
from config.sijill import SijillSettings
from ingest.intake import read_original
from ingest.models import QueuedTask
from ingest.queue import lease
from ingest.queue.backend import open_huey
from ingest.queue.periodic import register_periodic
from ingest.queue.work import Worker, register_tasks

log = logging.getLogger("sijill.queue")


class TaskQueue:
    def __init__(
        self,
        settings: SijillSettings,
        page_workers: int | None = None,
        on_registered: Callable[[], object] = lambda: None,
    ) -> None:
        """``on_registered``: called (debounced) after letters are registered; the command that
        runs a worker passes the search index's catch-up."""
        self.settings = settings
        self.on_registered = on_registered
        self.page_workers = page_workers or settings.workers
        self.huey = open_huey(settings)
        self._worker: Worker | None = None
        self._lock = threading.Lock()
        self.tasks = register_tasks(self.huey, self._worker_for, settings)
        register_periodic(self.huey, settings, self)

    def _worker_for(self) -> Worker:
        with self._lock:
            if self._worker is None:
                self._worker = Worker(self.settings, self.page_workers, self.on_registered, self.tasks.read_page)
            return self._worker

    def send(self, task_id: int, delay_s: float | None = None) -> None:
        if delay_s:
            self.tasks.ingest_file.schedule((task_id,), delay=delay_s)
        else:
            self.tasks.ingest_file(task_id)

    def train(self) -> None:
        """Retrain on a worker (any machine); every worker loads the new model before its next file."""
        self.tasks.train()

    # --- handing files over ---

    def submit_bytes(self, name: str, data: bytes, actor: str, batch: str, options: dict | None = None) -> QueuedTask:
        """Store the file in ``incoming/`` first, then queue it: a worker on any machine reads it."""
        import hashlib

        sha = hashlib.sha256(data).hexdigest()
        key = object_key("incoming", sha)
        open_store(self.settings).put(key, data, "application/octet-stream", {"filename": name})
        task = QueuedTask.objects.create(
            batch=batch, filename=name, incoming_key=key, sha256=sha, size=len(data),
            options=options or {}, actor=actor,
        )  # fmt: skip
        self.send(task.pk)
        return task

    def submit_paths(self, paths: Iterable[Path], actor: str, options: dict | None = None) -> tuple[str, list[int]]:
        batch = str(uuid.uuid4())
        ids = []
        for path in paths:
            original = read_original(path)
            ids.append(self.submit_bytes(path.name, original.data, actor, batch, options).pk)
        return batch, ids

    # --- following ---

    def follow(self, ids: list[int], poll_s: float = 0.5) -> Iterator[QueuedTask]:
        """Yield each task once it is final, in the order they finish."""
        waiting = set(ids)
        while waiting:
            done = list(QueuedTask.objects.filter(pk__in=waiting, status__in=QueuedTask.FINAL))
            for task in done:
                waiting.discard(task.pk)
                yield task
            if waiting:
                time.sleep(poll_s)

    def retry(self, ids: list[int]) -> int:
        """Send failed tasks again (an operator fixed what made them fail)."""
        n = QueuedTask.objects.filter(pk__in=ids, status=QueuedTask.Status.FAILED).update(
            status=QueuedTask.Status.QUEUED, attempts=0, worker="", reason="", reason_code=""
        )
        for task_id in ids:
            self.send(task_id)
        return n

    # --- working ---

    def run_worker(self, concurrency: int = 1) -> None:
        """Run tasks until SIGINT or SIGTERM (graceful: running tasks finish), re-sending the
        tasks of dead workers. Runs in the main thread: Huey's consumer handles the signals."""
        stop = threading.Event()
        reaper = threading.Thread(target=self._reap, args=(stop,), name="sijill-reaper", daemon=True)
        reaper.start()
        try:
            self._worker_for().warm()
        except Exception:  # the first task retries whatever failed here
            log.warning("worker warm-up failed; continuing", exc_info=True)
        consumer = self.huey.create_consumer(workers=concurrency, worker_type="thread", periodic=True,
                                             initial_delay=0.05, max_delay=1.0)  # fmt: skip
        try:
            consumer.run()
        finally:
            stop.set()
            if self._worker is not None:
                self._worker.close()

    def _reap(self, stop: threading.Event) -> None:
        every = max(1.0, self.settings.queue.lease_s / 2)
        try:
            while not stop.wait(every):
                try:
                    for task_id in lease.stale():
                        log.warning("task %d: its worker stopped; sending it again", task_id)
                        self.send(task_id)
                except Exception:  # the database may be away for a while: try again next round
                    log.exception("could not look for stale tasks")
                finally:
                    connections.close_all()
        finally:
            connections.close_all()
