"""Days as clerks type them, in Western or Eastern digits: shared by search filters, the
clerk's corrections and legacy registers."""

from __future__ import annotations

import datetime as dt
import re

from config.errors import QueryError
from lang.folding import prepare

_DAY_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%Y/%m/%d")


def parse_day(text: str, option: str = "date", bound: str | None = None) -> dt.date:
    """A day as clerks type it: 2026-03-14, 14/03/2026, in Western or Eastern digits.

    ``bound`` ("start" or "end") also accepts a month (2026-03, 03/2026) or a year (2026) as a
    range's limit: its first day as a start, its last day as an end. Without it, only a day.
    """
    raw = prepare(text.strip())
    for fmt in _DAY_FORMATS:
        try:
            return dt.datetime.strptime(raw, fmt).date()
        except ValueError:
            continue
    if bound in {"start", "end"}:
        end = bound == "end"
        if re.fullmatch(r"\d{4}", raw):
            return dt.date(int(raw), 12, 31) if end else dt.date(int(raw), 1, 1)
        m = re.fullmatch(r"(\d{4})-(\d{1,2})|(\d{1,2})/(\d{4})", raw)
        if m:
            year, month = (int(m[1]), int(m[2])) if m[1] else (int(m[4]), int(m[3]))
            if 1 <= month <= 12:
                if not end:
                    return dt.date(year, month, 1)
                following = dt.date(year + month // 12, month % 12 + 1, 1)
                return following - dt.timedelta(days=1)
    raise QueryError(f"{option}: {text!r} is not a date. Write it as 2026-03-14 or 14/03/2026.")
