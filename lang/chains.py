"""The three analysis chains: exact (folded), Arabic (stemmed) and French (stemmed).

Each word goes through the chain of its script; the exact chain takes every word. Results
are cached per word: a registry's vocabulary is small next to the number of words it holds.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from itertools import pairwise

import Stemmer

from lang import stopwords
from lang.folding import fold_arabic, fold_latin, prepare, script
from lang.tokens import words

_AR_STEMMER = Stemmer.Stemmer("arabic")
_FR_STEMMER = Stemmer.Stemmer("french")
_ELISION_PREFIXES = tuple(f"{e}{a}" for e in stopwords.ELISIONS for a in ("'", "’"))


@dataclass(frozen=True, slots=True)
class Forms:
    """One word as each field indexes it; ``None`` where the field leaves the word out."""

    exact: str
    arabic: str | None
    french: str | None
    script: str  # "ar", "latin" or "other"
    stop: bool


def _strip_elision(word: str) -> str:
    lowered = word.lower()
    for prefix in _ELISION_PREFIXES:
        if lowered.startswith(prefix) and len(word) > len(prefix):
            return word[len(prefix) :]
    return word


# «و»/«ف» before the article («والإنارة», «فالمرسوم»): Snowball keeps the «و» when an alef
# follows, which leaves every such word unstemmed. Three letters must remain after «ال».
_CONJUNCTION_ARTICLE = re.compile(r"^[وف](ال.{3,})$")


def _final_ta(word: str) -> str:
    """Final ه back to ة for the stemmer only: after folding, «الرخصة» and «الرخصه» are one
    word, and Snowball strips the feminine ending reliably only when it sees ة."""
    return word[:-1] + "ة" if word.endswith("ه") else word


@lru_cache(maxsize=500_000)
def forms(word: str) -> Forms:
    base = prepare(_strip_elision(word))
    kind = script(base)
    exact = fold_latin(fold_arabic(base))
    arabic = french = None
    stop = False
    if kind == "ar":
        stop = base in stopwords.ARABIC
        if not stop:
            arabic = _AR_STEMMER.stemWord(_CONJUNCTION_ARTICLE.sub(r"\1", _final_ta(fold_arabic(base))))
    elif kind == "latin":
        stop = base in stopwords.FRENCH
        if not stop:
            french = _FR_STEMMER.stemWord(fold_latin(base))
    return Forms(exact, arabic, french, kind, stop)


@dataclass(frozen=True, slots=True)
class AnalyzedText:
    """Space-joined terms per field, ready for a whitespace-tokenised index field."""

    exact: str
    arabic: str
    french: str
    pairs: str  # adjacent exact words joined by PAIR_JOINER: phrases become term lookups
    words: frozenset[str]  # each distinct word as written, for what is derived per word


PAIR_JOINER = "_"  # never inside a word (words are letters, digits, marks, ' and .)


def pairs(exact_words: list[str] | tuple[str, ...]) -> list[str]:
    return [f"{a}{PAIR_JOINER}{b}" for a, b in pairwise(exact_words)]


def analyze(text: str) -> AnalyzedText:
    """``exact`` keeps the text's line breaks (one line of folded words per line of text): it
    doubles as a folded copy for snippets. Pairs run across lines, as a phrase may wrap."""
    exact_lines: list[str] = []
    all_exact: list[str] = []
    arabic: list[str] = []
    french: list[str] = []
    written: set[str] = set()
    for line in text.split("\n"):
        line_words = words(line)
        written.update(line_words)
        fs = list(map(forms, line_words))
        line_exact = [f.exact for f in fs]
        arabic += [f.arabic for f in fs if f.arabic]
        french += [f.french for f in fs if f.french]  # a word has one script: never both
        exact_lines.append(" ".join(line_exact))
        all_exact += line_exact
    return AnalyzedText(
        "\n".join(exact_lines), " ".join(arabic), " ".join(french), " ".join(pairs(all_exact)), frozenset(written)
    )


def exact_terms(text: str) -> list[str]:
    return [forms(w).exact for w in words(text)]
