"""Departure numbers are reserved before signing and never reused: the numbering lock is not
held while signing, a failed signature leaves a voided number, a crash resumes the same one."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from tests.conftest import REPO, run_sijill, sijill_env
from tests.fixtures import letters

ENV = {"SIJILL_SIGNING_PASSWORD": "s3cret"}


@pytest.fixture(scope="module")
def pki(tmp_path_factory: pytest.TempPathFactory) -> Path:
    work = tmp_path_factory.mktemp("pki")
    res = run_sijill(work / "home", "signing", "dev-pki", str(work / "pki"), env=ENV)
    assert res.returncode == 0, res.stderr
    return work / "pki" / "signer.p12"


def _letter(path: Path, n: int) -> Path:
    base = letters.FRENCH_LETTERS[0]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(letters.born_digital_pdf(letters.Letter("fr", [*base.lines, f"Réponse n° {n}"])))
    return path


class SlowBrokenTsa:
    """A time-stamping server that answers with an error after ``delay_s``, or as soon as
    ``release()`` is called."""

    def __init__(self, delay_s: float) -> None:
        delay = delay_s
        self._released = released = threading.Event()

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                self.rfile.read(int(self.headers.get("Content-Length") or 0))
                released.wait(delay)
                self.send_response(503)
                self.end_headers()

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def release(self) -> None:
        self._released.set()

    def close(self) -> None:
        self._released.set()
        self.server.shutdown()


def _listed(home: Path) -> list[dict]:
    return [json.loads(x) for x in run_sijill(home, "list", "--json").stdout.splitlines()]


def test_a_failed_signature_voids_its_number_and_the_next_gets_a_new_one(pki: Path, tmp_path: Path) -> None:
    home = tmp_path / "home"
    letter = _letter(tmp_path / "out" / "reponse.pdf", 1)
    tsa = SlowBrokenTsa(0)
    try:
        failed = run_sijill(home, "sign", str(letter), "--key", str(pki), "--json",
                            env={**ENV, "SIJILL_TSA_URL": tsa.url})  # fmt: skip
    finally:
        tsa.close()
    out = json.loads(failed.stdout)
    assert failed.returncode == 1 and out["status"] == "failed" and "is marked void" in out["reason"]
    signed = run_sijill(home, "sign", str(letter), "--key", str(pki), "--json", env=ENV)
    assert json.loads(signed.stdout)["status"] == "signed", signed.stderr
    rows = _listed(home)
    assert [(r["registry_number"][-6:], r["voided"]) for r in rows] == [("000001", True), ("000002", False)]
    assert "signing failed" in rows[0]["void_reason"]
    assert json.loads(signed.stdout)["number"] == rows[1]["registry_number"]
    export = run_sijill(home, "registry", "export", "--year", rows[0]["registry_number"][2:6], "--format", "csv")
    assert "annulé / ملغى" in export.stdout  # the register keeps the voided line, marked


def test_registration_goes_on_while_a_letter_waits_for_a_slow_tsa(pki: Path, tmp_path: Path,
                                                                  french_born_pdf: bytes) -> None:  # fmt: skip
    home = tmp_path / "home"
    letter = _letter(tmp_path / "out" / "reponse.pdf", 2)
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "demande.pdf").write_bytes(french_born_pdf)
    assert run_sijill(home, "list").returncode == 0
    tsa = SlowBrokenTsa(100)  # answers only once the ingest below is done
    try:
        signing = subprocess.Popen(
            [sys.executable, "-m", "cli.main", "sign", str(letter), "--key", str(pki), "--json"],
            cwd=REPO, env=sijill_env(home, {**ENV, "SIJILL_TSA_URL": tsa.url, "SIJILL_TSA_TIMEOUT": "120"}),
            stdout=subprocess.PIPE, text=True,
        )  # fmt: skip
        deadline = time.monotonic() + 60
        while not any(r["registry_number"].startswith("D-") for r in _listed(home)) and time.monotonic() < deadline:
            time.sleep(0.2)  # the departure number is reserved; the signer now waits on the TSA
        started = time.monotonic()
        res = run_sijill(home, "ingest", "--json", str(tmp_path / "in"))
        took = time.monotonic() - started
        assert res.returncode == 0 and json.loads(res.stdout)["status"] == "registered"
        assert signing.poll() is None, "the signer should still be waiting on the TSA"
        assert took < 60  # registered while a departure waits for its signature
        tsa.release()
        signing.communicate(timeout=120)
    finally:
        tsa.close()


def test_a_crash_after_signing_resumes_the_same_number(pki: Path, tmp_path: Path) -> None:
    home = tmp_path / "home"
    letter = _letter(tmp_path / "out" / "reponse.pdf", 3)
    crashed = run_sijill(home, "sign", str(letter), "--key", str(pki),
                         env={**ENV, "SIJILL_FAILPOINT": "after_signed_put:kill"})  # fmt: skip
    assert crashed.returncode == -9
    [reserved] = _listed(home)
    assert reserved["awaiting_signature"] and not reserved["voided"]
    done = json.loads(run_sijill(home, "sign", str(letter), "--key", str(pki), "--json", env=ENV).stdout)
    assert done["status"] == "signed" and done["number"] == reserved["registry_number"]
    [row] = _listed(home)
    assert not row["awaiting_signature"] and not row["voided"]


def test_signed_copies_never_overwrite_a_file(pki: Path, tmp_path: Path) -> None:
    home = tmp_path / "home"
    a = _letter(tmp_path / "a" / "lettre.pdf", 4)
    b = _letter(tmp_path / "b" / "lettre.pdf", 5)  # same name, another letter
    out = tmp_path / "signed"
    out.mkdir()
    (out / "lettre.signed.pdf").write_bytes(b"a clerk's own file")
    res = run_sijill(home, "sign", str(a), str(b), "--key", str(pki), "--out", str(out), "--json", env=ENV)
    rows = [json.loads(x) for x in res.stdout.splitlines()]
    assert [r["status"] for r in rows] == ["signed", "signed"], res.stderr
    outputs = {r["output"] for r in rows}
    assert len(outputs) == 2 and str(out / "lettre.signed.pdf") not in outputs
    assert (out / "lettre.signed.pdf").read_bytes() == b"a clerk's own file"
    assert all(r["number"] in Path(o).name for r, o in zip(rows, [r["output"] for r in rows], strict=True))
