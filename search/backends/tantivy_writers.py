"""Shard writers in worker processes: each analyses its letters and writes its own shards.

Indexing is bound by CPU: the analysis (``tantivy_document.fields_of``, pure Python) and
Tantivy's own writer. A large batch (a rebuild, a migration's catch-up) is spread over
worker processes, one per core; worker k owns the shards i with i % workers == k, turns each of
their letters into fields and writes them itself. The letters cross a process boundary once, as
they are: analysing in workers and writing in the calling process pickled every letter's
fields back (three times the bytes of the letter), and that process's share of the work capped
two cores at about 1,400 letters a second.

The calling process keeps the writers' lock (``TantivyIndex``) and decides which letters
replace an older copy; a worker's failure is reported at the next commit, which then fails.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import queue
from collections.abc import Sequence
from typing import Any

import tantivy

from config.errors import SearchUnavailable
from search.backends.tantivy_document import to_tantivy
from search.document import IndexDocument

log = logging.getLogger("sijill.search")

QUEUED = 4  # batches waiting per worker: the caller runs at most this far ahead
_POLL_S = 1.0


def write(writer: tantivy.IndexWriter, doc: IndexDocument, replaces: bool) -> None:
    """One letter into its shard's writer, its older copy deleted first when it may have one."""
    if replaces:
        writer.delete_documents_by_term("id", doc.id)
    writer.add_document(to_tantivy(doc))


def commit_all(writers: list[tantivy.IndexWriter]) -> None:
    """Every shard committed, then their merges waited for (they run side by side)."""
    for writer in writers:
        writer.commit()
    for writer in writers:
        writer.wait_merging_threads()


def _serve(shards: dict[int, str], heap: int, requests: Any, replies: Any, parent: int) -> None:
    """A worker's loop: ("add", [(letter, replaces an older copy)], shards), ("clear",),
    ("commit",), ("rollback",), ("stop",). Only commit and rollback are answered. A worker whose
    caller died (killed, so it never said stop) leaves, its letters uncommitted."""
    indexes = {i: tantivy.Index.open(path) for i, path in shards.items()}
    writers: dict[int, tantivy.IndexWriter] = {}
    failed: str | None = None
    while True:
        try:
            op, *args = requests.get(timeout=_POLL_S)
        except queue.Empty:
            if os.getppid() != parent:
                return
            continue
        if op == "stop":
            return
        try:
            if op in ("add", "clear") and failed is None:
                if not writers:
                    writers = {i: index.writer(heap_size=heap, num_threads=1) for i, index in indexes.items()}
                if op == "clear":
                    for writer in writers.values():
                        writer.delete_all_documents()
                for doc, replaces in args[0] if op == "add" else ():
                    write(writers[doc.id % args[1]], doc, replaces)
            elif op == "commit":
                if failed is not None:
                    raise RuntimeError(failed)
                commit_all(list(writers.values()))
                writers = {}
                replies.put(("ok", None))
            elif op == "rollback":
                for writer in writers.values():
                    writer.rollback()
                writers, failed = {}, None
                replies.put(("ok", None))
        except Exception as exc:  # reported to the caller, which raises it as SearchUnavailable
            failed = failed or f"{type(exc).__name__}: {exc}"
            if op in ("commit", "rollback"):
                for writer in writers.values():
                    writer.rollback()
                writers, failed = {}, None
                replies.put(("error", str(exc)))


class ShardWriters:
    """The worker processes that write an index's shards; started once, kept until ``close``."""

    def __init__(self, shard_dirs: Sequence[str], heap_per_shard: int, workers: int) -> None:
        self.n_shards = len(shard_dirs)
        self.workers = max(1, min(workers, self.n_shards))
        ctx = multiprocessing.get_context("spawn")  # not fork: the caller may run Tantivy's threads
        self._requests = [ctx.Queue(maxsize=QUEUED) for _ in range(self.workers)]
        self._replies = [ctx.Queue() for _ in range(self.workers)]
        self._processes = []
        for k in range(self.workers):
            mine = {i: path for i, path in enumerate(shard_dirs) if i % self.workers == k}
            args = (mine, heap_per_shard, self._requests[k], self._replies[k], os.getpid())
            p = ctx.Process(target=_serve, args=args, daemon=True)
            p.start()
            self._processes.append(p)

    def alive(self) -> bool:
        return all(p.is_alive() for p in self._processes)

    def add(self, letters: Sequence[tuple[IndexDocument, bool]]) -> None:
        """Letters with whether each replaces an older copy, sent to the workers of their shards."""
        parts: list[list[tuple[IndexDocument, bool]]] = [[] for _ in range(self.workers)]
        for item in letters:
            parts[(item[0].id % self.n_shards) % self.workers].append(item)
        for k, part in enumerate(parts):
            if part:
                self._send(k, ("add", part, self.n_shards))

    def clear(self) -> None:
        for k in range(self.workers):
            self._send(k, ("clear",))

    def commit(self) -> None:
        self._everyone("commit")

    def rollback(self) -> None:
        self._everyone("rollback")

    def close(self) -> None:
        for k, p in enumerate(self._processes):
            if p.is_alive():
                try:
                    self._requests[k].put(("stop",), timeout=_POLL_S)
                except queue.Full:
                    p.terminate()
        for p in self._processes:
            p.join(timeout=30)
            if p.is_alive():
                p.terminate()
        self._processes = []

    def _everyone(self, op: str) -> None:
        for k in range(self.workers):
            self._send(k, (op,))
        errors = [err for k in range(self.workers) if (err := self._reply(k)) is not None]
        if errors:
            raise SearchUnavailable(f"The search index could not {op} its letters: {errors[0]}")

    def _send(self, k: int, message: tuple) -> None:
        while True:
            try:
                self._requests[k].put(message, timeout=_POLL_S)
                return
            except queue.Full:
                self._check(k)

    def _reply(self, k: int) -> str | None:
        """The worker's answer; waited for as long as it lives (a commit of a large index merges
        segments for minutes)."""
        while True:
            try:
                status, detail = self._replies[k].get(timeout=_POLL_S)
                return None if status == "ok" else detail
            except queue.Empty:
                self._check(k)

    def _check(self, k: int) -> None:
        p = self._processes[k]
        if not p.is_alive():
            log.error("search index writer process %s stopped (exit code %s)", k, p.exitcode)
            raise SearchUnavailable("A search index writer process stopped; the letters will be indexed again.")
