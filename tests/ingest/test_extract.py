"""Reading register fields off letters laid out in different ways (texts written for these tests)."""

from __future__ import annotations

import datetime as dt

import pytest

from ingest.extract.reader import read_letter

ARABIC_HEADER = """المملكة المغربية
وزارة الداخلية
جمعية الأمل للتنمية والثقافة
حي الفتح، زنقة 12، سلا
عدد: ٥٥/ج.أ/٢٠٢٦
سلا في ١٤ شتنبر ٢٠٢٦
إلى السيد رئيس المجلس الجماعي
الموضوع: طلب قاعة لتنظيم حفل ختام الموسم
سلام تام بوجود مولانا الإمام،
نلتمس منكم وضع القاعة رهن إشارتنا يوم السبت، علما أن آخر نشاط نظمناه كان بتاريخ 12 فبراير 2024.
والسلام."""

FRENCH_SIGNED_AT_END = """Casablanca, le 3 mars 2026
Monsieur le Président de la Commune
Réf. : 1207/SG/2026
Objet : Demande de précisions sur la taxe de séjour
Monsieur le Président,
Suite à la réunion du 12/01/2026, nous vous prions de nous préciser les modalités applicables depuis le 1er janvier 2025.
Veuillez agréer nos salutations distinguées.
Signé : Karima Bennani, gérante de l'hôtel Al Wifaq"""

HIJRI = """عمالة إقليم الخميسات
قسم الشؤون القروية
رقم: 310/ق.ش.ق
الخميسات في 12 ربيع الأول 1448 الموافق 5 شتنبر 2026
الموضوع: برمجة زيارة ميدانية
..."""


def test_arabic_letterhead_with_eastern_digits() -> None:
    e = read_letter(ARABIC_HEADER)
    assert e.reference.normalized == "55/جا/2026" and e.reference.value == "٥٥/ج.أ/٢٠٢٦"
    assert e.letter_date.value == "2026-09-14"  # not the 2024 date quoted in the body
    assert e.subject.value == "طلب قاعة لتنظيم حفل ختام الموسم"
    assert e.sender.value == "جمعية الأمل للتنمية والثقافة"
    assert e.languages == ("ar",)
    assert ARABIC_HEADER[e.subject.start : e.subject.end] == e.subject.value


def test_french_letter_signed_at_the_end() -> None:
    e = read_letter(FRENCH_SIGNED_AT_END)
    assert e.reference.value == "1207/SG/2026"
    assert e.letter_date.value == "2026-03-03"
    assert e.subject.value == "Demande de précisions sur la taxe de séjour"
    assert e.sender.value == "Karima Bennani, gérante de l'hôtel Al Wifaq"


def test_gregorian_date_is_taken_from_a_hijri_dated_line() -> None:
    e = read_letter(HIJRI)
    assert e.letter_date.value == "2026-09-05"
    assert e.reference.value == "310/ق.ش.ق"
    assert e.sender.value == "قسم الشؤون القروية"


@pytest.mark.parametrize(
    ("line", "iso"),
    [
        ("الرباط في 3 يوليوز 2025", "2025-07-03"),
        ("طنجة في 30 غشت 2024", "2024-08-30"),
        ("فاس في 2 ماي 2026", "2026-05-02"),
        ("وجدة في 21 نونبر 2025", "2025-11-21"),
        ("Fès, le 2 février 2026", "2026-02-02"),
        ("Agadir le 15 aout 2025", "2025-08-15"),
        ("Rabat, le 07/10/2026", "2026-10-07"),
        ("مراكش في ٠٧/١٠/٢٠٢٦", "2026-10-07"),
    ],
)
def test_date_lines(line: str, iso: str) -> None:
    assert read_letter(f"عدد: 1/2026\n{line}\nالموضوع: اختبار").letter_date.value == iso


def test_a_law_number_is_not_a_reference() -> None:
    e = read_letter("الموضوع: طلب معلومات\nطبقا للقانون رقم 31.13 المتعلق بالحق في الحصول على المعلومات")
    assert e.reference is None


@pytest.mark.parametrize(
    "text",
    ["", "   \n\n", "ⴰⵣⵓⵍ ⴼⵍⴰⵡⵏ ⵎⴰⵏⵣⴰⴽⵉⵏ " * 40, "x" * 2_000_000, "lorem ipsum dolor sit amet " * 10, "#@!%&*" * 500],
)
def test_garbage_gives_empty_fields_not_errors(text: str) -> None:
    e = read_letter(text)
    assert e.reference is None and e.subject is None and e.sender is None and e.letter_date is None


