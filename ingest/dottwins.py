"""A listed «ف» word that the page shows with «ق»'s two dots, told from its twin by those dots.

«واقي» and «وافي» are two real words whose letters differ only in one letter's dots above, one
against two. On a blurred copy, and in fonts that set the two dots of «ق» close (Amiri, KACST
Office), the dots run into one wide mark and Tesseract reads «ف»: «سور واقي» became «سور وافي»
twelve times on ten copies of the rendered corpora. The word list cannot tell two listed words apart
(``dotfix`` leaves them), but the page can: a word with a merged mark above, and one pair of
dots more than its reading has letters with two dots above, is its twin. Only that direction
is mended: blur merges two dots, it does not split one.
"""

from __future__ import annotations

import re
from dataclasses import replace

import numpy as np
from PIL import Image

from ingest.dotfix import Lexicon
from ingest.linereread import text_lines_of, with_words_replaced
from ingest.tesseract import Word
from ingest.worddots import pairs, word_dots

# A letter with one dot above, and the letter of the same shape with two. Not «ن» for «ت»: the
# dot of «ن» stands close to its neighbours' («ونصف», «نرجو»): on six corpora, all five words
# so changed had been read right.
TWO_DOTS_FOR = {"ف": "ق"}
# Letters whose dots above show as a pair: two side by side, or three of which two are.
_PAIRED_ABOVE = set("تقةثش")
_CORE = re.compile(r"([^\u0621-\u064a]*)([\u0621-\u064a]{3,})([^\u0621-\u064a]*)")


def pairs_above(word: str) -> int:
    return sum(c in _PAIRED_ABOVE for c in word)


def twin(word: str, lexicon: Lexicon) -> str | None:
    """The one listed word that is ``word`` with one «ف» made «ق», not at its end (where the
    two differ in shape); None when there is none or more than one."""
    found = {
        word[:i] + TWO_DOTS_FOR[c] + word[i + 1 :]
        for i, c in enumerate(word[:-1])
        if c in TWO_DOTS_FOR and word[:i] + TWO_DOTS_FOR[c] + word[i + 1 :] in lexicon
    }
    return found.pop() if len(found) == 1 else None


def restore(grey: Image.Image, words: list[Word], text: str, lexicon: Lexicon) -> tuple[list[Word], str]:
    """``words`` and ``text`` with listed words whose page shows their twin's second dot read
    as the twin, in the lines whose text is the words'."""
    paired = text_lines_of(words, text) if lexicon else None
    if not paired:
        return words, text
    page: np.ndarray | None = None
    fixed: dict[int, Word] = {}
    for _, line_words in paired:
        for w in line_words:
            m = _CORE.fullmatch(w.text)
            if not m or m.group(2) not in lexicon or not (other := twin(m.group(2), lexicon)):
                continue
            if page is None:
                page = np.asarray(grey.convert("L"))
            dots = word_dots(page, w)
            # The second dot must be seen merged: two dots apart are read right by Tesseract,
            # and the single dots of two letters side by side («أنني», «النخيل») look like a pair.
            if (
                dots is not None
                and any(d.merged for d in dots.above)
                and pairs(dots.above, dots.height) == pairs_above(other)
            ):
                fixed[id(w)] = replace(w, text=m.group(1) + other + m.group(3))
    return with_words_replaced(words, text, paired, fixed)
