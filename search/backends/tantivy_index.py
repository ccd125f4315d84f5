"""Embedded search index: Tantivy in a folder under SIJILL_HOME.

Words are analysed in Python (``lang``) and stored space-separated in fields that
Tantivy splits on whitespace: Tantivy has no Arabic normaliser, and one analyser for indexing,
querying and snippets keeps all three in agreement.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import json
import logging
import math
import shutil
import time
import uuid
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

import tantivy
from tantivy import Occur, Query

from archive.access_tokens import PUBLIC
from config.errors import SearchUnavailable
from lang.chains import pairs
from search.backends.base import FACETS, RawResults
from search.backends.tantivy_document import Analyser, local_midnight, utc_midnight
from search.document import IndexDocument, StoredHit
from search.query import AnyOf, Clause, Keyword, ParsedQuery, Phrase, Prefix, SearchRequest, Term

log = logging.getLogger("sijill.search")

SCHEMA_VERSION = 5
_RAW_FILTERS = ("direction", "mail_type", "department", "status")  # department: multi-valued
_IDENTITY_FILE = "sijill-index.json"
# A word found in more letters than this (and in more than 1 in 50) is an ordinary word of its
# script, not a name: its other-script name keys are not looked up (they are long posting lists).
_NAME_MAX_DF = 200
_NAME_MAX_SHARE = 0.02


def build_schema() -> tantivy.Schema:
    sb = tantivy.SchemaBuilder()
    sb.add_integer_field("id", stored=True, indexed=True, fast=True)
    sb.add_text_field("number", tokenizer_name="raw", index_option="basic")
    sb.add_text_field("refs", tokenizer_name="raw", index_option="basic")
    sb.add_text_field("names", tokenizer_name="raw", index_option="basic")  # lang.names keys
    for name in ("exact", "ar", "fr", "pairs"):
        sb.add_text_field(name, tokenizer_name="whitespace", index_option="position")
    sb.add_text_field("sender", tokenizer_name="whitespace", index_option="basic")
    # restricted: the letter is not open to every broad role (no PUBLIC token); see _access.
    for name in (*_RAW_FILTERS, "language", "tags", "access", "restricted"):
        sb.add_text_field(name, tokenizer_name="raw", fast=True, index_option="basic")
    sb.add_date_field("received", indexed=True, fast=True)
    sb.add_date_field("letter_date", indexed=True, fast=True)
    sb.add_integer_field("year", indexed=True, fast=True)
    sb.add_bytes_field("payload", stored=True)
    return sb.build()


class TantivyIndex:
    name = "tantivy"

    def __init__(self, path: Path, heap_bytes: int = 128_000_000, threads: int = 2, writer_wait_s: float = 120) -> None:
        self.path = path
        self.writer_wait_s = writer_wait_s
        self._heap = heap_bytes
        self._threads = threads
        self._schema = build_schema()
        self._writer: tantivy.IndexWriter | None = None
        self._lock_file = None
        self._last_reload = 0.0
        self._analyser = Analyser()
        self._identity = self._open()

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
                with self._locked(self.writer_wait_s):
                    ident = self._current() or self._create()
        except (OSError, ValueError) as exc:
            raise SearchUnavailable(f"Cannot open the search index in {self.path}: {exc}") from exc
        return f"tantivy:{ident['id']}"

    def _current(self) -> dict | None:
        """The identity of a complete index of this schema in the folder, opened; else None."""
        ident_path = self.path / _IDENTITY_FILE
        ident = json.loads(ident_path.read_text()) if ident_path.exists() else {}
        if ident.get("schema") != SCHEMA_VERSION or not tantivy.Index.exists(str(self.path)):
            return None
        self._index = tantivy.Index.open(str(self.path))
        return ident

    def _create(self) -> dict:
        for child in self.path.iterdir():
            if child.name != "writer.lock":
                shutil.rmtree(child) if child.is_dir() else child.unlink()
        self._index = tantivy.Index(self._schema, path=str(self.path), reuse=False)
        ident = {"id": uuid.uuid4().hex, "schema": SCHEMA_VERSION}
        # Last, and whole (renamed into place): the file marks the index complete.
        tmp = self.path / f"{_IDENTITY_FILE}.tmp"
        tmp.write_text(json.dumps(ident))
        tmp.replace(self.path / _IDENTITY_FILE)
        return ident

    @contextmanager
    def _locked(self, wait_s: float) -> Iterator[None]:
        lock = self._take_lock(wait_s)
        try:
            yield
        finally:
            lock.close()

    def _take_lock(self, wait_s: float) -> IO[str]:
        """The lock every Sijill writer of this folder takes; others wait up to ``wait_s``."""
        lock = (self.path / "writer.lock").open("w")
        deadline = time.monotonic() + wait_s
        while True:
            try:
                fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
                return lock
            except BlockingIOError:
                if time.monotonic() > deadline:
                    lock.close()
                    raise SearchUnavailable("The search index is busy being written by another process.") from None
                time.sleep(0.05)

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
        self._index.reload()
        self._last_reload = time.monotonic()
        return True

    def copy_to(self, dest: Path, while_locked: Callable[[], int]) -> int:
        """Copy the index under the writer lock that every Sijill writer takes, so no commit
        lands half-way; ``while_locked()`` runs under the same lock and its value is returned."""
        with self._locked(wait_s=math.inf):
            value = while_locked()
            shutil.copytree(self.path, dest, ignore=shutil.ignore_patterns("writer.lock", "*.lock", "*.tmp"))
        return value

    def close(self) -> None:
        self._analyser.close()
        if self._writer is not None:
            self._writer.rollback()
            self._release_writer()

    # --- writing ---

    def _acquire_writer(self) -> tantivy.IndexWriter:
        if self._writer is None:
            # Tantivy allows one writer per index; other processes wait here instead of failing.
            self._lock_file = self._take_lock(self.writer_wait_s)
            self._writer = self._index.writer(heap_size=self._heap, num_threads=self._threads)
        return self._writer

    def _release_writer(self) -> None:
        self._writer = None  # dropping the writer frees tantivy's own lock
        if self._lock_file is not None:
            self._lock_file.close()
            self._lock_file = None

    def upsert(self, docs: Iterable[IndexDocument]) -> int:
        writer = self._acquire_writer()
        n = 0
        for doc_id, doc in self._analyser.documents(docs):
            writer.delete_documents_by_term("id", doc_id)
            writer.add_document(doc)
            n += 1
        return n

    def commit(self) -> None:
        if self._writer is None:
            return
        try:
            self._writer.commit()
            self._writer.wait_merging_threads()
        finally:
            self._release_writer()
        self._index.reload()

    def rebuild(self, docs: Iterable[IndexDocument], on_progress: Callable[[int], None] | None = None) -> int:
        writer = self._acquire_writer()
        writer.delete_all_documents()
        n = 0
        for _, doc in self._analyser.documents(docs):
            writer.add_document(doc)
            n += 1
            if on_progress and n % 500 == 0:
                on_progress(500)
        if on_progress:
            on_progress(n % 500)
        self.commit()  # readers switch from the old content to the new in this one step
        return n

    # --- reading ---

    def _searcher(self) -> tantivy.Searcher:
        now = time.monotonic()
        if now - self._last_reload > 0.5:  # pick up other processes' commits
            self._index.reload()
            self._last_reload = now
        return self._index.searcher()

    def count(self) -> int:
        return self._searcher().num_docs

    def query(self, q: ParsedQuery, request: SearchRequest, min_match: int | None = None) -> RawResults:
        text_q = self._text_query(q, min_match)
        filters = self._filters(request)
        parts = ([(Occur.Must, text_q)] if text_q is not None else []) + filters
        parts += [(Occur.MustNot, self._clause(c)) for c in q.must_not]
        if not any(o == Occur.Must for o, _ in parts):
            parts.append((Occur.Must, Query.all_query()))
        full = Query.boolean_query(parts)
        searcher = self._searcher()
        fetch = request.offset + request.limit
        if text_q is None:
            res = searcher.search(full, fetch, count=True, order_by_field="received", order=tantivy.Order.Desc)
        else:
            res = searcher.search(full, fetch, count=True)
        hits = []
        for score, addr in res.hits[request.offset :]:
            payload = searcher.doc(addr)["payload"][0]
            hits.append(StoredHit(float(score) if text_q is not None else 0.0, json.loads(payload)))
        facets = self._facets(searcher, full) if request.facets else {}
        return RawResults(res.count or 0, hits, facets)

    def _facets(self, searcher: tantivy.Searcher, query: Query) -> dict[str, list[tuple[str, int]]]:
        spec = {name: {"terms": {"field": name, "size": 100}} for name in FACETS}
        agg = searcher.aggregate(query, spec)
        return {
            name: [(str(b["key"]), int(b["doc_count"])) for b in agg.get(name, {}).get("buckets", [])]
            for name in FACETS
        }

    def _text_query(self, q: ParsedQuery, min_match: int | None) -> Query | None:
        if not q.must:
            return None
        if min_match is not None:
            return Query.boolean_query([(Occur.Should, self._clause(c)) for c in q.must], min_match)
        parts: list[tuple[Occur, Query]] = []
        for c in q.must:
            if isinstance(c, Term) and not c.fuzzy and (c.forms.arabic or c.forms.french):
                # A document with the exact word also has its stem: the stem alone decides the
                # match (one posting list per word to intersect) and the exact form only ranks.
                field, stem = ("ar", c.forms.arabic) if c.forms.arabic else ("fr", c.forms.french)
                match = Query.term_query(self._schema, field, stem)
                if c.names and self._may_be_name(field, stem):
                    match = _any([match, self._names(c.names)])
                parts.append((Occur.Must, match))
                exact = Query.term_query(self._schema, "exact", c.forms.exact)
                if len(q.must) < 3:  # with three words or more, the words themselves rank well enough
                    parts.append((Occur.Should, Query.boost_query(exact, 1.5)))
            else:
                parts.append((Occur.Must, self._clause(c)))
        return parts[0][1] if len(parts) == 1 else Query.boolean_query(parts)

    def _clause(self, c: Clause) -> Query:
        s = self._schema
        if isinstance(c, Term):
            f = c.forms
            subs = [Query.boost_query(Query.term_query(s, "exact", f.exact), 1.5)]
            if f.arabic:
                subs.append(Query.term_query(s, "ar", f.arabic))
            if f.french:
                subs.append(Query.term_query(s, "fr", f.french))
            if c.fuzzy and not self._known(f.exact, f.french):
                # Typo tolerance only for words the archive does not contain as typed: an edit-
                # distance walk of the term dictionary is the one expensive query here.
                subs.append(Query.boost_query(Query.fuzzy_term_query(s, "exact", f.exact, c.fuzzy), 0.5))
            if c.names and self._may_be_name("exact", f.exact):  # the same name in the other script
                subs.append(self._names(c.names))
            return _any(subs)
        if isinstance(c, Phrase):
            return self._phrase(c.words)
        if isinstance(c, Prefix):
            pattern = _regex_escape(c.prefix) + ".*"
            subs = [Query.regex_query(s, "exact", pattern)]
            if c.script in ("ar", "latin"):
                subs.append(Query.regex_query(s, "ar" if c.script == "ar" else "fr", pattern))
            return _any(subs)
        if isinstance(c, Keyword):
            whole = Query.boost_query(
                _any([Query.term_query(s, "refs", c.key), Query.term_query(s, "number", c.key)]), 5.0
            )
            written = (
                Query.phrase_query(s, "exact", list(c.words))
                if len(c.words) > 1
                else Query.term_query(s, "exact", c.words[0])
            )
            return _any([whole, written])
        if isinstance(c, AnyOf):
            return _any([self._clause(o) for o in c.options])
        raise TypeError(f"unknown clause {c!r}")

    def _phrase(self, words: tuple[str, ...]) -> Query:
        """Words next to each other, looked up as indexed word pairs (short posting lists)."""
        if len(words) == 1:
            return Query.term_query(self._schema, "exact", words[0])
        bigrams = pairs(words)
        if len(bigrams) == 1:
            return Query.term_query(self._schema, "pairs", bigrams[0])
        return Query.phrase_query(self._schema, "pairs", bigrams)

    def _names(self, keys: tuple[str, ...]) -> Query:
        # A union of term queries, not a term-set query: that one builds a bitset of the
        # whole index for every search.
        return Query.boost_query(_any([Query.term_query(self._schema, "names", k) for k in keys]), 0.5)

    def _may_be_name(self, field: str, term: str) -> bool:
        searcher = self._searcher()
        df = searcher.doc_freq(field, term)
        return df <= max(_NAME_MAX_DF, _NAME_MAX_SHARE * searcher.num_docs)

    def _access(self, tokens: tuple[str, ...]) -> tuple[Occur, Query]:
        """The viewer's permission filter. A broad role sees every open letter: rather than a
        union of the open ones (nearly the whole index), exclude the restricted letters that
        carry none of the viewer's tokens (a tenth of the index at most, in practice)."""
        s = self._schema
        own = [t for t in tokens if t != PUBLIC]
        if PUBLIC not in tokens:
            return Occur.Must, _any([Query.term_query(s, "access", t) for t in tokens])
        hidden = [(Occur.Must, Query.term_query(s, "restricted", "1"))]
        hidden += [(Occur.MustNot, Query.term_query(s, "access", t)) for t in own]
        return Occur.MustNot, Query.boolean_query(hidden)

    def _known(self, exact: str, french: str | None) -> bool:
        searcher = self._searcher()
        return searcher.doc_freq("exact", exact) > 0 or bool(french and searcher.doc_freq("fr", french) > 0)

    def _filters(self, r: SearchRequest) -> list[tuple[Occur, Query]]:
        s = self._schema
        out = []
        for name in _RAW_FILTERS:
            if value := getattr(r, name):
                out.append((Occur.Must, Query.term_query(s, name, value)))
        if r.language:
            out.append((Occur.Must, Query.term_query(s, "language", r.language)))
        out += [(Occur.Must, Query.term_query(s, "tags", t)) for t in r.tags]
        if r.access is not None:
            out.append(self._access(r.access))
        out += [(Occur.Must, Query.term_query(s, "sender", t)) for t in r.sender_terms()]
        # Received: whole local days, so the upper bound is the next local midnight, excluded.
        if r.received_from or r.received_to:
            lo = local_midnight(r.received_from) if r.received_from else None
            hi = local_midnight(r.received_to + dt.timedelta(days=1)) if r.received_to else None
            out.append((Occur.Must, _date_range(s, "received", lo, hi, include_upper=hi is None)))
        if r.letter_from or r.letter_to:
            lo = utc_midnight(r.letter_from) if r.letter_from else None
            hi = utc_midnight(r.letter_to) if r.letter_to else None
            out.append((Occur.Must, _date_range(s, "letter_date", lo, hi, include_upper=True)))
        return out


def _date_range(
    s: tantivy.Schema, field: str, lo: dt.datetime | None, hi: dt.datetime | None, include_upper: bool
) -> Query:
    return Query.range_query(s, field, tantivy.FieldType.Date, lo, hi, include_upper=include_upper)


def _any(subs: list[Query]) -> Query:
    return subs[0] if len(subs) == 1 else Query.boolean_query([(Occur.Should, q) for q in subs])


_REGEX_SPECIAL = set(r"\.+*?()|[]{}^$#&-~")


def _regex_escape(text: str) -> str:
    return "".join("\\" + ch if ch in _REGEX_SPECIAL else ch for ch in text)
