"""The audit log: every registration and change, with who, what and when.

Writers take one lock until their transaction commits (PostgreSQL: an advisory transaction
lock; SQLite: transactions already begin IMMEDIATE, one writer at a time). So ``seq`` follows
commit order, the hash chain has one well-defined predecessor per event, and search indexes can
follow the log by ``seq`` without a settling window.
"""

from __future__ import annotations

from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from archive import auditchain
from archive.models import AuditEvent

_FEED_LOCK = 0x53494A41  # "SIJA": the audit log's writers


def _lock_feed() -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cur:
            cur.execute("SELECT pg_advisory_xact_lock(%s)", [_FEED_LOCK])


def record(actor: str, action: str, target: str, **details: Any) -> AuditEvent:
    with transaction.atomic():
        _lock_feed()
        seq, prev_hash = auditchain.next_link(AuditEvent)
        at = timezone.now()
        clean = auditchain.canonical(details)
        return AuditEvent.objects.create(
            seq=seq,
            at=at,
            actor=actor,
            action=action,
            target=target,
            details=clean,
            prev_hash=prev_hash,
            hash=auditchain.event_hash(seq, at, actor, action, target, clean, prev_hash),
        )


def history(target: str) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(target=target).order_by("seq"))


def last_seq() -> int:
    return AuditEvent.objects.order_by("-seq").values_list("seq", flat=True).first() or 0
