"""The index follows the catalogue by itself, and can always be rebuilt from it."""

from __future__ import annotations

import datetime as dt
import hashlib
import shutil
from pathlib import Path

import pytest

from archive import catalogue
from archive.catalogue import DocumentRecord, PageRecord
from archive.models import AuditEvent
from config import sijill
from config.errors import IndexingFailed
from search import service, sync
from search.api import search
from search.backends.opensearch_index import OpenSearchIndex, client_for
from search.backends.tantivy_index import TantivyIndex
from search.models import IndexCursor
from search.query import SearchRequest
from tests.fixtures.opensearch_stub import StubServer

pytestmark = pytest.mark.django_db(transaction=True)

TEXTS = [
    "جماعة وادي الزهور\nالموضوع: طلب رخصة إصلاح سقف منزل\nالإمضاء: سعيد الوردي",
    "Société Atlas Fournitures SARL\nObjet : facture des fournitures de bureau",
    "جمعية النخيل للتنمية المحلية\nالموضوع: طلب استعمال قاعة الاجتماعات",
]


def register(text: str, when: dt.datetime | None = None) -> str:
    sha = hashlib.sha256(text.encode()).hexdigest()
    lang = "fr" if text.isascii() or "Objet" in text else "ar"
    rec = DocumentRecord(sha, "pdf", "application/pdf", len(text), f"{sha[:8]}.pdf", f"originals/{sha}", "", [
        PageRecord(1, "text_layer", text, [lang]),
    ])  # fmt: skip
    entry, _ = catalogue.register_incoming(rec, "clerk", when)
    return entry.number


def numbers(index, text: str = "", **kw) -> list[str]:
    return [h.registry_number for h in search(index, SearchRequest(text=text, **kw)).hits]


def test_new_entries_and_corrections_reach_the_index(tmp_path: Path) -> None:
    index = TantivyIndex(tmp_path / "index")
    a, b = register(TEXTS[0]), register(TEXTS[1])
    assert sync.catch_up(index) == 2
    assert numbers(index, "رخصه") == [a] and numbers(index, "fournitures") == [b]
    assert sync.catch_up(index) == 0  # nothing new: nothing redone

    catalogue.update_entry(b, "clerk", status="closed", mail_type="facture", sender="Atlas Fournitures")
    assert sync.catch_up(index) == 1
    assert numbers(index, status="closed", mail_type="facture") == [b]
    assert numbers(index, sender="atlas") == [b]
    assert index.count() == 2
    index.close()


def test_a_lost_index_refills_itself_from_the_catalogue(tmp_path: Path) -> None:
    index = TantivyIndex(tmp_path / "index")
    for t in TEXTS:
        register(t)
    sync.catch_up(index)
    first_identity = index.identity()
    index.close()
    shutil.rmtree(tmp_path / "index")

    index = TantivyIndex(tmp_path / "index")
    assert index.identity() != first_identity and index.count() == 0
    assert sync.catch_up(index) == 3 and index.count() == 3
    index.close()


def test_reindex_rebuilds_and_sets_the_cursor(tmp_path: Path) -> None:
    index = TantivyIndex(tmp_path / "index")
    for t in TEXTS:
        register(t)
    ticks: list[int] = []
    assert sync.reindex(index, ticks.append) == 3 and sum(ticks) == 3
    cursor = IndexCursor.objects.get(index_id=index.identity())
    assert cursor.last_seq == AuditEvent.objects.latest("seq").seq
    assert sync.catch_up(index) == 0
    index.close()


def test_a_long_catch_up_is_one_call_to_the_index_per_commit(tmp_path: Path, monkeypatch) -> None:
    """Letters named on many pages of the audit log reach the index in one call, so that a
    migration's catch-up is analysed on every core; the cursor moves at each commit."""
    for t in TEXTS:
        register(t)
    monkeypatch.setattr(sync, "BATCH", 1)  # one audit event a page
    index = TantivyIndex(tmp_path / "index", workers=2, workers_from=3)
    calls: list[int] = []
    upsert = index.upsert
    monkeypatch.setattr(index, "upsert", lambda docs: calls.append(upsert(docs)) or calls[-1])
    try:
        assert sync.catch_up(index) == 3
        assert calls == [3] and index._workers is not None  # the workers wrote them
        assert numbers(index, "fournitures") != []

        register("جماعة وادي الزهور\nالموضوع: طلب ربط المنزل بشبكة الماء")
        register("Association Al Amal\nObjet : demande de subvention")
        seqs = list(AuditEvent.objects.order_by("seq").values_list("seq", flat=True))
        monkeypatch.setattr(index, "commit", _fails_after(1, index.commit))
        with pytest.raises(OSError):
            sync.catch_up(index, commit_every=1)
        # The first span was committed and counted; the second is retried.
        assert IndexCursor.objects.get(index_id=index.identity()).last_seq < seqs[-1]
        assert numbers(index, "الماء") != [] and numbers(index, "subvention") == []
    finally:
        index.close()


def _fails_after(n: int, commit):
    done = []

    def once_then_fail() -> None:
        if len(done) >= n:
            raise OSError("disk full")
        done.append(commit())

    return once_then_fail


def test_failed_indexing_is_retried_on_the_next_catch_up() -> None:
    for t in TEXTS:
        register(t)
    with StubServer() as stub:
        index = OpenSearchIndex(client_for(stub.url, 2.0), "sijill-documents")
        stub.cluster.overrides[("POST", "/_bulk")] = lambda req: (
            200,
            {
                "errors": True,
                "items": [{"index": {"_id": "2", "status": 429, "error": {"type": "es_rejected", "reason": "busy"}}}],
            },
        )
        with pytest.raises(IndexingFailed):
            sync.catch_up(index)
        assert IndexCursor.objects.get(index_id=index.identity()).last_seq == 0
        del stub.cluster.overrides[("POST", "/_bulk")]
        assert sync.catch_up(index) == 3
        assert IndexCursor.objects.get(index_id=index.identity()).last_seq == AuditEvent.objects.latest("seq").seq


def test_service_searches_an_up_to_date_index(tmp_path: Path) -> None:
    settings = sijill.load({"SIJILL_HOME": str(tmp_path / "home")})
    a = register(TEXTS[2], dt.datetime(2026, 12, 3, 9, tzinfo=dt.UTC))
    res = service.search_catalogue(settings, SearchRequest(text="الاجتماع", facets=True))
    assert [h.registry_number for h in res.hits] == [a] and res.facets["year"] == [("2026", 1)]
    b = register(TEXTS[0])
    assert service.update_after_changes(settings) == 1
    res = service.search_catalogue(settings, SearchRequest(text="طلب"))
    assert {h.registry_number for h in res.hits} == {a, b}
    assert service.rebuild(settings) == 2


def test_search_answers_while_another_process_writes_the_index(tmp_path: Path) -> None:
    settings = sijill.load({"SIJILL_HOME": str(tmp_path / "home")})
    a = register(TEXTS[0])
    service.update_after_changes(settings)
    register(TEXTS[1])
    busy = TantivyIndex(settings.index_dir)
    busy.upsert([])  # holds the writer, as a long ingest would
    try:
        res = service.search_catalogue(settings, SearchRequest(text="رخصة"))
    finally:
        busy.close()
    assert [h.registry_number for h in res.hits] == [a]
    assert any("newest letters may be missing" in n for n in res.notes)
