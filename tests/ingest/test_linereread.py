"""Doubtful lines are read again alone; the surer reading is kept, the others left alone."""

from __future__ import annotations

import pytest
from PIL import Image, ImageDraw, ImageFont

from ingest.linereread import line_words, reread_doubtful, text_lines_of
from ingest.tesseract import Word
from tests.fixtures import letters

pytestmark = pytest.mark.ocr


def _page() -> tuple[Image.Image, list[Word], str]:
    """A page with two French lines, and a first reading that got the second one wrong."""
    page = Image.new("L", (2000, 600), 255)
    draw = ImageDraw.Draw(page)
    font = ImageFont.truetype(str(letters.find_font(letters.LATIN_FONTS[0])), 50)
    draw.text((100, 100), "Objet : demande de permis", font=font, fill=0)
    draw.text((100, 300), "Veuillez agreer nos salutations", font=font, fill=0)
    words = [
        Word("Objet", 95, (100, 100, 150, 50), (1, 1, 1)),
        Word(":", 95, (260, 100, 20, 50), (1, 1, 1)),
        Word("demande", 95, (300, 100, 240, 50), (1, 1, 1)),
        Word("de", 95, (560, 100, 60, 50), (1, 1, 1)),
        Word("permis", 95, (640, 100, 200, 50), (1, 1, 1)),
        Word("Veu1lez", 31, (100, 300, 240, 60), (1, 1, 2)),
        Word("agr€er", 28, (360, 300, 200, 60), (1, 1, 2)),
        Word("nos", 40, (580, 300, 100, 60), (1, 1, 2)),
        Word("sa1utati0ns", 25, (700, 300, 380, 60), (1, 1, 2)),
    ]
    return page, words, "Objet : demande de permis\n\nVeu1lez agr€er nos sa1utati0ns\n"


def test_text_lines_pair_with_word_lines_that_still_spell_them() -> None:
    _, words, text = _page()
    paired = text_lines_of(words, text)
    assert paired is not None and [i for i, _ in paired] == [0, 2]
    assert text_lines_of(words, "one line only") is None
    # A line whose text is no longer its words' (read again since) is left out.
    assert [i for i, _ in text_lines_of(words, text.replace("permis", "permit")) or []] == [2]


def test_a_line_is_found_among_the_word_boxes_by_its_text_or_else_by_its_place() -> None:
    _, words, text = _page()
    assert [w.text for w in line_words(words, text, 2, among=5) or []][:1] == ["Veu1lez"]
    # Read again since: its text no longer spells its boxes, but it is still the page's second line.
    again = text.replace("Veu1lez agr€er nos sa1utati0ns", "12/3")
    assert [w.text for w in line_words(words, again, 2, among=5) or []][:1] == ["Veu1lez"]
    assert line_words(words, again, 2, among=1) is None  # not among the first lines asked for
    assert line_words(words, again + "\nune ligne de plus", 2, among=5) is None  # lines no longer pair


def test_the_doubtful_line_is_read_again_and_the_sure_one_kept() -> None:
    page, words, text = _page()
    out, done = reread_doubtful(page, words, text, "fra", 300)
    assert [d.line for d in done] == [2]
    assert done[0].confidence_after >= done[0].confidence_before + 5
    lines = out.split("\n")
    assert lines[0] == "Objet : demande de permis"  # untouched
    assert "salutations" in lines[2] and "Veuillez" in lines[2]


def test_one_weak_word_makes_a_latin_line_doubtful_but_not_an_arabic_one() -> None:
    page, words, text = _page()
    # The line reads well but for one word, which its mean hides («Wañfaa» at 49 for «Wafaa»).
    sure = {"Veu1lez": "Veuillez", "agr€er": "agreer", "sa1utati0ns": "salutations"}
    words = [Word(sure[w.text], 92, w.box, w.line) if w.text in sure else w for w in words]
    words = [Word("n0s", 45, w.box, w.line) if w.text == "nos" else w for w in words]
    text = text.replace("Veu1lez agr€er nos sa1utati0ns", "Veuillez agreer n0s salutations")
    out, done = reread_doubtful(page, words, text, "fra", 300)
    assert [d.line for d in done] == [2]
    assert out.split("\n")[2] == "Veuillez agreer nos salutations"
    # On an Arabic page a weak word is often a comma: the line's mean decides alone.
    assert reread_doubtful(page, words, text, "ara+fra", 300) == (text, [])
