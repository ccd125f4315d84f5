"""The word as typed ranks first, where that tells letters apart."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from search.api import search
from search.backends.tantivy_index import TantivyIndex
from search.document import IndexDocument
from search.query import SearchRequest

START = dt.datetime(2026, 2, 2, 9, tzinfo=dt.UTC)


def _index(path: Path, texts: list[str]) -> TantivyIndex:
    index = TantivyIndex(path, shards=1)
    index.upsert(
        [
            IndexDocument(id=i, registry_number=f"A-2026-{i:06d}", direction="A", received_at=START, text=t)
            for i, t in enumerate(texts, start=1)
        ]
    )
    index.commit()
    return index


def test_the_form_as_typed_ranks_first_when_few_letters_have_it(tmp_path: Path) -> None:
    # Longer letters rank lower by BM25: the exact form must outweigh that.
    texts = ["demandes de raccordement au réseau"] * 4 + ["demande de raccordement au réseau électrique du quartier"]
    index = _index(tmp_path / "i", texts)
    try:
        hits = search(index, SearchRequest(text="demande")).hits
        assert hits[0].registry_number == "A-2026-000005"
        assert index._queries._form_tells_apart("demande", "fr", "demand")
    finally:
        index.close()


def test_the_form_is_not_ranked_apart_when_nearly_every_letter_has_it(tmp_path: Path) -> None:
    index = _index(tmp_path / "i", ["demande de raccordement"] * 19 + ["demandes de raccordement"])
    try:
        assert not index._queries._form_tells_apart("demande", "fr", "demand")
        assert search(index, SearchRequest(text="demande")).total == 20  # the stem still decides the match
    finally:
        index.close()
