"""Intake: drop scans and PDFs; they are read in the background by the task queue.

The upload only stores each file in the object store's ``incoming/`` area and queues it: it
returns at once, and closing the browser loses nothing. The page follows each file's state."""

from __future__ import annotations

import uuid
from functools import lru_cache

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from config.sijill import SijillSettings
from config.web import labels
from config.web.auth import requires, viewer
from ingest.models import QueuedTask
from ingest.queue.service import TaskQueue

MAX_FILES = 200  # per upload; also Django's DATA_UPLOAD_MAX_NUMBER_FILES
MAX_FILE_BYTES = 200 * 1024 * 1024
RECENT = 100


@lru_cache(maxsize=2)
def queue_for(s: SijillSettings) -> TaskQueue:
    """One queue handle per process and settings (it only sends; workers run elsewhere)."""
    return TaskQueue(s)


@requires("intake")
def intake_page(request: HttpRequest) -> HttpResponse:
    return render(request, "ingest/intake.html", {
        "services": labels.service_choices(), **_tasks_context(request),
    })  # fmt: skip


def _tasks_context(request: HttpRequest) -> dict:
    tasks = list(QueuedTask.objects.filter(actor=viewer(request).username).order_by("-id")[:RECENT])
    return {"tasks": tasks, "pending": any(t.status not in QueuedTask.FINAL for t in tasks)}


@requires("intake")
def tasks_partial(request: HttpRequest) -> HttpResponse:
    return render(request, "ingest/_tasks.html", _tasks_context(request))


@require_POST
@requires("intake")
def upload(request: HttpRequest) -> HttpResponse:
    files = request.FILES.getlist("files")
    errors = []
    if not files:
        errors.append(_("Choose at least one file."))
    if len(files) > MAX_FILES:
        errors.append(_("At most %(n)d files at once.") % {"n": MAX_FILES})
        files = []
    taxonomy = labels.current_taxonomy()
    services = [s for s in request.POST.getlist("services")[:50] if s in taxonomy.services]
    options = {
        "confidential": request.POST.get("confidential") == "1",
        "services": services,
        "sender": request.POST.get("sender", "").strip()[:512],
        "subject": request.POST.get("subject", "").strip()[:2000],
        "via": "web",
    }
    queue = queue_for(settings.SIJILL)
    batch = str(uuid.uuid4())
    actor = viewer(request).username
    for f in files:
        if f.size > MAX_FILE_BYTES:
            errors.append(_("%(name)s is larger than %(mb)d MB.") % {"name": f.name, "mb": MAX_FILE_BYTES // 2**20})
            continue
        queue.submit_bytes(f.name[-200:], f.read(), actor, batch, options)
    context = {**_tasks_context(request), "errors": errors}
    if request.htmx:
        return render(request, "ingest/_tasks.html", context)
    return render(request, "ingest/intake.html", {"services": labels.service_choices(), **context})
