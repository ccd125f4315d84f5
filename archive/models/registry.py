from __future__ import annotations

from django.db import models


class Direction(models.TextChoices):
    INCOMING = "A", "Arrivée / وارد"
    OUTGOING = "D", "Départ / صادر"


class Status(models.TextChoices):
    REGISTERED = "registered", "Enregistré / مسجل"
    ASSIGNED = "assigned", "Imputé / محال"
    IN_PROGRESS = "in_progress", "En cours / قيد المعالجة"
    ANSWERED = "answered", "Répondu / تم الرد"
    CLOSED = "closed", "Classé / محفوظ"


class RegistryCounter(models.Model):
    """Last number handed out per direction and year: the source of gapless numbering."""

    direction = models.CharField(max_length=1, choices=Direction.choices)
    year = models.PositiveIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["direction", "year"], name="one_counter_per_year")]


class RegistryEntry(models.Model):
    """A line of the bureau d'ordre's register."""

    number = models.CharField(max_length=32, unique=True)  # A-2026-000123
    direction = models.CharField(max_length=1, choices=Direction.choices)
    year = models.PositiveIntegerField()
    sequence = models.PositiveIntegerField()
    document = models.ForeignKey("archive.Document", on_delete=models.PROTECT, related_name="entries", null=True)
    received_at = models.DateTimeField()
    # Filled or corrected by a clerk (or proposed by the reader of letters).
    sender = models.CharField(max_length=512, blank=True)
    letter_reference = models.CharField(max_length=128, blank=True)
    letter_date = models.DateField(null=True, blank=True)
    subject = models.TextField(blank=True)
    addressee_service = models.CharField(max_length=256, blank=True)
    mail_type = models.CharField(max_length=64, blank=True)  # id from config/taxonomy
    tags = models.JSONField(default=list, blank=True)
    # سري / confidentiel: only the services it is routed to, named users and admins see it.
    confidential = models.BooleanField(default=False, db_index=True)
    due_date = models.DateField(null=True, blank=True)  # legal reply deadline, from the type
    # What Sijill read off the letter: each field with its confidence and text span, and the
    # type decision (rule or model, model version). Kept as proposed, even after corrections.
    understanding = models.JSONField(default=dict, blank=True)
    # Set when a clerk confirms or corrects the entry: it then teaches the model.
    confirmed_at = models.DateTimeField(null=True, blank=True)
    # Départ: the arrival it answers, and the signed letter as archived.
    in_reply_to = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="replies")
    signed_key = models.CharField(max_length=256, blank=True)
    # Migrated from a legacy register: its number kept verbatim, and the rest of its line.
    legacy_number = models.CharField(max_length=64, blank=True, db_index=True)
    legacy = models.JSONField(default=dict, blank=True)
    # A departure number is reserved before the letter is signed; until the signed copy is
    # confirmed it stays ``awaiting_signature``. A number is never reused: a registration that
    # went wrong is voided, and its line stays in the register marked void with the reason.
    awaiting_signature = models.BooleanField(default=False)
    voided_at = models.DateTimeField(null=True, blank=True)
    void_reason = models.TextField(blank=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.REGISTERED)
    answered_at = models.DateTimeField(null=True, blank=True)  # for the monthly reply delays
    created_by = models.CharField(max_length=150)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["direction", "year", "sequence"]
        constraints = [
            models.UniqueConstraint(fields=["direction", "year", "sequence"], name="gapless_sequence"),
        ]
        # Inboxes list newest first, overdue lists by deadline: both walk an index, not the table.
        indexes = [
            models.Index(fields=["received_at"], name="entry_received"),
            models.Index(fields=["due_date"], name="entry_due"),
            # The review queue: letters not yet confirmed, newest first.
            models.Index(fields=["id"], name="entry_unconfirmed", condition=models.Q(confirmed_at__isnull=True)),
        ]

    def __str__(self) -> str:
        return self.number


class LegalHold(models.Model):
    """A letter that must not be destroyed or transferred, whatever its retention dates
    (gel / تجميد: a dispute, an inquiry). Released holds stay, for the record."""

    entry = models.ForeignKey(RegistryEntry, on_delete=models.PROTECT, related_name="holds")
    reason = models.TextField()
    placed_by = models.CharField(max_length=150)
    placed_at = models.DateTimeField(auto_now_add=True)
    released_by = models.CharField(max_length=150, blank=True)
    released_at = models.DateTimeField(null=True, blank=True)
    release_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-placed_at"]
