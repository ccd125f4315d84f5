"""Latin names inside Arabic lines: read again with the French model, not left as digits."""

from __future__ import annotations

import pytest

from ingest.latinwords import _runs, _spans
from ingest.tesseract import Word
from tests.fixtures import letters


def _word(text: str, confidence: float) -> Word:
    return Word(text, confidence, (0, 0, 10, 10), (1, 1, 1))


def test_runs_are_the_low_confidence_words_with_hardly_any_arabic() -> None:
    line = [_word("السيد", 93), _word("8617173101", 64), _word("31110»!", 40), _word("ممثل", 91),
            _word("2026", 95), _word("|أع0055)", 25), _word("135./", 28), _word("السيد/8/0131", 15)]  # fmt: skip
    # The letter's own number, read surely, and an Arabic word glued to junk are left alone.
    assert _runs(line) == [(1, 3), (5, 7)]
    # «Services Techniques» drawn into Arabic letters mixed with digits: never an Arabic word.
    mixed = [_word("شركة", 92), _word("دعلاوأصطاعع1", 31), _word("د5عءاألارع5", 22), _word("غاية", 64)]
    assert _runs(mixed) == [(1, 3)]
    # «Youssef El Amrani»: «El» read as three Arabic letters, with assurance. The two runs
    # around it are read first as one span (the French model then tells), else each alone.
    named = [_word("السيد", 92), _word("[8/0131", 15), _word("اعا", 88), _word("1556ل", 0), _word("عن", 91)]
    assert _spans(named) == [[(1, 4), (1, 2), (3, 4)]]
    named.insert(2, _word("مكتب", 90))  # a longer word between: two names
    assert _spans(named) == [[(1, 2)], [(4, 5)]]
    # «Équipement» read as Arabic letters alone, but at 25: bridged however long it is.
    unsure = [_word("|51", 36), _word("أطع07اءم", 7), _word("أناعٌ", 25), _word("6ل", 9), _word("شركة", 91)]
    assert _spans(unsure) == [[(0, 4), (0, 2), (3, 4)]]
    unsure[2] = _word("أناعٌ", 85)  # an Arabic word read surely stays between two names
    assert _spans(unsure) == [[(0, 2)], [(3, 4)]]
    chain = [_word("[8/0131", 15), _word("اعا", 88), _word("1556ل", 0), _word("في", 90), _word("21135", 20)]
    assert _spans(chain) == [[(0, 3), (0, 1), (2, 3)], [(4, 5)]]  # a run is bridged once


@pytest.mark.ocr
def test_french_names_in_an_arabic_letter_are_read_in_latin_letters() -> None:
    from ingest.ocr import ocr_image

    lines = [
        "جماعة أولاد تايمة",
        "الموضوع: طلب الترخيص بفتح محل تجاري",
        "نخبركم بأن السيد Karim Bennani ممثل شركة SOMAGEC",
        "قد تقدم بطلب الترخيص لفتح محل تجاري بحي السلام",
        "بحضور السيد Youssef El Amrani عن مكتب Atlas Conseil",
    ]
    page = ocr_image(letters.render(letters.Letter("ar", lines), dpi=300), 300)
    for name in ("Karim Bennani", "SOMAGEC", "Youssef El Amrani", "Atlas Conseil"):
        assert name in page.text, page.text
    assert page.text.splitlines()[0] == lines[0]


def test_the_test_renderer_keeps_a_latin_name_with_an_apostrophe_in_one_run() -> None:
    # Split at «'», the name was drawn in the wrong order («études … Bureau d») and every
    # benchmark on rendered letters counted the misorder as OCR errors.
    line = "بتنسيق مع شركة Bureau d'études Atlas l’Oriental"
    assert letters._LTR_RUN.findall(line) == ["Bureau d'études Atlas l’Oriental"]
