"""After a page changes the catalogue, the search index follows before the next search.

Lives at the project level: the apps' pages must not import the search package (imports follow
the data flow), yet a letter made confidential must leave other users' results at once."""

from __future__ import annotations

import logging

from django.conf import settings

log = logging.getLogger("sijill.web")


def index_changes() -> None:
    from search.service import update_after_changes

    update_after_changes(settings.SIJILL)  # never raises: a late index catches up on the next change
