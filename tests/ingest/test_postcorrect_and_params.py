from ingest import ocr_params
from ingest.postcorrect import correct


def test_reference_slashes_read_as_bars_are_restored() -> None:
    assert correct("عدد: 2024|[1578") == "عدد: 2024/1578"
    assert correct("رقم: 88/ج.ن [ |2026") == "رقم: 88/ج.ن/2026"
    assert correct("N° 55/DAJ/25") == "N° 55/DAJ/25"


def test_letters_next_to_digits_are_not_touched() -> None:
    # «I» or «l» between digits may be a misread «1»: not certain, so left alone.
    assert correct("20I4 et 12l5") == "20I4 et 12l5"


def test_latin_comma_between_arabic_words_becomes_arabic_comma() -> None:
    assert correct("سلام تام, وبعد") == "سلام تام، وبعد"
    assert correct("قال «نعم» هنا") == "قال «نعم» هنا"  # real quotes stay
    assert correct("سلام تام» وبعد") == "سلام تام، وبعد"
    assert correct("سلام تام« وبعد") == "سلام تام، وبعد"
    assert correct("جمعية «الأمل للتنمية") == "جمعية «الأمل للتنمية"  # its closing mark was lost
    assert correct("Rabat, le 5 mai") == "Rabat, le 5 mai"


def test_a_hyphen_standing_alone_between_words_is_a_dash() -> None:
    assert correct("Agence urbaine de Settat  -  Service juridique") == "Agence urbaine de Settat – Service juridique"
    assert correct("المكتب الجهوي — مصلحة الصيانة") == "المكتب الجهوي – مصلحة الصيانة"
    # Hyphens inside words, list dashes and references are left as read.
    assert correct("Skhirate-Témara\n- pièce jointe\n12-2024/ab") == "Skhirate-Témara\n- pièce jointe\n12-2024/ab"


def test_a_shadda_read_on_ta_marbuta_is_dropped() -> None:
    assert correct("طلب نسخةّ موجزة") == "طلب نسخة موجزة"
    assert correct("مدرسةٌ ثمّ") == "مدرسةٌ ثمّ"  # a case ending on «ة», a shadda elsewhere


def test_an_opening_bracket_nothing_closes_before_an_arabic_word_is_a_lam() -> None:
    assert correct("الموضوع: إرسال مذكرة (لجنة التتبع") == "الموضوع: إرسال مذكرة للجنة التتبع"
    assert correct("وفق (الملحق) المرفق") == "وفق (الملحق) المرفق"
    assert correct("حسب (المادة 5\nمن القانون) فإن") == "حسب (المادة 5\nمن القانون) فإن"  # closed on the next line
    assert correct("voir (annexe") == "voir (annexe"


def test_ocr_parameters_keep_every_line() -> None:
    params = ocr_params.build("ara", 300)
    assert params["variables"]["textord_noise_rejrows"] == "0"
    assert params["variables"]["textord_noise_rejwords"] == "0"
    args = ocr_params.to_cli(params)
    assert args[:2] == ["-l", "ara"] and "--dpi" in args and "textord_noise_rejwords=0" in args


def test_model_choice_per_page_script() -> None:
    assert ocr_params.languages_for_script("Latin", "ara+fra") == "fra"
    assert ocr_params.languages_for_script("Arabic", "ara+fra") == "ara"
    assert ocr_params.languages_for_script(None, "ara+fra") == "ara+fra"
    assert ocr_params.languages_for_script("Latin", "ara") == "ara"


def test_a_stop_read_between_two_arabic_words_is_a_space() -> None:
    assert correct("الموضوع: طلب نسخة من رسم.الولادة") == "الموضوع: طلب نسخة من رسم الولادة"
    assert correct("عدد: 12/م.ت.ع/2026") == "عدد: 12/م.ت.ع/2026"  # an abbreviation keeps its stops
    assert correct("وبعد. أتشرف") == "وبعد. أتشرف"