def test_random_bytes_never_raise() -> None:
    import random

    rng = random.Random(4)
    for _ in range(20):
        noise = bytes(rng.randrange(256) for _ in range(3000)).decode("latin-1")
        read_letter(noise, today=dt.date(2026, 1, 1))


@pytest.mark.parametrize(
    ("ocr", "fixed"),
    [
        ("12788/B0/2026", "12788/BO/2026"),  # a zero inside a Latin abbreviation
        ("6330/ق8.ح.م/2024", "6330/ق.ح.م/2024"),  # a speck read as a digit among Arabic letters
        ("12575/ق.ءت/2025", "12575/ق.ت/2025"),  # a stray hamza beside the dot
        ("٣٨١٢/ق.ح. م/٢٠٢٥", "٣٨١٢/ق.ح.م/٢٠٢٥"),  # a space after the dot, in Eastern digits
        ("4410لس.ع/2026", "4410/س.ع/2026"),  # the slash read as a lam
        ("٧٣٢ق.ب/٢٠٢٦", "٧٣٢/ق.ب/٢٠٢٦"),  # the slash lost
        ("٨٠٥٥ أق٠م/ ٢٠٢٦", "٨٠٥٥/ق.م/٢٠٢٦"),  # the slash read as an alef, the dot as a zero
        ("٩٠ إم.ت.ع/٢٠٢٦", "٩٠/م.ت.ع/٢٠٢٦"),
        ("17711/عدم.ض/2025", "17711/م.ض/2025"),  # the label glued to the abbreviation by a re-read
        ("17711/عد.م.ض/2025", "17711/عد.م.ض/2025"),  # an abbreviation that starts with those letters
        ("318/ل.م/2026", "318/ل.م/2026"),  # an abbreviation that starts with a lam stays
        ("7147 /لك.ع/2026", "7147/ك.ع/2026"),  # the slash read twice: as itself and as a lam
        ("684/5G/2026", "684/SG/2026"),  # a blurred capital S read as a five
        ("٨٧٢٤ /د. ش .١ق /٢٠٢٦", "٨٧٢٤/د.ش.ق/٢٠٢٦"),  # spaces read around the abbreviation's dots
        ("N10/DAJ/2026", "N10/DAJ/2026"),  # a real number stays
        ("552/2026", "552/2026"),
        ("2026/1432", "2026/1432"),
    ],
)
def test_reference_ocr_slips_are_undone(ocr: str, fixed: str) -> None:
    assert read_letter(f"عدد: {ocr}\nالموضوع: اختبار").reference.value == fixed


@pytest.mark.parametrize("value", ["318/ك/رذ.ش.ق/4207؟", "2|77/م.ت/2026", "4410/س.ع/2026!"])
def test_a_reference_with_a_sign_no_reference_has_is_proposed_but_not_filled_in(value: str) -> None:
    from ingest.understand import FIELD_THRESHOLD

    found = read_letter(f"عدد: {value}\nالموضوع: اختبار").reference
    assert found is not None and found.confidence < FIELD_THRESHOLD
    assert read_letter("عدد: 4410/س.ع/2026\nالموضوع: اختبار").reference.confidence >= FIELD_THRESHOLD


@pytest.mark.parametrize("label", ["عحد", "عدذ", "رفم", "المرجح"])
def test_a_reference_label_misread_by_one_letter(label: str) -> None:
    found = read_letter(f"المملكة المغربية\nجماعة ميدلت\n{label}: 7147/ك.ع/2026\nالموضوع: اختبار").reference
    assert found is not None and found.value == "7147/ك.ع/2026" and found.confidence < 0.95


@pytest.mark.parametrize("colon", ["؛", " 1", " !", " |"])
def test_a_signature_label_read_with_its_colon_misread_names_the_sender(colon: str) -> None:
    found = read_letter(f"بركان في 23 فبراير 2026\nالموضوع: طلب\nسلام تام\nالإمضاء{colon} بوشعيب زينب").sender
    assert found is not None and found.value == "بوشعيب زينب"


