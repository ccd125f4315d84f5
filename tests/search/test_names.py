"""Names across scripts: a name typed in Latin letters finds it written in Arabic, and back."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

import pytest

from lang.names import query_keys, text_keys
from search.api import search
from search.backends.base import SearchIndex
from search.document import IndexDocument
from search.query import SearchRequest

PAIRS = [
    tuple(line.split("\t"))
    for line in (Path(__file__).parent / "data" / "name_pairs.tsv").read_text(encoding="utf-8").splitlines()
    if line.strip() and not line.startswith("#")
]


def _found(query: str, written: str) -> bool:
    """Every word of ``query`` meets a key of ``written`` (as the search backends ask)."""
    keys = set(text_keys(written))
    ws = query.split()
    return all(
        keys & set(query_keys(w, ws[i - 1] if i else None, ws[i + 1] if i + 1 < len(ws) else None))
        for i, w in enumerate(ws)
    )


def test_the_name_list_is_found_both_ways() -> None:
    assert len(PAIRS) >= 200
    found = sum(_found(latin, arabic) + _found(arabic, latin) for arabic, latin in PAIRS)
    # Names of one consonant (Ali, Leila, Ayoub) are left out on purpose: see lang/names.py.
    assert found / (2 * len(PAIRS)) >= 0.95


def test_different_names_do_not_meet() -> None:
    arabic = sorted({a for a, _ in PAIRS})
    tries = false = 0
    for a, latin in PAIRS[:80]:
        for other in arabic:
            if other != a:
                tries += 1
                false += _found(latin, other)
    assert false / tries < 0.01


@pytest.mark.parametrize(
    ("latin", "arabic"),
    [("Khalid Safir", "خالد سفير"), ("Benjelloun", "بن جلون"), ("Ben Jelloun", "بنجلون"), ("El Fassi", "الفاسي"),
     ("Abdelaziz", "عبد العزيز"), ("Noureddine", "نور الدين"), ("Essafi", "الصافي"), ("Khadidja", "خديجة")],
)  # fmt: skip
def test_spelling_rules(latin: str, arabic: str) -> None:
    assert _found(latin, arabic) and _found(arabic, latin)


def _letter(id_: int, text: str, language: str) -> IndexDocument:
    return IndexDocument(
        id=id_, registry_number=f"A-2026-{id_:06d}", direction="A", languages=(language,),
        received_at=dt.datetime(2026, 10, id_, 10, tzinfo=dt.UTC), text=text,
    )  # fmt: skip


LETTERS = [
    _letter(1, "الموضوع: طلب شهادة السكنى\nالإمضاء: خالد سفير", "ar"),
    _letter(2, "Objet : réclamation\nSignature : M. Benjelloun Karim", "fr"),
    _letter(3, "الموضوع: شكاية بخصوص الإنارة\nالإمضاء: فاطمة الزهراء العلمي", "ar"),
    _letter(4, "Objet : demande de permis\nM. Khalid Safir, architecte", "fr"),
    _letter(5, "الموضوع: طلب رخصة\nالإمضاء: سعيد الوردي", "ar"),
]


@pytest.fixture
def index(empty_index: SearchIndex) -> SearchIndex:
    empty_index.upsert(LETTERS)
    empty_index.commit()
    return empty_index


def _find(index: SearchIndex, text: str) -> list[int]:
    return [int(h.registry_number[-6:]) for h in search(index, SearchRequest(text=text)).hits]


def test_a_latin_query_finds_the_arabic_letter_and_ranks_the_written_one_first(index: SearchIndex) -> None:
    assert _find(index, "Khalid Safir") == [4, 1]
    assert _find(index, "khaled safir") == [4, 1]


def test_an_arabic_query_finds_the_french_letter(index: SearchIndex) -> None:
    assert _find(index, "بنجلون") == [2]
    assert _find(index, "خالد سفير") == [1, 4]


def test_a_compound_name_across_scripts(index: SearchIndex) -> None:
    assert _find(index, "Fatima Zahra Alami") == [3]
    assert _find(index, "Fatima Ezzahra El Alami") == [3]


def test_other_names_do_not_match(index: SearchIndex) -> None:
    assert _find(index, "Khalid Bennani") == []
    assert _find(index, "سعيد السفياني") == []


def test_reindexing_keeps_the_keys(index: SearchIndex) -> None:
    index.upsert([dataclasses.replace(LETTERS[0], text="الإمضاء: يوسف الإدريسي")])
    index.commit()
    assert _find(index, "Youssef Idrissi") == [1]
    assert _find(index, "Khalid Safir") == [4]
