"""Migration benchmark and proof: a legacy tree of thousands of letters through `sijill migrate`.

    .venv/bin/python bench/migrate.py [--docs 2000] [--scans 40] [--skip-kill]

1. Generates a legacy tree (born-digital PDFs, image-only scans, duplicates, broken files) and its
   register as a Windows-1256 CSV; migrates it; prints docs/min, pages/min, peak RSS (whole
   process tree, sampled) and the reconciliation.
2. Kill test: the same migration in a new home, `kill -9` at three random points, resumed each
   time; the archive must equal the uninterrupted run's (same hashes, none twice, no gaps).
3. Born-digital rate: a tree of born-digital letters only, through `sijill migrate` and, as the
   baseline in the same run, through plain `sijill ingest`.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import signal
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path[0] = str(REPO)

from tests.fixtures import legacy  # noqa: E402

COLUMNS = (
    "file=Fichier,legacy_number=N° ordre,received=Date arrivée,sender=Expéditeur,subject=Objet,"
    "service=Service,direction=Sens,notes=Observations"
)


def _tree_rss_kb(pid: int) -> int:
    total, stack = 0, [pid]
    while stack:
        p = stack.pop()
        try:
            status = Path(f"/proc/{p}/status").read_text()
            m = re.search(r"VmRSS:\s+(\d+)", status)
            total += int(m.group(1)) if m else 0
            for task in Path(f"/proc/{p}/task").iterdir():
                stack += [int(c) for c in (task / "children").read_text().split()]
        except (OSError, ValueError):
            continue
    return total


def run(home: Path, args: list[str], kill_when=None) -> tuple[int, float, int]:
    """Run sijill; returns (exit code or -9, seconds, peak RSS of the process tree in MB)."""
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings", "SIJILL_HOME": str(home)}
    t0 = time.monotonic()
    proc = subprocess.Popen(
        [sys.executable, "-m", "cli.main", *args], cwd=REPO, env=env,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
    )  # fmt: skip
    peak = [0]

    def sample() -> None:
        while proc.poll() is None:
            peak[0] = max(peak[0], _tree_rss_kb(proc.pid))
            time.sleep(0.25)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    killed = False
    while proc.poll() is None:
        if kill_when is not None and kill_when():
            os.killpg(proc.pid, signal.SIGKILL)
            killed = True
            break
        time.sleep(0.05)
    proc.wait()
    sampler.join()
    return (-9 if killed else proc.returncode), time.monotonic() - t0, peak[0] // 1024


def catalogue(home: Path) -> tuple[list[str], list[str], int]:
    with sqlite3.connect(home / "catalogue.sqlite3") as db:
        rows = db.execute(
            "SELECT e.number, d.sha256, d.page_count FROM archive_registryentry e "
            "JOIN archive_document d ON d.id = e.document_id"
        ).fetchall()
        journal = dict(db.execute("SELECT state, count(*) FROM ingest_migrationfile GROUP BY state").fetchall())
    return [r[0] for r in rows], [r[1] for r in rows], sum(r[2] for r in rows), journal


def journal_rows(home: Path) -> int:
    try:
        with sqlite3.connect(home / "catalogue.sqlite3", timeout=1) as db:
            return db.execute("SELECT count(*) FROM ingest_migrationfile").fetchone()[0]
    except sqlite3.Error:
        return 0


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--docs", type=int, default=2000)
    ap.add_argument("--scans", type=int, default=40, help="image-only letters among them (OCR'd)")
    ap.add_argument("--born-digital", type=int, default=1000, help="size of the born-digital rate test")
    ap.add_argument("--skip-kill", action="store_true")
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="sijill-bench-migrate-") as tmp:
        work = Path(tmp)
        print(f"Generating a legacy tree of {args.docs} files ({args.scans} scans)…", flush=True)
        src, counts = legacy.make_tree(work / "legacy", args.docs, scans=args.scans)
        margs = ["migrate", str(src), "--manifest", str(work / "legacy" / "registre.csv"), "--columns", COLUMNS]

        home = work / "straight"
        code, secs, rss = run(home, margs)
        numbers, shas, pages, journal = catalogue(home)
        print(f"\n1. Migration of {counts['files']} files: exit {code}, {secs:.0f} s")
        print(f"   {counts['files'] / secs * 60:,.0f} docs/min, {pages / secs * 60:,.0f} pages/min (archived pages)")
        print(f"   peak RSS of the process tree: {rss:,} MB")
        rec = sum(journal.values())
        print(f"   reconciliation: {counts['files']} source files = {journal.get('done', 0)} archived + "
              f"{journal.get('duplicate', 0)} duplicates + {journal.get('quarantined', 0)} quarantined + "
              f"{journal.get('failed', 0)} failed  ->  {'OK' if rec == counts['files'] else 'MISMATCH'}")  # fmt: skip
        print(f"   expected: {counts['duplicates']} duplicates, {counts['broken']} broken; registry entries "
              f"{len(numbers)} (unique contents {len(set(shas))}), gapless: {legacy.gapless(numbers)}")  # fmt: skip
        code_v, _, _ = run(home, ["migrate", "verify", str(src)])
        print(f"   `sijill migrate verify`: exit {code_v}")

        if not args.skip_kill:
            khome = work / "killed"
            rng = random.Random(7)
            points = sorted(rng.sample(range(args.docs // 10, args.docs * 9 // 10), 3))
            for target in points:
                code_k, secs_k, _ = run(khome, margs, kill_when=lambda t=target: journal_rows(khome) >= t)
                print(f"\n2. kill -9 after ~{target} files: exit {code_k} at {secs_k:.0f} s")
            code_f, secs_f, _ = run(khome, margs)
            kn, ks, _, kj = catalogue(khome)
            same = set(ks) == set(shas)
            print(f"   resumed to the end: exit {code_f} in {secs_f:.0f} s")
            print(f"   same documents as the uninterrupted run: {same}; entries {len(kn)}, unique "
                  f"{len(set(ks))} (none twice: {len(kn) == len(set(ks))}); gapless: {legacy.gapless(kn)}; "
                  f"journal {sum(kj.values())} rows")  # fmt: skip

        bd = work / "born-digital"
        bsrc, bcounts = legacy.make_tree(bd, args.born_digital, scans=0)
        bm = ["migrate", str(bsrc), "--manifest", str(bd / "registre.csv"), "--columns", COLUMNS]
        _, bsecs, brss = run(work / "bd-migrate", bm)
        _, isecs, _ = run(work / "bd-ingest", ["ingest", str(bsrc)])
        n = bcounts["files"]
        print(f"\n3. Born-digital, {n} files: migrate {n / bsecs:.1f} docs/s ({bsecs:.0f} s, peak RSS {brss} MB); "
              f"baseline plain `sijill ingest` {n / isecs:.1f} docs/s ({isecs:.0f} s)")  # fmt: skip


if __name__ == "__main__":
    main()
