from __future__ import annotations

from django.db import models


class QuarantinedFile(models.Model):
    """A file that could not be processed, kept byte for byte with the reason."""

    sha256 = models.CharField(max_length=64, unique=True)
    original_name = models.CharField(max_length=512)
    source_path = models.CharField(max_length=1024)
    size = models.BigIntegerField()
    storage_key = models.CharField(max_length=256)
    reason_code = models.CharField(max_length=48)
    reason = models.TextField()
    attempts = models.PositiveIntegerField(default=1)
    first_seen = models.DateTimeField(auto_now_add=True)
    last_seen = models.DateTimeField(auto_now=True)
    released = models.BooleanField(default=False)  # true once the same bytes were registered

    class Meta:
        ordering = ["id"]
