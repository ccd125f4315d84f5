"""A long file's pages spread over every worker: one ``PageJob`` per page, claimed with a lease.

The file's own worker (``SplitPages``) creates the jobs, sends a queue message for each, and
then reads unclaimed pages itself while it waits: it never waits on nobody, and with no other
worker free it is just as fast as reading them alone. Another worker (``read_page_job``) fetches
the file from the object store's ``incoming/`` area, never from the first worker's disk.
A worker killed mid-page stops renewing its lease and the page is claimed again; a file task
taken over after its worker died reuses the pages already read.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import Future
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

from django.db.models import F, Q
from django.utils import timezone

from config.errors import InputFileError, OcrFailed, SijillError, TransientError, WorkerLost, error_class
from config.sijill import SijillSettings
from ingest import worker
from ingest.intake import FileKind
from ingest.models import PageJob, QueuedTask
from ingest.pagepool import PagePool
from ingest.queue import lease

log = logging.getLogger("sijill.queue")
J = PageJob.Status
PAGE_TASK_NAME = "sijill.read_page"


def claim(job_id: int, worker_name: str, lease_s: float) -> PageJob | None:
    now = timezone.now()
    runnable = Q(status=J.QUEUED) | Q(status=J.RUNNING, lease_until__lt=now)
    taken = PageJob.objects.filter(runnable, pk=job_id).update(
        status=J.RUNNING, worker=worker_name, lease_until=now + dt.timedelta(seconds=lease_s),
        attempts=F("attempts") + 1,
    )  # fmt: skip
    return PageJob.objects.select_related("task").get(pk=job_id) if taken else None


def _finish(job_id: int, worker_name: str, **fields: object) -> bool:
    return bool(PageJob.objects.filter(pk=job_id, worker=worker_name, status=J.RUNNING).update(**fields))


def done(job_id: int, worker_name: str, result: worker.PageResult) -> bool:
    data = dataclasses.asdict(result)
    pdf = data.pop("pdf")
    return _finish(job_id, worker_name, status=J.DONE, lease_until=None, result=data, pdf=pdf)


def failed(job_id: int, worker_name: str, err: SijillError) -> bool:
    return _finish(job_id, worker_name, status=J.FAILED, lease_until=None, reason=err.message,
                   result={"code": err.code})  # fmt: skip


def release(job_id: int, worker_name: str) -> bool:
    """Give a page back (this worker's machinery failed, not the page): anyone may take it."""
    return _finish(job_id, worker_name, status=J.QUEUED, lease_until=None, worker="")


def as_error(exc: BaseException, page: int) -> SijillError:
    """A page's failure as the file's fault, like the local pipeline's."""
    if isinstance(exc, SijillError):
        return exc
    return OcrFailed(f"Page {page + 1} could not be read for OCR ({type(exc).__name__}: {exc}).")


def read_page_job(job_id: int, worker_name: str, settings: SijillSettings, store, pool: PagePool) -> None:
    """Another worker's share of a split file: read one page and record it."""
    job = claim(job_id, worker_name, settings.queue.lease_s)
    if job is None:
        return  # read already, or being read under a live lease
    ocr = settings.ocr
    with lease.Heartbeat(job.pk, worker_name, settings.queue.lease_s, model=PageJob):
        generation = -1
        try:
            data = store.get(job.task.incoming_key, sha256=job.task.sha256)
            with tempfile.TemporaryDirectory(prefix="sijill-page-") as tmp:
                path = Path(tmp) / "file"
                path.write_bytes(data)
                kind = job.task.options.get("_kind", "")
                generation, future = pool.submit(worker.ocr_page, str(path), kind, job.index, ocr.dpi,
                                                 ocr.languages, ocr.timeout_s)  # fmt: skip
                result = future.result()
        except (TransientError, BrokenProcessPool) as exc:
            if isinstance(exc, BrokenProcessPool):
                pool.renew(generation)
            log.warning("page %d of task %d given back: %s", job.index + 1, job.task_id, exc)
            release(job.pk, worker_name)
            return
        except Exception as exc:
            failed(job.pk, worker_name, as_error(exc, job.index))
            return
        done(job.pk, worker_name, result)


def forget(task_id: int) -> None:
    """Drop the pages' searchable layers once the file's task is final (they are in its copy);
    the rows stay, saying which worker read which page."""
    PageJob.objects.filter(task_id=task_id).exclude(pdf=b"").update(pdf=b"")


class SplitPages:
    """The file's own worker: spread its OCR pages over the queue and read them with the others."""

    def __init__(
        self,
        task: QueuedTask,
        worker_name: str,
        pool: PagePool,
        settings: SijillSettings,
        send: Callable[[int], object],
        poll_s: float = 0.2,
    ) -> None:
        self.task, self.worker_name, self.pool, self.settings = task, worker_name, pool, settings
        self.send, self.poll_s = send, poll_s

    def wants(self, n_pages: int) -> bool:
        threshold = self.settings.queue.split_pages
        return threshold > 0 and n_pages >= threshold

    def read(self, path: Path, kind: FileKind, indexes: list[int]) -> dict[int, worker.PageResult]:
        if self.task.options.get("_kind") != kind.value:  # other workers need it to render pages
            self.task.options = {**self.task.options, "_kind": kind.value}
            QueuedTask.objects.filter(pk=self.task.pk).update(options=self.task.options)
        existing = set(PageJob.objects.filter(task=self.task).values_list("index", flat=True))
        PageJob.objects.bulk_create(
            [PageJob(task=self.task, index=i) for i in indexes if i not in existing], ignore_conflicts=True
        )
        jobs = dict(PageJob.objects.filter(task=self.task, index__in=indexes).values_list("pk", "status"))
        for job_id, status in jobs.items():
            if status != J.DONE:
                self.send(job_id)
        local: dict[int, _Reading] = {}
        try:
            return self._wait(path, kind, list(jobs), local)
        finally:
            for job_id, reading in local.items():
                reading.future.cancel()
                release(job_id, self.worker_name)

    def _wait(
        self, path: Path, kind: FileKind, jobs: list[int], local: dict[int, _Reading]
    ) -> dict[int, worker.PageResult]:
        ocr, lease_s = self.settings.ocr, self.settings.queue.lease_s
        renewed = time.monotonic()
        while True:
            self._collect(local)
            rows = list(PageJob.objects.filter(pk__in=jobs).values("pk", "index", "status", "reason", "result"))
            for r in rows:
                if r["status"] == J.FAILED:
                    raise _error(r)
            if all(r["status"] == J.DONE for r in rows):
                return self._results(jobs)
            idle = self.pool.workers - len(local)
            for r in rows:
                if idle <= 0:
                    break
                if r["pk"] in local or r["status"] == J.DONE or claim(r["pk"], self.worker_name, lease_s) is None:
                    continue
                generation, future = self.pool.submit(worker.ocr_page, str(path), kind.value, r["index"], ocr.dpi,
                                                      ocr.languages, ocr.timeout_s)  # fmt: skip
                local[r["pk"]] = _Reading(r["index"], generation, future)
                idle -= 1
            if local and time.monotonic() - renewed > lease_s / 3:
                renewed = time.monotonic()
                PageJob.objects.filter(pk__in=list(local), worker=self.worker_name, status=J.RUNNING).update(
                    lease_until=timezone.now() + dt.timedelta(seconds=lease_s)
                )
            time.sleep(self.poll_s)

    def _collect(self, local: dict[int, _Reading]) -> None:
        for job_id, reading in list(local.items()):
            if not reading.future.done():
                continue
            del local[job_id]
            try:
                result = reading.future.result()
            except BrokenProcessPool as exc:
                self.pool.renew(reading.generation)
                release(job_id, self.worker_name)
                raise WorkerLost(
                    "An OCR worker died while reading a page (out of memory or killed); it is read again."
                ) from exc
            except Exception as exc:
                failed(job_id, self.worker_name, as_error(exc, reading.index))
                continue
            done(job_id, self.worker_name, result)

    def _results(self, jobs: list[int]) -> dict[int, worker.PageResult]:
        out, readers = {}, set()
        for result, pdf, who in PageJob.objects.filter(pk__in=jobs).values_list("result", "pdf", "worker"):
            page = worker.PageResult(**result, pdf=bytes(pdf))
            out[page.index] = page
            readers.add(who)
        log.info("task %d: %d pages read by %s", self.task.pk, len(out), ", ".join(sorted(readers)))
        return out


@dataclasses.dataclass
class _Reading:
    index: int
    generation: int
    future: Future


def _error(row: dict) -> SijillError:
    cls = error_class(row["result"].get("code", ""))
    return cls(row["reason"]) if issubclass(cls, InputFileError) else OcrFailed(row["reason"])
