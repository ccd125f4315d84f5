"""Each service's inbox, the overdue list, and the monthly figures."""

from __future__ import annotations

import datetime as dt

from django.db.models import Avg, Count, DurationField, ExpressionWrapper, F, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from archive import routing
from archive.models import Routing
from archive.permissions import visible_entries
from archive.web.paging import paginate
from config.web import labels
from config.web.auth import requires, viewer

PAGE_SIZE = 50
COUNT_CAP = 1_000  # past this a list says «1,000+»: counting a whole archive costs more than the page


def _choosable(request: HttpRequest) -> list[str]:
    """The services whose lists this user may open: his own; a clerk or an admin, any."""
    v = viewer(request)
    return list(labels.current_taxonomy().services) if v.is_admin or v.role == "clerk" else sorted(v.services)


def _services(request: HttpRequest) -> tuple[list[str], str]:
    """The services a list covers: the one chosen, if the user may open it, else all of his."""
    choosable = _choosable(request)
    chosen = request.GET.get("service", "")[:64]
    return ([chosen] if chosen in choosable else choosable), chosen


@requires("inbox")
def inbox(request: HttpRequest) -> HttpResponse:
    services, chosen = _services(request)
    qs = routing.inbox(visible_entries(viewer(request)), services)
    status = request.GET.get("status", "open")[:16]
    qs = qs.filter(status__in=routing.OPEN_STATUSES) if status == "open" else qs.filter(status=status) if status else qs
    page = paginate(qs.prefetch_related("routings"), request.GET.get("page"), PAGE_SIZE, cap=COUNT_CAP)
    return render(request, "archive/inbox.html", {
        "page": page, "today": timezone.localdate(), "chosen": chosen, "status": status,
        "services": [(s, labels.service_label(s)) for s in _choosable(request)], "statuses": labels.status_choices(),
    })  # fmt: skip


@requires("inbox")
def overdue(request: HttpRequest) -> HttpResponse:
    services, chosen = _services(request)
    qs = routing.overdue(routing.routed_to(visible_entries(viewer(request)), services))
    page = paginate(qs.prefetch_related("routings"), request.GET.get("page"), PAGE_SIZE, cap=COUNT_CAP)
    return render(request, "archive/overdue.html", {
        "page": page, "today": timezone.localdate(), "chosen": chosen,
        "services": [(s, labels.service_label(s)) for s in _choosable(request)],
    })  # fmt: skip


@requires("figures")
def figures(request: HttpRequest) -> HttpResponse:
    """Per service, for one month: received, answered, late, average delay to answer."""
    today = timezone.localdate()
    raw = request.GET.get("month", "")[:7]
    try:
        first = dt.date.fromisoformat(raw + "-01") if raw else today.replace(day=1)
    except ValueError:
        first = today.replace(day=1)
    nxt = (first + dt.timedelta(days=32)).replace(day=1)
    services, _ = _services(request)
    visible = visible_entries(viewer(request)).filter(received_at__date__gte=first, received_at__date__lt=nxt)
    rows = (
        Routing.objects.filter(entry__in=visible, service__in=services)
        .values("service")
        .annotate(
            received=Count("entry", distinct=True),
            answered=Count("entry", filter=Q(entry__status__in=["answered", "closed"]), distinct=True),
            late=Count("entry", distinct=True, filter=Q(entry__due_date__lt=today,
                                                       entry__status__in=routing.OPEN_STATUSES)),
            delay=Avg(ExpressionWrapper(F("entry__answered_at") - F("entry__received_at"),
                                        output_field=DurationField())),
        )
        .order_by("service")
    )  # fmt: skip
    table = [
        {**r, "label": labels.service_label(r["service"]),
         "delay_days": round(r["delay"].total_seconds() / 86400, 1) if r["delay"] else None}
        for r in rows
    ]  # fmt: skip
    return render(request, "archive/figures.html", {"rows": table, "month": first.strftime("%Y-%m")})
