"""The day of an Arabic date line, completed from a second reading of its digits."""

from __future__ import annotations

import pytest

from ingest.dateline import better_date


@pytest.mark.parametrize(
    ("arabic_day", "year", "french", "expected"),
    [
        ("7", "2025", "2025 jbo 27,5 ql", "27"),  # the Arabic reading lost the 2; «5» is a letter read as a digit
        ("1", "2024", "2024 Kyle 21 8 ébir", "21"),
        ("5", "2026", "2026 (ile 15 ab", "15"),
        ("7", "2025", "2025 jbo 7 ql", None),  # both readings see one digit: it is a one-digit day
        ("7", "2025", "2019 jbo 27 ql", None),  # another year: not the same line, or misread
        ("7", "2025", "2025 jbo 27 17 ql", None),  # two ways to complete it: undecided
        ("21", "2025", "2025 jbo 27 ql", None),  # the readings disagree outright: the page's reading stays
        ("7", "2025", "use 27 ql", None),
    ],
)
def test_the_day(arabic_day: str, year: str, french: str, expected: str | None) -> None:
    assert better_date(arabic_day, year, french) == ((expected, year) if expected else None)


@pytest.mark.parametrize(
    ("day", "year", "french", "expected"),
    [
        ("28", "2006", "2026 Wu 28 _ ofl", ("28", "2026")),  # one digit of the year misread
        ("7", "2006", "2026 jbo 27 ql", ("27", "2026")),  # and a day's digit lost
        ("28", "2006", "2016 2026 Wu 28", None),  # two candidate years: undecided
        ("28", "2006", "2019 Wu 28", None),  # two digits apart: not a misread digit
        ("28", "2026", "CIT qs À Gè al", None),  # nothing read: the page's reading stays
    ],
)
def test_the_year(day: str, year: str, french: str, expected: tuple[str, str] | None) -> None:
    assert better_date(day, year, french) == expected


@pytest.mark.parametrize("before", ["جماعة وادي الزهور", "حرر في 17 ربيع 1447"])  # a Hijri date first
def test_a_month_the_page_made_no_month_of_is_read_again_from_its_line(before: str) -> None:
    from dataclasses import replace

    from ingest.dateline import reread_month
    from ingest.ocr import ocr_image
    from tests.fixtures.letters import Letter, render

    letter = Letter("ar", ["المملكة المغربية", before, "ميدلت في 6 شتنبر 2026", "الموضوع: طلب رخصة"])
    page = render(letter).convert("L")
    reading = ocr_image(page, 300)  # upright and clean: its word boxes fit the page as rendered
    assert "في 6 شتنبر 2026" in reading.text
    misread = reading.text.replace("شتنبر", "خجر")
    words = [replace(w, text="خجر") if w.text == "شتنبر" else w for w in reading.words]
    assert "ميدلت في 6 شتنبر 2026" in reread_month(page, words, misread, 300)
    assert reread_month(page, reading.words, reading.text, 300) == reading.text  # a month: left alone


def test_month_names_as_letters_spell_them() -> None:
    from lang.dates import month_named

    assert month_named("شتنبر") == 9 and month_named("Févr") == 2 and month_named("أكتوبر") == 10
    assert month_named("فيراير") == 2  # one letter off a long name
    assert month_named("مي") is None and month_named("خجر") is None  # short names are not guessed
