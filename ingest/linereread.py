"""A second reading of a page's doubtful lines, kept only when Tesseract is surer of it.

On a poor copy a few lines come back with low word confidences: small or blurred text,
a stain. Each such line is cut out and read alone, enlarged, as one text line; the reading
with the higher mean confidence is kept. The page's other lines are left as they were.
"""

from __future__ import annotations

from dataclasses import dataclass

from PIL import Image
from rapidfuzz import fuzz

from ingest.ocr_params import KEEP_ALL_LINES
from ingest.tesseract import LineReading, Word, bounding_box, engine, mean_confidence

LOW_CONFIDENCE = 70.0  # a line's mean word confidence below which it is read again
# On a Latin-script page, a line with a word read less surely than this is read again too: one
# misread name («Wañfaa» at 49 for «Wafaa») hides in a line's mean. Not on Arabic pages, where
# a comma is often read at under 10, and reading such lines again lost as much as it gained
# (CER on six rendered corpora).
WEAK_WORD = 50.0
MARGIN = 5.0  # how much surer the second reading must be
MAX_LINES = 8  # per page: a page that is doubtful everywhere is not read twice over
ENLARGE = 1.5


@dataclass(frozen=True)
class Reread:
    """A part of a line read again: the whole line, or its Latin words (``latinwords``)."""

    line: int  # index among the page's text lines
    before: str
    after: str
    confidence_before: float
    confidence_after: float


def _box_lines(words: list[Word]) -> list[list[Word]]:
    lines: dict[tuple[int, int, int], list[Word]] = {}
    for w in words:
        lines.setdefault(w.line, []).append(w)
    return list(lines.values())


def _by_place(words: list[Word], text: str) -> list[tuple[int, str, list[Word]]] | None:
    """Each non-empty text line (index, text) with the line of word boxes in the same place;
    None when text and boxes do not have as many lines."""
    box_lines = _box_lines(words)
    text_lines = [(i, ln) for i, ln in enumerate(text.split("\n")) if ln.strip()]
    if len(text_lines) != len(box_lines):
        return None
    return [(i, ln, ws) for (i, ln), ws in zip(text_lines, box_lines, strict=True)]


def text_lines_of(words: list[Word], text: str) -> list[tuple[int, list[Word]]] | None:
    """Pairs (index of the text line, its words) for the lines whose text is still the words'
    (a line read again since is left out); None when text and words do not line up at all."""
    placed = _by_place(words, text)
    if placed is None:
        return None
    return [(i, ws) for i, ln, ws in placed if ln.split() == [w.text for w in ws]]


def with_words_replaced(
    words: list[Word], text: str, paired: list[tuple[int, list[Word]]], fixed: dict[int, Word]
) -> tuple[list[Word], str]:
    """``words`` and ``text`` with some words rewritten (``fixed``: by ``id`` of the word read),
    in the lines ``text_lines_of`` paired with their words."""
    lines = text.split("\n")
    for i, line_words in paired:
        if any(id(w) in fixed for w in line_words):
            lines[i] = " ".join(fixed.get(id(w), w).text for w in line_words)
    return [fixed.get(id(w), w) for w in words], "\n".join(lines)


def reread_doubtful(grey: Image.Image, words: list[Word], text: str, langs: str, dpi: int, timeout_s: float = 10):
    """``text`` with its doubtful lines replaced by surer readings, and what was replaced."""
    paired = text_lines_of(words, text)
    if paired is None:
        return text, []
    scored = [(mean_confidence(ws), i, ws) for i, ws in paired if len(ws) >= 2]
    weakest = WEAK_WORD if "ara" not in langs else 0.0
    weak = [t for t in scored if t[0] < LOW_CONFIDENCE or min(w.confidence for w in t[2]) < weakest]
    doubtful = sorted(weak, key=lambda t: t[0])[:MAX_LINES]
    lines = text.split("\n")
    done = []
    for conf, i, ws in doubtful:
        reading = read_words(grey, ws, langs, dpi, dpi // 10, timeout_s)
        if reading.text and reading.confidence >= conf + MARGIN:
            done.append(Reread(i, lines[i], reading.text, round(conf, 1), round(reading.confidence, 1)))
            lines[i] = reading.text
    return "\n".join(lines), done


def read_words(grey: Image.Image, words: list[Word], lang: str, dpi: int, pad_x: int, timeout_s: float) -> LineReading:
    """Cut ``words`` out of the page, enlarged, and read them as one line."""
    left, top, right, bottom = bounding_box(words)
    pad_y = max(4, (bottom - top) // 3)
    crop = grey.crop((max(0, left - pad_x), max(0, top - pad_y), right + pad_x, bottom + pad_y))
    crop = crop.resize((int(crop.width * ENLARGE), int(crop.height * ENLARGE)), Image.LANCZOS)
    return engine().line(crop, lang, int(dpi * ENLARGE), KEEP_ALL_LINES, timeout_s)


def read_line(crop: Image.Image, lang: str, dpi: int, timeout_s: float, raw: bool = False) -> str:
    return engine().line(crop, lang, dpi, KEEP_ALL_LINES, timeout_s, raw=raw).text


def line_words(words: list[Word], text: str, index: int, among: int) -> list[Word] | None:
    """The word boxes of line ``index`` of ``text``, one of the page's first ``among`` lines: the
    line of boxes that spells it closely enough; or, for a line read again since («عدد: 73 ممع
    ه22» became «عدد: 225/3»), the line of boxes in the same place among the page's lines, when
    text and boxes still have as many lines. None when neither finds one."""
    first = _box_lines(words)[:among]
    if not first:
        return None
    line_text = text.split("\n")[index]
    box_line = max(first, key=lambda ws: fuzz.ratio(" ".join(w.text for w in ws), line_text))
    if fuzz.ratio(" ".join(w.text for w in box_line), line_text) >= 60:
        return box_line
    placed = (_by_place(words, text) or [])[:among]
    return next((ws for i, _, ws in placed if i == index), None)


def line_crop(grey: Image.Image, words: list[Word], text: str, index: int, dpi: int, among: int) -> Image.Image | None:
    """The image of line ``index`` of ``text``, one of the page's first ``among`` lines, cut out
    to be read alone; None when ``line_words`` finds no boxes for it."""
    box_line = line_words(words, text, index, among)
    if box_line is None:
        return None
    left, top, right, bottom = bounding_box(box_line)
    pad_x, pad_y = dpi // 8, dpi // 20
    return grey.crop((max(0, left - pad_x), max(0, top - pad_y), right + pad_x, bottom + pad_y))
