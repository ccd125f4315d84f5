from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.fixtures import letters

REPO = Path(__file__).resolve().parent.parent


def run_sijill(
    home: Path, *args: str, env: dict[str, str] | None = None, timeout: int = 600
) -> subprocess.CompletedProcess:
    """Run the real `sijill` command in a fresh process with its own SIJILL_HOME."""
    full_env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "SIJILL_HOME": str(home),
        "SIJILL_WORKERS": "2",
        **(env or {}),
    }
    return subprocess.run(
        [sys.executable, "-m", "cli.main", *args],
        cwd=REPO,
        env=full_env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


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
