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

BATCH = 500  # audit events read per query
# Letters indexed between two commits. One long call lets the embedded index analyse them on
# every core (tantivy_index.WORKERS_FROM); a commit per 500 letters kept a migration's
# catch-up of 100,000 letters on one core, and left a segment per commit to merge.
COMMIT_EVERY = 20_000


def entries_for_index():
    return RegistryEntry.objects.select_related("document").prefetch_related("routings", "readers")


def _cursor(index: SearchIndex) -> IndexCursor:
    cursor, _ = IndexCursor.objects.get_or_create(index_id=index.identity())
    return cursor


def pending(index: SearchIndex) -> int:
    """Changes the index has not caught up with. One query: every web search asks."""
    read_up_to = IndexCursor.objects.filter(index_id=index.identity()).values("last_seq")[:1]
    return AuditEvent.objects.filter(seq__gt=Coalesce(Subquery(read_up_to), 0)).count()


def _events_after(seq: int) -> list[tuple[int, str]]:
    return list(AuditEvent.objects.filter(seq__gt=seq).order_by("seq").values_list("seq", "target")[:BATCH])


class _Span:
    """The audit events one commit covers, read page by page as the index takes their letters."""

    def __init__(self, first_page: list[tuple[int, str]]) -> None:
        self.first_page = first_page
        self.last_seq = first_page[-1][0]

    def entries(self, most: int) -> Iterator[IndexDocument]:
        """The letters the events name, page after page, until ``most`` or the log's end."""
        events, n = self.first_page, 0
        while events:
            for entry in entries_for_index().filter(number__in={target for _, target in events}):
                yield from_entry(entry)
                n += 1
            self.last_seq = events[-1][0]  # every letter of this page is with the index now
            if n >= most:
                return
            events = _events_after(self.last_seq)


def catch_up(index: SearchIndex, commit_every: int = COMMIT_EVERY) -> int:
    """Index every entry changed since the last catch-up; returns how many were (re)indexed.

    The audit log's ``seq`` follows commit order (``archive.audit``), so everything below the
    cursor has been seen. The cursor moves after each commit (every ``commit_every`` letters or
    so): a failure part-way keeps what was done and the next call retries only the rest.
    """
    cursor = _cursor(index)
    done = 0
    last = cursor.last_seq
    # The first page is read before the index is asked to write: with nothing new, a search's
    # catch-up never takes the writer's lock.
    while first_page := _events_after(last):
        span = _Span(first_page)
        done += index.upsert(span.entries(commit_every))
        index.commit()
        last = span.last_seq
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
