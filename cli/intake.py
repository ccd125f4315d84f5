"""Commands that bring mail in: ingest (directly or through the queue), the queue's workers and tasks, serve."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from cli import bootstrap
from cli.app import app
from cli.common import EXIT_NOT_ALL_REGISTERED, EXIT_USAGE, _actor, _jsonl, _start, err, out
from cli.progress import IngestProgress


@app.command()
def ingest(
    paths: Annotated[list[Path], typer.Argument(help="Files or folders of scanned mail (searched recursively).")],
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object per file on stdout (JSON Lines).")] = False,
    queue: Annotated[
        bool, typer.Option("--queue", help="Hand the files to the task queue's workers and follow them.")
    ] = False,
) -> None:
    """Register incoming mail: OCR, registry number, original archived."""
    missing = [str(p) for p in paths if not p.exists()]
    if missing:
        err.print(f"[red]Not found:[/red] {', '.join(missing)}")
        raise typer.Exit(EXIT_USAGE)
    _start()
    if queue:
        _ingest_queued(paths, as_json)
        return
    from archive.objectstore import open_store
    from config.errors import ConfigError
    from ingest.batch import ingest_paths
    from ingest.intake import iter_input_files

    settings = bootstrap.sijill_settings()
    store = open_store(settings)
    total = sum(1 for _ in iter_input_files(paths))
    try:
        from archive import taxonomy_store

        taxonomy_store.current(settings)  # a broken taxonomy stops the run before any file
    except ConfigError as exc:
        err.print(f"[red]Configuration error:[/red] {exc.message}")
        raise typer.Exit(EXIT_USAGE) from None
    counts: dict[str, int] = {}
    with IngestProgress(total, err) as progress:
        for outcome in ingest_paths(paths, settings, store, _actor()):
            counts[outcome.status] = counts.get(outcome.status, 0) + 1
            progress.file_done(outcome.pages, outcome.status in {"registered", "duplicate"})
            if as_json:
                _jsonl(outcome.as_json())
            else:
                _print_outcome(outcome)
    summary = ", ".join(f"{n} {s}" for s, n in sorted(counts.items())) or "no files"
    err.print(f"Done: {summary}.")
    if counts.get("registered"):
        from search.service import update_after_changes

        if update_after_changes(settings) is None:
            err.print("[yellow]Search index not updated now; it catches up on the next search.[/yellow]")
    if counts.get("quarantined") or counts.get("failed"):
        raise typer.Exit(EXIT_NOT_ALL_REGISTERED)


def _ingest_queued(paths: list[Path], as_json: bool) -> None:
    from ingest.intake import iter_input_files
    from ingest.queue.backend import describe
    from ingest.queue.service import TaskQueue

    settings = bootstrap.sijill_settings()
    tq = TaskQueue(settings)
    files = list(iter_input_files(paths))
    batch, ids = tq.submit_paths(files, _actor())
    err.print(f"{len(ids)} files queued (batch {batch}) on {describe(settings)}; `sijill worker` reads them.")
    counts: dict[str, int] = {}
    with IngestProgress(len(ids), err) as progress:
        try:
            for task in tq.follow(ids):
                counts[task.status] = counts.get(task.status, 0) + 1
                progress.file_done(task.pages, task.status in {"registered", "duplicate"})
                row = {"task": task.pk, "path": task.filename, "status": task.status,
                       "registry_number": task.registry_number or None, "reason": task.reason or None,
                       "reason_code": task.reason_code or None, "sha256": task.sha256, "pages": task.pages}  # fmt: skip
                if as_json:
                    _jsonl(row)
                else:
                    out.print(f"{row['registry_number'] or task.status}  {task.status}  {task.filename}  "
                              f"{task.reason or ''}", highlight=False)  # fmt: skip
        except KeyboardInterrupt:
            err.print("[yellow]Stopped following; the files stay queued and are read by the workers.[/yellow]")
            raise typer.Exit(EXIT_NOT_ALL_REGISTERED) from None
    summary = ", ".join(f"{n} {s}" for s, n in sorted(counts.items()))
    err.print(f"Done: {summary}.")
    if counts.get("quarantined") or counts.get("failed"):
        raise typer.Exit(EXIT_NOT_ALL_REGISTERED)


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Address to listen on (behind a TLS proxy in production).")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port.", min=1, max=65535)] = 8000,
    concurrency: Annotated[int, typer.Option(help="Files the worker reads at once.", min=1, max=64)] = 1,
    worker: Annotated[
        bool, typer.Option("--worker/--no-worker", help="Run a worker too (--no-worker: a web node only).")
    ] = True,
    web_processes: Annotated[
        Optional[int], typer.Option(help="Web processes (default: 2 per core, at least 2).", min=1, max=64)
    ] = None,
    trusted_proxy: Annotated[
        str, typer.Option(help="Addresses of the TLS proxy whose X-Forwarded-* headers are believed.")
    ] = "127.0.0.1",
) -> None:
    """Run the web application (gunicorn) and a task-queue worker on this machine."""
    _start()
    from config.serve import serve as run_both

    watch = bool(bootstrap.sijill_settings().intake.watch_dirs)
    with_worker = "with a worker; Ctrl-C stops both" if worker else "web node only; workers run elsewhere"
    err.print(f"Sijill on http://{host}:{port}/ {with_worker}" + (", watching SIJILL_WATCH_DIRS." if watch else "."))
    import os

    processes = web_processes or max(2, 2 * (os.cpu_count() or 1))
    raise typer.Exit(run_both(host, port, web_processes=processes, concurrency=concurrency, worker=worker,
                              proxies=trusted_proxy, watch=watch))  # fmt: skip


@app.command()
def tasks(
    status: Annotated[Optional[str], typer.Option(help="queued, running, registered, failed, …")] = None,
    retry: Annotated[bool, typer.Option("--retry", help="Queue the listed failed tasks again.")] = False,
    limit: Annotated[int, typer.Option(help="At most this many, newest first.", min=1, max=10_000)] = 100,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Files handed to the task queue and what became of them."""
    _start()
    from ingest.models import QueuedTask

    if status and status not in QueuedTask.Status.values:
        err.print(f"[red]--status must be one of {', '.join(QueuedTask.Status.values)}.[/red]")
        raise typer.Exit(EXIT_USAGE)
    qs = QueuedTask.objects.order_by("-id")
    if status:
        qs = qs.filter(status=status)
    rows = list(qs[:limit])
    for t in rows:
        row = {"task": t.pk, "file": t.filename, "status": t.status, "registry_number": t.registry_number or None,
               "attempts": t.attempts, "reason_code": t.reason_code or None, "reason": t.reason or None,
               "updated_at": t.updated_at.isoformat(timespec="seconds")}  # fmt: skip
        if as_json:
            _jsonl(row)
        else:
            out.print(f"{t.pk:>6}  {t.status:<11}  {t.registry_number or '—':<14}  {t.filename}  {t.reason or ''}",
                      highlight=False)  # fmt: skip
    if retry:
        from ingest.queue.service import TaskQueue

        failed = [t.pk for t in rows if t.status == QueuedTask.Status.FAILED]
        n = TaskQueue(bootstrap.sijill_settings()).retry(failed)
        err.print(f"{n} failed task(s) queued again.")


