"""The task queue: files handed over return at once, workers read them, a killed worker's task
is taken over, and nothing is registered twice."""

from __future__ import annotations

import datetime as dt
import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.utils import timezone

from ingest.models import QueuedTask
from ingest.queue import lease
from tests.conftest import REPO, catalogue_rows, run_sijill, sijill_env
from tests.fixtures import letters, redisserver

S = QueuedTask.Status


def _task(**kw) -> QueuedTask:
    fields = {"batch": "b", "filename": "f.pdf", "incoming_key": "incoming/x", "sha256": "0" * 64, "size": 1,
              "actor": "clerk", **kw}  # fmt: skip
    return QueuedTask.objects.create(**fields)


@pytest.mark.django_db(transaction=True)
def test_a_task_is_claimed_once_and_taken_over_only_when_its_lease_ran_out() -> None:
    t = _task()
    assert lease.claim(t.pk, "w1", 60) is not None
    assert lease.claim(t.pk, "w2", 60) is None  # a second delivery of the same message
    assert lease.stale() == []
    QueuedTask.objects.filter(pk=t.pk).update(lease_until=timezone.now() - dt.timedelta(seconds=1))
    assert lease.stale() == [t.pk]  # w1 died: its lease was not renewed
    taken = lease.claim(t.pk, "w2", 60)
    assert taken is not None and taken.worker == "w2" and taken.attempts == 2
    assert not lease.finish(t.pk, "w1", status=S.REGISTERED)  # the dead worker's late word is ignored
    assert lease.finish(t.pk, "w2", status=S.REGISTERED, registry_number="A-2026-000001")
    assert lease.claim(t.pk, "w3", 60) is None  # finished work is never run again


@pytest.mark.django_db(transaction=True)
def test_the_heartbeat_keeps_a_live_workers_lease() -> None:
    t = _task()
    lease.claim(t.pk, "w1", 0.6)
    with lease.Heartbeat(t.pk, "w1", 0.6):
        time.sleep(1.0)
        assert QueuedTask.objects.get(pk=t.pk).lease_until > timezone.now()
    assert lease.stale() == []


def _start_worker(home: Path, *args: str, **env: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "cli.main", "worker", *args],
        cwd=REPO, env=sijill_env(home, env), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        start_new_session=True,
    )  # fmt: skip


def _stop(proc: subprocess.Popen, sig: int = signal.SIGINT) -> str:
    if proc.poll() is None:
        os.killpg(proc.pid, sig)
    try:
        _, errors = proc.communicate(timeout=60)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        _, errors = proc.communicate()
    return errors


def _mail(folder: Path, n: int) -> list[bytes]:
    folder.mkdir(parents=True, exist_ok=True)
    base = letters.FRENCH_LETTERS[0]
    pdfs = [letters.born_digital_pdf(letters.Letter("fr", [*base.lines, f"Pièce n° {i}"])) for i in range(n)]
    for i, pdf in enumerate(pdfs):
        (folder / f"{i}.pdf").write_bytes(pdf)
    return pdfs


def test_queued_files_are_read_by_a_worker(home: Path, tmp_path: Path) -> None:
    src = tmp_path / "in"
    pdfs = _mail(src, 2)
    (src / "copy.pdf").write_bytes(pdfs[0])
    (src / "broken.pdf").write_bytes(b"%PDF-1.7\n1 0 obj <<")
    worker = _start_worker(home, "--concurrency", "2")
    try:
        res = run_sijill(home, "ingest", "--queue", "--json", str(src), timeout=300)
    except subprocess.TimeoutExpired as exc:
        res = exc  # say what the queue holds and what the worker said, rather than only "timed out"
    errors = _stop(worker)
    if isinstance(res, subprocess.TimeoutExpired):
        tasks = catalogue_rows(home, "SELECT id, filename, status, attempts, reason FROM ingest_queuedtask")
        pytest.fail(f"files not all read in 300 s; tasks: {tasks}\ningest: {res.stderr!r}\nworker: {errors}")
    rows = [json.loads(line) for line in res.stdout.splitlines()]
    statuses = sorted(r["status"] for r in rows)
    assert statuses == ["duplicate", "quarantined", "registered", "registered"], (res.stderr, errors)
    assert res.returncode == 1  # one file was quarantined
    assert "Traceback" not in errors
    numbers = sorted(r["registry_number"] for r in rows if r["status"] == "registered")
    assert numbers == [f"A-{numbers[0][2:6]}-00000{i}" for i in (1, 2)]
    hits = json.loads(run_sijill(home, "search", "Pièce", "--json").stdout)["hits"]
    assert len(hits) == 2  # the worker brought the index up to date


