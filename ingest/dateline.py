"""A second reading of the day on an Arabic page's date line («طنجة في 27 مارس 2025»).

Read with the whole page, Tesseract's Arabic model sometimes drops the first digit of a day
(27 → 7, 15 → 5): the letter is then registered under the wrong date. The French model reads
the digits of the same line, cut out and read alone, reliably. When it sees the same year and
a day the Arabic reading holds only part of, its day is kept.
"""

from __future__ import annotations

import re

from PIL import Image

from ingest.refline import HEADER_LINES, header_line_crop, read_line

_DATE = re.compile(r"(?:في|بتاريخ)\s+(\d{1,2})\s+([\u0621-\u064a]{3,})\s+(\d{4})(?!\d)")


def better_day(arabic_day: str, year: str, french: str) -> str | None:
    """The day the French reading of the line shows, when it completes the Arabic reading's."""
    runs = re.findall(r"\d+", french)
    if year not in runs:
        return None  # not the same line, or not read well enough to be trusted
    days = [r for r in runs if r != year and len(r) <= 2 and 1 <= int(r) <= 31]
    # Only a digit the Arabic reading lost (7 → 27): readings that disagree outright, or a
    # French reading that also sees the one-digit day, decide nothing. Its other digit runs
    # are Arabic letters read as digits.
    completions = [r for r in days if len(r) == 2 and len(arabic_day) == 1 and arabic_day in r]
    if arabic_day in days or len(completions) != 1:
        return None
    return completions[0]


def reread_day(grey: Image.Image, words: list, text: str, dpi: int, timeout_s: float = 20) -> str:
    """``text`` with the day of its date line completed, when a second reading shows it."""
    lines = text.split("\n")
    found = next(((i, m) for i, ln in enumerate(lines[:HEADER_LINES]) if (m := _DATE.search(ln))), None)
    if found is None:
        return text
    i, m = found
    line = lines[i]
    crop = header_line_crop(grey, words, line, dpi)
    if crop is None:
        return text
    day = better_day(m.group(1), m.group(3), read_line(crop, "fra", dpi, timeout_s))
    if day is None:
        return text
    lines[i] = line[: m.start(1)] + day + line[m.end(1) :]
    return "\n".join(lines)
