"""A second reading of an Arabic page's reference line («عدد: 1234/ق.ت/2026»).

Read with the whole page, Tesseract's Arabic model often drops or reorders the digit runs
of this line. Read alone as one text line it usually gets them, and the French model reads
the digits (not the letters) reliably. When the page's own reading does not look like a
reference, or Tesseract was unsure of its digits, the line is read again both ways and the two
are combined.
"""

from __future__ import annotations

import re

from PIL import Image

from ingest import refletters
from ingest.linereread import Reread, line_crop, line_words, read_line
from ingest.tesseract import Word

LABEL = re.compile(r"^\s*((?:ال)?(?:عدد|رقم|مرجع))\s*[:：.]?\s*")
_LETTERS_PART = re.compile(r"^[\u0621-\u064a]+(?:\.[\u0621-\u064a]+)*$")
_NUMBER = re.compile(r"^[0-9]{1,6}$")
_LABEL_PREFIX = re.compile(r"^(?:ال)?(?:عدد|رقم|مرجع)[\u0621-\u064a]?")
HEADER_LINES = 15
# Signs of a misread even when the parts look right: a one-digit number part, a letter stuck
# to a number, an alef opening an abbreviation.
_SUSPECT = re.compile(r"(?:^|/)\s*\d\s*/|\d[\u0621-\u064a]|[\u0621-\u064a]\d|/\s*ا[\u0621-\u064a]\.")
_SPACED_SLASH = re.compile(r"\s*/\s*")
# «2474ام.ت.ع/2026»: read whole, the slash before a dotted abbreviation may come out as an
# undotted alef or lam glued to the number (a letter of the abbreviation would have its stop).
_SLASH_AS_LETTER = re.compile(r"(?<=\d)[اأإل](?=[\u0621-\u064a](?:\.[\u0621-\u064a])+/)")
_DOT_SPACE = re.compile(r"(?<=[\u0621-\u064a]\.)\s+(?=[\u0621-\u064a])")  # «ك. ع»: one abbreviation
_DATE_LIKE = re.compile(r"\d{1,2}\s?/\s?\d{1,2}\s?/\s?\d{2,4}")
# A reference Tesseract is this unsure of is read again even when it looks right: on a page
# turned by its skew a clean «2474/م.ت.ع/2026» came back «24/74/م.ت.ع/2026» at 38.
DOUBTFUL = 50.0


def looks_like_reference(value: str) -> bool:
    """Number and abbreviation parts between slashes, with at least one real number."""
    # Spaces are allowed around slashes only: "27 1" is a number the OCR split, maybe reordered.
    parts = [p.strip() for p in value.strip().split("/")]
    if any(" " in p for p in parts):
        return False
    if not 2 <= len(parts) <= 4:
        return False
    if not all(_NUMBER.match(p) or _LETTERS_PART.match(p) for p in parts):
        return False
    return any(_NUMBER.match(p) and len(p) >= 2 for p in parts)


def _slashed_numbers(text: str) -> list[str]:
    """Numbers of two digits or more standing next to a slash, left to right."""
    out = []
    for m in re.finditer(r"\d{2,}", text):
        before, after = text[: m.start()].rstrip(), text[m.end() :].lstrip()
        if before.endswith("/") or after.startswith("/"):
            out.append(m.group())
    return out


def combine(arabic: str, french: str) -> str | None:
    """The reference from the Arabic reading's structure and the French reading's numbers."""
    m = LABEL.match(arabic)
    value = (arabic[m.end() :] if m else arabic).strip().replace(" ", "")
    if looks_like_reference(value):
        return value
    # The French model reads the line left to right. Around an Arabic abbreviation the numbers
    # are displayed in reverse reading order; an all-digit reference is one left-to-right run.
    numbers = _slashed_numbers(french)
    letters = []
    for part in re.split(r"[/\s:]", value):
        part = _LABEL_PREFIX.sub("", re.sub(r"[0-9]", "", part))  # the label, even misread («عددة»)
        if part and "." in part and _LETTERS_PART.match(part):  # a dotted abbreviation (ق.ت)
            letters.append(part)
    if len(numbers) == 2 and len(letters) == 1:
        return f"{numbers[1]}/{letters[0]}/{numbers[0]}"
    if len(numbers) == 2 and not letters and not re.search("[\u0621-\u064a]", _LABEL_PREFIX.sub("", value.lstrip(":"))):
        return f"{numbers[0]}/{numbers[1]}"
    return None


def confirmed(raw: str, french: str, page: str = "", unlabelled: bool = False) -> str | None:
    """The reference of the line read whole (``raw``), when the French model read each of its
    numbers on the same line, or the page's own reading did. Read whole, the Arabic model keeps
    the runs in order and the abbreviation's letters apart («5314/ك.ع/2026» where word by word
    it read «4 ع /2026»); but it may also misread a digit, which another reading would not
    share. ``unlabelled``: also when the label itself was misread («عند 13113/ك.ع/2025»): its
    letters are then less sure, so this is for a page reading that is doubted anyway."""
    raw = _SLASH_AS_LETTER.sub("/", _SPACED_SLASH.sub("/", _DOT_SPACE.sub("", raw.strip(" -.|"))))
    m = LABEL.match(raw)
    if m:
        tokens = raw[m.end() :].split()
    else:
        tokens = [t for t in raw.split() if "/" in t][:1] if unlabelled else []
    value = tokens[0].strip(".,-") if tokens else ""
    if not looks_like_reference(value) or _SUSPECT.search(value):
        return None
    runs = set(re.findall(r"\d+", french)) | set(re.findall(r"\d+", page))
    return value if all(p in runs for p in value.split("/") if _NUMBER.match(p)) else None


