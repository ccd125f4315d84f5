"""A clerk's search text, parsed into clauses the backends translate; never passed through raw.

Syntax: words are ANDed; "double quotes" make a phrase; a trailing * makes a prefix (رخص*);
-word or NOT word excludes; OR between two parts accepts either. References and registry
numbers (1234/ق.ت/2026, A-2026-000123) are matched whole. Anything else is treated as text,
so no input can inject query syntax into the engine.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, replace

from config.errors import QueryError
from lang.chains import Forms, forms
from lang.folding import fold, prepare, script
from lang.names import query_keys
from lang.references import looks_like_reference, reference_key
from lang.tokens import words

MAX_QUERY_CHARS = 1000
MAX_CLAUSES = 40
MAX_LIMIT = 500
# How deep anyone may page: past this, refine the search. Unbounded offsets let one request
# ask the index for terabytes (page=100000000000 killed the server).
MAX_WINDOW = 10_000
MIN_PREFIX = 2


@dataclass(frozen=True)
class Term:
    word: str  # as typed, for backends that analyse server-side
    forms: Forms
    fuzzy: int = 0  # edit distance allowed on the exact form (Latin names)
    names: tuple[str, ...] = ()  # lang.names keys: the word as a name written in the other script


@dataclass(frozen=True)
class Phrase:
    words: tuple[str, ...]  # exact forms


@dataclass(frozen=True)
class Prefix:
    prefix: str  # folded
    script: str


@dataclass(frozen=True)
class Keyword:
    key: str  # reference key
    words: tuple[str, ...]  # its exact forms, to find it written in a letter's text too


@dataclass(frozen=True)
class AnyOf:
    options: tuple[Clause, ...]


Clause = Term | Phrase | Prefix | Keyword | AnyOf


@dataclass(frozen=True)
class ParsedQuery:
    must: tuple[Clause, ...] = ()
    must_not: tuple[Clause, ...] = ()
    # Stop words typed alone are kept here: used only if nothing else was asked.
    notes: tuple[str, ...] = ()

    @property
    def is_empty(self) -> bool:
        return not self.must and not self.must_not


@dataclass(frozen=True)
class SearchRequest:
    text: str = ""
    direction: str | None = None
    mail_type: str | None = None
    department: str | None = None
    status: str | None = None
    tags: tuple[str, ...] = ()
    language: str | None = None
    sender: str | None = None
    received_from: dt.date | None = None
    received_to: dt.date | None = None
    letter_from: dt.date | None = None
    letter_to: dt.date | None = None
    limit: int = 10
    offset: int = 0
    facets: bool = False
    # Who is asking, as access tokens (``archive.permissions.search_access``): a letter is a
    # hit only if it carries one of them. None: no restriction (an operator at the server).
    access: tuple[str, ...] | None = None

    def sender_terms(self) -> tuple[str, ...]:
        return tuple(f.exact for f in (forms(w) for w in words(self.sender or "")) if not f.stop)

    def validated(self) -> SearchRequest:
        if not 1 <= self.limit <= MAX_LIMIT:
            raise QueryError(f"--limit must be between 1 and {MAX_LIMIT}, got {self.limit}.")
        if self.offset < 0:
            raise QueryError("The result offset cannot be negative.")
        if self.offset + self.limit > MAX_WINDOW:
            raise QueryError(
                f"Results can be paged through up to the {MAX_WINDOW:,}th only; add words or filters to narrow them."
            )
        for lo, hi, what in (
            (self.received_from, self.received_to, "reception"),
            (self.letter_from, self.letter_to, "letter"),
        ):
            if lo and hi and lo > hi:
                raise QueryError(f"The {what} date range is reversed: {lo} is after {hi}.")
        return replace(self, direction=self.direction.upper() if self.direction else None)


def fuzziness(exact: str) -> int:
    """Typo tolerance for Latin words: names are misspelt, Arabic words are not guessed at."""
    n = len(exact)
    return 0 if n < 4 else 1 if n < 8 else 2


# --- parsing ---------------------------------------------------------------------------------

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]")
_PIECES = re.compile(r'(-?)"([^"]*)("?)|(\S+)')
_QUOTES = str.maketrans({"«": '"', "»": '"', "“": '"', "”": '"', "„": '"'})


def clean(text: str) -> str:
    text = unicodedata.normalize("NFC", text)
    text = _CONTROL.sub(" ", text).translate(_QUOTES)
    return " ".join(text.split())


def parse(text: str) -> ParsedQuery:
    if len(text) > MAX_QUERY_CHARS:
        raise QueryError(
            f"The search text is too long ({len(text):,} characters; at most {MAX_QUERY_CHARS:,}). "
            "Search with a few distinctive words and use the filters (--type, --from, --sender…)."
        )
    text = clean(text)
    must: list[Clause] = []
    must_not: list[Clause] = []
    stops: list[Clause] = []
    notes: list[str] = []
    negate_next = False
    pending_or = False
    for m in _PIECES.finditer(text):
        neg_quote, phrase_text, closing, piece = m.groups()
        if phrase_text is not None:
            if not closing:
                notes.append("unbalanced quote: the phrase runs to the end of the search text")
            clause = _phrase(phrase_text)
            negated = bool(neg_quote) or negate_next
        else:
            if piece in {"AND", "&&", "+"}:
                continue
            if piece in {"OR", "||", "|"}:
                pending_or = bool(must)
                continue
            if piece in {"NOT", "!"}:
                negate_next = True
                continue
            negated = negate_next or (piece.startswith("-") and len(piece) > 1)
            clause, is_stop = _word(piece.lstrip("-") if piece.startswith("-") else piece, notes)
            if is_stop and clause is not None and not negated:
                stops.append(clause)
                negate_next = pending_or = False
                continue
        negate_next = False
        if clause is None:
            continue
        if negated:
            must_not.append(clause)
        elif pending_or and must:
            prev = must.pop()
            options = (*prev.options, clause) if isinstance(prev, AnyOf) else (prev, clause)
            must.append(AnyOf(options))
        else:
            must.append(clause)
        pending_or = False
    if not must and stops:
        must = stops  # "على" alone still means something
    if len(must) + len(must_not) > MAX_CLAUSES:
        raise QueryError(
            f"The search has {len(must) + len(must_not)} words; at most {MAX_CLAUSES} are used. "
            "Keep the most distinctive ones, or put a passage in quotes."
        )
    return ParsedQuery(_once(_with_names(must)), _once(tuple(must_not)), tuple(notes))


def _once(clauses: tuple[Clause, ...]) -> tuple[Clause, ...]:
    """A word typed twice asks for nothing more: it is searched once (one posting list, not
    one per repetition), with the name keys of each place it was typed."""
    out: dict[object, Clause] = {}
    for c in clauses:
        key = (c.forms, c.fuzzy) if isinstance(c, Term) else c
        prev = out.get(key)
        if isinstance(prev, Term) and isinstance(c, Term):
            c = replace(prev, names=tuple(dict.fromkeys((*prev.names, *c.names))))
        out[key] = c
    return tuple(out.values())


def _with_names(clauses: list[Clause]) -> tuple[Clause, ...]:
    """Each word may also be a name written in the other script, alone or as one word with a
    neighbour («El Fassi», «نور الدين»)."""

    def neighbour(i: int, kind: str) -> str | None:
        c = clauses[i] if 0 <= i < len(clauses) else None
        if isinstance(c, Term) and not c.forms.stop and c.forms.script == kind:
            return c.word
        return None

    out = []
    for i, c in enumerate(clauses):
        if isinstance(c, Term) and not c.forms.stop:
            kind = c.forms.script
            c = replace(c, names=query_keys(c.word, neighbour(i - 1, kind), neighbour(i + 1, kind)))
        out.append(c)
    return tuple(out)


def _phrase(text: str) -> Clause | None:
    exact = tuple(forms(w).exact for w in words(text))
    if not exact:
        return None
    if len(exact) == 1:
        w = words(text)[0]
        return Term(w, forms(w))
    return Phrase(exact)


def _word(piece: str, notes: list[str]) -> tuple[Clause | None, bool]:
    if looks_like_reference(piece):
        return Keyword(reference_key(piece), tuple(forms(w).exact for w in words(piece))), False
    if piece.endswith("*"):
        stem = piece.rstrip("*")
        ws = words(stem)
        if len(ws) != 1:
            return _word(stem, notes) if ws else (None, False)
        prefix = fold(ws[0])
        if len(prefix) < MIN_PREFIX:
            notes.append(f"prefix {piece!r} ignored: give at least {MIN_PREFIX} letters before *")
            return None, False
        return Prefix(prefix, script(prepare(ws[0]))), False
    ws = words(piece)
    if not ws:
        return None, False  # punctuation, a lone operator or symbol
    if len(ws) > 1:
        # "sidi-allal", "l'état-civil": its parts next to each other.
        return Phrase(tuple(forms(w).exact for w in ws)), False
    f = forms(ws[0])
    return Term(ws[0], f, fuzzy=fuzziness(f.exact) if f.script == "latin" else 0), f.stop


def relaxed_min_match(q: ParsedQuery) -> int | None:
    """How many words a relaxed retry requires: all but a quarter (OCR misreads, typos).

    None when relaxing makes no sense (fewer than three words).
    """
    n = len(q.must)
    return None if n < 3 else n - max(1, n // 4)
