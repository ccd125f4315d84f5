"""Who runs a queued task: a worker claims its row with a lease and renews it while alive.

A claim is one conditional UPDATE, so two workers given the same message (a re-send, or a
message delivered twice) cannot both run it. A worker killed mid-task stops renewing; once its
lease runs out, ``stale`` finds the task and another worker takes it over.
"""

from __future__ import annotations

import datetime as dt
import os
import socket
import threading

from django.db import connections
from django.db.models import F, Model, Q
from django.utils import timezone

from ingest.models import QueuedTask

S = QueuedTask.Status


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def claim(task_id: int, worker: str, lease_s: float) -> QueuedTask | None:
    """Take the task if nobody holds a live lease on it and it is not finished."""
    now = timezone.now()
    runnable = Q(status__in=[S.QUEUED, S.RETRYING]) | Q(status=S.RUNNING, lease_until__lt=now)
    taken = (
        QueuedTask.objects.filter(runnable, pk=task_id)
        .update(status=S.RUNNING, lease_until=now + dt.timedelta(seconds=lease_s), worker=worker,
                attempts=F("attempts") + 1)
    )  # fmt: skip
    return QueuedTask.objects.get(pk=task_id) if taken else None


def finish(task_id: int, worker: str, **fields: object) -> bool:
    """Record the task's end, unless another worker took it over meanwhile."""
    return bool(
        QueuedTask.objects.filter(pk=task_id, worker=worker, status=S.RUNNING).update(lease_until=None, **fields)
    )


def stale(limit: int = 500) -> list[int]:
    """Tasks whose worker stopped renewing its lease, and queued tasks waiting too long for a
    message that may have been lost (their messages are sent again; a claim makes that safe)."""
    now = timezone.now()
    dead = Q(status=S.RUNNING, lease_until__lt=now)
    waiting = Q(status__in=[S.QUEUED, S.RETRYING], updated_at__lt=now - dt.timedelta(minutes=10))
    return list(QueuedTask.objects.filter(dead | waiting).order_by("id").values_list("id", flat=True)[:limit])


class Heartbeat:
    """Renews a task's lease (or a page job's) every third of it, from a thread, until the work
    is done."""

    def __init__(self, task_id: int, worker: str, lease_s: float, model: type[Model] = QueuedTask) -> None:
        self.task_id, self.worker, self.lease_s, self.model = task_id, worker, lease_s, model
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name=f"lease-{task_id}", daemon=True)

    def _run(self) -> None:
        try:
            while not self._stop.wait(self.lease_s / 3):
                until = timezone.now() + dt.timedelta(seconds=self.lease_s)
                self.model.objects.filter(pk=self.task_id, worker=self.worker, status="running").update(
                    lease_until=until
                )
        finally:
            connections.close_all()

    def __enter__(self) -> Heartbeat:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
