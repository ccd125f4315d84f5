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
    capped: bool = False  # there are more than ``total``: counting stopped there
    more: bool = False  # when capped: a next page exists

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.size), self.number + int(self.more))

    @property
    def prev(self) -> int | None:
        return self.number - 1 if self.number > 1 else None

    @property
    def next(self) -> int | None:
        if self.capped:
            return self.number + 1 if self.more else None
        return self.number + 1 if self.number < self.pages else None


def paginate(qs: QuerySet, raw_page: str | None, size: int, cap: int | None = None) -> Page:
    """One page of ``qs``; with ``cap``, counting stops there (the last pages are then
    reached by narrowing the list, as with search's window)."""
    total = qs.count() if cap is None else qs[: cap + 1].count()
    capped = cap is not None and total > cap
    if not capped:
        number = min(page_number(raw_page), max(1, -(-total // size)))
        start = (number - 1) * size
        return Page(list(qs[start : start + size]), number, size, total)
    # More than ``cap``: the pages go on as long as rows come (one more row says there is a next).
    number = page_number(raw_page)
    start = (number - 1) * size
    rows = list(qs[start : start + size + 1])
    return Page(rows[:size], number, size, cap, capped=True, more=len(rows) > size)
