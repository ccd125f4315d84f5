"""The letter's date: the one on its date line, never a date quoted in the body."""

from __future__ import annotations

import datetime as dt
import re

from ingest.extract.fields import Found, Line, one_letter_off
from ingest.extract.years import recent_year
from lang.dates import MONTH_NAMES, month_key
from lang.folding import DIGITS, strip_marks

_HIJRI_MONTHS = [
    "محرم", "صفر", "ربيع الأول", "ربيع الاول", "ربيع الثاني", "ربيع الآخر", "جمادى الأولى", "جمادى الاولى",
    "جمادى الثانية", "جمادى الآخرة", "رجب", "شعبان", "رمضان", "شوال", "ذو القعدة", "ذي القعدة", "ذو الحجة", "ذي الحجة",
]  # fmt: skip


# A «1» beside one other digit that Tesseract read as «!» or «|» («!1 أكتوبر»): a day of 11
# would otherwise be read as the 1st. Bars between digit groups are slashes by now (postcorrect).
_ONE_AS_BAR = re.compile(r"(?<![\w/!|])[!|](?=\d(?![\d/.-]))|(?<=(?<![\w/.-])\d)[!|](?![\w/!|])")


def _fold(text: str) -> str:
    return month_key(_ONE_AS_BAR.sub("1", strip_marks(text).translate(DIGITS).lower()))


_MONTHS = {_fold(name): n for n, names in MONTH_NAMES.items() for name in names}
_MONTH_ALT = "|".join(sorted((re.escape(m) for m in _MONTHS), key=len, reverse=True))
_HIJRI_ALT = "|".join(re.escape(_fold(m)) for m in _HIJRI_MONTHS)

# A stop or comma after the day («13. مارس») is a speck on the copy or a typing slip.
_WRITTEN = re.compile(rf"(?<!\w)(\d{{1,2}})\s*(?:er|ere|re)?[.,]?\s+({_MONTH_ALT})\.?\s*,?\s+(\d{{4}})(?!\d)")
_NUMERIC = re.compile(r"(?<![\d/.-])(\d{1,2})\s?([/.-])\s?(\d{1,2})\s?\2\s?(\d{4})(?![\d/.-])")
_ISO = re.compile(r"(?<![\d/.-])(\d{4})([-/.])(\d{1,2})\2(\d{1,2})(?![\d/.-])")
# «فاتح مارس 2026» / «1er mars»: the first of the month written as a word.
_FIRST = re.compile(rf"(?<!\w)(?:فاتح|premier)\s+({_MONTH_ALT})\.?\s*,?\s+(\d{{4}})(?!\d)")
_HIJRI = re.compile(rf"(\d{{1,2}})\s+({_HIJRI_ALT})\s+(\d{{4}})")

# What makes a line the date line: a place then «في» / «, le», or «بتاريخ» / «Fait à».
_DATE_LINE_CUE = re.compile(r"(?:^|\s)(?:في|le|بتاريخ|حرر|fait a|fait le|en date du)(?:\s|$)|,\s*le\s", re.IGNORECASE)
HEADER_LINES = 16
# «ميدلت في ؛ يناير ٢٠٢٦», «Berkane, le vi janvier 5.055»: a place-and-date line whose digits are
# misread past reading still names its month, right after «في» / «le» and what is left of the day.
_NAMED_MONTH = re.compile(rf"(?:^|\s)(?:في|le)\s+(?:\S{{1,3}}\s+)?(?:{_MONTH_ALT})(?!\w)")


def names_a_month(text: str) -> bool:
    """Whether ``text`` is a place-and-date line by its month name, whatever its digits say."""
    return bool(_NAMED_MONTH.search(_fold(text)))


# A month name misread by one letter («أكتور», «مئرس», «Novembro») still names its month when it
# stands between a day and a year on a date line; three-letter names (ماي, mai) are too easily
# something else.
_LOOSE = re.compile(r"(?<!\w)(\d{1,2})[.,]?\s+([^\W\d_]{4,10})\s+(\d{4})(?!\d)")
_LONG_MONTHS = {m: n for m, n in _MONTHS.items() if len(m) >= 4 and " " not in m}
# A three-letter name (غشت, ماي) with a speck read as one more letter («غشتث»): only a letter
# added, so that a word of its own three letters is never taken for it.
_SHORT_MONTHS = {m: n for m, n in _MONTHS.items() if len(m) == 3}


def _loose_month(word: str) -> int | None:
    near = {_LONG_MONTHS[m] for m in one_letter_off(word, _LONG_MONTHS)}
    if len(word) == 4:
        near |= {_SHORT_MONTHS[m] for m in one_letter_off(word, _SHORT_MONTHS)}
    return near.pop() if len(near) == 1 else None


# «في ه ماي ٢٠٢٦», «في ٠ ماي»: an Eastern five (a small loop) read as a lone «ه», or filled in
# by a blurred copy and read as a zero. No day is 0, and «ه» alone is no word before a month.
_FIVE = re.compile(rf"(?:^|\s)في\s+(ه|0)\s+({_MONTH_ALT})\s+(\d{{4}})(?!\d)")


