"""/depot/ (file a letter, no login), its receipt, and /depot/suivi/ (track it with the receipt's
code). Public pages: each checks its own limits; none shows a letter's content."""

from __future__ import annotations

import hashlib
import re
import uuid

from django import forms
from django.conf import settings
from django.core.cache import cache
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from archive import deposits
from archive.deposits import DepositFile, Depositor
from archive.models import Deposit
from archive.objectstore import object_key, open_store
from config.deposit.receipt import receipt_pdf
from config.errors import InputFileError, NotFoundError
from config.web.labels import current_taxonomy
from ingest.intake import detect_kind
from ingest.web.intake import queue_for

MAX_FILES = 10
TRACK_TRIES_PER_HOUR = 30
PHONE = re.compile(r"^\+?[0-9][0-9 .-]{7,18}$")
ID_NUMBER = re.compile(r"^(?:[A-Za-z]{1,2}[0-9]{3,8}|[0-9]{1,10})$")  # CIN (AB123456) or RC number
STATUS_TEXT = {
    "registered": ("مسجل", "Enregistré"),
    "routed": ("محال على المصلحة المختصة", "Transmis au service concerné"),
    "in_progress": ("قيد المعالجة", "En cours de traitement"),
    "answered": ("تم الرد", "Répondu"),
}


class DepositForm(forms.Form):
    name = forms.CharField(max_length=200, strip=True)
    id_number = forms.CharField(max_length=12, strip=True)
    contact = forms.CharField(max_length=254, strip=True)
    service = forms.ChoiceField(choices=())
    subject = forms.CharField(max_length=500, strip=True)
    consent = forms.BooleanField(required=True)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        taxonomy = current_taxonomy()
        self.fields["service"].choices = [(s.id, f"{s.ar} / {s.fr}") for s in taxonomy.services.values()]

    def clean_id_number(self) -> str:
        value = self.cleaned_data["id_number"].replace(" ", "").upper()
        if not ID_NUMBER.match(value):
            raise forms.ValidationError("رقم البطاقة الوطنية أو السجل التجاري غير صحيح / N° de CIN ou de RC invalide.")
        return value

    def clean_contact(self) -> str:
        value = self.cleaned_data["contact"]
        try:
            forms.EmailField().clean(value)
        except forms.ValidationError:
            if not PHONE.match(value):
                raise forms.ValidationError(
                    "أدخل بريدا إلكترونيا أو رقم هاتف / Donnez une adresse e-mail ou un numéro de téléphone."
                ) from None
        return value


def _client_ip(request: HttpRequest) -> str:
    return request.META.get("REMOTE_ADDR", "")[:64]


def _over_limit(kind: str, who: str, per_hour: int) -> bool:
    """Counts this attempt; True once ``who`` went past ``per_hour`` in the current hour."""
    key = "depot:" + hashlib.sha256(f"{kind}:{who}".encode()).hexdigest()  # any address, any cache
    cache.add(key, 0, 3600)
    try:
        return cache.incr(key) > per_hour
    except ValueError:  # expired between add and incr
        cache.set(key, 1, 3600)
        return False


def _files(request: HttpRequest, errors: list[str]) -> list[DepositFile]:
    uploads = request.FILES.getlist("files")
    limit = settings.SIJILL.web.deposit_max_mb * 2**20
    if not uploads:
        errors.append("أرفق رسالتك / Joignez votre lettre (PDF ou image).")
    if len(uploads) > MAX_FILES:
        errors.append(f"{MAX_FILES} ملفات على الأكثر / {MAX_FILES} fichiers au plus.")
        return []
    out = []
    for f in uploads:
        name = re.sub(r"[^\w.\- ]", "_", f.name or "piece")[-120:]
        if f.size > limit:
            errors.append(f"{name}: > {limit // 2**20} Mo.")
            continue
        data = f.read()
        try:
            kind = detect_kind(data)
        except InputFileError:
            errors.append(f"{name}: ليس PDF أو صورة / n'est ni un PDF ni une image.")
            continue
        out.append(DepositFile(name, data, kind.mime))
    return out


@require_http_methods(["GET", "POST"])
def deposit_page(request: HttpRequest) -> HttpResponse:
    if request.method == "GET":
        return render(request, "deposit/form.html", {"form": DepositForm()})
    form = DepositForm(request.POST)
    errors: list[str] = []
    files = _files(request, errors)
    if not form.is_valid() or errors:
        return render(request, "deposit/form.html", {"form": form, "errors": errors}, status=400)
    web = settings.SIJILL.web
    if _over_limit("ip", _client_ip(request), web.deposit_per_hour) or _over_limit(
        "contact", form.cleaned_data["contact"].lower(), web.deposit_per_hour
    ):
        return render(request, "deposit/limit.html", status=429)
    d = form.cleaned_data
    who = Depositor(d["name"], d["id_number"], d["contact"], d["service"], d["subject"])
    store = open_store(settings.SIJILL)
    deposit, code = deposits.register(who, files, store)
    letter = files[0]
    queue_for(settings.SIJILL).submit_bytes(letter.name, letter.data, "depot", str(uuid.uuid4()),
                                            {"attach_to": deposit.entry.number, "via": "deposit"})  # fmt: skip
    pdf = receipt_pdf(deposit, code, settings.SIJILL, web.office_name)
    key = object_key("receipts", deposit.entry.number.replace("/", "-"), ".pdf")
    store.put(key, pdf, "application/pdf", {"deposit": deposit.entry.number})
    Deposit.objects.filter(pk=deposit.pk).update(receipt_key=key)
    request.session["deposits"] = [*request.session.get("deposits", [])[-9:], deposit.entry.number]
    context = {"number": deposit.entry.number, "code": code, "when": deposit.entry.received_at, "files": deposit.files}
    return render(request, "deposit/done.html", context)


def receipt(request: HttpRequest, number: str) -> HttpResponse:
    """The receipt, for the browser that filed the deposit (the tracking page gives it again)."""
    if number not in request.session.get("deposits", []):
        raise Http404
    return _receipt_response(number)


def _receipt_response(number: str) -> HttpResponse:
    deposit = Deposit.objects.select_related("entry").filter(entry__number=number).first()
    if deposit is None or not deposit.receipt_key:
        raise Http404
    data = open_store(settings.SIJILL).get(deposit.receipt_key)
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="recu-{number}.pdf"'
    return response


@require_http_methods(["GET", "POST"])
def track(request: HttpRequest) -> HttpResponse:
    context: dict = {"number": request.GET.get("n", "")[:40]}
    if request.method == "POST":
        number, code = request.POST.get("number", "").strip()[:40], request.POST.get("code", "")[:40]
        context["number"] = number
        if _over_limit("track", _client_ip(request), TRACK_TRIES_PER_HOUR):
            return render(request, "deposit/limit.html", status=429)
        try:
            entry = deposits.track(number, code)
        except NotFoundError:
            context["error"] = True
            return render(request, "deposit/track.html", context, status=404)
        status = deposits.public_status(entry)
        what = request.POST.get("get")
        if what == "receipt":
            return _receipt_response(entry.number)
        answer = deposits.signed_answer(entry)
        if what == "answer" and answer is not None:
            data = open_store(settings.SIJILL).get(answer.signed_key)
            response = HttpResponse(data, content_type="application/pdf")
            response["Content-Disposition"] = f'attachment; filename="reponse-{entry.number}.pdf"'
            return response
        context.update({"entry": entry, "code": code, "status": STATUS_TEXT[status], "status_id": status,
                        "answer": answer is not None})  # fmt: skip
    return render(request, "deposit/track.html", context)
