"""A reference's abbreviation letters, told by their shapes."""

from __future__ import annotations

import pytest
from PIL import Image, ImageDraw, ImageFont

from ingest import refletters
from ingest.tesseract import Word
from tests.fixtures import letters


def _reference(text: str, font: str, px: int = 44) -> tuple[Image.Image, tuple[int, int, int, int]]:
    """A page strip with ``text`` drawn right to left, and the box around it."""
    f = ImageFont.truetype(str(letters.find_font(font)), px, layout_engine=ImageFont.Layout.RAQM)
    page = Image.new("L", (900, px * 3), 255)
    draw = ImageDraw.Draw(page)
    draw.text((100, px), text, font=f, fill=0, direction="rtl", language="ar")
    left, top, right, bottom = draw.textbbox((100, px), text, font=f, direction="rtl", language="ar")
    return page, (left, top, right - left, bottom - top)


@pytest.mark.parametrize("font", ["Amiri-Regular.ttf", "DejaVuSans.ttf", "KacstOne.ttf"])
def test_a_final_mim_read_as_heh_or_waw_is_read_by_its_shape(font: str) -> None:
    page, box = _reference("8444/ق.م/2026", font)
    for misread in ("ق.ه", "ق.و", "ق.ح"):
        word = Word(f"8444/{misread}/2026", 40.0, box, (1, 1, 1))
        assert refletters.read(page, [word]) == {misread: "ق.م"}, font
    assert refletters.read(page, [Word("8444/ق.م/2026", 90.0, box, (1, 1, 1))]) == {}


def test_an_abbreviation_of_three_letters_keeps_its_reading_when_right() -> None:
    page, box = _reference("4273/م.ت.ع/2026", "DejaVuSans.ttf")
    assert refletters.read(page, [Word("4273/م.ت.ع/2026", 80.0, box, (1, 1, 1))]) == {}
    assert refletters.read(page, [Word("4273/م.ح.ع/2026", 80.0, box, (1, 1, 1))]) == {"م.ح.ع": "م.ت.ع"}
    # A letter differing by its dots only is Tesseract's to tell: a speck would make «ع» «غ».
    assert refletters.read(page, [Word("4273/م.ت.غ/2026", 80.0, box, (1, 1, 1))]) == {}


def test_an_abbreviation_whose_shapes_do_not_read_as_one_is_left_as_read() -> None:
    # Amiri sets the stop under the «ع» that follows it: the two make one glyph, read as
    # no letter closely enough, so the abbreviation is not rewritten.
    page, box = _reference("4273/م.ت.ع/2026", "Amiri-Regular.ttf")
    assert refletters.read(page, [Word("4273/م.ت.ح/2026", 80.0, box, (1, 1, 1))]) == {}


def test_the_pages_text_is_rewritten_where_the_line_was_read_again() -> None:
    text = "عدد: 3443/ق.و/2026\nالرباط في 3 مارس 2026"
    assert refletters.rewrite(text, {"ق.و": "ق.م"}) == "عدد: 3443/ق.م/2026\nالرباط في 3 مارس 2026"


def test_a_blurred_letter_that_agrees_but_for_dots_does_not_stop_the_others_being_mended() -> None:
    # «م.ت.ع» read «و.ت.ع»: the blurred «ت» is far from every drawn shape (nearest «ب»).
    shaped = [("م", 1.7), (".", 0.0), ("ب", 5.7), (".", 0.0), ("ع", 2.8)]
    assert refletters._mended(shaped, "و.ت.ع") == "م.ت.ع"
    # A far letter of another shape than Tesseract's is no reading to go by.
    assert refletters._mended([("م", 1.7), (".", 0.0), ("ح", 5.7), (".", 0.0), ("ع", 2.8)], "و.ت.ع") is None


def test_a_speck_beside_the_letters_is_no_stop() -> None:
    page, box = _reference("4273/م.ت.ع/2026", "DejaVuSans.ttf")
    word = Word("4273/م.ح.ع/2026", 80.0, box, (1, 1, 1))
    right = refletters.read(page, [word])
    assert right == {"م.ح.ع": "م.ت.ع"}
    # Between the abbreviation's first letter and the slash before it, a speck of dust.
    glyphs = [g for g in _glyph_boxes(page, box) if g[3] - g[1] > 10]
    slash, first = glyphs[-5], glyphs[-6]
    x, y = (first[2] + slash[0]) // 2, (first[1] + first[3]) // 2
    page.paste(0, (x, y, x + 2, y + 2))
    assert refletters.read(page, [word]) == right


def _glyph_boxes(page: Image.Image, box: tuple[int, int, int, int]) -> list[tuple[int, int, int, int]]:
    """Boxes (left, top, right, bottom) of the ink's components within ``box``, left to right."""
    import numpy as np
    from scipy import ndimage

    left, top, width, height = box
    ink = np.asarray(page)[top : top + height, left : left + width] < 128
    labelled, _ = ndimage.label(ink, structure=np.ones((3, 3)))
    return sorted(
        (s[1].start + left, s[0].start + top, s[1].stop + left, s[0].stop + top) for s in ndimage.find_objects(labelled)
    )


@pytest.mark.parametrize("font", ["DejaVuSans.ttf", "Amiri-Regular.ttf"])
def test_a_line_read_alone_has_its_abbreviation_checked_by_shape(font: str) -> None:
    page, (left, top, width, height) = _reference("548/م.م/2026", font)
    crop = page.crop((left - 8, top - 8, left + width + 8, top + height + 8))
    assert refletters.in_line(crop, "ج.م") == "م.م"  # what a whole-line reading made of it
    assert refletters.in_line(crop, "م.م") == "م.م"
    assert refletters.in_line(crop, "م.م.م") == "م.م.م"  # as many glyphs or nothing is decided
