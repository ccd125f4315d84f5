"""A letter's retention dates, from the calendar in force and its closing date.

The dates are worked out from the current calendar whenever they are shown, so a change to the
calendar applies to every letter at once; ``note_calendar`` writes each new version of the
calendar into the audit log (who changed what is in the file's own history; when it took effect
is here).
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from archive import audit
from archive.models import AuditEvent, RegistryEntry
from archive.models.registry import Status
from config.retention import Calendar, load
from config.sijill import SijillSettings

FATE_LABELS = {"destroy": ("إتلاف", "élimination"), "transfer": ("دفع إلى أرشيف المغرب", "versement"),
               "sort": ("فرز", "tri")}  # fmt: skip


def calendar(settings: SijillSettings, checked: bool = False) -> Calendar:
    """The calendar in force; ``checked``: its types and services checked against the taxonomy."""
    if not checked:
        return load(settings.retention_path)
    from archive import taxonomy_store

    t = taxonomy_store.current(settings)
    return load(settings.retention_path, set(t.types), set(t.services))


def closing_date(entry: RegistryEntry):
    """The day the letter's file was closed (answered or closed), or None while it is open."""
    if entry.status not in (Status.ANSWERED, Status.CLOSED) or entry.answered_at is None:
        return None
    return timezone.localtime(entry.answered_at).date()


def retention_of(entry: RegistryEntry, calendar: Calendar) -> dict[str, Any]:
    rule = calendar.rule_for(entry.mail_type, entry.addressee_service)
    out: dict[str, Any] = {"fate": rule.fate, "active_years": rule.active_years,
                           "intermediate_years": rule.intermediate_years, "calendar": calendar.version}  # fmt: skip
    closed = closing_date(entry)
    if closed is None:
        return {**out, "closed_on": None, "active_until": None, "fate_due": None}
    active, due = rule.dates(closed)
    return {**out, "closed_on": closed.isoformat(), "active_until": active.isoformat(), "fate_due": due.isoformat()}


def note_calendar(calendar: Calendar, actor: str = "sijill") -> bool:
    """Record a calendar version not seen before (True when it is new)."""
    last = AuditEvent.objects.filter(action="retention_calendar").order_by("-seq").first()
    if last is not None and last.details.get("version") == calendar.version:
        return False
    audit.record(actor, "retention_calendar", "retention", version=calendar.version,
                 previous=last.details.get("version") if last else None, source=calendar.source)  # fmt: skip
    return True
