"""The OCR pool's shutdown leaves nothing running that CPython's exit hook could race."""

from __future__ import annotations

import threading
import time
from concurrent.futures.process import _ExecutorManagerThread

from ingest.pagepool import PagePool


def _managers() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if isinstance(t, _ExecutorManagerThread)]


def test_a_cancelled_shutdown_drops_queued_pages_and_joins_the_pool() -> None:
    before = _managers()
    pool = PagePool(1)
    _, running = pool.submit(time.sleep, 0.5)
    queued = [pool.submit(time.sleep, 1)[1] for _ in range(6)]
    running.result(timeout=60)
    pool.shutdown(cancel=True)
    # The executor hands two calls ahead to a one-process pool; those cannot be taken back.
    assert sum(f.cancelled() for f in queued) >= 3
    assert all(f.done() for f in queued)
    # A manager thread still alive here is what wrote "Bad file descriptor" at a worker's exit.
    assert _managers() == before


def _blas_threads() -> list[int]:
    from threadpoolctl import threadpool_info

    return [p["num_threads"] for p in threadpool_info() if p["user_api"] == "blas"]


def test_a_page_worker_runs_one_blas_thread(monkeypatch) -> None:
    # Pages are the parallel work: a second BLAS thread per worker only waits for a core.
    monkeypatch.setenv("OPENBLAS_NUM_THREADS", "2")  # as on a machine with several cores
    pool = PagePool(1)
    try:
        threads = pool.submit(_blas_threads)[1].result(timeout=120)
    finally:
        pool.shutdown()
    assert threads and set(threads) == {1}
