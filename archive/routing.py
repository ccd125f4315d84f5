"""Routing (imputation / الإحالة): which services a letter goes to, by when, and who in them;
statuses, tags and confidentiality. Every change is audited, and so reaches the search index."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone

from archive import audit, catalogue, notify
from archive.models import NamedReader, RegistryEntry, Routing
from archive.models.registry import Status
from config.errors import ConfigError, NotFoundError
from config.taxonomy import Taxonomy

OPEN_STATUSES = (Status.REGISTERED, Status.ASSIGNED, Status.IN_PROGRESS)
MAX_TAGS = 20
MAX_TAG_CHARS = 48


def _check_services(services: list[str], taxonomy: Taxonomy) -> list[str]:
    unknown = [s for s in services if s not in taxonomy.services]
    if unknown:
        raise ConfigError(f"Unknown service(s): {', '.join(unknown)}. The services are those of the taxonomy.")
    return list(dict.fromkeys(services))


def deadline(entry: RegistryEntry, taxonomy: Taxonomy) -> dt.date | None:
    """The reply deadline of the letter's type, counted from its reception."""
    mail_type = taxonomy.types.get(entry.mail_type)
    return mail_type.due_date(timezone.localtime(entry.received_at).date()) if mail_type else None


def route(number: str, services: list[str], actor: str, taxonomy: Taxonomy, assignee: str = "") -> RegistryEntry:
    """Send a letter to these services (added to those it already went to). Once committed,
    the staff of the services it newly went to are told by e-mail (``archive.notify``)."""
    services = _check_services(services, taxonomy)
    if not services:
        raise ConfigError("Choose at least one service to route the letter to.")
    with transaction.atomic():
        entry = catalogue.get_entry(number, for_update=True)
        _refuse_void(entry)
        due = entry.due_date or deadline(entry, taxonomy)
        had = set(entry.routings.values_list("service", flat=True))
        added = [s for s in services if s not in had]
        for service in added:
            Routing.objects.create(entry=entry, service=service, assignee=assignee[:150], due_date=due,
                                   routed_by=actor)  # fmt: skip
        fields = []
        if entry.status == Status.REGISTERED:
            entry.status, fields = Status.ASSIGNED, ["status"]
        if due and entry.due_date is None:
            entry.due_date = due
            fields.append("due_date")
        if fields:
            entry.save(update_fields=[*fields, "updated_at"])
        if added:
            audit.record(actor, "routed", entry.number, services=added, assignee=assignee or None,
                         due_date=due.isoformat() if due else None)  # fmt: skip
            number = entry.number
            transaction.on_commit(lambda: notify.routed(number, added))
    return entry


def reassign(number: str, from_service: str, to_service: str, actor: str, taxonomy: Taxonomy) -> RegistryEntry:
    """Move a letter from one service to another (audited with both)."""
    _check_services([from_service, to_service], taxonomy)
    with transaction.atomic():
        entry = catalogue.get_entry(number, for_update=True)
        _refuse_void(entry)
        routing = entry.routings.filter(service=from_service).first()
        if routing is None:
            raise NotFoundError(f"{entry.number} is not routed to {from_service}.")
        if entry.routings.filter(service=to_service).exists():
            routing.delete()
        else:
            routing.service, routing.assignee, routing.routed_by = to_service, "", actor
            routing.routed_at = timezone.now()
            routing.save()
        audit.record(actor, "reassigned", entry.number, old=from_service, new=to_service)
    return entry


def assign(number: str, service: str, assignee: str, actor: str) -> RegistryEntry:
    """Give a routed letter to one person of the service (a head does this within his service)."""
    with transaction.atomic():
        entry = catalogue.get_entry(number, for_update=True)
        routing = entry.routings.filter(service=service).first()
        if routing is None:
            raise NotFoundError(f"{entry.number} is not routed to {service}.")
        old = routing.assignee
        if old != assignee:
            routing.assignee = assignee[:150]
            routing.save(update_fields=["assignee"])
            audit.record(actor, "assigned", entry.number, service=service, old=old or None, new=assignee or None)
    return entry


