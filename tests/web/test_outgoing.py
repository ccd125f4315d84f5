"""The outgoing path in the browser: a service uploads its reply, its head gives a visa, the
signatory signs with the office's key (the password typed at signing), and the signed letter is
archived with its departure number, checked by pyHanko's validation."""

from __future__ import annotations

import dataclasses

import pytest
from django.conf import settings

from archive.models import AccessEvent, AuditEvent, RegistryEntry
from archive.objectstore import open_store
from archive.signatures import verify_pdf
from signing import pki
from signing.models import OutgoingDraft
from tests.fixtures import letters as sample

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def dev(tmp_path_factory) -> pki.DevPki:
    return pki.create(tmp_path_factory.mktemp("pki"), "office-pass")


@pytest.fixture
def office(web, dev):
    s = web.signing
    settings.SIJILL = dataclasses.replace(
        web, signing=dataclasses.replace(s, office_p12=dev.signer_p12, trust_roots=(dev.ca_pem,),
                                         function_fr="Président du conseil"),
    )  # fmt: skip
    return settings.SIJILL


def _upload(c, number: str, data: bytes, service: str = "urbanisme"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return c.post(f"/mail/{number}/reply", {"file": SimpleUploadedFile("reponse.pdf", data, "application/pdf"),
                                            "service": service, "subject": "Réponse : permis"})  # fmt: skip


def test_reply_visa_and_signature_from_the_browser(login, letters, office, dev) -> None:
    reply = sample.born_digital_pdf(sample.FRENCH_LETTERS[0])
    res = _upload(login("agent"), letters.public, reply)
    draft = OutgoingDraft.objects.exclude(pk__in=[letters.public_draft, letters.secret_draft]).get()
    assert res.status_code == 302 and res["Location"] == f"/outgoing/{draft.pk}/"
    assert login("other").get(f"/outgoing/{draft.pk}/").status_code == 404  # another service's draft

    head = login("head")
    head.post(f"/outgoing/{draft.pk}/visa")
    draft.refresh_from_db()
    assert [v["by"] for v in draft.visas] == ["head"]

    signatory = login("signatory")
    html = signatory.get("/outgoing/").content.decode()
    assert "reponse.pdf" in html
    res = signatory.post(f"/outgoing/{draft.pk}/sign", {"secret": "wrong"})
    assert res.status_code == 302 and not RegistryEntry.objects.filter(direction="D").exists()  # no number spent
    res = signatory.post(f"/outgoing/{draft.pk}/sign", {"secret": "office-pass"})
    departure = RegistryEntry.objects.get(direction="D")
    assert res["Location"] == f"/mail/{departure.number}/"
    assert departure.in_reply_to.number == letters.public and departure.signed_key
    assert RegistryEntry.objects.get(number=letters.public).status == "answered"
    draft.refresh_from_db()
    assert draft.state == "signed" and draft.departure == departure.number

    signed = open_store(office).get(departure.signed_key)
    report = verify_pdf(signed, [dev.ca_pem])
    assert report.ok, report.as_json()
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"reply_drafted", "visa", "reserved", "signed", "answered"} <= actions
    assert "office-pass" not in str(list(AuditEvent.objects.values_list("details", flat=True)))
    assert "office-pass" not in str(list(AccessEvent.objects.values_list("details", flat=True)))


def test_a_reply_must_be_a_pdf_and_only_signatories_sign(login, letters, office) -> None:
    c = login("agent")
    before = OutgoingDraft.objects.count()
    _upload(c, letters.public, b"\x89PNG\r\n\x1a\n" + b"0" * 100)
    assert OutgoingDraft.objects.count() == before
    draft = OutgoingDraft.objects.get(pk=letters.public_draft)
    assert c.post(f"/outgoing/{draft.pk}/sign", {"secret": "office-pass"}).status_code == 403
    assert login("head").post(f"/outgoing/{draft.pk}/sign", {"secret": "office-pass"}).status_code == 403
    assert not RegistryEntry.objects.filter(direction="D").exists()
