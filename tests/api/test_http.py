"""The API over real HTTP, against `sijill serve` (gunicorn and a worker): a scanner's script
gets a token, hands a letter in, follows its task, finds it, corrects it and fetches it back."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

import requests

from tests.conftest import REPO, run_sijill, sijill_env
from tests.fixtures import s3server

PASSWORD = "scanner-secret-42"


def test_a_letter_through_the_api_end_to_end(home: Path, french_born_pdf: bytes) -> None:
    added = run_sijill(home, "user", "add", "scanner", "--role", "clerk", env={"SIJILL_USER_PASSWORD": PASSWORD})
    assert added.returncode == 0, added.stderr
    port = s3server.free_port()
    base = f"http://127.0.0.1:{port}/api"
    proc = subprocess.Popen(
        [sys.executable, "-m", "cli.main", "serve", "--port", str(port)], cwd=REPO, env=sijill_env(home),
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                res = requests.post(f"{base}/token/", json={"username": "scanner", "password": PASSWORD}, timeout=5)
                break
            except requests.ConnectionError:
                assert time.monotonic() < deadline, "sijill serve did not answer"
                time.sleep(0.3)
        assert res.status_code == 200, res.text
        auth = {"Authorization": f"Token {res.json()['token']}"}
        assert requests.get(f"{base}/mail/", timeout=10).status_code == 401

        res = requests.post(f"{base}/mail/", headers=auth, timeout=30, files={"file": ("facture.pdf", french_born_pdf)},
                            data={"services": "finances", "subject": "Facture fournitures"})  # fmt: skip
        assert res.status_code == 202, res.text
        task_url = f"{base}/tasks/{res.json()['task']}/"
        deadline = time.monotonic() + 120
        while (task := requests.get(task_url, headers=auth, timeout=10).json())["status"] not in (
            "registered",
            "failed",
        ):
            assert time.monotonic() < deadline, task
            time.sleep(0.3)
        assert task["status"] == "registered", task
        number = task["registry_number"]

        # The worker indexes in the background, a moment after it registers: the letter is
        # searchable within seconds, not at the instant its task says "registered".
        deadline = time.monotonic() + 30
        while (found := requests.get(f"{base}/mail/", params={"q": "Atlas"}, headers=auth, timeout=10).json())[
            "count"
        ] == 0 and time.monotonic() < deadline:
            time.sleep(0.3)
        assert found["count"] == 1 and found["results"][0]["registry_number"] == number
        hit = found["results"][0]
        assert hit["subject"]["value"] == "Facture fournitures" and hit["services"] == ["finances"]

        res = requests.patch(f"{base}/mail/{number}/", json={"type": "facture", "status": "in_progress"},
                             headers=auth, timeout=10)  # fmt: skip
        assert res.status_code == 200 and res.json()["status"] == "in_progress", res.text
        original = requests.get(f"{base}/mail/{number}/original", headers=auth, timeout=10)
        assert original.status_code == 200 and original.content == french_born_pdf
        schema = requests.get(f"{base}/schema/?format=json", timeout=10)
        assert schema.status_code == 200 and "/api/mail/{number}/original" in schema.json()["paths"]
    finally:
        proc.send_signal(signal.SIGINT)
        _, errors = proc.communicate(timeout=180)
    assert proc.returncode == 0, errors[-2000:]
