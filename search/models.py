from __future__ import annotations

from django.db import models


class IndexCursor(models.Model):
    """How far into the audit log a given search index has been brought up to date.

    Keyed by the index's identity, so a new or rebuilt-from-scratch index starts from zero
    and refills itself from the catalogue.
    """

    index_id = models.CharField(max_length=128, unique=True)
    last_seq = models.BigIntegerField(default=0)  # AuditEvent.seq read up to
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.index_id} @ {self.last_seq}"
