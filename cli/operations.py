"""The operator's commands: backup, restore, fsck, audit logs, schema, doctor."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Optional

import typer

from cli import bootstrap
from cli.app import app, audit_app
from cli.common import EXIT_NOT_ALL_REGISTERED, EXIT_USAGE, _jsonl, _start, err, out


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
