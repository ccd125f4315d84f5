"""Embedded search index: Tantivy in a folder under SIJILL_HOME.

Words are analysed in Python (``lang``) and stored space-separated in fields that
Tantivy splits on whitespace: Tantivy has no Arabic normaliser, and one analyser for indexing,
querying and snippets keeps all three in agreement.

The index is split into shards by letter id, one per core, searched at the same time: Tantivy
searches one index on one thread, and a word found in most letters of a large archive is a
posting list walked in full for the count. Shards keep their own word statistics, as
OpenSearch's do; letters are spread evenly, so the statistics agree closely.
"""

from __future__ import annotations

import json
import logging
import math
import os
import shutil
import time
import uuid
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from itertools import chain, islice
from pathlib import Path
from typing import TypeVar

import tantivy
from tantivy import Query

from config.errors import SearchUnavailable
from search.backends import writer_lock
from search.backends.base import FACETS, RawResults
from search.backends.tantivy_document import build_schema
from search.backends.tantivy_query import QueryBuilder
from search.backends.tantivy_writers import ShardWriters, commit_all, write
from search.document import IndexDocument, StoredHit
from search.query import ParsedQuery, SearchRequest

log = logging.getLogger("sijill.search")

SCHEMA_VERSION = 9  # 6: sharded; 7: text stored apart from the JSON payload; 8: word starts;
# 9: the Moroccan letters ڭ ݣ گ ڤ پ folded (lang.folding)
_IDENTITY_FILE = "sijill-index.json"
_MAX_SHARDS = 8
# A call with this many letters or more is analysed and written by the shard workers; fewer are
# done in this process (starting the workers costs more than a few letters).
WORKERS_FROM = 2000
# Letters sent to the workers at a time. Small rounds keep every worker busy from the start
# (with rounds of 2,000 a 5,000-letter call left workers idle for a third of it).
ROUND = 500
T = TypeVar("T")
R = TypeVar("R")


def default_shards() -> int:
    """One shard per core this process may use: a search walks them side by side."""
    return max(1, min(_MAX_SHARDS, len(os.sched_getaffinity(0))))


