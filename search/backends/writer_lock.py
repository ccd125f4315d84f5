"""The lock every Sijill writer of an embedded index folder takes, across processes.

Tantivy allows one writer per index; a second process waits here instead of failing.
"""

from __future__ import annotations

import fcntl
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

from config.errors import SearchUnavailable

LOCK_NAME = "writer.lock"


def take(folder: Path, wait_s: float) -> IO[str]:
    """The folder's lock, held until the returned file is closed; others wait up to ``wait_s``."""
    lock = (folder / LOCK_NAME).open("w")
    deadline = time.monotonic() + wait_s
    while True:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return lock
        except BlockingIOError:
            if time.monotonic() > deadline:
                lock.close()
                raise SearchUnavailable("The search index is busy being written by another process.") from None
            time.sleep(0.05)


@contextmanager
def held(folder: Path, wait_s: float) -> Iterator[None]:
    lock = take(folder, wait_s)
    try:
        yield
    finally:
        lock.close()
