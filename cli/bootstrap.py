"""Start Django for a command: settings from the environment, catalogue migrated."""

from __future__ import annotations

import fcntl
import os


def setup(migrate: bool = True) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    if migrate:
        from django.conf import settings
        from django.core.management import call_command

        home = settings.SIJILL.home
        home.mkdir(parents=True, exist_ok=True)
        # The embedded catalogue creates itself on first use; on PostgreSQL this is a no-op
        # once an operator has migrated. The lock stops two commands started together on a
        # new SIJILL_HOME from both creating the tables.
        with (home / ".migrate.lock").open("w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            call_command("migrate", verbosity=0, interactive=False)


def sijill_settings():
    from django.conf import settings

    return settings.SIJILL
