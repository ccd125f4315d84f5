"""A transfer to Archives du Maroc: a BagIt bag that validates (library and bagit.py), fails once
one byte of it changes, leaves held letters out, and records the archives' receipt."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest

from archive import holds, transfer
from archive.models import AuditEvent, RegistryEntry
from archive.objectstore import open_store
from config.errors import ConfigError
from tests.web.conftest import tiny_pdf

pytestmark = pytest.mark.django_db(transaction=True)
BAGIT = Path(sys.executable).parent / "bagit.py"


def _validate_cli(bag: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(BAGIT), "--validate", str(bag)], capture_output=True, text=True)


def test_a_bag_validates_and_fails_after_one_byte_changes(web, letters, tmp_path: Path) -> None:
    holds.place([letters.unrouted], "Recours pendant", "archivist")
    bag = transfer.make_bag(RegistryEntry.objects.all(), open_store(web), tmp_path, "archivist", "Commune de test")
    assert sorted(bag.letters) == sorted([letters.public, letters.secret])  # confidential goes in like any other
    assert bag.held == [letters.unrouted]
    transfer.validate(bag.path)
    assert _validate_cli(bag.path).returncode == 0
    manifests = sorted(p.name for p in bag.path.glob("manifest-*.txt"))
    assert manifests == ["manifest-sha256.txt", "manifest-sha512.txt"]
    original = bag.path / "data" / "letters" / letters.public / "original.pdf"
    assert original.read_bytes() == tiny_pdf("Objet : demande de permis de construire")
    meta = ET.parse(bag.path / "data" / "letters" / letters.public / "metadata.xml").getroot()
    assert meta.find("{http://purl.org/dc/elements/1.1/}identifier").text == letters.public
    assert meta.find("{http://purl.org/dc/elements/1.1/}creator").text == "Ali Benali"
    assert next(e.get("action") for e in meta.find("history")) == "registered"
    assert letters.secret in (bag.path / "data" / "register.csv").read_text(encoding="utf-8")

    data = bytearray(original.read_bytes())
    data[len(data) // 2] ^= 0x01
    original.write_bytes(bytes(data))
    with pytest.raises(ConfigError, match="does not validate"):
        transfer.validate(bag.path)
    assert _validate_cli(bag.path).returncode != 0


def test_the_archives_receipt_is_recorded_on_each_letter(web, letters, tmp_path: Path) -> None:
    qs = RegistryEntry.objects.filter(number__in=[letters.public, letters.secret])
    bag = transfer.make_bag(qs, open_store(web), tmp_path, "archivist", "Commune de test")
    assert sorted(transfer.confirm(bag.path, "archivist")) == sorted(bag.letters)
    events = AuditEvent.objects.filter(action="transfer_confirmed").values_list("target", "details")
    assert {t for t, _ in events} == set(bag.letters)
    assert all(d["transfer"] == bag.transfer_id for _, d in events)


def test_nothing_to_transfer_is_a_clear_error(web, letters, tmp_path: Path) -> None:
    holds.place([letters.public], "Enquête", "archivist")
    with pytest.raises(ConfigError, match="on hold"):
        transfer.make_bag(RegistryEntry.objects.filter(number=letters.public), open_store(web), tmp_path, "a", "o")


def test_the_transfers_page_counts_letters_sent_and_received(web, staff, login, letters, tmp_path: Path) -> None:
    qs = RegistryEntry.objects.filter(number__in=[letters.public, letters.secret])
    bag = transfer.make_bag(qs, open_store(web), tmp_path, "archivist", "Commune de test")
    transfer.confirm(bag.path, "archivist")
    page = login("archivist").get("/transfers/").content.decode()
    assert bag.transfer_id in page and page.count('<td class="num">2</td>') == 2
