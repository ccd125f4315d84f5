"""Start Django for a command: settings from the environment, catalogue schema checked."""

from __future__ import annotations

import os


def setup(migrate: bool = True) -> None:
    """``migrate``: create the schema of an empty catalogue and refuse an outdated one
    (`sijill migrate-db` applies changes). Errors reaching the database become ``SijillError``s."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    if migrate:
        from archive import schema
        from config.failures import database_errors

        home = sijill_settings().home
        home.mkdir(parents=True, exist_ok=True)  # the embedded catalogue's file lives here
        with database_errors():
            schema.ensure_ready(home)


def sijill_settings():
    from django.conf import settings

    return settings.SIJILL
