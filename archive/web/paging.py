"""Bounded paging for every list: a page number from outside never reaches the database raw."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet

MAX_PAGE = 10_000


def page_number(raw: str | None) -> int:
    raw = (raw or "1").strip()[:6]
    return min(int(raw), MAX_PAGE) if raw.isdigit() and int(raw) > 0 else 1


@dataclass
class Page:
    rows: list
    number: int
    size: int
    total: int
    capped: bool = False  # there are more than ``total``

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.size))

    @property
    def prev(self) -> int | None:
        return self.number - 1 if self.number > 1 else None

    @property
    def next(self) -> int | None:
        return self.number + 1 if self.number < self.pages else None


def paginate(qs: QuerySet, raw_page: str | None, size: int, cap: int | None = None) -> Page:
    """One page of ``qs``; with ``cap``, counting stops there (the last pages are then
    reached by narrowing the list, as with search's window)."""
    total = qs.count() if cap is None else qs[: cap + 1].count()
    capped = cap is not None and total > cap
    total = min(total, cap) if cap is not None else total
    number = min(page_number(raw_page), max(1, -(-total // size)))
    start = (number - 1) * size
    return Page(list(qs[start : start + size]), number, size, total, capped)
