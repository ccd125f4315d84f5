"""`sijill`: the registry clerk's and the operator's command line."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.table import Table

from cli import bootstrap
from cli.progress import IngestProgress

app = typer.Typer(no_args_is_help=True, add_completion=False, help="Sijill — سجل: the digital bureau d'ordre.")
registry_app = typer.Typer(no_args_is_help=True, help="The register itself.")
app.add_typer(registry_app, name="registry")
signing_app = typer.Typer(no_args_is_help=True, help="Signing keys and a test PKI.")
app.add_typer(signing_app, name="signing")
audit_app = typer.Typer(no_args_is_help=True, help="The tamper-evident audit and access logs.")
app.add_typer(audit_app, name="audit")

from cli import users  # noqa: E402
from cli.common import EXIT_NOT_ALL_REGISTERED, EXIT_OK, EXIT_USAGE, _actor, _jsonl, _start, err, out  # noqa: E402

app.add_typer(users.app, name="user")


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
        from config import taxonomy

        taxonomy.load(settings.taxonomy_path)  # a broken taxonomy stops the run before any file
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
) -> None:
    """Run the web application (gunicorn) and a task-queue worker on this machine."""
    _start()
    from config.serve import serve as run_both

    err.print(f"Sijill on http://{host}:{port}/ with a worker; Ctrl-C stops both.")
    raise typer.Exit(run_both(host, port, concurrency=concurrency))


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


@app.command("list")
def list_entries(
    as_json: Annotated[bool, typer.Option("--json")] = False,
    year: Annotated[Optional[int], typer.Option(help="Only this year.")] = None,
    direction: Annotated[Optional[str], typer.Option(help="A (arrivée) or D (départ).")] = None,
) -> None:
    """Every register entry (optionally filtered), oldest first."""
    _start()
    from archive.models import RegistryEntry
    from archive.views_data import entry_summary

    qs = RegistryEntry.objects.select_related("document").order_by("direction", "year", "sequence")
    if year:
        qs = qs.filter(year=year)
    if direction:
        qs = qs.filter(direction=direction.upper()[:1])
    if as_json:
        for e in qs.iterator():
            _jsonl(entry_summary(e))
        return
    table = Table("N°", "reçu / الاستلام", "fichier", "p.", "langues", "type", "statut")
    for e in qs.iterator():
        s = entry_summary(e)
        table.add_row(
            s["registry_number"],
            s["received_at"][:16],
            s["file"] or "",
            str(s["pages"]),
            " ".join(s["languages"]),
            s["mail_type"] or "—",
            s["status"],
        )
    out.print(table)


@app.command()
def show(
    number: Annotated[str, typer.Argument(help="Registry number, e.g. A-2026-000123.")],
    text: Annotated[bool, typer.Option("--text", help="Print the full text.")] = False,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """One entry: register fields, document, pages, history."""
    _start()
    from archive import catalogue
    from archive.views_data import entry_detail
    from config.errors import NotFoundError

    try:
        entry = catalogue.get_entry(number)
    except NotFoundError as exc:
        err.print(f"[red]{exc.message}[/red]")
        raise typer.Exit(EXIT_NOT_ALL_REGISTERED) from None
    d = entry_detail(entry)
    from archive.access import record_access

    record_access(_actor(), "viewed", entry.number, via="cli", text=bool(text or as_json))
    if as_json:
        _jsonl(d)
        return
    if text:
        out.print(d["text"], markup=False, highlight=False)
        return
    table = Table(show_header=False)
    for key in ("registry_number", "direction", "received_at", "status"):
        table.add_row(key, str(d.get(key) or ""))
    for key in ("type", "service", "sender", "letter_date", "reference", "subject"):
        table.add_row(key, _with_confidence(d[key]))
    for key in ("due_date", "file", "sha256", "pages", "languages", "ocr_confidence", "original_key", "searchable_key"):
        table.add_row(key, str(d.get(key) if d.get(key) is not None else ""))
    out.print(table)
    for p in d["page_details"]:
        out.print(
            f"page {p['number']}: {p['source']}, conf {p['confidence']}, rotated {p['rotation']}°, skew {p['skew']}°"
        )
    out.print((d["text"] or "")[:400], markup=False, highlight=False)
    for h in d["history"]:
        out.print(f"{h['at'][:19]}  {h['actor']}  {h['action']}", markup=False)


def _with_confidence(f: dict) -> str:
    if f.get("value") is None:
        return "—"
    if f.get("source") == "clerk":
        return f"{f['value']}  (clerk)"
    review = " — needs review" if f.get("needs_review") else ""
    return f"{f['value']}  ({f.get('source')}, {f.get('confidence') or 0:.0%}){review}"


@app.command()
def tag(
    number: Annotated[str, typer.Argument(help="Registry number, e.g. A-2026-000123.")],
    mail_type: Annotated[Optional[str], typer.Option("--type", help="Mail type id (see config/taxonomy.toml).")] = None,
    service: Annotated[Optional[str], typer.Option(help="Service id or name (default: the type's).")] = None,
    sender: Annotated[Optional[str], typer.Option(help="Who wrote the letter.")] = None,
    date: Annotated[Optional[str], typer.Option("--date", help="The letter's date, 2026-03-14 or 14/03/2026.")] = None,
    reference: Annotated[Optional[str], typer.Option(help="The letter's own reference.")] = None,
    subject: Annotated[Optional[str], typer.Option(help="The subject.")] = None,
) -> None:
    """Correct or confirm what Sijill read (audited; `sijill train` learns from it)."""
    _start()
    from config import taxonomy
    from config.errors import SijillError
    from ingest.classify import corrections

    settings = bootstrap.sijill_settings()
    try:
        entry = corrections.tag(
            number,
            _actor(),
            taxonomy.load(settings.taxonomy_path),
            mail_type=mail_type,
            service=service,
            sender=sender,
            letter_date=date,
            reference=reference,
            subject=subject,
        )
    except SijillError as exc:
        err.print(f"[red]Not recorded:[/red] {exc.message}")
        raise typer.Exit(EXIT_USAGE if exc.code != "not_found" else EXIT_NOT_ALL_REGISTERED) from None
    out.print(f"{entry.number}: recorded (type {entry.mail_type or '—'}, service {entry.addressee_service or '—'}).")


@app.command()
def train() -> None:
    """Retrain the mail-type model on the starter examples and clerks' confirmed entries."""
    _start()
    from ingest.classify.training import retrain

    model, changed, n_starter, n_clerk = retrain(bootstrap.sijill_settings())
    what = "trained" if changed else "already up to date"
    out.print(f"Model {model.version} {what}: {n_starter} starter examples + {n_clerk} clerk corrections.")


