"""Scale-out benchmark: pages per minute through the task queue with 1 worker and with 2, next
to plain `sijill ingest` on the same scans, in the same run.

    .venv/bin/python bench/scale.py [--scans 24] [--corpus ../shared/corpus/letters] [--postgres]

Each worker runs one task at a time with one OCR process (`sijill worker --concurrency 1
--ocr-processes 1`), so 1 worker ≈ one machine's core and 2 workers show how throughput grows
with machines. The baseline is `sijill ingest` with SIJILL_WORKERS=1 (one OCR process), the
same work without the queue; the difference is the queue's cost per task. With --postgres the
queue and catalogue are a throw-away PostgreSQL server (tests/fixtures/pgserver.py), the store a
SeaweedFS S3 server, and each worker has its own SIJILL_HOME, as on separate machines;
otherwise the embedded SQLite queue. Every run starts from an empty SIJILL_HOME.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from contextlib import ExitStack
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path[0] = str(REPO)

from tests.fixtures import letters  # noqa: E402

SCAN_FORMATS = {"scan.pdf", "png", "jpg", "tif"}


def corpus_scans(folder: Path, n: int) -> list[tuple[Path, int]]:
    truth = folder / "truth.jsonl"
    if not truth.exists():
        return []
    rows = [json.loads(line) for line in truth.read_text(encoding="utf-8").splitlines() if line.strip()]
    picked = [r for r in rows if r.get("format") in SCAN_FORMATS][:n]
    return [(folder / r["file"], int(r.get("pages") or 1)) for r in picked]


def rendered_scans(folder: Path, n: int) -> list[tuple[Path, int]]:
    folder.mkdir(parents=True, exist_ok=True)
    out = []
    pool = letters.ARABIC_LETTERS + letters.FRENCH_LETTERS
    for i in range(n):
        page = letters.scan(letters.render(pool[i % len(pool)], 300), angle=(i % 5 - 2) * 0.6)
        path = folder / f"scan-{i:03d}.png"
        path.write_bytes(letters.to_bytes(page, "PNG"))
        out.append((path, 1))
    return out


def sijill(env: dict[str, str], *args: str, **kw) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "cli.main", *args], cwd=REPO, env=env, **kw)


def home_env(base: dict[str, str], home: Path, **extra: str) -> dict[str, str]:
    return {**base, "SIJILL_HOME": str(home), "DJANGO_SETTINGS_MODULE": "config.settings", **extra}


def fresh_db(base: dict[str, str], label: str) -> dict[str, str]:
    url = base.get("SIJILL_DATABASE_URL")
    if not url:
        return {}
    import psycopg

    name = f"bench_scale_{label}"
    with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as db:
        db.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        db.execute(f'CREATE DATABASE "{name}"')
    fresh = {"SIJILL_DATABASE_URL": url.rsplit("/", 1)[0] + "/" + name}
    if "SIJILL_S3_ENDPOINT" in base:
        fresh["SIJILL_S3_BUCKET"] = f"bench-{label}"
    return fresh


def plain(base: dict[str, str], work: Path, src: Path) -> float:
    env = home_env(base, work / "plain", SIJILL_WORKERS="1", **fresh_db(base, "plain"))
    assert sijill(env, "doctor", stdout=subprocess.DEVNULL).wait() in (0, 1)  # schema, models warm
    t0 = time.monotonic()
    proc = sijill(env, "ingest", "--json", str(src), stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    out, _ = proc.communicate()
    took = time.monotonic() - t0
    check([json.loads(x) for x in out.splitlines()], "plain ingest", len(list(src.iterdir())))
    return took


def queued(base: dict[str, str], work: Path, src: Path, n_workers: int) -> float:
    label = f"queue{n_workers}"
    shared = {"SIJILL_WORKERS": "1", **fresh_db(base, label)}
    clerk = home_env(base, work / label / "clerk", **shared)
    assert sijill(clerk, "doctor", stdout=subprocess.DEVNULL).wait() in (0, 1)
    # Embedded queue: the workers share the clerk's SIJILL_HOME (one machine's queue file).
    worker_homes = (
        [work / label / "clerk"] * n_workers
        if "SIJILL_DATABASE_URL" not in shared
        else [work / label / f"m{i}" for i in range(n_workers)]
    )
    with ExitStack() as stack:
        workers = []
        for home in worker_homes:
            env = home_env(base, home, **shared)
            p = sijill(env, "worker", "--concurrency", "1", "--ocr-processes", "1",
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)  # fmt: skip
            workers.append(p)
            stack.callback(stop, p)
        time.sleep(4)  # workers started and idle: their start-up is not the queue's cost
        t0 = time.monotonic()
        proc = sijill(clerk, "ingest", "--queue", "--json", str(src), stdout=subprocess.PIPE,
                      stderr=subprocess.DEVNULL, text=True)  # fmt: skip
        out, _ = proc.communicate()
        took = time.monotonic() - t0
    check([json.loads(x) for x in out.splitlines()], label, len(list(src.iterdir())))
    return took


def stop(p: subprocess.Popen) -> None:
    if p.poll() is None:
        os.killpg(p.pid, signal.SIGINT)
        try:
            p.wait(60)
        except subprocess.TimeoutExpired:
            os.killpg(p.pid, signal.SIGKILL)


def check(rows: list[dict], what: str, expected: int) -> None:
    if len(rows) != expected:
        raise SystemExit(f"{what}: {len(rows)} outcomes for {expected} files (see its stderr)")
    bad = [r for r in rows if r["status"] not in ("registered", "duplicate")]
    if bad:
        raise SystemExit(f"{what}: {len(bad)} files not registered: {bad[:2]}")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--scans", type=int, default=24)
    ap.add_argument("--corpus", type=Path, default=REPO.parent / "shared" / "corpus" / "letters")
    ap.add_argument("--postgres", action="store_true", help="catalogue and queue on a throw-away PostgreSQL")
    args = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="sijill-bench-scale-"))
    try:
        src = work / "in"
        src.mkdir()
        files = corpus_scans(args.corpus, args.scans) or rendered_scans(work / "rendered", args.scans)
        for path, _ in files:
            shutil.copy(path, src / path.name)
        pages = sum(p for _, p in files)
        origin = "corpus" if files and files[0][0].parent == args.corpus else "rendered"
        with ExitStack() as stack:
            base = dict(os.environ)
            if args.postgres:
                from tests.fixtures import pgserver, s3server

                base["SIJILL_DATABASE_URL"] = stack.enter_context(pgserver.running())
                # Machines share no disk: the files go through a real S3 server (SeaweedFS).
                server = s3server.start(work / "weed")
                stack.callback(server.stop)
                base.update({"SIJILL_STORAGE": "s3", "SIJILL_S3_ENDPOINT": server.endpoint,
                             "SIJILL_S3_ACCESS_KEY": s3server.ACCESS_KEY,
                             "SIJILL_S3_SECRET_KEY": s3server.SECRET_KEY})  # fmt: skip
            queue = "PostgreSQL + S3 (SeaweedFS), one SIJILL_HOME per worker" if args.postgres else "embedded SQLite"
            print(f"{len(files)} scans ({origin}), {pages} pages; queue: {queue}; {os.cpu_count()} cores", flush=True)
            t_plain = plain(base, work, src)
            t_one = queued(base, work, src, 1)
            t_two = queued(base, work, src, 2)
        rate = lambda t: pages / t * 60  # noqa: E731
        print(f"{'run':<34} {'seconds':>8} {'pages/min':>10}")
        print(f"{'plain sijill ingest (1 OCR process)':<34} {t_plain:>8.1f} {rate(t_plain):>10.1f}")
        print(f"{'queue, 1 worker':<34} {t_one:>8.1f} {rate(t_one):>10.1f}")
        print(f"{'queue, 2 workers':<34} {t_two:>8.1f} {rate(t_two):>10.1f}")
        print(f"2 workers / 1 worker: {t_one / t_two:.2f}x")
        print(f"queue cost vs plain ingest: {(t_one - t_plain) / t_plain:+.1%} "
              f"({(t_one - t_plain) / len(files) * 1000:+.0f} ms per task)")  # fmt: skip
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
