"""Character folding: the spelling differences that must not hide a letter from a search.

The same steps are configured on the OpenSearch side (``search/backends/opensearch_schema.py``);
``tests/search/golden`` holds the word list both must agree on.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# Tashkeel, Quranic marks, superscript alef and tatweel: never part of the word's identity.
ARABIC_MARKS = "\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640"
_MARKS_RE = re.compile(f"[{ARABIC_MARKS}]")

WESTERN_DIGITS = "0123456789"
EASTERN_DIGITS = "٠١٢٣٤٥٦٧٨٩"
PERSIAN_DIGITS = "۰۱۲۳۴۵۶۷۸۹"
DIGITS = str.maketrans(EASTERN_DIGITS + PERSIAN_DIGITS, WESTERN_DIGITS * 2)

# Alef forms, alef maqsura, teh marbuta, hamza seats and the Persian letters Moroccan keyboards
# and OCR produce. Applied after stop words (Lucene's order) so «على» is not turned into «علي».
# Moroccan writers spell /g/, /v/ and /p/ with letters of their own (ڭ or ݣ or گ, ڤ, پ) as
# often as with the plain ones («أڭادير» and «أكادير», «ڤيلا» and «فيلا»); Tesseract's `ara`
# has none of these letters, so the scan of «ڭسوس» reads «كُسوس»; a clerk's keyboard may lack them.
_ARABIC_LETTERS = str.maketrans(
    {
        "أ": "ا",
        "إ": "ا",
        "آ": "ا",
        "ٱ": "ا",
        "ى": "ي",
        "ة": "ه",
        "ؤ": "و",
        "ئ": "ي",
        "ی": "ي",
        "ي": "ي",
        "ک": "ك",
        "ڭ": "ك",
        "ݣ": "ك",
        "گ": "ك",
        "ڤ": "ف",
        "پ": "ب",
        "ە": "ه",
        "ۀ": "ه",
        "ہ": "ه",
    }
)
_LATIN_LIGATURES = str.maketrans({"œ": "oe", "æ": "ae", "ß": "ss", "ø": "o", "đ": "d", "ł": "l"})
_PRESENTATION_FORMS = re.compile("[\ufb50-\ufdff\ufe70-\ufeff]")
_ARABIC_LETTER = re.compile("[\u0620-\u064a\u066e-\u06d3\u06fa-\u06ff]")
_LATIN_LETTER = re.compile("[A-Za-z\u00c0-\u024f]")


def strip_marks(text: str) -> str:
    return _MARKS_RE.sub("", text)


def prepare(token: str) -> str:
    """What every chain does first: compatibility forms, marks, case and digit script."""
    if _PRESENTATION_FORMS.search(token):
        token = unicodedata.normalize("NFKC", token)
    return strip_marks(token).lower().translate(DIGITS)


def fold_arabic(token: str) -> str:
    return token.translate(_ARABIC_LETTERS)


def fold_latin(token: str) -> str:
    """ASCII folding: OCR and hurried typing lose accents."""
    if token.isascii():
        return token
    decomposed = unicodedata.normalize("NFD", token.translate(_LATIN_LIGATURES))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def fold(token: str) -> str:
    """Full folding without stemming: the form kept for exact, phrase and prefix matches."""
    return fold_latin(fold_arabic(prepare(token)))


def script(token: str) -> str:
    """'ar', 'latin' or 'other' (digits, symbols), from the first letter found."""
    if _ARABIC_LETTER.search(token):
        return "ar"
    if _LATIN_LETTER.search(token):
        return "latin"
    return "other"


@lru_cache(maxsize=1)
def _text_table() -> dict[int, str | None]:
    table: dict[int, str | None] = {ord(c): None for c in _marks_chars()}
    table.update({k: v for k, v in DIGITS.items()})
    table.update({k: v for k, v in _ARABIC_LETTERS.items()})
    for code in range(0xC0, 0x250):
        ch = chr(code)
        base = "".join(
            c for c in unicodedata.normalize("NFD", ch.translate(_LATIN_LIGATURES)) if not unicodedata.combining(c)
        )
        if base != ch:
            table[code] = base
    return table


def _marks_chars() -> list[str]:
    return [chr(c) for c in range(0x0610, 0x0700) if _MARKS_RE.match(chr(c))]


def fold_text(text: str) -> str:
    """Fast approximate folding of a whole line (no tokenising): for cheap substring tests."""
    return text.lower().translate(_text_table())
