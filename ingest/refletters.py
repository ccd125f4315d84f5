"""The letters of a reference's abbreviation («ق.م» in «8444/ق.م/2026»), told by their shapes.

Each letter of such an abbreviation stands alone in its isolated form, between a dot and a
slash: out of any word, Tesseract's ``ara`` model has nothing to read it by and reads a final
«م» as «ه», «و» or «ح» (five of the 120 Arabic references of two rendered corpora), and the
letter is registered wrong. Alone, its shape is compared with the isolated letters of this
machine's Arabic fonts (``digitglyphs``), as the digits are. The abbreviation is rewritten only
when every letter between the two slashes is read close to a drawn shape and the dots stand where
Tesseract put them.
"""

from __future__ import annotations

import functools
import itertools
import re

import numpy as np
from PIL import Image

from ingest.digitglyphs import EASTERN, OTHER, SLASH, WESTERN, GlyphModel, drawn_model
from ingest.dotfix import skeleton
from ingest.easterndigits import binarise, glyphs
from ingest.tesseract import Word

LETTERS = "ابتثجحخدذرزسشصضطظعغفقكلمنهوي"
STOP = "."
DIGIT = "#"
PAD = 4  # pixels around the word's box
NEAR = 4.0  # a letter farther than this from every drawn shape is not sure enough to rewrite by
SPECK = 0.06  # a component smaller than this share of the word's height is dirt, not a stop
# Letters joined by dots («ق.م», «م.ت.ع»), between two slashes in a reference.
_DOTTED = re.compile(r"[\u0621-\u064a](?:\.[\u0621-\u064a])+")
_ABBREVIATION = re.compile(rf"(?<=/){_DOTTED.pattern}(?=/)")


def _label(ch: str) -> str:
    if ch == "٠":
        return STOP  # an Eastern zero and a stop share a shape
    return DIGIT if ch in EASTERN or ch in WESTERN else ch


@functools.lru_cache(maxsize=1)
def letter_model() -> GlyphModel:
    """The shapes, drawn once per machine (``drawn_model``), read once per process."""
    return drawn_model(LETTERS + SLASH + STOP + WESTERN + EASTERN, _label)


def by_shape(ink: np.ndarray, model: GlyphModel) -> list[list[tuple[str, float]]]:
    """The dotted abbreviations between two slashes of a word's cut-out, in reading order: each
    glyph's label and its distance from the drawn shape."""
    speck = SPECK * max(ink.shape[0] - 2 * PAD, 1)
    found = [g for g in glyphs(ink, model, spans=[]) if max(g.right - g.left, g.bottom - g.top) >= speck]
    # A stop is a few pixels: always far from its drawn shape, and its place is what matters. A
    # letter far from its shape keeps its label (``_mended`` weighs the distance); a slash or
    # digit far from theirs is no slash or digit.
    readings = [
        (label, 0.0) if label == STOP else (label if label in LETTERS or distance <= NEAR else OTHER, distance)
        for label, distance, _ in model.read([ink[g.top : g.bottom, g.left : g.right] for g in found])
    ]
    slashes = [i for i, (label, _) in enumerate(readings) if label == SLASH]
    # Glyphs run left to right; the abbreviation's letters are read right to left.
    between = (readings[a + 1 : b][::-1] for a, b in itertools.pairwise(slashes))
    return [b for b in between if _DOTTED.fullmatch("".join(label for label, _ in b))]


def read(grey: Image.Image, words: list[Word]) -> dict[str, str]:
    """What the page's abbreviations were read as, and what their shapes say they are, where the
    two differ."""
    doubtful = [(w, m) for w in words if (m := _ABBREVIATION.search(w.text))]
    if not doubtful:
        return {}
    page = np.asarray(grey.convert("L"))
    model = letter_model()
    found: dict[str, str] = {}
    for w, m in doubtful:
        shaped = by_shape(_cut(page, w), model)
        if len(shaped) == 1 and len(shaped[0]) == len(m.group()):
            mended = _mended(shaped[0], m.group())
            if mended is not None and mended != m.group():
                found[m.group()] = mended
    return found


def in_line(crop: Image.Image, read_as: str) -> str:
    """``read_as``, an abbreviation read off a reference line cut out alone, with the letters
    its shapes there contradict taken from the shapes (``_mended``); as read when the line
    does not show one abbreviation of as many glyphs, or a contradicting shape is not close."""
    shaped = by_shape(binarise(np.asarray(crop.convert("L"))), letter_model())
    if len(shaped) != 1 or len(shaped[0]) != len(read_as):
        return read_as
    return _mended(shaped[0], read_as) or read_as


def _mended(shaped: list[tuple[str, float]], read_as: str) -> str | None:
    """Tesseract tells dots apart better than a glyph drawn 20 pixels square does (a speck over
    «ع» made it «غ»): only a letter of another shape is taken from the shapes, and only when
    read close to one; None when a letter of another shape is not. Where the two agree but
    for dots, how far the glyph is from its shape does not matter (a blurred «ت» is far from
    every drawn one, and still no «م»)."""
    out = []
    for (label, distance), t in zip(shaped, read_as, strict=True):
        if skeleton(label) == skeleton(t):
            out.append(t)
        elif distance <= NEAR:
            out.append(label)
        else:
            return None
    return "".join(out)


def rewrite(text: str, found: dict[str, str]) -> str:
    """``text`` with the abbreviations ``read`` found rewritten. The page's text, not its words:
    the reference line is often read again (``refline``), and misread the same way."""
    for misread, shaped in found.items():
        text = text.replace(f"/{misread}/", f"/{shaped}/")
    return text


def _cut(page: np.ndarray, w: Word) -> np.ndarray:
    left, top, width, height = w.box
    crop = page[max(0, top - PAD) : top + height + PAD, max(0, left - PAD) : left + width + PAD]
    return binarise(crop) if crop.size else np.zeros((1, 1), dtype=bool)
