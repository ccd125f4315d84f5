"""The audit log: every registration and change, with who, what and when."""

from __future__ import annotations

from typing import Any

from archive.models import AuditEvent


def record(actor: str, action: str, target: str, **details: Any) -> AuditEvent:
    return AuditEvent.objects.create(actor=actor, action=action, target=target, details=details)


def history(target: str) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(target=target).order_by("id"))
