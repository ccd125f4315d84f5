"""The header's navigation: each role sees the pages of its work."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from config.web import labels
from config.web.auth import viewer

# (action that must be allowed, URL, label) in menu order
MENU = (
    ("intake", "/intake/", gettext_noop("Intake")),
    ("review", "/review/", gettext_noop("To review")),
    ("inbox", "/inbox/", gettext_noop("Inbox")),
    ("inbox", "/overdue/", gettext_noop("Overdue")),
    ("register", "/register/", gettext_noop("Register")),
    ("search", "/search/", gettext_noop("Search")),
    ("outgoing", "/outgoing/", gettext_noop("Outgoing")),
    ("figures", "/figures/", gettext_noop("Figures")),
    ("hold", "/holds/", gettext_noop("Holds")),
    ("hold", "/disposal/", gettext_noop("Disposal")),
    ("hold", "/transfers/", gettext_noop("Transfers")),
    ("manage", "/taxonomy/", gettext_noop("Taxonomy")),
    ("manage", "/admin/", gettext_noop("Administration")),
)


def navigation(request: HttpRequest) -> dict:
    if not getattr(request, "user", None) or not request.user.is_authenticated:
        return {}
    v = viewer(request)
    items, seen = [], set()
    for action, url, label in MENU:
        if url not in seen and v.may(action):
            seen.add(url)
            items.append({"url": url, "label": _(label), "current": request.path.startswith(url)})
    return {"nav": items, "viewer": v, "role_label": labels.role_label(v.role)}
