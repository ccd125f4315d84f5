"""Everything a clerk reads off a letter, in one call."""

from __future__ import annotations

import datetime as dt

from ingest.extract.dates import find_date
from ingest.extract.fields import Extraction, Found, lines_of
from ingest.extract.language import languages
from ingest.extract.reference import find_reference
from ingest.extract.sender import find_sender, letterhead_end
from ingest.extract.subject import find_subject

MAX_CHARS = 200_000  # a letter; beyond this, only the beginning is read


def _line_index(lines, found: Found | None) -> int:
    if found is None:
        return -1
    for ln in lines:
        if ln.start <= found.start <= ln.start + len(ln.text):
            return ln.index
    return -1


def read_letter(text: str, today: dt.date | None = None) -> Extraction:
    if not text or not text.strip():
        return Extraction(notes=("no text",))
    notes = ()
    if len(text) > MAX_CHARS:
        text = text[:MAX_CHARS]
        notes = (f"only the first {MAX_CHARS:,} characters were read",)
    lines = lines_of(text)
    reference = find_reference(lines, today)
    date = find_date(lines, today)
    subject = find_subject(lines)
    marks = [_line_index(lines, f) for f in (reference, subject)]
    if date is not None and _line_index(lines, date) < 16:
        marks.append(_line_index(lines, date))
    sender = find_sender(lines, letterhead_end(lines, marks))
    return Extraction(reference, date, subject, sender, languages(text), notes)
