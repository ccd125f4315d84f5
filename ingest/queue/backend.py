"""The one place where the queue's storage is chosen.

Huey was chosen over Celery because it has a real embedded mode (a SQLite file, no server) and,
from 3.x, a PostgreSQL storage that needs no server beyond the catalogue's (Redis remains an
option). Its dequeue is destructive and unacknowledged, so a message alone would be lost with a
killed worker: every message names a ``QueuedTask`` row, and the row's lease (``lease``)
decides who runs it and re-sends it when its worker dies.
"""

from __future__ import annotations

from huey import Huey, PostgresHuey, RedisHuey, SqliteHuey

from archive.locks import catalogue_wide
from config.sijill import SijillSettings

QUEUE_NAME = "sijill"


def open_huey(settings: SijillSettings) -> Huey:
    q = settings.queue
    common = {"results": False, "utc": True}
    if q.backend == "redis":
        return RedisHuey(QUEUE_NAME, url=q.redis_url, **common)
    if q.backend == "postgres":
        assert settings.database_url is not None  # checked by config.sijill
        huey = PostgresHuey(QUEUE_NAME, dsn=_libpq_dsn(settings.database_url), create_tables=False, **common)
        # Several machines starting together raced on CREATE TABLE IF NOT EXISTS ("already
        # exists"): the queue's tables are created under the catalogue-wide lock instead.
        with catalogue_wide("queue-schema", settings.home):
            huey.storage.initialize_schema()
        return huey
    settings.home.mkdir(parents=True, exist_ok=True)
    return SqliteHuey(QUEUE_NAME, filename=str(settings.home / "queue.sqlite3"), **common)


def _libpq_dsn(url: str) -> str:
    # libpq takes postgresql:// URLs as they are; only the "postgres://" alias needs renaming.
    return "postgresql://" + url.split("://", 1)[1]


def describe(settings: SijillSettings) -> str:
    q = settings.queue
    if q.backend == "redis":
        return "Redis (workers on any machine)"
    if q.backend == "postgres":
        return "PostgreSQL, the catalogue's database (workers on any machine)"
    return f"embedded SQLite at {settings.home / 'queue.sqlite3'} (workers on this machine)"
