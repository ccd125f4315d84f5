"""`sijill serve`: the web application (gunicorn) and a task-queue worker, side by side on one
machine, started and stopped together. Not a place for logic: it only supervises processes."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time


def serve(
    host: str,
    port: int,
    web_processes: int = 2,
    concurrency: int = 1,
    worker: bool = True,
    proxies: str = "127.0.0.1",
    watch: bool = False,
) -> int:
    """``worker=False``: a web node only (the workers run elsewhere); ``proxies``: addresses
    whose X-Forwarded-* headers are believed (the TLS proxy); ``watch``: the hot folders of
    SIJILL_WATCH_DIRS are watched too."""
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": os.environ.get("DJANGO_SETTINGS_MODULE", "config.settings")}
    web = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "config.wsgi:application", "--bind", f"{host}:{port}",
         "--workers", str(web_processes), "--threads", "4", "--timeout", "60", "--graceful-timeout", "30",
         "--access-logfile", "-", "--forwarded-allow-ips", proxies,
         # Longer than a client's pause between calls: a connection closed as a call is sent
         # is an error the client sees.
         "--keep-alive", "75"],
        env=env,
    )  # fmt: skip
    procs = [web]
    if worker:
        procs.append(subprocess.Popen([sys.executable, "-m", "cli.main", "worker", "--concurrency", str(concurrency)],
                                      env=env))  # fmt: skip
    if watch:
        procs.append(subprocess.Popen([sys.executable, "-m", "cli.main", "watch"], env=env))
    stopping = False

    def stop(signum: int, _frame: object) -> None:
        nonlocal stopping
        stopping = True

    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, stop)
    while not stopping and all(p.poll() is None for p in procs):
        time.sleep(0.2)
    # Gunicorn stops gracefully on SIGTERM; the worker lets its running task finish on SIGINT.
    for proc in procs:
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM if proc is web else signal.SIGINT)
    for proc in procs:
        try:
            proc.wait(timeout=120)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
    return 0 if stopping else 1  # one of them died on its own: say so with the exit code
