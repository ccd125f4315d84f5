"""The register as CSV, as an archivist or an inspector asks for it."""

from __future__ import annotations

import csv
import io

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
]

# A cell starting with one of these is a formula to Excel and LibreOffice (CSV injection):
# OCR'd text comes from outside, so such cells are prefixed with an apostrophe, as OWASP advises.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")


def safe_cell(value: object) -> object:
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def registry_csv(year: int, direction: str | None = None) -> str:
    qs = RegistryEntry.objects.select_related("document").filter(year=year)
    if direction:
        qs = qs.filter(direction=direction)
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(COLUMNS)
    for e in qs.order_by("direction", "sequence"):
        d = e.document
        w.writerow(
            safe_cell(v)
            for v in [
                e.number,
                e.direction,
                timezone.localtime(e.received_at).isoformat(timespec="seconds"),
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
            ]
        )
    return buf.getvalue()
