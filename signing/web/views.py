"""A service uploads its reply, heads give their visas, the signatory signs with the office's key."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters, sensitive_variables
from django.views.decorators.http import require_POST

from archive.access import record_access
from archive.objectstore import open_store
from archive.web.paging import paginate
from config.errors import SijillError
from config.web import changes, labels
from config.web.auth import letter_or_404, requires, viewer
from signing import drafts
from signing.models import OutgoingDraft


def _draft_or_404(request: HttpRequest, draft_id: int) -> OutgoingDraft:
    draft = drafts.drafts_for(viewer(request)).filter(pk=draft_id).first()
    if draft is None:
        raise Http404("No such draft")
    return draft


@requires("outgoing")
def outgoing_list(request: HttpRequest) -> HttpResponse:
    state = request.GET.get("state", "draft")[:16]
    qs = drafts.drafts_for(viewer(request))
    qs = qs.filter(state=state) if state in OutgoingDraft.State.values else qs
    page = paginate(qs, request.GET.get("page"), 50)
    return render(request, "signing/outgoing.html", {"page": page, "state": state})


@requires("reply")
def reply(request: HttpRequest, number: str) -> HttpResponse:
    entry = letter_or_404(request, number)
    v = viewer(request)
    services = [s for s in entry.routings.values_list("service", flat=True) if v.is_admin or s in v.services]
    if request.method == "POST":
        upload = request.FILES.get("file")
        service = request.POST.get("service", "")[:64]
        if upload is None or service not in services:
            messages.error(request, _("Choose the reply (PDF) and your service."))
        else:
            try:
                draft = drafts.create_draft(open_store(settings.SIJILL), upload.read(), upload.name, service,
                                            v.username, entry, request.POST.get("subject", ""))  # fmt: skip
                changes.index_changes()
                return redirect("signing:draft", draft_id=draft.pk)
            except SijillError as exc:
                messages.error(request, exc.message)
    return render(request, "signing/reply.html", {
        "e": entry, "services": [(s, labels.service_label(s)) for s in services],
    })  # fmt: skip


@requires("outgoing")
def draft_page(request: HttpRequest, draft_id: int) -> HttpResponse:
    draft = _draft_or_404(request, draft_id)
    v = viewer(request)
    return render(request, "signing/draft.html", {
        "d": draft, "may_visa": v.may("visa") and (v.is_admin or draft.service in v.services),
        "may_sign": v.may("sign"), "visaed_by_me": any(x["by"] == v.username for x in draft.visas),
    })  # fmt: skip


@requires("outgoing")
def draft_pdf(request: HttpRequest, draft_id: int) -> HttpResponse:
    draft = _draft_or_404(request, draft_id)
    data = open_store(settings.SIJILL).get(draft.pdf_key, sha256=draft.sha256)
    record_access(viewer(request).username, "viewed_draft", f"draft:{draft.pk}", via="web")
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="draft-{draft.pk}.pdf"'
    response["Content-Security-Policy"] = "sandbox"
    return response


@require_POST
@requires("visa")
def visa(request: HttpRequest, draft_id: int) -> HttpResponse:
    draft = _draft_or_404(request, draft_id)
    v = viewer(request)
    if not (v.is_admin or draft.service in v.services):
        messages.error(request, _("A head gives visas to his own service's letters only."))
    else:
        try:
            drafts.give_visa(draft.pk, v.username)
            changes.index_changes()
            messages.success(request, _("Visa given."))
        except SijillError as exc:
            messages.error(request, exc.message)
    return redirect("signing:draft", draft_id=draft.pk)


@sensitive_post_parameters("secret")  # never on an error page or in a report
@sensitive_variables("secret")
@require_POST
@requires("sign")
def sign(request: HttpRequest, draft_id: int) -> HttpResponse:
    draft = _draft_or_404(request, draft_id)
    secret = request.POST.get("secret", "")[:256]  # used for this signature only, never kept or logged
    try:
        outcome = drafts.sign_draft(draft.pk, secret, settings.SIJILL, open_store(settings.SIJILL),
                                    viewer(request).username, request.POST.get("name_ar", "")[:200])  # fmt: skip
    except SijillError as exc:
        messages.error(request, exc.message)
        return redirect("signing:draft", draft_id=draft.pk)
    changes.index_changes()
    messages.success(request, _("Signed and registered as %(n)s.") % {"n": outcome.number})
    return redirect("archive:letter", number=outcome.number)
