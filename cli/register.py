"""Commands on the register: list, show, correct, train, quarantine, export."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.table import Table

from cli import bootstrap
from cli.app import app, registry_app
from cli.common import EXIT_NOT_ALL_REGISTERED, EXIT_USAGE, _actor, _jsonl, _start, err, out


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

    qs = (
        RegistryEntry.objects.select_related("document")
        .prefetch_related("routings")
        .order_by("direction", "year", "sequence")
    )
    if year:
        qs = qs.filter(year=year)
    if direction:
        qs = qs.filter(direction=direction.upper()[:1])
    if as_json:
        for e in qs.iterator(chunk_size=500):
            _jsonl(entry_summary(e))
        return
    table = Table("N°", "reçu / الاستلام", "fichier", "p.", "langues", "type", "statut")
    for e in qs.iterator(chunk_size=500):
        s = entry_summary(e)
        table.add_row(
            s["registry_number"],
            s["received_at"][:16],
            s["file"] or "",
            str(s["pages"]),
            " ".join(s["languages"]),
            s["type"]["value"] or "—",
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
    from archive import taxonomy_store
    from config.errors import SijillError
    from ingest.classify import corrections

    settings = bootstrap.sijill_settings()
    try:
        entry = corrections.tag(
            number,
            _actor(),
            taxonomy_store.current(settings),
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
def train(
    queue: Annotated[
        bool, typer.Option("--queue", help="Train on a worker of the task queue instead of here.")
    ] = False,
) -> None:
    """Retrain the mail-type model on the starter examples and clerks' confirmed entries."""
    _start()
    settings = bootstrap.sijill_settings()
    if queue:
        from ingest.queue.service import TaskQueue

        TaskQueue(settings).train()
        out.print("Training queued: a worker trains the model; every worker then loads it before its next file.")
        return
    from ingest.classify.training import retrain

    model, changed, n_starter, n_clerk = retrain(settings)
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
