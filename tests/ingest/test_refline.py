"""Combining two readings of an Arabic reference line (the OCR strings are as Tesseract gives them)."""

from __future__ import annotations

import pytest

from ingest.linereread import Reread
from ingest.refline import combine, confirmed, keep_page_reference, looks_like_reference


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


@pytest.mark.parametrize(
    ("raw", "french", "expected"),
    [
        ("عدد: 5314/ك.ع/2026 -", "2026/£ .4/5314 15%", "5314/ك.ع/2026"),  # word by word: «4 ع /2026»
        ("- عدد: 1814 /ق.م/2026 .", "2026/p.5/ 1814 :5%", "1814/ق.م/2026"),  # spaces by a slash
        ("عدد: 2970/ق.م/3026 .", "3026/2.4/2970 :sse", "2970/ق.م/3026"),  # the year is mended later
        ("عدد: 8279/ك. ع/2026 .", "2026/; .2/8279 26", "8279/ك.ع/2026"),  # a space after the dot
        ("عدد: 308 /د.ش.ق/ 2026 -", "2026 /G..+.5/388 :54", None),  # a digit the French reads otherwise
        ("عدد: 3254ا/م.ت.ع/2026", "202 6/;..,/3254", None),  # a letter stuck to the number
        ("عدد: 2474ام.ت.ع/ 2026", "2026/$.c.s/2474 :ssc", "2474/م.ت.ع/2026"),  # the slash read as alef
        ("عدد: 7147لك.ع/2026 .", "2026/£.:1/7147 :s3e", "7147/ك.ع/2026"),  # or as lam
        ("عحد: 3996/و.و/2026", "2026/9.p/3996", None),  # no label: not surely the reference line
        ("عدد: الك عل .", "CVs Em 1", None),
    ],
)
def test_a_line_read_whole_is_kept_when_the_french_reading_confirms_its_numbers(
    raw: str, french: str, expected: str | None
) -> None:
    assert confirmed(raw, french) == expected


def test_a_misread_label_is_passed_over_only_when_asked() -> None:
    raw, french = "| عند 5314/ك.ع/2026 .", "2026/£ .4/5314 :5 Je"
    assert confirmed(raw, french) is None  # a page reading is corrected only from a labelled line
    assert confirmed(raw, french, unlabelled=True) == "5314/ك.ع/2026"  # but may replace a doubted one
    assert confirmed("| عند 5314/ك.ع/2026 .", "2026/£ .4/5317", unlabelled=True) is None  # numbers unconfirmed


def test_or_when_the_pages_reading_has_the_same_numbers() -> None:
    raw, french = "عدد: 9143 /د.ش.ق/ 2026", "2026 /G..#.3/ 9148 :546"
    assert confirmed(raw, french) is None  # the French model misread a digit…
    assert confirmed(raw, french, page="9143 /ذ.ش.ق/ 2026") == "9143/د.ش.ق/2026"  # …the page did not


def test_the_line_read_whole_corrects_only_the_letters_of_a_sure_reading() -> None:
    from ingest.refline import _letters_of_whole

    assert _letters_of_whole("8444/ق.ه/2026", "8444/ق.م/2026") == "8444/ق.م/2026"
    assert _letters_of_whole("9143 /ذ.ش.ق/ 2026", "9143/د.ش.ق/2026") == "9143/د.ش.ق/2026"
    assert _letters_of_whole("8444/ق.ه/2026", "8441/ق.م/2026") is None  # the numbers differ
    assert _letters_of_whole("5813/ك.ع/2026", "5813/ك.ع.ع/2026") is None  # a letter more
    assert _letters_of_whole("5813/ك.ع/2026", "5813/ك.ع/2026") is None  # nothing to correct


def test_what_a_reference_looks_like() -> None:
    assert looks_like_reference("12575/ق.ت/2025") and looks_like_reference("2026/1432")
    assert not looks_like_reference("7 إم.ش.م/24") and not looks_like_reference("0 نا .ح.ح /2026")


