from archive.models.audit import AccessEvent, AccessSeal, AuditEvent
from archive.models.deposit import Deposit
from archive.models.document import Document, Page
from archive.models.people import ApiToken, Role, StaffProfile
from archive.models.quarantine import QuarantinedFile
from archive.models.records import DisposalItem, DisposalList
from archive.models.registry import LegalHold, RegistryCounter, RegistryEntry
from archive.models.routing import NamedReader, Routing
from archive.models.taxonomy import TaxonomyVersion

__all__ = [
    "AccessEvent",
    "AccessSeal",
    "ApiToken",
    "AuditEvent",
    "Deposit",
    "DisposalItem",
    "DisposalList",
    "Document",
    "LegalHold",
    "NamedReader",
    "Page",
    "QuarantinedFile",
    "RegistryCounter",
    "RegistryEntry",
    "Role",
    "Routing",
    "StaffProfile",
    "TaxonomyVersion",
]
