"""/api/mail/: hand letters in, list and search them, read one, correct and route it, and fetch
its files. Field names are those of `sijill show --json` (``archive.views_data``)."""

from __future__ import annotations

import dataclasses
import uuid
from typing import Any, ClassVar
from urllib.parse import urlencode

from django.conf import settings
from django.db.models import Prefetch
from django.http import Http404, HttpResponse
from drf_spectacular.utils import extend_schema
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from archive import routing
from archive.access import record_access
from archive.models import RegistryEntry, Routing
from archive.objectstore import open_store
from archive.originals import read_original
from archive.permissions import get_visible, search_access, visible_entries
from archive.views_data import entry_detail, entry_summary
from config.api import schema
from config.api.auth import require, viewer
from config.api.errors import BadRequest
from config.errors import NotFoundError
from config.web import changes
from config.web.labels import current_taxonomy
from ingest.classify import corrections
from ingest.intake import detect_kind
from ingest.web.intake import MAX_FILE_BYTES, queue_for
from search.forms import request_from_params
from search.query import MAX_LIMIT, MAX_WINDOW
from search.service import search_as_is

DEFAULT_LIMIT = 20
FIELDS = {"type": "mail_type", "service": "service", "sender": "sender", "letter_date": "letter_date",
          "reference": "reference", "subject": "subject"}  # fmt: skip
PATCHABLE = {*FIELDS, "services", "confidential", "status"}


def _letter(request: Request, number: str) -> RegistryEntry:
    try:
        return get_visible(viewer(request), number[:40])
    except NotFoundError:
        raise Http404 from None


def _bounded(params, name: str, default: int, low: int, high: int) -> int:
    raw = (params.get(name) or "").strip()[:8]
    if not raw:
        return default
    if not raw.isdigit() or not low <= int(raw) <= high:
        raise BadRequest("bad_request", f"{name} must be a whole number from {low} to {high}.")
    return int(raw)


def _flag(value: Any, name: str) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in {"1", "true", "yes", "on"}:
        return True
    if text in {"0", "false", "no", "off", ""}:
        return False
    raise BadRequest("bad_request", f"{name} must be true or false.")


def _services(values: list[str]) -> list[str]:
    taxonomy = current_taxonomy()
    wanted = [s.strip() for v in values[:50] for s in str(v).split(",") if s.strip()]
    unknown = [s for s in wanted if s not in taxonomy.services]
    if unknown:
        raise BadRequest("unknown_service", f"Unknown service(s) {', '.join(unknown)[:200]}; "
                         f"one of: {', '.join(sorted(taxonomy.services))}.")  # fmt: skip
    return wanted


class MailList(APIView):
    sijill_actions: ClassVar[dict[str, str | None]] = {"GET": "search", "POST": "intake"}

    def get_throttles(self):
        self.throttle_scope = "upload" if self.request.method == "POST" else "api"
        return super().get_throttles()

    @extend_schema(operation_id="mail_list", parameters=schema.LIST_PARAMETERS,
                   responses={200: schema.MailPage, **schema.errors(400, 401, 403, 429)})  # fmt: skip
    def get(self, request: Request) -> Response:
        params = request.query_params
        limit = _bounded(params, "limit", DEFAULT_LIMIT, 1, MAX_LIMIT)
        offset = _bounded(params, "offset", 0, 0, MAX_WINDOW - limit)
        v = viewer(request)
        req = request_from_params(params, params.getlist("tag")[:20])
        req = dataclasses.replace(req, limit=limit, offset=offset, facets=False, access=search_access(v))
        results = search_as_is(settings.SIJILL, req)
        ids = [h.fields.get("id") for h in results.hits]
        # Belt and braces: a letter made confidential a moment ago may not be re-indexed yet.
        qs = visible_entries(v, RegistryEntry.objects.filter(pk__in=ids))
        # The letters' texts and signature reports are not part of a list: never load them.
        qs = qs.select_related("document").defer("document__text", "document__signatures")
        qs = qs.prefetch_related(Prefetch("routings", queryset=Routing.objects.only("entry_id", "service")))
        entries = {e.pk: e for e in qs}
        rows = [
            {**entry_summary(entries[h.fields["id"]]), "snippet": h.snippet.plain()}
            for h in results.hits
            if h.fields.get("id") in entries
        ]
        after = offset + limit
        nxt = None
        if after < min(results.total, MAX_WINDOW):
            query = [(k, x) for k in params for x in params.getlist(k) if k != "offset"] + [("offset", str(after))]
            nxt = request.build_absolute_uri(request.path) + "?" + urlencode(query)
        return Response({"count": results.total, "next": nxt, "results": rows})

    @extend_schema(operation_id="mail_upload", request={"multipart/form-data": schema.Upload},
                   responses={202: schema.Queued, **schema.errors(400, 401, 403, 413, 429)})  # fmt: skip
    def post(self, request: Request) -> Response:
        upload = request.FILES.get("file")
        if upload is None:
            raise BadRequest("no_file", "Send the letter's file as the multipart field 'file'.")
        if upload.size > MAX_FILE_BYTES:
            raise BadRequest("too_large", f"The file is larger than {MAX_FILE_BYTES // 2**20} MB.", 413)
        data = upload.read()
        detect_kind(data)  # refused now, with its reason, rather than quarantined later
        form = request.data
        direction = (form.get("direction") or "A").strip().upper()
        if direction not in {"A", "D"}:
            raise BadRequest("bad_request", "direction must be A (arrivée / وارد) or D (départ / صادر).")
        options = {
            "confidential": _flag(form.get("confidential", False), "confidential"),
            "services": _services(form.getlist("services") if hasattr(form, "getlist") else []),
            "sender": (form.get("sender") or "").strip()[:512],
            "subject": (form.get("subject") or "").strip()[:2000],
            "direction": direction,
            "via": "api",
        }
        name = (upload.name or "letter")[-200:]
        task = queue_for(settings.SIJILL).submit_bytes(name, data, viewer(request).username, str(uuid.uuid4()), options)
        return Response({"task": task.pk}, status=202)


