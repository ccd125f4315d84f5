"""What clerks and staff do from a letter's page and the intake: routing to several services,
tags, statuses, voiding, confidentiality, uploads handed to the queue; hostile text escaped."""

from __future__ import annotations

import datetime as dt

import pytest

from archive.models import AuditEvent, RegistryEntry
from config.taxonomy import add_working_days
from ingest.models import QueuedTask
from tests.web.conftest import register, tiny_pdf

pytestmark = pytest.mark.django_db


def test_routing_to_several_services_with_the_deadline_and_an_audited_reassignment(login, letters) -> None:
    c = login("clerk")
    res = c.post(f"/mail/{letters.unrouted}/route", {"services": ["finances", "juridique"]})
    assert res.status_code == 302
    e = RegistryEntry.objects.get(number=letters.unrouted)
    assert sorted(e.routings.values_list("service", flat=True)) == ["finances", "juridique"]
    assert e.status == "assigned"
    c.post(f"/mail/{letters.unrouted}/reassign", {"from": "juridique", "to": "cabinet"})
    assert sorted(e.routings.values_list("service", flat=True)) == ["cabinet", "finances"]
    event = AuditEvent.objects.filter(target=letters.unrouted, action="reassigned").get()
    assert event.actor == "clerk" and event.details["old"] == "juridique" and event.details["new"] == "cabinet"
    assert "بورصة" not in c.get("/inbox/?service=cabinet").content.decode()
    assert letters.unrouted in c.get("/inbox/?service=cabinet").content.decode()


def test_working_days_skip_weekends_and_moroccan_holidays() -> None:
    # 2026-07-29 (Wed) + 2 working days: Throne Day (Thu 30 July) does not count.
    assert add_working_days(dt.date(2026, 7, 29), 2) == dt.date(2026, 8, 3)
    assert add_working_days(dt.date(2026, 11, 16), 3) == dt.date(2026, 11, 20)  # 18 Nov: Independence Day


def test_tags_are_set_suggested_and_searchable(login, letters) -> None:
    c = login("clerk")
    c.post(f"/mail/{letters.public}/tags", {"add": "عاجل, مجلس 2026"})
    assert RegistryEntry.objects.get(number=letters.public).tags == ["عاجل", "مجلس 2026"]
    assert c.get("/tags/suggest", {"q": "مج"}).json()["tags"] == ["مجلس 2026"]
    html = c.get("/search/", {"tag": "عاجل"}).content.decode()
    assert letters.public in html and 'data-total="1"' in html
    html = c.get("/search/", {"q": "permis"}).content.decode()  # a facet, that filters by the tag
    assert "<strong>الوسوم</strong>" in html and "tag=%D8%B9%D8%A7%D8%AC%D9%84" in html
    assert "مجلس 2026" in c.get("/register/").content.decode()  # shown on the lists
    c.post(f"/mail/{letters.public}/tags", {"remove": "عاجل"})
    assert RegistryEntry.objects.get(number=letters.public).tags == ["مجلس 2026"]


def test_an_agent_cannot_route_or_void_but_can_move_his_letter_on(login, letters) -> None:
    c = login("agent")
    assert c.post(f"/mail/{letters.public}/route", {"services": ["cabinet"]}).status_code == 403
    assert c.post(f"/mail/{letters.public}/void", {"reason": "x"}).status_code == 403
    c.post(f"/mail/{letters.public}/status", {"status": "in_progress"})
    assert RegistryEntry.objects.get(number=letters.public).status == "in_progress"


def test_voiding_keeps_the_number_in_the_register(login, letters) -> None:
    c = login("clerk")
    assert c.post(f"/mail/{letters.unrouted}/void", {"reason": ""}).status_code == 302
    assert RegistryEntry.objects.get(number=letters.unrouted).voided_at is None  # a reason is required
    c.post(f"/mail/{letters.unrouted}/void", {"reason": "Enregistré deux fois"})
    html = c.get("/register/").content.decode()
    assert letters.unrouted in html and "Enregistré deux fois" in html and 'class="void"' in html


def test_marking_confidential_hides_it_at_once_from_search(login, letters) -> None:
    clerk = login("clerk")
    assert letters.unrouted in clerk.get("/search/", {"q": "facture"}).content.decode()
    admin = login("admin")
    admin.post(f"/mail/{letters.unrouted}/confidential", {"confidential": "1", "readers": "archivist"})
    clerk = login("clerk")
    assert 'data-total="0"' in clerk.get("/search/", {"q": "facture"}).content.decode()
    assert clerk.get(f"/mail/{letters.unrouted}/").status_code == 404
    archivist = login("archivist")  # named on it
    assert archivist.get(f"/mail/{letters.unrouted}/").status_code == 200


def test_an_upload_is_queued_and_returns_at_once(login, staff) -> None:
    c = login("clerk")
    files = [("files", (f"lettre-{i}.pdf", tiny_pdf(f"lettre {i}"), "application/pdf")) for i in range(3)]
    from django.core.files.uploadedfile import SimpleUploadedFile

    payload = {"files": [SimpleUploadedFile(n, d, ct) for _, (n, d, ct) in files], "services": ["urbanisme"],
               "confidential": "1"}  # fmt: skip
    res = c.post("/intake/upload", payload, HTTP_HX_REQUEST="true")
    assert res.status_code == 200
    tasks = list(QueuedTask.objects.order_by("id"))
    assert [t.filename for t in tasks] == ["lettre-0.pdf", "lettre-1.pdf", "lettre-2.pdf"]
    assert all(t.status == "queued" and t.options["confidential"] and t.options["services"] == ["urbanisme"]
               for t in tasks)  # fmt: skip
    html = res.content.decode()
    assert html.count('data-status="queued"') == 3 and 'hx-trigger="every 2s"' in html


HOSTILE = '<script>alert("x")</script><img src=x onerror=alert(1)>'


def test_hostile_text_in_letters_senders_subjects_and_tags_is_escaped(login, web, staff) -> None:
    number = register(web, f"Objet : {HOSTILE} facture piégée", subject=HOSTILE, sender=HOSTILE)
    from archive import routing
    from search.service import update_after_changes

    routing.add_tags([number], [HOSTILE[:40]], "clerk")
    update_after_changes(web)
    c = login("admin")
    for url in (f"/mail/{number}/", "/register/", "/search/?q=piégée", "/review/", f"/review/{number}/",
                "/inbox/?service=&status="):  # fmt: skip
        html = c.get(url).content.decode()
        assert "<script>alert" not in html and "<img src=x" not in html, url
        assert "&lt;script&gt;" in html or url.startswith("/inbox"), url


def test_the_register_prints_as_a_pdf_with_hidden_lines_masked(login, letters) -> None:
    import io

    import pypdfium2 as pdfium

    res = login("clerk").get("/register/print.pdf")
    assert res.status_code == 200 and res["Content-Type"] == "application/pdf"
    pdf = pdfium.PdfDocument(io.BytesIO(res.content))
    text = "\n".join(pdf[i].get_textpage().get_text_range() for i in range(len(pdf)))
    assert letters.public in text and letters.secret in text and "Ali Benali" in text
    assert "Inspection" not in text and "confidentiel" in text
