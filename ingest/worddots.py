"""The dots of one Arabic word on the page: where they lie, and which of them come in pairs.

Many Arabic letters differ only by their dots, and on a blurred copy two dots side by side run
into one wide mark that Tesseract reads as one dot. The page still shows which it was: a mark
about as wide as it is tall is one dot, one much wider is two (``finalya``, ``dottwins``).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import ndimage

from ingest.easterndigits import binarise
from ingest.tesseract import Word

PAD = 5  # pixels left and right of the word's box
# All as shares of the word's box height.
DOT_SIZES = (0.05, 0.3)  # a dot's size: smaller is a speck, larger a letter
OFF_BASELINE = 0.05  # a dot's centre lies this far above or below the baseline
SAME_ROW = 0.15  # two dots of a pair: their heights differ by less than this
PAIR_GAP = 0.45  # and their centres stand closer than this
MERGED = 1.4  # one mark this many times wider than tall is two dots blurred together


@dataclass(frozen=True)
class Dot:
    x: float  # centre, in pixels from the word's left end (its last letter's side)
    y: float  # centre, in pixels below the word box's top
    height: int
    width: int

    @property
    def merged(self) -> bool:
        return self.width >= MERGED * self.height


@dataclass(frozen=True)
class WordDots:
    height: int  # the word's box height
    above: list[Dot]  # over the baseline
    below: list[Dot]  # under it


def word_dots(page: np.ndarray, w: Word) -> WordDots | None:
    """The dots around word ``w`` (page coordinates), by its densest row, the Arabic baseline;
    None for a box too small to tell."""
    left, top, width, height = w.box
    if height < 8:
        return None
    x0, y0 = max(0, left - PAD), max(0, top - height // 2)
    crop = page[y0 : top + height + height // 2, x0 : left + width + PAD]
    if crop.size == 0:
        return None
    ink = binarise(crop)
    top_in, left_in = top - y0, left - x0
    rows = ink[top_in : top_in + height].sum(axis=1)
    if rows.size == 0 or not rows.any():
        return None
    baseline = top_in + int(np.argmax(rows))
    labelled, _ = ndimage.label(ink, structure=np.ones((3, 3)))
    above, below = [], []
    for sl in ndimage.find_objects(labelled):
        h, wd = sl[0].stop - sl[0].start, sl[1].stop - sl[1].start
        if not DOT_SIZES[0] * height <= max(h, wd) <= DOT_SIZES[1] * height:
            continue
        cy, cx = (sl[0].start + sl[0].stop) / 2, (sl[1].start + sl[1].stop) / 2
        dot = Dot(cx - left_in, cy - top_in, h, wd)
        if cy < baseline - OFF_BASELINE * height:
            above.append(dot)
        elif cy > baseline + OFF_BASELINE * height:
            below.append(dot)
    return WordDots(height, above, below)


def pairs(dots: list[Dot], height: int) -> int:
    """How many pairs of dots: marks of two blurred into one, and two dots side by side."""
    found = sum(d.merged for d in dots)
    single = sorted((d for d in dots if not d.merged), key=lambda d: d.x)
    used: set[int] = set()
    for i, a in enumerate(single):
        if i in used:
            continue
        for j in range(i + 1, len(single)):
            b = single[j]
            if j not in used and abs(a.y - b.y) < SAME_ROW * height and abs(a.x - b.x) < PAIR_GAP * height:
                used.update((i, j))
                found += 1
                break
    return found
