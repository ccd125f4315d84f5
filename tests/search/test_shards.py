"""A sharded embedded index answers as one index would: same letters, totals, facets and pages."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from pathlib import Path

import pytest

from search.api import search
from search.backends.tantivy_index import TantivyIndex
from search.document import IndexDocument
from search.query import SearchRequest, parse

START = dt.datetime(2026, 1, 5, 9, tzinfo=dt.UTC)
SUBJECTS = ("طلب رخصة البناء", "شكاية بخصوص الإنارة العمومية", "Demande de raccordement au réseau")


def letters(n: int) -> list[IndexDocument]:
    return [
        IndexDocument(
            id=i,
            registry_number=f"A-2026-{i:06d}",
            direction="A",
            # Pairs of letters received at the same minute: ties must not break paging.
            received_at=START + dt.timedelta(minutes=i // 2),
            text=f"{SUBJECTS[i % 3]}\nملف رقم {i}",
            mail_type=("demande", "plainte")[i % 2],
            department=("urbanisme", "voirie", "finances")[i % 3],
            access=("all", "svc:urbanisme"),
        )
        for i in range(1, 38)
    ]


@pytest.fixture
def pair(tmp_path: Path):
    one, three = TantivyIndex(tmp_path / "one", shards=1), TantivyIndex(tmp_path / "three", shards=3)
    for index in (one, three):
        index.upsert(letters(37))
        index.commit()
    yield one, three
    one.close()
    three.close()


def test_the_shard_count_is_kept_by_the_index(tmp_path: Path) -> None:
    TantivyIndex(tmp_path / "idx", shards=3).close()
    reopened = TantivyIndex(tmp_path / "idx", shards=1)  # an existing index keeps its own
    try:
        assert json.loads((tmp_path / "idx" / "sijill-index.json").read_text())["shards"] == 3
        assert sorted(p.name for p in (tmp_path / "idx").glob("shard-*")) == ["shard-0", "shard-1", "shard-2"]
        assert len(reopened._indexes) == 3
    finally:
        reopened.close()


@pytest.mark.parametrize("text", ["", "رخصة", "الإنارة العمومية", "raccordement", '"رخصة البناء"', "ملف -رخصة"])
def test_a_sharded_index_finds_what_one_index_finds(pair: tuple[TantivyIndex, TantivyIndex], text: str) -> None:
    one, three = pair
    req = SearchRequest(text=text, limit=100, facets=True)
    a, b = search(one, req), search(three, req)
    assert b.total == a.total > 0
    assert sorted(h.registry_number for h in b.hits) == sorted(h.registry_number for h in a.hits)
    assert b.facets == a.facets


def test_pages_of_a_sharded_index_cover_every_letter_once(pair: tuple[TantivyIndex, TantivyIndex]) -> None:
    _, three = pair
    seen: list[str] = []
    for offset in range(0, 37, 5):
        res = search(three, SearchRequest(text="", offset=offset, limit=5))
        assert res.total == 37
        seen += [h.registry_number for h in res.hits]
    assert sorted(seen) == sorted(d.registry_number for d in letters(37))
    # With no words, newest first across shards (ties between shards in a stable order).
    whole = [h.registry_number for h in search(three, SearchRequest(text="", limit=100)).hits]
    assert whole == seen
    assert set(whole[:2]) == {"A-2026-000036", "A-2026-000037"} and whole[-1] == "A-2026-000001"


def test_a_letter_changed_stays_one_letter_in_its_shard(pair: tuple[TantivyIndex, TantivyIndex]) -> None:
    _, three = pair
    changed = dataclasses.replace(letters(37)[4], text="Réclamation sur l'éclairage public")
    three.upsert([changed])
    three.commit()
    assert three.count() == 37
    assert [h.registry_number for h in search(three, SearchRequest(text="éclairage")).hits] == [changed.registry_number]
    assert search(three, SearchRequest(text="raccordement")).total == 11  # 12 before: letter 5 was one


def test_a_word_typed_twice_is_searched_once() -> None:
    assert len(parse("demande demande demande").must) == 1
    twice = parse("طلب رخصة طلب")
    assert [c.word for c in twice.must] == ["طلب", "رخصة"]