@app.command("quarantine")
def quarantine_list(as_json: Annotated[bool, typer.Option("--json")] = False) -> None:
    """Files kept aside because they could not be processed, with the reason."""
    _start()
    from archive import quarantine

    rows = quarantine.pending()
    if as_json:
        for q in rows:
            _jsonl(
                {
                    "file": q.source_path,
                    "sha256": q.sha256,
                    "reason_code": q.reason_code,
                    "reason": q.reason,
                    "storage_key": q.storage_key,
                    "attempts": q.attempts,
                    "last_seen": q.last_seen.isoformat(),
                }
            )
        return
    if not rows:
        out.print("Quarantine is empty.")
        return
    table = Table("file", "reason", "tries", "kept as")
    for q in rows:
        table.add_row(q.source_path, q.reason, str(q.attempts), q.storage_key)
    out.print(table)


@registry_app.command("export")
def registry_export(
    year: Annotated[int, typer.Option(help="Year of the register.")],
    fmt: Annotated[str, typer.Option("--format", help="Only csv for now.")] = "csv",
    output: Annotated[Optional[Path], typer.Option("--out", help="Write here instead of stdout.")] = None,
) -> None:
    """The year's register as CSV (UTF-8 with BOM, so spreadsheet software shows Arabic)."""
    if fmt != "csv":
        err.print(f"[red]Unknown format {fmt!r}: use csv.[/red]")
        raise typer.Exit(EXIT_USAGE)
    _start()
    from archive.export import registry_csv

    data = registry_csv(year)
    if output:
        output.write_text("\ufeff" + data, encoding="utf-8")
        err.print(f"Wrote {output}")
    else:
        sys.stdout.write(data)


