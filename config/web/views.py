"""The pages every user shares: home by role, the health probe."""

from __future__ import annotations

from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect

from config.web.auth import viewer

# Where each role starts its day.
START = {
    "clerk": "/intake/",
    "agent": "/inbox/",
    "head": "/inbox/",
    "signatory": "/outgoing/",
    "archivist": "/register/",
    "admin": "/register/",
}


def home(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect_to_login("/")
    return redirect(START.get(viewer(request).role or "", "/search/"))


def health(request: HttpRequest) -> HttpResponse:
    """For a load balancer: the process answers and the catalogue is reachable."""
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute("SELECT 1")
    return JsonResponse({"status": "ok"})
