"""A year read years after the letter came in is a misread digit (texts written for these tests)."""

from __future__ import annotations

import datetime as dt

import pytest

from ingest.extract.reader import read_letter
from ingest.extract.years import recent_year

RECEIVED = dt.date(2026, 12, 3)


def test_an_eastern_two_read_as_three_in_the_year_of_the_date_and_the_reference() -> None:
    letter = read_letter("جماعة تازة\nعدد: ٤١٧٣/ج.ت/٣٠٢٦\nتازة في ١٤ مارس ٢٠٣٦\nالموضوع: طلب شهادة", RECEIVED)
    assert letter.reference is not None and letter.reference.value == "٤١٧٣/ج.ت/٢٠٢٦"
    assert letter.letter_date is not None and letter.letter_date.value == "2026-03-14"
    # the clerk is shown that both were mended
    assert letter.reference.confidence < 0.95 and letter.letter_date.confidence < 0.95


def test_a_year_under_1000_on_the_date_line_and_in_the_reference() -> None:
    letter = read_letter("جماعة أزرو\nعدد: 1814/ق.م/0026\nأزرو في ٢٠ مارس ٠٠٢٦\nالموضوع: طلب رخصة", RECEIVED)
    assert letter.reference is not None and letter.reference.value == "1814/ق.م/2026"
    assert letter.letter_date is not None and letter.letter_date.value == "2026-03-20"
    assert letter.letter_date.confidence < 0.95
    unmendable = read_letter("أزرو في ٢٠ مارس ٠٧٨٩\nالموضوع: طلب رخصة", RECEIVED)
    assert unmendable.letter_date is None


def test_a_french_date_line_with_a_year_far_ahead() -> None:
    letter = read_letter("Réf. : 88/DRH/2025\nOujda, le 9 juin 2085\nObjet : Congé", RECEIVED)
    assert letter.letter_date is not None and letter.letter_date.value == "2025-06-09"


@pytest.mark.parametrize(
    ("year", "mended"),
    [
        (2036, 2026),
        (3026, 2026),
        (2026, None),  # could be right
        (2027, None),  # a letter dated early for next year
        (2029, None),  # 2021 to 2026 are all one digit away: the clerk reads the copy
        (2068, None),  # no recent year is one digit away
        (2083, 2023),
        (26, 2026),  # «٠٠٢٦»: the first «٢» filled in
        (1985, None),  # an old letter, migrated from paper
        (999, None),
    ],
)
def test_only_one_recent_year_one_digit_away_is_taken(year: int, mended: int | None) -> None:
    assert recent_year(year, RECEIVED) == mended


def test_a_serial_number_or_an_unmendable_year_is_left_as_read() -> None:
    letter = read_letter("رقم: 3026/2026\nالرباط في 3 مارس 9058\nالموضوع: طلب", RECEIVED)
    assert letter.reference is not None and letter.reference.value == "3026/2026"
    assert letter.letter_date is None
    spaced = read_letter("عدد: 77/ق.م/٢٠٢٩\nالموضوع: طلب", RECEIVED)
    assert spaced.reference is not None and spaced.reference.value == "77/ق.م/٢٠٢٩"
