"""The tamper-evident record: each audit event carries the hash of the one before it, and
access events are sealed in batches into a second chain.

One chain for the whole archive, cut into days by the daily digest (``digest``): its head hash
can be printed or time-stamped, so that even the newest events cannot be rewritten unseen.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from typing import Any

from django.utils import timezone

GENESIS = "0" * 64


def next_link(model) -> tuple[int, str]:
    """(seq, prev_hash) of the next link of a chain stored in ``model`` (call under its lock)."""
    last = model.objects.order_by("-seq").values_list("seq", "hash").first()
    return (last[0] + 1, last[1]) if last else (1, GENESIS)


def canonical(details: dict[str, Any]) -> dict[str, Any]:
    """Details as they read back from the database (plain JSON types)."""
    return json.loads(json.dumps(details, ensure_ascii=False, default=str))


def _digest(*parts: object) -> str:
    payload = json.dumps(parts, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def _when(at: dt.datetime) -> str:
    return at.astimezone(dt.UTC).isoformat(timespec="microseconds")


def event_hash(seq: int, at: dt.datetime, actor: str, action: str, target: str, details: dict, prev_hash: str) -> str:
    return _digest(seq, _when(at), actor, action, target, details, prev_hash)


def access_line(event_id: int, at: dt.datetime, actor: str, action: str, target: str, details: dict) -> str:
    return _digest(event_id, _when(at), actor, action, target, details)


def seal_hash(seq: int, at: dt.datetime, count: int, events_digest: str, prev_hash: str) -> str:
    return _digest(seq, _when(at), count, events_digest, prev_hash)


def events_digest(lines: Iterable[str]) -> str:
    h = hashlib.sha256()
    for line in lines:
        h.update(line.encode("ascii"))
    return h.hexdigest()


@dataclass
class Problem:
    chain: str  # "audit" or "access"
    kind: str  # altered / deleted / reordered / inserted
    seq: int | None
    detail: str


@dataclass
class ChainReport:
    events: int = 0
    seals: int = 0
    sealed_access_events: int = 0
    unsealed_access_events: int = 0
    head: str = GENESIS
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def as_json(self) -> dict[str, Any]:
        return {**asdict(self), "ok": self.ok}


def verify(anchors: list[dict[str, Any]] = ()) -> ChainReport:
    """Re-hash both chains end to end; every problem found is listed (nothing is repaired).

    ``anchors``: daily digests kept outside Sijill (`sijill audit digest`). The chain alone cannot
    show that its newest events were cut off; a digest can."""
    report = ChainReport()
    _verify_audit(report)
    _verify_access(report)
    for anchor in anchors:
        _check_anchor(anchor, report)
    return report


def _check_anchor(anchor: dict[str, Any], report: ChainReport) -> None:
    from archive.models import AuditEvent

    seq, head, day = int(anchor.get("last_seq") or 0), anchor.get("head"), anchor.get("date")
    if seq == 0:
        return
    stored = AuditEvent.objects.filter(seq=seq).values_list("hash", flat=True).first()
    if stored is None:
        report.problems.append(
            Problem("audit", "deleted", seq, f"event {seq}, the head of the digest of {day}, is missing")
        )
    elif stored != head:
        report.problems.append(Problem("audit", "altered", seq, f"event {seq} no longer matches the digest of {day}"))


def _verify_audit(report: ChainReport) -> None:
    from archive.models import AuditEvent

    prev_hash, prev_seq, prev_id = GENESIS, None, 0
    rows = AuditEvent.objects.order_by("seq").values_list(
        "id", "seq", "at", "actor", "action", "target", "details", "prev_hash", "hash"
    )
    for event_id, seq, at, actor, action, target, details, stored_prev, stored in rows.iterator(chunk_size=2000):
        report.events += 1
        if event_hash(seq, at, actor, action, target, details, stored_prev) != stored:
            report.problems.append(Problem("audit", "altered", seq, f"event {seq} ({action} {target}) was changed"))
        if stored_prev != prev_hash:
            gap = prev_seq is not None and seq != prev_seq + 1
            kind = "deleted" if gap else "reordered"
            where = f"between events {prev_seq} and {seq}" if prev_seq is not None else f"before event {seq}"
            report.problems.append(Problem("audit", kind, seq, f"the chain is broken {where}"))
        elif event_id < prev_id:
            report.problems.append(Problem("audit", "reordered", seq, f"event {seq} was moved in the log"))
        prev_hash, prev_seq, prev_id = stored, seq, event_id
    report.head = prev_hash


def _verify_access(report: ChainReport) -> None:
    from archive.models import AccessEvent, AccessSeal

    prev_hash = GENESIS
    for seal in AccessSeal.objects.order_by("seq").iterator(chunk_size=500):
        report.seals += 1
        if seal_hash(seal.seq, seal.at, seal.count, seal.events_digest, seal.prev_hash) != seal.hash:
            report.problems.append(Problem("access", "altered", seal.seq, f"access seal {seal.seq} was changed"))
        if seal.prev_hash != prev_hash:
            report.problems.append(Problem("access", "deleted", seal.seq, f"a seal before {seal.seq} is missing"))
        events = AccessEvent.objects.filter(seal=seal).order_by("id")
        lines = [
            access_line(e.id, e.at, e.actor, e.action, e.target, e.details)
            for e in events.only("id", "at", "actor", "action", "target", "details")
        ]
        report.sealed_access_events += len(lines)
        if len(lines) != seal.count or events_digest(lines) != seal.events_digest:
            report.problems.append(
                Problem(
                    "access",
                    "altered",
                    seal.seq,
                    f"access events sealed in batch {seal.seq} were changed, deleted or added "
                    f"({len(lines)} found, {seal.count} sealed)",
                )
            )
        prev_hash = seal.hash
    report.unsealed_access_events = AccessEvent.objects.filter(seal__isnull=True).count()


def digest(day: dt.date) -> dict[str, Any]:
    """The chain's state at the end of ``day`` (local time): its head hash anchors every event
    up to then. Print it or time-stamp it; `sijill audit verify` checks the chain against it."""
    from archive.models import AccessSeal, AuditEvent

    tz = timezone.get_current_timezone()
    start = dt.datetime.combine(day, dt.time.min, tzinfo=tz)
    end = start + dt.timedelta(days=1)
    upto = AuditEvent.objects.filter(at__lt=end).order_by("-seq").first()
    today = AuditEvent.objects.filter(at__gte=start, at__lt=end)
    seal = AccessSeal.objects.filter(at__lt=end).order_by("-seq").first()
    body = {
        "date": day.isoformat(),
        "events_that_day": today.count(),
        "last_seq": upto.seq if upto else 0,
        "head": upto.hash if upto else GENESIS,
        "access_seal_seq": seal.seq if seal else 0,
        "access_head": seal.hash if seal else GENESIS,
    }
    body["digest"] = _digest(body)
    return body
