"""The catalogue's schema: created once at first start, changed only by `sijill migrate-db`."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import REPO, run_sijill, sijill_env
from tests.fixtures import pgtest


def _empty_catalogue(home: Path, label: str) -> dict[str, str]:
    """Environment of commands on a brand-new catalogue (a new PostgreSQL database, or file)."""
    env = sijill_env(home)
    if pgtest.base_url():
        env["SIJILL_DATABASE_URL"] = pgtest.empty_database(label)
    return env


def test_three_commands_at_once_on_an_empty_catalogue_all_succeed(tmp_path: Path) -> None:
    """Three machines (three SIJILL_HOMEs on PostgreSQL) start together on an empty database."""
    shared = tmp_path / "shared"
    homes = [tmp_path / f"m{i}" for i in range(3)] if pgtest.base_url() else [shared] * 3
    base = _empty_catalogue(shared, "first_start")
    commands = [["list", "--json"], ["doctor"], ["audit", "verify"]]
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "cli.main", *cmd],
            cwd=REPO,
            env={**base, "SIJILL_HOME": str(home)},
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for cmd, home in zip(commands, homes, strict=True)
    ]
    results = [(p.wait(timeout=300), p.stdout.read(), p.stderr.read()) for p in procs]
    for (code, out, errors), cmd in zip(results, commands, strict=True):
        assert code == 0, (cmd, out, errors)
        assert "Traceback" not in errors


@pytest.mark.skipif(bool(pgtest.base_url()), reason="SQLite's journal mode; PostgreSQL has none to switch")
def test_a_command_waits_for_a_new_catalogue_another_is_writing(tmp_path: Path) -> None:
    """Switching a new file to WAL mode fails at once while another connection writes to it,
    whatever the busy timeout: this is how one of two commands started together failed."""
    home = tmp_path / "home"
    home.mkdir()
    writer = sqlite3.connect(home / "catalogue.sqlite3", isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")
    writer.execute("CREATE TABLE first_writer (x)")
    command = subprocess.Popen(
        [sys.executable, "-m", "cli.main", "list", "--json"],
        cwd=REPO,
        env=sijill_env(home),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    time.sleep(3)  # the command has started and met the lock
    assert command.poll() is None, command.communicate()
    writer.execute("COMMIT")
    writer.close()
    out, errors = command.communicate(timeout=120)
    assert command.returncode == 0, errors
    assert "Traceback" not in errors


def test_an_outdated_schema_is_refused_until_migrate_db(tmp_path: Path) -> None:
    home = tmp_path / "home"
    env = _empty_catalogue(home, "outdated")
    run = lambda *args: subprocess.run(  # noqa: E731
        [sys.executable, *args], cwd=REPO, env=env, capture_output=True, text=True, timeout=300
    )
    assert run("-m", "cli.main", "list").returncode == 0  # first start creates the schema
    back = run("manage.py", "migrate", "archive", "0006", "--no-input")  # as if Sijill were upgraded
    assert back.returncode == 0, back.stderr
    refused = run("-m", "cli.main", "list")
    assert refused.returncode == 2
    assert "sijill migrate-db" in " ".join(refused.stderr.split())
    doctor = run("-m", "cli.main", "doctor")
    assert "catalogue schema" in doctor.stdout and "migrate-db" in doctor.stdout and doctor.returncode == 1
    done = run("-m", "cli.main", "migrate-db")
    assert done.returncode == 0 and "up to date" in done.stdout
    assert run("-m", "cli.main", "list").returncode == 0


def test_doctor_reports_the_database_driver_schema_and_rights(home: Path) -> None:
    res = run_sijill(home, "doctor")
    flat = " ".join(res.stdout.split())
    assert "catalogue schema: up to date" in flat and "catalogue rights" in flat
    if pgtest.base_url():
        assert "postgresql driver: psycopg 3" in flat and "usage of schema public yes" in flat


def test_an_unreachable_database_is_a_clear_error_not_a_traceback(home: Path) -> None:
    res = run_sijill(home, "list", env={"SIJILL_DATABASE_URL": "postgresql://nobody@127.0.0.1:1/none"})
    assert res.returncode != 0 and "Traceback" not in res.stderr
    assert "catalogue database did not answer" in " ".join(res.stderr.split())
    doctor = run_sijill(home, "doctor", env={"SIJILL_DATABASE_URL": "postgresql://nobody@127.0.0.1:1/none"})
    assert doctor.returncode == 1 and "catalogue database" in doctor.stdout and "Traceback" not in doctor.stderr
