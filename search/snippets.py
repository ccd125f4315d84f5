"""Highlighted extracts of the original text, one bidi unit per fragment.

A fragment never crosses a line of the letter, so an Arabic line and a French line are never
mixed in one run of text; each is wrapped in a first-strong isolate (U+2068…U+2069) in plain
output and in ``<bdi>`` in HTML, and displays in its own direction.
"""

from __future__ import annotations

import html
from bisect import bisect_right
from dataclasses import dataclass, field
from itertools import accumulate

from rapidfuzz.distance import Levenshtein

from lang.chains import forms
from lang.folding import fold_arabic, fold_text, script
from lang.tokens import spans as word_spans
from search.query import AnyOf, Clause, Keyword, ParsedQuery, Phrase, Prefix, Term

FSI, PDI = "\u2068", "\u2069"
ELLIPSIS = " … "


@dataclass(frozen=True)
class Fragment:
    text: str
    direction: str  # "rtl" or "ltr"
    highlights: tuple[tuple[int, int], ...]  # offsets into text

    def plain(self) -> str:
        return f"{FSI}{self.text}{PDI}"

    def html(self) -> str:
        out, pos = [], 0
        for s, e in self.highlights:
            out += [html.escape(self.text[pos:s]), "<mark>", html.escape(self.text[s:e]), "</mark>"]
            pos = e
        out.append(html.escape(self.text[pos:]))
        return f'<bdi dir="{self.direction}">{"".join(out)}</bdi>'

    def as_json(self) -> dict:
        return {"text": self.text, "direction": self.direction, "highlights": [list(h) for h in self.highlights]}


@dataclass(frozen=True)
class Snippet:
    fragments: tuple[Fragment, ...] = ()

    def plain(self) -> str:
        return ELLIPSIS.join(f.plain() for f in self.fragments)

    def html(self) -> str:
        return ELLIPSIS.join(f.html() for f in self.fragments)