NO_REDIS = pytest.mark.skipif(
    not redisserver.available(), reason="redis-server is not installed (make test installs it)"
)


@pytest.fixture(params=["catalogue's queue", pytest.param("redis", marks=NO_REDIS)])
def queue_env(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[dict[str, str]]:
    """The default queue (embedded SQLite, or PostgreSQL in that pass), then Redis."""
    if request.param != "redis":
        yield {}
        return
    with redisserver.running(tmp_path / "redis") as url:
        yield {"SIJILL_QUEUE": "redis", "SIJILL_REDIS_URL": url}


@pytest.mark.parametrize("step", ["after_original_put", "after_commit"])
def test_a_worker_killed_mid_task_loses_nothing(
    home: Path, tmp_path: Path, queue_env: dict[str, str], step: str
) -> None:
    """Worker 1 is killed (SIGKILL) while it holds a task, before or after its registration
    committed; worker 2 takes it over once the lease runs out. Every file is registered exactly
    once, numbers gapless, and the task taken over says so (its own work is no duplicate)."""
    src = tmp_path / "in"
    _mail(src, 4)
    lease_env = {"SIJILL_TASK_LEASE": "3", **queue_env}
    doomed = _start_worker(home, **lease_env, SIJILL_FAILPOINT=f"{step}:kill")
    follower = subprocess.Popen(
        [sys.executable, "-m", "cli.main", "ingest", "--queue", "--json", str(src)],
        cwd=REPO, env=sijill_env(home, queue_env), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    doomed.wait(timeout=120)
    assert doomed.returncode == -signal.SIGKILL  # died holding a task
    survivor = _start_worker(home, **lease_env)
    try:
        out, errors = follower.communicate(timeout=300)
    finally:
        worker_errors = _stop(survivor)
    rows = [json.loads(line) for line in out.splitlines()]
    assert sorted(r["status"] for r in rows) == ["registered"] * 4, (errors, worker_errors)
    entries = [n for (n,) in catalogue_rows(home, "SELECT number FROM archive_registryentry ORDER BY number")]
    assert len(entries) == 4 and [e[-6:] for e in entries] == ["000001", "000002", "000003", "000004"]
    attempts = [a for (a,) in catalogue_rows(home, "SELECT attempts FROM ingest_queuedtask")]
    assert max(attempts) == 2  # the killed worker's task ran a second time, elsewhere
    if queue_env:
        assert not (home / "queue.sqlite3").exists()  # the messages went through Redis


@pytest.mark.django_db(transaction=True)
def test_periodic_jobs_seal_the_access_log_and_sample_fixity(tmp_path: Path) -> None:
    from archive import access
    from archive.models import AuditEvent
    from config import sijill
    from ingest.queue import periodic

    settings = sijill.load({"SIJILL_HOME": str(tmp_path / "home")})
    access.record_access("agent", "viewed", "A-2026-000001")
    assert periodic.seal_access_log() == 1
    assert periodic.fixity_sample(settings) == {"checked": 0, "problems": 0}
    event = AuditEvent.objects.get(action="fixity_checked")
    assert event.details["ok"] is True and event.target == "fsck"


def test_failed_tasks_are_listed_and_queued_again(home: Path) -> None:
    assert run_sijill(home, "list").returncode == 0
    catalogue_rows(home, "SELECT 1")  # the catalogue exists
    from tests.fixtures import pgtest

    sql = ("INSERT INTO ingest_queuedtask (batch, filename, incoming_key, sha256, size, options, actor, status, "
           "attempts, worker, registry_number, reason_code, reason, pages, created_at, updated_at) VALUES "
           "('b', 'lettre.pdf', 'incoming/x', 'x', 1, '{}', 'clerk', 'failed', 5, 'w', '', 'storage_unavailable', "
           "'S3 down', 0, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)")  # fmt: skip
    url = pgtest.database_for(home)
    if url:
        import psycopg

        with psycopg.connect(url, autocommit=True) as db:
            db.execute(sql)
    else:
        import sqlite3

        with sqlite3.connect(home / "catalogue.sqlite3") as db:
            db.execute(sql)
    listed = run_sijill(home, "tasks", "--status", "failed", "--json")
    [row] = [json.loads(x) for x in listed.stdout.splitlines()]
    assert row["reason_code"] == "storage_unavailable" and row["attempts"] == 5
    retried = run_sijill(home, "tasks", "--status", "failed", "--retry")
    assert "1 failed task(s) queued again" in retried.stderr
    [row] = [json.loads(x) for x in run_sijill(home, "tasks", "--json").stdout.splitlines()]
    assert row["status"] == "queued" and row["attempts"] == 0


@pytest.mark.django_db(transaction=True)
def test_a_page_job_is_claimed_once_and_a_dead_readers_page_is_taken_over() -> None:
    from ingest.models import PageJob
    from ingest.queue import pages
    from ingest.worker import PageResult

    job = PageJob.objects.create(task=_task(), index=2)
    assert pages.claim(job.pk, "w1", 60) is not None
    assert pages.claim(job.pk, "w2", 60) is None
    PageJob.objects.filter(pk=job.pk).update(lease_until=timezone.now() - dt.timedelta(seconds=1))
    assert pages.claim(job.pk, "w2", 60) is not None  # w1 stopped renewing: w2 reads it
    result = PageResult(index=2, text="Oujda", confidence=91.0, languages=["fra"], rotation=0, skew=0.0, pdf=b"%PDF")
    assert not pages.done(job.pk, "w1", result)  # the dead reader's late result is ignored
    assert pages.done(job.pk, "w2", result)
    row = PageJob.objects.get(pk=job.pk)
    assert row.status == "done" and row.result["text"] == "Oujda" and bytes(row.pdf) == b"%PDF"
    assert pages.claim(job.pk, "w3", 60) is None
    pages.forget(job.task_id)
    assert bytes(PageJob.objects.get(pk=job.pk).pdf) == b""  # the layer lives on in the searchable copy


@pytest.mark.ocr
def test_a_long_scan_is_read_by_every_free_worker_a_page_each(home: Path, tmp_path: Path) -> None:
    towns = ["Tanger", "Oujda", "Agadir", "Meknès"]
    base = letters.FRENCH_LETTERS[0]
    images = [
        letters.scan(letters.render(letters.Letter("fr", [*base.lines[:6], f"Annexe {i + 1} : ville de {town}"]), 200))
        for i, town in enumerate(towns)
    ]
    src = tmp_path / "in"
    src.mkdir()
    (src / "long.pdf").write_bytes(letters.to_pdf(images, dpi=200))
    env = {"SIJILL_SPLIT_PAGES": "2"}
    workers = [_start_worker(home, "--concurrency", "1", "--ocr-processes", "1", **env) for _ in range(2)]
    try:
        res = run_sijill(home, "ingest", "--queue", "--json", str(src), timeout=300)
    finally:
        errors = [_stop(w) for w in workers]
    assert [json.loads(line)["status"] for line in res.stdout.splitlines()] == ["registered"], (res.stderr, errors)
    jobs = catalogue_rows(home, 'SELECT "index", status, worker FROM ingest_pagejob ORDER BY "index"')
    assert [(i, s) for i, s, _ in jobs] == [(0, "done"), (1, "done"), (2, "done"), (3, "done")]
    assert len({w for _, _, w in jobs}) == 2, errors  # both workers read some of its pages
    for town in towns:
        hits = json.loads(run_sijill(home, "search", town, "--json").stdout)["hits"]
        assert len(hits) == 1, town  # every page's text reached the letter


def _wait_for(home: Path, sql: str, want, timeout: float = 90) -> list[tuple]:
    deadline = time.monotonic() + timeout
    while (rows := catalogue_rows(home, sql)) != want and time.monotonic() < deadline:
        time.sleep(0.3)
    return rows


def test_training_runs_on_a_worker_and_every_worker_reads_with_the_new_model(home: Path, tmp_path: Path) -> None:
    pdfs = _mail(tmp_path / "in", 2)
    (tmp_path / "first").mkdir()
    (tmp_path / "first" / "a.pdf").write_bytes(pdfs[0])
    (tmp_path / "second").mkdir()
    (tmp_path / "second" / "b.pdf").write_bytes(pdfs[1])
    worker = _start_worker(home)
    try:
        first = json.loads(run_sijill(home, "ingest", "--queue", "--json", str(tmp_path / "first")).stdout)
        old = json.loads(run_sijill(home, "show", first["registry_number"], "--json").stdout)["type"]["model_version"]
        assert run_sijill(home, "tag", first["registry_number"], "--type", "reclamation").returncode == 0
        res = run_sijill(home, "train", "--queue")
        assert res.returncode == 0 and "Training queued" in res.stdout, res.stderr
        current = f"SELECT count(*) FROM ingest_trainedmodel WHERE current AND version <> '{old}'"
        assert _wait_for(home, current, [(1,)]) == [(1,)]  # a worker trained it
        second = json.loads(run_sijill(home, "ingest", "--queue", "--json", str(tmp_path / "second")).stdout)
    finally:
        errors = _stop(worker)
    new = json.loads(run_sijill(home, "show", second["registry_number"], "--json").stdout)["type"]["model_version"]
    assert new != old, errors  # the running worker loaded the new model before its next file
    assert catalogue_rows(home, "SELECT n_examples FROM ingest_trainedmodel WHERE current")[0][0] > 0
