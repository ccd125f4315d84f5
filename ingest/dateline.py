"""A second reading of the digits of an Arabic page's date line («سلا في 27 مارس 2026»).

Read with the whole page, Tesseract's Arabic model sometimes drops the first digit of a day
(27 → 7, 15 → 5) or misreads one of the year's (2026 → 2006): the letter is then registered
under the wrong date. The French model reads the digits of the same line, cut out and read
alone, reliably. Its day is kept when it completes the Arabic one, its year when it differs
from the Arabic one by a single digit; anything else leaves the page's reading as it was.
"""

from __future__ import annotations

import re

from PIL import Image

from ingest.linereread import line_crop, read_line
from ingest.refline import HEADER_LINES
from lang.dates import month_named

_DATE = re.compile(r"(?:في|بتاريخ)\s+(\d{1,2})\s+([\u0621-\u064a]{3,})\s+(\d{4})(?!\d)")
# A place-and-date line whose month the page's reading made no month of («ميدلت في 6 خجر 2026»).
_UNNAMED = re.compile(r"(?:^|\s)(في|بتاريخ)\s+\S{1,3}\s+([\u0621-\u064a]{3,})\s+\d{4}(?!\d)")


def better_date(arabic_day: str, arabic_year: str, french: str) -> tuple[str, str] | None:
    """(day, year) as the French reading of the line shows them, when it corrects the Arabic
    reading: a day it holds only part of, or a year it misread by one digit."""
    runs = re.findall(r"\d+", french)
    years = [r for r in runs if len(r) == 4 and 1900 <= int(r) <= 2100]
    if arabic_year in years:
        year = arabic_year
    elif len(years) == 1 and sum(a != b for a, b in zip(years[0], arabic_year, strict=False)) == 1:
        year = years[0]  # 2006 → 2026: one digit, and the French model reads digits reliably
    else:
        return None  # not the same line, or not read well enough to be trusted
    days = [r for r in runs if r != year and len(r) <= 2 and 1 <= int(r) <= 31]
    # Only a digit the Arabic reading lost (7 → 27): readings that disagree outright, or a
    # French reading that also sees the one-digit day, decide nothing. Its other digit runs
    # are Arabic letters read as digits.
    completions = [r for r in days if len(r) == 2 and len(arabic_day) == 1 and arabic_day in r]
    day = completions[0] if arabic_day not in days and len(completions) == 1 else arabic_day
    return (day, year) if (day, year) != (arabic_day, arabic_year) else None


def reread_month(grey: Image.Image, words: list, text: str, dpi: int, timeout_s: float = 20) -> str:
    """``text`` with its date line read again alone, when the page's reading made no month of
    its month's name and the line alone does. The place before «في» is the page's."""
    lines = text.split("\n")
    for i, line in enumerate(lines[:HEADER_LINES]):
        m = _UNNAMED.search(line)
        if m is None or month_named(m.group(2)) is not None:
            continue
        crop = line_crop(grey, words, text, i, dpi, among=HEADER_LINES + 5)
        alone = read_line(crop, "ara", dpi, timeout_s) if crop is not None else ""
        again = _DATE.search(alone)
        if again is not None and month_named(again.group(2)) is not None:
            lines[i] = line[: m.start(1)] + alone[again.start() :]
            return "\n".join(lines)
    return text  # a Hijri date line («في 12 رمضان 1447») may come before the Gregorian one


def reread_date(grey: Image.Image, words: list, text: str, dpi: int, timeout_s: float = 20) -> str:
    """``text`` with the digits of its date line corrected, when a second reading shows better."""
    lines = text.split("\n")
    found = next(((i, m) for i, ln in enumerate(lines[:HEADER_LINES]) if (m := _DATE.search(ln))), None)
    if found is None:
        return text
    i, m = found
    line = lines[i]
    crop = line_crop(grey, words, text, i, dpi, among=HEADER_LINES + 5)
    if crop is None:
        return text
    better = better_date(m.group(1), m.group(3), read_line(crop, "fra", dpi, timeout_s))
    if better is None:
        return text
    day, year = better
    lines[i] = line[: m.start(1)] + day + line[m.end(1) : m.start(3)] + year + line[m.end(3) :]
    return "\n".join(lines)