class TantivyIndex:
    name = "tantivy"

    def __init__(
        self,
        path: Path,
        heap_bytes: int = 128_000_000,
        bulk_heap_bytes: int = 192_000_000,
        writer_wait_s: float = 120,
        shards: int | None = None,
        workers: int | None = None,
        workers_from: int = WORKERS_FROM,
    ) -> None:
        """``shards``: for a new index only (an existing one keeps its own); default one per core.
        ``workers``: processes that write large batches (default one per core, at most 4).
        ``heap_bytes``: the writers' memory for a small batch; ``bulk_heap_bytes``: for a large
        one, written by the workers."""
        self.path = path
        self.writer_wait_s = writer_wait_s
        self._heap = heap_bytes
        self._bulk_heap = bulk_heap_bytes
        self._new_shards = shards or default_shards()
        self._schema = build_schema()
        self._indexes: list[tantivy.Index] = []
        self._writers: list[tantivy.IndexWriter] | None = None  # this process's, while writing
        self._workers: ShardWriters | None = None
        self._workers_writing = False  # the current write session goes through the workers
        self._n_workers = workers if workers is not None else min(4, os.cpu_count() or 1)
        self._workers_from = workers_from
        self._high_water = 0  # while writing: no letter above this id is in the index
        self._lock_file = None
        self._last_reload = 0.0
        self._pool: ThreadPoolExecutor | None = None
        self._identity = self._open()
        self._queries = QueryBuilder(self._schema, self._doc_freq, self.count)

    # --- lifecycle ---

    def _open(self) -> str:
        try:
            self.path.mkdir(parents=True, exist_ok=True)
            ident = self._current()
            if ident is None:
                # A fresh folder or an old layout: start over (the catalogue refills it), under the
                # writers' lock. A web process and a worker may open a new home's index at the
                # same moment; without the lock one wiped what the other had just created and
                # indexed, and kept searching an empty index.
                with writer_lock.held(self.path, self.writer_wait_s):
                    ident = self._current() or self._create()
        except (OSError, ValueError) as exc:
            raise SearchUnavailable(f"Cannot open the search index in {self.path}: {exc}") from exc
        return f"tantivy:{ident['id']}"

    def _current(self) -> dict | None:
        """The identity of a complete index of this schema in the folder, opened; else None."""
        ident_path = self.path / _IDENTITY_FILE
        ident = json.loads(ident_path.read_text()) if ident_path.exists() else {}
        if ident.get("schema") != SCHEMA_VERSION or not isinstance(ident.get("shards"), int):
            return None
        dirs = [self._shard_dir(i) for i in range(ident["shards"])]
        if not all(tantivy.Index.exists(str(d)) for d in dirs):
            return None
        self._indexes = [tantivy.Index.open(str(d)) for d in dirs]
        return ident

    def _shard_dir(self, i: int) -> Path:
        return self.path / f"shard-{i}"

    def _create(self) -> dict:
        for child in self.path.iterdir():
            if child.name != writer_lock.LOCK_NAME:
                shutil.rmtree(child) if child.is_dir() else child.unlink()
        self._indexes = []
        for i in range(self._new_shards):
            self._shard_dir(i).mkdir()
            self._indexes.append(tantivy.Index(self._schema, path=str(self._shard_dir(i)), reuse=False))
        ident = {"id": uuid.uuid4().hex, "schema": SCHEMA_VERSION, "shards": self._new_shards}
        # Last, and whole (renamed into place): the file marks the index complete.
        tmp = self.path / f"{_IDENTITY_FILE}.tmp"
        tmp.write_text(json.dumps(ident))
        tmp.replace(self.path / _IDENTITY_FILE)
        return ident

    def identity(self) -> str:
        return self._identity

    def refresh(self) -> bool:
        """For a reader kept open: see every commit made so far (0.1 ms), so that a clerk's
        change shows in their next search. False once the folder holds another index (deleted
        and refilled, or a new schema): then open it anew."""
        try:
            ident = json.loads((self.path / _IDENTITY_FILE).read_text())
        except (OSError, ValueError):
            return False
        if f"tantivy:{ident.get('id')}" != self._identity:
            return False
        self._reload()
        return True

    def _reload(self) -> None:
        for index in self._indexes:
            index.reload()
        self._last_reload = time.monotonic()

    def copy_to(self, dest: Path, while_locked: Callable[[], int]) -> int:
        """Copy the index under the writer lock that every Sijill writer takes, so no commit
        lands half-way; ``while_locked()`` runs under the same lock and its value is returned."""
        with writer_lock.held(self.path, wait_s=math.inf):
            value = while_locked()
            shutil.copytree(self.path, dest, ignore=shutil.ignore_patterns(writer_lock.LOCK_NAME, "*.lock", "*.tmp"))
        return value

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown()
            self._pool = None
        if self._writing():
            self._rollback()
        if self._workers is not None:
            self._workers.close()
            self._workers = None

    # --- writing ---

    def _writing(self) -> bool:
        return self._lock_file is not None

    def _begin(self, through_workers: bool) -> None:
        """Start a write session, unless one is open: the writers' lock, then the writers of the
        shards, in this process or in the workers for the whole session."""
        if self._writing():
            return
        # Tantivy allows one writer per index; other processes wait here instead of failing.
        self._lock_file = writer_lock.take(self.path, self.writer_wait_s)
        try:
            self._reload()
            self._high_water = self._max_id()
            # Tantivy wants at least 15 MB per indexing thread; one thread per shard. A large batch
            # gets more: every flush of the heap is a segment to merge later. At 1M letters 192 MB
            # wrote 2,289 letters/s instead of 2,165, for 120 MB more (256 MB: 2,448, but 2.1 GB
            # resident with the mapped index files); see docs/search.md.
            total = self._bulk_heap if through_workers else self._heap
            heap = max(15_000_000, total // len(self._indexes))
            if through_workers:
                if self._workers is not None and not self._workers.alive():  # one stopped: start anew
                    self._workers.close()
                    self._workers = None
                if self._workers is None:
                    dirs = [str(self._shard_dir(i)) for i in range(len(self._indexes))]
                    self._workers = ShardWriters(dirs, heap, self._n_workers)
            else:
                self._writers = [index.writer(heap_size=heap, num_threads=1) for index in self._indexes]
            self._workers_writing = through_workers
        except BaseException:
            self._end()
            raise

    def _end(self) -> None:
        self._writers = None  # dropping the writers frees tantivy's own locks
        self._workers_writing = False
        if self._lock_file is not None:
            self._lock_file.close()
            self._lock_file = None

    def _rollback(self) -> None:
        try:
            if self._workers_writing and self._workers is not None:
                try:
                    self._workers.rollback()
                except SearchUnavailable:  # a stopped worker's letters went with it
                    log.warning("search index: a writer process stopped before its rollback")
            for writer in self._writers or ():
                writer.rollback()
        finally:
            self._end()

    def _max_id(self) -> int:
        """The highest letter id in the index (0 when empty), as last committed."""
        spec = {"top": {"max": {"field": "id"}}}
        found = [s.aggregate(Query.all_query(), spec)["top"]["value"] for s in self._searchers() if s.num_docs]
        return int(max(found, default=0) or 0)

    def _replaces(self, doc_id: int) -> bool:
        """Whether a letter may have an older copy to delete. One above every id the index holds
        (committed, or added since) is new: each delete is looked up in every segment at commit,
        and catching up a whole archive in id order spent a twentieth of its time on them."""
        if doc_id <= self._high_water:
            return True
        self._high_water = doc_id
        return False

    def _start(self, docs: Iterable[IndexDocument]) -> Iterator[IndexDocument]:
        """Open the session a batch needs (workers for a large one), and the batch, whole."""
        it = iter(docs)
        head = list(islice(it, self._workers_from))
        self._begin(through_workers=len(head) >= self._workers_from and self._n_workers >= 2)
        return chain(head, it)

    def _write(self, docs: Iterator[IndexDocument], on_progress: Callable[[int], None] | None = None) -> int:
        n = 0
        for batch in iter(lambda: list(islice(docs, ROUND)), []):
            if self._workers_writing:
                self._workers.add([(d, self._replaces(d.id)) for d in batch])  # type: ignore[union-attr]
            else:
                for d in batch:
                    write(self._writers[d.id % len(self._writers)], d, self._replaces(d.id))  # type: ignore[index]
            n += len(batch)
            if on_progress:
                on_progress(len(batch))
        return n

    def upsert(self, docs: Iterable[IndexDocument]) -> int:
        return self._write(self._start(docs))

    def commit(self) -> None:
        if not self._writing():
            return
        try:
            if self._workers_writing:
                self._workers.commit()  # type: ignore[union-attr]
            commit_all(self._writers or [])
        finally:
            self._end()
        self._reload()

    def rebuild(self, docs: Iterable[IndexDocument], on_progress: Callable[[int], None] | None = None) -> int:
        docs = self._start(docs)
        if self._workers_writing:
            self._workers.clear()  # type: ignore[union-attr]
        for writer in self._writers or ():
            writer.delete_all_documents()
        self._high_water = 0
        n = self._write(docs, on_progress)
        # Readers switch from the old content to the new shard by shard, within milliseconds;
        # a letter is in one shard only, so none is ever listed twice.
        self.commit()
        return n

    # --- reading ---

    def _searchers(self) -> list[tantivy.Searcher]:
        if time.monotonic() - self._last_reload > 0.5:  # pick up other processes' commits
            self._reload()
        return [index.searcher() for index in self._indexes]

    def _each(self, shards: list[T], task: Callable[[T], R]) -> list[R]:
        """``task`` for every shard, side by side (Tantivy releases the GIL while it searches
        and while it reads stored letters)."""
        if len(shards) <= 1:
            return [task(s) for s in shards]
        if self._pool is None:
            self._pool = ThreadPoolExecutor(len(self._indexes) - 1, thread_name_prefix="sijill-search")
        # The first shard on this thread: one hand-over fewer (a tenth of a millisecond each).
        others = [self._pool.submit(task, s) for s in shards[1:]]
        first = task(shards[0])
        return [first, *(f.result() for f in others)]

    def count(self) -> int:
        return sum(s.num_docs for s in self._searchers())

    def _doc_freq(self, field: str, term: str) -> int:
        return sum(s.doc_freq(field, term) for s in self._searchers())

    def query(self, q: ParsedQuery, request: SearchRequest, min_match: int | None = None) -> RawResults:
        full, scored = self._queries.build(q, request, min_match)
        searchers = self._searchers()
        fetch = request.offset + request.limit

        def one(searcher: tantivy.Searcher) -> tuple[tantivy.SearchResult, dict]:
            if not scored:
                res = searcher.search(full, fetch, count=True, order_by_field="received", order=tantivy.Order.Desc)
            else:
                res = searcher.search(full, fetch, count=True)
            return res, (self._facets(searcher, full) if request.facets else {})

        results = self._each(searchers, one)
        # Best first across shards: by score, or by date received when nothing is searched for.
        ranked = sorted(
            ((key, shard, addr) for shard, (res, _) in enumerate(results) for key, addr in res.hits),
            key=lambda h: (-h[0], h[1], h[2].segment_ord, h[2].doc),
        )
        page = ranked[request.offset : fetch]
        # Each shard reads its own letters, side by side: a letter not read recently is a block
        # of the store to load and decompress (50 µs or so).
        shards = sorted({shard for _, shard, _ in page})
        wanted = {i: [addr for _, shard, addr in page if shard == i] for i in shards}
        read = self._each(shards, lambda i: iter([searchers[i].doc(addr) for addr in wanted[i]]))
        stored_in = dict(zip(shards, read, strict=True))
        hits = []
        for key, shard, _ in page:
            stored = next(stored_in[shard])  # the shard's letters come back in the page's order
            fields = json.loads(stored["payload"][0])
            fields["text"], fields["_folded"] = stored["body"][0].decode(), stored["folded"][0].decode()
            hits.append(StoredHit(float(key) if scored else 0.0, fields))
        total = sum(res.count or 0 for res, _ in results)
        facets = _merge_facets([f for _, f in results]) if request.facets else {}
        return RawResults(total, hits, facets)

    def _facets(self, searcher: tantivy.Searcher, query: Query) -> dict[str, dict[str, int]]:
        spec = {name: {"terms": {"field": name, "size": _FACET_SIZE}} for name in FACETS}
        agg = searcher.aggregate(query, spec)
        return {
            name: {str(b["key"]): int(b["doc_count"]) for b in agg.get(name, {}).get("buckets", [])} for name in FACETS
        }


_FACET_SIZE = 100


def _merge_facets(per_shard: list[dict[str, dict[str, int]]]) -> dict[str, list[tuple[str, int]]]:
    """Counts summed over shards, most frequent first (ties: by value), as one index gives them."""
    out = {}
    for name in FACETS:
        counts: dict[str, int] = {}
        for facets in per_shard:
            for key, n in facets.get(name, {}).items():
                counts[key] = counts.get(key, 0) + n
        out[name] = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:_FACET_SIZE]
    return out
