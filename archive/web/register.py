"""The register book (سجل الواردات / الصادرات): by year and direction, filterable, exportable."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone

from archive import export, register_pdf
from archive.models import RegistryEntry
from archive.permissions import hidden_ids, visible_entries
from archive.web.paging import paginate
from config.web import labels
from config.web.auth import requires, viewer

PAGE_SIZE = 50


def _year(raw: str | None) -> int:
    raw = (raw or "").strip()[:4]
    year = int(raw) if raw.isdigit() else timezone.localdate().year
    return min(max(year, 1900), 2999)


def _month(raw: str | None) -> int | None:
    raw = (raw or "").strip()[:2]
    return int(raw) if raw.isdigit() and 1 <= int(raw) <= 12 else None


def _direction(raw: str | None) -> str:
    return "D" if (raw or "").upper()[:1] == "D" else "A"


def book_rows(request: HttpRequest):
    """The register lines asked for. With no filter, every line of the year (its numbering is
    whole); with a filter, only lines the user may read, so a filter cannot reveal a hidden one."""
    v = viewer(request)
    year, direction = _year(request.GET.get("year")), _direction(request.GET.get("direction"))
    qs = RegistryEntry.objects.filter(year=year, direction=direction)
    if month := _month(request.GET.get("month")):  # a span of dates hides nothing a masked line shows
        qs = qs.filter(received_at__month=month)
    filters = {
        "status": request.GET.get("status", "")[:16],
        "mail_type": request.GET.get("type", "")[:64],
        "routings__service": request.GET.get("service", "")[:64],
    }
    active = {k: val for k, val in filters.items() if val}
    if active:
        qs = visible_entries(v, qs).filter(**active).distinct()
    return v, year, direction, qs.order_by("-sequence")


@requires("register")
def register_book(request: HttpRequest) -> HttpResponse:
    v, year, direction, qs = book_rows(request)
    page = paginate(qs, request.GET.get("page"), PAGE_SIZE)
    hidden = hidden_ids(v, RegistryEntry.objects.filter(pk__in=[e.pk for e in page.rows]))
    return render(request, "archive/register.html", {
        "page": page, "hidden": hidden, "year": year, "direction": direction,
        "services": labels.service_choices(), "types": labels.type_choices(), "statuses": labels.status_choices(),
        "can_export": v.may("export"), "months": [f"{m:02d}" for m in range(1, 13)],
    })  # fmt: skip


@requires("register")
def register_print(request: HttpRequest) -> HttpResponse:
    """One month of the register (or the whole year, up to 5,000 lines) as a printable PDF."""
    v, year, direction, qs = book_rows(request)
    month = _month(request.GET.get("month"))
    rows = list(qs.order_by("sequence")[: register_pdf.MAX_ROWS])
    hidden = hidden_ids(v, RegistryEntry.objects.filter(pk__in=[e.pk for e in rows])) if rows else set()
    book = "سجل الصادرات / Registre des départs" if direction == "D" else "سجل الواردات / Registre des arrivées"
    title = f"{book} — {year}" + (f"-{month:02d}" if month else "")
    pdf = register_pdf.register_pdf(rows, hidden, title, _label)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="register-{direction}-{year}.pdf"'
    return response


def _label(kind: str, value: str) -> str:
    return labels.type_label(value) if kind == "type" else labels.status_label(value)


@requires("export")
def register_csv(request: HttpRequest) -> HttpResponse:
    v, year, direction, qs = book_rows(request)
    rows = export.register_rows(qs.order_by("sequence"), hidden_ids(v, qs))
    response = StreamingHttpResponse(rows, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="register-{direction}-{year}.csv"'
    return response
