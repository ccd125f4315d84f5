"""Days as clerks type them, in Western or Eastern digits: shared by search filters, the
clerk's corrections and legacy registers; and the months' names as letters write them."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

from rapidfuzz.distance import Levenshtein

from config.errors import QueryError
from lang.folding import fold_arabic, prepare, strip_marks

# Moroccan (يناير … ماي … يوليوز غشت شتنبر … نونبر دجنبر), Middle-Eastern, Syriac (كانون …) and
# Algerian/Tunisian names, and French.
MONTH_NAMES = {
    1: ["يناير", "جانفي", "كانون الثاني", "janvier", "jan", "janv"],
    2: ["فبراير", "فيفري", "شباط", "fevrier", "fev", "févr"],
    3: ["مارس", "آذار", "mars"],
    4: ["أبريل", "ابريل", "أفريل", "افريل", "نيسان", "avril", "avr"],
    5: ["ماي", "مايو", "أيار", "mai"],
    6: ["يونيو", "يونيه", "جوان", "حزيران", "juin"],
    7: ["يوليوز", "يوليو", "يوليه", "جويلية", "تموز", "juillet", "juil"],
    8: ["غشت", "أغسطس", "اغسطس", "أوت", "اوت", "آب", "aout"],
    9: ["شتنبر", "سبتمبر", "أيلول", "septembre", "sept"],
    10: ["أكتوبر", "اكتوبر", "تشرين الأول", "octobre", "oct"],
    11: ["نونبر", "نوفمبر", "تشرين الثاني", "novembre", "nov"],
    12: ["دجنبر", "ديسمبر", "كانون الأول", "decembre", "dec"],
}


def month_key(word: str) -> str:
    """A month's name as compared: without marks, accents or case, Arabic letter variants folded."""
    text = unicodedata.normalize("NFD", strip_marks(word).lower())
    bare = "".join(c for c in text if not unicodedata.combining(c) or "\u0600" <= c)  # Arabic marks stay
    return fold_arabic(unicodedata.normalize("NFC", bare))


_BY_KEY = {month_key(name): n for n, names in MONTH_NAMES.items() for name in names}
_LONG_KEYS = {k: n for k, n in _BY_KEY.items() if len(k) >= 5 and " " not in k}


def month_named(word: str) -> int | None:
    """The month ``word`` names, or, being five letters or more, names but for one letter
    («فيراير»); shorter names are too easily another word misread."""
    key = month_key(word)
    if key in _BY_KEY:
        return _BY_KEY[key]
    near = {n for k, n in _LONG_KEYS.items() if Levenshtein.distance(key, k, score_cutoff=1) <= 1}
    return near.pop() if len(near) == 1 else None


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
