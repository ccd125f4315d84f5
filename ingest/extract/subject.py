"""The subject: what follows «الموضوع:» / «Objet :» (continued on the next line if it wraps)."""

from __future__ import annotations

import re

from ingest.extract.fields import Found, Line, ends_mid_phrase, one_letter_off, starts_lower, strip_span

_LABEL = re.compile(
    r"^\s*(?:ال)?موضوع\s*[:：]?\s*|^\s*(?:بشأن|في شأن)\s*[:：]\s*"
    r"|^\s*(?:objet|object|obj\.?|concerne|sujet|a/s|re)\s*[:：]\s*",
    re.IGNORECASE,
)
# Lines that never continue a subject: a salutation or the start of the body.
_NOT_CONTINUATION = re.compile(
    r"^\s*(?:سلام|السلام|السيد|السيدة|تحية|بعد|وبعد|monsieur|madame|messieurs|j'ai|nous|suite|par|en|réf|"
    r"المرجع|عدد|رقم|n°)(?![^\W\d_])",  # whole words: «réfection», «enquête» may continue a subject
    re.IGNORECASE,
)


# «الووضوع:», «المووضوع:», «ا موضوع:», «Obiet :»: the label misread by one letter, still
# followed by its colon. Without the colon a near word is just a word.
_NEAR_LABEL = re.compile(r"^\s*([^\W\d_]{1,3}\s)?([^\W\d_]{4,9})\s*[:：]\s*")
_LABEL_WORDS = ("الموضوع", "موضوع", "objet")


def _near_label(text: str) -> re.Match | None:
    m = _NEAR_LABEL.match(text)
    if m is None:
        return None
    word = ((m.group(1) or "").strip() + m.group(2)).lower()
    return m if one_letter_off(word, _LABEL_WORDS) else None


# A stop between two Arabic words of a subject («طلب. رخصة إدارية») is a speck read as one.
_STRAY_STOP = re.compile(r"(?<=[\u0621-\u064a])\.(?=\s+[\u0621-\u064a])")


def find_subject(lines: list[Line]) -> Found | None:
    for line in lines[:30]:
        m = _LABEL.match(line.text)
        near = m is None and (m := _near_label(line.text)) is not None
        if not m:
            continue
        value, s, e = strip_span(line, m.end(), len(line.text))
        if not value:
            continue
        nxt = lines[line.index + 1] if line.index + 1 < len(lines) else None
        if nxt is not None and _continues(value, nxt.text):
            more, _, e = strip_span(nxt, 0, len(nxt.text))
            value = f"{value} {more}"
        value = _STRAY_STOP.sub("", value)
        conf = (0.8 if near else 0.95) if len(value) >= 6 else 0.6
        return Found(value, conf, s, e, " ".join(value.split()))
    return None


def _continues(value: str, following: str) -> bool:
    """A long subject wraps: its line stops mid-phrase, or the next starts in lower case."""
    text = following.strip()
    if not text or _LABEL.match(text) or _NOT_CONTINUATION.match(text) or len(text) > 120:
        return False
    return ends_mid_phrase(value) or starts_lower(text)
