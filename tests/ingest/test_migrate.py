"""`sijill migrate`: manifest reading, reconciliation, verification, and resuming after kill -9."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from ingest.migrate.manifest import detect_encoding, parse_mapping, read_manifest
from tests.conftest import REPO, catalogue_rows, run_sijill, sijill_env
from tests.fixtures import legacy

COLUMNS = (
    "file=Fichier,legacy_number=N° ordre,received=Date arrivée,sender=Expéditeur,subject=Objet,"
    "service=Service,direction=Sens,notes=Observations"
)


def test_encodings_are_detected() -> None:
    assert detect_encoding("Fichier;Objet\r\na.pdf;Réclamation".encode()) == "utf-8-sig"
    assert detect_encoding("file;subject\na.pdf;طلب رخصة البناء".encode("cp1256")) == "cp1256"
    assert detect_encoding("file;subject\na.pdf;Réclamation au sujet de l'éclairage".encode("cp1252")) == "cp1252"


def test_manifest_columns_dates_and_extra_fields(tmp_path: Path) -> None:
    p = tmp_path / "m.csv"
    p.write_bytes(
        "\ufeffFichier,N°,Reçu le,Expéditeur,Sens,Boîte\n"
        "a/1.pdf,12/98,٠٣/٠٢/١٩٩٨,جمعية,out,B7\n"
        "a/2.pdf,13/98,1998-13-45,X,in,\n".encode()
    )
    m = read_manifest(
        p, mapping=parse_mapping("file=Fichier,legacy_number=N°,received=Reçu le,sender=Expéditeur,direction=Sens")
    )
    one = m.lines["a/1.pdf"]
    assert one.legacy_number == "12/98" and str(one.received) == "1998-02-03" and one.direction == "D"
    assert one.extra == {"Boîte": "B7"}  # unknown columns kept, not dropped
    assert m.lines["a/2.pdf"].received is None and any("line 3" in p for p in m.problems)


@pytest.fixture(scope="module")
def tree(tmp_path_factory: pytest.TempPathFactory):
    folder = tmp_path_factory.mktemp("legacy")
    src, counts = legacy.make_tree(folder, 50)
    return folder, src, counts


def _args(folder: Path, src: Path) -> list[str]:
    return ["migrate", str(src), "--manifest", str(folder / "registre.csv"), "--columns", COLUMNS]


def test_dry_run_reports_without_ingesting(tree, tmp_path: Path) -> None:
    folder, src, counts = tree
    res = run_sijill(tmp_path / "home", *_args(folder, src), "--dry-run")
    assert f"{counts['broken']} unreadable" in res.stdout and "0 listed in the manifest but missing" in res.stdout
    assert res.returncode == 1  # broken files are worth a look before the real run
    assert not (tmp_path / "home" / "objects").exists()


def _catalogue(home: Path) -> tuple[list[tuple[str, str]], set[str]]:
    rows = catalogue_rows(
        home, "SELECT e.number, d.sha256 FROM archive_registryentry e JOIN archive_document d ON d.id = e.document_id"
    )
    return rows, {sha for _, sha in rows}


def test_migration_reconciles_and_verifies(tree, tmp_path: Path) -> None:
    folder, src, counts = tree
    home = tmp_path / "home"
    res = run_sijill(home, *_args(folder, src))
    assert res.returncode == 0, res.stderr
    archived = counts["files"] - counts["duplicates"] - counts["broken"]
    assert (
        f"{counts['files']} source files = {archived} archived + {counts['duplicates']} duplicates + "
        f"{counts['broken']} quarantined + 0 failed"
    ) in " ".join(res.stderr.split())
    rows, shas = _catalogue(home)
    assert len(rows) == len(shas) == archived and legacy.gapless([n for n, _ in rows])
    assert {n.split("-")[1] for n, _ in rows} == {"1996", "1997", "1998", "1999", "2000"}  # dated as received
    assert any(n.startswith("D-") for n, _ in rows)  # "out" lines of the register
    hit = json.loads(run_sijill(home, "search", "3/98", "--json").stdout)["hits"][0]
    assert hit["legacy_number"] == "3/98"
    assert run_sijill(home, "migrate", "verify", str(src)).returncode == 0
    again = run_sijill(home, *_args(folder, src))  # idempotent: nothing to do, nothing added
    assert "0 files to go" in again.stderr and len(_catalogue(home)[0]) == archived
    # A damaged archived copy is caught.
    victim = next(p for p in (home / "objects" / "originals").rglob("*") if p.is_file() and p.suffix != ".json")
    victim.write_bytes(b"damaged")
    # Every source file holding those bytes (a file and its duplicates) is now unaccounted for.
    import hashlib

    holders = sum(
        1 for f in src.rglob("*") if f.is_file() and hashlib.sha256(f.read_bytes()).hexdigest() == victim.name
    )
    bad = run_sijill(home, "migrate", "verify", str(src))
    assert bad.returncode == 1 and f"{holders} not accounted for" in bad.stdout and holders >= 1


def _journal_count(home: Path) -> int:
    try:
        return catalogue_rows(home, "SELECT count(*) FROM ingest_migrationfile", timeout=1)[0][0]
    except Exception:  # not created yet, or locked by the writer: not there yet
        return 0


def test_kill_9_three_times_then_resume_equals_an_uninterrupted_run(tree, tmp_path: Path) -> None:
    folder, src, counts = tree
    straight = tmp_path / "straight"
    assert run_sijill(straight, *_args(folder, src)).returncode in (0, 1)
    killed = tmp_path / "killed"
    env = sijill_env(killed)
    rng = random.Random(11)
    for target in sorted(rng.sample(range(5, 45), 3)):
        proc = subprocess.Popen(
            [sys.executable, "-m", "cli.main", *_args(folder, src)],
            cwd=REPO, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
        )  # fmt: skip
        deadline = time.monotonic() + 120
        while proc.poll() is None and _journal_count(killed) < target and time.monotonic() < deadline:
            time.sleep(0.02)
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)  # the command and its OCR workers, mid-flight
        proc.wait()
    final = run_sijill(killed, *_args(folder, src))
    assert final.returncode == 0, final.stderr
    rows_k, shas_k = _catalogue(killed)
    rows_s, shas_s = _catalogue(straight)
    assert shas_k == shas_s  # the same documents archived
    assert len(rows_k) == len(shas_k)  # none twice
    assert legacy.gapless([n for n, _ in rows_k])  # no number lost to an interrupted transaction
    assert run_sijill(killed, "migrate", "verify", str(src)).returncode == 0


def test_manifest_directions_and_line_numbers_across_multiline_fields(tmp_path: Path) -> None:
    csv_text = (
        "file,received,direction,subject\n"
        'a.pdf,02/01/1998,sortant,"objet sur\ndeux lignes"\n'
        "b.pdf,03/01/1998,xyz,objet\n"
        "c.pdf,31/02/1998,وارد,objet\n"
    )
    path = tmp_path / "registre.csv"
    path.write_text(csv_text, encoding="utf-8")
    m = read_manifest(path)
    assert m.lines["a.pdf"].direction == "D"  # French word for a departure, not an arrival
    assert "b.pdf" not in m.lines and "line 4" in m.rejected["b.pdf"]  # reported, never guessed
    assert any(p.startswith("line 5") for p in m.problems)  # 31/02 is on line 5, after a 2-line field
