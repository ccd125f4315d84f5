from __future__ import annotations

from django.db import models


class DisposalList(models.Model):
    """Letters proposed for destruction (bordereau d'élimination): reviewed by an archivist,
    approved by an admin (two different people), then executed with a certificate."""

    class State(models.TextChoices):
        PROPOSED = "proposed", "proposé / مقترح"
        REVIEWED = "reviewed", "vérifié / مراجع"
        APPROVED = "approved", "approuvé / مصادق عليه"
        EXECUTED = "executed", "exécuté / منفذ"
        REJECTED = "rejected", "rejeté / مرفوض"

    state = models.CharField(max_length=10, choices=State.choices, default=State.PROPOSED)
    proposed_by = models.CharField(max_length=150)
    proposed_at = models.DateTimeField(auto_now_add=True)
    reviewed_by = models.CharField(max_length=150, blank=True)
    reviewed_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.CharField(max_length=150, blank=True)
    approved_at = models.DateTimeField(null=True, blank=True)
    executed_at = models.DateTimeField(null=True, blank=True)
    certificate_key = models.CharField(max_length=256, blank=True)  # the signed procès-verbal
    calendar_version = models.CharField(max_length=32, blank=True)

    class Meta:
        ordering = ["-id"]


class DisposalItem(models.Model):
    disposal = models.ForeignKey(DisposalList, on_delete=models.CASCADE, related_name="items")
    entry = models.ForeignKey("archive.RegistryEntry", on_delete=models.PROTECT, related_name="disposals")
    fate_due = models.DateField()
    # Set when the list is executed: destroyed, or kept because a hold came meanwhile.
    outcome = models.CharField(max_length=16, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["disposal", "entry"], name="one_item_per_letter")]
        ordering = ["id"]
