"""Disposal (élimination / الإتلاف): letters whose fate is destruction and whose date has come.

A list is proposed (by the workers' periodic job or an archivist), reviewed by an archivist and
approved by an admin: two different people. Only then are the letters' contents removed: the
original and its searchable copy from the object store (the only caller of ``destroy``, which
bypasses a governance-mode object lock) and the text from the catalogue, hence from the index.
The register line stays, with the list that destroyed it; the signed certificate is made by
the caller above (``signing.certificate``). A letter put on hold after the proposal is kept.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from archive import audit
from archive.models import AuditEvent, DisposalItem, DisposalList, Document, LegalHold, Page, RegistryEntry
from archive.models.registry import Status
from archive.objectstore import ObjectStore
from archive.retention import retention_of
from config.errors import ConfigError, NotFoundError
from config.retention import Calendar

S = DisposalList.State
MAX_ITEMS = 5000


def due(calendar: Calendar, today: dt.date | None = None) -> list[tuple[RegistryEntry, dt.date]]:
    """Letters to destroy by now: closed, fate ``destroy`` fallen due, or transferred to the
    archives who confirmed their receipt; not on hold, not yet destroyed, not on a list still
    open."""
    today = today or timezone.localdate()
    transferred = set(AuditEvent.objects.filter(action="transfer_confirmed").values_list("target", flat=True))
    pending = DisposalItem.objects.filter(disposal__state__in=[S.PROPOSED, S.REVIEWED, S.APPROVED])
    qs = (
        RegistryEntry.objects.select_related("document")
        .filter(status__in=[Status.ANSWERED, Status.CLOSED], answered_at__isnull=False, document__isnull=False,
                document__destroyed_at__isnull=True)
        .exclude(Exists(LegalHold.objects.filter(entry=OuterRef("pk"), released_at__isnull=True)))
        .exclude(pk__in=pending.values("entry_id"))
        .order_by("answered_at")
    )  # fmt: skip
    out = []
    for e in qs.iterator(chunk_size=1000):
        r = retention_of(e, calendar)
        if e.number in transferred:  # the archives hold it now; our copy may go
            out.append((e, today))
        elif r["fate"] == "destroy" and r["fate_due"] and dt.date.fromisoformat(r["fate_due"]) <= today:
            out.append((e, dt.date.fromisoformat(r["fate_due"])))
            if len(out) >= MAX_ITEMS:
                break
    return out


def propose(calendar: Calendar, actor: str, today: dt.date | None = None) -> DisposalList | None:
    found = due(calendar, today)
    if not found:
        return None
    with transaction.atomic():
        lst = DisposalList.objects.create(proposed_by=actor, calendar_version=calendar.version)
        DisposalItem.objects.bulk_create([DisposalItem(disposal=lst, entry=e, fate_due=d) for e, d in found])
        audit.record(actor, "disposal_proposed", f"disposal:{lst.pk}", letters=len(found))
    return lst


def _get(list_id: int) -> DisposalList:
    lst = DisposalList.objects.select_for_update().filter(pk=list_id).first()
    if lst is None:
        raise NotFoundError(f"No disposal list {list_id}.")
    return lst


def review(list_id: int, actor: str) -> DisposalList:
    with transaction.atomic():
        lst = _get(list_id)
        if lst.state != S.PROPOSED:
            raise ConfigError(f"List {list_id} is {lst.state}, not awaiting review.")
        lst.state, lst.reviewed_by, lst.reviewed_at = S.REVIEWED, actor, timezone.now()
        lst.save(update_fields=["state", "reviewed_by", "reviewed_at"])
        audit.record(actor, "disposal_reviewed", f"disposal:{lst.pk}")
    return lst


def approve(list_id: int, actor: str) -> DisposalList:
    with transaction.atomic():
        lst = _get(list_id)
        if lst.state != S.REVIEWED:
            raise ConfigError(f"List {list_id} is {lst.state}: an archivist reviews it before it is approved.")
        if actor == lst.reviewed_by:
            raise ConfigError("The approval must come from another person than the review (two people).")
        lst.state, lst.approved_by, lst.approved_at = S.APPROVED, actor, timezone.now()
        lst.save(update_fields=["state", "approved_by", "approved_at"])
        audit.record(actor, "disposal_approved", f"disposal:{lst.pk}")
    return lst


def reject(list_id: int, actor: str, reason: str) -> DisposalList:
    with transaction.atomic():
        lst = _get(list_id)
        if lst.state in (S.EXECUTED, S.REJECTED):
            raise ConfigError(f"List {list_id} is already {lst.state}.")
        lst.state = S.REJECTED
        lst.save(update_fields=["state"])
        audit.record(actor, "disposal_rejected", f"disposal:{lst.pk}", reason=reason[:2000])
    return lst


def execute(list_id: int, store: ObjectStore, actor: str) -> tuple[DisposalList, list[DisposalItem]]:
    """Destroy the approved list's letters (those held meanwhile are kept). Re-running it after a
    crash finishes the work: every step is repeatable."""
    lst = DisposalList.objects.filter(pk=list_id).first()
    if lst is None:
        raise NotFoundError(f"No disposal list {list_id}.")
    if lst.state not in (S.APPROVED, S.EXECUTED):
        raise ConfigError(
            f"List {list_id} is {lst.state}: it must be reviewed and approved before anything is destroyed."
        )
    items = list(lst.items.select_related("entry__document"))
    for item in items:
        entry, doc = item.entry, item.entry.document
        if item.outcome:
            continue
        if entry.holds.filter(released_at__isnull=True).exists():
            item.outcome = "held"
        else:
            _destroy(doc, lst, store)
            item.outcome = "destroyed"
            audit.record(actor, "destroyed", entry.number, disposal=lst.pk, sha256=doc.sha256)
        item.save(update_fields=["outcome"])
    if lst.state != S.EXECUTED:
        DisposalList.objects.filter(pk=lst.pk).update(state=S.EXECUTED, executed_at=timezone.now())
        audit.record(actor, "disposal_executed", f"disposal:{lst.pk}",
                     destroyed=sum(i.outcome == "destroyed" for i in items))  # fmt: skip
    lst.refresh_from_db()
    return lst, items


def _destroy(doc: Document, lst: DisposalList, store: ObjectStore) -> None:
    store.destroy(doc.original_key, (doc.original_version,) if doc.original_version else ())
    if doc.searchable_key and doc.searchable_key != doc.original_key:
        store.destroy(doc.searchable_key)
    with transaction.atomic():
        Page.objects.filter(document=doc).update(text="", low_confidence_words=[])
        Document.objects.filter(pk=doc.pk).update(text="", destroyed_at=timezone.now(), destroyed_by=lst)


def set_certificate(list_id: int, key: str) -> None:
    DisposalList.objects.filter(pk=list_id).update(certificate_key=key)
