from __future__ import annotations

from django.db import models


class Document(models.Model):
    """One original file as received, identified by the SHA-256 of its bytes."""

    sha256 = models.CharField(max_length=64, unique=True)
    kind = models.CharField(max_length=8)  # pdf / tiff / png / jpeg
    mime_type = models.CharField(max_length=64)
    size = models.BigIntegerField()
    original_name = models.CharField(max_length=512)
    original_key = models.CharField(max_length=256)
    # S3 with object lock: the version the original was written as; it is always read by it.
    original_version = models.CharField(max_length=128, blank=True)
    searchable_key = models.CharField(max_length=256, blank=True)
    page_count = models.PositiveIntegerField()
    languages = models.JSONField(default=list)
    ocr_confidence = models.FloatField(null=True)  # mean over OCR'd pages, 0–100
    text = models.TextField(blank=True)
    # For a signed PDF received: each signature's report at ingest (the file is never changed).
    signatures = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # Destroyed by an approved disposal: its objects and text are gone on purpose (fsck knows);
    # the register line and the disposal's certificate remain.
    destroyed_at = models.DateTimeField(null=True, blank=True)
    destroyed_by = models.ForeignKey("archive.DisposalList", null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="documents")  # fmt: skip

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.original_name} ({self.sha256[:12]})"


class Page(models.Model):
    class Source(models.TextChoices):
        TEXT_LAYER = "text_layer", "PDF text layer"
        OCR = "ocr", "OCR"

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="pages")
    number = models.PositiveIntegerField()  # 1-based
    source = models.CharField(max_length=16, choices=Source.choices)
    text = models.TextField(blank=True)
    languages = models.JSONField(default=list)
    confidence = models.FloatField(null=True)
    rotation = models.PositiveSmallIntegerField(default=0)
    skew = models.FloatField(default=0.0)
    low_confidence_words = models.JSONField(default=list)

    class Meta:
        ordering = ["document_id", "number"]
        constraints = [models.UniqueConstraint(fields=["document", "number"], name="unique_page_number")]
