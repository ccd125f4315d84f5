"""Plain-dict views of register entries, shared by the CLI and the web UI."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from archive import audit
from archive.models import RegistryEntry


def entry_summary(e: RegistryEntry) -> dict[str, Any]:
    d = e.document
    return {
        "registry_number": e.number,
        "direction": e.direction,
        "received_at": timezone.localtime(e.received_at).isoformat(timespec="seconds"),
        "status": e.status,
        "file": d.original_name if d else None,
        "sha256": d.sha256 if d else None,
        "pages": d.page_count if d else 0,
        "languages": list(d.languages) if d else [],
        "sender": e.sender,
        "subject": e.subject,
    }


def entry_detail(e: RegistryEntry) -> dict[str, Any]:
    d = e.document
    out = entry_summary(e)
    out.update(
        {
            "letter_reference": e.letter_reference,
            "letter_date": e.letter_date.isoformat() if e.letter_date else None,
            "addressee_service": e.addressee_service,
            "ocr_confidence": d.ocr_confidence if d else None,
            "original_key": d.original_key if d else None,
            "searchable_key": d.searchable_key if d else None,
            "text": d.text if d else "",
            "page_details": [
                {
                    "number": p.number,
                    "source": p.source,
                    "confidence": p.confidence,
                    "rotation": p.rotation,
                    "skew": p.skew,
                    "languages": p.languages,
                    "low_confidence_words": p.low_confidence_words,
                }
                for p in (d.pages.all() if d else [])
            ],
            "history": [
                {"at": h.at.isoformat(), "actor": h.actor, "action": h.action, "details": h.details}
                for h in audit.history(e.number)
            ],
        }
    )
    return out
