from __future__ import annotations

from django.db import models


class AuditEvent(models.Model):
    """Append-only record of who did what to which entry, and when."""

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    actor = models.CharField(max_length=150)
    action = models.CharField(max_length=48)
    target = models.CharField(max_length=128, db_index=True)  # registry number or sha256
    details = models.JSONField(default=dict)

    class Meta:
        ordering = ["id"]
