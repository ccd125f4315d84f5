"""«ڭ», «گ» and «پ», which the Arabic model cannot write, put back from a second reading."""

from __future__ import annotations

import pytest

from ingest import moroccanletters, ocr
from tests.fixtures import letters

LINES = [
    "المملكة المغربية",
    "جماعة تيزنيت",
    "إلى السيد رئيس جماعة أكادير",
    "الموضوع: طلب شهادة إدارية",
    "سلام تام بوجود مولانا الإمام، وبعد،",
    "يشرفني أن ألتمس منكم تسليمي شهادة إدارية",
    "وتقبلوا فائق عبارات التقدير والاحترام.",
]


def test_a_word_is_taken_only_where_the_page_read_it_without_its_letter() -> None:
    merge = moroccanletters.merge
    # The page left the letter out, or read its three dots as a damma.
    assert merge("الإمضاء: سوس محمد", "المضاء: ڭسوس منثمد") == "الإمضاء: ڭسوس محمد"
    assert merge("الإمضاء: كُسوس محمد", "الإمضاء: ڭسوس محمد") == "الإمضاء: ڭسوس محمد"
    assert merge("شركة بُاريس", "شرکة پاريس") == "شركة پاريس"
    # A plain «ك» stays: a speck above it would make a «ڭ».
    assert merge("الإمضاء: كسوس محمد", "الإمضاء: ڭسوس محمد") == "الإمضاء: كسوس محمد"
    # Nor does a short word take a letter: «گو» without it is every «و».
    assert merge("قال و كتب", "قال وگ كتب") == "قال و كتب"
    # The other words of the second reading, worse Arabic, never replace the page's.
    assert merge("الإمضاء: سوس محمد", "الامضا.: سوس منحمد") == "الإمضاء: سوس محمد"


def test_the_lines_read_again_are_the_signature_the_last_line_and_those_with_a_damma() -> None:
    lines = ["جماعة تيزنيت", "الإمضا.: سوس محمد", "", "مع كُسوس", "التحية", ""]
    assert moroccanletters._candidates(lines) == [1, 3, 4]


def _read(lines: list[str], font: str) -> str:
    page = letters.render(letters.Letter("ar", lines), 300, font=font)
    return ocr.ocr_image(letters.scan(page, angle=0.4).convert("L"), 300).text


@pytest.mark.ocr
@pytest.mark.parametrize("font", ["NotoNaskhArabic-Regular.ttf", "NotoSansArabic-Regular.ttf"])
def test_a_signed_name_keeps_its_gaf_and_a_plain_kaf_stays_a_kaf(font: str) -> None:
    assert moroccanletters.available(), "run `make system`: Debian's tesseract-ocr-uig"
    text = _read([*LINES, "الإمضاء: ڭسوس محمد"], font)
    assert "ڭسوس" in text.strip().split("\n")[-1], text
    assert text.count("ڭ") == 1, text  # «أكادير» keeps its plain «ك»
    text = _read([*LINES, "الإمضاء: كريم بنكيران"], font)
    assert not set("ڭگپ") & set(text), text