@app.command("search")
def search_cmd(
    query: Annotated[str, typer.Argument(help='Words (AND), "a phrase", prefix*, -excluded, a reference.')] = "",
    mail_type: Annotated[Optional[str], typer.Option("--type", help="Mail type id, e.g. urbanisme.")] = None,
    department: Annotated[Optional[str], typer.Option(help="Service the letter was sent to.")] = None,
    status: Annotated[Optional[str], typer.Option(help="registered, assigned, in_progress, answered, closed.")] = None,
    sender: Annotated[Optional[str], typer.Option(help="Words of the sender's name.")] = None,
    direction: Annotated[Optional[str], typer.Option(help="A (arrivée / وارد) or D (départ / صادر).")] = None,
    tag: Annotated[Optional[list[str]], typer.Option(help="Only entries with this tag (repeatable).")] = None,
    language: Annotated[Optional[str], typer.Option(help="ar or fr.")] = None,
    date_from: Annotated[Optional[str], typer.Option("--from", help="Received on or after this day.")] = None,
    date_to: Annotated[Optional[str], typer.Option("--to", help="Received on or before this day.")] = None,
    letter_from: Annotated[Optional[str], typer.Option(help="Letter dated on or after this day.")] = None,
    letter_to: Annotated[Optional[str], typer.Option(help="Letter dated on or before this day.")] = None,
    limit: Annotated[int, typer.Option(help="How many results.")] = 10,
    offset: Annotated[int, typer.Option(help="Skip this many results (paging).")] = 0,
    facets: Annotated[bool, typer.Option("--facets", help="Count results by type, service, status, year.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object: total, hits, facets.")] = False,
) -> None:
    """Search the archive (Arabic and French, any spelling variant)."""
    from config.errors import QueryError, SearchError

    _start()
    from search.query import SearchRequest, parse_day
    from search.service import search_catalogue

    try:
        request = SearchRequest(
            text=query,
            direction=direction,
            mail_type=mail_type,
            department=department,
            status=status,
            tags=tuple(tag or ()),
            language=language,
            sender=sender,
            received_from=parse_day(date_from, "--from", "start") if date_from else None,
            received_to=parse_day(date_to, "--to", "end") if date_to else None,
            letter_from=parse_day(letter_from, "--letter-from", "start") if letter_from else None,
            letter_to=parse_day(letter_to, "--letter-to", "end") if letter_to else None,
            limit=limit,
            offset=offset,
            facets=facets,
        )
        results = search_catalogue(bootstrap.sijill_settings(), request)
    except QueryError as exc:
        err.print(f"[red]Search not run:[/red] {exc.message}")
        raise typer.Exit(EXIT_USAGE) from None
    except SearchError as exc:
        err.print(f"[red]Search unavailable:[/red] {exc.message}")
        raise typer.Exit(EXIT_NOT_ALL_REGISTERED) from None
    if as_json:
        _jsonl(results.as_json())
        return
    from cli.render import print_results

    print_results(out, err, results)


@app.command()
def reindex() -> None:
    """Rebuild the search index from the catalogue (searches keep working meanwhile)."""
    from config.errors import SearchError

    _start()
    from cli.progress import CountProgress
    from search.service import rebuild
    from search.sync import entries_total

    settings = bootstrap.sijill_settings()
    try:
        with CountProgress("reindex", entries_total(), err) as progress:
            n = rebuild(settings, progress.advance)
    except SearchError as exc:
        err.print(f"[red]Reindex failed:[/red] {exc.message} The catalogue is unchanged; run it again.")
        raise typer.Exit(EXIT_NOT_ALL_REGISTERED) from None
    err.print(f"Indexed {n} entries ({settings.search.backend}).")


