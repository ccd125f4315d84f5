"""A letter as the embedded index's fields, analysed on every core.

The analysis (``lang``: folding, stemming, name keys, references) is pure Python and the slow
half of indexing; Tantivy's own writer is several times faster. A large batch (a rebuild, a
migration's catch-up) is analysed in worker processes while the writer adds the previous
batch. Small updates are analysed in the calling process: starting workers would cost more.
"""

from __future__ import annotations

import datetime as dt
import json
import multiprocessing
import os
from collections import deque
from collections.abc import Iterable, Iterator
from itertools import chain, islice
from operator import itemgetter
from typing import Any
from zoneinfo import ZoneInfo

import tantivy

from archive.access_tokens import PUBLIC
from lang.chains import AnalyzedText, analyze, exact_terms
from lang.names import keys_of_words
from lang.references import reference_key, references_in
from search.document import IndexDocument

LOCAL_TZ = ZoneInfo("Africa/Casablanca")
WORKERS_FROM = 2000  # a call with this many letters or more is analysed by the workers
# Letters per worker round. Small rounds: the writer waits only for the first one (with rounds
# of 2,000, a 5,000-letter call left the writer idle for a third of its analysis).
ROUND = 500
# Every distinct word and stem of a letter is indexed by its first 2 to 4 letters ("starts",
# as OpenSearch's index_prefixes): a short prefix is then one posting list, not a regex walk of
# the term dictionary that unions thousands of words' postings. Longer ones expand to few words;
# cutting 5 letters too cost the writer three times as much CPU as cutting 2 to 4.
STARTS = (2, 4)
_CUTS = [itemgetter(slice(0, k)) for k in range(STARTS[0], STARTS[1] + 1)]


def local_midnight(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.min, tzinfo=LOCAL_TZ)


def utc_midnight(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.min, tzinfo=dt.UTC)


def fields_of(d: IndexDocument) -> dict[str, Any]:
    """The index fields of one letter (plain values: they cross process boundaries)."""
    a = analyze(d.searchable_text)
    received = d.received_at if d.received_at.tzinfo else d.received_at.replace(tzinfo=dt.UTC)
    fields: dict[str, Any] = {
        "id": d.id,
        "number": reference_key(d.registry_number),
        "exact": a.exact,
        "ar": a.arabic,
        "fr": a.french,
        "pairs": a.pairs,
        "starts": word_starts(a),
        "sender": " ".join(exact_terms(d.sender)),
        "direction": d.direction,
        "received": received,
        "year": received.astimezone(LOCAL_TZ).year,
        # The letter's text and its folded words (line by line: snippets skip folding at query
        # time) are stored apart from the small JSON of the other fields: decoding them as
        # plain UTF-8 is three times faster than as JSON strings, for every hit shown.
        "payload": json.dumps({k: v for k, v in d.display().items() if k != "text"}, ensure_ascii=False).encode(),
        "body": d.text.encode(),
        "folded": a.exact.encode(),
    }
    refs = set(references_in(d.text))
    refs |= {reference_key(v) for v in (d.letter_reference, d.legacy_number, d.registry_number) if v}
    fields["refs"] = sorted(refs)
    if names := keys_of_words(a.exact.split()):
        fields["names"] = names
    for name in ("mail_type", "status"):
        if value := getattr(d, name):
            fields[name] = value
    if d.departments:
        fields["department"] = list(d.departments)
    if d.access:
        fields["access"] = list(d.access)
    if PUBLIC not in d.access:
        fields["restricted"] = "1"  # see tantivy_query.QueryBuilder._access
    if d.tags:
        fields["tags"] = list(d.tags)
    if d.languages:
        fields["language"] = list(d.languages)
    if d.letter_date:
        fields["letter_date"] = utc_midnight(d.letter_date)
    return fields


def word_starts(a: AnalyzedText) -> str:
    """The first 2 to 4 letters of every word and stem (``STARTS``), each once. Cut here, in the
    analysis workers: Tantivy's own n-gram tokenizer, fed the words as a list, cost the writing
    process more. A word shorter than a cut adds itself (a one-letter word is never searched)."""
    ws = {*a.exact.split(), *a.arabic.split(), *a.french.split()}
    out: set[str] = set()
    for cut in _CUTS:
        out.update(map(cut, ws))
    # In no set order: the field keeps neither positions nor counts, so any order indexes the
    # same (sorting was a third of the cost).
    return " ".join(out)


def to_tantivy(d: IndexDocument) -> tantivy.Document:
    return tantivy.Document(**fields_of(d))


def _fields_of_batch(docs: list[IndexDocument]) -> list[dict[str, Any]]:
    return [fields_of(d) for d in docs]


class Analyser:
    """Turns letters into Tantivy documents; owns the worker processes once a batch needs them."""

    def __init__(self, workers: int | None = None, workers_from: int = WORKERS_FROM, round_size: int = ROUND) -> None:
        self.workers = workers if workers is not None else min(4, os.cpu_count() or 1)
        self.workers_from = workers_from
        self.round_size = round_size
        self._pool: Any = None

    def documents(self, docs: Iterable[IndexDocument]) -> Iterator[tuple[int, tantivy.Document]]:
        """(letter id, its document), in the order given."""
        it = iter(docs)
        head = list(islice(it, self.workers_from))
        if len(head) < self.workers_from or self.workers < 2:
            for d in chain(head, it):
                yield d.id, to_tantivy(d)
            return
        pool = self._start()
        rest = iter(lambda: list(islice(it, self.round_size)), [])
        everything = chain(_chunks(head, self.round_size), rest)
        # The next rounds are analysed by the workers while the caller writes this one.
        pending = deque(pool.map_async(_fields_of_batch, _split(r, self.workers)) for r in islice(everything, 2))
        while pending:
            done = pending.popleft().get()
            if (r := next(everything, None)) is not None:
                pending.append(pool.map_async(_fields_of_batch, _split(r, self.workers)))
            for part in done:
                for fields in part:
                    yield fields["id"], tantivy.Document(**fields)

    def _start(self) -> Any:
        if self._pool is None:
            # spawn, not fork: the parent runs Tantivy's writer threads, which a fork would copy
            # mid-lock.
            self._pool = multiprocessing.get_context("spawn").Pool(self.workers)
        return self._pool

    def close(self) -> None:
        if self._pool is not None:
            self._pool.close()
            self._pool.join()
            self._pool = None


def _chunks(items: list[IndexDocument], size: int) -> list[list[IndexDocument]]:
    return [items[i : i + size] for i in range(0, len(items), size)]


def _split(batch: list[IndexDocument], parts: int) -> list[list[IndexDocument]]:
    return _chunks(batch, -(-len(batch) // parts))
