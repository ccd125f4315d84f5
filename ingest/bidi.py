"""Arabic/Latin text helpers: script detection, visual→logical repair, mark stripping."""

from __future__ import annotations

import re
import unicodedata

ARABIC_RANGES = ((0x0600, 0x06FF), (0x0750, 0x077F), (0xFB50, 0xFDFF), (0xFE70, 0xFEFF))
LRM_RLM = dict.fromkeys(map(ord, "\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"))
_PRESENTATION = re.compile("[\ufb00-\ufb06\ufb50-\ufdff\ufe70-\ufeff]+")


def is_arabic(ch: str) -> bool:
    o = ord(ch)
    return any(lo <= o <= hi for lo, hi in ARABIC_RANGES)


def is_strong_rtl(ch: str) -> bool:
    return unicodedata.bidirectional(ch) in {"R", "AL"}


def is_ltr_run_char(ch: str) -> bool:
    """Characters laid out left to right inside an RTL line: Latin letters and digits."""
    return unicodedata.bidirectional(ch) in {"L", "EN", "AN"}


def strip_direction_marks(text: str) -> str:
    """Tesseract wraps Latin runs in LRM/RLM when mixing ara+fra; they break search."""
    return text.translate(LRM_RLM)


def fold_presentation_forms(text: str) -> str:
    """Map Arabic presentation forms (U+FB50–U+FEFF) and Latin ligatures to plain letters."""
    return _PRESENTATION.sub(lambda m: unicodedata.normalize("NFKC", m.group()), text)


def arabic_share(text: str) -> float:
    """Share of letters that are Arabic (0.0 when the text has no letters)."""
    letters = [c for c in text if c.isalpha()]
    if not letters:
        return 0.0
    return sum(1 for c in letters if is_arabic(c)) / len(letters)


def looks_reversed(text: str) -> bool:
    """True when Arabic words read backwards (a visual-order text layer).

    In logical order the article «ال» starts words and «ة»/«ى» end them; reversed text
    shows the mirror image. The test needs a handful of words to say anything.
    """
    words = re.findall(r"[\u0621-\u064a]{3,}", text)
    forward = sum(w.startswith("ال") for w in words) + sum(w[-1] in "ةى" for w in words)
    backward = sum(w.endswith("لا") for w in words) + sum(w[0] in "ةى" for w in words)
    return backward >= 5 and backward > 2 * forward


_MIRROR = str.maketrans("()[]{}<>«»‹›", ")(][}{><»«›‹")


def reverse_ltr_runs(chars: list[str]) -> list[str]:
    """Turn an RTL line read right to left into logical order.

    Latin/digit runs are put back in reading order and mirrored punctuation is unmirrored.

    A run starts and ends on a left-to-right character and may hold neutrals (spaces,
    «/», «.», «-») between them, as in «N° 55/DAJ/25» or «2024/1578».
    """
    out: list[str] = []
    i, n = 0, len(chars)
    while i < n:
        if not is_ltr_run_char(chars[i]) and not _starts_latin_symbol(chars, i):
            # Read right to left, a bracket or quote was drawn mirrored: «…» shows as »…«.
            out.append(chars[i].translate(_MIRROR))
            i += 1
            continue
        j = i
        last_ltr = i
        while j < n:
            c = chars[j]
            if is_ltr_run_char(c) or _starts_latin_symbol(chars, j):
                last_ltr = j
            elif is_strong_rtl(c):
                break
            j += 1
        out.extend(reversed(chars[i : last_ltr + 1]))
        i = last_ltr + 1
    return out


def _starts_latin_symbol(chars: list[str], i: int) -> bool:
    # «°» in «N°» is neutral, yet belongs to the Latin run it sits in.
    return chars[i] == "°" and i + 1 < len(chars) and is_ltr_run_char(chars[i + 1])
