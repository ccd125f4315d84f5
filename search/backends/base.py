"""The contract every search backend keeps."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Protocol

from search.document import IndexDocument, StoredHit
from search.query import ParsedQuery, SearchRequest

FACETS = ("mail_type", "department", "status", "tags", "year")


@dataclass
class RawResults:
    total: int
    hits: list[StoredHit]
    facets: dict[str, list[tuple[str, int]]] = field(default_factory=dict)


class SearchIndex(Protocol):
    name: str

    def identity(self) -> str:
        """Changes whenever the index is created anew, so the catch-up cursor restarts."""
        ...

    def upsert(self, docs: Iterable[IndexDocument]) -> int:
        """Add or replace documents by id; visible to searches after ``commit``."""
        ...

    def commit(self) -> None: ...

    def rebuild(self, docs: Iterable[IndexDocument], on_progress: Callable[[int], None] | None = None) -> int:
        """Replace the whole index with ``docs``; searches see the old index until it is done."""
        ...

    def query(self, q: ParsedQuery, request: SearchRequest, min_match: int | None = None) -> RawResults:
        """Run a parsed query. ``min_match``: how many of ``q.must`` must match (None: all)."""
        ...

    def count(self) -> int: ...

    def close(self) -> None: ...
