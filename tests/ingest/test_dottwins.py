"""A listed word read with one dot above where the page shows two, told by the page's dots."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image

from ingest import dottwins, ocr_params
from ingest.dotfix import Lexicon
from ingest.tesseract import PageReading, engine
from ingest.worddots import pairs, word_dots
from tests.fixtures import letters

LINES = ["بناء سور واقي حول القطعة", "وهذا جواب وافي عن الأشغال"]
TRUTH = " ".join(LINES).split()
LEXICON = Lexicon(["واقي", "وافي", "يتم", "ينم", "فائق", "القطعة"])


def test_a_twin_is_the_one_listed_word_with_a_second_dot_above() -> None:
    assert dottwins.twin("وافي", LEXICON) == "واقي"
    assert dottwins.twin("ينم", LEXICON) is None  # «ن»'s dot stands too close to its neighbours'
    assert dottwins.twin("واقي", LEXICON) is None  # two dots are never taken for one
    assert dottwins.twin("فائق", LEXICON) is None  # «قائق» is not listed
    assert dottwins.twin("رف", Lexicon(["رف", "رق"])) is None  # a final «ق» has a bowl of its own
    assert [dottwins.pairs_above(w) for w in ("وافي", "واقي", "القطعة", "الشرب")] == [0, 1, 2, 1]


@pytest.mark.ocr
@pytest.mark.parametrize("font", ["Amiri-Regular.ttf", "NotoNaskhArabic-Regular.ttf"])
def test_the_pairs_of_dots_above_a_word_are_counted_on_the_page(font: str) -> None:
    page, reading = _read(font)
    grey = np.asarray(page)
    for w, truth in zip(reading.words, TRUTH, strict=True):
        if truth in ("واقي", "وافي", "القطعة"):
            dots = word_dots(grey, w)
            assert dots is not None and pairs(dots.above, dots.height) == dottwins.pairs_above(truth), (truth, w.text)


@pytest.mark.ocr
def test_a_word_read_with_one_dot_where_the_page_has_two_is_read_as_its_twin() -> None:
    # Amiri sets the two dots of «ق» so close that Tesseract reads «واقي» as «وافي», clean or not.
    page, reading = _read("Amiri-Regular.ttf")
    text = "\n".join(
        " ".join(w.text for w in reading.words if w.line == ln) for ln in dict.fromkeys(w.line for w in reading.words)
    )
    assert text.split().count("وافي") == 2, text
    fixed_words, fixed = dottwins.restore(page, reading.words, text, LEXICON)
    assert fixed.split() == TRUTH  # the real «وافي» keeps its one dot
    assert [w.text for w in fixed_words] == TRUTH
    assert dottwins.restore(page, reading.words, text, Lexicon([])) == (reading.words, text)  # no word list


def _read(font: str) -> tuple[Image.Image, PageReading]:
    page = letters.scan(letters.render(letters.Letter("ar", LINES), 300, font=font), angle=0.3).convert("L")
    return page, engine().page(page, ocr_params.build("ara", 300), 60, pdf=False)
