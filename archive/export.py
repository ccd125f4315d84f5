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
]


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
            [
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
            ]
        )
    return buf.getvalue()
