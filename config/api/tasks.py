"""/api/tasks/ID/: what became of a file handed to the queue. Only its sender (or an admin)
sees a task: a task names the letter it became, which others may not be allowed to see."""

from __future__ import annotations

from typing import ClassVar

from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from config.api import schema
from config.api.auth import viewer
from ingest.models import QueuedTask


def task_json(t: QueuedTask) -> dict:
    return {
        "task": t.pk,
        "status": t.status,  # queued, running, retrying, registered, duplicate, quarantined, failed
        "registry_number": t.registry_number or None,
        "reason": t.reason or None,
        "reason_code": t.reason_code or None,
        "file": t.filename,
        "attempts": t.attempts,
        "created_at": t.created_at.isoformat(timespec="seconds"),
        "updated_at": t.updated_at.isoformat(timespec="seconds"),
    }


class TaskDetail(APIView):
    sijill_actions: ClassVar[dict[str, str | None]] = {"GET": "search"}

    @extend_schema(operation_id="task_read", responses={200: schema.Task, **schema.errors(401, 404)})
    def get(self, request: Request, task_id: int) -> Response:
        v = viewer(request)
        qs = QueuedTask.objects.filter(pk=task_id)
        if not v.is_admin:
            qs = qs.filter(actor=v.username)
        task = qs.first()
        if task is None:
            raise Http404
        return Response(task_json(task))
