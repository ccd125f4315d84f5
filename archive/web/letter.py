"""A letter's page at /mail/<number>/: its pages, text, fields, routing, history; downloads.

Every view and download is written to the access log (never to the change feed: reading a
letter must not make the search index read it again)."""

from __future__ import annotations

import io

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from archive import audit
from archive.access import record_access
from archive.models import RegistryEntry
from archive.objectstore import open_store
from archive.originals import read_original
from archive.permissions import visible_entries
from archive.retention import calendar, retention_of
from archive.views_data import understanding_fields
from config.web import labels
from config.web.auth import letter_or_404, requires, viewer

MAX_PAGE_WIDTH = 1400


@requires("search")
def letter_page(request: HttpRequest, number: str) -> HttpResponse:
    entry = letter_or_404(request, number)
    v = viewer(request)
    record_access(v.username, "viewed", entry.number, via="web")
    doc = entry.document
    replies = visible_entries(v, RegistryEntry.objects.filter(in_reply_to=entry)).order_by("id")
    answers = None
    if entry.in_reply_to_id:
        answers = visible_entries(v, RegistryEntry.objects.filter(pk=entry.in_reply_to_id)).first()
    return render(request, "archive/letter.html", {
        "e": entry, "doc": doc, "fields": understanding_fields(entry),
        "routings": list(entry.routings.all()), "readers": list(entry.readers.values_list("username", flat=True)),
        "pages": list(doc.pages.all()) if doc else [], "history": audit.history(entry.number),
        "replies": list(replies), "answers": answers, "deposit": getattr(entry, "deposit", None),
        "retention": retention_of(entry, calendar(settings.SIJILL)), "holds": list(entry.holds.filter(
            released_at__isnull=True)),
        "services": labels.service_choices(), "statuses": labels.status_choices(), "types": labels.type_choices(),
        "may": {a: v.may(a) for a in ("route", "assign", "tag", "set_status", "void", "confidential", "reply",
                                      "review", "hold")},
    })  # fmt: skip


def _download(data: bytes, content_type: str, filename: str, inline: bool) -> HttpResponse:
    response = HttpResponse(data, content_type=content_type)
    disposition = "inline" if inline else "attachment"
    safe = "".join(c for c in filename if c.isascii() and (c.isalnum() or c in "-_.")) or "letter"
    response["Content-Disposition"] = f'{disposition}; filename="{safe}"'
    response["Content-Security-Policy"] = "sandbox"  # a hostile PDF or image runs nothing in our origin
    return response


@requires("search")
def original(request: HttpRequest, number: str) -> HttpResponse:
    entry = letter_or_404(request, number)
    doc = entry.document
    if doc is None:
        raise Http404("No original")
    data = read_original(open_store(settings.SIJILL), doc)  # checked against its SHA-256
    record_access(viewer(request).username, "downloaded_original", entry.number, via="web", sha256=doc.sha256)
    return _download(data, doc.mime_type or "application/octet-stream", f"{entry.number}.{doc.kind}", False)


@requires("search")
def searchable(request: HttpRequest, number: str) -> HttpResponse:
    entry = letter_or_404(request, number)
    doc = entry.document
    if doc is None or not (doc.searchable_key or doc.kind == "pdf"):
        raise Http404("No searchable copy")
    data = _reading_copy(doc)
    record_access(viewer(request).username, "downloaded_searchable", entry.number, via="web")
    return _download(data, "application/pdf", f"{entry.number}-searchable.pdf", True)


@requires("search")
def deposit_file(request: HttpRequest, number: str, k: int) -> HttpResponse:
    """One of the files a citizen deposited with the letter (k from 1), untouched."""
    entry = letter_or_404(request, number)
    deposit = getattr(entry, "deposit", None)
    if deposit is None or not 1 <= k <= len(deposit.files):
        raise Http404("No such file")
    f = deposit.files[k - 1]
    data = open_store(settings.SIJILL).get(f["key"], sha256=f["sha256"])
    record_access(viewer(request).username, "downloaded_deposit_file", entry.number, via="web", sha256=f["sha256"])
    return _download(data, f["mime"], f["name"], False)


@requires("search")
def page_image(request: HttpRequest, number: str, page: int) -> HttpResponse:
    """One page as PNG, rendered from the searchable copy (or the original)."""
    entry = letter_or_404(request, number)
    doc = entry.document
    if doc is None or not 1 <= page <= doc.page_count:
        raise Http404("No such page")
    data = _reading_copy(doc)
    png = _render_page(data, page, pdf=bool(doc.searchable_key) or doc.kind == "pdf")
    record_access(viewer(request).username, "viewed_page", entry.number, via="web", page=page)
    response = HttpResponse(png, content_type="image/png")
    response["Cache-Control"] = "private, max-age=600"
    return response


def _reading_copy(doc) -> bytes:
    """The searchable copy; a born-digital PDF is its own (the original, checked)."""
    store = open_store(settings.SIJILL)
    return store.get(doc.searchable_key) if doc.searchable_key else read_original(store, doc)


def _render_page(data: bytes, page: int, pdf: bool) -> bytes:
    from PIL import Image

    if pdf:
        import pypdfium2 as pdfium

        document = pdfium.PdfDocument(data)
        try:
            p = document[page - 1]
            width = p.get_width() or 595
            image = p.render(scale=min(2.0, MAX_PAGE_WIDTH / width)).to_pil()
        finally:
            document.close()
    else:
        image = Image.open(io.BytesIO(data))
        image.seek(page - 1)
        image = image.convert("RGB")
        image.thumbnail((MAX_PAGE_WIDTH, MAX_PAGE_WIDTH * 2))
    out = io.BytesIO()
    image.convert("RGB").save(out, "PNG", optimize=False)
    return out.getvalue()


@requires("search")
def stamp(request: HttpRequest, number: str) -> HttpResponse:
    """The arrival stamp: a printable label with the number, date and a QR code."""
    import qrcode
    import qrcode.image.svg

    entry = letter_or_404(request, number)
    url = f"{settings.SIJILL.web.base_url}/mail/{entry.number}/"
    svg = qrcode.make(url, image_factory=qrcode.image.svg.SvgPathImage, box_size=10, border=1).to_string()
    return render(request, "archive/stamp.html", {"e": entry, "qr_svg": svg.decode(), "url": url})
