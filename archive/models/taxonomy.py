from __future__ import annotations

from django.db import models
from django.utils import timezone


class TaxonomyVersion(models.Model):
    """The taxonomy as an administrator edited it in the browser, kept in the catalogue so that
    every machine reads the same one; each edit is a new row, the newest is in force."""

    text = models.TextField()  # the TOML, as saved
    sha256 = models.CharField(max_length=64)
    created_by = models.CharField(max_length=150)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-id"]
