"""One lock that every machine sharing the catalogue sees.

On PostgreSQL: a session advisory lock in the database itself. On the embedded SQLite
catalogue, which lives in ``SIJILL_HOME`` on one machine: a lock file next to it.
"""

from __future__ import annotations

import fcntl
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from django.db import connection


@contextmanager
def catalogue_wide(name: str, home: Path) -> Iterator[None]:
    if connection.vendor == "postgresql":
        key = zlib.crc32(f"sijill:{name}".encode())
        with connection.cursor() as cur:
            cur.execute("SELECT pg_advisory_lock(%s)", [key])
        try:
            yield
        finally:
            with connection.cursor() as cur:
                cur.execute("SELECT pg_advisory_unlock(%s)", [key])
        return
    home.mkdir(parents=True, exist_ok=True)
    with (home / f".{name}.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        yield
