"""Searching the archive: the one entry point the CLI and the web UI call."""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from typing import Any

from search.backends.base import SearchIndex
from search.query import ParsedQuery, SearchRequest, parse, relaxed_min_match
from search.snippets import Matcher, Snippet, make_snippet

log = logging.getLogger("sijill.search")


@dataclass
class SearchHit:
    registry_number: str
    score: float
    snippet: Snippet
    fields: dict[str, Any]

    def as_json(self) -> dict[str, Any]:
        f = {k: v for k, v in self.fields.items() if k != "text" and not k.startswith("_")}
        return {
            "registry_number": self.registry_number,
            "score": round(self.score, 4),
            "snippet": self.snippet.plain(),
            "fragments": [fr.as_json() for fr in self.snippet.fragments],
            **{k: v for k, v in f.items() if k != "registry_number"},
        }


@dataclass
class SearchResults:
    total: int
    hits: list[SearchHit]
    facets: dict[str, list[tuple[str, int]]] = field(default_factory=dict)
    relaxed: bool = False  # no letter had every word; these have most of them
    notes: tuple[str, ...] = ()
    took_ms: float = 0.0

    def as_json(self) -> dict[str, Any]:
        return {
            "total": self.total,
            "relaxed": self.relaxed,
            "notes": list(self.notes),
            "took_ms": round(self.took_ms, 2),
            "hits": [h.as_json() for h in self.hits],
            "facets": {k: [{"value": v, "count": n} for v, n in vals] for k, vals in self.facets.items()},
        }


def search(index: SearchIndex, request: SearchRequest, parsed: ParsedQuery | None = None) -> SearchResults:
    """Run a search. Raises QueryError with an actionable message for unusable input."""
    t0 = time.perf_counter()
    request = request.validated()
    q = parsed if parsed is not None else parse(request.text)
    if q.is_empty and request.text.strip():
        # Only symbols or operators: searching for "nothing" must not list the whole archive.
        note = "no searchable words in the search text (only symbols or operators)"
        return SearchResults(0, [], notes=(*q.notes, note), took_ms=(time.perf_counter() - t0) * 1000)
    raw = index.query(q, request)
    was_relaxed = False
    if raw.total == 0 and (mm := relaxed_min_match(q)) is not None:
        raw = index.query(q, request, min_match=mm)
        was_relaxed = raw.total > 0
    matcher = Matcher.for_query(q)
    hits = [
        SearchHit(
            h.fields.get("registry_number", ""),
            h.score,
            make_snippet(h.fields.get("text", ""), matcher, folded=h.fields.get("_folded")),
            h.fields,
        )
        for h in raw.hits
    ]
    return SearchResults(raw.total, hits, raw.facets, was_relaxed, q.notes, (time.perf_counter() - t0) * 1000)
