"""Parsing a clerk's search text: syntax, and input that must never break or inject."""

from __future__ import annotations

import datetime as dt

import pytest

from config.errors import QueryError
from lang.dates import parse_day
from search.query import AnyOf, Keyword, Phrase, Prefix, SearchRequest, Term, parse


def test_words_are_anded_and_stop_words_not_required() -> None:
    q = parse("طلب على رخصة de la construction")
    assert [c.forms.exact for c in q.must] == ["طلب", "رخصه", "construction"]


def test_only_stop_words_still_search_for_them() -> None:
    q = parse("على")
    assert len(q.must) == 1 and isinstance(q.must[0], Term)


def test_phrase_prefix_exclusion_and_or() -> None:
    q = parse('"طلب رخصة" رخص* -مقهى facture OR devis NOT urgent')
    assert isinstance(q.must[0], Phrase) and q.must[0].words == ("طلب", "رخصه")
    assert isinstance(q.must[1], Prefix) and q.must[1].prefix == "رخص"
    assert isinstance(q.must[2], AnyOf) and len(q.must[2].options) == 2
    assert [c.forms.exact for c in q.must_not] == ["مقهي", "urgent"]


def test_guillemets_are_quotes() -> None:
    q = parse("«طلب رخصة»")
    assert isinstance(q.must[0], Phrase)


def test_references_are_keywords() -> None:
    q = parse("١٢٣٤/ق.ت/٢٠٢٦ A-2026-000123")
    assert all(isinstance(c, Keyword) for c in q.must)
    assert q.must[0].key == "1234/قت/2026" and q.must[1].key == "a-2026-000123"


def test_latin_words_get_typo_tolerance_arabic_do_not() -> None:
    q = parse("Oubella Abderrahim رخصة")
    assert [c.fuzzy for c in q.must] == [1, 2, 0]


@pytest.mark.parametrize(
    "text",
    ['"طلب رخصة', '"', "OR", "AND OR NOT", "- * + ! ||", "*", "a*", "((", "]]", ")", "title:foo", "\\", ":", "~2"],
)
def test_odd_input_parses_without_error(text: str) -> None:
    q = parse(text)
    for c in q.must:
        assert isinstance(c, (Term, Phrase, Prefix, Keyword, AnyOf))


def test_unbalanced_quote_runs_to_the_end_and_says_so() -> None:
    q = parse('facture "fournitures de bureau')
    assert isinstance(q.must[1], Phrase) and q.must[1].words == ("fournitures", "de", "bureau")
    assert any("unbalanced" in n for n in q.notes)


def test_engine_syntax_is_just_text() -> None:
    q = parse("sender:x AND id:[1 TO 9]")
    assert q.must[0] == Phrase(("sender", "x")) and q.must[1] == Phrase(("id", "1"))
    assert [c.forms.exact for c in q.must[2:]] == ["to", "9"]


def test_control_characters_are_dropped() -> None:
    q = parse("\x00طلب\x1b\u202e رخصة\u2066")
    assert [c.forms.exact for c in q.must] == ["طلب", "رخصه"]


def test_ten_kilobytes_is_refused_with_advice() -> None:
    with pytest.raises(QueryError, match=r"too long.*at most 1,000"):
        parse("رخصة " * 2048)


def test_too_many_words_is_refused() -> None:
    with pytest.raises(QueryError, match="at most 40"):
        parse(" ".join(f"mot{i}" for i in range(60)))


def test_request_validation() -> None:
    with pytest.raises(QueryError, match="limit"):
        SearchRequest(limit=0).validated()
    with pytest.raises(QueryError, match="reversed"):
        SearchRequest(received_from=dt.date(2026, 5, 1), received_to=dt.date(2026, 1, 1)).validated()


@pytest.mark.parametrize(
    ("text", "day"),
    [("2026-03-14", dt.date(2026, 3, 14)), ("14/03/2026", dt.date(2026, 3, 14)), ("١٤/٠٣/٢٠٢٦", dt.date(2026, 3, 14))],
)
def test_days_in_clerk_formats(text: str, day: dt.date) -> None:
    assert parse_day(text) == day


def test_bad_day_says_how_to_write_it() -> None:
    with pytest.raises(QueryError, match="2026-03-14"):
        parse_day("mardi", "--from")


def test_a_year_or_month_bounds_a_range_on_both_sides() -> None:
    assert parse_day("2026", "--from", "start") == dt.date(2026, 1, 1)
    assert parse_day("2026", "--to", "end") == dt.date(2026, 12, 31)
    assert parse_day("2026-02", "--to", "end") == dt.date(2026, 2, 28)
    assert parse_day("12/2026", "--to", "end") == dt.date(2026, 12, 31)
    assert parse_day("٢٠٢٦-٠٣", "--from", "start") == dt.date(2026, 3, 1)
    with pytest.raises(QueryError):
        parse_day("2026", "--date")  # a letter's own date must be a day


def test_paging_is_bounded() -> None:
    from search.query import MAX_WINDOW

    with pytest.raises(QueryError, match="10,000"):
        SearchRequest(text="x", limit=20, offset=MAX_WINDOW).validated()
