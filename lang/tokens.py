"""Splitting text into words, keeping where each word is in the original text."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from lang.folding import ARABIC_MARKS

_CHAR = rf"(?:[^\W_]|[{ARABIC_MARKS}\u0300-\u036f])"
# Like Unicode word boundaries (UAX #29, Lucene's standard tokenizer): an apostrophe or a full
# stop between two word characters stays inside the word ("l'état", "31.13", "ق.ت").
TOKEN_RE = re.compile(rf"{_CHAR}+(?:['’.]{_CHAR}+)*")


@dataclass(frozen=True, slots=True)
class Token:
    text: str
    start: int
    end: int


def tokenize(text: str) -> Iterator[Token]:
    for m in TOKEN_RE.finditer(text):
        yield Token(m.group(), m.start(), m.end())


def words(text: str) -> list[str]:
    return TOKEN_RE.findall(text)
