"""Combining two readings of an Arabic reference line (the OCR strings are as Tesseract gives them)."""

from __future__ import annotations

import pytest

from ingest.refline import combine, looks_like_reference


@pytest.mark.parametrize(
    ("arabic", "french", "expected"),
    [
        ("عدد:9210/ق.ح.م/2026", "2026/3.7.8/9210 510", "9210/ق.ح.م/2026"),  # the line alone reads well
        (": عددة 7م.ش.م/247", "24/9. e/16987 13e :", "16987/م.ش.م/24"),  # digits from the French reading
        ("عدد: 14 32", "1432/2026", "1432/2026"),  # all digits: one left-to-right run
        ("عدد: 3عه22", "2025/5.2/13113 :5 Je", None),  # letters unreadable: keep the page's reading
        ("", "", None),
    ],
)
def test_combine(arabic: str, french: str, expected: str | None) -> None:
    assert combine(arabic, french) == expected


def test_what_a_reference_looks_like() -> None:
    assert looks_like_reference("12575/ق.ت/2025") and looks_like_reference("2026/1432")
    assert not looks_like_reference("7 إم.ش.م/24") and not looks_like_reference("0 نا .ح.ح /2026")


def test_a_clean_abbreviation_from_the_page_reading_is_kept() -> None:
    from ingest.refline import _keep_page_abbreviation

    assert _keep_page_abbreviation("7940/عدفإق.ح.م/24", "7/940 /ق.ح.م /24") == "7940/ق.ح.م/24"
    assert _keep_page_abbreviation("9210/ق.ح.م/2026", "0 نا .ح.ح /2026") == "9210/ق.ح.م/2026"


def test_a_reference_tesseract_doubts_is_read_again() -> None:
    """A reference that looks right but was read unsurely (a slash seen inside the number) is
    read again from its line; one read surely is left as it is."""
    from dataclasses import replace

    from ingest.ocr import ocr_image
    from ingest.refline import reread
    from tests.fixtures.letters import Letter, render

    letter = Letter("ar", ["المملكة المغربية", "جماعة وادي الزهور", "عدد: 2474/م.ت.ع/2026", "الموضوع: طلب رخصة"])
    page = render(letter).convert("L")
    reading = ocr_image(page, 300)  # upright and clean: its word boxes fit the page as rendered
    assert "2474/م.ت.ع/2026" in reading.text
    misread = reading.text.replace("2474/", "24/74/")

    def with_confidence(conf: float) -> list:
        return [
            replace(w, text=w.text.replace("2474/", "24/74/"), confidence=conf) if "2474" in w.text else w
            for w in reading.words
        ]

    assert "عدد: 2474/م.ت.ع/2026" in reread(page, with_confidence(38.0), misread, 300)
    assert reread(page, with_confidence(90.0), misread, 300) == misread


def test_a_second_reading_that_lost_part_of_a_reference_is_not_kept() -> None:
    from ingest.refline import _as_whole

    assert _as_whole("2474/م.ت.ع/2026", "24/74/م.ت.ع/2026")
    assert not _as_whole("2026/8", "8828/ك.ع/2026")  # digits lost
    assert not _as_whole("8828/2026", "8828/ك.ع/2026")  # the abbreviation lost