def test_a_clean_abbreviation_from_the_page_reading_is_kept() -> None:
    from ingest.refline import _keep_page_abbreviation

    assert _keep_page_abbreviation("7940/عدفإق.ح.م/24", "7/940 /ق.ح.م /24") == "7940/ق.ح.م/24"
    assert _keep_page_abbreviation("9210/ق.ح.م/2026", "0 نا .ح.ح /2026") == "9210/ق.ح.م/2026"
    # A page reading that looked right keeps its letters, unless the line was read whole.
    assert _keep_page_abbreviation("2970/ق.م/2026", "2970 /ق.ح/ 2026", True) == "2970/ق.ح/2026"
    assert _keep_page_abbreviation("2970/ق.م/2026", "2970 /ق.ح/ 2026", True, whole=True) == "2970/ق.م/2026"


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

    assert "عدد: 2474/م.ت.ع/2026" in reread(page, with_confidence(38.0), misread, 300)[0]
    assert reread(page, with_confidence(90.0), misread, 300)[0] == misread
    # Read surely, and the same read whole: its letters are confirmed.
    assert reread(page, reading.words, reading.text, 300) == (reading.text, "م.ت.ع")


def test_a_reference_line_read_again_before_is_still_found_on_the_page() -> None:
    """A doubtful-line re-read may leave a reference line that no longer spells its word boxes
    («عدد: 8»): the line is found by its place among the page's lines and read whole."""
    from dataclasses import replace

    from ingest.ocr import ocr_image
    from ingest.refline import reread
    from tests.fixtures.letters import Letter, render

    letter = Letter("ar", ["المملكة المغربية", "جماعة عين الصفا", "عدد: 3815/ق.م/2026", "الموضوع: طلب رخصة"])
    page = render(letter).convert("L")
    reading = ocr_image(page, 300)
    assert "3815/ق.م/2026" in reading.text
    unsure = [replace(w, confidence=30.0) if "3815" in w.text else w for w in reading.words]
    assert "عدد: 3815/ق.م/2026" in reread(page, unsure, reading.text.replace("3815/ق.م/2026", "8"), 300)[0]


def test_a_second_reading_that_lost_part_of_a_reference_is_not_kept() -> None:
    from ingest.refline import _as_whole

    assert _as_whole("2474/م.ت.ع/2026", "24/74/م.ت.ع/2026")
    assert not _as_whole("2026/8", "8828/ك.ع/2026")  # digits lost
    assert not _as_whole("8828/2026", "8828/ك.ع/2026")  # the abbreviation lost


def test_a_line_read_again_that_broke_a_reference_gives_the_page_its_reading_back() -> None:
    text = "المملكة المغربية\nجماعة تاونات\nعدد: 0 إم.ت.ع/ 2026\nالموضوع: طلب"
    # Read alone, the line was surer for having left out the digits it could not read.
    broke = Reread(2, "عدد: 9920 /م.ت.ع/ 2026", "عدد: 0 إم.ت.ع/ 2026", 63.8, 74.0)
    assert keep_page_reference(text, [broke]).split("\n")[2] == "عدد: 9920 /م.ت.ع/ 2026"
    # A reading that mended a broken reference stays.
    mended = Reread(2, "عدد: 10819/ق.<.م/26", "عدد: 10819/ق.ح.م/26", 55.0, 80.0)
    fixed = text.replace("0 إم.ت.ع/ 2026", "10819/ق.ح.م/26")
    assert keep_page_reference(fixed, [mended]) == fixed
    # Lines that are no reference, or far below the letterhead, are the second reading's.
    other = Reread(3, "الموضوع: طلب 12/2026", "الموضوع: طلب", 40.0, 90.0)
    assert keep_page_reference(text, [other]) == text
    low = "\n" * 20 + "عدد: 0 إم.ت.ع/ 2026"
    assert keep_page_reference(low, [Reread(20, "عدد: 9920/م.ت.ع/2026", "عدد: 0 إم.ت.ع/ 2026", 60, 70)]) == low
