"""Registering documents in the catalogue and the register."""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, field

from django.db import IntegrityError, transaction
from django.utils import timezone

from archive import audit, registry
from archive.models import Document, Page, QuarantinedFile, RegistryEntry
from archive.models.registry import Direction, Status
from config import failpoints
from config.errors import NotFoundError


@dataclass
class PageRecord:
    number: int
    source: str  # "text_layer" | "ocr"
    text: str
    languages: list[str]
    confidence: float | None = None
    rotation: int = 0
    skew: float = 0.0
    low_confidence_words: list[str] = field(default_factory=list)


@dataclass
class DocumentRecord:
    """Everything the pipeline learnt about a file, ready to be catalogued."""

    sha256: str
    kind: str
    mime_type: str
    size: int
    original_name: str
    original_key: str
    searchable_key: str
    pages: list[PageRecord]
    signatures: list[dict] = field(default_factory=list)
    original_version: str = ""

    @property
    def text(self) -> str:
        return "\n\n".join(p.text for p in self.pages if p.text)

    @property
    def languages(self) -> list[str]:
        seen: list[str] = []
        for p in self.pages:
            seen += [lang for lang in p.languages if lang not in seen]
        return sorted(seen)

    @property
    def ocr_confidence(self) -> float | None:
        confs = [p.confidence for p in self.pages if p.source == "ocr" and p.confidence is not None]
        return round(sum(confs) / len(confs), 1) if confs else None


@dataclass
class Proposal:
    """Register fields read off the letter by ingest, and the full reading for the record."""

    sender: str = ""
    letter_reference: str = ""
    letter_date: dt.date | None = None
    subject: str = ""
    mail_type: str = ""
    addressee_service: str = ""
    due_date: dt.date | None = None
    understanding: dict = field(default_factory=dict)
    legacy_number: str = ""
    legacy: dict = field(default_factory=dict)
    confidential: bool = False  # marked by the clerk at intake: hidden from the first instant


def _create_document(rec: DocumentRecord) -> Document:
    """The document and its pages; the caller's transaction makes them appear with the entry."""
    doc = Document.objects.create(
        sha256=rec.sha256,
        kind=rec.kind,
        mime_type=rec.mime_type,
        size=rec.size,
        original_name=rec.original_name,
        original_key=rec.original_key,
        original_version=rec.original_version,
        searchable_key=rec.searchable_key,
        page_count=len(rec.pages),
        languages=rec.languages,
        ocr_confidence=rec.ocr_confidence,
        text=rec.text,
        signatures=rec.signatures,
    )
    Page.objects.bulk_create(Page(document=doc, **asdict(p)) for p in rec.pages)
    return doc


def _allocate(direction: str, when: dt.datetime) -> tuple[int, int, str]:
    """The next number of the (direction, local year) series; call inside the registering
    transaction, so a failure gives the number back (gapless)."""
    year = timezone.localtime(when).year
    seq = registry.next_sequence(direction, year)
    return year, seq, registry.format_number(direction, year, seq)


def find_by_sha(sha256: str) -> RegistryEntry | None:
    """The register line holding these bytes (a voided line only if there is no other)."""
    qs = RegistryEntry.objects.select_related("document").filter(document__sha256=sha256)
    return qs.filter(voided_at__isnull=True).order_by("id").first() or qs.order_by("id").first()


def register_incoming(
    rec: DocumentRecord,
    actor: str,
    received_at: dt.datetime | None = None,
    proposal: Proposal | None = None,
    direction: str = Direction.INCOMING,
    intake: str = "",
) -> tuple[RegistryEntry, bool]:
    """Catalogue a document and give it an arrival number. Returns (entry, created).

    Registering the same bytes again returns the existing entry: the check and the insert
    happen under the registry's write lock, so concurrent ingests cannot both create one.
    ``intake`` names what handed the file in (a queued task): see ``registered_through``.
    """
    received_at = received_at or timezone.now()
    try:
        return _register(rec, actor, received_at, proposal or Proposal(), direction, intake)
    except IntegrityError:
        # PostgreSQL: another worker registered the same bytes between our check and insert.
        existing = find_by_sha(rec.sha256)
        if existing is None:
            raise
        return existing, False


def _register(
    rec: DocumentRecord, actor: str, received_at: dt.datetime, proposal: Proposal, direction: str, intake: str
) -> tuple[RegistryEntry, bool]:
    with transaction.atomic():
        existing = find_by_sha(rec.sha256)
        if existing is not None:
            return existing, False
        doc = _create_document(rec)
        year, seq, number = _allocate(direction, received_at)
        entry = RegistryEntry.objects.create(
            number=number,
            direction=direction,
            year=year,
            sequence=seq,
            document=doc,
            received_at=received_at,
            created_by=actor,
            **asdict(proposal),
        )
        QuarantinedFile.objects.filter(sha256=rec.sha256).update(released=True)
        audit.record(
            actor,
            "registered",
            entry.number,
            sha256=rec.sha256,
            file=rec.original_name,
            pages=len(rec.pages),
            **({"intake": intake} if intake else {}),
        )
        failpoints.hit("before_commit")
    return entry, True


def registered_through(entry: RegistryEntry, intake: str) -> bool:
    """Was this line registered by ``intake``? A task run again after its worker died past the
    commit (or outlived its lease) finds its own registration: registered, not a duplicate."""
    return bool(intake) and any(
        e.action == "registered" and e.details.get("intake") == intake for e in audit.history(entry.number)
    )


