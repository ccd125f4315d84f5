"""Arabic commas «،» on scanned pages, told by their shape.

Tesseract's ``ara`` model reads the Arabic comma as a full stop, a hamza or a guillemet, or
drops it: on clean Arabic scans this was a quarter of all the characters read wrong. The comma
follows its word as a glyph apart, at the word's left end (right to left), and its shape tells it
from what it is read as: a turned comma is about twice as tall as it is wide, a full stop and a
hamza are about as wide as tall, and a guillemet is drawn differently. Each Arabic word's last
glyph is compared with the shapes of «،» and of the letters and marks that may end a word, drawn
from this machine's Arabic fonts (``digitglyphs``); where it is a comma, the word's ending is
rewritten. Lines read again since (their text no longer the words') are left as they are.
"""

from __future__ import annotations

import functools
import re
from dataclasses import replace

import numpy as np
from PIL import Image
from scipy import ndimage

from ingest.digitglyphs import OTHER, GlyphModel, drawn_model
from ingest.easterndigits import binarise
from ingest.linereread import text_lines_of, with_words_replaced
from ingest.tesseract import Word
from lang.folding import script

COMMA, HAMZA = "،", "ء"
# What else may end an Arabic word: the letters that do not join the next (so stand apart as a
# comma does), final forms, digits and punctuation.
_OTHERS = "ابتجحدذرزسشصضطظعغفقكلمنهويةىأإآؤئ:؛()«»-!؟/,0123456789٠١٢٣٤٥٦٧٨٩"
MIN_TALL = 1.4  # a comma's height over its width; full stops measured 1.0–1.3, commas 1.4–2.6
SPECK = 0.12  # a component smaller than this share of the word's tallest is dirt
PAD = 3  # pixels around the word's box
# What Tesseract reads in a comma's place, at the end of the word: stripped before «،» is written.
_MISREAD = re.compile(r"[.,»«:؛،ء]+$")
_NUMBER = re.compile(r"^[0-9\u0660-\u0669/.,»«:؛،ء-]+$")


def _label(ch: str) -> str:
    return ch if ch in (COMMA, HAMZA, ".") else OTHER


@functools.lru_cache(maxsize=1)
def comma_model() -> GlyphModel:
    """The shapes, drawn once per machine (``drawn_model``), read once per process."""
    return drawn_model(COMMA + HAMZA + "." + _OTHERS, _label, worn=COMMA + HAMZA + ".")


def end_glyphs(ink: np.ndarray, count: int = 2) -> list[np.ndarray]:
    """The word's last glyphs (leftmost first), each a component that stands apart from all the
    ink to its right; fewer when the word's end is joined or overlapped."""
    labelled, _ = ndimage.label(ink, structure=np.ones((3, 3)))
    boxes = [
        (s[1].start, s[0].start, s[1].stop, s[0].stop, k + 1) for k, s in enumerate(ndimage.find_objects(labelled))
    ]
    tallest = max((b[3] - b[1] for b in boxes), default=0)
    boxes = sorted(b for b in boxes if max(b[3] - b[1], b[2] - b[0]) >= SPECK * tallest)
    out: list[np.ndarray] = []
    for i, (left, top, right, bottom, k) in enumerate(boxes[:count]):
        if i + 1 >= len(boxes) or any(b[0] < right for b in boxes[i + 1 :]):
            break
        out.append(labelled[top:bottom, left:right] == k)
    return out


def _end_of(page: np.ndarray, word: Word) -> list[np.ndarray]:
    left, top, width, height = word.box
    crop = page[max(0, top - PAD) : top + height + PAD, max(0, left - PAD) : left + width + PAD]
    return end_glyphs(binarise(crop)) if crop.size else []


def commas_after(page: np.ndarray, words: list[Word], model: GlyphModel) -> dict[int, bool]:
    """For each of ``words`` (by index) whose last glyph is a comma: whether a hamza precedes it."""
    ends = {i: g for i, w in enumerate(words) if (g := _end_of(page, w))}
    # Only glyphs tall and narrow enough are compared: one product for the page, not one a word.
    tall = [i for i, g in ends.items() if g[0].shape[0] >= MIN_TALL * g[0].shape[1]]
    found = [i for i, r in zip(tall, model.read([ends[i][0] for i in tall]), strict=True) if r[0] == COMMA]
    before = [i for i in found if len(ends[i]) > 1]
    hamzas = {i for i, r in zip(before, model.read([ends[i][1] for i in before]), strict=True) if r[0] == HAMZA}
    return {i: i in hamzas for i in found}


def with_comma(text: str, hamza: bool) -> str:
    """The word's text ending in «،» instead of what was read for it."""
    core = _MISREAD.sub("", text)
    return core + (HAMZA if hamza else "") + COMMA


def _arabic_line(words: list[Word]) -> bool:
    return any(script(w.text) == "ar" for w in words)


def restore(grey: Image.Image, words: list[Word], text: str) -> tuple[list[Word], str]:
    """``words`` and ``text`` with the commas read back, in the lines whose text is the words'."""
    paired = text_lines_of(words, text)
    if not paired:
        return words, text
    # A Latin word's comma is at its right: only Arabic words, and numbers on Arabic lines.
    # A word read with its comma keeps its letters as read.
    checked = [
        (i, w)
        for i, line_words in paired
        if _arabic_line(line_words)
        for w in line_words
        if (script(w.text) == "ar" or _NUMBER.match(w.text)) and not w.text.endswith(COMMA)
    ]
    found = commas_after(np.asarray(grey.convert("L")), [w for _, w in checked], comma_model())
    if not found:
        return words, text
    fixed = {
        id(checked[k][1]): replace(checked[k][1], text=with_comma(checked[k][1].text, h)) for k, h in found.items()
    }
    return with_words_replaced(words, text, paired, fixed)
