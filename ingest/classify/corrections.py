"""A clerk's correction of what Sijill read: applied, audited, and kept to learn from."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from archive import catalogue
from archive.models import RegistryEntry
from config.errors import CorrectionError, QueryError
from config.taxonomy import Taxonomy
from lang.dates import parse_day


def tag(
    number: str,
    actor: str,
    taxonomy: Taxonomy,
    mail_type: str | None = None,
    service: str | None = None,
    sender: str | None = None,
    letter_date: str | None = None,
    reference: str | None = None,
    subject: str | None = None,
) -> RegistryEntry:
    """Set the given fields and mark the entry confirmed by the clerk (a training example).

    A new type brings its default service and reply deadline unless a service is given.
    """
    entry = catalogue.get_entry(number)
    changes: dict[str, object] = {}
    if mail_type is not None:
        if mail_type not in taxonomy.types:
            raise CorrectionError(f"Unknown type {mail_type!r}. Types: {', '.join(sorted(taxonomy.types))}.")
        changes["mail_type"] = mail_type
        t = taxonomy.types[mail_type]
        changes["due_date"] = t.due_date(timezone.localtime(entry.received_at).date())
        if service is None:
            changes["addressee_service"] = t.service
    if service is not None:
        if service not in taxonomy.services:
            found = [s.id for s in taxonomy.services.values() if service.strip() in (s.ar, s.fr)]
            if not found:
                raise CorrectionError(f"Unknown service {service!r}. Services: {', '.join(sorted(taxonomy.services))}.")
            service = found[0]
        changes["addressee_service"] = service
    if sender is not None:
        changes["sender"] = sender.strip()
    if reference is not None:
        changes["letter_reference"] = reference.strip()
    if subject is not None:
        changes["subject"] = subject.strip()
    if letter_date is not None:
        try:
            changes["letter_date"] = parse_day(letter_date, "--date") if letter_date.strip() else None
        except QueryError as exc:
            raise CorrectionError(exc.message) from None
        if changes["letter_date"] and changes["letter_date"] > dt.date.today() + dt.timedelta(days=1):
            raise CorrectionError(f"--date {letter_date!r} is in the future.")
    return catalogue.update_entry(entry.number, actor, confirm=True, **changes)
