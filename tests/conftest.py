from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.fixtures import letters, pgtest

REPO = Path(__file__).resolve().parent.parent


def run_sijill(
    home: Path, *args: str, env: dict[str, str] | None = None, timeout: int = 600
) -> subprocess.CompletedProcess:
    """Run the real `sijill` command in a fresh process with its own SIJILL_HOME.

    On a PostgreSQL test run each SIJILL_HOME gets its own test database, as on SQLite it
    gets its own catalogue file: never the database named in the URL itself.
    """
    return subprocess.run(
        [sys.executable, "-m", "cli.main", *args],
        cwd=REPO,
        env=sijill_env(home, env),
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def sijill_env(home: Path, env: dict[str, str] | None = None) -> dict[str, str]:
    """Environment of a `sijill` subprocess working on ``home`` (and its own test database)."""
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "SIJILL_HOME": str(home),
        "SIJILL_WORKERS": "2",
        **pgtest.env_for(home),
        **(env or {}),
    }


def catalogue_rows(home: Path, sql: str, timeout: float = 5) -> list[tuple]:
    """Rows of ``sql`` read straight from ``home``'s catalogue, as an outside observer would."""
    url = pgtest.database_for(home)
    if url is None:
        import sqlite3

        with sqlite3.connect(home / "catalogue.sqlite3", timeout=timeout) as db:
            return db.execute(sql).fetchall()
    import psycopg

    with psycopg.connect(url, connect_timeout=int(timeout)) as db:
        return db.execute(sql).fetchall()


@pytest.fixture(scope="session", autouse=True)
def _drop_subprocess_databases():
    yield
    pgtest.drop_all()


@pytest.fixture
def home(tmp_path: Path) -> Path:
    h = tmp_path / "home"
    h.mkdir()
    return h


@pytest.fixture(scope="session")
def arabic_scan_png() -> bytes:
    return letters.to_bytes(letters.scan(letters.render(letters.ARABIC_LETTERS[0], 300), angle=1.0), "PNG")


@pytest.fixture(scope="session")
def french_scan_tiff() -> bytes:
    return letters.to_bytes(letters.scan(letters.render(letters.FRENCH_LETTERS[0], 300), angle=-1.0), "TIFF-G4")


@pytest.fixture(scope="session")
def french_born_pdf() -> bytes:
    return letters.born_digital_pdf(letters.FRENCH_LETTERS[0])
