"""Quarantine: files that could not be processed are kept byte for byte, with the reason."""

from __future__ import annotations

from django.db import transaction
from django.db.models import F

from archive import audit
from archive.models import QuarantinedFile
from archive.objectstore import ObjectStore, object_key
from config.errors import InputFileError


def quarantine(
    store: ObjectStore, data: bytes, sha256: str, source_path: str, error: InputFileError, actor: str
) -> QuarantinedFile:
    key = object_key("quarantine", sha256)
    store.put(key, data, "application/octet-stream", {"reason": error.code})
    name = source_path.rsplit("/", 1)[-1]
    with transaction.atomic():
        q, created = QuarantinedFile.objects.get_or_create(
            sha256=sha256,
            defaults=dict(
                original_name=name,
                source_path=source_path,
                size=len(data),
                storage_key=key,
                reason_code=error.code,
                reason=error.message,
            ),
        )
        if not created:
            QuarantinedFile.objects.filter(pk=q.pk).update(
                attempts=F("attempts") + 1, reason_code=error.code, reason=error.message, source_path=source_path
            )
            q.refresh_from_db()
        audit.record(actor, "quarantined", sha256, file=source_path, reason=error.code, message=error.message)
    return q


def pending() -> list[QuarantinedFile]:
    return list(QuarantinedFile.objects.filter(released=False).order_by("id"))
