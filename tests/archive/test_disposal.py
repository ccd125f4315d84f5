"""Disposal: two people approve, the content goes from the store, the catalogue and the index, the
register line and a sealed certificate remain, a letter put on hold meanwhile survives, and fsck
knows the difference between destroyed and lost."""

from __future__ import annotations

import io

import pytest

from archive import catalogue, disposal, fsck, holds
from archive.models import RegistryEntry
from archive.objectstore import open_store
from config.errors import ConfigError
from config.retention import parse
from search.query import SearchRequest
from search.service import search_as_is, update_after_changes
from tests.web.conftest import register

pytestmark = pytest.mark.django_db(transaction=True)

CAL = parse(b"""
[default]
active_years = 2
intermediate_years = 8
fate = "sort"
[types.facture]
active_years = 0
intermediate_years = 0
fate = "destroy"
[types.urbanisme]
active_years = 0
intermediate_years = 0
fate = "transfer"
""", "test")  # fmt: skip


def _hits(settings, word: str) -> int:
    update_after_changes(settings)
    return search_as_is(settings, SearchRequest(text=word)).total


def test_a_two_person_disposal_with_a_hold_that_survives(web, staff) -> None:
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    from signing.certificate import certify
    from signing.seal import seal_key

    gone = register(web, "Facture Zanzibar fournitures", "Facture", "Société Z", mail_type="facture")
    kept = register(web, "Facture Tombouctou travaux", "Facture", "Société T", mail_type="facture")
    still_open = register(web, "Facture Samarcande", "Facture", "Société S", mail_type="facture")
    other_fate = register(web, "Permis Marrakech", "Permis", "Ali", mail_type="urbanisme")
    for n in (gone, kept, other_fate):
        catalogue.update_entry(n, "agent", status="closed")
    assert _hits(web, "Zanzibar") == 1

    lst = disposal.propose(CAL, "sijill")
    assert sorted(i.entry.number for i in lst.items.all()) == sorted([gone, kept])  # due, and fated to destroy
    assert disposal.propose(CAL, "sijill") is None  # already on an open list
    holds.place([kept], "Litige fournisseur", "archivist")
    with pytest.raises(ConfigError, match="reviewed and approved"):
        disposal.execute(lst.pk, open_store(web), "admin")
    disposal.review(lst.pk, "archivist")
    with pytest.raises(ConfigError, match="two people"):
        disposal.approve(lst.pk, "archivist")
    disposal.approve(lst.pk, "admin")

    store = open_store(web)
    done, items = disposal.execute(lst.pk, store, "admin")
    assert {i.entry.number: i.outcome for i in items} == {gone: "destroyed", kept: "held"}
    entry = RegistryEntry.objects.select_related("document").get(number=gone)
    assert store.stat(entry.document.original_key) is None and entry.document.text == ""
    assert entry.document.destroyed_at is not None  # the register line remains
    assert _hits(web, "Zanzibar") == 0 and _hits(web, "Tombouctou") == 1
    assert store.stat(RegistryEntry.objects.get(number=kept).document.original_key) is not None
    assert RegistryEntry.objects.filter(number=still_open).exists()

    key = certify(done, items, web, store)
    data = store.get(key)
    status = validate_pdf_signature(PdfFileReader(io.BytesIO(data)).embedded_signatures[0],
                                    ValidationContext(trust_roots=[seal_key(web).signer.signing_cert]))  # fmt: skip
    assert status.intact and status.valid and status.trusted
    report = fsck.check(store)
    assert report.ok, report.problems  # destroyed on purpose is not "missing"
    again, _ = disposal.execute(lst.pk, store, "admin")  # a re-run after a crash changes nothing
    assert again.state == "executed"


def test_the_disposal_command_walks_the_two_steps(home) -> None:
    from tests.conftest import run_sijill

    assert run_sijill(home, "user", "add", "amina", "--role", "archivist",
                      env={"SIJILL_USER_PASSWORD": "archive-pass-1"}).returncode == 0  # fmt: skip
    res = run_sijill(home, "disposal", "propose")
    assert res.returncode == 0 and "Nothing is due" in res.stdout
    bad = run_sijill(home, "disposal", "approve", "1", "--by", "amina")
    assert bad.returncode == 2 and "needs an admin" in bad.stderr


def test_in_the_browser_the_archivist_reviews_and_an_admin_approves_and_executes(web, staff, login) -> None:
    gone = register(web, "Facture Ouarzazate", "Facture", "Société O", mail_type="facture")
    catalogue.update_entry(gone, "agent", status="closed")
    lst = disposal.propose(CAL, "sijill")
    page = login("archivist").get(f"/disposal/{lst.pk}/").content.decode()
    assert gone in page and 'data-state="proposed"' in page
    assert login("archivist").post(f"/disposal/{lst.pk}/approve").status_code == 403  # not his to approve
    login("archivist").post(f"/disposal/{lst.pk}/review")
    login("admin").post(f"/disposal/{lst.pk}/approve")
    login("admin").post(f"/disposal/{lst.pk}/execute")
    lst.refresh_from_db()
    assert lst.state == "executed" and lst.reviewed_by == "archivist" and lst.approved_by == "admin"
    res = login("archivist").get(f"/disposal/{lst.pk}/certificate.pdf")
    assert res.status_code == 200 and res.content.startswith(b"%PDF")
    assert RegistryEntry.objects.get(number=gone).document.destroyed_at is not None


def test_a_letter_transferred_and_received_by_the_archives_is_proposed_for_disposal(web, tmp_path) -> None:
    from archive import transfer

    sent = register(web, "Permis Essaouira", "Permis", "Ali", mail_type="urbanisme")  # fate: transfer
    catalogue.update_entry(sent, "agent", status="closed")
    assert disposal.due(CAL) == []  # due for transfer, not for destruction
    bag = transfer.make_bag(RegistryEntry.objects.filter(number=sent), open_store(web), tmp_path, "archivist", "o")
    assert disposal.due(CAL) == []  # sent, but not yet received
    transfer.confirm(bag.path, "archivist")
    assert [e.number for e, _ in disposal.due(CAL)] == [sent]
