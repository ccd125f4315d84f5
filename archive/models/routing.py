from __future__ import annotations

from django.db import models
from django.utils import timezone


class Routing(models.Model):
    """A letter sent to a service (imputation / الإحالة); a letter may go to several."""

    entry = models.ForeignKey("archive.RegistryEntry", on_delete=models.CASCADE, related_name="routings")
    service = models.CharField(max_length=64, db_index=True)  # a service id of the taxonomy
    assignee = models.CharField(max_length=150, blank=True)  # optionally one person of it
    due_date = models.DateField(null=True, blank=True)
    routed_at = models.DateTimeField(default=timezone.now)
    routed_by = models.CharField(max_length=150)

    class Meta:
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["entry", "service"], name="one_routing_per_service")]


class NamedReader(models.Model):
    """A user named on a confidential letter: he may read it whatever his service."""

    entry = models.ForeignKey("archive.RegistryEntry", on_delete=models.CASCADE, related_name="readers")
    username = models.CharField(max_length=150, db_index=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["entry", "username"], name="one_grant_per_reader")]
