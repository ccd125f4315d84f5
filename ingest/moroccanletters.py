"""The Moroccan letters «ڭ», «گ» and «پ», which Tesseract's Arabic model cannot write.

Moroccan names and places write /g/ with «ڭ» or «گ», and /p/ with «پ» («ڭسوس», «أڭادير»).
``ara`` has none of these letters (its character set, ``combine_tessdata -u``): it leaves the
letter out («سوس») or reads its three dots as a damma («كُسوس»). Debian's Uyghur model (``uig``)
has all three. It lacks many Arabic letters, so it reads a line worse as a whole. The signature
line, the page's last line, and any line where ``ara`` wrote «كُ» or «بُ», are read again with
``uig``. A word of that reading is taken only when it is the page's own word with the letter
put back: the page left the letter out, or read «كُ» or «بُ» in its place. Every other letter
stays the page's.

A plain «ك» is left alone even where ``uig`` reads «ڭ»: a speck above a «ك» would make one.
"""

from __future__ import annotations

import logging
import re
from pathlib import Path

from PIL import Image

from ingest.linereread import line_words, read_words
from ingest.tesseract import Word, tessdata_dir

log = logging.getLogger(__name__)

MODEL = "uig"
_MOROCCAN = "ڭگپ"
_LETTER = re.compile(f"[{_MOROCCAN}]")
# How ``ara`` writes each of them when it does not leave it out: the three dots read as a damma.
_AS_READ = {"ڭ": "كُ", "گ": "كُ", "پ": "بُ"}
# The signature line, its label however the OCR spelt it («الإمضاء», «الامضا.», «الإ مضاء»).
_SIGNED = re.compile(r"^\W*(?:\S{1,3}\s)?\S{0,3}(?:مضا|توقيع)")
_DAMMA_READ = re.compile("[كب]\u064f")
MIN_LETTERS = 3  # of a word as the page read it
MAX_LINES = 4  # per page: a page full of «كُ» is vocalised text, not names


def available(datapath: str | None = None) -> bool:
    """Whether Debian's ``tesseract-ocr-uig`` is installed (``sijill doctor`` says so too)."""
    return (Path(datapath or tessdata_dir()) / f"{MODEL}.traineddata").is_file()


def _candidates(lines: list[str]) -> list[int]:
    """The signature line, labelled or not (a name signed alone ends the letter), and the lines
    with a «كُ» or «بُ»."""
    written = [i for i, ln in enumerate(lines) if ln.strip()]
    last = written[-1:] if written else []
    marked = [i for i in written if _SIGNED.match(lines[i]) or _DAMMA_READ.search(lines[i])]
    return sorted(set(marked[: MAX_LINES - 1] + last))


def merge(page_line: str, other: str) -> str:
    """``page_line`` with each of its words that ``other`` read with a Moroccan letter the page's
    model could not write, as ``other`` read it."""
    restored: dict[str, str] = {}
    for word in other.split():
        if not _LETTER.search(word):
            continue
        for as_read in (_LETTER.sub("", word), _LETTER.sub(lambda m: _AS_READ[m.group()], word)):
            if len(as_read) >= MIN_LETTERS:  # «گو» left out to «و» would take every «و»
                restored[as_read] = word
    words = page_line.split()
    out = [restored.get(w, w) for w in words]
    return " ".join(out) if out != words else page_line


def restore(grey: Image.Image, words: list[Word], text: str, dpi: int, timeout_s: float = 10) -> str:
    """``text`` with the Moroccan letters of its signature line and of its «كُ» put back."""
    lines = text.split("\n")
    for i in _candidates(lines):
        box_line = line_words(words, text, i, among=len(lines))
        if not box_line:
            continue
        reading = read_words(grey, box_line, MODEL, dpi, dpi // 10, timeout_s)
        merged = merge(lines[i], reading.text)
        if merged != lines[i]:
            log.debug("Moroccan letters put back: %r → %r", lines[i], merged)
            lines[i] = merged
    return "\n".join(lines)
