"""The access log: who viewed or downloaded which letter's content.

A read must never wait on a lock, so an access event is a plain insert; a periodic job (and
`sijill audit seal`) later chains the unsealed events in batches (``seal_pending``).
"""

from __future__ import annotations

from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from archive import auditchain
from archive.models import AccessEvent, AccessSeal

_SEAL_LOCK = 0x53494A53  # "SIJS": one sealer at a time
BATCH = 5000


def record_access(actor: str, action: str, target: str, **details: Any) -> AccessEvent:
    return AccessEvent.objects.create(
        actor=actor, action=action, target=target, details=auditchain.canonical(details), at=timezone.now()
    )


def seal_pending(batch: int = BATCH) -> int:
    """Chain every unsealed access event, ``batch`` at a time; returns how many were sealed."""
    sealed = 0
    while True:
        with transaction.atomic():
            if connection.vendor == "postgresql":
                with connection.cursor() as cur:
                    cur.execute("SELECT pg_advisory_xact_lock(%s)", [_SEAL_LOCK])
            events = list(
                AccessEvent.objects.filter(seal__isnull=True)
                .order_by("id")
                .only("id", "at", "actor", "action", "target", "details")[:batch]
            )
            if not events:
                return sealed
            seq, prev_hash = auditchain.next_link(AccessSeal)
            digest = auditchain.events_digest(
                auditchain.access_line(e.id, e.at, e.actor, e.action, e.target, e.details) for e in events
            )
            at = timezone.now()
            seal = AccessSeal.objects.create(
                seq=seq,
                at=at,
                count=len(events),
                events_digest=digest,
                prev_hash=prev_hash,
                hash=auditchain.seal_hash(seq, at, len(events), digest, prev_hash),
            )
            AccessEvent.objects.filter(id__in=[e.id for e in events]).update(seal=seal)
            sealed += len(events)
