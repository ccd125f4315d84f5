"""Commands for the ways mail arrives besides the command line: scanners' hot folders, e-mail."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from cli import bootstrap
from cli.app import app
from cli.common import EXIT_USAGE, _start, err


@app.command()
def watch(
    folders: Annotated[
        Optional[list[Path]], typer.Argument(help="Scanners' folders (default: SIJILL_WATCH_DIRS).")
    ] = None,
    service: Annotated[Optional[str], typer.Option(help="Route the folders' letters to this service.")] = None,
    poll: Annotated[bool, typer.Option("--poll", help="Poll instead of inotify (network shares).")] = False,
    once: Annotated[bool, typer.Option("--once", hidden=True, help="One pass, for scripts.")] = False,
) -> None:
    """Watch hot folders: complete files go to the task queue, then to DIR/.done/ or DIR/.quarantine/."""
    _start()
    import signal
    import threading

    from archive import taxonomy_store
    from ingest.hotfolder import HotFolder
    from ingest.queue.backend import describe
    from ingest.queue.service import TaskQueue

    settings = bootstrap.sijill_settings()
    chosen = {p.expanduser().resolve(): service for p in folders} if folders else dict(settings.intake.watch_dirs)
    if not chosen:
        err.print("[red]Name the folders to watch, or set SIJILL_WATCH_DIRS.[/red]")
        raise typer.Exit(EXIT_USAGE)
    taxonomy = taxonomy_store.current(settings)
    unknown = sorted({s for s in chosen.values() if s and s not in taxonomy.services})
    if unknown:
        err.print(
            f"[red]Unknown service(s) {', '.join(unknown)}; one of: {', '.join(sorted(taxonomy.services))}.[/red]"
        )
        raise typer.Exit(EXIT_USAGE)
    hot = HotFolder(TaskQueue(settings), chosen, settle_s=settings.intake.watch_settle_s)
    stop = threading.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: stop.set())
    names = ", ".join(str(p) for p in chosen)
    err.print(f"Watching {names}; queue: {describe(settings)} (`sijill worker` or `sijill serve` reads the files).")

    def report(moved) -> None:
        numbers = ", ".join(why for _, status, why in moved.outcomes if status in ("registered", "duplicate"))
        err.print(f"{moved.path.name} → {moved.to.parent.name}/ {numbers}")

    if once:
        for moved in hot.poll():
            report(moved)
        return
    hot.run(stop, polling=poll, on_moved=report)


@app.command("mail-fetch")
def mail_fetch() -> None:
    """Read the registry's e-mail inbox (SIJILL_IMAP_URL) once: attachments become letters."""
    _start()
    from config.errors import SijillError
    from ingest.mailfetch import fetch
    from ingest.queue.service import TaskQueue

    settings = bootstrap.sijill_settings()
    try:
        got = fetch(settings, TaskQueue(settings))
    except SijillError as exc:
        err.print(f"[red]Mail not read:[/red] {exc.message}")
        raise typer.Exit(EXIT_USAGE) from None
    except OSError as exc:  # the IMAP server is away or refused the login
        err.print(f"[red]Mail not read:[/red] the mailbox could not be reached ({exc}).")
        raise typer.Exit(1) from None
    err.print(f"{got.messages} message(s) read, {got.letters} letter(s) queued, {got.already} already read.")
    for why in got.skipped:
        err.print(f"  not a letter: {why}")
