"""What an extractor returns."""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from typing import Any

from rapidfuzz.distance import Levenshtein


@dataclass(frozen=True)
class Found:
    value: str  # as printed (the date as ISO)
    confidence: float  # 0..1
    start: int  # span in the text it was read from
    end: int
    normalized: str = ""

    def as_json(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class Extraction:
    reference: Found | None = None
    letter_date: Found | None = None
    subject: Found | None = None
    sender: Found | None = None
    languages: tuple[str, ...] = ()
    notes: tuple[str, ...] = field(default=())

    def as_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"languages": list(self.languages)}
        for name in ("reference", "letter_date", "subject", "sender"):
            f = getattr(self, name)
            out[name] = f.as_json() if f else None
        return out


@dataclass(frozen=True)
class Line:
    text: str
    start: int  # offset of the line in the whole text
    index: int


def lines_of(text: str) -> list[Line]:
    out, pos = [], 0
    for i, raw in enumerate(text.split("\n")):
        out.append(Line(raw, pos, i))
        pos += len(raw) + 1
    return out


def strip_span(line: Line, s: int, e: int) -> tuple[str, int, int]:
    """The stripped text between offsets s and e of a line, with absolute offsets."""
    piece = line.text[s:e]
    lead = len(piece) - len(piece.lstrip(" \t:：-–—.،,;؛"))
    trail = len(piece) - len(piece.rstrip(" \t.،,;؛:"))
    value = piece[lead : len(piece) - trail] if trail else piece[lead:]
    return value, line.start + s + lead, line.start + e - trail


_DANGLING = {"de", "du", "des", "la", "le", "les", "à", "a", "près", "et", "ou", "pour", "en", "au", "aux", "sur",
             "par", "avec", "dans", "entre", "n°", "nº", "no", "d'", "l'",
             "لدى", "في", "و", "أو", "من", "إلى", "الى", "على", "عن", "بين", "حول", "رقم"}  # fmt: skip


def ends_mid_phrase(text: str) -> bool:
    """The line stops where a phrase cannot («… de», «… في», «…,»): it wraps onto the next."""
    words = text.strip().rstrip(",،-–").split()
    return bool(words) and (words[-1].lower() in _DANGLING or text.rstrip().endswith((",", "،", "-", "–")))


_LOWER_START = re.compile(r"^\s*[a-zàâçéèêëîïôûù]")


def starts_lower(text: str) -> bool:
    """A line starting in lower case continues the one above («… près la Cour / d'appel»)."""
    return bool(_LOWER_START.match(text))


def one_letter_off(word: str, known) -> list[str]:
    """The known words ``word`` is at most one letter away from: a label or a month name misread."""
    return [k for k in known if Levenshtein.distance(word, k, score_cutoff=1) <= 1]
