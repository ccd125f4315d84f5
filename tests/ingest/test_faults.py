"""A crash or a failure of the machinery at any step never blocks a file and never registers
it twice; only the file's own faults quarantine it."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from config import failpoints
from tests.conftest import REPO, catalogue_rows, run_sijill, sijill_env
from tests.fixtures import pgtest

STEPS = [p for p in failpoints.POINTS if p != "in_ocr_worker"]
FAST_RETRY = {"SIJILL_RETRY_DELAY": "0.05"}


def _ingest(home: Path, src: Path, **env: str) -> subprocess.CompletedProcess:
    return run_sijill(home, "ingest", "--json", str(src), env={**FAST_RETRY, **env})


def _rows(res: subprocess.CompletedProcess) -> list[dict]:
    return [json.loads(line) for line in res.stdout.splitlines()]


def _registered_once(home: Path, src: Path) -> None:
    entries = catalogue_rows(home, "SELECT number FROM archive_registryentry")
    docs = catalogue_rows(home, "SELECT count(*) FROM archive_document")[0][0]
    assert [n for (n,) in entries] == [entries[0][0]] and docs == 1
    assert entries[0][0].endswith("-000001")  # the crash used up no number
    again = _rows(_ingest(home, src))
    assert [r["status"] for r in again] == ["duplicate"]
    check = run_sijill(home, "audit", "verify")
    assert check.returncode == 0, check.stdout


def _crash_then_rerun(tmp_path: Path, name: str, data: bytes, step: str) -> None:
    src = tmp_path / "in"
    src.mkdir()
    (src / name).write_bytes(data)
    home = tmp_path / "home"
    crashed = _ingest(home, src, SIJILL_FAILPOINT=f"{step}:kill")
    assert crashed.returncode == -9, crashed.stderr  # killed at that step, as by kill -9
    rerun = _ingest(home, src)
    assert rerun.returncode == 0, rerun.stderr
    assert [r["status"] for r in _rows(rerun)] == ["registered" if step != "after_commit" else "duplicate"]
    _registered_once(home, src)


@pytest.mark.parametrize("step", [s for s in STEPS if s != "after_searchable_put"])  # its text layer is kept
def test_born_digital_pdf_crash_at_each_step(tmp_path: Path, step: str, french_born_pdf: bytes) -> None:
    _crash_then_rerun(tmp_path, "lettre.pdf", french_born_pdf, step)


@pytest.mark.ocr
@pytest.mark.parametrize("step", STEPS)
def test_scan_crash_at_each_step(tmp_path: Path, step: str, arabic_scan_png: bytes) -> None:
    _crash_then_rerun(tmp_path, "scan.png", arabic_scan_png, step)


def test_transient_failures_are_retried_never_quarantined(tmp_path: Path, french_born_pdf: bytes) -> None:
    src = tmp_path / "in"
    src.mkdir()
    (src / "lettre.pdf").write_bytes(french_born_pdf)
    home = tmp_path / "home"
    res = _ingest(home, src, SIJILL_FAILPOINT="after_original_put:raise:2")
    assert [r["status"] for r in _rows(res)] == ["registered"], res.stderr
    assert "attempt 2 failed" in res.stderr
    assert catalogue_rows(home, "SELECT count(*) FROM archive_quarantinedfile")[0][0] == 0


def test_exhausted_retries_fail_the_file_and_the_next_run_registers_it(tmp_path: Path, french_born_pdf: bytes) -> None:
    src = tmp_path / "in"
    src.mkdir()
    (src / "lettre.pdf").write_bytes(french_born_pdf)
    home = tmp_path / "home"
    res = _ingest(home, src, SIJILL_FAILPOINT="before_commit:raise:9", SIJILL_RETRIES="3")
    [row] = _rows(res)
    assert res.returncode == 1 and row["status"] == "failed" and row["reason_code"] == "transient"
    assert catalogue_rows(home, "SELECT count(*) FROM archive_quarantinedfile")[0][0] == 0
    assert [r["status"] for r in _rows(_ingest(home, src))] == ["registered"]
    _registered_once(home, src)


@pytest.mark.ocr
def test_a_killed_ocr_worker_is_replaced_and_the_page_read_again(tmp_path: Path, arabic_scan_png: bytes) -> None:
    src = tmp_path / "in"
    src.mkdir()
    (src / "scan.png").write_bytes(arabic_scan_png)
    home = tmp_path / "home"
    env = {"SIJILL_FAILPOINT": "in_ocr_worker:kill_once", "SIJILL_FAILPOINT_MARK": str(tmp_path / "mark")}
    res = _ingest(home, src, **env)
    assert [r["status"] for r in _rows(res)] == ["registered"], res.stderr
    assert "OCR worker died" in res.stderr and (tmp_path / "mark").exists()


@pytest.mark.skipif(bool(pgtest.base_url()), reason="SQLite's file lock; PostgreSQL locks rows")
def test_a_locked_catalogue_is_waited_out_not_fatal(tmp_path: Path, french_born_pdf: bytes) -> None:
    """Another process holds the write lock longer than the busy timeout: retried, registered."""
    home = tmp_path / "home"
    assert run_sijill(home, "list").returncode == 0  # creates the catalogue
    src = tmp_path / "in"
    src.mkdir()
    (src / "lettre.pdf").write_bytes(french_born_pdf)
    held = threading.Event()

    def hold_lock() -> None:
        db = sqlite3.connect(home / "catalogue.sqlite3", isolation_level=None)
        db.execute("BEGIN IMMEDIATE")
        held.set()
        time.sleep(8)
        db.execute("ROLLBACK")
        db.close()

    t = threading.Thread(target=hold_lock)
    t.start()
    held.wait()
    env = sijill_env(home, {"SIJILL_DB_BUSY_TIMEOUT": "1", "SIJILL_RETRY_DELAY": "1", "SIJILL_RETRIES": "5"})
    res = subprocess.run(
        [sys.executable, "-m", "cli.main", "ingest", "--json", str(src)], cwd=REPO, env=env,
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    t.join()
    assert res.returncode == 0, res.stderr
    assert [r["status"] for r in _rows(res)] == ["registered"]
    assert "database" in res.stderr  # the wait was reported, not hidden
