"""The citizen's digital deposit: numbered at once with a sealed receipt, limited per address,
tracked with the receipt's code only, and the letter read and attached later by a worker."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from archive import routing
from archive.models import Deposit, RegistryEntry
from config import taxonomy
from ingest.models import QueuedTask
from tests.fixtures import letters
from tests.web.conftest import tiny_pdf

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _fresh_limits():
    """The per-address deposit counters live in the cache, shared by the whole test session."""
    from django.core.cache import cache

    cache.clear()


FORM = {"name": "Ahmed Alami", "id_number": "BK123456", "contact": "ahmed@example.ma", "service": "urbanisme",
        "subject": "Demande de permis de construire", "consent": "1"}  # fmt: skip


def _file(data: bytes, name: str = "lettre.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


def _deposit(client, **changes):
    data = {**FORM, **changes}
    files = data.pop("files", None) or [_file(tiny_pdf("Objet : permis")), _file(tiny_pdf("plan"), "plan.pdf")]
    return client.post("/depot/", {**data, "files": files})


def test_the_form_shows_the_personal_data_notice_in_both_languages(client, web) -> None:
    html = client.get("/depot/").content.decode()
    assert "09-08" in html and "حماية المعطيات الشخصية" in html and "Protection des données personnelles" in html


def test_a_deposit_is_numbered_at_once_with_a_sealed_receipt(client, web) -> None:
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature

    res = _deposit(client)
    assert res.status_code == 200, res.content.decode()[:2000]
    deposit = Deposit.objects.select_related("entry").get()
    number = deposit.entry.number
    html = res.content.decode()
    assert number in html and deposit.entry.document is None  # numbered before it is read
    assert deposit.entry.sender == "Ahmed Alami" and deposit.entry.addressee_service == "urbanisme"
    assert [f["name"] for f in deposit.files] == ["lettre.pdf", "plan.pdf"]
    task = QueuedTask.objects.get()
    assert task.options["attach_to"] == number and task.filename == "lettre.pdf"
    receipt = client.get(f"/depot/recu/{number}/")
    assert receipt.status_code == 200 and receipt["Content-Type"] == "application/pdf"
    from pyhanko_certvalidator import ValidationContext

    from signing.seal import seal_key

    seal = seal_key(web).signer.signing_cert  # the self-signed seal made on first use
    pdf = PdfFileReader(io.BytesIO(receipt.content))
    status = validate_pdf_signature(pdf.embedded_signatures[0], ValidationContext(trust_roots=[seal]))
    assert status.intact and status.valid and status.trusted  # sealed by the office, untouched since
    text = _pdf_text(receipt.content)
    assert number in text and deposit.files[1]["sha256"] in text
    assert client.get("/depot/recu/A-2026-999999/").status_code == 404
    other = client.__class__()
    assert other.get(f"/depot/recu/{number}/").status_code == 404  # another browser: via the tracking page


def _pdf_text(data: bytes) -> str:
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(data)
    try:
        return "".join(doc[i].get_textpage().get_text_range() for i in range(len(doc)))
    finally:
        doc.close()


def test_bad_input_is_refused_clearly_and_registers_nothing(client, web) -> None:
    res = _deposit(client, id_number="12-AB")
    assert res.status_code == 400 and "CIN" in res.content.decode()
    res = _deposit(client, files=[_file(b"MZ\x90\x00 not a letter", "virus.exe")])
    assert res.status_code == 400 and "ni un PDF ni une image" in res.content.decode()
    res = _deposit(client, consent="")
    assert res.status_code == 400
    assert not RegistryEntry.objects.exists() and not Deposit.objects.exists()


def test_deposits_are_limited_per_address_and_per_contact(client, web, settings) -> None:
    import dataclasses

    from django.core.cache import cache

    cache.clear()
    settings.SIJILL = dataclasses.replace(web, web=dataclasses.replace(web.web, deposit_per_hour=2))
    assert _deposit(client).status_code == 200
    assert _deposit(client, contact="+212 661 00 00 00").status_code == 200
    res = _deposit(client, contact="autre@example.ma")
    assert res.status_code == 429 and "Trop de tentatives" in res.content.decode()
    assert Deposit.objects.count() == 2


def test_tracking_shows_the_status_only_with_the_receipts_code(client, web) -> None:
    res = _deposit(client)
    number = Deposit.objects.get().entry.number
    code = res.content.decode().split('id="tracking-code">')[1].split("<")[0]
    wrong = client.post("/depot/suivi/", {"number": number, "code": "AAAAAAAAAA"})
    assert wrong.status_code == 404 and "Aucun dépôt" in wrong.content.decode()
    ok = client.post("/depot/suivi/", {"number": number, "code": code.lower()}).content.decode()
    assert 'data-status="registered"' in ok and "permis" not in ok.split("deposit-status")[1][:200]
    routing.route(number, ["urbanisme"], "clerk", taxonomy.load())
    assert 'data-status="routed"' in client.post("/depot/suivi/", {"number": number, "code": code}).content.decode()
    again = client.post("/depot/suivi/", {"number": number, "code": code, "get": "receipt"})
    assert again.status_code == 200 and again.content.startswith(b"%PDF")


def test_the_worker_attaches_the_read_letter_and_keeps_the_depositors_fields(client, web, tmp_path) -> None:
    from archive.objectstore import open_store
    from ingest.pagepool import PagePool
    from ingest.pipeline import Pipeline

    pdf = letters.born_digital_pdf(letters.FRENCH_LETTERS[0])
    _deposit(client, files=[_file(pdf)])
    entry = Deposit.objects.get().entry
    path = tmp_path / "lettre.pdf"
    path.write_bytes(pdf)
    from ingest.understand import reader_or_none

    pool, reader = PagePool(1), reader_or_none(web)
    try:
        outcome = Pipeline(web, open_store(web), pool, "depot", reader).run(path, attach_to=entry.number)
        again = Pipeline(web, open_store(web), pool, "depot", reader).run(path, attach_to=entry.number)
    finally:
        pool.shutdown()
    assert outcome.status == "registered" and outcome.registry_number == entry.number
    assert again.registry_number == entry.number and RegistryEntry.objects.count() == 1
    entry.refresh_from_db()
    assert entry.document is not None and "Atlas" in entry.document.text
    assert entry.sender == "Ahmed Alami" and entry.letter_reference  # kept, and filled from the reading


def test_the_signed_answer_is_downloaded_from_the_tracking_page(client, web) -> None:
    import hashlib

    from archive.models import Document
    from archive.objectstore import open_store

    res = _deposit(client)
    deposit = Deposit.objects.select_related("entry").get()
    code = res.content.decode().split('id="tracking-code">')[1].split("<")[0]
    assert 'id="answer-download"' not in client.post("/depot/suivi/", {"number": deposit.entry.number,
                                                                       "code": code}).content.decode()  # fmt: skip
    signed = tiny_pdf("Réponse signée")
    store = open_store(web)
    store.put("signed/answer.pdf", signed, "application/pdf")
    doc = Document.objects.create(sha256=hashlib.sha256(signed).hexdigest(), kind="pdf", mime_type="application/pdf",
                                  size=len(signed), original_name="reponse.pdf", original_key="signed/answer.pdf",
                                  page_count=1)  # fmt: skip
    RegistryEntry.objects.create(number="D-2026-000001", direction="D", year=2026, sequence=1, document=doc,
                                 received_at=deposit.entry.received_at, created_by="signatory",
                                 in_reply_to=deposit.entry, signed_key="signed/answer.pdf")  # fmt: skip
    page = client.post("/depot/suivi/", {"number": deposit.entry.number, "code": code}).content.decode()
    assert 'id="answer-download"' in page
    got = client.post("/depot/suivi/", {"number": deposit.entry.number, "code": code, "get": "answer"})
    assert got.status_code == 200 and got.content == signed
    refused = client.post("/depot/suivi/", {"number": deposit.entry.number, "code": "WRONGCODE9", "get": "answer"})
    assert refused.status_code == 404
