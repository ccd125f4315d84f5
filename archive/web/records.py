"""The archivist's side of a letter: its retention dates and legal holds."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from archive import holds
from archive.models import RegistryEntry
from archive.permissions import visible_entries
from config.errors import SijillError
from config.web.auth import letter_or_404, requires, viewer

MAX_ROWS = 500


@require_POST
@requires("hold")
def hold(request: HttpRequest, number: str) -> HttpResponse:
    entry = letter_or_404(request, number)
    reason = request.POST.get("reason", "").strip()[:2000]
    try:
        if request.POST.get("release") == "1":
            holds.release(entry.number, reason, viewer(request).username)
            messages.success(request, _("The hold was released."))
        else:
            holds.place([entry.number], reason, viewer(request).username)
            messages.success(request, _("The letter is on hold: nothing can destroy or transfer it."))
    except SijillError as exc:
        messages.error(request, exc.message)
    return redirect("archive:letter", number=entry.number)


@requires("hold")
def holds_page(request: HttpRequest) -> HttpResponse:
    rows = list(holds.active().order_by("-placed_at")[:MAX_ROWS])
    ids = [h.entry_id for h in rows]
    seen = set(visible_entries(viewer(request), RegistryEntry.objects.filter(pk__in=ids)).values_list("pk", flat=True))
    # A confidential letter the archivist may not read shows as number, date and type only.
    return render(request, "archive/holds.html", {"rows": [(h, h.entry_id in seen) for h in rows]})


@requires("hold")
def transfers_page(request: HttpRequest) -> HttpResponse:
    """Transfers to Archives du Maroc, from the audit log: letters sent in each bag, and received."""
    from archive.models import AuditEvent

    rows: dict[str, dict] = {}
    events = AuditEvent.objects.filter(action__in=["transfer_prepared", "transfer_confirmed"]).order_by("seq")
    for action, at, actor, details in events.values_list("action", "at", "actor", "details")[:100_000]:
        t = rows.setdefault(details.get("transfer", "?"), {"id": details.get("transfer", "?"), "at": at, "by": actor,
                                                            "letters": 0, "received": 0})  # fmt: skip
        t["letters" if action == "transfer_prepared" else "received"] += 1
    return render(request, "archive/transfers.html", {"transfers": sorted(rows.values(), key=lambda t: t["at"],
                                                                            reverse=True)})  # fmt: skip
