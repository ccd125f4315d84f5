from __future__ import annotations

from django.db import models


class Deposit(models.Model):
    """A letter filed online by a citizen or a company (dépôt électronique / الإيداع الرقمي).

    Personal data under law 09-08: the depositor's identity serves the letter's handling and the
    receipt only. The tracking code is kept as a hash: the receipt is the only place it appears.
    """

    entry = models.OneToOneField("archive.RegistryEntry", on_delete=models.PROTECT, related_name="deposit")
    name = models.CharField(max_length=200)
    id_number = models.CharField(max_length=32)  # CIN or RC number
    contact = models.CharField(max_length=254)  # e-mail or phone
    service = models.CharField(max_length=64)
    subject = models.CharField(max_length=500)
    files = models.JSONField(default=list)  # [{name, sha256, size, mime, key}], the first is the letter
    code_hash = models.CharField(max_length=64)
    receipt_key = models.CharField(max_length=256, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __repr__(self) -> str:  # no personal data in logs
        return f"Deposit({self.entry_id}, files={len(self.files)})"

    __str__ = __repr__