@app.command()
def migrate(
    words: Annotated[
        list[str], typer.Argument(help="SOURCE_DIR, or: verify SOURCE_DIR", metavar="[verify] SOURCE_DIR")
    ],
    manifest: Annotated[Optional[Path], typer.Option(help="The legacy register as CSV.")] = None,
    encoding: Annotated[Optional[str], typer.Option(help="Manifest encoding (default: detected).")] = None,
    columns: Annotated[Optional[str], typer.Option(help="Header names: file=Fichier,legacy_number=N° ...")] = None,
    workers: Annotated[Optional[int], typer.Option(help="Pages OCR'd side by side (default: cores).")] = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Check manifest and tree; ingest nothing.")] = False,
    split: Annotated[
        Optional[str], typer.Option(help="Cut bulk scans into letters at 'blank' pages or separator 'sheet's.")
    ] = None,
) -> None:
    """Bring a legacy archive in, resumably (re-run the same command after any interruption).

    Also: `sijill migrate verify SOURCE_DIR`, and `sijill migrate separator-sheet FILE.pdf`
    (a sheet to put between letters before bulk scanning, for --split sheet)."""
    import dataclasses

    from config.errors import ConfigError

    if len(words) == 2 and words[0] == "separator-sheet":
        from ingest.migrate.split import separator_sheet

        Path(words[1]).write_bytes(separator_sheet())
        out.print(f"Separator sheet written to {words[1]}: print it and put one between letters.")
        return
    if split not in (None, "blank", "sheet"):
        err.print("[red]--split takes 'blank' or 'sheet'.[/red]")
        raise typer.Exit(EXIT_USAGE)
    verify_mode = len(words) == 2 and words[0] == "verify"
    if len(words) != 1 and not verify_mode:
        err.print("[red]Usage: sijill migrate SOURCE_DIR [options]  |  sijill migrate verify SOURCE_DIR[/red]")
        raise typer.Exit(EXIT_USAGE)
    source = Path(words[-1])
    if not source.is_dir():
        err.print(f"[red]Not a folder:[/red] {source}")
        raise typer.Exit(EXIT_USAGE)
    _start()
    from archive.objectstore import open_store
    from ingest.migrate import manifest as mf
    from ingest.migrate import runner

    settings = bootstrap.sijill_settings()
    if workers:
        settings = dataclasses.replace(settings, workers=max(1, workers))
    store = open_store(settings)
    if verify_mode:
        n, problems = runner.verify(source, store)
        for p in problems:
            out.print(f"[red]✗[/red] {p}", highlight=False)
        out.print(f"{n} source files checked, {len(problems)} not accounted for.")
        raise typer.Exit(EXIT_OK if not problems else EXIT_NOT_ALL_REGISTERED)
    try:
        legacy = mf.read_manifest(manifest, encoding, mf.parse_mapping(columns)) if manifest else None
    except ConfigError as exc:
        err.print(f"[red]Manifest:[/red] {exc.message}")
        raise typer.Exit(EXIT_USAGE) from None
    if legacy:
        err.print(f"Manifest: {len(legacy.lines)} lines ({legacy.encoding}), {len(legacy.problems)} problem(s).")
    if dry_run:
        report = runner.dry_run(source, legacy, settings)
        out.print(f"{report.files} files in {source}")
        for title, items in (
            ("listed in the manifest but missing", report.missing),
            ("not in the manifest (ingested without legacy fields)", report.not_in_manifest),
            ("unreadable", [f"{f}: {why}" for f, why in report.unreadable]),
            ("same content", [" = ".join(g) for g in report.duplicates]),
            ("manifest problems", report.manifest_problems),
        ):
            out.print(f"{len(items)} {title}", highlight=False)
            for item in items[:50]:
                out.print(f"    {item}", highlight=False)
        raise typer.Exit(EXIT_OK if report.clean else EXIT_NOT_ALL_REGISTERED)
    from cli.progress import IngestProgress

    progress: list[IngestProgress] = []

    def started(total: int, already: int, todo: int) -> None:
        err.print(f"{total} source files; {already} already done by an earlier run; {todo} files to go.")
        progress.append(IngestProgress(todo, err))
        progress[0].__enter__()

    def file_done(outcome, state: str) -> None:
        progress[0].file_done(outcome.pages, state != "failed")

    try:
        summary = runner.migrate(source, settings, store, _actor(), legacy, started, file_done, split)
    finally:
        if progress:
            progress[0].__exit__(None, None, None)
    c = summary.counts
    split_note = (
        f" + {c['split']} split into {sum(summary.parts.values())} letters "
        f"({summary.parts['done']} archived, {summary.parts['duplicate']} duplicates, "
        f"{summary.parts['quarantined']} quarantined, {summary.parts['failed']} failed)"
        if c["split"]
        else ""
    )
    err.print(
        f"{summary.total} source files = {c['done']} archived + {c['duplicate']} duplicates + "
        f"{c['quarantined']} quarantined + {c['failed']} failed{split_note}"
        + ("" if summary.reconciles else "  [red](does not add up: re-run the same command)[/red]")
    )
    err.print(f"Report: {summary.report}")
    from search.service import update_after_changes

    update_after_changes(settings)
    failed = c["failed"] + summary.parts["failed"]
    raise typer.Exit(EXIT_OK if not failed and summary.reconciles else EXIT_NOT_ALL_REGISTERED)


