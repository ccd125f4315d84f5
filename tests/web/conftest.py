"""Staff of every role, and letters registered without OCR (the pages are under test, not the reading)."""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass
from pathlib import Path

import pikepdf
import pytest
from django.contrib.auth.models import User

from archive import catalogue, routing
from archive.objectstore import object_key, open_store
from archive.people import add_user
from config import sijill, taxonomy
from search.service import update_after_changes

PASSWORD = "correct-horse-42"
# name: (role, services)
STAFF = {
    "clerk": ("clerk", []),
    "agent": ("agent", ["urbanisme"]),
    "head": ("head", ["urbanisme"]),
    "other": ("agent", ["etat_civil"]),  # an agent of another service
    "signatory": ("signatory", []),
    "archivist": ("archivist", []),
    "admin": ("admin", []),
}


@dataclass
class Letters:
    public: str  # routed to urbanisme
    secret: str  # confidential, routed to urbanisme
    unrouted: str
    public_draft: int  # a reply being prepared by urbanisme
    secret_draft: int  # a reply to the confidential letter


def tiny_pdf(text: str) -> bytes:
    pdf = pikepdf.new()
    pdf.add_blank_page(page_size=(595, 842))
    pdf.docinfo["/Title"] = text[:60]
    buf = io.BytesIO()
    pdf.save(buf, deterministic_id=True)
    return buf.getvalue()


def register(settings, text: str, subject: str = "", sender: str = "", mail_type: str = "urbanisme",
             confidential: bool = False) -> str:  # fmt: skip
    data = tiny_pdf(text)
    sha = hashlib.sha256(data).hexdigest()
    key = object_key("originals", sha)
    stored = open_store(settings).put(key, data, "application/pdf", {"filename": "lettre.pdf"})
    rec = catalogue.DocumentRecord(sha, "pdf", "application/pdf", len(data), "lettre.pdf", key, "",
                                   [catalogue.PageRecord(1, "text_layer", text, ["fr"])],
                                   original_version=stored.version_id or "")  # fmt: skip
    proposal = catalogue.Proposal(sender=sender, subject=subject, mail_type=mail_type,
                                  addressee_service="urbanisme", confidential=confidential)  # fmt: skip
    entry, _ = catalogue.register_incoming(rec, "clerk", proposal=proposal)
    return entry.number


@pytest.fixture
def web(settings, tmp_path: Path):
    settings.SIJILL = sijill.load({"SIJILL_HOME": str(tmp_path / "home"), "SIJILL_WORKERS": "1"})
    return settings.SIJILL


@pytest.fixture
def staff(web) -> dict[str, str]:
    t = taxonomy.load()
    for name, (role, services) in STAFF.items():
        add_user(name, role, services, PASSWORD, t)
    return {name: name for name in STAFF}


@pytest.fixture
def letters(web, staff) -> Letters:
    t = taxonomy.load()
    public = register(web, "Objet : demande de permis de construire", "Permis de construire", "Ali Benali")
    secret = register(web, "Objet : enquête disciplinaire", "Enquête", "Inspection", confidential=True)
    unrouted = register(web, "Objet : facture", "Facture", "Société X", mail_type="autre")
    routing.route(public, ["urbanisme"], "clerk", t)
    routing.route(secret, ["urbanisme"], "clerk", t)
    update_after_changes(web)
    from archive.models import RegistryEntry
    from signing.drafts import create_draft

    store = open_store(web)
    drafts = [create_draft(store, tiny_pdf(f"réponse {n}"), "reponse.pdf", "urbanisme", "agent",
                           RegistryEntry.objects.get(number=n)).pk for n in (public, secret)]  # fmt: skip
    return Letters(public, secret, unrouted, *drafts)


@pytest.fixture
def login(client):
    def as_user(name: str):
        client.logout()
        if name != "anonymous":  # the log-in form itself (and its rate limit) is tested on its own
            client.force_login(User.objects.get(username=name))
        return client

    return as_user
