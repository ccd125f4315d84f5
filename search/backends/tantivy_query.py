"""Sijill's parsed queries as Tantivy queries, for the embedded index (``tantivy_index``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

import tantivy
from tantivy import Occur, Query

from archive.access_tokens import PUBLIC
from lang.chains import pairs
from search.backends.tantivy_document import RAW_FILTERS, STARTS, local_midnight, utc_midnight
from search.query import AnyOf, Clause, Keyword, ParsedQuery, Phrase, Prefix, SearchRequest, Term

# A word found in more letters than this (and in more than 1 in 50) is an ordinary word of its
# script, not a name: its other-script name keys are not looked up (they are long posting lists).
_NAME_MAX_DF = 200
_NAME_MAX_SHARE = 0.02
# When this share of the letters holding a word's stem hold the word as typed, the exact form
# is not used to rank (QueryBuilder._form_tells_apart).
_SAME_FORM_SHARE = 0.9


@dataclass(frozen=True)
class QueryBuilder:
    """Builds queries; asks the index (every shard) how many letters hold a word, and in all."""

    schema: tantivy.Schema
    doc_freq: Callable[[str, str], int]
    count: Callable[[], int]

    def build(self, q: ParsedQuery, request: SearchRequest, min_match: int | None = None) -> tuple[Query, bool]:
        """The whole query (words, filters, exclusions), and whether it has words to score."""
        text_q = self._text_query(q, min_match)
        parts = ([(Occur.Must, text_q)] if text_q is not None else []) + self._filters(request)
        parts += [(Occur.MustNot, self._clause(c)) for c in q.must_not]
        if not any(o == Occur.Must for o, _ in parts):
            parts.append((Occur.Must, Query.all_query()))
        return Query.boolean_query(parts), text_q is not None

    def _text_query(self, q: ParsedQuery, min_match: int | None) -> Query | None:
        if not q.must:
            return None
        if min_match is not None:
            return Query.boolean_query([(Occur.Should, self._clause(c)) for c in q.must], min_match)
        parts: list[tuple[Occur, Query]] = []
        for c in q.must:
            # A typo-tolerant word the archive holds as typed is searched as typed (see _clause).
            if (
                isinstance(c, Term)
                and (c.forms.arabic or c.forms.french)
                and (not c.fuzzy or self._known(c.forms.exact, c.forms.french))
            ):
                # A document with the exact word also has its stem: the stem alone decides the
                # match (one posting list per word to intersect) and the exact form only ranks.
                field, stem = ("ar", c.forms.arabic) if c.forms.arabic else ("fr", c.forms.french)
                match = Query.term_query(self.schema, field, stem)
                if c.names and self._may_be_name(field, stem):
                    match = _any([match, self._names(c.names)])
                parts.append((Occur.Must, match))
                if len(q.must) < 3 and self._form_tells_apart(c.forms.exact, field, stem):
                    exact = Query.term_query(self.schema, "exact", c.forms.exact)
                    parts.append((Occur.Should, Query.boost_query(exact, 1.5)))
            else:
                parts.append((Occur.Must, self._clause(c)))
        return parts[0][1] if len(parts) == 1 else Query.boolean_query(parts)

    def _clause(self, c: Clause) -> Query:
        s = self.schema
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
            if STARTS[0] <= len(c.prefix) <= STARTS[1]:  # the same letters as the regexes below, scored alike
                return Query.const_score_query(Query.term_query(s, "starts", c.prefix), 1.0)
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
            return Query.term_query(self.schema, "exact", words[0])
        bigrams = pairs(words)
        if len(bigrams) == 1:
            return Query.term_query(self.schema, "pairs", bigrams[0])
        return Query.phrase_query(self.schema, "pairs", bigrams)

    def _names(self, keys: tuple[str, ...]) -> Query:
        # A union of term queries, not a term-set query: that one builds a bitset of the
        # whole index for every search.
        return Query.boost_query(_any([Query.term_query(self.schema, "names", k) for k in keys]), 0.5)

    def _may_be_name(self, field: str, term: str) -> bool:
        return self.doc_freq(field, term) <= max(_NAME_MAX_DF, _NAME_MAX_SHARE * self.count())

    def _access(self, tokens: tuple[str, ...]) -> tuple[Occur, Query]:
        """The viewer's permission filter. A broad role sees every open letter: rather than a
        union of the open ones (nearly the whole index), exclude the restricted letters that
        carry none of the viewer's tokens (a tenth of the index at most, in practice)."""
        s = self.schema
        own = [t for t in tokens if t != PUBLIC]
        if PUBLIC not in tokens:
            return Occur.Must, _any([Query.term_query(s, "access", t) for t in tokens])
        hidden = [(Occur.Must, Query.term_query(s, "restricted", "1"))]
        hidden += [(Occur.MustNot, Query.term_query(s, "access", t)) for t in own]
        return Occur.MustNot, Query.boolean_query(hidden)

    def _form_tells_apart(self, exact: str, field: str, stem: str) -> bool:
        """Whether ranking the exact form first changes much: not when nearly every letter with
        the stem has the form as typed. That boost then costs as much as the match itself (its
        posting list is as long) and moves few letters (with three words or more, the words
        themselves rank well enough and it is never added)."""
        return self.doc_freq("exact", exact) < _SAME_FORM_SHARE * self.doc_freq(field, stem)

    def _known(self, exact: str, french: str | None) -> bool:
        return self.doc_freq("exact", exact) > 0 or bool(french and self.doc_freq("fr", french) > 0)

    def _filters(self, r: SearchRequest) -> list[tuple[Occur, Query]]:
        s = self.schema
        out = []
        for name in RAW_FILTERS:
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
