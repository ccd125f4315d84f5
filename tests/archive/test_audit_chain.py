"""The audit log is a hash chain: a deleted, altered or reordered event is found."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections

from archive import access, audit, auditchain
from archive.models import AccessEvent, AuditEvent
from search.models import IndexCursor

pytestmark = pytest.mark.django_db(transaction=True)


def _events(n: int) -> None:
    for i in range(n):
        audit.record("clerk", "updated", f"A-2026-{i:06d}", changes={"subject": {"old": "", "new": f"objet {i}"}})


def _kinds() -> list[str]:
    return [p.kind for p in auditchain.verify().problems]


def test_an_untouched_chain_verifies() -> None:
    _events(5)
    report = auditchain.verify()
    assert report.ok and report.events == 5
    assert report.head == AuditEvent.objects.latest("seq").hash
    assert [e.seq for e in AuditEvent.objects.all()] == [1, 2, 3, 4, 5]


def test_an_altered_event_is_found() -> None:
    _events(5)
    AuditEvent.objects.filter(seq=3).update(actor="someone else")
    assert _kinds() == ["altered"]


def test_altered_details_are_found() -> None:
    _events(3)
    AuditEvent.objects.filter(seq=2).update(details={"changes": {}})
    assert "altered" in _kinds()


def test_a_deleted_event_is_found() -> None:
    _events(5)
    AuditEvent.objects.filter(seq=3).delete()
    assert _kinds() == ["deleted"]


def test_reordered_events_are_found() -> None:
    _events(5)
    a, b = AuditEvent.objects.get(seq=2), AuditEvent.objects.get(seq=4)
    fields = ["seq", "at", "actor", "action", "target", "details", "prev_hash", "hash"]
    values_a = {f: getattr(a, f) for f in fields}
    values_b = {f: getattr(b, f) for f in fields}
    # Swap the two rows' contents: each row still hashes right, but the log's order changed.
    AuditEvent.objects.filter(pk=a.pk).update(seq=-1)
    AuditEvent.objects.filter(pk=b.pk).update(**values_a)
    AuditEvent.objects.filter(pk=a.pk).update(**values_b)
    assert set(_kinds()) == {"reordered"}


def test_the_newest_events_are_anchored_by_the_daily_digest() -> None:
    _events(3)
    from django.utils import timezone

    before = auditchain.digest(timezone.localdate())
    assert before["events_that_day"] == 3 and before["head"] == AuditEvent.objects.latest("seq").hash
    AuditEvent.objects.filter(seq=3).delete()  # the newest event: no later event links to it
    after = auditchain.digest(timezone.localdate())
    assert after["head"] != before["head"] and after["digest"] != before["digest"]


def test_views_go_to_the_access_log_and_never_to_the_change_feed() -> None:
    _events(1)
    IndexCursor.objects.create(index_id="x", last_seq=audit.last_seq())
    access.record_access("agent", "viewed", "A-2026-000000")
    access.record_access("agent", "downloaded_original", "A-2026-000000", size=10)
    assert AuditEvent.objects.count() == 1  # nothing for an index to re-read
    assert access.seal_pending(batch=1) == 2
    report = auditchain.verify()
    assert report.ok and report.seals == 2 and report.sealed_access_events == 2
    access.record_access("agent", "viewed", "A-2026-000001")
    assert auditchain.verify().unsealed_access_events == 1


def test_a_deleted_or_altered_access_event_is_found() -> None:
    for i in range(3):
        access.record_access("agent", "viewed", f"A-2026-00000{i}")
    access.seal_pending()
    AccessEvent.objects.filter(target="A-2026-000001").delete()
    assert [p.kind for p in auditchain.verify().problems] == ["altered"]
    AccessEvent.objects.filter(target="A-2026-000002").update(actor="x")
    assert len(auditchain.verify().problems) == 1  # still the one batch


def test_concurrent_writers_keep_one_chain() -> None:
    """Several threads (separate connections) write at once: seq is gapless, the chain intact."""

    def write(k: int) -> None:
        try:
            for i in range(10):
                audit.record(f"t{k}", "updated", f"A-2026-{k:03d}{i:03d}")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=write, args=(k,)) for k in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert auditchain.verify().ok
    assert sorted(AuditEvent.objects.values_list("seq", flat=True)) == list(range(1, 41))
    if connection.vendor == "postgresql":
        # Commit order equals seq order: a follower reading by seq never skips a late commit.
        ids_by_seq = list(AuditEvent.objects.order_by("seq").values_list("id", flat=True))
        assert ids_by_seq == sorted(ids_by_seq)


def test_the_daily_digest_is_time_stamped_and_openssl_checks_it(tmp_path) -> None:
    import shutil
    import subprocess

    from signing import pki
    from signing.tsa import LocalTsa
    from tests.conftest import run_sijill

    dev = pki.create(tmp_path / "pki", "s3cret")
    home = tmp_path / "home"
    assert run_sijill(home, "list").returncode == 0
    with LocalTsa(dev.tsa_cert_pem, dev.tsa_key_pem) as tsa:
        res = run_sijill(
            home, "audit", "digest", "--timestamp", str(tmp_path / "digest"), env={"SIJILL_TSA_URL": tsa.url}
        )
    assert res.returncode == 0, res.stderr
    body, token = tmp_path / "digest.json", tmp_path / "digest.tst"
    assert b'"head"' in body.read_bytes() and token.stat().st_size > 500
    if shutil.which("openssl"):
        check = subprocess.run(
            ["openssl", "ts", "-verify", "-data", str(body), "-in", str(token), "-token_in",
             "-CAfile", str(dev.ca_pem), "-untrusted", str(dev.tsa_cert_pem)],
            capture_output=True, text=True,
        )  # fmt: skip
        assert "Verification: OK" in check.stdout, check.stdout + check.stderr
        body.write_bytes(body.read_bytes().replace(b'"head"', b'"Head"'))
        forged = subprocess.run(["openssl", "ts", "-verify", "-data", str(body), "-in", str(token), "-token_in",
                                 "-CAfile", str(dev.ca_pem), "-untrusted", str(dev.tsa_cert_pem)],
                                capture_output=True, text=True)  # fmt: skip
        assert "Verification: OK" not in forged.stdout