def test_a_signature_label_without_its_colon_names_no_sender() -> None:
    assert read_letter("بركان في 23 فبراير 2026\nالموضوع: طلب\nسلام تام\nالإمضاء 12 بوشعيب زينب").sender is None


@pytest.mark.parametrize(
    ("letter", "field", "value"),
    [
        ("رقم الإرسالية: 77/م.ت/2026\nبشأن: تهيئة ملعب القرب", "subject", "تهيئة ملعب القرب"),
        ("رقم الإرسالية: 77/م.ت/2026\nبشأن: تهيئة ملعب القرب", "reference", "77/م.ت/2026"),
        ("Réf : 45/DGS/2026\nConcerne : travaux de voirie", "subject", "travaux de voirie"),
        ("Obj : rappel\nRabat, 12 mars 2026", "letter_date", "2026-03-12"),
        ("عدد: 3/2026\nالرباط في فاتح مارس 2026\nالموضوع: تذكير", "letter_date", "2026-03-01"),
        ("N° 9/2026\nCasablanca le 2026/03/12\nObjet : x", "letter_date", "2026-03-12"),
    ],
)
def test_other_ways_of_writing_the_header(letter: str, field: str, value: str) -> None:
    assert getattr(read_letter(letter), field).value == value


def test_wrapped_header_lines() -> None:
    letter = """ROYAUME DU MAROC
Maître Karim Alaoui, avocat agréé près la Cour d'appel de
Rabat
12, avenue Hassan II, Rabat
N° 88/KA/2026
Rabat, le 4 mai 2026
Objet : mise en demeure"""
    assert read_letter(letter).sender.value == "Maître Karim Alaoui, avocat agréé près la Cour d'appel de Rabat"


def test_a_speck_read_as_a_colon_leaves_the_sender() -> None:
    letter = """المملكة المغربية
المحكمة: الإدارية بأكادير – كتابة الضبط
عدد: 14/ك.ض/2026
أكادير في 3 ماي 2026
الموضوع: استدعاء"""
    assert read_letter(letter).sender.value == "المحكمة الإدارية بأكادير – كتابة الضبط"


def test_an_address_read_with_a_dotless_ya_is_not_the_sender() -> None:
    letter = """المملكة المغربية
وزارة الداخلية – مديرية الشؤون القانونية
الحى الإداري، الرباط
عدد: 55/م.ق/2026
الرباط في 2 يونيو 2026
الموضوع: إخبار"""
    assert read_letter(letter).sender.value == "وزارة الداخلية – مديرية الشؤون القانونية"


def test_address_wrapping_is_not_the_sender() -> None:
    letter = """M. Said Bennani
Douar Oulad Ahmed, commune de Sidi Yahya, province de
Kénitra
N° 12/2026
Kénitra, le 4 mai 2026
Objet : demande"""
    assert read_letter(letter).sender.value == "M. Said Bennani"


@pytest.mark.parametrize(
    ("head", "subject"),
    [
        ("Objet : Entretien des espaces verts du quartier et\nréfection des bancs publics\nMonsieur le Président,",
         "Entretien des espaces verts du quartier et réfection des bancs publics"),
        ("Objet : Renouvellement de la carte professionnelle n°\n4471-B\nMadame,",
         "Renouvellement de la carte professionnelle n° 4471-B"),
        ("Objet : Prolongation du délai de dépôt du dossier\nde candidature au concours\nMonsieur,",
         "Prolongation du délai de dépôt du dossier de candidature au concours"),
        ("الموضوع: طلب إصلاح قنوات الري المتضررة في\nدوار أولاد سالم\nسلام تام بوجود مولانا الإمام،",
         "طلب إصلاح قنوات الري المتضررة في دوار أولاد سالم"),
        # A complete subject stays alone: the body, a reference or a salutation never joins it.
        ("Objet : Demande de permis de construire\nMonsieur le Président,", "Demande de permis de construire"),
        ("Objet : Demande de permis de construire\nnous vous prions de …", "Demande de permis de construire"),
        ("الموضوع: طلب رخصة البناء\nالمرجع: 12/2026", "طلب رخصة البناء"),
    ],
)  # fmt: skip
def test_a_subject_wrapped_onto_the_next_line_is_read_whole(head: str, subject: str) -> None:
    letter = f"Commune de Salé\nRéf. : 12/DGS/2026\nSalé, le 3 mars 2026\n{head}\nCorps de la lettre."
    found = read_letter(letter).subject
    assert found is not None and found.value == subject
    assert " ".join(letter[found.start : found.end].split()) == subject


