"""Plain-dict views of register entries, shared by the CLI and the web UI."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from archive import audit
from archive.models import RegistryEntry


def entry_summary(e: RegistryEntry) -> dict[str, Any]:
    """One vocabulary for `sijill list --json`, `show --json` and the REST API. Prefetch
    ``routings`` when summarising many entries."""
    d = e.document
    return {
        "registry_number": e.number,
        "direction": e.direction,
        "received_at": timezone.localtime(e.received_at).isoformat(timespec="seconds"),
        "status": e.status,
        "confidential": e.confidential,
        "file": d.original_name if d else None,
        "sha256": d.sha256 if d else None,
        "pages": d.page_count if d else 0,
        "languages": list(d.languages) if d else [],
        **understanding_fields(e),  # type, service, sender, letter_date, reference, subject
        "services": [r.service for r in e.routings.all()],  # where it was routed (imputation)
        "tags": list(e.tags or []),
        "due_date": e.due_date.isoformat() if e.due_date else None,
        # A voided line keeps its number in the register: «annulé / ملغى» with the reason.
        "voided": e.voided_at is not None,
        "void_reason": e.void_reason or None,
        "awaiting_signature": e.awaiting_signature,
    }


def _field(e: RegistryEntry, value: Any, proposed: dict | None, proposed_value: Any = None) -> dict[str, Any]:
    """A register field with where it came from: the clerk, or Sijill's reading and its confidence."""
    shown = value.isoformat() if hasattr(value, "isoformat") else (value if value not in ("", None) else None)
    if proposed is not None and e.confirmed_at is None and shown == proposed_value:
        return {"value": shown, "confidence": proposed.get("confidence"), "source": proposed.get("source", "read")}
    if shown is None:
        return {"value": None, "confidence": None, "source": None}
    return {"value": shown, "confidence": 1.0, "source": "clerk"}


def understanding_fields(e: RegistryEntry) -> dict[str, Any]:
    """type, service, sender, letter_date, reference, subject: each with confidence and source."""
    u = e.understanding or {}
    fields = u.get("fields") or {}
    decision = u.get("type") or {}

    def read(name: str) -> tuple[dict | None, Any]:
        f = fields.get(name)
        return ({"confidence": f["confidence"], "source": "read"}, f["value"]) if f else (None, None)

    type_proposed = {"confidence": decision.get("confidence"), "source": decision.get("layer")} if decision else None
    out = {
        "type": _field(e, e.mail_type, type_proposed, decision.get("type_id")),
        "service": _field(e, e.addressee_service, type_proposed, decision.get("service_id")),
        "sender": _field(e, e.sender, *read("sender")),
        "letter_date": _field(e, e.letter_date, *read("letter_date")),
        "reference": _field(e, e.letter_reference, *read("reference")),
        "subject": _field(e, e.subject, *read("subject")),
    }
    if decision:
        out["type"]["needs_review"] = bool(decision.get("needs_review")) and e.confirmed_at is None
        out["type"]["model_version"] = decision.get("model_version")
    return out


def entry_detail(e: RegistryEntry) -> dict[str, Any]:
    from django.conf import settings

    from archive.retention import calendar, retention_of

    d = e.document
    out = entry_summary(e)
    out.update(
        {
            "retention": retention_of(e, calendar(settings.SIJILL)),
            "holds": [
                {"reason": h.reason, "by": h.placed_by, "at": h.placed_at.isoformat(timespec="seconds")}
                for h in e.holds.filter(released_at__isnull=True)
            ],
            "signatures": list(d.signatures) if d else [],
            "in_reply_to": e.in_reply_to.number if e.in_reply_to_id else None,
            "confirmed": e.confirmed_at is not None,
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
