"""Arabic words read with a dot wrong, mended against a word list."""

from __future__ import annotations

import shutil

import pytest

from ingest.dotfix import Lexicon, changes_allowed, mend_text, skeleton, tesseract_lexicon, word_confidences
from ingest.tesseract import Word


def test_letters_told_apart_only_by_dots_share_a_skeleton() -> None:
    assert skeleton("بيت") == skeleton("نبث") == skeleton("تئب")
    assert skeleton("حجخ") == skeleton("خحج")
    assert skeleton("ساق") != skeleton("ساف")  # a final qaf's bowl is not a fa's
    assert skeleton("بين") != skeleton("بيت")  # nor is a final nun's tail
    assert skeleton("مدرسة") == skeleton("مدرسه")
    assert skeleton("سأل") == skeleton("سال")
    assert skeleton("كَتَبَ") == skeleton("كتب")  # vowel marks are not part of it
    assert skeleton("سمع") != skeleton("سمح")


def test_an_unlisted_word_becomes_the_listed_word_with_fewest_letters_changed() -> None:
    lexicon = Lexicon(["سيارة", "نبات", "ثبات", "إستقبال", "استقبال", "أحمد"])
    assert lexicon.mend("سبارة") == "سيارة"
    assert lexicon.mend("سيارة") is None  # listed: left alone
    assert lexicon.mend("اسنقبال") == "استقبال"  # one change, not two (إستقبال)
    assert lexicon.mend("تبات") is None  # نبات and ثبات are one change away each: a tie
    assert lexicon.mend("كتاب") is None  # nothing shares its skeleton
    assert lexicon.mend("احمد") is None  # the hamza on a first alif is the writer's choice
    assert lexicon.mend("سبارة", most=0) is None


def test_a_madda_read_for_a_hamza_above_is_nearer_than_a_bare_alif() -> None:
    # Some fonts' «أ» is read «آ»: «الآمل», «لآطفال». The list has the hamza form and the bare one.
    lexicon = Lexicon(["الأمل", "الامل", "لأطفال", "لاطفال", "الآن", "الان"])
    assert lexicon.mend("الآمل", most=1) == "الأمل"
    assert lexicon.mend("لآطفال", most=0) == "لأطفال"  # however sure Tesseract was of it
    assert lexicon.mend("الآن") is None  # listed with its madda
    assert lexicon.mend("الإمل") is None  # a hamza below: as far from either


def test_a_mim_read_as_waw_is_restored_on_doubtful_words() -> None:
    lexicon = Lexicon(["الموضوع", "المسجل", "مطابق"])
    assert lexicon.mend("الووضوع") == "الموضوع"
    assert lexicon.mend("الوسجل") == "المسجل"
    assert lexicon.mend("الوسجل", most=1) is None  # Tesseract was fairly sure of it
    assert lexicon.mend("وطابق") is None  # a first «و» is the conjunction


def test_a_stacked_ta_mim_read_as_qaf_is_unstacked() -> None:
    lexicon = Lexicon(["التماس", "قاسم", "تمر", "قمر"])
    assert lexicon.mend("القاس", most=1) == "التماس"
    assert lexicon.mend("القاس", most=0) == "التماس"  # however sure Tesseract was
    assert lexicon.mend("قاسم") is None  # listed
    assert lexicon.mend("قر") is None  # too short to tell


def test_the_lam_of_the_article_lost_or_misread_is_restored_on_doubtful_words() -> None:
    lexicon = Lexicon(["الجمعية", "الجماعية", "السماء", "الحمد"])
    assert lexicon.mend("اجمعية") == "الجمعية"  # lost
    assert lexicon.mend("ابجماعية") == "الجماعية"  # read as another letter
    assert lexicon.mend("اجمعية", most=1) == "الجمعية"  # Tesseract was fairly sure of it
    assert lexicon.mend("اجمعية", most=0) is None  # sure of it
    assert lexicon.mend("احمد") is None  # a name of four letters: too short to tell
    assert lexicon.mend("البرنامج") is None  # has its article already


def test_a_lost_lam_beats_a_final_ta_undotted_into_ha() -> None:
    # Amiri stacks «لح»: «الحملة» is read «احملة». «احمله» is listed too, but only if the copy
    # had made up the «ة»'s two dots.
    lexicon = Lexicon(["الحملة", "احمله", "امله"])
    assert lexicon.mend("احملة") == "الحملة"
    assert lexicon.mend("املة") == "امله"  # no article to restore: the dots decide, as before
    assert lexicon.mend("احملة", most=0) is None  # Tesseract was sure of it
    assert Lexicon(["الجماعة", "الجماعه"]).mend("الجماعه") is None  # listed as read