def _password(what: str) -> str:
    """From SIJILL_SIGNING_PASSWORD or a prompt: never from the command line (shell history)."""
    import os

    return os.environ.get("SIJILL_SIGNING_PASSWORD") or typer.prompt(what, hide_input=True)


@signing_app.command("dev-pki")
def dev_pki(
    folder: Annotated[Path, typer.Argument(help="Where to write ca.pem, signer.p12, tsa.pem, tsa.key.pem.")],
    name: Annotated[str, typer.Option(help="The test signer's name.")] = "Signataire de test",
    algorithm: Annotated[str, typer.Option(help="rsa (2048) or ec (P-256).")] = "rsa",
) -> None:
    """Create a TEST-ONLY CA, signer and TSA key for development (never for real letters)."""
    from signing import pki

    if algorithm not in ("rsa", "ec"):
        err.print("[red]--algorithm must be rsa or ec.[/red]")
        raise typer.Exit(EXIT_USAGE)
    p = pki.create(folder, _password("Password for signer.p12"), name, algorithm)
    out.print(f"{pki.TEST_MARK}: CA {p.ca_pem}, signer {p.signer_p12}, TSA {p.tsa_cert_pem} + {p.tsa_key_pem}")


@app.command()
def sign(
    files: Annotated[list[Path], typer.Argument(help="Outgoing letters (PDF) to register and sign.")],
    key: Annotated[Optional[Path], typer.Option("--key", help="PKCS#12 file (.p12) of the signer.")] = None,
    token: Annotated[Optional[str], typer.Option(help="PKCS#11 token label (HSM, smart card).")] = None,
    key_label: Annotated[str, typer.Option(help="Label of the key on the token.")] = "signer",
    pkcs11_lib: Annotated[str, typer.Option(help="PKCS#11 module.")] = "/usr/lib/softhsm/libsofthsm2.so",
    cert: Annotated[Optional[Path], typer.Option(help="Signer certificate (PEM) if not on the token.")] = None,
    reply_to: Annotated[Optional[str], typer.Option(help="Arrival number this letter answers.")] = None,
    out_dir: Annotated[Optional[Path], typer.Option("--out", help="Write NAME.signed.pdf here.")] = None,
    function_ar: Annotated[str, typer.Option(help="Signer's function in Arabic (stamp).")] = "",
    function_fr: Annotated[str, typer.Option(help="Signer's function in French (stamp).")] = "",
    name_ar: Annotated[str, typer.Option(help="Signer's name in Arabic (stamp).")] = "",
    long_term: Annotated[
        bool, typer.Option("--long-term", help="PAdES B-LTA: embed revocation data and a document timestamp.")
    ] = False,
    visa: Annotated[
        bool, typer.Option("--visa", help="A visa (paraphe) before the final signature: writes NAME.visa.pdf.")
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object per file.")] = False,
) -> None:
    """Register outgoing letters (départ), stamp and sign them with PAdES, archive them."""
    missing = [str(p) for p in files if not p.is_file()]
    if missing:
        err.print(f"[red]Not found:[/red] {', '.join(missing)}")
        raise typer.Exit(EXIT_USAGE)
    if (key is None) == (token is None):
        err.print("[red]Give either --key FILE.p12 or --token LABEL (PKCS#11).[/red]")
        raise typer.Exit(EXIT_USAGE)
    _start()
    from archive.objectstore import open_store
    from config.errors import SijillError
    from signing.outgoing import Signatory, sign_files, visa_files
    from signing.sign import load_pkcs11, load_pkcs12

    settings = bootstrap.sijill_settings()
    signing_key = None
    try:
        if key is not None:
            signing_key = load_pkcs12(key, _password(f"Password for {key.name}"))
        else:
            assert token is not None
            signing_key = load_pkcs11(pkcs11_lib, token, key_label, _password(f"PIN of token {token}"), cert)
        who = Signatory(signing_key, function_ar, function_fr, name_ar)
        if visa:
            outcomes = list(visa_files(files, who, settings, out_dir))
        else:
            store = open_store(settings)
            outcomes = list(sign_files(files, who, settings, store, _actor(), reply_to, out_dir, long_term))
    except SijillError as exc:
        err.print(f"[red]Not signed:[/red] {exc.message}")
        raise typer.Exit(EXIT_USAGE) from None
    finally:
        if signing_key is not None:
            signing_key.close()
    for o in outcomes:
        if as_json:
            _jsonl(o.as_json())
        elif o.status == "failed":
            out.print(f"[red]failed[/red]  {o.path}: {o.reason}")
        else:
            out.print(f"{o.number or '—'}  {o.status}  {o.output}", highlight=False)
    if any(o.status == "failed" for o in outcomes):
        raise typer.Exit(EXIT_NOT_ALL_REGISTERED)


@app.command()
def verify(
    file: Annotated[Optional[Path], typer.Argument(help="A signed PDF.")] = None,
    trust: Annotated[Optional[list[Path]], typer.Option(help="Trusted root certificate (PEM), repeatable.")] = None,
    crl: Annotated[Optional[list[Path]], typer.Option(help="Revocation list (DER/PEM) to check, repeatable.")] = None,
    qr: Annotated[Optional[str], typer.Option(help="Text of a stamp's QR code, to check a printed copy.")] = None,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Check every signature of a PDF (exit 0 only if all are valid and trusted)."""
    from config.errors import SijillError

    if (file is None) == (qr is None):
        err.print("[red]Give either a PDF file or --qr TEXT.[/red]")
        raise typer.Exit(EXIT_USAGE)
    if qr is not None:
        _start()
        from archive.objectstore import open_store
        from signing.qr import check_qr

        try:
            result = check_qr(qr, open_store(bootstrap.sijill_settings()))
        except SijillError as exc:
            err.print(f"[red]{exc.message}[/red]")
            raise typer.Exit(EXIT_NOT_ALL_REGISTERED) from None
        _jsonl(result) if as_json else out.print(result["verdict"], highlight=False)
        raise typer.Exit(EXIT_OK if result["ok"] else EXIT_NOT_ALL_REGISTERED)
    from signing.verify import verify_pdf

    assert file is not None
    if not file.is_file():
        err.print(f"[red]Not found:[/red] {file}")
        raise typer.Exit(EXIT_USAGE)
    configured = _configured_signing()
    roots = list(trust or []) or list(configured.trust_roots)
    try:
        report = verify_pdf(file.read_bytes(), roots, list(crl or []) or list(configured.crls))
    except SijillError as exc:
        err.print(f"[red]Cannot verify:[/red] {exc.message}")
        raise typer.Exit(EXIT_NOT_ALL_REGISTERED) from None
    if as_json:
        _jsonl(report.as_json())
    else:
        if not report.signatures:
            out.print("No signature in this PDF.")
        for s in report.signatures:
            mark = "[green]VALID[/green]" if s.ok else "[red]NOT VALID[/red]"
            out.print(f"{mark}  {s.field}: {s.signer}")
            out.print(f"    signed {s.signing_time}; timestamp {s.timestamp or '—'}; covers {s.coverage}; "
                      f"changed after: {s.modified_after}", highlight=False)  # fmt: skip
            out.print(f"    revocation: {s.revocation}", highlight=False)
            for p in s.problems:
                out.print(f"    - {p}", highlight=False)
    raise typer.Exit(EXIT_OK if report.ok else EXIT_NOT_ALL_REGISTERED)


def _configured_signing():
    from config import sijill

    return sijill.load().signing


@app.command()
def backup(
    to: Annotated[Path, typer.Option("--to", help="A new, empty folder for the snapshot.")],
) -> None:
    """A consistent snapshot of the embedded archive (catalogue, objects, index), while serving."""
    _start()
    from archive.backup import backup as take_backup
    from config.errors import SijillError
    from search.service import snapshot_index

    settings = bootstrap.sijill_settings()
    try:
        info = take_backup(settings, to, copy_index=lambda folder: snapshot_index(settings, folder))
    except SijillError as exc:
        err.print(f"[red]No backup made:[/red] {exc.message}")
        raise typer.Exit(EXIT_USAGE) from None
    out.print(f"Backup in {to}: catalogue {info.catalogue_sha256[:16]}…, {info.objects} objects, "
              f"search index {'copied' if info.index_identity else 'not copied (rebuilt on restore)'}.")  # fmt: skip


@app.command()
def restore(
    source: Annotated[Path, typer.Argument(help="A folder made by `sijill backup`.")],
) -> None:
    """Bring a backup back into an empty SIJILL_HOME (then check it: fsck, audit verify)."""
    from django.conf import settings as dj

    from archive.backup import restore as do_restore
    from config.errors import SijillError

    _start(migrate=False)
    try:
        info = do_restore(dj.SIJILL, source)
    except SijillError as exc:
        err.print(f"[red]Not restored:[/red] {exc.message}")
        raise typer.Exit(EXIT_USAGE) from None
    out.print(f"Restored the backup of {info.created_at} into {dj.SIJILL.home}: {info.objects} objects. "
              "Check it with `sijill fsck` and `sijill audit verify`.")  # fmt: skip


@app.command()
def fsck(
    sample: Annotated[
        Optional[int], typer.Option(help="Check this many objects drawn at random (no orphan search).", min=1)
    ] = None,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Re-hash archived originals against the catalogue; exit 1 on anything missing, changed,
    overwritten, deleted or orphaned."""
    _start()
    from archive import fsck as fixity
    from archive.objectstore import open_store
    from config.errors import SijillError
    from ingest.migrate.runner import bulk_scans

    try:
        report = fixity.check(open_store(bootstrap.sijill_settings()), sample, extra=bulk_scans())
    except SijillError as exc:
        err.print(f"[red]fsck could not run:[/red] {exc.message}")
        raise typer.Exit(EXIT_USAGE) from None
    if as_json:
        _jsonl(report.as_json())
    else:
        for p in report.problems:
            out.print(f"[red]{p['kind']}[/red]  {p['key']}  {p['what']}: {p['detail']}", highlight=False)
        verdict = "[green]all well[/green]" if report.ok else f"[red]{len(report.problems)} problem(s)[/red]"
        out.print(f"fsck: {report.checked} objects checked{' (sample)' if report.sampled else ''}, {verdict}.")
    if not report.ok:
        raise typer.Exit(EXIT_NOT_ALL_REGISTERED)


@audit_app.command("verify")
def audit_verify(
    as_json: Annotated[bool, typer.Option("--json")] = False,
    digest: Annotated[
        Optional[list[Path]], typer.Option("--digest", help="A saved daily digest (JSON) to check against.")
    ] = None,
) -> None:
    """Re-hash the audit chain and the sealed access log; exit 1 on any deleted, altered or
    reordered event (with --digest, also on events cut off after a saved digest)."""
    _start()
    from archive import auditchain

    try:
        anchors = [json.loads(p.read_text(encoding="utf-8")) for p in digest or []]
    except (OSError, ValueError) as exc:
        err.print(f"[red]--digest: cannot read it ({exc}).[/red]")
        raise typer.Exit(EXIT_USAGE) from None
    report = auditchain.verify(anchors)
    if as_json:
        _jsonl(report.as_json())
    else:
        for p in report.problems:
            out.print(f"[red]{p.kind}[/red]  {p.chain} {p.seq}: {p.detail}", highlight=False)
        state = "[green]intact[/green]" if report.ok else f"[red]{len(report.problems)} problem(s)[/red]"
        out.print(
            f"Audit chain {state}: {report.events} events, head {report.head[:16]}…; access log: "
            f"{report.sealed_access_events} events in {report.seals} seals, {report.unsealed_access_events} not "
            "sealed yet (`sijill audit seal`)."
        )
    if not report.ok:
        raise typer.Exit(EXIT_NOT_ALL_REGISTERED)


@audit_app.command("seal")
def audit_seal() -> None:
    """Chain the access events not sealed yet (the worker does this periodically)."""
    _start()
    from archive.access import seal_pending

    out.print(f"{seal_pending()} access events sealed.")


@audit_app.command("digest")
def audit_digest(
    date: Annotated[Optional[str], typer.Option("--date", help="YYYY-MM-DD (default: yesterday).")] = None,
    as_json: Annotated[bool, typer.Option("--json")] = False,
    timestamp: Annotated[
        Optional[Path],
        typer.Option("--timestamp", help="Write DIGEST.json and its RFC 3161 token DIGEST.tst (SIJILL_TSA_URL)."),
    ] = None,
) -> None:
    """The chain's head at the end of a day: print it, or time-stamp it, to anchor the log."""
    import datetime as dt

    _start()
    from django.utils import timezone

    from archive import auditchain

    try:
        day = dt.date.fromisoformat(date) if date else timezone.localdate() - dt.timedelta(days=1)
    except ValueError:
        err.print(f"[red]--date must be YYYY-MM-DD, got {date!r}.[/red]")
        raise typer.Exit(EXIT_USAGE) from None
    d = auditchain.digest(day)
    if timestamp is not None:
        from config.errors import SijillError
        from signing.anchor import timestamp_token

        tsa = bootstrap.sijill_settings().signing.tsa_url
        if not tsa:
            err.print("[red]--timestamp needs SIJILL_TSA_URL (an RFC 3161 time-stamping server).[/red]")
            raise typer.Exit(EXIT_USAGE)
        body = json.dumps(d, ensure_ascii=False, sort_keys=True).encode()
        try:
            token = timestamp_token(body, tsa)
        except SijillError as exc:
            err.print(f"[red]{exc.message}[/red]")
            raise typer.Exit(EXIT_NOT_ALL_REGISTERED) from None
        timestamp.with_suffix(".json").write_bytes(body)
        timestamp.with_suffix(".tst").write_bytes(token)
        err.print(f"Digest and its time-stamp token written: {timestamp.with_suffix('.json')}, "
                  f"{timestamp.with_suffix('.tst')}")  # fmt: skip
    if as_json:
        _jsonl(d)
        return
    out.print(f"Sijill audit digest for {d['date']}", highlight=False)
    for key in ("events_that_day", "last_seq", "head", "access_seal_seq", "access_head", "digest"):
        out.print(f"  {key}: {d[key]}", highlight=False)


@app.command("migrate-db")
def migrate_db() -> None:
    """Apply the catalogue's schema changes after an upgrade (safe on many machines at once)."""
    _start(migrate=False)
    from archive import schema
    from config.errors import SijillError
    from config.failures import database_errors

    try:
        with database_errors():
            before = schema.state()
            after = schema.migrate(bootstrap.sijill_settings().home)
    except SijillError as exc:
        err.print(f"[red]Schema not changed:[/red] {exc.message}")
        raise typer.Exit(EXIT_NOT_ALL_REGISTERED) from None
    applied = len(before.pending) - len(after.pending)
    out.print(f"Catalogue schema {after.describe()}; {applied} change(s) applied now.")


@app.command()
def doctor() -> None:
    """Check Tesseract, its ara/fra/osd data, system tools, storage and database."""
    _start(migrate=False)
    from config.doctor import run_checks

    checks = run_checks(bootstrap.sijill_settings())
    bad = False
    for c in checks:
        mark = "[green]ok[/green]" if c.ok else ("[red]MISSING[/red]" if c.required else "[yellow]optional[/yellow]")
        out.print(f"{mark:>24}  {c.name}: {c.detail}" + (f"  → {c.fix}" if c.fix else ""))
        bad |= c.required and not c.ok
    if bad:
        raise typer.Exit(EXIT_NOT_ALL_REGISTERED)


def main() -> None:
    app()


if __name__ == "__main__":
    main()
