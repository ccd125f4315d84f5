"""The archive's search page (Arabic first, French alongside)."""

from __future__ import annotations

from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.safestring import mark_safe

from config.errors import QueryError, SearchError
from search.forms import PAGE_SIZE, request_from_params
from search.service import search_catalogue

FACET_LABELS = {
    "mail_type": ("النوع", "Type", "type"),
    "department": ("المصلحة", "Service", "department"),
    "status": ("الحالة", "Statut", "status"),
    "year": ("السنة", "Année", None),
}


@login_required
def search_page(request: HttpRequest) -> HttpResponse:
    params = request.GET
    context: dict = {"params": params, "error": None, "results": None}
    if params:
        try:
            req = request_from_params(params, params.getlist("tag"))
            results = search_catalogue(settings.SIJILL, req)
            context["results"] = results
            context["hits"] = [
                {"hit": h, "snippet_html": mark_safe(h.snippet.html()), "f": h.fields} for h in results.hits
            ]
            context["facets"] = _facet_links(params, results.facets)
            page = req.offset // PAGE_SIZE + 1
            context["prev_url"] = _with(params, page=page - 1) if page > 1 else None
            context["next_url"] = _with(params, page=page + 1) if req.offset + PAGE_SIZE < results.total else None
        except QueryError as exc:
            context["error"] = exc.message
        except SearchError as exc:
            context["error"] = exc.message
    return render(request, "search/search.html", context)


def _with(params, **changes) -> str:
    merged = {k: v for k, v in params.items() if v}
    merged.update({k: str(v) for k, v in changes.items()})
    return "?" + urlencode(merged)


def _facet_links(params, facets: dict[str, list[tuple[str, int]]]) -> list[dict]:
    out = []
    for name, values in facets.items():
        ar, fr, param = FACET_LABELS[name]
        items = []
        for value, count in values:
            url = _with(params, **{param: value, "page": 1}) if param else None
            items.append({"value": value, "count": count, "url": url})
        if items:
            out.append({"ar": ar, "fr": fr, "items": items})
    return out