@dataclass
class Matcher:
    """Decides whether a word of the text is one the query asked for."""

    exact: set[str] = field(default_factory=set)
    arabic: set[str] = field(default_factory=set)
    french: set[str] = field(default_factory=set)
    prefixes: list[str] = field(default_factory=list)
    fuzzy: list[tuple[str, int]] = field(default_factory=list)
    # Per query part, substrings one of which a line must contain to match that part; the
    # pieces of a typo-tolerant word apart, as they are short and found almost everywhere.
    groups: list[set[str]] = field(default_factory=list)
    fuzzy_groups: list[set[str]] = field(default_factory=list)
    _seen: dict[str, str | None] = field(default_factory=dict, repr=False)
    _any_needle: tuple[str, ...] = field(default=(), repr=False)

    @classmethod
    def for_query(cls, q: ParsedQuery) -> Matcher:
        m = cls()
        for clause in q.must:
            before = (set(m.exact), set(m.arabic), set(m.french), list(m.prefixes), list(m.fuzzy))
            m._add(clause)
            strict, fuzzy = m._needles(before)
            m.groups.append(strict)
            m.fuzzy_groups.append(fuzzy)
        m._any_needle = tuple(set().union(*m.groups, *m.fuzzy_groups))
        return m

    def _add(self, c: Clause) -> None:
        if isinstance(c, Term):
            self.exact.add(c.forms.exact)
            if c.forms.arabic:
                self.arabic.add(c.forms.arabic)
            if c.forms.french:
                self.french.add(c.forms.french)
            if c.fuzzy:
                self.fuzzy.append((c.forms.exact, c.fuzzy))
        elif isinstance(c, (Phrase, Keyword)):
            self.exact.update(c.words)
        elif isinstance(c, Prefix):
            self.prefixes.append(c.prefix)
        elif isinstance(c, AnyOf):
            for o in c.options:
                self._add(o)

    def _needles(self, before: tuple) -> tuple[set[str], set[str]]:
        """Needles for what the last clause added: its own forms, and its typo pieces.

        Stems are shortened because a stem is not always a substring of its word
        (travaux → traval, يستوجب → استوجب); a fuzzy term of distance d is cut into d + 1
        pieces, one of which must survive d edits intact.
        """
        exact, arabic, french, prefixes, fuzzy = before
        out = (self.exact - exact) | (set(self.prefixes) - set(prefixes))
        out |= {fold_arabic(a[1:] if len(a) >= 4 else a) for a in self.arabic - arabic}
        out |= {f[: max(2, len(f) - 2)] for f in self.french - french}
        pieces: set[str] = set()
        for t, d in self.fuzzy[len(fuzzy) :]:
            size = max(1, len(t) // (d + 1))
            pieces |= {t[i * size : (i + 1) * size if i < d else len(t)] for i in range(d + 1)}
        return _shortest(out), _shortest(pieces)

    def estimate(self, folded_line: str) -> int:
        """How many query parts a line may match (cheap: substring tests, no tokenising)."""
        return sum(1 for g in self.groups if any(n in folded_line for n in g))

    def __call__(self, word: str) -> str | None:
        """The query term this word matches (its exact form), or None."""
        try:
            return self._seen[word]
        except KeyError:
            key = self._seen[word] = self._match(word)
            return key

    def _match(self, word: str) -> str | None:
        # A word that holds no needle cannot match: skip analysing it (most words of a line).
        folded = fold_text(word)
        if not any(n in folded for n in self._any_needle):
            return None
        f = forms(word)
        if f.exact in self.exact or (f.arabic and f.arabic in self.arabic) or (f.french and f.french in self.french):
            return f.arabic or f.french or f.exact
        for p in self.prefixes:
            if f.exact.startswith(p) or (f.arabic or f.french or "").startswith(p):
                return p
        for t, d in self.fuzzy:
            if abs(len(t) - len(f.exact)) <= d and Levenshtein.distance(t, f.exact, score_cutoff=d) <= d:
                return t
        return None


def _shortest(needles: set[str]) -> set[str]:
    """Without the needles that contain another: a line holding those holds the shorter one."""
    ordered = sorted((n for n in needles if n), key=len)
    kept: list[str] = []
    for n in ordered:
        if not any(k in n for k in kept):
            kept.append(n)
    return set(kept)


def _lines_by_estimate(
    folded: str, folded_lines: list[str], n_lines: int, matcher: Matcher, keep: int
) -> tuple[list[tuple[int, int]], tuple[str, ...]]:
    """The lines that may show the most query parts, best first (ties: reading order), and the
    needles that were looked for.

    Each needle is looked for in the whole folded text at C speed; only the lines it is
    found on are counted, which beats testing every line of a long letter for every needle.
    A typo-tolerant word's pieces are looked for only when the word itself is not in the text.
    """
    # Where each line starts (its length and newline added up, at C speed).
    starts = list(accumulate(map((1).__add__, map(len, folded_lines[: n_lines - 1])), initial=0))
    find = folded.find
    found: dict[int, set[int]] = {}

    def look(g: int, needles: set[str]) -> bool:
        seen = False
        for needle in needles:
            i = find(needle)
            while i != -1:
                seen = True
                line = bisect_right(starts, i) - 1
                found.setdefault(line, set()).add(g)
                nxt = find("\n", i)
                if nxt == -1:
                    break
                i = find(needle, nxt + 1)
        return seen

    used: set[str] = set()
    for g, needles in enumerate(matcher.groups):
        used |= needles
        if not look(g, needles) and matcher.fuzzy_groups[g]:
            look(g, matcher.fuzzy_groups[g])
            used |= matcher.fuzzy_groups[g]
    ranked = sorted(found, key=lambda n: (-len(found[n]), n))
    return [(n, len(found[n])) for n in ranked if n < n_lines][:keep], tuple(used)


def make_snippet(
    text: str, matcher: Matcher, width: int = 180, max_fragments: int = 2, folded: str | None = None
) -> Snippet:
    """``folded``: ``fold_text(text)`` if the index stored it (saves folding at query time)."""
    lines = text.split("\n")
    # Only the few lines most likely to show the most query words are tokenised.
    folded = folded if folded is not None else fold_text(text)
    # The folded copy may have more lines (register fields indexed after the text).
    folded_lines = folded.split("\n")
    # Only the needles looked for: a typo-tolerant word's short pieces, found almost everywhere,
    # are not when the word itself is in the letter.
    best, needles = _lines_by_estimate(folded, folded_lines, len(lines), matcher, max_fragments + 1)
    scored: list[tuple[int, int, int, list[tuple[int, int]]]] = []  # (-distinct, line_no, start, spans)
    for n, estimate in best:
        if len(scored) >= max_fragments and estimate <= min(-s[0] for s in scored):
            break  # an estimate is an upper bound: this line cannot show more than those chosen
        spans: list[tuple[int, int]] = []
        hits: set[str] = set()
        lo, hi = _window(lines[n], folded_lines[n], matcher, width)
        for a, b in _pieces_with_needles(lines[n], folded_lines[n], needles, lo, hi):
            for m in word_spans(lines[n], a, b):
                key = matcher(m.group())
                if key is not None:
                    spans.append(m.span())
                    hits.add(key)
        if spans:
            scored.append((-len(hits), n, spans[0][0], spans))
    if not scored:
        first = next((ln for ln in lines if ln.strip()), "")
        return Snippet((_fragment(first, 0, width, []),)) if first else Snippet()
    scored.sort()
    chosen = sorted(scored[:max_fragments], key=lambda s: s[1])  # reading order
    return Snippet(tuple(_fragment(lines[n], start, width, spans) for _, n, start, spans in chosen))


def _pieces_with_needles(
    line: str, folded_line: str, needles: tuple[str, ...], lo: int, hi: int
) -> list[tuple[int, int]]:
    """The space-separated pieces of ``line[lo:hi]`` that hold a needle: only their words can
    match, so only they are tokenised (a third of a line's words or fewer). When folding changed
    the line's length (marks removed), positions do not carry over: the whole window is kept."""
    if len(folded_line) != len(line):
        return [(lo, hi)]
    starts = set()
    find = folded_line.find
    for needle in needles:
        i = find(needle, lo, hi)
        while i != -1:
            starts.add(max(lo, line.rfind(" ", lo, i) + 1))
            i = find(needle, i + 1, hi)
    out = []
    for start in sorted(starts):
        end = line.find(" ", start, hi)
        out.append((start, hi if end == -1 else end))
    return out


def _window(line: str, folded_line: str, matcher: Matcher, width: int) -> tuple[int, int]:
    """The part of a long line worth tokenising: around where the first query word appears.

    A letter's paragraph can be one line of hundreds of words; only a fragment's width around
    the first match is shown. Positions in the folded copy map to the line proportionally.
    """
    if len(line) <= 3 * width:
        return 0, len(line)
    found = [i for g in (*matcher.groups, *matcher.fuzzy_groups) for nd in g if (i := folded_line.find(nd)) >= 0]
    if not found:
        return 0, len(line)
    centre = int(min(found) * len(line) / max(1, len(folded_line)))
    lo = max(0, centre - 2 * width)
    hi = min(len(line), centre + 3 * width)
    lo = line.rfind(" ", 0, lo) + 1 if lo else 0
    cut = line.find(" ", hi)
    return lo, (cut if cut != -1 else len(line))


def _fragment(line: str, first_hit: int, width: int, spans: list[tuple[int, int]]) -> Fragment:
    start = 0
    if len(line) > width:
        start = max(0, first_hit - width // 4)
        start = line.rfind(" ", 0, start) + 1 if start else 0
    end = min(len(line), start + width)
    if end < len(line):
        cut = line.rfind(" ", start, end)
        end = cut if cut > start else end
    piece = line[start:end]
    lead = len(piece) - len(piece.lstrip())
    text = piece.strip()
    hl = tuple((s - start - lead, e - start - lead) for s, e in spans if s >= start and e <= end)
    if start > 0:
        text, hl = "…" + text, tuple((s + 1, e + 1) for s, e in hl)
    if end < len(line):
        text += "…"
    return Fragment(text, _direction(text), hl)


def _direction(text: str) -> str:
    for ch in text:
        kind = script(ch)
        if kind != "other":
            return "rtl" if kind == "ar" else "ltr"
    return "ltr"
