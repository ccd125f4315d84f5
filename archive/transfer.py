"""Transfers to Archives du Maroc (versement / دفع): a BagIt bag of the chosen letters.

In the bag's ``data/``: each letter's original (its exact bytes), its searchable copy, and a
``metadata.xml`` (Dublin Core, with the letter's history and its signature reports), plus the
register extract as ``register.csv``. Checksums are SHA-256 and SHA-512 (the ``bagit``
library). Letters on legal hold are left out, whatever was asked. Preparing a bag and its
confirmation by the archives are audited per letter, so the register keeps the transfer's
reference.
"""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass, field
from pathlib import Path
from xml.etree import ElementTree as ET

from django.db.models import QuerySet
from django.utils import timezone

from archive import audit
from archive.export import register_rows
from archive.models import RegistryEntry
from archive.objectstore import ObjectStore
from archive.originals import read_original
from config.errors import ConfigError

DC = "http://purl.org/dc/elements/1.1/"
DCTERMS = "http://purl.org/dc/terms/"
MAX_LETTERS = 50_000  # one bag; a larger transfer is made year by year


@dataclass
class Bag:
    path: Path
    transfer_id: str
    letters: list[str] = field(default_factory=list)
    held: list[str] = field(default_factory=list)  # asked for, left out: on legal hold


def metadata_xml(e: RegistryEntry) -> bytes:
    ET.register_namespace("dc", DC)
    ET.register_namespace("dcterms", DCTERMS)
    root = ET.Element("letter", {"registry_number": e.number})

    def add(ns: str, tag: str, text: str | None) -> None:
        if text:
            ET.SubElement(root, f"{{{ns}}}{tag}").text = text

    d = e.document
    add(DC, "identifier", e.number)
    add(DC, "date", timezone.localtime(e.received_at).isoformat(timespec="seconds"))
    add(DCTERMS, "created", e.letter_date.isoformat() if e.letter_date else None)
    add(DC, "creator", e.sender)
    add(DC, "title", e.subject)
    add(DC, "type", e.mail_type)
    add(DC, "subject", e.addressee_service)
    add(DC, "language", " ".join(d.languages) if d else None)
    add(DC, "format", d.mime_type if d else None)
    add(DC, "source", d.original_name if d else None)
    add(DCTERMS, "accessRights", "confidential" if e.confidential else "public")
    if d is not None:
        ET.SubElement(root, "sha256").text = d.sha256
    history = ET.SubElement(root, "history")
    for h in audit.history(e.number):
        ET.SubElement(history, "event", {"at": h.at.isoformat(), "actor": h.actor, "action": h.action})
    signatures = ET.SubElement(root, "signatures")
    for s in (d.signatures if d else []) or []:
        ET.SubElement(signatures, "signature", {k: str(v) for k, v in s.items() if not isinstance(v, (list, dict))})
    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


def _extension(e: RegistryEntry) -> str:
    return (e.document.kind or "bin") if e.document else "bin"


def make_bag(entries: QuerySet[RegistryEntry], store: ObjectStore, to: Path, actor: str, office: str) -> Bag:
    import bagit

    chosen = list(entries.select_related("document").order_by("direction", "year", "sequence")[: MAX_LETTERS + 1])
    if len(chosen) > MAX_LETTERS:
        raise ConfigError(f"More than {MAX_LETTERS:,} letters: transfer them year by year.")
    held = {e.pk for e in chosen if e.holds.filter(released_at__isnull=True).exists()}
    letters = [e for e in chosen if e.pk not in held and e.document is not None]
    if not letters:
        raise ConfigError("No letter to transfer: none matched, or all are on hold or have no document.")
    transfer_id = f"{timezone.localdate():%Y%m%d}-{secrets.token_hex(3)}"
    path = to / f"sijill-transfer-{transfer_id}"
    path.mkdir(parents=True)
    data = path / "letters"
    for e in letters:
        folder = data / e.number
        folder.mkdir(parents=True)
        (folder / f"original.{_extension(e)}").write_bytes(read_original(store, e.document))
        if e.document.searchable_key:
            (folder / "searchable.pdf").write_bytes(store.get(e.document.searchable_key))
        (folder / "metadata.xml").write_bytes(metadata_xml(e))
    ids = [e.pk for e in letters]
    with (path / "register.csv").open("w", encoding="utf-8", newline="") as f:
        f.writelines(register_rows(RegistryEntry.objects.filter(pk__in=ids).order_by("direction", "year", "sequence")))
    bagit.make_bag(str(path), {"Source-Organization": office, "External-Identifier": transfer_id,
                               "External-Description": f"Versement de {len(letters)} lettres (Sijill)",
                               "Bagging-Date": dt.date.today().isoformat()},
                   checksums=["sha256", "sha512"])  # fmt: skip
    for e in letters:
        audit.record(actor, "transfer_prepared", e.number, transfer=transfer_id)
    return Bag(path, transfer_id, [e.number for e in letters], [e.number for e in chosen if e.pk in held])


def validate(path: Path) -> None:
    """Raises ConfigError with what is wrong in the bag (a changed or missing file)."""
    import bagit

    try:
        bagit.Bag(str(path)).validate()
    except (bagit.BagValidationError, bagit.BagError) as exc:
        raise ConfigError(f"The bag {path.name} does not validate: {exc}") from None


def confirm(path: Path, actor: str) -> list[str]:
    """The archives confirmed receipt of the bag: recorded on each of its letters."""
    import bagit

    validate(path)
    bag = bagit.Bag(str(path))
    transfer_id = bag.info.get("External-Identifier", path.name)
    numbers = sorted({Path(p).parts[2] for p in bag.payload_files() if Path(p).parts[1] == "letters"})
    for number in numbers:
        audit.record(actor, "transfer_confirmed", number, transfer=transfer_id)
    return numbers
