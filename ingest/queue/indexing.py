"""Bringing the search index up to date from a worker, off the tasks' path.

A catch-up after every registered letter cost about half a second per task. Registrations only
signal; one thread catches the index up at most every few seconds with everything registered
meanwhile, on a core the OCR process is not using.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from django.db import connections

log = logging.getLogger("sijill.queue")


class IndexUpdater:
    def __init__(self, update: Callable[[], object], min_interval_s: float = 5.0) -> None:
        # ``update``: the search side's catch-up, given by whoever runs the worker (ingest never
        # imports search: they are siblings above the archive).
        self.update = update
        self.min_interval_s = min_interval_s
        self._wanted = threading.Event()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="sijill-indexer", daemon=True)
        self._started = False
        self._lock = threading.Lock()

    def request(self) -> None:
        with self._lock:
            if not self._started:
                self._thread.start()
                self._started = True
        self._wanted.set()

    def _run(self) -> None:
        try:
            while not self._stop.is_set():
                self._wanted.wait()
                self._wanted.clear()
                try:
                    self.update()
                except Exception:  # the next request retries; a registration is never undone
                    log.exception("search index catch-up failed")
                self._stop.wait(self.min_interval_s)
        finally:
            connections.close_all()

    def close(self) -> None:
        """Let a pending catch-up finish, then stop."""
        if not self._started:
            return
        self._stop.set()
        self._wanted.set()
        self._thread.join(timeout=60)
        try:
            self.update()
        finally:
            connections.close_all()
