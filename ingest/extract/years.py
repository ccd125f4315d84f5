"""A year misread by one digit: no letter is dated, or numbered, years after it arrived.

On a blurred copy an Eastern «٢» loses or gains a tooth and reads «٣»: «٢٠٢٦» becomes «٢٠٣٦»
on the date line and «٣٠٢٦» in the reference. Such a year lies after the one the letter came
in, which cannot be, and one digit away from a recent year. So does a year under 1000
(«٠٠٢٦», its first «٢» filled in by the blur): no letter is that old.
"""

from __future__ import annotations

import datetime as dt

from lang.folding import DIGITS, EASTERN_DIGITS, PERSIAN_DIGITS, WESTERN_DIGITS

RECENT = 5  # years before the day it came in that a letter is taken to be from


def recent_year(year: int, received: dt.date) -> int | None:
    """The one recent year that ``year``, lying after next year or before 1000, is one digit
    away from.

    None when ``year`` could be right, or when no recent year, or more than one («2029»: any of
    2021–2026), is one digit away: then the clerk reads the copy."""
    if 1000 <= year <= received.year + 1 or not 0 <= year <= 9999:
        return None
    text = f"{year:04d}"
    near = {int(text[:i] + d + text[i + 1 :]) for i in range(4) for d in "0123456789" if d != text[i]}
    recent = [y for y in near if received.year - RECENT <= y <= received.year]
    return recent[0] if len(recent) == 1 else None


def mend_year_text(digits: str, received: dt.date) -> str | None:
    """``digits`` (a year in any digit script) mended by :func:`recent_year`, in its own script."""
    western = digits.translate(DIGITS)
    if len(western) != 4 or not western.isdigit():
        return None
    year = recent_year(int(western), received)
    if year is None:
        return None
    script = next((s for s in (EASTERN_DIGITS, PERSIAN_DIGITS) if digits[0] in s), WESTERN_DIGITS)
    return "".join(script[int(c)] for c in str(year))
