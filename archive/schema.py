"""The catalogue's schema: created by the first command on an empty database, changed only
by `sijill migrate-db`, always under one lock that every machine sees.

On PostgreSQL the lock is an advisory lock in the database itself, so commands started at once
on several machines queue instead of racing to create the tables. The embedded SQLite catalogue
lives in ``SIJILL_HOME``, so a lock file next to it does the same job.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from archive.locks import catalogue_wide
from config.errors import SchemaOutdated


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


def ensure_ready(home: Path) -> None:
    """Create the schema of an empty catalogue; refuse to work on an older or newer one."""
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