@app.command()
def worker(
    concurrency: Annotated[int, typer.Option(help="Files read at once by this worker.", min=1, max=64)] = 1,
    ocr_processes: Annotated[
        Optional[int], typer.Option(help="OCR processes (default: SIJILL_WORKERS).", min=1, max=64)
    ] = None,
) -> None:
    """Run a worker of the task queue: reads queued files until stopped (Ctrl-C, SIGTERM)."""
    _start()
    import logging

    from ingest.queue.backend import describe
    from ingest.queue.service import TaskQueue

    logging.getLogger("huey").setLevel(logging.WARNING)
    settings = bootstrap.sijill_settings()
    from search.service import update_after_changes

    tq = TaskQueue(settings, page_workers=ocr_processes, on_registered=lambda: update_after_changes(settings))
    err.print(f"Worker {concurrency}×, {tq.page_workers} OCR processes, queue: {describe(settings)}.")
    tq.run_worker(concurrency)


def _print_outcome(o) -> None:
    name = Path(o.path).name
    if o.status in {"registered", "duplicate"}:
        first = (o.text or "").strip().splitlines()[:1]
        tag = "[green]registered[/green]" if o.status == "registered" else "[yellow]already registered[/yellow]"
        langs = " ".join(o.languages) or "?"
        start = first[0][:60] if first else ""
        out.print(f"{o.registry_number}  {tag}  {name}  ({o.pages} p., {langs})  {start}", highlight=False)
    else:
        out.print(f"[red]{o.status}[/red]  {name}: {o.reason}")
