"""`sijill migrate`: decades of legacy paper, in bulk, resumable."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from cli import bootstrap
from cli.app import app
from cli.common import EXIT_NOT_ALL_REGISTERED, EXIT_OK, EXIT_USAGE, _actor, _start, err, out
from cli.progress import IngestProgress


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
    service: Annotated[
        Optional[str], typer.Option(help="separator-sheet only: the service the next letter is routed to.")
    ] = None,
) -> None:
    """Bring a legacy archive in, resumably (re-run the same command after any interruption).

    Also: `sijill migrate verify SOURCE_DIR`, and `sijill migrate separator-sheet FILE.pdf
    [--service ID]` (a sheet to put between letters before bulk scanning, for --split sheet and
    hot folders; with --service, the letter after it is routed there)."""
    import dataclasses

    from config.errors import ConfigError

    if len(words) == 2 and words[0] == "separator-sheet":
        _separator_sheet(Path(words[1]), service)
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


def _separator_sheet(path: Path, service: str | None) -> None:
    _start()
    from archive import taxonomy_store
    from ingest.split import separator_sheet

    label = ""
    if service:
        taxonomy = taxonomy_store.current(bootstrap.sijill_settings())
        if service not in taxonomy.services:
            err.print(f"[red]Unknown service {service!r}; one of: {', '.join(sorted(taxonomy.services))}.[/red]")
            raise typer.Exit(EXIT_USAGE)
        label = taxonomy.services[service].fr
    path.write_bytes(separator_sheet(service=service, service_label=label))
    where = f" (the next letter goes to {service})" if service else ""
    out.print(f"Separator sheet written to {path}{where}: print it and put one between letters.")
