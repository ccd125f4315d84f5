from __future__ import annotations

from django.db import models
from django.utils import timezone


class AuditEvent(models.Model):
    """Append-only record of every change to the archive: who did what to which entry, when.

    It is also the change feed that search indexes follow: ``seq`` is handed out under one
    lock held until commit, so events become visible in ``seq`` order on every database, and a
    follower that has read up to ``seq`` N has missed nothing below it. Each event carries the
    hash of the one before it (``archive.auditchain``): a deleted, altered or reordered event
    breaks the chain.
    """

    seq = models.BigIntegerField(unique=True)
    at = models.DateTimeField(default=timezone.now, db_index=True)
    actor = models.CharField(max_length=150)
    action = models.CharField(max_length=48)
    target = models.CharField(max_length=128, db_index=True)  # registry number or sha256
    details = models.JSONField(default=dict)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)

    class Meta:
        ordering = ["seq"]


class AccessSeal(models.Model):
    """A batch of access events chained into the tamper-evident record (sealed after the fact,
    so that reading a letter never waits for the chain's lock)."""

    seq = models.BigIntegerField(unique=True)
    at = models.DateTimeField(default=timezone.now)
    count = models.PositiveIntegerField()
    events_digest = models.CharField(max_length=64)  # SHA-256 over the batch's events, in id order
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)

    class Meta:
        ordering = ["seq"]


class AccessEvent(models.Model):
    """A view or download of a letter's content, with the user: who read what, and when.

    Kept apart from ``AuditEvent``: reading a letter changes nothing, so it must not make the
    search index re-read the letter.
    """

    at = models.DateTimeField(default=timezone.now, db_index=True)
    actor = models.CharField(max_length=150)
    action = models.CharField(max_length=48)  # viewed / downloaded_original / downloaded_searchable …
    target = models.CharField(max_length=128, db_index=True)
    details = models.JSONField(default=dict)
    seal = models.ForeignKey(AccessSeal, null=True, blank=True, on_delete=models.PROTECT, related_name="events")

    class Meta:
        ordering = ["id"]
