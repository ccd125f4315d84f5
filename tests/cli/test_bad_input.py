"""Every bad-input case is quarantined with its reason, and the rest of the batch goes on."""

from __future__ import annotations

import hashlib
import io
import json
from pathlib import Path

import pikepdf
import pytest
from PIL import Image

from tests.conftest import run_sijill


def _encrypted_pdf(born: bytes) -> bytes:
    buf = io.BytesIO()
    with pikepdf.open(io.BytesIO(born)) as pdf:
        pdf.save(buf, encryption=pikepdf.Encryption(user="secret", owner="owner"))
    return buf.getvalue()


def _big_png() -> bytes:
    # 6000×6000 white bilevel: tiny on disk, 36 Mpx decoded, over the 20 Mpx limit set below.
    buf = io.BytesIO()
    Image.new("1", (6000, 6000), 1).save(buf, "PNG")
    return buf.getvalue()


@pytest.fixture(scope="module")
def bad_batch(tmp_path_factory: pytest.TempPathFactory, french_born_pdf: bytes, arabic_scan_png: bytes):
    src = tmp_path_factory.mktemp("batch")
    files = {
        "good-born.pdf": french_born_pdf,
        "good-scan.png": arabic_scan_png,
        "empty.pdf": b"",
        "notes.docx": b"PK\x03\x04 this is a zip container, not a scan",
        "encrypted.pdf": _encrypted_pdf(french_born_pdf),
        "truncated.pdf": french_born_pdf[: len(french_born_pdf) // 2],
        "corrupt.jpg": b"\xff\xd8\xff\xe0" + b"\x00garbage" * 50,
        "bomb.png": _big_png(),
    }
    for name, data in files.items():
        (src / name).write_bytes(data)
    home = tmp_path_factory.mktemp("home")
    env = {"SIJILL_MAX_PIXELS": "20000000"}
    res = run_sijill(home, "ingest", "--json", str(src), env=env)
    outcomes = {Path(o["path"]).name: o for o in map(json.loads, res.stdout.splitlines())}
    return home, src, files, res, outcomes, env


@pytest.mark.parametrize(
    ("name", "code", "words"),
    [
        ("empty.pdf", "empty_file", "empty"),
        ("notes.docx", "unsupported_type", "Not a PDF, TIFF, PNG or JPEG"),
        ("encrypted.pdf", "encrypted_pdf", "password"),
        ("truncated.pdf", "corrupt_file", "truncated"),
        ("corrupt.jpg", "corrupt_file", "cannot be read"),
        ("bomb.png", "decompression_bomb", "decompression bomb"),
    ],
)
def test_bad_file_is_quarantined_with_its_reason(bad_batch, name: str, code: str, words: str) -> None:
    home, src, files, res, outcomes, env = bad_batch
    o = outcomes[name]
    assert o["status"] == "quarantined" and o["registry_number"] is None
    assert o["reason_code"] == code and words in o["reason"]
    # Kept byte for byte in the object store.
    sha = hashlib.sha256(files[name]).hexdigest()
    kept = home / "objects" / "quarantine" / sha[:2] / sha
    assert kept.read_bytes() == files[name]
    assert (src / name).read_bytes() == files[name]  # the input is never touched


def test_rest_of_batch_is_registered_and_exit_code_says_so(bad_batch) -> None:
    home, src, files, res, outcomes, env = bad_batch
    assert res.returncode == 1, res.stderr
    assert outcomes["good-born.pdf"]["status"] == "registered"
    assert outcomes["good-scan.png"]["status"] == "registered"
    assert len(outcomes) == len(files)


def test_quarantine_command_lists_them(bad_batch) -> None:
    home, *_, env = bad_batch
    res = run_sijill(home, "quarantine", "--json", env=env)
    rows = [json.loads(line) for line in res.stdout.splitlines()]
    assert {Path(r["file"]).name for r in rows} == {
        "empty.pdf",
        "notes.docx",
        "encrypted.pdf",
        "truncated.pdf",
        "corrupt.jpg",
        "bomb.png",
    }
    assert all(r["reason"] for r in rows)


def test_ocr_failure_is_quarantined(home: Path, tmp_path: Path, arabic_scan_png: bytes) -> None:
    src = tmp_path / "in"
    src.mkdir()
    (src / "slow.png").write_bytes(arabic_scan_png)
    res = run_sijill(home, "ingest", "--json", str(src), env={"SIJILL_OCR_TIMEOUT": "0.05"})
    o = json.loads(res.stdout)
    assert res.returncode == 1
    assert o["status"] == "quarantined" and o["reason_code"] == "ocr_failed", o
