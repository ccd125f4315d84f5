"""Reading a search request from the web form's parameters."""

from __future__ import annotations

from collections.abc import Mapping

from lang.dates import parse_day
from search.query import SearchRequest

PAGE_SIZE = 20


def request_from_params(params: Mapping[str, str], tags: list[str] | None = None) -> SearchRequest:
    """Raises QueryError (with a message for the clerk) on a bad date or page."""

    def day(name: str, label: str, bound: str):
        value = (params.get(name) or "").strip()[:40]
        return parse_day(value, label, bound) if value else None

    def text(name: str) -> str | None:
        return (params.get(name) or "").strip() or None

    page_raw = (params.get("page") or "1").strip()[:6]  # beyond MAX_WINDOW anyway: refused below
    page = int(page_raw) if page_raw.isdigit() and int(page_raw) > 0 else 1
    return SearchRequest(
        text=params.get("q") or "",
        direction=text("direction"),
        mail_type=text("type"),
        department=text("service") or text("department"),
        status=text("status"),
        tags=tuple(t for t in (tags or []) if t),
        language=text("language"),
        sender=text("sender"),
        received_from=day("from", "من / du", "start"),
        received_to=day("to", "إلى / au", "end"),
        letter_from=day("letter_from", "تاريخ الرسالة من / lettre du", "start"),
        letter_to=day("letter_to", "تاريخ الرسالة إلى / lettre au", "end"),
        limit=PAGE_SIZE,
        offset=(page - 1) * PAGE_SIZE,
        facets=True,
    )
