"""The administrator's taxonomy page: services, mail types and reply deadlines, edited as the
TOML it is, checked before it is put in force, every version kept and audited."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from archive import taxonomy_store
from archive.models import TaxonomyVersion
from config.errors import SijillError
from config.web.auth import requires, viewer

MAX_CHARS = 500_000


@requires("manage")
def taxonomy_page(request: HttpRequest) -> HttpResponse:
    text = None
    if request.method == "POST":
        text = request.POST.get("text", "")[:MAX_CHARS].replace("\r\n", "\n")
        try:
            taxonomy_store.save(text, viewer(request).username, settings.SIJILL)
            messages.success(request, _("The taxonomy was saved and is in force."))
            return redirect("archive:taxonomy")
        except SijillError as exc:
            messages.error(request, exc.message)
    t = taxonomy_store.current(settings.SIJILL)
    return render(request, "archive/taxonomy.html", {
        "t": t, "services": sorted(t.services.values(), key=lambda s: s.id),
        "types": sorted(t.types.values(), key=lambda m: m.id),
        "text": text if text is not None else taxonomy_store.current_text(settings.SIJILL),
        "versions": TaxonomyVersion.objects.only("id", "created_by", "created_at")[:10],
    })  # fmt: skip
