"""Eastern Arabic digits on scans: found glyph by glyph, painted Western, written back."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont
from scipy import ndimage

from ingest.digitglyphs import glyph_model
from ingest.digitpaint import write_back
from ingest.easterndigits import Glyph, _candidate, _over, binarise, glyphs, runs
from ingest.extract.reader import read_letter
from ingest.tesseract import Word
from tests.fixtures import letters

# Fonts whose Eastern digits differ most: Naskh, a geometric sans, a calligraphic one.
FONTS = ["NotoNaskhArabic-Regular.ttf", "DejaVuSans.ttf", "Amiri-Regular.ttf", "KacstOne.ttf"]


def _line(text: str, font: str, px: int = 48) -> np.ndarray:
    f = ImageFont.truetype(str(letters.find_font(font)), px, layout_engine=ImageFont.Layout.RAQM)
    img = Image.new("L", (px * len(text), px * 3), 255)
    ImageDraw.Draw(img).text((img.width - px, px), text, font=f, fill=0, anchor="ra", direction="rtl", language="ar")
    return binarise(np.asarray(img))


@pytest.mark.parametrize("font", FONTS)
def test_every_eastern_digit_is_told_from_its_shape(font: str) -> None:
    found = runs(glyphs(_line("رقم ٩٨٧٦٥٤٣٢١٠ و ٢٠٢٥", font), glyph_model()))
    assert ["".join(g.label for g in n) for n in found] == ["٢٠٢٥", "٩٨٧٦٥٤٣٢١٠"]
    if ord("/") in letters._coverage(letters.find_font(font)):  # Noto Naskh has no slash
        found = runs(glyphs(_line("بتاريخ ١٥/٠٦/٢٠٢٥", font), glyph_model()))
        assert ["".join(g.label for g in n) for n in found] == ["١٥/٠٦/٢٠٢٥"]


def test_arabic_words_make_no_number() -> None:
    # Alef, waw, heh and the letters' dots look like ١, ٩, ٥ and ٠ when drawn alone.
    for font in FONTS[:3]:
        found = runs(glyphs(_line("الوادي وهو أول إدارة واهية للأوراق", font), glyph_model()))
        assert [n for n in found if len(n) > 1] == [], font


def _glyph(x: int, label: str, top: int = 0, bottom: int = 30) -> Glyph:
    return Glyph(x, top, x + 14, bottom, label)


def test_a_lone_digit_must_stand_apart_as_a_word_does() -> None:
    alef_in_a_word = [_glyph(0, "?"), _glyph(16, "١"), _glyph(32, "?")]
    assert runs(alef_in_a_word) == []
    day = [_glyph(0, "?"), _glyph(40, "٩"), _glyph(80, "?")]
    assert [[g.label for g in n] for n in runs(day)] == [["٩"]]


def test_the_alef_of_the_next_word_is_no_digit_of_the_number() -> None:
    # «١٤ أكتوبر»: the alef stands a word's space off, farther than the digits stand apart.
    line = [_glyph(0, "١"), _glyph(16, "٤"), _glyph(42, "١"), _glyph(58, "?")]
    assert ["".join(g.label for g in n) for n in runs(line)] == ["١٤"]
    year = [_glyph(0, "٢"), _glyph(16, "٠", 12, 18), _glyph(32, "٢"), _glyph(48, "١")]
    assert ["".join(g.label for g in n) for n in runs(year)] == ["٢٠٢١"]


def test_a_small_round_glyph_is_a_zero_at_mid_height_and_a_stop_on_the_baseline() -> None:
    number = [_glyph(0, "٢"), _glyph(16, ".", 12, 18), _glyph(32, "٢"), _glyph(48, "٦")]
    assert "".join(g.label for g in runs(number)[0]) == "٢٠٢٦"
    stop = [_glyph(0, "٢"), _glyph(16, ".", 25, 31), _glyph(32, "٥")]
    assert "".join(g.label for g in runs(stop)[0]) == "٢.٥"
    speck = [_glyph(0, "٢"), Glyph(20, 14, 21, 15, "."), _glyph(32, "٥")]
    assert not any(g.label == "٠" for n in runs(speck) for g in n)


def test_an_unread_small_glyph_between_two_digits_is_a_zero() -> None:
    # A zero a few pixels square matches no drawn shape closely enough to be read; between two
    # digits, at their mid-height, it is still the zero of «٢٠٢٦».
    year = [_glyph(0, "٢"), Glyph(18, 12, 24, 18, "?"), _glyph(32, "٢"), _glyph(48, "٦")]
    assert ["".join(g.label for g in n) for n in runs(year)] == ["٢٠٢٦"]
    letter = [_glyph(0, "٢"), _glyph(16, "?"), _glyph(32, "٢"), _glyph(48, "٦")]  # as tall as a digit
    assert all("٠" not in "".join(g.label for g in n) for n in runs(letter))
    dot_below = [_glyph(0, "٢"), Glyph(18, 34, 24, 40, "?"), _glyph(32, "٢"), _glyph(48, "٦")]
    assert all("٠" not in "".join(g.label for g in n) for n in runs(dot_below))


def test_a_glyph_nearly_as_near_a_digit_as_a_letter_is_the_digit_beside_digits() -> None:
    # KacstOffice draws «٥» as round as «ه»: nearest a letter's shape, a digit's close behind.
    five = Glyph(16, 6, 30, 28, "?", "font", digit="٥")
    assert ["".join(g.label for g in n) for n in runs([_glyph(0, "٢"), five])] == ["٢٥"]
    assert ["".join(g.label for g in n) for n in runs([five, replace(_glyph(0, "٣"), left=32, right=46)])] == ["٥٣"]
    far = replace(five, left=60, right=74)  # a word's space off: the letter of the next word
    assert ["".join(g.label for g in n) for n in runs([_glyph(0, "٢"), _glyph(16, "٤"), far])] == ["٢٤"]
    plain_letter = replace(five, digit="")
    assert ["".join(g.label for g in n) for n in runs([_glyph(0, "٢"), _glyph(16, "٤"), plain_letter])] == ["٢٤"]
    # Only beside a digit read by its own shape: else one digit would turn a row of letters
    # («الحي الإداري» under a reference's line) into a number, one after the other.
    row = [_glyph(0, "٢"), five, replace(five, left=32, right=46), replace(five, left=48, right=62)]
    assert ["".join(g.label for g in n) for n in runs(row)] == ["٢٥"]
    word = replace(five, left=32, right=90)  # «غشت» beside the year: wider than any digit
    assert ["".join(g.label for g in n) for n in runs([_glyph(0, "٢"), _glyph(16, "٤"), word])] == ["٢٤"]
    mark_above = replace(five, top=-20, bottom=-8)
    assert ["".join(g.label for g in n) for n in runs([_glyph(0, "٢"), _glyph(16, "٤"), mark_above])] == ["٢٤"]


def test_a_digit_the_scan_broke_in_two_is_read_whole() -> None:
    ink = _line("٢٠٢٦", "Amiri-Regular.ttf")
    labelled, _ = ndimage.label(ink, structure=np.ones((3, 3)))
    six = ndimage.find_objects(labelled)[int(labelled[:, ink.any(axis=0).nonzero()[0][-1]].max()) - 1]
    rows = six[0]
    # Cut the thin neck where the hook meets the stem, as a light scan does.
    widths = [ink[r, six[1]].sum() for r in range(rows.start, rows.stop)]
    upper = len(widths) // 2
    neck = rows.start + int(np.argmin(widths[2:upper])) + 2
    ink[neck, six[1]] = False
    assert ndimage.label(ink[:, six[1]], structure=np.ones((3, 3)))[1] == 2
    assert ["".join(g.label for g in n) for n in runs(glyphs(ink, glyph_model()))] == ["٢٠٢٦"]


def test_a_four_read_as_a_lone_semicolon_is_looked_at_again() -> None:
    # «في ٤ يناير» read «في ؛ يناير», sure of it, and boxed as narrow as a semicolon is.
    semicolon = Word("؛", 86.0, (245, 10, 6, 20), (1, 1, 1))
    assert _candidate(semicolon) and not _candidate(Word("طلب؛", 86.0, (200, 10, 40, 20), (1, 1, 1)))
    four = [Glyph(238, 0, 251, 32, "٤")]
    assert _over(four, [semicolon])
    assert not _over(four, [Word("؛", 86.0, (300, 10, 6, 20), (1, 1, 1))])  # another word's


def test_a_day_read_as_marks_alone_is_looked_at_again() -> None:
    # «في ٢٤ غشت» read «في ؛؟ غشت»; a lone «؟» may be typed after a space, and is left alone.
    assert _candidate(Word("؛؟", 80.0, (240, 10, 14, 20), (1, 1, 1)))
    assert not _candidate(Word("؟", 90.0, (240, 10, 8, 20), (1, 1, 1)))
    assert not _candidate(Word("هل؟", 90.0, (200, 10, 30, 20), (1, 1, 1)))


def test_a_word_tesseract_could_not_read_beside_a_number_is_looked_at() -> None:
    # «عدد: ٩٨٢/ك.ع/٢٠٢٦» read «كلك .ع/7 20»: the first number as letters at confidence 0, too
    # far from the doubtful slashed word for its widened box to take it all in.
    from ingest.easterndigits import eastern_numbers

    font = ImageFont.truetype(str(letters.find_font("KacstOne.ttf")), 40, layout_engine=ImageFont.Layout.RAQM)
    page = Image.new("L", (1000, 160), 255)
    draw = ImageDraw.Draw(page)
    boxes = []
    x = 100
    for piece in ("٢٠٢٦", "/ك.ع/", "٩٨٢", "عدد:"):
        draw.text((x, 60), piece, font=font, fill=0, direction="rtl", language="ar")
        left, top, right, bottom = draw.textbbox((x, 60), piece, font=font, direction="rtl", language="ar")
        boxes.append((left, top, right - left, bottom - top))
        x = right + (6 if piece == "/ك.ع/" else 40)
    year, middle, number, label = boxes
    words = [
        Word("20", 4.0, year, (1, 1, 1)),
        Word(".ع/7", 0.0, (middle[0], middle[1], middle[2] - 10, middle[3]), (1, 1, 1)),
        Word("كلك", 0.0, number, (1, 1, 1)),
        Word("عدد:", 87.0, label, (1, 1, 1)),
    ]
    found = ["".join(g.label for g in n) for n in eastern_numbers(page, words)]
    assert "٩٨٢" in found and "٢٠٢٦" in found, found


def test_numbers_painted_in_are_written_back_as_the_page_shows_them() -> None:
    text = "عدد: 4273/م.ت.ع/2026\nفي 25 فبراير 2026\nرقم 2026"
    assert write_back(text, ["4273", "2026", "25", "2026"]) == "عدد: ٤٢٧٣/م.ت.ع/٢٠٢٦\nفي ٢٥ فبراير ٢٠٢٦\nرقم 2026"


EASTERN_LETTER = letters.Letter(
    "ar",
    [
        "المملكة المغربية",
        "جماعة عين الصفا",
        "عدد: ٣٨١٢/ق.ح/٢٠٢٥",
        "عين الصفا في ١٧ يوليوز ٢٠٢٥",
        "إلى السيد رئيس قسم الشؤون الإدارية",
        "الموضوع: طلب تجديد بطاقة مهنية",
        "يشرفني أن أطلب منكم تجديد بطاقتي المهنية رقم ٤٠٩٦٥",
        "التي انتهت صلاحيتها منذ ٠٨/٠٦/٢٠٢٥",
        "وتقبلوا فائق الاحترام.",
    ],
)


@pytest.mark.ocr
def test_a_letter_typed_in_eastern_digits_is_registered_with_its_number_and_date() -> None:
    from ingest.ocr import ocr_image

    page = letters.scan(letters.render(EASTERN_LETTER, 300, font="Amiri-Regular.ttf"), angle=0.8)
    res = ocr_image(page, 300)
    letter = read_letter(res.text)
    assert letter.reference is not None and letter.reference.normalized == "3812/قح/2025", res.text
    assert letter.letter_date is not None and letter.letter_date.value == "2025-07-17", res.text
    assert "٤٠٩٦٥" in res.text and "٠٨/٠٦/٢٠٢٥" in res.text  # written as the page shows them


@pytest.mark.ocr
def test_a_page_in_western_digits_is_not_read_again() -> None:
    from ingest import easterndigits, ocr_params
    from ingest.tesseract import engine

    page = letters.scan(letters.render(letters.ARABIC_LETTERS[0], 300))
    reading = engine().page(page, ocr_params.build("ara", 300), 60)
    assert easterndigits.eastern_numbers(page, reading.words) == []
