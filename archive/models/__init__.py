from archive.models.audit import AccessEvent, AccessSeal, AuditEvent
from archive.models.document import Document, Page
from archive.models.quarantine import QuarantinedFile
from archive.models.registry import RegistryCounter, RegistryEntry

__all__ = [
    "AccessEvent",
    "AccessSeal",
    "AuditEvent",
    "Document",
    "Page",
    "QuarantinedFile",
    "RegistryCounter",
    "RegistryEntry",
]
