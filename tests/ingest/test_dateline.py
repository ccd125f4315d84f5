"""The day of an Arabic date line, completed from a second reading of its digits."""

from __future__ import annotations

import pytest

from ingest.dateline import better_day


@pytest.mark.parametrize(
    ("arabic_day", "year", "french", "expected"),
    [
        ("7", "2025", "2025 use 27,5 aa", "27"),  # the Arabic reading lost the 2; «5» is a letter read as a digit
        ("1", "2024", "2024 Luyle 21 8 ämib", "21"),
        ("5", "2026", "2026 (ile 15 ab", "15"),
        ("7", "2025", "2025 use 7 aa", None),  # both readings see one digit: it is a one-digit day
        ("7", "2025", "2024 use 27 aa", None),  # another year: not the same line, or misread
        ("7", "2025", "2025 use 27 17 aa", None),  # two ways to complete it: undecided
        ("21", "2025", "2025 use 27 aa", None),  # the readings disagree outright: the page's reading stays
        ("7", "2025", "use 27 aa", None),
    ],
)
def test_better_day(arabic_day: str, year: str, french: str, expected: str | None) -> None:
    assert better_day(arabic_day, year, french) == expected
