"""Search as the rest of Sijill uses it: the configured index, kept up to date with the catalogue."""

from __future__ import annotations

import logging
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


def search_as_is(settings: SijillSettings, request: SearchRequest) -> SearchResults:
    """Search the index as it stands: never writes (the web's searches). The workers and the
    commands that change the catalogue keep the index up to date."""
    request = request.validated()
    parsed = parse(request.text)
    index = open_index(settings, writer_wait_s=3)
    try:
        results = search(index, request, parsed)
        if (late := sync.pending(index)) > 0:
            results.notes = (*results.notes, f"{late} recent change(s) not searchable yet")
        return results
    finally:
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
