"""The one place that picks the search backend from settings."""

from __future__ import annotations

from config.sijill import SijillSettings
from search.backends.base import SearchIndex


def open_index(settings: SijillSettings, writer_wait_s: float = 120) -> SearchIndex:
    """``writer_wait_s``: how long to wait for another process writing the embedded index."""
    if settings.search.backend == "opensearch":
        from search.backends.opensearch_index import OpenSearchIndex

        return OpenSearchIndex.from_settings(settings.search)
    from search.backends.tantivy_index import TantivyIndex

    return TantivyIndex(settings.index_dir, writer_wait_s=writer_wait_s)
