"""The workers' periodic jobs: sealing the access log, the nightly fixity sample, planner
statistics and retraining on the clerks' corrections, and the morning e-mail of overdue letters.

Every worker runs Huey's scheduler, so each job takes a queue-wide lock: with several workers
(on several machines) it still runs once.
"""

from __future__ import annotations

import logging

from django.db import connections
from huey import Huey, crontab
from huey.exceptions import TaskLockedException

from config.sijill import SijillSettings

log = logging.getLogger("sijill.queue")


def seal_access_log() -> int:
    from archive.access import seal_pending

    return seal_pending()


def fixity_sample(settings: SijillSettings) -> dict:
    """Re-hash a random sample of originals; the outcome goes into the audit log."""
    from archive import audit, fsck
    from archive.objectstore import open_store

    report = fsck.check(open_store(settings), sample=settings.queue.fixity_sample)
    audit.record("sijill", "fixity_checked", "fsck", checked=report.checked, ok=report.ok,
                 problems=report.problems[:50])  # fmt: skip
    if not report.ok:
        log.error("fixity: %d problem(s) in %d objects; run `sijill fsck`", len(report.problems), report.checked)
    return {"checked": report.checked, "problems": len(report.problems)}


def refresh_statistics() -> None:
    from archive.schema import refresh_statistics as analyze

    analyze()


def retrain(settings: SijillSettings) -> bool:
    """Learn from the clerks' corrections; a no-op when they have not changed since the last
    model. Every worker loads the new model before its next file."""
    from ingest.classify.training import retrain as train

    model, changed, _, n_clerk = train(settings)
    if changed:
        log.info("type model %s trained on %d clerk examples", model.version, n_clerk)
    return changed


def note_retention_calendar(settings: SijillSettings) -> bool:
    """A calendar edited on disk takes effect at once (dates are worked out when shown); this
    records the new version in the audit log."""
    from archive import retention

    return retention.note_calendar(retention.calendar(settings, checked=True))


def propose_disposal(settings: SijillSettings) -> int:
    """Each night: the letters whose destruction is due, as a list for the archivist to review."""
    from archive import disposal, retention

    lst = disposal.propose(retention.calendar(settings, checked=True), "sijill")
    return lst.items.count() if lst else 0


def overdue_digest() -> int:
    from archive import notify

    return notify.overdue_digest()


def mail_fetch(settings: SijillSettings, queue) -> None:
    from ingest.mailfetch import fetch

    got = fetch(settings, queue)
    if got.messages:
        log.info("mailbox: %d message(s), %d letter(s) queued", got.messages, got.letters)


def register_periodic(huey: Huey, settings: SijillSettings, queue=None) -> None:
    """``queue``: the TaskQueue the mailbox's letters are handed to."""

    def once(name: str, job) -> None:
        try:
            with huey.lock_task(name):
                job()
        except TaskLockedException:
            pass  # another worker is on it
        finally:
            connections.close_all()

    huey.periodic_task(crontab(minute="*/5"), name="sijill.seal_access_log")(
        lambda: once("seal-access-log", seal_access_log)
    )
    huey.periodic_task(crontab(minute="30", hour="2"), name="sijill.fixity_sample")(
        lambda: once("fixity-sample", lambda: fixity_sample(settings))
    )
    huey.periodic_task(crontab(minute="45", hour="2"), name="sijill.refresh_statistics")(
        lambda: once("refresh-statistics", refresh_statistics)
    )
    huey.periodic_task(crontab(minute="0", hour="3"), name="sijill.retrain")(
        lambda: once("retrain", lambda: retrain(settings))
    )
    if settings.intake.imap_url and queue is not None:
        huey.periodic_task(crontab(minute="*/2"), name="sijill.mail_fetch")(
            lambda: once("mail-fetch", lambda: mail_fetch(settings, queue))
        )
    huey.periodic_task(crontab(minute="*/10"), name="sijill.retention_calendar")(
        lambda: once("retention-calendar", lambda: note_retention_calendar(settings))
    )
    huey.periodic_task(crontab(minute="15", hour="3"), name="sijill.propose_disposal")(
        lambda: once("propose-disposal", lambda: propose_disposal(settings))
    )
    huey.periodic_task(crontab(minute="30", hour="7"), name="sijill.overdue_digest")(
        lambda: once("overdue-digest", overdue_digest)
    )
