"""REST API benchmark: 50 concurrent clients against `sijill serve` on 127.0.0.1 for 60 seconds,
mixing searches, reads, filtered lists, downloads and uploads, at N registered letters.

    .venv/bin/python bench/api.py [--letters 100000] [--clients 50] [--seconds 60] [--think 1.0] [--home DIR]

Each client is a script or a person's browser-side app: it sends a call, waits for the answer,
then pauses (``--think`` seconds on average, exponentially distributed) before the next one.
The baseline, measured in the same run just before, is one client calling without pause: the
latency of each route when the server has nothing else to do. Throttling limits are raised for
the run (SIJILL_API_RATE), as an administration would for its own scripts. Uploads are small
born-digital PDFs: the web answers once the file is stored and queued, and the worker started by
`sijill serve` reads them meanwhile, on the same 2 cores.
"""

from __future__ import annotations

import argparse
import os
import random
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path[0] = str(REPO)

WORDS = ["رخصة", "طلب", "شهادة", "البناء", "السكنى", "demande", "permis", "facture", "réclamation", "attestation"]
ROUTES = ["search", "read", "list, filtered", "original", "upload"]
MIX = [0.45, 0.25, 0.15, 0.10, 0.05]


def pct(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


class Load:
    def __init__(self, base: str, tokens: list[str], numbers: dict[str, list[str]], uploads: list[bytes],
                 stored: dict[str, list[str]], clerks: set[str]) -> None:  # fmt: skip
        self.base, self.tokens, self.numbers, self.uploads = base, tokens, numbers, uploads
        self.stored, self.clerks = stored, clerks  # letters with real stored originals; who may upload
        self.times: dict[str, list[float]] = defaultdict(list)
        self.errors: dict[str, list[str]] = defaultdict(list)
        self.lock = threading.Lock()

    def call(self, session, token: str, rng: random.Random) -> None:
        import requests

        route = rng.choices(ROUTES, MIX)[0]
        if route == "upload" and token not in self.clerks:
            route = "search"  # only the registry office hands letters in
        auth = {"Authorization": f"Token {token}"}
        mine = self.numbers[token]
        t0 = time.perf_counter()
        try:
            if route == "search":
                q = " ".join(rng.sample(WORDS, rng.choice([1, 1, 2])))
                res = session.get(f"{self.base}/api/mail/", params={"q": q}, headers=auth, timeout=30)
            elif route == "read":
                res = session.get(f"{self.base}/api/mail/{rng.choice(mine)}/", headers=auth, timeout=30)
            elif route == "list, filtered":
                params = {"type": rng.choice(["urbanisme", "reclamation"]), "status": "in_progress",
                          "offset": str(rng.choice([0, 20, 40]))}  # fmt: skip
                res = session.get(f"{self.base}/api/mail/", params=params, headers=auth, timeout=30)
            elif route == "original":
                number = rng.choice(self.stored[token])
                res = session.get(f"{self.base}/api/mail/{number}/original", headers=auth, timeout=30)
            else:
                data = rng.choice(self.uploads)
                res = session.post(f"{self.base}/api/mail/", files={"file": ("scan.pdf", data)}, headers=auth,
                                   timeout=30)  # fmt: skip
            took = (time.perf_counter() - t0) * 1000
            ok = res.status_code in ((202,) if route == "upload" else (200,))
            why = "" if ok else f"{res.status_code} {res.text[:120]}"
        except requests.RequestException as exc:
            took, why = (time.perf_counter() - t0) * 1000, type(exc).__name__
        with self.lock:
            self.times[route].append(took)
            if why:
                self.errors[route].append(why)

    def run(self, clients: int, seconds: float, think: float) -> float:
        import requests

        stop = time.monotonic() + seconds

        def client(k: int) -> None:
            rng = random.Random(k)
            token = self.tokens[k % len(self.tokens)]
            with requests.Session() as session:
                while time.monotonic() < stop:
                    self.call(session, token, rng)
                    if think:
                        time.sleep(min(rng.expovariate(1 / think), 5 * think))

        threads = [threading.Thread(target=client, args=(k,)) for k in range(clients)]
        t0 = time.monotonic()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        return time.monotonic() - t0


def stored_letters(n: int) -> list[str]:
    """Letters whose originals are really in the store (the bulk-made ones have none)."""
    import hashlib

    from django.conf import settings

    from archive import catalogue, routing
    from archive.objectstore import object_key, open_store
    from config import taxonomy

    store, t, out = open_store(settings.SIJILL), taxonomy.load(), []
    for data in tiny_pdfs(n):
        sha = hashlib.sha256(data).hexdigest()
        key = object_key("originals", sha)
        stored = store.put(key, data, "application/pdf", {"filename": "lettre.pdf"})
        rec = catalogue.DocumentRecord(sha, "pdf", "application/pdf", len(data), "lettre.pdf", key, "",
                                       [catalogue.PageRecord(1, "text_layer", "Objet : pièce", ["fr"])],
                                       original_version=stored.version_id or "")  # fmt: skip
        entry, _ = catalogue.register_incoming(rec, "bench")
        routing.route(entry.number, ["urbanisme"], "bench", t)
        out.append(entry.number)
    return out


def open_archive(home: Path) -> None:
    os.environ.update({"SIJILL_HOME": str(home), "DJANGO_SETTINGS_MODULE": "config.settings", "SIJILL_WORKERS": "1"})
    from cli import bootstrap

    bootstrap.setup(migrate=True)


def setup(home: Path, letters: int) -> tuple[list[str], dict[str, list[str]], dict[str, list[str]], set[str]]:
    open_archive(home)
    from django.conf import settings
    from django.contrib.auth.models import User

    from archive import schema, tokens
    from archive.models import RegistryEntry
    from archive.people import add_user
    from archive.permissions import viewer_for, visible_entries
    from bench.web import ROLES, make_letters
    from config import taxonomy
    from search.service import rebuild

    make_letters(letters, 11)
    with_files = stored_letters(200)
    schema.refresh_statistics()
    t0 = time.perf_counter()
    rebuild(settings.SIJILL)
    print(f"  indexed in {time.perf_counter() - t0:.0f} s", flush=True)
    t = taxonomy.load()
    keys, numbers, stored, clerks = [], {}, {}, set()
    for name, (role, services) in ROLES.items():
        add_user(name, role, services, "bench-password-1", t)
        user = User.objects.get(username=name)
        key = tokens.issue(user)
        keys.append(key)
        viewer = viewer_for(user)
        qs = visible_entries(viewer, RegistryEntry.objects.order_by("?"))
        numbers[key] = list(qs.values_list("number", flat=True)[:500])
        stored[key] = list(visible_entries(viewer, RegistryEntry.objects.filter(number__in=with_files))
                           .values_list("number", flat=True))  # fmt: skip
        if viewer.may("intake"):
            clerks.add(key)
    return keys, numbers, stored, clerks


def prepared(home: Path, letters: int) -> tuple[list[str], dict[str, list[str]], dict[str, list[str]], set[str]]:
    """The archive of an earlier run with ``--home`` when it holds as many letters, else a new one."""
    import json

    saved = home / "bench-api.json"
    if saved.exists() and json.loads(saved.read_text())["letters"] == letters:
        open_archive(home)
        s = json.loads(saved.read_text())
        print("  reusing the archive prepared by an earlier run", flush=True)
        return s["keys"], s["numbers"], s["stored"], set(s["clerks"])
    keys, numbers, stored, clerks = setup(home, letters)
    saved.write_text(json.dumps({"letters": letters, "keys": keys, "numbers": numbers, "stored": stored,
                                 "clerks": sorted(clerks)}))  # fmt: skip
    return keys, numbers, stored, clerks


def tiny_pdfs(n: int) -> list[bytes]:
    from tests.fixtures import letters

    base = letters.FRENCH_LETTERS[0]
    return [letters.born_digital_pdf(letters.Letter("fr", [*base.lines[:5], f"Pièce {i} {os.urandom(4).hex()}"]))
            for i in range(n)]  # fmt: skip


def report(label: str, load: Load, took: float) -> None:
    total = sum(len(v) for v in load.times.values())
    errors = sum(len(v) for v in load.errors.values())
    print(f"\n{label}: {total} calls in {took:.0f} s = {total / took:.1f} requests/s, {errors} errors")
    print(f"  {'route':16} {'calls':>6} {'p50 ms':>8} {'p95 ms':>8} {'errors':>7}")
    for route in ROUTES:
        t = load.times.get(route, [])
        med = statistics.median(t) if t else float("nan")
        print(f"  {route:16} {len(t):6d} {med:8.1f} {pct(t, 95):8.1f} {len(load.errors.get(route, [])):7d}")
    for route, whys in load.errors.items():
        print(f"  first {route} errors: {whys[:3]}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--letters", type=int, default=100_000)
    ap.add_argument("--clients", type=int, default=50)
    ap.add_argument("--seconds", type=float, default=60)
    ap.add_argument("--think", type=float, default=1.0, help="mean pause between a client's calls, in seconds")
    ap.add_argument("--home", type=Path, help="keep the prepared archive here and reuse it in later runs")
    args = ap.parse_args()
    home = args.home or Path(tempfile.mkdtemp(prefix="sijill-bench-api-"))
    print(f"Sijill API benchmark: {args.letters:,} letters, {args.clients} clients, {args.seconds:.0f} s, "
          f"think {args.think} s, {os.cpu_count()} cores, home {home}", flush=True)  # fmt: skip
    keys, numbers, stored, clerks = prepared(home, args.letters)
    from tests.fixtures import s3server

    port = s3server.free_port()
    env = {**os.environ, "SIJILL_API_RATE": "1000000/min", "SIJILL_API_UPLOAD_RATE": "1000000/min",
           "SIJILL_ALLOWED_HOSTS": "127.0.0.1"}  # fmt: skip
    server = subprocess.Popen([sys.executable, "-m", "cli.main", "serve", "--port", str(port)], cwd=REPO, env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)  # fmt: skip
    try:
        import requests

        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while True:
            try:
                requests.get(f"{base}/health/", timeout=2)
                break
            except requests.ConnectionError:
                if time.monotonic() > deadline:
                    raise SystemExit("sijill serve did not answer") from None
                time.sleep(0.3)
        uploads = tiny_pdfs(200)
        warm = Load(base, keys, numbers, uploads, stored, clerks)
        warm.run(4, 5, 0)  # caches, connections, the index opened in every web process
        baseline = Load(base, keys, numbers, uploads, stored, clerks)
        report("baseline: 1 client, no pause", baseline, baseline.run(1, min(20.0, args.seconds), 0))
        load = Load(base, keys, numbers, uploads, stored, clerks)
        took = load.run(args.clients, args.seconds, args.think)
        report(f"load: {args.clients} clients", load, took)
        reads = [t for r in ("search", "read", "list, filtered") for t in load.times.get(r, [])]
        worst = max(pct(load.times.get(r, []), 95) for r in ("search", "read", "list, filtered"))
        print(f"\nreads and searches p95 (all): {pct(reads, 95):.1f} ms; worst route p95: {worst:.1f} ms "
              f"(goal ≤ 200 ms); errors: {sum(len(v) for v in load.errors.values())} (goal 0)")  # fmt: skip
    finally:
        os.killpg(server.pid, signal.SIGINT)
        try:
            server.wait(timeout=120)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)


if __name__ == "__main__":
    main()
