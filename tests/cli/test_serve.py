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


def _serve(home: Path, *args: str) -> tuple[subprocess.Popen, int]:
    port = s3server.free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "cli.main", "serve", "--port", str(port), *args], cwd=REPO, env=sijill_env(home),
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
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
    return proc, port


def test_serve_runs_the_web_and_a_worker_and_stops_both(home: Path, tmp_path: Path, french_born_pdf: bytes) -> None:
    proc, _ = _serve(home)
    try:
        (tmp_path / "in").mkdir()
        (tmp_path / "in" / "lettre.pdf").write_bytes(french_born_pdf)
        res = run_sijill(home, "ingest", "--queue", "--json", str(tmp_path / "in"), timeout=120)
        assert json.loads(res.stdout)["status"] == "registered", res.stderr  # read by serve's worker
    finally:
        proc.send_signal(signal.SIGINT)
        out, errors = proc.communicate(timeout=180)
    assert proc.returncode == 0, errors[-2000:]


def _children(pid: int) -> list[str]:
    found = subprocess.run(["pgrep", "-a", "-P", str(pid)], capture_output=True, text=True).stdout
    return found.splitlines()


def test_a_web_node_runs_no_worker(home: Path) -> None:
    proc, _ = _serve(home, "--no-worker", "--trusted-proxy", "10.0.0.5")
    try:
        children = _children(proc.pid)
    finally:
        proc.send_signal(signal.SIGINT)
        _, errors = proc.communicate(timeout=180)
    assert any("gunicorn" in c and "10.0.0.5" in c for c in children), children
    assert not any("worker" in c.split("gunicorn")[0] for c in children), children  # no queue worker
    assert proc.returncode == 0 and "web node only" in errors, errors[-2000:]
