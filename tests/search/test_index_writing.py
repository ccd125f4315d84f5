"""How letters reach the index: analysed and written by shard workers for large batches, with
the same result as in this process; and who finds them: the permission tokens as every backend filters them."""

from __future__ import annotations

import datetime as dt
import multiprocessing
import os
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pytest

from archive.access_tokens import entry_access_tokens
from search.api import search
from search.backends.base import SearchIndex
from search.backends.tantivy_index import TantivyIndex
from search.document import IndexDocument
from search.query import SearchRequest
from tests.search.conftest import BACKENDS, drop_index, make_index

WHEN = dt.datetime(2026, 3, 2, 9, tzinfo=dt.UTC)


def letter(i: int, text: str, *, confidential: bool = False, services: tuple[str, ...] = ("urbanisme",),
           readers: tuple[str, ...] = ()) -> IndexDocument:  # fmt: skip
    return IndexDocument(
        id=i, registry_number=f"A-2026-{i:06d}", direction="A", received_at=WHEN, text=text,
        services=services, confidential=confidential,
        access=entry_access_tokens(confidential, list(services), list(readers)),
    )  # fmt: skip


def test_shard_workers_write_what_this_process_writes(tmp_path: Path) -> None:
    """A batch written by the shard workers (two of them, for three shards) is found by every
    kind of query as the same batch written in this process, and a second batch replaces the
    letters it holds again."""
    docs = [letter(i, f"طلب رخصة البناء رقم {i}/ق.ت/2026\nDemande n° {i} de Mme Benjelloun") for i in range(1, 12)]
    again = [letter(i, f"Réclamation de M. Khalid Safir, lettre {i}") for i in (3, 12)]
    in_process = TantivyIndex(tmp_path / "local", shards=3, workers_from=1000)
    workers = TantivyIndex(tmp_path / "workers", shards=3, workers=2, workers_from=2)
    queries = ["رخص", "البناء", '"رخصة البناء"', "بنجلون", "Benjelloun", "demandes", "7/ق.ت/2026", "A-2026-000011",
               "رخص*", "benj*", "خالد سفير", "Safir"]  # fmt: skip
    try:
        for index in (in_process, workers):
            index.upsert(docs)
            index.commit()
            index.upsert(again)
            index.commit()
        assert workers._workers is not None and in_process._workers is None
        assert workers.count() == in_process.count() == 12
        for q in queries:
            want = [h.registry_number for h in search(in_process, SearchRequest(text=q, limit=20)).hits]
            assert [h.registry_number for h in search(workers, SearchRequest(text=q, limit=20)).hits] == want, q
            assert want, q
        assert search(workers, SearchRequest(text="البناء")).total == 10  # letter 3 was replaced
    finally:
        in_process.close()
        workers.close()


def test_a_rebuild_through_the_workers_is_searchable(tmp_path: Path) -> None:
    index = TantivyIndex(tmp_path / "index", workers=2, workers_from=4)
    docs = [letter(i, f"شكاية بخصوص الإنارة العمومية بالحي {i}") for i in range(1, 10)]
    docs.append(letter(10, "Réclamation de M. Khalid Safir sur l'éclairage public"))
    try:
        index.upsert([letter(99, "رسالة قديمة عن الإنارة")])
        index.commit()
        assert index.rebuild(iter(docs)) == 10
        assert index._workers is not None
        assert search(index, SearchRequest(text="الإنارة")).total == 9  # the old letter is gone
        assert [h.registry_number for h in search(index, SearchRequest(text="خالد سفير")).hits] == ["A-2026-000010"]
    finally:
        index.close()


def test_a_worker_that_stops_fails_the_commit_and_the_next_session_writes(tmp_path: Path) -> None:
    from config.errors import SearchUnavailable

    index = TantivyIndex(tmp_path / "index", workers=2, workers_from=2)
    try:
        index.upsert([letter(i, f"شكاية رقم {i}") for i in range(1, 5)])
        index._workers._processes[0].kill()  # type: ignore[union-attr]
        index._workers._processes[0].join()  # type: ignore[union-attr]
        with pytest.raises(SearchUnavailable):
            index.commit()
        assert index.count() < 4  # the other worker's shard may have committed: shards commit apart
        index.upsert([letter(i, f"شكاية رقم {i}") for i in range(1, 5)])
        index.commit()
        assert index.count() == 4  # written again, none twice
    finally:
        index.close()


@pytest.fixture(params=BACKENDS)
def index(request: pytest.FixtureRequest, tmp_path: Path):
    idx = make_index(request.param, tmp_path)
    idx.upsert(
        [
            letter(1, "رخصة مفتوحة للعموم"),
            letter(2, "رخصة سرية للتعمير", confidential=True),
            letter(3, "رخصة سرية للمالية", confidential=True, services=("finances",)),
            letter(4, "رخصة سرية مسماة", confidential=True, services=("finances",), readers=("amina",)),
            letter(5, "رخصة مفتوحة للمالية", services=("finances",)),
        ]
    )
    idx.commit()
    yield idx
    drop_index(idx)


def found(index: SearchIndex, access: tuple[str, ...] | None) -> list[int]:
    res = search(index, SearchRequest(text="رخصة", access=access, limit=50))
    return sorted(h.fields["id"] for h in res.hits)


