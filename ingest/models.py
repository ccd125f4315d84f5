from __future__ import annotations

from django.db import models


class MigrationFile(models.Model):
    """The migration journal: one row per source file, so a run can stop anywhere and resume."""

    class State(models.TextChoices):
        DONE = "done", "archived"
        DUPLICATE = "duplicate", "same content as another source file"
        QUARANTINED = "quarantined", "kept aside with a reason"
        FAILED = "failed", "not archived; retried on the next run"
        SPLIT = "split", "a bulk scan split into letters (rows 'file#NN')"

    source = models.CharField(max_length=1024)  # absolute path of the source folder
    rel_path = models.CharField(max_length=1024)
    size = models.BigIntegerField(default=0)
    sha256 = models.CharField(max_length=64, blank=True, db_index=True)
    state = models.CharField(max_length=16, choices=State.choices)
    registry_number = models.CharField(max_length=32, blank=True)
    reason = models.TextField(blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["source", "rel_path"], name="one_journal_row_per_file")]
        ordering = ["id"]
