"""Legal holds: letters that nothing may destroy or transfer until the hold is released."""

from __future__ import annotations

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from archive import audit
from archive.models import LegalHold, RegistryEntry
from config.errors import ConfigError, NotFoundError

MAX_AT_ONCE = 10_000  # one search result


def place(numbers: list[str], reason: str, actor: str) -> int:
    """Hold these letters (those already held keep their hold); returns how many were placed."""
    reason = reason.strip()
    if not reason:
        raise ConfigError("Give the reason for the hold (the dispute, the inquiry, the request).")
    numbers = list(dict.fromkeys(numbers))[:MAX_AT_ONCE]
    with transaction.atomic():
        entries = list(RegistryEntry.objects.filter(number__in=numbers))
        missing = sorted(set(numbers) - {e.number for e in entries})
        if missing:
            raise NotFoundError(f"No such registry number: {', '.join(missing[:5])}.")
        held = set(
            LegalHold.objects.filter(entry__in=entries, released_at__isnull=True).values_list("entry_id", flat=True)
        )
        new = [LegalHold(entry=e, reason=reason[:2000], placed_by=actor) for e in entries if e.pk not in held]
        LegalHold.objects.bulk_create(new)
        for h in new:
            audit.record(actor, "hold_placed", h.entry.number, reason=h.reason)
    return len(new)


def release(number: str, reason: str, actor: str) -> int:
    if not reason.strip():
        raise ConfigError("Give the reason for releasing the hold.")
    with transaction.atomic():
        holds = list(LegalHold.objects.select_for_update().filter(entry__number=number, released_at__isnull=True))
        if not holds:
            raise NotFoundError(f"{number} is not on hold.")
        now = timezone.now()
        LegalHold.objects.filter(pk__in=[h.pk for h in holds]).update(released_at=now, released_by=actor,
                                                                      release_reason=reason.strip()[:2000])  # fmt: skip
        audit.record(actor, "hold_released", number, reason=reason.strip()[:2000], holds=len(holds))
    return len(holds)


def active() -> QuerySet[LegalHold]:
    return LegalHold.objects.select_related("entry").filter(released_at__isnull=True)


def is_held(entry: RegistryEntry) -> bool:
    return entry.holds.filter(released_at__isnull=True).exists()