def test_each_viewer_finds_exactly_the_letters_open_to_them(index: SearchIndex) -> None:
    # A broad role of urbanisme: every open letter, and the confidential ones of its service.
    assert found(index, ("svc:urbanisme", "user:karim", "all")) == [1, 2, 5]
    # Named on a confidential letter of another service: that one too.
    assert found(index, ("svc:urbanisme", "user:amina", "all")) == [1, 2, 4, 5]
    # A narrow role sees only what its service or its name carries, open or not.
    assert found(index, ("svc:finances", "user:said")) == [3, 4, 5]
    assert found(index, ("none:",)) == []
    assert found(index, None) == [1, 2, 3, 4, 5]  # admin: no filter


def test_a_reader_kept_open_sees_each_commit_and_knows_a_new_index(tmp_path: Path) -> None:
    import shutil

    path = tmp_path / "index"
    reader, writer = TantivyIndex(path), TantivyIndex(path)
    try:
        assert search(reader, SearchRequest(text="الإنارة")).total == 0
        writer.upsert([letter(1, "شكاية بخصوص الإنارة العمومية")])
        writer.commit()
        assert reader.refresh() and search(reader, SearchRequest(text="الإنارة")).total == 1
        writer.close()
        shutil.rmtree(path)  # an operator deletes the index; the next opening starts a new one
        TantivyIndex(path).close()
        assert not reader.refresh()
    finally:
        reader.close()


def _open_at(path: str, start_at: float, text: str) -> str:
    """In its own process: open the index at ``start_at``, add one letter, return the identity."""
    while time.time() < start_at:
        pass
    index = TantivyIndex(Path(path))
    try:
        index.upsert([letter(os.getpid(), text)])
        index.commit()
        return index.identity()
    finally:
        index.close()


def test_processes_opening_a_new_folder_together_share_one_index(tmp_path: Path) -> None:
    # A web process and a worker open a new home's index at the same moment: neither may wipe
    # what the other created and wrote (a worker's letters were once left out of the web's index).
    ctx = multiprocessing.get_context("spawn")
    for attempt in range(3):
        path = tmp_path / f"index-{attempt}"
        with ProcessPoolExecutor(4, mp_context=ctx) as pool:
            list(pool.map(abs, range(4)))  # started before the clock, so they open together
            start_at = time.time() + 0.5
            futures = [pool.submit(_open_at, str(path), start_at, "شكاية بخصوص الإنارة العمومية") for _ in range(4)]
            identities = {f.result(timeout=120) for f in futures}
        reader = TantivyIndex(path)
        try:
            assert identities == {reader.identity()}
            assert search(reader, SearchRequest(text="الإنارة")).total == 4
        finally:
            reader.close()


def test_upserts_replace_whatever_the_order_of_ids(tmp_path: Path) -> None:
    # New letters above every indexed id are added without a delete: one added twice before a
    # commit, or an older one changed, must still be listed once, with its last text.
    index = TantivyIndex(tmp_path / "index", shards=2)
    try:
        index.upsert([letter(i, f"شكاية رقم {i}") for i in (1, 2, 3)])
        index.commit()
        index.upsert([letter(2, "Réclamation modifiée"), letter(5, "طلب رخصة"), letter(4, "طلب رخصة")])
        index.upsert([letter(5, "Réclamation modifiée")])
        index.commit()
        assert index.count() == 5
        found = search(index, SearchRequest(text="modifiée", limit=10)).hits
        assert sorted(h.registry_number for h in found) == ["A-2026-000002", "A-2026-000005"]
        assert search(index, SearchRequest(text="طلب")).total == 1
        index.upsert([letter(9, "Réclamation modifiée")])
        index.upsert([letter(9, "Réclamation modifiée")])
        index.commit()
        assert search(index, SearchRequest(text="modifiée")).total == 3
    finally:
        index.close()


def _start_workers_and_die(path: str, pids_file: str) -> None:
    """In its own process: start the shard workers mid-session, then die without closing."""
    index = TantivyIndex(Path(path), workers=2, workers_from=2)
    index.upsert([letter(i, f"شكاية رقم {i}") for i in range(1, 5)])
    Path(pids_file).write_text(" ".join(str(p.pid) for p in index._workers._processes))  # type: ignore[union-attr]
    os._exit(0)  # killed: no close, no atexit


def test_shard_workers_leave_when_their_caller_dies(tmp_path: Path) -> None:
    pids_file = tmp_path / "pids"
    p = multiprocessing.get_context("spawn").Process(
        target=_start_workers_and_die, args=(str(tmp_path / "index"), str(pids_file))
    )
    p.start()
    p.join(60)
    pids = [int(x) for x in pids_file.read_text().split()]
    deadline = time.monotonic() + 20
    while any(_alive(pid) for pid in pids) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not any(_alive(pid) for pid in pids)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A child that has exited but not been reaped is a zombie: gone for this purpose.
    stat = Path(f"/proc/{pid}/stat")
    return stat.exists() and stat.read_text().split(")")[-1].split()[0] != "Z"


def test_closing_with_a_stopped_worker_mid_session_does_not_fail(tmp_path: Path) -> None:
    index = TantivyIndex(tmp_path / "index", workers=2, workers_from=2)
    index.upsert([letter(i, f"شكاية رقم {i}") for i in range(1, 5)])
    index._workers._processes[1].kill()  # type: ignore[union-attr]
    index._workers._processes[1].join()  # type: ignore[union-attr]
    index.close()  # the other worker rolls back; the stopped one's letters went with it
    reopened = TantivyIndex(tmp_path / "index")
    try:
        assert reopened.count() == 0
    finally:
        reopened.close()
