"""What the staff do to a letter from its page: route, assign, change its status, tag, void,
mark confidential. Each action checks the role here and the letter's visibility below."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from archive import catalogue, routing
from config.errors import SijillError
from config.web import changes
from config.web.auth import letter_or_404, requires, viewer
from config.web.labels import current_taxonomy

MAX_NAMES = 50


def _act(request: HttpRequest, number: str, do: Callable[[str, str], object], done: str) -> HttpResponse:
    entry = letter_or_404(request, number)
    try:
        do(entry.number, viewer(request).username)
        changes.index_changes()
        messages.success(request, done)
    except SijillError as exc:
        messages.error(request, exc.message)
    return redirect("archive:letter", number=entry.number)


def _list(request: HttpRequest, name: str) -> list[str]:
    return [v.strip()[:150] for v in request.POST.getlist(name)[:MAX_NAMES] if v.strip()]


@require_POST
@requires("route")
def route(request: HttpRequest, number: str) -> HttpResponse:
    services = _list(request, "services")
    assignee = request.POST.get("assignee", "").strip()
    return _act(request, number, lambda n, who: routing.route(n, services, who, current_taxonomy(), assignee),
                _("The letter was routed."))  # fmt: skip


@require_POST
@requires("route")
def reassign(request: HttpRequest, number: str) -> HttpResponse:
    old, new = request.POST.get("from", "")[:64], request.POST.get("to", "")[:64]
    return _act(request, number, lambda n, who: routing.reassign(n, old, new, who, current_taxonomy()),
                _("The letter was reassigned."))  # fmt: skip


@require_POST
@requires("assign")
def assign(request: HttpRequest, number: str) -> HttpResponse:
    service, person = request.POST.get("service", "")[:64], request.POST.get("assignee", "").strip()[:150]
    v = viewer(request)
    if v.role == "head" and service not in v.services:
        messages.error(request, _("A head of service assigns only within his own service."))
        return redirect("archive:letter", number=letter_or_404(request, number).number)
    return _act(request, number, lambda n, who: routing.assign(n, service, person, who), _("Assigned."))


@require_POST
@requires("set_status")
def set_status(request: HttpRequest, number: str) -> HttpResponse:
    status = request.POST.get("status", "")[:16]
    return _act(request, number, lambda n, who: routing.set_status(n, status, who), _("Status changed."))


@require_POST
@requires("tag")
def tags(request: HttpRequest, number: str) -> HttpResponse:
    add = [t for t in request.POST.get("add", "").split(",") if t.strip()][:MAX_NAMES]
    remove = request.POST.get("remove", "")

    def do(n: str, who: str) -> None:
        if add:
            routing.add_tags([n], add, who)
        if remove:
            routing.remove_tag(n, remove, who)

    return _act(request, number, do, _("Tags saved."))


@require_POST
@requires("void")
def void(request: HttpRequest, number: str) -> HttpResponse:
    reason = request.POST.get("reason", "").strip()[:500]
    if not reason:
        messages.error(request, _("Give the reason for voiding this number."))
        return redirect("archive:letter", number=letter_or_404(request, number).number)
    return _act(request, number, lambda n, who: catalogue.void_entry(n, who, reason), _("The number was voided."))


@require_POST
@requires("confidential")
def confidential(request: HttpRequest, number: str) -> HttpResponse:
    flag = request.POST.get("confidential") == "1"
    readers = [r for r in request.POST.get("readers", "").replace("،", ",").split(",")][:MAX_NAMES]
    return _act(request, number, lambda n, who: routing.set_confidential(n, flag, who, readers),
                _("Confidentiality saved."))  # fmt: skip


@requires("tag")
def tag_suggestions(request: HttpRequest) -> HttpResponse:
    return JsonResponse({"tags": routing.known_tags(request.GET.get("q", ""))})
