"""A letter as the embedded index's fields, and the schema that holds them.

The analysis (``lang``: folding, stemming, name keys, references) is pure Python and the slow
half of indexing; a large batch is analysed and written on every core (``tantivy_writers``).
"""

from __future__ import annotations

import datetime as dt
import json
from functools import lru_cache
from operator import itemgetter
from typing import Any
from zoneinfo import ZoneInfo

import tantivy

from archive.access_tokens import PUBLIC
from lang.chains import AnalyzedText, analyze, exact_terms, forms
from lang.names import keys_of_words
from lang.references import reference_key, references_in
from search.document import IndexDocument

LOCAL_TZ = ZoneInfo("Africa/Casablanca")
RAW_FILTERS = ("direction", "mail_type", "department", "status")  # department: multi-valued
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


def build_schema() -> tantivy.Schema:
    sb = tantivy.SchemaBuilder()
    sb.add_integer_field("id", stored=True, indexed=True, fast=True)
    sb.add_text_field("number", tokenizer_name="raw", index_option="basic")
    sb.add_text_field("refs", tokenizer_name="raw", index_option="basic")
    sb.add_text_field("names", tokenizer_name="raw", index_option="basic")  # lang.names keys
    for name in ("exact", "ar", "fr", "pairs"):
        sb.add_text_field(name, tokenizer_name="whitespace", index_option="position")
    sb.add_text_field("sender", tokenizer_name="whitespace", index_option="basic")
    sb.add_text_field("starts", tokenizer_name="whitespace", index_option="basic")
    # restricted: the letter is not open to every broad role (no PUBLIC token); see
    # tantivy_query.QueryBuilder._access.
    for name in (*RAW_FILTERS, "language", "tags", "access", "restricted"):
        sb.add_text_field(name, tokenizer_name="raw", fast=True, index_option="basic")
    sb.add_date_field("received", indexed=True, fast=True)
    sb.add_date_field("letter_date", indexed=True, fast=True)
    sb.add_integer_field("year", indexed=True, fast=True)
    for name in ("payload", "body", "folded"):  # see fields_of
        sb.add_bytes_field(name, stored=True)
    return sb.build()


def fields_of(d: IndexDocument) -> dict[str, Any]:
    """The index fields of one letter."""
    a = analyze(d.searchable_text)
    number = reference_key(d.registry_number)
    received = d.received_at if d.received_at.tzinfo else d.received_at.replace(tzinfo=dt.UTC)
    fields: dict[str, Any] = {
        "id": d.id,
        "number": number,
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
    refs = {*references_in(d.text), number}
    refs |= {reference_key(v) for v in (d.letter_reference, d.legacy_number) if v}
    refs.discard("")
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
    """The first 2 to 4 letters of every word and stem (``STARTS``), each once. Cut here, in
    Python: Tantivy's own n-gram tokenizer, fed the words as a list, cost its writer more.
    A word shorter than a cut adds itself (a one-letter word is never searched)."""
    # In no set order: the field keeps neither positions nor counts, so any order indexes the
    # same (sorting was a third of the cost).
    return " ".join(set().union(*map(_starts_of, a.words)))


# An entry holds about 1.2 KB (its cuts are strings of their own): this bounds the cache at
# about 60 MB per process, and the words a registry writes often stay in it.
@lru_cache(maxsize=50_000)
def _starts_of(word: str) -> frozenset[str]:
    """Cut once per word as written: a letter repeats its words, and an archive its vocabulary."""
    f = forms(word)
    return frozenset(cut(w) for w in (f.exact, f.arabic, f.french) if w for cut in _CUTS)


def to_tantivy(d: IndexDocument) -> tantivy.Document:
    return tantivy.Document(**fields_of(d))
