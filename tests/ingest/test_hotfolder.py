"""Scanners' hot folders: a slowly written file is taken only once complete, a batch is cut at
Sijill's separator sheets (each letter routed as its sheet's QR code says), and every file ends
in .done/ or .quarantine/ with its bytes untouched."""

from __future__ import annotations

import hashlib
import io
import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pikepdf

from ingest.intake import FileKind
from ingest.split import letters as split_letters
from ingest.split import read_payload, separator_sheet
from tests.conftest import REPO, run_sijill, sijill_env
from tests.fixtures import letters


def _pdf(*parts: bytes) -> bytes:
    out = pikepdf.new()
    for data in parts:
        with pikepdf.open(io.BytesIO(data)) as src:
            out.pages.extend(src.pages)
    buf = io.BytesIO()
    out.save(buf)
    return buf.getvalue()


def _letter(words: str) -> bytes:
    return letters.born_digital_pdf(letters.Letter("fr", [*letters.FRENCH_LETTERS[0].lines[:4], words]))


def test_a_separator_sheets_qr_code_names_the_service(tmp_path: Path) -> None:
    assert read_payload("SIJILL-SEPARATOR;service=urbanisme") == {"service": "urbanisme"}
    assert read_payload("https://example.org") is None
    batch = tmp_path / "batch.pdf"
    batch.write_bytes(_pdf(_letter("Lettre un"), separator_sheet(service="etat_civil"), _letter("Lettre deux"),
                           separator_sheet(), _letter("Lettre trois")))  # fmt: skip
    assert split_letters(batch, FileKind.PDF) == [([0], {}), ([2], {"service": "etat_civil"}), ([4], {})]


def test_the_separator_sheet_command_prints_the_service_in_its_qr_code(home: Path, tmp_path: Path) -> None:
    sheet = tmp_path / "sheet.pdf"
    res = run_sijill(home, "migrate", "separator-sheet", str(sheet), "--service", "urbanisme")
    assert res.returncode == 0 and "urbanisme" in res.stdout, res.stderr
    batch = tmp_path / "batch.pdf"
    batch.write_bytes(_pdf(sheet.read_bytes(), _letter("Lettre")))
    assert split_letters(batch, FileKind.PDF) == [([1], {"service": "urbanisme"})]
    bad = run_sijill(home, "migrate", "separator-sheet", str(tmp_path / "x.pdf"), "--service", "nowhere")
    assert bad.returncode == 2 and "Unknown service" in bad.stderr


def _slow_write(path: Path, data: bytes, chunks: int = 8, pause: float = 0.4) -> threading.Thread:
    def write() -> None:
        step = len(data) // chunks + 1
        with path.open("wb") as f:
            for i in range(0, len(data), step):
                f.write(data[i : i + step])
                f.flush()
                time.sleep(pause)

    thread = threading.Thread(target=write)
    thread.start()
    return thread


def test_hot_folder_end_to_end(home: Path, tmp_path: Path) -> None:
    scans = tmp_path / "scanner"
    scans.mkdir()
    env = {"SIJILL_WATCH_SETTLE": "1"}
    procs = [
        subprocess.Popen([sys.executable, "-m", "cli.main", *args], cwd=REPO, env=sijill_env(home, env),
                         stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, start_new_session=True)
        for args in (["worker"], ["watch", str(scans), "--service", "finances"])
    ]  # fmt: skip
    files = {
        "slow.pdf": _letter("Arrivée lente par le scanner"),
        "batch.pdf": _pdf(separator_sheet(service="urbanisme"), _letter("Permis de construire Anfa"),
                          separator_sheet(service="etat_civil"), _letter("Acte de naissance Hay Hassani")),
        "notes.txt": b"not a scan at all\n",
    }  # fmt: skip
    try:
        writer = _slow_write(scans / "slow.pdf", files["slow.pdf"])
        (scans / "batch.pdf").write_bytes(files["batch.pdf"])
        (scans / "notes.txt").write_bytes(files["notes.txt"])
        writer.join()
        deadline = time.monotonic() + 120
        while [p.name for p in scans.iterdir() if p.is_file()] and time.monotonic() < deadline:
            time.sleep(0.3)
    finally:
        errors = []
        for p in procs:
            os.killpg(p.pid, signal.SIGINT)
            errors.append(p.communicate(timeout=60)[1])
    done = sorted(p.name for p in (scans / ".done").iterdir())
    assert done == ["batch.pdf", "slow.pdf"], errors
    quarantined = sorted(p.name for p in (scans / ".quarantine").iterdir())
    assert quarantined == ["notes.txt", "notes.txt.reason.txt"]
    assert (
        "unsupported_type" in (scans / ".quarantine" / "notes.txt.reason.txt").read_text()
        or "PDF" in (scans / ".quarantine" / "notes.txt.reason.txt").read_text()
    )
    for name, data in files.items():  # moved, never rewritten
        moved = scans / (".quarantine" if name == "notes.txt" else ".done") / name
        assert hashlib.sha256(moved.read_bytes()).hexdigest() == hashlib.sha256(data).hexdigest()
    rows = [json.loads(line) for line in run_sijill(home, "list", "--json").stdout.splitlines()]
    by_words = {}
    for r in rows:
        text = json.loads(run_sijill(home, "show", r["registry_number"], "--json").stdout)["text"]
        by_words[next(w for w in ("lente", "Anfa", "Hassani") if w in text)] = r["services"]
    assert by_words == {"lente": ["finances"], "Anfa": ["urbanisme"], "Hassani": ["etat_civil"]}
