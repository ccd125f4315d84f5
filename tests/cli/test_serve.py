"""`sijill serve`: the web application and a worker on one machine, started and stopped together."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from tests.conftest import REPO, run_sijill, sijill_env
from tests.fixtures import s3server


def test_serve_runs_the_web_and_a_worker_and_stops_both(home: Path, tmp_path: Path, french_born_pdf: bytes) -> None:
    port = s3server.free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "cli.main", "serve", "--port", str(port)], cwd=REPO, env=sijill_env(home),
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        deadline, status = time.monotonic() + 60, None
        while time.monotonic() < deadline and status is None:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/search/", timeout=2)
            except urllib.error.HTTPError as exc:
                status = exc.code
            except OSError:
                time.sleep(0.3)
                continue
            else:
                status = 200
        assert status in (200, 302), status  # answering (the page asks for a login)
        (tmp_path / "in").mkdir()
        (tmp_path / "in" / "lettre.pdf").write_bytes(french_born_pdf)
        res = run_sijill(home, "ingest", "--queue", "--json", str(tmp_path / "in"), timeout=120)
        assert json.loads(res.stdout)["status"] == "registered", res.stderr  # read by serve's worker
    finally:
        proc.send_signal(signal.SIGINT)
        out, errors = proc.communicate(timeout=180)
    assert proc.returncode == 0, errors[-2000:]
