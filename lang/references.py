"""Registry numbers and letter references as whole keywords, in any digit script.

«1234/ق.ت/2026», «N° 55/DAJ/25», «A-2026-000123» are each one key: a clerk types them whole,
with or without spaces around the slashes, in Western or Eastern Arabic digits.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from lang.folding import fold_arabic, fold_latin, prepare

_NUMBER_PREFIX = re.compile(r"^(?:n\s*°|n[o°º]\.?|no\b|عدد|رقم|réf\.?|ref\.?)\s*[:.]?\s*", re.IGNORECASE)
_SPACES_AND_DOTS = re.compile(r"[\s.]+")
_REGISTRY = re.compile(r"^([AD])-?(\d{4})-?(\d{1,6})$", re.IGNORECASE)
_SPACED_SLASH = re.compile(r"\s?/\s?")
_SPACE_BY_SLASH = ("/ ", " /", "/\n", "\n/", "/\t", "\t/", "/\r", "\r/", "/\u00a0", "\u00a0/")
_EDGE_PUNCT = ".,;:()[]«»\"'’-–—"
_REGISTRY_IN_TEXT = re.compile(r"\b[AD]-[0-9٠-٩]{4}-[0-9٠-٩]{6}\b")
_DIGIT = re.compile(r"\d")
_NON_SPACE = re.compile(r"\S+")


def reference_key(text: str) -> str:
    s = prepare(text.strip())
    s = _NUMBER_PREFIX.sub("", s)
    s = _SPACES_AND_DOTS.sub("", s)
    m = _REGISTRY.match(s)
    if m:
        return f"{m.group(1).lower()}-{m.group(2)}-{int(m.group(3)):06d}"
    return fold_latin(fold_arabic(s))


def looks_like_reference(term: str) -> bool:
    """A query word that should also be matched whole against references and numbers."""
    s = prepare(term)
    return bool(_DIGIT.search(s)) and ("/" in s or bool(_REGISTRY.match(s.replace(" ", ""))))


def references_in(text: str) -> list[str]:
    """Keys of every reference-like string in a letter's text: slashed runs with a digit
    («1234/ق.ت/2026», «55 / DAJ / 25») and registry numbers."""
    found: set[str] = set()
    if "/" in text:
        # Only the whitespace-free chunks that hold a slash (a regex tried at every position of
        # a long letter was a fifth of its analysis).
        spaced = any(p in text for p in _SPACE_BY_SLASH)
        for chunk in _chunks_with_slash(_SPACED_SLASH.sub("/", text) if spaced else text):
            if _DIGIT.search(chunk):
                piece = chunk.strip(_EDGE_PUNCT)
                if "/" in piece.strip("/"):
                    found.add(reference_key(piece.strip("/")))
    if "A-" in text or "D-" in text:
        found |= {reference_key(m.group()) for m in _REGISTRY_IN_TEXT.finditer(text)}
    return sorted(k for k in found if k)


def _chunks_with_slash(text: str) -> Iterator[str]:
    """The whitespace-free chunks of ``text`` that hold a slash (as ``str.split`` cuts them),
    found from the slashes: a letter has a few, and splitting it all was a tenth of its
    analysis."""
    i = text.find("/")
    while i != -1:
        start = i
        while start and not text[start - 1].isspace():
            start -= 1
        end = _NON_SPACE.match(text, i).end()  # type: ignore[union-attr]  # "/" always matches
        yield text[start:end]
        i = text.find("/", end)
