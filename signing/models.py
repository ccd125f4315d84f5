from __future__ import annotations

from django.db import models
from django.utils import timezone


class OutgoingDraft(models.Model):
    """A reply on its way out: uploaded by a service, given visas by heads, then signed.

    It holds no number: the departure number is reserved only when the signatory signs, as
    `sijill sign` does, so a draft that is never signed leaves no gap in the register."""

    class State(models.TextChoices):
        DRAFT = "draft", "En préparation / قيد الإعداد"
        SIGNED = "signed", "Signé / موقع"
        WITHDRAWN = "withdrawn", "Retiré / مسحوب"

    reply_to = models.ForeignKey("archive.RegistryEntry", null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="drafts")  # fmt: skip
    service = models.CharField(max_length=64)  # the service replying (a taxonomy id)
    subject = models.TextField(blank=True)
    filename = models.CharField(max_length=255)
    pdf_key = models.CharField(max_length=256)  # the draft's bytes in the object store (incoming/)
    sha256 = models.CharField(max_length=64)
    visas = models.JSONField(default=list, blank=True)  # [{"by": username, "at": iso}]
    state = models.CharField(max_length=16, choices=State.choices, default=State.DRAFT, db_index=True)
    departure = models.CharField(max_length=32, blank=True)  # the D number once signed
    created_by = models.CharField(max_length=150)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-id"]
