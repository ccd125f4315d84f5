"""A word's final «ي» that Tesseract read as the dotless «ى», told by its dots.

Tesseract's ``ara`` model often ends a word with «ى» where the page shows «ي» with its two
dots: «بنعلي» read «بنعلى», «الجيلالي» «الجيلالى», «في» «فى», and a writer's name is then
registered misspelt. The dots are on the page: below the baseline, under the word's last letter
(its left end), two side by side or blurred into one wide mark. Where they are, the ending is
rewritten; «على», «إلى» and «مستشفى» keep theirs. On the 330 words the dev and the rendered
corpora read with a final «ى» (bench figures in ``docs/architecture.md``), it found 23 of the 29
dotted endings and changed none of the 301 dotless ones. Lines read again since (their text no
longer the words') are left as they are, as ``commas`` leaves them.
"""

from __future__ import annotations

import re
from dataclasses import replace

import numpy as np
from PIL import Image

from ingest.linereread import text_lines_of, with_words_replaced
from ingest.tesseract import Word
from ingest.worddots import pairs, word_dots

DOTLESS, DOTTED = "ى", "ي"
# As shares of the word's box height (the dots themselves: worddots).
LAST_LETTER = 0.6  # how far from the word's left end its last letter's dots lie
BELOW_BOX = 0.2  # Tesseract's box may stop above the dots
_ARABIC_LETTER = re.compile("[\u0621-\u064a]")
_ENDING = re.compile(f"{DOTLESS}(?=[^\u0621-\u064a]*$)")  # the last letter, before any marks


def restore(grey: Image.Image, words: list[Word], text: str) -> tuple[list[Word], str]:
    """``words`` and ``text`` with the dotted final «ي» read back, in the lines whose text is the words'."""
    paired = text_lines_of(words, text)
    if not paired:
        return words, text
    page = np.asarray(grey.convert("L"))
    fixed = {
        id(w): replace(w, text=_ENDING.sub(DOTTED, w.text))
        for _, line_words in paired
        for w in line_words
        if _ENDING.search(w.text) and len(_ARABIC_LETTER.findall(w.text)) >= 2 and dotted_ending(page, w)
    }
    return with_words_replaced(words, text, paired, fixed)


def dotted_ending(page: np.ndarray, w: Word) -> bool:
    """Whether two dots lie under the left end of word ``w`` (page coordinates)."""
    found = word_dots(page, w)
    if found is None:
        return False
    height = found.height
    last = [d for d in found.below if d.y < (1 + BELOW_BOX) * height and d.x < LAST_LETTER * height]
    return pairs(last, height) > 0
