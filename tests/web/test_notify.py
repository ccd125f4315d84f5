"""E-mail notifications, received by a real SMTP server (aiosmtpd) on 127.0.0.1."""

from __future__ import annotations

import datetime as dt
import email

import pytest
from aiosmtpd.controller import Controller
from django.contrib.auth.models import User

from archive import notify, routing
from archive.models import RegistryEntry
from config import taxonomy
from tests.fixtures import s3server
from tests.web.conftest import register

pytestmark = pytest.mark.django_db


class Inbox:
    def __init__(self) -> None:
        self.messages: list[email.message.Message] = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(email.message_from_bytes(envelope.content))
        return "250 OK"


@pytest.fixture
def smtp(settings):
    inbox = Inbox()
    port = s3server.free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    yield inbox
    controller.stop()


def _body(m: email.message.Message) -> str:
    return m.get_payload(decode=True).decode()


def test_routing_mails_the_staff_of_the_service(web, staff, smtp, django_capture_on_commit_callbacks) -> None:
    User.objects.filter(username__in=["agent", "head", "other"]).update(email="x@commune.ma")
    User.objects.filter(username="agent").update(email="agent@commune.ma")
    public = register(web, "Objet : permis", "Permis de construire", "Ali Benali")
    secret = register(web, "Objet : enquête", "Enquête disciplinaire", "Inspection", confidential=True)
    with django_capture_on_commit_callbacks(execute=True):
        routing.route(public, ["urbanisme"], "clerk", taxonomy.load())
        routing.route(secret, ["urbanisme"], "clerk", taxonomy.load())
    to = sorted(m["To"] for m in smtp.messages)
    assert to == ["agent@commune.ma", "agent@commune.ma", "x@commune.ma", "x@commune.ma"]  # not "other"
    bodies = [_body(m) for m in smtp.messages]
    assert any(public in b and "Permis de construire" in b and f"/mail/{public}/" in b for b in bodies)
    secret_mails = [b for b in bodies if secret in b]
    assert secret_mails and all("Enquête" not in b and "Inspection" not in b for b in secret_mails)


def test_the_overdue_digest_goes_once_a_day(web, staff, smtp) -> None:
    User.objects.filter(username="agent").update(email="agent@commune.ma")
    late = register(web, "Objet : réclamation", "Réclamation", "Citoyen")
    routing.route(late, ["urbanisme"], "clerk", taxonomy.load())
    RegistryEntry.objects.filter(number=late).update(due_date=dt.date(2026, 1, 5))
    assert notify.overdue_digest(dt.date(2026, 2, 1)) == 1
    assert notify.overdue_digest(dt.date(2026, 2, 1)) == 0  # a second worker's scheduler: nothing again
    (m,) = smtp.messages
    assert m["To"] == "agent@commune.ma" and late in _body(m) and "2026-01-05" in _body(m)


def test_a_mail_server_that_is_down_never_blocks_routing(web, staff, settings, django_capture_on_commit_callbacks):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", s3server.free_port()  # nobody listens
    User.objects.filter(username="agent").update(email="agent@commune.ma")
    number = register(web, "Objet : permis", "Permis", "Ali")
    with django_capture_on_commit_callbacks(execute=True):
        routing.route(number, ["urbanisme"], "clerk", taxonomy.load())
    assert RegistryEntry.objects.get(number=number).routings.count() == 1


def test_a_forgotten_password_is_reset_through_the_mailed_link(client, staff, smtp) -> None:
    import re

    User.objects.filter(username="agent").update(email="agent@commune.ma")
    res = client.post("/password/reset/", {"email": "agent@commune.ma"})
    assert res.status_code == 302
    (m,) = smtp.messages
    link = re.search(r"http://testserver(/password/reset/\S+/)", _body(m)).group(1)
    form = client.get(link, follow=True)
    assert form.status_code == 200
    res = client.post(
        form.redirect_chain[-1][0], {"new_password1": "Nouveau-mot-2026", "new_password2": "Nouveau-mot-2026"}
    )
    assert res.status_code == 302
    assert User.objects.get(username="agent").check_password("Nouveau-mot-2026")
