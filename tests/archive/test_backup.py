"""`sijill backup` and `sijill restore` of the embedded default, taken while mail is registered."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.conftest import REPO, run_sijill, sijill_env
from tests.fixtures import letters, pgtest

EMBEDDED = {"SIJILL_DATABASE_URL": "", "SIJILL_QUEUE": ""}  # this test is about the embedded default


def _letters(folder: Path, start: int, n: int) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    base = letters.FRENCH_LETTERS[0]
    for i in range(start, start + n):
        pdf = letters.born_digital_pdf(letters.Letter("fr", [*base.lines, f"Bordereau n° {i}"]))
        (folder / f"{i}.pdf").write_bytes(pdf)
    return folder


def test_backup_while_registering_then_restore_is_whole_and_consistent(tmp_path: Path) -> None:
    home, copy, snap = tmp_path / "home", tmp_path / "restored", tmp_path / "snapshot"
    run = lambda h, *a: run_sijill(h, *a, env=EMBEDDED)  # noqa: E731
    assert run(home, "ingest", str(_letters(tmp_path / "first", 0, 3))).returncode == 0
    assert run(home, "search", "Bordereau").returncode == 0  # the index exists and is caught up
    first = json.loads(run(home, "list", "--json").stdout.splitlines()[0])["registry_number"]
    assert run(home, "show", first).returncode == 0  # an access event, in the backup too
    more = subprocess.Popen(
        [sys.executable, "-m", "cli.main", "ingest", str(_letters(tmp_path / "more", 3, 8))],
        cwd=REPO, env=sijill_env(home, EMBEDDED), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    made = run(home, "backup", "--to", str(snap))
    assert more.wait(timeout=300) == 0
    assert made.returncode == 0, made.stderr
    assert (snap / "BACKUP.json").exists() and (snap / "index").is_dir()
    restored = run(copy, "restore", str(snap))
    assert restored.returncode == 0, restored.stderr
    rows = [json.loads(x) for x in run(copy, "list", "--json").stdout.splitlines()]
    assert 3 <= len(rows) <= 11
    assert [r["registry_number"][-6:] for r in rows] == [f"{i:06d}" for i in range(1, len(rows) + 1)]
    fsck = run(copy, "fsck")
    assert fsck.returncode == 0 and "all well" in fsck.stdout, fsck.stdout  # nothing missing, no orphan
    assert run(copy, "audit", "verify").returncode == 0
    hits = json.loads(run(copy, "search", "Bordereau", "--json", "--limit", "50").stdout)
    assert hits["total"] == len(rows)  # the copied index, caught up with the restored catalogue
    again = run(copy, "restore", str(snap))
    assert again.returncode == 2 and "already holds an archive" in " ".join(again.stderr.split())


def test_backup_refuses_a_server_setup_and_names_the_right_tools(tmp_path: Path) -> None:
    if not pgtest.base_url():
        res = run_sijill(tmp_path / "h", "backup", "--to", str(tmp_path / "b"), env={"SIJILL_STORAGE": "s3",
                         "SIJILL_S3_ENDPOINT": "127.0.0.1:1", "SIJILL_S3_ACCESS_KEY": "a", "SIJILL_S3_SECRET_KEY": "b"})  # fmt: skip
    else:
        res = run_sijill(tmp_path / "h", "backup", "--to", str(tmp_path / "b"))
    assert res.returncode == 2 and "pg_dump" in res.stderr
