"""`sijill audit verify` as an operator runs it: exit 0 on an intact log, 1 on a tampered one."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from tests.conftest import run_sijill
from tests.fixtures import letters, pgtest


def _execute(home: Path, sql: str) -> None:
    url = pgtest.database_for(home)
    if url is None:
        with sqlite3.connect(home / "catalogue.sqlite3") as db:
            db.execute(sql)
        return
    import psycopg

    with psycopg.connect(url, autocommit=True) as db:
        db.execute(sql)


def test_audit_verify_exits_1_on_tampering_and_a_digest_catches_a_cut_tail(home: Path, tmp_path: Path) -> None:
    src = tmp_path / "in"
    src.mkdir()
    for i in range(3):
        pdf = letters.born_digital_pdf(letters.Letter("fr", [*letters.FRENCH_LETTERS[0].lines, f"Pièce {i}"]))
        (src / f"{i}.pdf").write_bytes(pdf)
    assert run_sijill(home, "ingest", str(src)).returncode == 0
    good = run_sijill(home, "audit", "verify", "--json")
    assert good.returncode == 0 and json.loads(good.stdout)["ok"]
    saved = tmp_path / "digest.json"
    saved.write_text(run_sijill(home, "audit", "digest", "--date", _today(home), "--json").stdout)
    assert run_sijill(home, "audit", "verify", "--digest", str(saved)).returncode == 0

    _execute(home, "DELETE FROM archive_auditevent WHERE seq = 3")  # the newest: nothing links to it
    assert run_sijill(home, "audit", "verify").returncode == 0  # the chain alone cannot tell
    cut = run_sijill(home, "audit", "verify", "--digest", str(saved), "--json")
    assert cut.returncode == 1 and [p["kind"] for p in json.loads(cut.stdout)["problems"]] == ["deleted"]

    _execute(home, "UPDATE archive_auditevent SET actor = 'someone else' WHERE seq = 1")
    bad = run_sijill(home, "audit", "verify", "--json")
    assert bad.returncode == 1 and [p["kind"] for p in json.loads(bad.stdout)["problems"]] == ["altered"]


def _today(home: Path) -> str:
    first = json.loads(run_sijill(home, "list", "--json").stdout.splitlines()[0])
    return first["received_at"][:10]
