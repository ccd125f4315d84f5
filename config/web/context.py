"""The header's navigation: each role sees the pages of its work."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop as N_

from archive.models import Role
from config.web.auth import viewer

# (action that must be allowed, URL, label) in menu order
MENU = (
    ("intake", "/intake/", N_("Intake")),
    ("review", "/review/", N_("To review")),
    ("inbox", "/inbox/", N_("Inbox")),
    ("inbox", "/overdue/", N_("Overdue")),
    ("register", "/register/", N_("Register")),
    ("search", "/search/", N_("Search")),
    ("figures", "/figures/", N_("Figures")),
    ("manage", "/admin/", N_("Administration")),
)
ROLE_LABELS = {
    Role.CLERK: N_("Registry clerk"),
    Role.AGENT: N_("Service agent"),
    Role.HEAD: N_("Head of service"),
    Role.SIGNATORY: N_("Signatory"),
    Role.ARCHIVIST: N_("Archivist"),
    Role.ADMIN: N_("Administrator"),
}


def navigation(request: HttpRequest) -> dict:
    if not getattr(request, "user", None) or not request.user.is_authenticated:
        return {}
    v = viewer(request)
    items, seen = [], set()
    for action, url, label in MENU:
        if url not in seen and v.may(action):
            seen.add(url)
            items.append({"url": url, "label": _(label), "current": request.path.startswith(url)})
    return {"nav": items, "viewer": v, "role_label": _(ROLE_LABELS.get(v.role, N_("No role")))}
