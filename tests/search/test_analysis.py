"""The analysis chains: folding, stop words, stemming, tokens and reference keys."""

from __future__ import annotations

import pytest

from lang.chains import analyze, forms
from lang.references import looks_like_reference, reference_key, references_in
from lang.tokens import tokenize
from tests.search.golden import GOLDEN, SAME_STEM_AR, SAME_STEM_FR, SAME_WORD


@pytest.mark.parametrize(("word", "exact", "arabic", "french"), GOLDEN)
def test_golden_word_list(word: str, exact: str, arabic: str | None, french: str | None) -> None:
    f = forms(word)
    assert f.exact == exact
    if f.script == "ar":
        assert f.arabic == arabic
    if f.script == "latin":
        assert f.french == french


@pytest.mark.parametrize("group", SAME_WORD, ids=lambda g: g[0])
def test_spelling_variants_fold_to_one_word(group: list[str]) -> None:
    assert len({forms(w).exact for w in group}) == 1


@pytest.mark.parametrize("group", SAME_STEM_AR + SAME_STEM_FR, ids=lambda g: g[0])
def test_inflections_share_a_stem(group: list[str]) -> None:
    assert len({forms(w).arabic or forms(w).french for w in group}) == 1


def test_stop_words_are_checked_before_folding() -> None:
    # «على» is a preposition and leaves the Arabic field; «علي» is a name and stays.
    assert forms("على").stop and forms("على").arabic is None
    assert not forms("علي").stop and forms("علي").arabic
    assert analyze("وصل علي إلى المكتب").arabic.split() == [forms("وصل").arabic, forms("علي").arabic, "مكتب"]


def test_mixed_line_goes_to_both_language_fields() -> None:
    a = analyze("الموضوع: Réclamation au sujet de l'éclairage العمومي ٢٠٢٦")
    assert "reclam" in a.french.split() and "eclairag" in a.french.split()
    assert forms("العمومي").arabic in a.arabic.split()
    assert "2026" in a.exact.split() and "reclamation" in a.exact.split()


def test_tokens_keep_offsets_into_the_original_text() -> None:
    text = "عدد: 31.13 — l'état, ق.ت و أَحْمَد"
    toks = list(tokenize(text))
    assert [t.text for t in toks] == ["عدد", "31.13", "l'état", "ق.ت", "و", "أَحْمَد"]
    assert all(text[t.start : t.end] == t.text for t in toks)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("1234/ق.ت/2026", "١٢٣٤/ق ت/٢٠٢٦"),
        ("N° 55/DAJ/25", "55 / daj / 25"),
        ("عدد: 88/ج.ن/2026", "88/ج.ن/2026"),
        ("A-2026-000123", "a-٢٠٢٦-123"),
    ],
)
def test_reference_keys_ignore_spacing_prefixes_and_digit_script(a: str, b: str) -> None:
    assert reference_key(a) == reference_key(b)


def test_references_are_found_in_a_letter() -> None:
    refs = references_in("رقم: 88/ج.ن/2026\nN° 317/AF/2026 du 05/11/2026, copie à A-2026-000042")
    assert {"88/جن/2026", "317/af/2026", "a-2026-000042"} <= set(refs)
    assert looks_like_reference("١٢٣٤/ق.ت/٢٠٢٦") and looks_like_reference("A-2026-000042")
    assert not looks_like_reference("2026") and not looks_like_reference("رخصة")
