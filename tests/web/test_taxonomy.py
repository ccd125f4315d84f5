"""The administrator edits the taxonomy in the browser: checked, versioned, audited, in force on
every page at once; a broken text or removing what letters use is refused."""

from __future__ import annotations

import pytest

from archive import taxonomy_store
from archive.models import AuditEvent, TaxonomyVersion
from config import taxonomy

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_copy():
    taxonomy_store.forget()
    yield
    taxonomy_store.forget()  # the saved versions are rolled back with the test


def test_an_admin_adds_a_service_and_it_is_in_force(login, letters) -> None:
    c = login("admin")
    text = c.get("/taxonomy/").context["text"]
    assert "[services]" in text and text == taxonomy.DEFAULT_PATH.read_text(encoding="utf-8")
    new = text.replace(
        "[services]\n", '[services]\npatrimoine = { ar = "مصلحة الممتلكات", fr = "Service du patrimoine" }\n', 1
    )
    res = c.post("/taxonomy/", {"text": new})
    assert res.status_code == 302
    assert TaxonomyVersion.objects.count() == 1 and AuditEvent.objects.filter(action="taxonomy_changed").exists()
    assert "مصلحة الممتلكات" in login("clerk").get(f"/mail/{letters.public}/").content.decode()  # a routing choice


def test_a_broken_taxonomy_or_one_dropping_used_services_is_refused(login, letters) -> None:
    c = login("admin")
    text = c.get("/taxonomy/").context["text"]
    html = c.post("/taxonomy/", {"text": text + "\n[types.x\n"}, follow=True).content.decode()
    assert "TOML" in html
    dropped = "\n".join(line for line in text.splitlines() if not line.startswith("urbanisme ="))
    html = c.post("/taxonomy/", {"text": dropped}, follow=True).content.decode()
    assert "urbanisme" in html and not TaxonomyVersion.objects.exists()


def test_a_service_letters_are_routed_to_cannot_be_removed(login, letters) -> None:
    c = login("admin")
    text = c.get("/taxonomy/").context["text"]
    extra = 'patrimoine = { ar = "مصلحة الممتلكات", fr = "Service du patrimoine" }\n'
    c.post("/taxonomy/", {"text": text.replace("[services]\n", "[services]\n" + extra, 1)})
    c.post(f"/mail/{letters.public}/route", {"services": ["patrimoine"]})
    html = c.post("/taxonomy/", {"text": text}, follow=True).content.decode()
    assert "patrimoine" in html and TaxonomyVersion.objects.count() == 1
