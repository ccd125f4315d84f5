"""Latin words inside Arabic lines, read again with the French model.

Arabic pages are read with ``ara`` alone (``ocr_params.languages_for_script``), which turns a
French name or a company's name in an Arabic sentence («السيد Karim Bennani») into digits and
punctuation, or Arabic letters mixed with digits, of low confidence. Each run of such words is
cut out and read as one line with ``fra``; the reading replaces the run when it is Latin and
Tesseract is clearly surer of it.
"""

from __future__ import annotations

import re

from PIL import Image

from ingest.linereread import Reread, read_words, text_lines_of
from ingest.tesseract import Word, mean_confidence

SURE = 70.0  # the Arabic model reads a letter's own digits and words surer than this
# The French model reads real Latin words at 84 to 96 (names, firms) and makes 72 to 73 of a
# misread number or a short Arabic word (dev corpus): it must be this sure, and surer than the
# junk it replaces by this margin.
FRENCH_SURE = 80.0
MARGIN = 10.0
MAX_READS = 8  # per page
# A Latin word read by the Arabic model as Arabic letters alone keeps at most two of them.
MAX_ARABIC_LETTERS = 2
BRIDGE_LETTERS = 3  # a word this short between two runs may be part of one name
# So may a longer one the Arabic model was this unsure of: «Équipement» in «Société Rif
# Équipement SARL» read as «أناعٌ» at 25, Arabic letters alone.
BRIDGE_DOUBT = 50.0
MIN_LATIN_LETTERS = 3
LATIN_SHARE = 0.6
_ARABIC = re.compile(r"[\u0600-\u06ff]")
_LATIN = re.compile(r"[A-Za-zÀ-ÿ]")
# An Arabic letter next to a digit, a Latin letter or a symbol: never so in an Arabic word.
_MIXED = re.compile(r"[\u0621-\u064a][0-9A-Za-z|©\[\]]|[0-9A-Za-z|©\[\]][\u0621-\u064a]")


def _foreign(w: Word) -> bool:
    """A word the Arabic model read without assurance as hardly any Arabic («|أع0055)») or as
    Arabic letters mixed with digits and symbols («دعلاوأصطاعع1»): a Latin word drawn into
    what the model knows, not one of the letter's own numbers or words."""
    if w.confidence >= SURE:
        return False
    return len(_ARABIC.findall(w.text)) <= MAX_ARABIC_LETTERS or bool(_MIXED.search(w.text))


def _latin_words(text: str) -> bool:
    """Whether a reading is Latin words (names, a firm's initials), not a number or a stray
    letter or two: what the French model makes of a misread number or a short Arabic word."""
    letters = _LATIN.findall(text)
    ink = [c for c in text if not c.isspace()]
    return len(letters) >= MIN_LATIN_LETTERS and len(letters) >= LATIN_SHARE * len(ink)


def _runs(words: list[Word]) -> list[tuple[int, int]]:
    """(first, end) of each run of consecutive foreign words in a line's words."""
    out: list[tuple[int, int]] = []
    i = 0
    while i < len(words):
        if _foreign(words[i]):
            j = i
            while j < len(words) and _foreign(words[j]):
                j += 1
            out.append((i, j))
            i = j
        else:
            i += 1
    return out


def _spans(words: list[Word]) -> list[list[tuple[int, int]]]:
    """The runs to read, each as its choices, widest first: two runs with one short word between
    them are first read as one span. «El» in «Youssef El Amrani» comes out as «اعا», three
    Arabic letters read with assurance; the French model tells whether it was Latin. A longer
    word between is bridged when the Arabic model was unsure of it (``BRIDGE_DOUBT``)."""
    out: list[list[tuple[int, int]]] = []
    for run in _runs(words):
        bridge = out and len(out[-1]) == 1 and run[0] - out[-1][0][1] == 1
        between = words[run[0] - 1]
        if bridge and (len(between.text) <= BRIDGE_LETTERS or between.confidence < BRIDGE_DOUBT):
            previous = out[-1][-1]
            out[-1] = [(previous[0], run[1]), previous, run]
        else:
            out.append([run])
    return out


def reread_latin(grey: Image.Image, words: list[Word], text: str, dpi: int, timeout_s: float = 10):
    """``text`` with the Latin words of its Arabic lines read with ``fra``, and what changed."""
    paired = text_lines_of(words, text)
    if paired is None:
        return text, []
    lines = text.split("\n")
    done: list[Reread] = []
    budget = MAX_READS

    def replaced(i: int, line_words: list[Word], tokens: list[str], first: int, end: int) -> bool:
        nonlocal budget
        if budget <= 0:
            return False
        budget -= 1
        run = line_words[first:end]
        reading = read_words(grey, run, "fra", dpi, dpi // 20, timeout_s)
        before = mean_confidence(run)
        if not (_latin_words(reading.text) and reading.confidence >= max(FRENCH_SURE, before + MARGIN)):
            return False
        after = round(reading.confidence, 1)
        done.append(Reread(i, " ".join(tokens[first:end]), reading.text, round(before, 1), after))
        tokens[first:end] = [reading.text]
        return True

    for i, line_words in paired:
        tokens = lines[i].split()
        before = len(done)
        for choices in reversed(_spans(line_words)):  # from the end: earlier indexes stay valid
            whole, *parts = choices
            if not parts:
                replaced(i, line_words, tokens, *whole)
            elif not replaced(i, line_words, tokens, *whole):  # two runs and a word: one name?
                for part in reversed(parts):
                    replaced(i, line_words, tokens, *part)
        if len(done) > before:
            lines[i] = " ".join(tokens)
    return "\n".join(lines), done
