"""The catalogue's schema: created by the first command on an empty database, changed only
by `sijill migrate-db`, always under one lock that every machine sees.

On PostgreSQL the lock is an advisory lock in the database itself, so commands started at once
on several machines queue instead of racing to create the tables. The embedded SQLite catalogue
lives in ``SIJILL_HOME``, so a lock file next to it does the same job.
"""

from __future__ import annotations

import sqlite3
import time
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from archive.locks import catalogue_wide
from config.errors import DatabaseUnavailable, SchemaOutdated


@dataclass(frozen=True)
class SchemaState:
    applied: int  # migrations recorded in the database
    pending: list[str]  # known to this version of Sijill, not yet applied
    unknown: list[str]  # applied by a newer Sijill than this one

    @property
    def empty(self) -> bool:
        return self.applied == 0

    @property
    def current(self) -> bool:
        return not self.pending and not self.unknown

    def describe(self) -> str:
        if self.empty:
            return "empty (created by the first command)"
        if self.unknown:
            return f"newer than this Sijill ({', '.join(self.unknown[:3])})"
        if self.pending:
            return f"{len(self.pending)} change(s) to apply: run `sijill migrate-db`"
        return f"up to date ({self.applied} migrations)"


def state() -> SchemaState:
    executor = MigrationExecutor(connection)
    loader = executor.loader
    applied = set(loader.applied_migrations)
    plan = executor.migration_plan(loader.graph.leaf_nodes())
    unknown = sorted(f"{app}.{name}" for app, name in applied if (app, name) not in loader.graph.nodes)
    return SchemaState(len(applied), [f"{m.app_label}.{m.name}" for m, _ in plan], unknown)


def migrate(home: Path) -> SchemaState:
    """Apply every pending schema change (`sijill migrate-db`); safe to run on many machines."""
    with catalogue_wide("migrate", home):
        call_command("migrate", verbosity=0, interactive=False)
        refresh_statistics()
        return state()


def refresh_statistics() -> None:
    """Let the database's planner know the tables' shapes (ANALYZE). SQLite keeps no statistics
    by itself: without them it sorts the whole register for a list that an index could walk (the
    review queue took 240 ms at 100,000 letters, 5 ms after). Run after schema changes, after a
    bulk migration, and nightly by the workers; a few seconds at a million letters."""
    with connection.cursor() as cur:
        cur.execute("ANALYZE")


def _write_ahead_log() -> None:
    """Put a new embedded catalogue in write-ahead-log mode before Django's first connection.

    Every connection asks for WAL mode too, which costs nothing once the file is in it. But the
    switch itself needs the file alone, and SQLite fails it at once, without the busy timeout,
    while another connection holds a write lock: two commands started together on a new
    catalogue then stopped one of them with "database is locked". So the switch waits here.
    """
    path = Path(connection.settings_dict["NAME"])
    if _in_wal_mode(path):
        return
    patience = float(connection.settings_dict.get("OPTIONS", {}).get("timeout", 60.0))
    deadline = time.monotonic() + patience
    while True:
        try:
            with closing(sqlite3.connect(path, timeout=patience)) as db:
                db.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() > deadline:
                raise DatabaseUnavailable(
                    f"The catalogue database did not answer ({exc}). The work will be retried."
                ) from exc
            time.sleep(0.05)


def _in_wal_mode(path: Path) -> bool:
    # Bytes 18 and 19 of an SQLite file's header are 2 once it is in WAL mode.
    try:
        with path.open("rb") as f:
            return f.read(20)[18:20] == b"\x02\x02"
    except FileNotFoundError:
        return False


def ensure_ready(home: Path) -> None:
    """Create the schema of an empty catalogue; refuse to work on an older or newer one."""
    if connection.vendor == "sqlite":
        _write_ahead_log()
    found = state()
    if found.current:
        return
    with catalogue_wide("migrate", home):
        found = state()  # another machine may have created it while we waited
        if found.empty:
            call_command("migrate", verbosity=0, interactive=False)
            return
    if found.unknown:
        raise SchemaOutdated(
            "The catalogue was upgraded by a newer version of Sijill "
            f"({', '.join(found.unknown[:3])}). Upgrade Sijill on this machine."
        )
    if found.pending:
        raise SchemaOutdated(
            f"The catalogue's schema is older than this version of Sijill ({len(found.pending)} change(s) "
            "to apply). Back it up, then run `sijill migrate-db` once."
        )
