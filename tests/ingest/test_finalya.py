"""The dotted final «ي» told from the dotless «ى» by its dots, on rendered pages read by Tesseract."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest
from PIL import Image

from ingest import finalya, ocr_params
from ingest.tesseract import PageReading, engine
from tests.fixtures import letters

pytestmark = pytest.mark.ocr

LINES = [
    "السيد الحسين بنعلي والسيد الجيلالي الفاسي",
    "على الطريق إلى المستشفى لدى الإدارة حتى الآن",
    "في المقهى العمومي",
]
TRUTH = " ".join(LINES).split()


def _read(font: str) -> tuple[Image.Image, PageReading]:
    page = letters.scan(letters.render(letters.Letter("ar", LINES), 300, font=font), angle=0.3).convert("L")
    return page, engine().page(page, ocr_params.build("ara", 300), 60, pdf=False)


@pytest.mark.parametrize("font", ["NotoNaskhArabic-Regular.ttf", "Amiri-Regular.ttf"])
def test_the_dots_of_a_final_ya_are_found_and_a_dotless_ending_has_none(font: str) -> None:
    page, reading = _read(font)
    assert len(reading.words) == len(TRUTH), [w.text for w in reading.words]
    grey = np.asarray(page)
    for w, truth in zip(reading.words, TRUTH, strict=True):
        if truth[-1] in "يى":
            assert finalya.dotted_ending(grey, w) == (truth[-1] == "ي"), (truth, w.text)


def test_words_read_with_a_dotless_ending_are_rewritten_where_the_page_has_dots() -> None:
    page, reading = _read("NotoNaskhArabic-Regular.ttf")
    # As Tesseract reads some pages: every final «ي» as «ى».
    words = [replace(w, text=w.text[:-1] + "ى") if w.text.endswith("ي") else w for w in reading.words]
    text = "\n".join(" ".join(w.text for w in words if w.line == line) for line in dict.fromkeys(w.line for w in words))
    assert "بنعلى" in text
    fixed_words, fixed = finalya.restore(page, words, text)
    assert fixed.split() == TRUTH
    assert [w.text for w in fixed_words] == TRUTH