def test_the_article_after_the_preposition_lam_read_as_an_alif_or_ya_is_restored() -> None:
    lexicon = Lexicon(["للجماعات", "لاجئ", "ليبيا"])
    assert lexicon.mend("لإجماعات") == "للجماعات"
    assert lexicon.mend("ليجماعات") == "للجماعات"
    assert lexicon.mend("ليجماعات", most=1) == "للجماعات"  # Tesseract was fairly sure of it
    assert lexicon.mend("ليجماعات", most=0) is None  # sure of it
    assert lexicon.mend("لاجئين") is None  # «للجئين» is not listed either: left as read


def test_a_final_ta_or_ha_read_as_mim_is_restored_on_doubtful_words() -> None:
    lexicon = Lexicon(["الفقيه", "التعاونية", "نسخة", "ابراهيم"])
    assert lexicon.mend("الفقيم") == "الفقيه"
    assert lexicon.mend("التعاونيم") == "التعاونية"
    assert lexicon.mend("نسخمّ") == "نسخة"  # a speck read as a shadda too
    assert lexicon.mend("الفقيم", most=1) is None
    assert lexicon.mend("ابراهيم") is None  # listed: a real final mim
    assert Lexicon(["الفقيه", "الفقية"]).mend("الفقيم") is None  # both endings listed: a tie


def test_a_letter_read_twice_is_read_once_unless_the_repeat_can_be_written() -> None:
    lexicon = Lexicon(["مدينة", "المدرسة", "فقه", "لتلميذ", "سبب"])
    assert lexicon.mend("مدينةة") == "مدينة"
    assert lexicon.mend("المدرسسة") == "المدرسة"
    assert lexicon.mend("المدرسسة", most=0) is None  # Tesseract was sure of it
    assert lexicon.mend("فقهه") is None  # «his fiqh»: a pronoun after the root's «ه»
    assert lexicon.mend("للتلميذ") is None  # the preposition «ل» before the article's «ل»
    assert lexicon.mend("سببب") == "سبب"  # either «ب» of the three dropped: the same word
    assert Lexicon(["مدد", "ممد"]).mend("ممدد") is None  # two repeats, two listed words: a tie


def test_a_final_ta_read_as_mim_with_a_shadda_is_restored_however_sure() -> None:
    lexicon = Lexicon(["نسخة", "ثم", "أهم"])
    assert lexicon.mend("نسخمّ", most=0) == "نسخة"  # the two dots read as a shadda
    assert lexicon.mend("أهمّ", most=0) is None  # listed once its shadda is set aside
    assert lexicon.mend("نسخم", most=0) is None  # without the shadda, no evidence at 90


def test_the_surer_tesseract_was_the_less_may_change() -> None:
    assert changes_allowed(40.0) == 2
    assert changes_allowed(85.0) == 1
    assert changes_allowed(96.0) == 0
    assert changes_allowed(None) == 2  # written by a line re-read: no score of its own
    words = [Word("سبارة،", 85.0, (0, 0, 1, 1), (1, 1, 1)), Word("سبارة", 40.0, (0, 0, 1, 1), (1, 1, 2))]
    assert word_confidences(words) == {"سبارة": 40.0}


def test_text_is_mended_word_by_word_and_gaps_inside_words_closed() -> None:
    lexicon = Lexicon(["سيارة", "أصدقاء", "دسق", "الماء", "إدارة", "ادارة", "مدرسة"])
    text = "ركنت السبارة، سبارة\nجمعية أ صدقاء الماء\nالمرجع: 2155/دشق/2026 دشق\n! دارة | دارة ! مدرسة"
    mended, n = mend_text(text, lexicon, {"دشق": 30.0, "سبارة": 30.0})
    # «السبارة» is not a listed word's twin (the list has no «السيارة»); a piece of a
    # reference is not a word; «!» before a listed word is punctuation.
    assert mended == "ركنت السبارة، سيارة\nجمعية أصدقاء الماء\nالمرجع: 2155/دشق/2026 دسق\nإدارة ادارة ! مدرسة"
    assert n == 2
    assert "2155/دشق/2026 دشق\n" in mend_text(text, lexicon, {"دشق": 97.0, "سبارة": 97.0})[0]
    assert mend_text(text, Lexicon([]), {}) == (text, 0)
    # The sign left glued to the rest of the word; before a listed word it stays punctuation.
    assert mend_text("رخصة !دارة |دارة و!مدرسة", lexicon, {})[0] == "رخصة إدارة ادارة و!مدرسة"


@pytest.mark.skipif(shutil.which("dawg2wordlist") is None, reason="tesseract-ocr's tools are not installed")
def test_tesseracts_own_arabic_word_list_is_read() -> None:
    lexicon = tesseract_lexicon("ara")
    assert len(lexicon) > 50_000
    assert {"الجماعة", "المملكة", "الرباط"} <= lexicon.words
    assert lexicon.mend("الحماعة") == "الجماعة"
    assert lexicon.mend("المستسفى") == "المستشفى"
    assert lexicon.mend("الخدمأت") == "الخدمات"
    assert len(tesseract_lexicon("no-such-language")) == 0
