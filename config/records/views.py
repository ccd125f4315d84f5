"""/disposal/: lists of letters due for destruction, reviewed by an archivist and approved by an
admin in their own sessions (two people), executed with a sealed certificate."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from archive import disposal
from archive.models import DisposalList, RegistryEntry
from archive.objectstore import open_store
from archive.permissions import visible_entries
from config.errors import SijillError
from config.web.auth import requires, viewer


@requires("hold")
def lists_page(request: HttpRequest) -> HttpResponse:
    return render(request, "records/disposal_lists.html", {"lists": DisposalList.objects.all()[:200]})


@requires("hold")
def list_page(request: HttpRequest, list_id: int) -> HttpResponse:
    lst = DisposalList.objects.filter(pk=list_id).first()
    if lst is None:
        raise Http404("No such list")
    items = list(lst.items.select_related("entry"))
    seen = set(visible_entries(viewer(request), RegistryEntry.objects.filter(pk__in=[i.entry_id for i in items]))
               .values_list("pk", flat=True))  # fmt: skip
    v = viewer(request)
    context = {
        "lst": lst,
        "rows": [(i, i.entry_id in seen) for i in items],
        "may_review": v.may("dispose_review"),
        "may_approve": v.may("dispose_approve") and v.username != lst.reviewed_by,  # two people
    }
    return render(request, "records/disposal_list.html", context)


@require_POST
@requires("dispose_review")
def review(request: HttpRequest, list_id: int) -> HttpResponse:
    return _step(request, list_id, lambda who: disposal.review(list_id, who), _("Reviewed."))


@require_POST
@requires("dispose_approve")
def approve(request: HttpRequest, list_id: int) -> HttpResponse:
    return _step(request, list_id, lambda who: disposal.approve(list_id, who), _("Approved."))


@require_POST
@requires("dispose_review")
def reject(request: HttpRequest, list_id: int) -> HttpResponse:
    reason = request.POST.get("reason", "").strip()[:2000]
    return _step(request, list_id, lambda who: disposal.reject(list_id, who, reason), _("Rejected."))


@require_POST
@requires("dispose_approve")
def execute(request: HttpRequest, list_id: int) -> HttpResponse:
    from signing.certificate import certify

    def run(who: str) -> None:
        store = open_store(settings.SIJILL)
        lst, items = disposal.execute(list_id, store, who)
        if not lst.certificate_key:
            disposal.set_certificate(lst.pk, certify(lst, items, settings.SIJILL, store))

    return _step(request, list_id, run, _("Executed: the certificate is archived."))


def _step(request: HttpRequest, list_id: int, do, done: str) -> HttpResponse:
    try:
        do(viewer(request).username)
        messages.success(request, done)
    except SijillError as exc:
        messages.error(request, exc.message)
    return redirect("records:list", list_id=list_id)


@requires("hold")
def certificate(request: HttpRequest, list_id: int) -> HttpResponse:
    lst = DisposalList.objects.filter(pk=list_id).exclude(certificate_key="").first()
    if lst is None:
        raise Http404("No certificate")
    response = HttpResponse(open_store(settings.SIJILL).get(lst.certificate_key), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="pv-elimination-{lst.pk}.pdf"'
    return response
