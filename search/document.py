"""What the index holds for one register entry, built from the catalogue (the only source)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from archive.models import RegistryEntry


@dataclass(frozen=True)
class IndexDocument:
    id: int  # the register entry's primary key
    registry_number: str
    direction: str  # "A" incoming, "D" outgoing
    received_at: dt.datetime
    text: str
    letter_date: dt.date | None = None
    sender: str = ""
    subject: str = ""
    letter_reference: str = ""
    department: str = ""
    mail_type: str = ""
    status: str = ""
    tags: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()
    original_name: str = ""
    legacy_number: str = ""  # from a migrated legacy register, kept verbatim
    services: tuple[str, ...] = ()  # the services it is routed to
    confidential: bool = False
    access: tuple[str, ...] = ()  # archive.access_tokens.entry_access_tokens

    @property
    def departments(self) -> tuple[str, ...]:
        """The services it went to; before routing, the one Sijill proposed."""
        return self.services or ((self.department,) if self.department else ())

    @property
    def searchable_text(self) -> str:
        """Body plus the register's own fields, so a clerk's corrections are findable too."""
        parts = (self.subject, self.sender, self.letter_reference, self.legacy_number, self.original_name)
        extra = "\n".join(v for v in parts if v)
        return f"{self.text}\n{extra}" if extra else self.text

    def display(self) -> dict[str, Any]:
        """The fields a result list shows, stored alongside the index terms."""
        return {
            "id": self.id,
            "registry_number": self.registry_number,
            "direction": self.direction,
            "received_at": self.received_at.isoformat(),
            "letter_date": self.letter_date.isoformat() if self.letter_date else None,
            "sender": self.sender,
            "subject": self.subject,
            "letter_reference": self.letter_reference,
            "department": self.department,
            "mail_type": self.mail_type,
            "status": self.status,
            "tags": list(self.tags),
            "languages": list(self.languages),
            "original_name": self.original_name,
            "legacy_number": self.legacy_number,
            "services": list(self.departments),
            "confidential": self.confidential,
            "text": self.text,
        }


@dataclass
class StoredHit:
    """A hit as a backend returns it, before snippets are made."""

    score: float
    fields: dict[str, Any] = field(default_factory=dict)


def from_entry(entry: RegistryEntry) -> IndexDocument:
    """``entry`` with ``routings`` and ``readers`` prefetched (``sync.entries_for_index``)."""
    from archive.access_tokens import entry_access_tokens

    doc = entry.document
    services = [r.service for r in entry.routings.all()]
    readers = [r.username for r in entry.readers.all()]
    return IndexDocument(
        id=entry.pk,
        registry_number=entry.number,
        direction=entry.direction,
        received_at=entry.received_at,
        text=doc.text if doc else "",
        letter_date=entry.letter_date,
        sender=entry.sender,
        subject=entry.subject,
        letter_reference=entry.letter_reference,
        department=entry.addressee_service,
        mail_type=entry.mail_type,
        status=entry.status,
        tags=tuple(entry.tags or ()),
        languages=tuple(doc.languages) if doc else (),
        original_name=doc.original_name if doc else "",
        legacy_number=entry.legacy_number,
        services=tuple(services),
        confidential=entry.confidential,
        access=entry_access_tokens(entry.confidential, services, readers),
    )
