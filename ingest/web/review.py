"""The review queue (للمراجعة / à valider): letters read but not yet confirmed by a clerk.

Confirming or correcting goes through ``ingest.classify.corrections``, as `sijill tag` does:
audited, and the model learns from it."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from archive import catalogue, routing
from archive.models import RegistryEntry
from archive.permissions import visible_entries
from archive.views_data import understanding_fields
from archive.web.paging import paginate
from config.errors import SijillError
from config.web import changes, labels
from config.web.auth import letter_or_404, requires, viewer
from ingest.classify import corrections

PAGE_SIZE = 50
COUNT_CAP = 1_000
MAX_BULK = 200


def _pending(request: HttpRequest):
    qs = RegistryEntry.objects.filter(direction="A", confirmed_at__isnull=True, voided_at__isnull=True)
    return visible_entries(viewer(request), qs)


@requires("review")
def review_list(request: HttpRequest) -> HttpResponse:
    page = paginate(
        _pending(request).order_by("-id").prefetch_related("routings"),
        request.GET.get("page"),
        PAGE_SIZE,
        cap=COUNT_CAP,
    )
    rows = [{"e": e, "f": understanding_fields(e)} for e in page.rows]
    return render(request, "ingest/review_list.html", {"page": page, "rows": rows,
                                                       "services": labels.service_choices()})  # fmt: skip


@requires("review")
def review_letter(request: HttpRequest, number: str) -> HttpResponse:
    entry = letter_or_404(request, number)
    if request.method == "POST":
        p = request.POST
        try:
            corrections.tag(
                entry.number, viewer(request).username, labels.current_taxonomy(),
                mail_type=p.get("type", "")[:64] or None, service=p.get("service", "")[:64] or None,
                sender=p.get("sender", "")[:512], letter_date=p.get("letter_date", "")[:40],
                reference=p.get("reference", "")[:128], subject=p.get("subject", "")[:2000],
            )  # fmt: skip
        except SijillError as exc:
            messages.error(request, exc.message)
            return redirect("ingest:review_letter", number=entry.number)
        changes.index_changes()
        messages.success(request, _("%(n)s confirmed.") % {"n": entry.number})
        nxt = _pending(request).exclude(pk=entry.pk).order_by("-id").first()
        return redirect("ingest:review_letter", number=nxt.number) if nxt else redirect("ingest:review")
    return render(request, "ingest/review_letter.html", {
        "e": entry, "f": understanding_fields(entry), "doc": entry.document,
        "types": labels.type_choices(), "services": labels.service_choices(),
    })  # fmt: skip


@require_POST
@requires("review")
def review_bulk(request: HttpRequest) -> HttpResponse:
    numbers = request.POST.getlist("numbers")[:MAX_BULK]
    visible = list(_pending(request).filter(number__in=numbers).values_list("number", flat=True))
    who = viewer(request).username
    try:
        if request.POST.get("action") == "route":
            services = request.POST.getlist("services")[:50]
            for n in visible:
                routing.route(n, services, who, labels.current_taxonomy())
            messages.success(request, _("%(count)d letter(s) routed.") % {"count": len(visible)})
        else:
            for n in visible:
                catalogue.update_entry(n, who, confirm=True)
            messages.success(request, _("%(count)d letter(s) confirmed.") % {"count": len(visible)})
    except SijillError as exc:
        messages.error(request, exc.message)
    changes.index_changes()
    return redirect("ingest:review")