def set_status(number: str, status: str, actor: str) -> RegistryEntry:
    if status not in Status.values:
        raise ConfigError(f"Unknown status {status!r}; one of: {', '.join(Status.values)}.")
    return catalogue.update_entry(number, actor, status=status)


def set_confidential(number: str, confidential: bool, actor: str, readers: list[str] | None = None) -> RegistryEntry:
    """Mark a letter confidential (or not), and name the users who may read it whatever their service."""
    with transaction.atomic():
        entry = catalogue.get_entry(number, for_update=True)
        changed = {}
        if entry.confidential != confidential:
            changed["confidential"] = {"old": entry.confidential, "new": confidential}
            entry.confidential = confidential
            entry.save(update_fields=["confidential", "updated_at"])
        if readers is not None:
            old = sorted(entry.readers.values_list("username", flat=True))
            new = sorted({r.strip()[:150] for r in readers if r.strip()})
            if old != new:
                entry.readers.exclude(username__in=new).delete()
                NamedReader.objects.bulk_create([NamedReader(entry=entry, username=u) for u in new if u not in old])
                changed["readers"] = {"old": old, "new": new}
        if changed:
            audit.record(actor, "confidentiality", entry.number, changes=changed)
    return entry


def clean_tags(tags: list[str]) -> list[str]:
    out = []
    for t in tags:
        t = " ".join(t.split())[:MAX_TAG_CHARS]
        if t and t not in out:
            out.append(t)
    if len(out) > MAX_TAGS:
        raise ConfigError(f"A letter can carry at most {MAX_TAGS} tags.")
    return out


def add_tags(numbers: list[str], tags: list[str], actor: str) -> int:
    tags = clean_tags(tags)
    n = 0
    for number in numbers:
        entry = catalogue.get_entry(number)
        merged = clean_tags([*(entry.tags or []), *tags])
        if merged != list(entry.tags or []):
            catalogue.update_entry(number, actor, tags=merged)
            n += 1
    return n


def remove_tag(number: str, tag: str, actor: str) -> RegistryEntry:
    entry = catalogue.get_entry(number)
    return catalogue.update_entry(number, actor, tags=[t for t in entry.tags or [] if t != tag])


def known_tags(prefix: str = "", limit: int = 20) -> list[str]:
    """Tags already in use, for suggestions as the clerk types."""
    prefix = prefix.strip().casefold()[:MAX_TAG_CHARS]
    seen: dict[str, int] = {}
    rows = RegistryEntry.objects.exclude(tags=[]).order_by("-id").values_list("tags", flat=True)[:5000]
    for tags in rows:
        for t in tags or ():
            if t.casefold().startswith(prefix):
                seen[t] = seen.get(t, 0) + 1
    return sorted(seen, key=lambda t: (-seen[t], t))[:limit]


def overdue(qs: QuerySet[RegistryEntry], today: dt.date | None = None) -> QuerySet[RegistryEntry]:
    today = today or timezone.localdate()
    return qs.filter(due_date__lt=today, status__in=OPEN_STATUSES, voided_at__isnull=True).order_by("due_date")


def routed_to(qs: QuerySet[RegistryEntry], services: list[str]) -> QuerySet[RegistryEntry]:
    """Letters routed to any of these services. A correlated EXISTS, not a join: no DISTINCT, and
    a list in date order walks the date's index and stops at the page's end."""
    return qs.filter(Exists(Routing.objects.filter(entry=OuterRef("pk"), service__in=services)))


def inbox(qs: QuerySet[RegistryEntry], services: list[str]) -> QuerySet[RegistryEntry]:
    return routed_to(qs, services).filter(voided_at__isnull=True).order_by("-received_at")


def _refuse_void(entry: RegistryEntry) -> None:
    if entry.voided_at is not None:
        raise ConfigError(f"{entry.number} is void ({entry.void_reason}); it cannot be routed.")
