"""The OCR worker processes of one command, replaced whole when one of them dies.

A worker killed by the kernel (out of memory) or by an operator breaks a
``ProcessPoolExecutor`` for good. That is the machinery's failure, not the file's: the pool is
renewed and the file's attempt is retried on fresh workers.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any

from ingest import worker


class PagePool:
    def __init__(self, workers: int) -> None:
        self.workers = workers
        self._lock = threading.Lock()
        self._generation = 0
        self._pool = self._new()

    def _new(self) -> ProcessPoolExecutor:
        ctx = multiprocessing.get_context("spawn")  # never fork a process that holds DB connections
        return ProcessPoolExecutor(
            self.workers, mp_context=ctx, initializer=worker.init_worker, initargs=(os.getpid(),)
        )

    def submit(self, fn: Callable[..., Any], *args: Any) -> tuple[int, Future]:
        """Submit on the current pool; returns its generation with the future."""
        with self._lock:
            generation, pool = self._generation, self._pool
        try:
            return generation, pool.submit(fn, *args)
        except BrokenProcessPool:
            self.renew(generation)
            return self.submit(fn, *args)

    def renew(self, generation: int) -> None:
        """Replace the pool of ``generation`` if it is still the current one."""
        with self._lock:
            if generation != self._generation:
                return
            self._pool.shutdown(wait=True, cancel_futures=True)  # broken: its manager is already ending
            self._pool = self._new()
            self._generation += 1

    def shutdown(self, cancel: bool = False) -> None:
        """With ``cancel``, pages not started are dropped; pages being read are still waited for.

        A pool's manager thread left running at interpreter exit races CPython's exit hook, which
        wakes it through a pipe the thread may be closing (gh-125451): "Bad file descriptor" in
        a worker's log. Joining it here closes that window.
        """
        with self._lock:
            self._pool.shutdown(wait=True, cancel_futures=cancel)
