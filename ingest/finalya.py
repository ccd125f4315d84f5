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
from scipy import ndimage

from ingest.easterndigits import binarise
from ingest.linereread import text_lines_of, with_words_replaced
from ingest.tesseract import Word

DOTLESS, DOTTED = "ى", "ي"
PAD = 5  # pixels left and right of the word's box
# All as shares of the word's box height.
LAST_LETTER = 0.6  # how far from the word's left end its last letter's dots lie
DOT_SIZES = (0.05, 0.3)  # a dot's size: smaller is a speck, larger a letter
BELOW_BOX = 0.2  # Tesseract's box may stop above the dots
SAME_ROW = 0.15  # the two dots' heights differ by less than this
PAIR_GAP = 0.45  # and their centres stand closer than this
MERGED = 1.4  # one mark this many times wider than tall is the two dots blurred together
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
    left, top, width, height = w.box
    if height < 8:
        return False
    x0, y0 = max(0, left - PAD), max(0, top - height // 2)
    crop = page[y0 : top + height + height // 2, x0 : left + width + PAD]
    if crop.size == 0:
        return False
    ink = binarise(crop)
    top_in, left_in = top - y0, left - x0
    rows = ink[top_in : top_in + height].sum(axis=1)
    if rows.size == 0 or not rows.any():
        return False
    baseline = top_in + int(np.argmax(rows))  # an Arabic word's densest row
    labelled, _ = ndimage.label(ink, structure=np.ones((3, 3)))
    dots = []
    for sl in ndimage.find_objects(labelled):
        h, wd = sl[0].stop - sl[0].start, sl[1].stop - sl[1].start
        if not DOT_SIZES[0] * height <= max(h, wd) <= DOT_SIZES[1] * height:
            continue
        cy, cx = (sl[0].start + sl[0].stop) / 2, (sl[1].start + sl[1].stop) / 2
        below = baseline + 0.05 * height < cy < top_in + (1 + BELOW_BOX) * height
        if below and cx < left_in + LAST_LETTER * height:
            dots.append((cx, cy, h, wd))
    if any(wd >= MERGED * h for _, _, h, wd in dots):
        return True
    return any(
        abs(a[1] - b[1]) < SAME_ROW * height and 0 < abs(a[0] - b[0]) < PAIR_GAP * height
        for k, a in enumerate(dots)
        for b in dots[k + 1 :]
    )