@pytest.mark.parametrize("junk", ["عبد د 014 1/ د . ش فق /2.؟", "1 .4 7 الزئءااع، 1 1 1/5", "7 14 ،، 3 ق"])
def test_a_reference_or_junk_line_in_the_letterhead_is_not_the_sender(junk: str) -> None:
    letter = f"المملكة المغربية\nجماعة القصر الكبير\n{junk}\nالقصر الكبير في 20 يناير 2026\nالموضوع: طلب"
    found = read_letter(letter).sender
    assert found is not None and found.value == "جماعة القصر الكبير"


def test_an_addressee_line_typed_with_a_final_ya_is_not_the_sender() -> None:
    found = read_letter("جماعة تيفلت\nالي السيد رئيس جماعة أزرو\nالموضوع: طلب رخصة").sender
    assert found is not None and found.value == "جماعة تيفلت"


def test_a_writer_named_with_a_number_is_still_the_sender() -> None:
    found = read_letter("جمعية 20 غشت للتنمية\nالرباط في 3 مارس 2026\nالموضوع: طلب دعم").sender
    assert found is not None and found.value == "جمعية 20 غشت للتنمية"


@pytest.mark.parametrize(
    ("line", "iso"),
    [("طنجة في 21 أكتور 2025", "2025-10-21"), ("Rabat, le 3 novembr 2025", "2025-11-03"),
     ("فاس في 9 دجنير 2026", "2026-12-09"), ("أزرو في 24 مئرس 2026", "2026-03-24"),
     ("Settat, le 2 mors 2026", "2026-03-02"), ("آسفي في 17 غشتة 2026", "2026-08-17"),
     ("Tiznit, le 5 maie 2026", "2026-05-05")],
)  # fmt: skip
def test_a_month_misread_by_one_letter_on_the_date_line(line: str, iso: str) -> None:
    found = read_letter(f"عدد: 12/2025\n{line}\nالموضوع: طلب").letter_date
    assert found is not None and found.value == iso
    assert found.confidence < 0.9  # read through a misspelling: the clerk is asked to check it


@pytest.mark.parametrize(
    ("line", "iso"),
    [("وجدة في !1 ماي 2026", "2026-05-11"), ("Agadir, le |7 juin 2026", "2026-06-17"),
     ("تطوان في 2! شتنبر 2026", "2026-09-21"), ("Oujda, le 4 mai 2026 !", "2026-05-04")],
)  # fmt: skip
def test_a_one_read_as_a_bar_beside_a_days_digit(line: str, iso: str) -> None:
    found = read_letter(f"عدد: 12/2025\n{line}\nالموضوع: طلب").letter_date
    assert found is not None and found.value == iso


def test_a_misspelt_word_in_a_sentence_is_not_a_month() -> None:
    assert read_letter("Il a gagné 12 points depuis 2025.\nObjet : demande").letter_date is None


@pytest.mark.parametrize(
    "date_line",
    [
        "القصر الكبير في 6 يونيو 20426",
        "الفقيه بن صالح في 22 يوليوز 2.025",
        "Rabat, le 3 mars 2O26",
        "ميدلت في ؛ يناير ٢٠٢٦",  # the day read as a punctuation mark
        "بركان في vi يناير 5.055",
        "Berkane, le vi janvier 5.055",
        "سيدي قاسم في * مي ٢٠٢٦",  # day and month lost: the year is left
    ],
)
def test_a_date_line_misread_past_recognition_is_not_the_sender(date_line: str) -> None:
    letter = f"{date_line}\nإلى السيد رئيس جماعة بركان\nالموضوع: طلب\nالسلام عليكم\nالإمضاء: عائشة الرحماني"
    found = read_letter(letter).sender
    assert found is not None and found.value == "عائشة الرحماني"


@pytest.mark.parametrize(
    "line",
    ["الووضوع: طلب رخصة البناء", "المووضوع: طلب رخصة البناء", "ا موضوع: طلب رخصة البناء", "الموضوء: طلب رخصة البناء"],
)
def test_a_subject_label_misread_by_one_letter(line: str) -> None:
    found = read_letter(f"عدد: 12/2025\nالرباط في 3 مارس 2026\n{line}\nسلام تام").subject
    assert found is not None and found.value == "طلب رخصة البناء" and found.confidence < 0.95


