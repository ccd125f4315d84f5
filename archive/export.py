"""The register as CSV, as an archivist or an inspector asks for it."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator

from django.db.models import QuerySet
from django.utils import timezone

from archive.models import RegistryEntry

COLUMNS = [
    "number",
    "direction",
    "received_at",
    "sender",
    "letter_reference",
    "letter_date",
    "subject",
    "addressee_service",
    "status",
    "pages",
    "languages",
    "sha256",
    "original_name",
    "void",
    "services",
    "tags",
]
CONFIDENTIAL = "سري / confidentiel"

# A cell starting with one of these is a formula to Excel and LibreOffice (CSV injection):
# OCR'd text comes from outside, so such cells are prefixed with an apostrophe, as OWASP advises.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")


def safe_cell(value: object) -> object:
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def registry_csv(year: int, direction: str | None = None) -> str:
    qs = RegistryEntry.objects.filter(year=year)
    if direction:
        qs = qs.filter(direction=direction)
    return "".join(register_rows(qs.order_by("direction", "sequence")))


def register_rows(qs: QuerySet[RegistryEntry], hidden: set[int] | frozenset[int] = frozenset()) -> Iterator[str]:
    """CSV lines, header first. A line in ``hidden`` keeps only its number, date and
    «سري / confidentiel»: the register's numbering stays whole without revealing the letter."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")

    def flush() -> str:
        out = buf.getvalue()
        buf.seek(0)
        buf.truncate()
        return out

    w.writerow(COLUMNS)
    yield flush()
    qs = qs.select_related("document").prefetch_related("routings")
    for e in qs.iterator(chunk_size=1000):
        received = timezone.localtime(e.received_at).isoformat(timespec="seconds")
        if e.pk in hidden:
            w.writerow([e.number, e.direction, received, CONFIDENTIAL] + [""] * (len(COLUMNS) - 4))
            yield flush()
            continue
        d = e.document
        w.writerow(
            safe_cell(v)
            for v in [
                e.number,
                e.direction,
                received,
                e.sender,
                e.letter_reference,
                e.letter_date.isoformat() if e.letter_date else "",
                e.subject,
                e.addressee_service,
                e.status,
                d.page_count if d else "",
                " ".join(d.languages) if d else "",
                d.sha256 if d else "",
                d.original_name if d else "",
                f"annulé / ملغى: {e.void_reason}" if e.voided_at else "",
                " ".join(r.service for r in e.routings.all()),
                " | ".join(e.tags or []),
            ]
        )
        yield flush()