class MailDetail(APIView):
    # PATCH: each part of the change needs its own action too (checked in ``patch``).
    sijill_actions: ClassVar[dict[str, str | None]] = {"GET": "search", "PATCH": "search"}

    @extend_schema(operation_id="mail_read", responses={200: schema.MailDetail, **schema.errors(401, 404)})
    def get(self, request: Request, number: str) -> Response:
        entry = _letter(request, number)
        record_access(viewer(request).username, "viewed", entry.number, via="api")
        return Response(entry_detail(entry))

    @extend_schema(operation_id="mail_change", request=schema.MailPatch,
                   responses={200: schema.MailDetail, **schema.errors(400, 401, 403, 404)})  # fmt: skip
    def patch(self, request: Request, number: str) -> Response:
        entry = _letter(request, number)
        body = request.data
        if not hasattr(body, "keys"):
            raise BadRequest("bad_request", "Send a JSON object of the fields to change.")
        unknown = sorted(set(body.keys()) - PATCHABLE)
        if unknown:
            raise BadRequest("bad_request", f"Unknown field(s) {', '.join(unknown)[:200]}; "
                             f"one of: {', '.join(sorted(PATCHABLE))}.")  # fmt: skip
        fields = {FIELDS[k]: _text(body[k], k) for k in FIELDS if k in body}
        for key, action in (("services", "route"), ("confidential", "confidential"), ("status", "set_status")):
            if key in body:
                require(request, action)
        if fields:
            require(request, "tag")
        who = viewer(request).username
        if fields:  # a correction: the entry becomes a confirmed training example
            corrections.tag(entry.number, who, current_taxonomy(), **fields)
        if "services" in body:
            services = body["services"] if isinstance(body["services"], list) else [body["services"]]
            routing.route(entry.number, _services(services), who, current_taxonomy())
        if "confidential" in body:
            routing.set_confidential(entry.number, _flag(body["confidential"], "confidential"), who)
        if "status" in body:
            routing.set_status(entry.number, _text(body["status"], "status"), who)
        changes.index_changes()
        # As it is now, even if the caller just made it confidential beyond his own reach.
        return Response(entry_detail(RegistryEntry.objects.select_related("document").get(pk=entry.pk)))


def _text(value: Any, name: str) -> str:
    if value is None:
        return ""
    if not isinstance(value, str | int | float):
        raise BadRequest("bad_request", f"{name} must be text.")
    return str(value)[:2000]


class MailFile(APIView):
    """The original's exact bytes, or the searchable PDF; every download is in the access log."""

    sijill_actions: ClassVar[dict[str, str | None]] = {"GET": "search"}
    which = "original"

    @extend_schema(responses={200: schema.BINARY, **schema.errors(401, 404)})
    def get(self, request: Request, number: str) -> HttpResponse:
        entry = _letter(request, number)
        doc = entry.document
        if doc is None:
            raise Http404
        store = open_store(settings.SIJILL)
        if self.which == "original":
            data, mime, name = read_original(store, doc), doc.mime_type, f"{entry.number}.{doc.kind}"
        elif doc.searchable_key or doc.kind == "pdf":
            data = store.get(doc.searchable_key) if doc.searchable_key else read_original(store, doc)
            mime, name = "application/pdf", f"{entry.number}-searchable.pdf"
        else:
            raise Http404
        record_access(viewer(request).username, f"downloaded_{self.which}", entry.number, via="api",
                      sha256=doc.sha256)  # fmt: skip
        response = HttpResponse(data, content_type=mime or "application/octet-stream")
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        response["Content-Security-Policy"] = "sandbox"
        return response
