"""Keeping the index in step with the catalogue.

The audit log is the change feed: every registration and correction writes an event naming
the entry. ``catch_up`` indexes the entries named since the index's cursor. It is called after
an ingest and before a search, so no clerk ever runs it by hand, and re-running it is harmless
(documents are replaced by id). The catalogue stays the only source; the index can be deleted.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Iterator

from django.db import connection
from django.db.models import Max
from django.utils import timezone

from archive.models import AuditEvent, RegistryEntry
from search.backends.base import SearchIndex
from search.document import IndexDocument, from_entry
from search.models import IndexCursor

log = logging.getLogger("sijill.search")

BATCH = 500
# On PostgreSQL an event id can become visible after a higher one (sequences are handed out
# before commit); events younger than this are indexed but the cursor does not move past them,
# so a late commit is never skipped. SQLite writes one transaction at a time: no window needed.
SETTLE = dt.timedelta(seconds=10)


def _settle_window() -> dt.timedelta:
    return SETTLE if connection.vendor == "postgresql" else dt.timedelta(0)


def _cursor(index: SearchIndex) -> IndexCursor:
    cursor, _ = IndexCursor.objects.get_or_create(index_id=index.identity())
    return cursor


def pending(index: SearchIndex) -> int:
    return AuditEvent.objects.filter(id__gt=_cursor(index).last_event_id).count()


def catch_up(index: SearchIndex) -> int:
    """Index every entry changed since the last catch-up; returns how many were (re)indexed.

    The cursor moves after each committed batch, so a failure part-way keeps what was done
    and the next call retries only the rest.
    """
    cursor = _cursor(index)
    settled_before = timezone.now() - _settle_window()
    done = 0
    last_id = cursor.last_event_id
    settled = True
    while True:
        events = list(
            AuditEvent.objects.filter(id__gt=last_id).order_by("id").values_list("id", "target", "at")[:BATCH]
        )
        if not events:
            break
        numbers = {target for _, target, _ in events}
        entries = RegistryEntry.objects.select_related("document").filter(number__in=numbers)
        done += index.upsert(from_entry(e) for e in entries)
        index.commit()
        advance_to = None
        for event_id, _, at in events:
            settled = settled and at <= settled_before
            if settled:
                advance_to = event_id
        if advance_to is not None:
            IndexCursor.objects.filter(pk=cursor.pk, last_event_id__lt=advance_to).update(last_event_id=advance_to)
        last_id = events[-1][0]
    if done:
        log.info("search index %s: %d entries updated", index.name, done)
    return done


def all_documents(chunk: int = 1000) -> Iterator[IndexDocument]:
    qs = RegistryEntry.objects.select_related("document").order_by("id")
    for entry in qs.iterator(chunk_size=chunk):
        yield from_entry(entry)


def reindex(index: SearchIndex, on_progress: Callable[[int], None] | None = None) -> int:
    """Rebuild the index from the catalogue; searches keep working on the old one meanwhile."""
    high = AuditEvent.objects.aggregate(m=Max("id"))["m"] or 0
    n = index.rebuild(all_documents(), on_progress)
    cursor = _cursor(index)  # the identity may be new after a rebuild (OpenSearch)
    # Changes made during the rebuild are after `high` and are picked up by the next catch-up.
    IndexCursor.objects.filter(pk=cursor.pk).update(last_event_id=high)
    return n


def entries_total() -> int:
    return RegistryEntry.objects.count()
