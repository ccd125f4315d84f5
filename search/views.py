"""The archive's search page: the engine, filtered to what the user may see."""

from __future__ import annotations

import dataclasses

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.safestring import mark_safe

from archive.models import RegistryEntry
from archive.permissions import search_access, visible_entries
from config.errors import QueryError, SearchError
from config.web import labels
from config.web.auth import requires, viewer
from search.forms import PAGE_SIZE, request_from_params
from search.service import search_as_is

FACET_PARAMS = {"mail_type": ("type", labels.type_label), "department": ("service", labels.service_label),
                "status": ("status", labels.status_label), "tags": ("tag", str), "year": (None, str)}  # fmt: skip
FILTERS = ("q", "type", "service", "department", "status", "tag", "sender", "from", "to", "letter_from",
           "letter_to", "direction")  # fmt: skip


@requires("search")
def search_page(request: HttpRequest) -> HttpResponse:
    params = request.GET
    v = viewer(request)
    context: dict = {
        "error": None, "results": None, "types": labels.type_choices(), "services": labels.service_choices(),
        "statuses": labels.status_choices(),
    }  # fmt: skip
    if any(params.get(k) for k in FILTERS):
        try:
            req = request_from_params(params, params.getlist("tag"))
            req = dataclasses.replace(req, access=search_access(v))
            results = search_as_is(settings.SIJILL, req)
            # Belt and braces: a letter made confidential a moment ago may not be re-indexed yet.
            ids = [h.fields.get("id") for h in results.hits]
            allowed = set(visible_entries(v, RegistryEntry.objects.filter(pk__in=ids)).values_list("pk", flat=True))
            context["results"] = results
            context["hits"] = [
                {"hit": h, "snippet_html": mark_safe(h.snippet.html()), "f": h.fields}
                for h in results.hits
                if h.fields.get("id") in allowed
            ]
            context["facets"] = _facets(results.facets)
            page = req.offset // PAGE_SIZE + 1
            context["prev_page"] = page - 1 if page > 1 else None
            context["next_page"] = page + 1 if req.offset + PAGE_SIZE < results.total else None
        except (QueryError, SearchError) as exc:
            context["error"] = exc.message
    return render(request, "search/search.html", context)


def _facets(facets: dict[str, list[tuple[str, int]]]) -> list[dict]:
    out = []
    for name, values in facets.items():
        param, label = FACET_PARAMS.get(name, (None, str))
        items = [{"value": value, "label": label(value), "count": count, "param": param} for value, count in values]
        if items:
            out.append({"name": name, "items": items})
    return out
