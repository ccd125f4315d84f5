"""Workers on two "machines" (separate SIJILL_HOMEs) share PostgreSQL and an S3 server; one is
killed with SIGKILL mid-way, and every letter is still registered exactly once, numbers gapless."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import psycopg
import pytest

from tests.conftest import REPO, sijill_env
from tests.fixtures import letters, pgtest, s3server

pytestmark = pytest.mark.skipif(not pgtest.base_url(), reason="runs in the PostgreSQL pass of make test")

LETTERS, SCANS = 30, 4


def _rows(url: str, sql: str) -> list[tuple]:
    with psycopg.connect(url) as db:
        return db.execute(sql).fetchall()


def _worker(env: dict[str, str]) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "cli.main", "worker", "--concurrency", "1", "--ocr-processes", "1"],
        cwd=REPO, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, start_new_session=True,
    )  # fmt: skip


def test_two_workers_one_killed_every_letter_registered_once(tmp_path: Path) -> None:
    src = tmp_path / "in"
    src.mkdir()
    base = letters.FRENCH_LETTERS[0]
    for i in range(LETTERS - SCANS):
        pdf = letters.born_digital_pdf(letters.Letter("fr", [*base.lines, f"Pièce jointe n° {i}"]))
        (src / f"{i:02d}.pdf").write_bytes(pdf)
    for i in range(SCANS - 1):
        page = letters.scan(letters.render(letters.ARABIC_LETTERS[i % len(letters.ARABIC_LETTERS)], 300), angle=0.5 * i)
        (src / f"scan-{i}.png").write_bytes(letters.to_bytes(page, "PNG"))
    # A long scan, queued last: its pages are read by both machines (SIJILL_SPLIT_PAGES, default 4).
    annexes = [letters.Letter("fr", [*base.lines[:5], f"Annexe {n} sur 4"]) for n in range(1, 5)]
    (src / "zz-long-scan.pdf").write_bytes(letters.to_pdf([letters.scan(letters.render(a, 200)) for a in annexes], 200))
    server = s3server.start(tmp_path / "weed")
    db_url = pgtest.database_for(tmp_path / "cluster")
    shared = {
        "SIJILL_DATABASE_URL": db_url, "SIJILL_QUEUE": "postgres", "SIJILL_STORAGE": "s3",
        "SIJILL_S3_ENDPOINT": server.endpoint, "SIJILL_S3_ACCESS_KEY": s3server.ACCESS_KEY,
        "SIJILL_S3_SECRET_KEY": s3server.SECRET_KEY, "SIJILL_S3_BUCKET": "cluster", "SIJILL_TASK_LEASE": "4",
    }  # fmt: skip
    machines = {name: sijill_env(tmp_path / name, shared) for name in ("clerk", "m1", "m2")}
    workers = {name: _worker(machines[name]) for name in ("m1", "m2")}
    try:
        follower = subprocess.Popen(
            [sys.executable, "-m", "cli.main", "ingest", "--queue", "--json", str(src)],
            cwd=REPO, env=machines["clerk"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )  # fmt: skip
        doomed = f"{socket.gethostname()}:{workers['m1'].pid}"
        deadline = time.monotonic() + 240
        held: list[tuple] = []
        while time.monotonic() < deadline:  # kill m1 while it holds a task, after it finished some
            done = _rows(
                db_url, f"SELECT count(*) FROM ingest_queuedtask WHERE worker = '{doomed}' AND status = 'registered'"
            )[0][0]
            if done >= 3:
                # Frozen, m1 cannot finish its task between this look and the kill.
                os.killpg(workers["m1"].pid, signal.SIGSTOP)
                held = _rows(
                    db_url, f"SELECT id FROM ingest_queuedtask WHERE worker = '{doomed}' AND status = 'running'"
                )
                if held:
                    break
                os.killpg(workers["m1"].pid, signal.SIGCONT)
            time.sleep(0.1)
        os.killpg(workers["m1"].pid, signal.SIGKILL)
        workers["m1"].wait(timeout=30)
        out, errors = follower.communicate(timeout=600)
    finally:
        for proc in workers.values():
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGINT)
                try:
                    proc.wait(timeout=60)
                except subprocess.TimeoutExpired:
                    os.killpg(proc.pid, signal.SIGKILL)
        server.stop()
    outcomes = [json.loads(line) for line in out.splitlines()]
    assert len(outcomes) == LETTERS and {o["status"] for o in outcomes} == {"registered"}, errors
    numbers = sorted(n for (n,) in _rows(db_url, "SELECT number FROM archive_registryentry"))
    year = numbers[0][2:6]
    assert numbers == [f"A-{year}-{i:06d}" for i in range(1, LETTERS + 1)]  # once each, gapless
    shas = _rows(db_url, "SELECT count(DISTINCT d.sha256), count(*) FROM archive_document d")
    assert shas == [(LETTERS, LETTERS)]
    by_worker = dict(_rows(db_url, "SELECT split_part(worker, ':', 2), count(*) FROM ingest_queuedtask GROUP BY 1"))
    assert by_worker.get(str(workers["m1"].pid), 0) >= 3 and by_worker.get(str(workers["m2"].pid), 0) >= 1
    pages = _rows(db_url, "SELECT p.status FROM ingest_pagejob p JOIN ingest_queuedtask t ON t.id = p.task_id "
                          "WHERE t.filename = 'zz-long-scan.pdf'")  # fmt: skip
    assert sorted(pages) == [("done",)] * 4
    assert held, "m1 never held a task after finishing three"
    ids = ",".join(str(i) for (i,) in held)
    retaken = _rows(db_url, f"SELECT attempts, status FROM ingest_queuedtask WHERE id IN ({ids})")
    assert all(attempts > 1 and status == "registered" for attempts, status in retaken), retaken  # m2 ran them again