def _well_formed(line: str) -> bool:
    m = LABEL.match(line)
    value = line[m.end() :].strip() if m else ""
    return looks_like_reference(value) and not _SUSPECT.search(value)


def keep_page_reference(text: str, rereads: list[Reread]) -> str:
    """``text`` with the page's own reading of its reference line back, where a doubtful line
    read again alone (``linereread``) turned a reference that looked right into one that does
    not: such a reading can be surer for having left out digits it could not read («عدد: 9920
    /م.ت.ع/ 2026» came back «عدد: 0 إم.ت.ع/ 2026»). The line is then read again here, knowing
    which digits to trust."""
    lines = text.split("\n")
    for r in rereads:
        if r.line < HEADER_LINES and _well_formed(r.before) and not _well_formed(r.after):
            lines[r.line] = r.before
    return "\n".join(lines)


def _abbreviation(value: str) -> str | None:
    parts = [p.strip() for p in value.split("/") if "." in p and _LETTERS_PART.match(p.strip())]
    return parts[0] if len(parts) == 1 else None


def _keep_page_abbreviation(value: str, page_value: str, page_looks_right: bool = False, whole: bool = False) -> str:
    """The line read alone may glue label remnants to the abbreviation («عدفإق.ح.م»); when the
    page's own reading has a clean abbreviation that ends it, keep the clean one. A page reading
    that looked right and was read again only for doubt keeps its abbreviation whatever it is:
    the doubt was over its numbers, and the line alone adds specks to letters («م.ت.ءع»).
    The line read whole (``whole``) is the exception: its letters, as many as the page's, were
    more often right where the two differed (docs/understanding.md), and are checked by shape."""
    mine, page = _abbreviation(value), _abbreviation(page_value)
    if whole and mine and page and _letter_count(mine) == _letter_count(page):
        return value
    if mine and page and mine != page and (page_looks_right or mine.endswith(page)):
        return value.replace(mine, page)
    return value


def _letter_count(abbreviation: str) -> int:
    return len(abbreviation.replace(".", ""))


def _letters_of_whole(page_value: str, whole: str) -> str | None:
    """A reference the page read surely, with the abbreviation of the line read whole, when the
    two differ only in its letters: a final «م» read «ه» or «و» on the page, a speck that made
    «د» a «ذ»."""
    page_value = _SPACED_SLASH.sub("/", page_value.strip())
    mine, page = _abbreviation(whole), _abbreviation(page_value)
    if not (mine and page and mine != page and _letter_count(mine) == _letter_count(page)):
        return None
    return whole if whole == page_value.replace(page, mine) else None


def _target_line(text_lines: list[str]) -> int | None:
    """The reference line: labelled, or (label misread) a short slashed line with digits."""
    for i, ln in enumerate(text_lines[:HEADER_LINES]):
        if LABEL.match(ln):
            return i
    for i, ln in enumerate(text_lines[:HEADER_LINES]):
        t = ln.strip()
        if "/" in t and re.search(r"\d", t) and len(t) <= 30 and not _DATE_LIKE.search(t):
            return i
    return None


def _doubtful(words: list[Word], text: str, index: int) -> bool:
    """Tesseract was unsure of a word with digits on the reference line."""
    line = line_words(words, text, index, among=HEADER_LINES + 5) or []
    return any(w.confidence < DOUBTFUL for w in line if re.search(r"\d", w.text))


def _as_whole(value: str, page_value: str) -> bool:
    """A second reading of a reference that already looked right replaces it only when it lost
    nothing: as many digits, and the abbreviation if the page read one («2026/8» read alone
    for a page's right «8828/ك.ع/2026»)."""
    digits = sum(c.isdigit() for c in value) >= sum(c.isdigit() for c in page_value)
    return digits and (_abbreviation(value) is not None or _abbreviation(page_value) is None)


def reread(grey: Image.Image, words: list[Word], text: str, dpi: int, timeout_s: float = 20) -> tuple[str, str | None]:
    """``text`` with its reference line replaced by a better reading, when one is found; and the
    abbreviation the line read whole confirmed, which the page's letter shapes are not to undo
    (they took a «د» with a speck for a «ز» that the page and the whole line both read «د»)."""
    text_lines = text.split("\n")
    target = _target_line(text_lines)
    if target is None:
        return text, None
    m = LABEL.match(text_lines[target])
    current = text_lines[target][m.end() :] if m else text_lines[target]
    looks_right = _well_formed(text_lines[target])
    crop = line_crop(grey, words, text, target, dpi, among=HEADER_LINES + 5)
    if crop is None:
        return text, None
    # Read whole, always: a reference that looked right may still have a letter wrong.
    french = read_line(crop, "fra", dpi, timeout_s)
    raw = read_line(crop, "ara", dpi, timeout_s, raw=True)
    whole = confirmed(raw, french, current)
    if looks_right and not _doubtful(words, text, target):
        value = _letters_of_whole(current, whole) if whole else None
        if value is None:
            page = _abbreviation(_SPACED_SLASH.sub("/", current.strip()))
            return text, (page if whole and page and _abbreviation(whole) == page else None)
    else:
        value = (
            whole
            or combine(read_line(crop, "ara", dpi, timeout_s), french)
            or confirmed(raw, french, current, unlabelled=True)
        )
        if value is None or _SUSPECT.search(value) or (looks_right and not _as_whole(value, current)):
            return text, None
        value = _keep_page_abbreviation(value, current, looks_right, whole=value == whole)
    letters = _abbreviation(value)
    if letters is not None:
        shaped = refletters.in_line(crop, letters)  # «ق.و» whose shape is «ق.م»
        value, letters = value.replace(letters, shaped), shaped
    label = m.group(1) if m else "عدد"
    text_lines[target] = f"{label}: {value}"
    return "\n".join(text_lines), (letters if whole else None)
