"""Keeping the index in step with the catalogue.

The audit log is the change feed: every registration and correction writes an event naming
the entry. ``catch_up`` indexes the entries named since the index's cursor. It is called after
an ingest and before a search, so no clerk ever runs it by hand, and re-running it is harmless
(documents are replaced by id). The catalogue stays the only source; the index can be deleted.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator

from django.db.models import Subquery
from django.db.models.functions import Coalesce

from archive.audit import last_seq
from archive.models import AuditEvent, RegistryEntry
from search.backends.base import SearchIndex
from search.document import IndexDocument, from_entry
from search.models import IndexCursor

log = logging.getLogger("sijill.search")

BATCH = 500


def entries_for_index():
    return RegistryEntry.objects.select_related("document").prefetch_related("routings", "readers")


def _cursor(index: SearchIndex) -> IndexCursor:
    cursor, _ = IndexCursor.objects.get_or_create(index_id=index.identity())
    return cursor


def pending(index: SearchIndex) -> int:
    """Changes the index has not caught up with. One query: every web search asks."""
    read_up_to = IndexCursor.objects.filter(index_id=index.identity()).values("last_seq")[:1]
    return AuditEvent.objects.filter(seq__gt=Coalesce(Subquery(read_up_to), 0)).count()


def catch_up(index: SearchIndex) -> int:
    """Index every entry changed since the last catch-up; returns how many were (re)indexed.

    The audit log's ``seq`` follows commit order (``archive.audit``), so everything below the
    cursor has been seen. The cursor moves after each committed batch: a failure part-way keeps
    what was done and the next call retries only the rest.
    """
    cursor = _cursor(index)
    done = 0
    last = cursor.last_seq
    while True:
        events = list(AuditEvent.objects.filter(seq__gt=last).order_by("seq").values_list("seq", "target")[:BATCH])
        if not events:
            break
        numbers = {target for _, target in events}
        entries = entries_for_index().filter(number__in=numbers)
        done += index.upsert(from_entry(e) for e in entries)
        index.commit()
        last = events[-1][0]
        IndexCursor.objects.filter(pk=cursor.pk, last_seq__lt=last).update(last_seq=last)
    if done:
        log.info("search index %s: %d entries updated", index.name, done)
    return done


def all_documents(chunk: int = 1000) -> Iterator[IndexDocument]:
    qs = entries_for_index().order_by("id")
    for entry in qs.iterator(chunk_size=chunk):
        yield from_entry(entry)


def reindex(index: SearchIndex, on_progress: Callable[[int], None] | None = None) -> int:
    """Rebuild the index from the catalogue; searches keep working on the old one meanwhile."""
    high = last_seq()
    n = index.rebuild(all_documents(), on_progress)
    cursor = _cursor(index)  # the identity may be new after a rebuild (OpenSearch)
    # Changes made during the rebuild are after `high` and are picked up by the next catch-up.
    IndexCursor.objects.filter(pk=cursor.pk).update(last_seq=high)
    return n


def entries_total() -> int:
    return RegistryEntry.objects.count()
