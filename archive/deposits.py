"""The citizen's digital deposit in the register: numbered at once, read later.

The deposit gets its arrival number in the request that files it (the receipt carries it), as
a line without its document yet. Every file is stored untouched, write-once, at that moment; a
worker then reads the first (the letter) and attaches it (``attach_document``), filling the
fields the depositor did not give. The tracking code is a secret printed on the receipt only.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import asdict, dataclass

from django.db import transaction
from django.utils import timezone

from archive import audit, catalogue
from archive.models import Deposit, Document, RegistryEntry
from archive.models.registry import Direction, Status
from archive.objectstore import ObjectStore, object_key
from archive.objectstore.base import write_once
from config.errors import NotFoundError

CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I/L: read off paper
CODE_LENGTH = 10  # about 49 bits, and tries are rate-limited


@dataclass(frozen=True)
class DepositFile:
    name: str
    data: bytes
    mime: str


@dataclass(frozen=True)
class Depositor:
    name: str
    id_number: str
    contact: str
    service: str
    subject: str


def _hash(code: str) -> str:
    return hashlib.sha256(code.strip().upper().encode()).hexdigest()


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def register(who: Depositor, files: list[DepositFile], store: ObjectStore, actor: str = "depot") -> tuple[Deposit, str]:
    """Store the files, give the deposit its number; returns it with its tracking code."""
    stored = []
    for f in files:
        sha = hashlib.sha256(f.data).hexdigest()
        key = object_key("originals", sha)
        if write_once(store, key, f.data)[1] is None:  # already there with these bytes: nothing to do
            store.put(key, f.data, f.mime, {"filename": f.name})
        stored.append({"name": f.name, "sha256": sha, "size": len(f.data), "mime": f.mime, "key": key})
    code = new_code()
    now = timezone.now()
    with transaction.atomic():
        year, seq, number = catalogue._allocate(Direction.INCOMING, now)
        entry = RegistryEntry.objects.create(
            number=number, direction=Direction.INCOMING, year=year, sequence=seq, received_at=now, created_by=actor,
            sender=who.name, subject=who.subject, addressee_service=who.service,
            understanding={"channel": "deposit"},
        )  # fmt: skip
        deposit = Deposit.objects.create(entry=entry, name=who.name, id_number=who.id_number, contact=who.contact,
                                         service=who.service, subject=who.subject, files=stored,
                                         code_hash=_hash(code))  # fmt: skip
        audit.record(actor, "registered", number, via="deposit", files=[(s["name"], s["sha256"]) for s in stored])
    return deposit, code


def attach_document(number: str, rec: catalogue.DocumentRecord, actor: str,
                    proposal: catalogue.Proposal | None = None) -> RegistryEntry:  # fmt: skip
    """The deposit's letter, read: it becomes the line's document. What the depositor wrote
    stays; what he left empty is filled from the reading. Repeating it changes nothing."""
    with transaction.atomic():
        entry = catalogue.get_entry(number, for_update=True)
        if entry.document_id is not None:
            return entry
        doc = Document.objects.filter(sha256=rec.sha256).first() or catalogue._create_document(rec)
        entry.document = doc
        fields = ["document", "updated_at"]
        for name, value in asdict(proposal or catalogue.Proposal()).items():
            if name in ("confidential", "legacy", "legacy_number") or value in ("", None, {}):
                continue
            if getattr(entry, name) in ("", None, {}) or name == "understanding":
                merged = {**value, **(entry.understanding or {})} if name == "understanding" else value
                setattr(entry, name, merged)
                fields.append(name)
        entry.save(update_fields=fields)
        audit.record(actor, "document_attached", entry.number, sha256=rec.sha256, file=rec.original_name)
    return entry


def track(number: str, code: str) -> RegistryEntry:
    """The deposit's line, for whoever holds its receipt; any mismatch is the same 'not found'."""
    deposit = Deposit.objects.select_related("entry").filter(entry__number=number.strip()[:40]).first()
    if deposit is None or not hmac.compare_digest(deposit.code_hash, _hash(code)):
        raise NotFoundError("No deposit with this number and code.")
    return deposit.entry


def public_status(entry: RegistryEntry) -> str:
    """What the depositor is told: registered, routed, in progress or answered; never more."""
    if entry.status in (Status.ANSWERED, Status.CLOSED):
        return "answered"
    if entry.status == Status.IN_PROGRESS:
        return "in_progress"
    if entry.status == Status.ASSIGNED or entry.routings.exists():
        return "routed"
    return "registered"


def signed_answer(entry: RegistryEntry) -> RegistryEntry | None:
    """The signed reply to the deposit, if there is one."""
    return (
        RegistryEntry.objects.select_related("document")
        .filter(in_reply_to=entry, direction=Direction.OUTGOING, awaiting_signature=False, voided_at__isnull=True)
        .exclude(signed_key="")
        .order_by("-id")
        .first()
    )  # fmt: skip