# «في 7 1 يونيو»: a day of two digits that Tesseract cut into two words. On an Arabic line the
# words come in reading order, right to left, so the digits come reversed (the day is 17).
_SPLIT_DAY = re.compile(rf"(?:^|\s)(في|le)\s+(\d)\s(\d)\s+({_MONTH_ALT})\.?\s*,?\s+(\d{{4}})(?!\d)")


def _valid(year: int, month: int, day: int) -> bool:
    try:
        dt.date(year, month, day)
    except ValueError:
        return False
    return True


def _candidates(folded: str, original: str = "") -> list[tuple[int, int, dt.date, bool]]:
    """(start, end, date, read through a misspelt month name or a misread day)"""
    loose = []
    split_days = []  # where a day cut in two stands: its second half is no day of its own
    for m in _SPLIT_DAY.finditer(folded):
        first, second = m.group(2, 3)
        ymd = (int(m.group(5)), _MONTHS[m.group(4)], int(second + first if m.group(1) == "في" else first + second))
        if _valid(*ymd):
            loose.append((m.start(2), m.end(), ymd))
            split_days.append(m.start(3))
    if _DATE_LINE_CUE.search(folded) and not _WRITTEN.search(folded):
        for m in _LOOSE.finditer(folded):
            if m.group(2) not in _MONTHS and (month := _loose_month(m.group(2))):
                loose.append((m.start(), m.end(), (int(m.group(3)), month, int(m.group(1)))))
    for m in _FIVE.finditer(folded):
        if m.group(1) == "ه" or original[m.start(1) : m.start(1) + 1] in ("٠", "۰"):
            loose.append((m.start(1), m.end(), (int(m.group(3)), _MONTHS[m.group(2)], 5)))
    out = []
    hijri_spans = [m.span() for m in _HIJRI.finditer(folded)]
    for m in _WRITTEN.finditer(folded):
        if any(s <= m.start() < e for s, e in hijri_spans) or m.start() in split_days:
            continue
        month = _MONTHS.get(m.group(2))
        out.append((m.start(), m.end(), (int(m.group(3)), month, int(m.group(1)))))
    for m in _NUMERIC.finditer(folded):
        out.append((m.start(), m.end(), (int(m.group(4)), int(m.group(3)), int(m.group(1)))))
    for m in _ISO.finditer(folded):
        out.append((m.start(), m.end(), (int(m.group(1)), int(m.group(3)), int(m.group(4)))))
    for m in _FIRST.finditer(folded):
        out.append((m.start(), m.end(), (int(m.group(2)), _MONTHS.get(m.group(1)), 1)))
    dates = []
    for (s, e, (y, mo, d)), is_loose in [(c, False) for c in out] + [(c, True) for c in loose]:
        if not (1900 <= y <= 9999 or y < 1000) or mo is None:
            continue  # Hijri years (14xx) and nonsense; years far ahead or under 1000 may be a digit off
        try:
            dates.append((s, e, dt.date(y, mo, d), is_loose))
        except ValueError:
            continue
    return dates


def _mend_future(day: dt.date, today: dt.date) -> dt.date | None:
    """A date years after ``today``, or before 1000, read with its year one digit off, on the
    recent year."""
    year = recent_year(day.year, today)
    try:
        return day.replace(year=year) if year is not None else None
    except ValueError:
        return None  # 29 February


def find_date(lines: list[Line], today: dt.date | None = None) -> Found | None:
    """Scores every date by where it stands: alone on a header or closing line with a place and
    «في»/«le» is the letter's date; a date inside a sentence of the body is not."""
    today = today or dt.date.today()
    best: tuple[float, Found] | None = None
    n = len(lines)
    for line in lines:
        if not line.text.strip():
            continue
        folded = _fold(line.text)
        if len(folded) != len(line.text):
            folded = folded.ljust(len(line.text))[: len(line.text)]  # offsets stay usable
        cands = _candidates(folded, line.text)
        if not cands:
            continue
        header = line.index < HEADER_LINES
        closing = line.index >= n - 6
        words = len(line.text.split())
        for s, e, day, loose in cands:
            score = 0.1 if loose else 0.3  # a misspelt month: the clerk checks it
            if _DATE_LINE_CUE.search(folded):
                score += 0.35
            if words <= 9:
                score += 0.2  # a date line, not a sentence
            elif words > 16:
                score -= 0.4
            if header:
                score += 0.15
            elif closing:
                score += 0.05
            else:
                score -= 0.3
            if _HIJRI.search(folded):
                score += 0.05  # «… هـ الموافق …»: the Gregorian date of a dated header
            if day.year < 1000 or day > today + dt.timedelta(days=400):
                mended = _mend_future(day, today)
                if mended is None and not 1000 <= day.year <= 2100:
                    continue
                score -= 0.15 if mended else 0.5
                day = mended or day
            score = max(0.0, min(0.98, score))
            found = Found(day.isoformat(), round(score, 2), line.start + s, line.start + e, day.isoformat())
            if best is None or score > best[0]:
                best = (score, found)
    if best is None or best[0] < 0.35:
        return None
    return best[1]
