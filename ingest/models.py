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


class QueuedTask(models.Model):
    """A file handed to the task queue, and what became of it: the web page and the API follow
    it here. The queue's own message only names this row, so a message delivered twice, or
    re-sent after a worker died, does the work once (a worker claims the row with a lease)."""

    class Status(models.TextChoices):
        QUEUED = "queued", "en attente / في الانتظار"
        RUNNING = "running", "en lecture / قيد القراءة"
        RETRYING = "retrying", "nouvel essai / إعادة المحاولة"
        REGISTERED = "registered", "enregistré / مسجل"
        DUPLICATE = "duplicate", "déjà enregistré / مسجل سابقا"
        QUARANTINED = "quarantined", "mis à l'écart / معزول"
        FAILED = "failed", "échec / فشل"

    FINAL = ("registered", "duplicate", "quarantined", "failed")

    batch = models.CharField(max_length=36, db_index=True)  # one upload or one `ingest --queue` run
    filename = models.CharField(max_length=512)
    incoming_key = models.CharField(max_length=256)  # the file as uploaded, in the object store
    sha256 = models.CharField(max_length=64)
    size = models.BigIntegerField()
    options = models.JSONField(default=dict, blank=True)  # clerk's values given with the file
    actor = models.CharField(max_length=150)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.QUEUED, db_index=True)
    attempts = models.PositiveIntegerField(default=0)
    lease_until = models.DateTimeField(null=True, blank=True)
    worker = models.CharField(max_length=128, blank=True)  # host:pid of the worker holding the lease
    registry_number = models.CharField(max_length=32, blank=True)
    reason_code = models.CharField(max_length=48, blank=True)
    reason = models.TextField(blank=True)
    pages = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["id"]


class TrainedModel(models.Model):
    """A trained type model, shared by every worker: its bytes are in the object store, this
    row says which version is current and what its bytes must hash to."""

    version = models.CharField(max_length=64, unique=True)  # hash of the examples it learnt from
    n_examples = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    storage_key = models.CharField(max_length=256)
    current = models.BooleanField(default=False, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]


class PageJob(models.Model):
    """One page of a queued file, read by whichever worker claims it: a long scan is spread
    over every machine's workers. The file's own worker waits by reading its pages too, so it
    never waits on nobody; a retried file task reuses the pages already read."""

    class Status(models.TextChoices):
        QUEUED = "queued", "en attente / في الانتظار"
        RUNNING = "running", "en lecture / قيد القراءة"
        DONE = "done", "lue / مقروءة"
        FAILED = "failed", "illisible / غير مقروءة"

    task = models.ForeignKey(QueuedTask, on_delete=models.CASCADE, related_name="page_jobs")
    index = models.PositiveIntegerField()  # 0-based page of the file
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.QUEUED)
    lease_until = models.DateTimeField(null=True, blank=True)
    worker = models.CharField(max_length=128, blank=True)  # who read it (or is reading it)
    attempts = models.PositiveIntegerField(default=0)
    result = models.JSONField(default=dict, blank=True)  # the page's text, languages, confidence…
    pdf = models.BinaryField(default=b"", blank=True)  # its searchable layer, until the file is done
    reason = models.TextField(blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["task", "index"], name="one_job_per_page")]
        ordering = ["task", "index"]


class IncomingMessage(models.Model):
    """An e-mail read from the registry's mailbox. Its .eml is kept as it arrived (its own
    original, in the object store); each PDF or image attachment became a letter, or the body
    did when there was none. Read once: the key is the Message-ID and the bytes' SHA-256."""

    message_id = models.CharField(max_length=512, blank=True)
    sha256 = models.CharField(max_length=64, unique=True)
    storage_key = models.CharField(max_length=256)
    sender = models.CharField(max_length=512, blank=True)
    subject = models.TextField(blank=True)
    tasks = models.JSONField(default=list, blank=True)  # the QueuedTask ids of its letters
    skipped = models.JSONField(default=list, blank=True)  # attachments not read, with the reason
    received_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