def restored_original(doc: Document, version_id: str, actor: str) -> None:
    """An original found missing was stored again from the same bytes (same SHA-256)."""
    with transaction.atomic():
        Document.objects.filter(pk=doc.pk).update(original_version=version_id)
        audit.record(actor, "original_restored", doc.sha256, key=doc.original_key, version=version_id)


def reserve_outgoing(rec: DocumentRecord, actor: str, reply_to: str | None = None, subject: str = "") -> RegistryEntry:
    """Give an outgoing letter its departure number, before it is signed.

    A short transaction: the numbering lock is never held while the letter is stamped, signed
    or time-stamped. ``confirm_outgoing`` completes it; ``void_entry`` marks it void if signing
    fails. Signing the same letter again after a crash resumes the same reservation.
    """
    answered = get_entry(reply_to) if reply_to else None
    if answered is not None and answered.direction != Direction.INCOMING:
        raise NotFoundError(f"{answered.number} is not an incoming letter: --reply-to takes an arrival number.")
    now = timezone.now()
    with transaction.atomic():
        pending = (
            RegistryEntry.objects.select_for_update()
            .filter(document__sha256=rec.sha256, direction=Direction.OUTGOING, awaiting_signature=True,
                    voided_at__isnull=True)
            .first()
        )  # fmt: skip
        if pending is not None:
            return pending
        doc = Document.objects.filter(sha256=rec.sha256).first() or _create_document(rec)
        year, seq, number = _allocate(Direction.OUTGOING, now)
        entry = RegistryEntry.objects.create(
            number=number,
            direction=Direction.OUTGOING,
            year=year,
            sequence=seq,
            document=doc,
            received_at=now,
            created_by=actor,
            subject=subject,
            in_reply_to=answered,
            awaiting_signature=True,
        )
        audit.record(actor, "reserved", number, sha256=rec.sha256, file=rec.original_name)
    return entry


def confirm_outgoing(entry: RegistryEntry, actor: str, signed_key: str) -> RegistryEntry:
    """The signed copy is stored: the departure is complete, and the arrival it answers answered."""
    with transaction.atomic():
        entry = RegistryEntry.objects.select_for_update().get(pk=entry.pk)
        entry.signed_key = signed_key
        entry.awaiting_signature = False
        entry.status = Status.ANSWERED if entry.in_reply_to_id else Status.REGISTERED
        entry.save(update_fields=["signed_key", "awaiting_signature", "status", "updated_at"])
        audit.record(actor, "signed", entry.number, sha256=entry.document.sha256, signed_key=signed_key)
        if entry.in_reply_to_id:
            answered = RegistryEntry.objects.select_for_update().get(pk=entry.in_reply_to_id)
            old = answered.status
            answered.status = Status.ANSWERED
            answered.answered_at = answered.answered_at or timezone.now()
            answered.save(update_fields=["status", "answered_at", "updated_at"])
            audit.record(
                actor, "answered", answered.number, changes={"status": {"old": old, "new": "answered"}},
                by=entry.number,
            )  # fmt: skip
    return entry


def void_entry(number: str, actor: str, reason: str) -> RegistryEntry:
    """Mark a register line void: its number stays in the register, never handed out again."""
    with transaction.atomic():
        entry = RegistryEntry.objects.select_for_update().get(number=number)
        if entry.voided_at is None:
            entry.voided_at = timezone.now()
            entry.void_reason = reason
            entry.awaiting_signature = False
            entry.save(update_fields=["voided_at", "void_reason", "awaiting_signature", "updated_at"])
            audit.record(actor, "voided", number, reason=reason)
    return entry


EDITABLE_FIELDS = (
    "sender",
    "letter_reference",
    "letter_date",
    "subject",
    "addressee_service",
    "mail_type",
    "tags",
    "status",
    "due_date",
)


def get_entry(number: str, for_update: bool = False) -> RegistryEntry:
    qs = RegistryEntry.objects.select_related("document")
    if for_update:
        qs = qs.select_for_update(of=("self",))
    entry = qs.filter(number=number.strip().upper()).first()
    if entry is None:
        raise NotFoundError(f"No registry entry {number!r}. Check the number with `sijill list`.")
    return entry


def update_entry(number: str, actor: str, confirm: bool = False, **changes: object) -> RegistryEntry:
    """Correct register fields; every change is audited with its old and new value.

    ``confirm``: the clerk vouches for the entry as it now stands (it becomes a training example).
    """
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"not editable: {', '.join(sorted(unknown))}")
    with transaction.atomic():
        # Locked for the read-modify-write, and only the changed fields are saved: two clerks
        # correcting different fields of one letter at once both keep their change.
        entry = get_entry(number, for_update=True)
        diff = {}
        for name, value in changes.items():
            old = getattr(entry, name)
            if old != value:
                diff[name] = {"old": _jsonable(old), "new": _jsonable(value)}
                setattr(entry, name, value)
        extra = []
        if confirm:
            entry.confirmed_at = timezone.now()
            extra.append("confirmed_at")
        if "status" in diff and entry.status in (Status.ANSWERED, Status.CLOSED) and entry.answered_at is None:
            entry.answered_at = timezone.now()
            extra.append("answered_at")
        if diff or confirm:
            entry.save(update_fields=[*diff, *extra, "updated_at"])
            audit.record(actor, "tagged" if confirm else "updated", entry.number, changes=diff)
    return entry


def _jsonable(v: object) -> object:
    return v.isoformat() if isinstance(v, (dt.date, dt.datetime)) else v
