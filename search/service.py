"""Search as the rest of Sijill uses it: the configured index, kept up to date with the catalogue."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from config.errors import IndexingFailed, SearchError, SearchUnavailable
from config.sijill import SijillSettings
from search import sync
from search.api import SearchResults, search
from search.backends.base import SearchIndex
from search.backends.factory import open_index
from search.query import SearchRequest, parse

log = logging.getLogger("sijill.search")


def search_catalogue(settings: SijillSettings, request: SearchRequest) -> SearchResults:
    """Search after bringing the index up to date with the catalogue."""
    request = request.validated()  # refuse bad input (a page too far, bad dates) before touching the index
    parsed = parse(request.text)
    index = open_index(settings, writer_wait_s=3)
    try:
        late = ()
        try:
            sync.catch_up(index)
        except IndexingFailed as exc:
            late = (f"the newest changes are not all searchable yet ({exc.message})",)
        except SearchUnavailable as exc:
            if index.name != "tantivy":
                raise
            late = (f"the newest letters may be missing: {exc.message}",)
        results = search(index, request, parsed)
        results.notes = (*results.notes, *late)
        return results
    finally:
        index.close()


class _Readers(threading.local):
    """Each web thread keeps its index open between requests. Opening one is cheap, but the
    first search on a newly opened index loads what the query touches: at 100,000 letters
    that made a request's search 5 to 50 ms instead of 5 to 6. Per thread, because a reader is
    not shared across threads; it picks up other processes' commits as it goes."""

    def __init__(self) -> None:
        self.open: dict[str, SearchIndex] = {}

    def get(self, settings: SijillSettings) -> SearchIndex:
        if settings.search.backend != "tantivy":
            # A cluster's client is cheap to make, and a kept one would not see its alias move
            # to a rebuilt index.
            return open_index(settings, writer_wait_s=3)
        key = str(settings.index_dir)
        index = self.open.get(key)
        if index is None or not index.refresh():  # type: ignore[attr-defined]
            index = self.open[key] = open_index(settings, writer_wait_s=3)
        return index


_readers = _Readers()


def search_as_is(settings: SijillSettings, request: SearchRequest) -> SearchResults:
    """Search the index as it stands: never writes (the web's searches). The workers and the
    commands that change the catalogue keep the index up to date."""
    request = request.validated()
    parsed = parse(request.text)
    index = _readers.get(settings)
    try:
        results = search(index, request, parsed)
        if (late := sync.pending(index)) > 0:
            results.notes = (*results.notes, f"{late} recent change(s) not searchable yet")
        return results
    finally:
        if index.name != "tantivy":
            index.close()


def update_after_changes(settings: SijillSettings) -> int | None:
    """Called after an ingest. A search failure never undoes a registration: the entries are
    indexed on the next catch-up, and the returned None tells the caller to say so."""
    index: SearchIndex | None = None
    try:
        index = open_index(settings)
        return sync.catch_up(index)
    except SearchError as exc:
        log.warning("search index not updated (%s); it will catch up on the next search", exc.message)
        return None
    finally:
        if index is not None:
            index.close()


def rebuild(settings: SijillSettings, on_progress: Callable[[int], None] | None = None) -> int:
    index = open_index(settings)
    try:
        return sync.reindex(index, on_progress)
    finally:
        index.close()


def snapshot_index(settings: SijillSettings, dest) -> tuple[str, int] | None:
    """Copy the embedded index for a backup; returns (identity, audit seq it holds at least)."""
    from search.backends.tantivy_index import TantivyIndex
    from search.models import IndexCursor

    if settings.search.backend != "tantivy" or not settings.index_dir.exists():
        return None
    index = TantivyIndex(settings.index_dir)
    try:
        ident = index.identity()
        seq = index.copy_to(
            dest,
            lambda: IndexCursor.objects.filter(index_id=ident).values_list("last_seq", flat=True).first() or 0,
        )
        return ident, seq
    finally:
        index.close()