@pytest.mark.parametrize(
    ("line", "iso"),
    [
        ("الفقيه بن صالح في ه ماي ٢٠٢٦", "2026-05-05"),  # an Eastern five read as a lone «ه»
        ("الفقيه بن صالح في ٠ ماي ٢٠٢٦", "2026-05-05"),  # or filled in, as a zero
        ("الفقيه بن صالح في 0 ماي 2026", None),  # a Western zero is no five
    ],
)
def test_a_day_of_eastern_five_misread_as_heh_or_zero(line: str, iso: str | None) -> None:
    found = read_letter(f"عدد: 1/2026\n{line}\nالموضوع: اختبار").letter_date
    assert (found.value if found else None) == iso
    assert found is None or found.confidence < 0.95  # the clerk checks it


@pytest.mark.parametrize(
    ("line", "iso"),
    [
        ("ميدلت في 7 1 يونيو 2026", "2026-06-17"),  # read right to left: «17» comes reversed
        ("Rabat, le 1 7 juin 2026", "2026-06-17"),
        ("ميدلت في 4 3 يونيو 2026", "2026-06-03"),  # no 34th: the one digit before the month
    ],
)
def test_a_day_cut_into_two_words_is_read_whole(line: str, iso: str) -> None:
    found = read_letter(f"عدد: 1/2026\n{line}\nالموضوع: اختبار").letter_date
    assert found is not None and found.value == iso


def test_specks_read_as_stops_after_the_day_and_inside_the_subject() -> None:
    letter = read_letter("عدد: 12/2025\nتاونات. في 13. مارس 2026\nالموضوع: طلب. رخصة إدارية استثنائية\nسلام تام")
    assert letter.letter_date is not None and letter.letter_date.value == "2026-03-13"
    assert letter.subject is not None and letter.subject.value == "طلب رخصة إدارية استثنائية"
    french = read_letter("Réf : 12/2025\nTaounate, le 13. mars 2026\nObjet : Demande d'autorisation. Urgent\nMonsieur")
    assert french.letter_date is not None and french.letter_date.value == "2026-03-13"
    assert french.subject is not None and french.subject.value == "Demande d'autorisation. Urgent"


def test_a_speck_read_as_a_semicolon_does_not_start_the_subject() -> None:
    found = read_letter("عدد: 12/2025\nالرباط في 3 مارس 2026\nالموضوع: ؛ طلب دعم مالي؛\nسلام تام").subject
    assert found is not None and found.value == "طلب دعم مالي"


@pytest.mark.parametrize("line", ["المرجع: 12/2026", "الموظفون: جميعا", "Objectif : 2026"])
def test_other_labels_are_not_the_subject(line: str) -> None:
    assert read_letter(f"عدد: 12/2025\nالرباط في 3 مارس 2026\n{line}\nسلام تام").subject is None


@pytest.mark.parametrize(
    ("head", "sender"),
    [("بماعة أكادير", "جماعة أكادير"), ("جماعم سيدي سليمان", "جماعة سيدي سليمان"), ("عمالم إقليم الحوز", "عمالة إقليم الحوز"),
     ("جماعة ميدات", "جماعة ميدلت"), ("عمالة إقليم الحور", "عمالة إقليم الحوز"), ("بماعة الفصر الكبير", "جماعة القصر الكبير"),
     ("جماعة ازرو", "جماعة ازرو"),  # a hamza left out: the town as the letter spells it
     ("جماعة ميدلتِ", "جماعة ميدلت"),  # a speck read as a kasra
     ("جَمْعِيَّة الأمل", "جَمْعِيَّة الأمل"),  # a name written with its vowels keeps them
     ("جماعة تاهلة", "جماعة تاهلة"),  # a town not in the list stays as read
     ("بركة محمد", "بركة محمد"),  # four letters: a family name one letter off «شركة»
     ("جمالي أحمد", "جمالي أحمد")],
)  # fmt: skip
def test_a_letterhead_word_misread_by_one_letter_is_mended(head: str, sender: str) -> None:
    found = read_letter(f"المملكة المغربية\n{head}\nعدد: 12/ق.م/2026\nالموضوع: طلب\nسلام تام").sender
    assert found is not None and found.value == sender
