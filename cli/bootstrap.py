"""Start Django for a command: settings from the environment, catalogue migrated."""

from __future__ import annotations

import os


def setup(migrate: bool = True) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    if migrate:
        from django.conf import settings
        from django.core.management import call_command

        settings.SIJILL.home.mkdir(parents=True, exist_ok=True)
        # The embedded catalogue creates itself on first use; on PostgreSQL this is a no-op
        # once an operator has migrated.
        call_command("migrate", verbosity=0, interactive=False)


def sijill_settings():
    from django.conf import settings

    return settings.SIJILL
