"""Arabic commas told by their shape: the glyph, the word's new ending, and a page read."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from ingest.commas import comma_model, commas_after, with_comma
from ingest.ocr import ocr_image
from ingest.tesseract import Word
from tests.fixtures import letters

FONTS = ["NotoNaskhArabic-Regular.ttf", "Amiri-Regular.ttf", "NotoSansArabic-Regular.ttf", "DejaVuSans.ttf"]


def _word(text: str, font: str, px: int = 54) -> tuple[np.ndarray, Word]:
    """One word as a 300 dpi scan shows 13 pt type, with its box."""
    f = ImageFont.truetype(str(letters.find_font(font)), px, layout_engine=ImageFont.Layout.RAQM)
    img = Image.new("L", (px * len(text), px * 3), 255)
    ImageDraw.Draw(img).text((img.width - px, px), text, font=f, fill=0, anchor="ra", direction="rtl", language="ar")
    ink = np.asarray(img) < 128
    rows, cols = np.flatnonzero(ink.any(axis=1)), np.flatnonzero(ink.any(axis=0))
    box = (int(cols[0]), int(rows[0]), int(cols[-1] - cols[0] + 1), int(rows[-1] - rows[0] + 1))
    return np.asarray(img), Word(text, 90.0, box, (1, 1, 1))


@pytest.mark.parametrize("font", FONTS)
def test_a_comma_is_told_from_a_full_stop_a_hamza_and_final_letters(font: str) -> None:
    cases = {
        "وبعد،": (True, False),
        "البناء،": (True, True),
        "27،": (True, False),
        "والسلام.": None,
        "البناء": None,
        "الثاني": None,
        "الدار": None,
        "وزير": None,
        "التحية:": None,
    }
    for text, expected in cases.items():
        page, word = _word(text, font)
        found = commas_after(page, [word], comma_model())
        assert ((True, found[0]) if 0 in found else None) == expected, (font, text)


def test_the_words_ending_is_rewritten() -> None:
    assert with_comma("الثاني.", hamza=False) == "الثاني،"
    assert with_comma("سيناء", hamza=False) == "سينا،"  # the comma was read as a hamza
    assert with_comma("البناء", hamza=True) == "البناء،"  # a real hamza, its comma dropped
    assert with_comma("الماضيء.", hamza=False) == "الماضي،"
    assert with_comma("وبعد»", hamza=False) == "وبعد،"
    assert with_comma("27.", hamza=False) == "27،"


@pytest.mark.ocr
def test_a_page_full_of_commas_keeps_them() -> None:
    letter = letters.Letter(
        "ar",
        [
            "السيد الرئيس المحترم، سلام تام، وبعد،",
            "فإننا نخبركم، بناء على طلبكم، أن الملف قد درس.",
            "ونظرا للأشغال الجارية، والتي تعرفها المنطقة، فقد تقرر تأجيل الاجتماع.",
            "والسلام، مع فائق التقدير والاحترام.",
        ],
    )
    page = letters.scan(letters.render(letter, 300, font="NotoNaskhArabic-Regular.ttf"), angle=0.8)
    without = ocr_image(page, 300, read_commas=False).text
    read = ocr_image(page, 300).text
    truth = letter.text
    assert read.count("،") == truth.count("،"), read
    assert read.count(".") == truth.count("."), read
    assert without.count("،") < truth.count("،"), "the page no longer shows the misreading this fixes"
