"""E-mail to the staff: a letter routed to their service, and each morning their late letters.

Sent only when SMTP is configured (``SIJILL_SMTP_HOST``); a mail server that is down never
undoes or blocks a routing: the failure is logged. A confidential letter's mail says which
number came, never its sender or subject (mail passes through servers we do not control)."""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.contrib.auth.models import User
from django.core.mail import EmailMessage, get_connection
from django.utils import timezone

from archive.models import RegistryEntry, Role, StaffProfile
from archive.permissions import viewer_for, visible_entries

log = logging.getLogger("sijill.notify")
MAX_LISTED = 50


def _staff_of(services: list[str]) -> list[User]:
    """Active agents and heads of these services who have an e-mail address."""
    wanted = set(services)
    profiles = StaffProfile.objects.select_related("user").filter(role__in=[Role.AGENT, Role.HEAD],
                                                                  user__is_active=True)  # fmt: skip
    return [p.user for p in profiles if p.user.email and wanted & set(p.services or ())]


def _link(number: str) -> str:
    return f"{settings.SIJILL.web.base_url}/mail/{number}/"


def _send(messages: list[EmailMessage]) -> int:
    if not messages:
        return 0
    try:
        with get_connection() as connection:
            return connection.send_messages(messages) or 0
    except OSError as exc:  # SMTP down or refusing: the routing stands, the mail is lost
        log.warning("notifications not sent (%s): %d message(s)", exc, len(messages))
        return 0


def routed(number: str, services: list[str]) -> int:
    """Tell the staff of these services that a letter was routed to them."""
    entry = RegistryEntry.objects.filter(number=number).first()
    if entry is None:
        return 0
    received = timezone.localtime(entry.received_at).strftime("%Y-%m-%d %H:%M")
    if entry.confidential:
        about = "سري / confidentiel"
    else:
        about = f"{entry.sender or '—'} — {entry.subject or '—'}"
    due = f"\nأجل الرد / Échéance : {entry.due_date.isoformat()}" if entry.due_date else ""
    body = (f"أحيلت إليكم المراسلة {entry.number} / Le courrier {entry.number} vous est imputé.\n\n"
            f"{about}\nتاريخ الاستلام / Reçu le : {received}{due}\n\n{_link(entry.number)}\n")  # fmt: skip
    subject = f"سجل / Sijill — {entry.number}"
    messages = [EmailMessage(subject, body, to=[u.email]) for u in _staff_of(services)]
    return _send(messages)


def overdue_digest(today: dt.date | None = None) -> int:
    """Each agent and head: the letters of his services past their deadline (none: no mail).
    Once a day: every worker's scheduler fires, so the day's sending is recorded and not repeated."""
    from archive import audit, routing
    from archive.models import AuditEvent

    today = today or timezone.localdate()
    if AuditEvent.objects.filter(action="overdue_notified", target=today.isoformat()).exists():
        return 0
    messages = []
    for profile in StaffProfile.objects.select_related("user").filter(role__in=[Role.AGENT, Role.HEAD],
                                                                      user__is_active=True):  # fmt: skip
        user = profile.user
        if not user.email or not profile.services:
            continue
        late = routing.overdue(routing.routed_to(visible_entries(viewer_for(user)), list(profile.services)), today)
        numbers = list(late.values_list("number", "due_date")[: MAX_LISTED + 1])
        if not numbers:
            continue
        lines = [f"{n}  ({d.isoformat()})  {_link(n)}" for n, d in numbers[:MAX_LISTED]]
        if len(numbers) > MAX_LISTED:
            lines.append("…")
        body = "مراسلات تجاوزت أجل الرد / Courriers en retard :\n\n" + "\n".join(lines) + "\n"
        messages.append(EmailMessage(f"سجل / Sijill — {len(lines)} en retard / متأخرة", body, to=[user.email]))
    sent = _send(messages)
    audit.record("sijill", "overdue_notified", today.isoformat(), users=len(messages), sent=sent)
    return sent
