"""Records management: the retention calendar and legal holds."""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from cli import bootstrap
from cli.app import app
from cli.common import EXIT_USAGE, _actor, _jsonl, _start, err, out


@app.command()
def retention() -> None:
    """Show the retention calendar in force (config/retention.toml), checked against the taxonomy."""
    _start()
    from rich.table import Table

    from archive import retention as rt
    from config.errors import SijillError

    try:
        cal = rt.calendar(bootstrap.sijill_settings(), checked=True)
    except SijillError as exc:
        err.print(f"[red]Retention calendar:[/red] {exc.message}")
        raise typer.Exit(EXIT_USAGE) from None
    if rt.note_calendar(cal, _actor()):
        err.print(f"New calendar version {cal.version} recorded in the audit log.")
    table = Table("type", "service", "active", "intermediate", "fate")
    table.add_row("(default)", "", str(cal.default.active_years), str(cal.default.intermediate_years), cal.default.fate)
    for type_id, r in sorted(cal.types.items()):
        table.add_row(type_id, "", str(r.active_years), str(r.intermediate_years), r.fate)
    for (type_id, service), r in sorted(cal.overrides.items()):
        table.add_row(type_id, service, str(r.active_years), str(r.intermediate_years), r.fate)
    out.print(table)


@app.command()
def hold(
    numbers: Annotated[Optional[list[str]], typer.Argument(help="Registry numbers to hold.")] = None,
    reason: Annotated[str, typer.Option(help="Why (the dispute, the inquiry).")] = "",
    release: Annotated[Optional[str], typer.Option(help="Release the hold on this number instead.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="List the holds as JSON lines.")] = False,
) -> None:
    """Put letters on legal hold (nothing destroys or transfers them), release one, or list them."""
    _start()
    from archive import holds
    from config.errors import SijillError

    try:
        if release:
            holds.release(release, reason, _actor())
            out.print(f"{release}: hold released.")
        elif numbers:
            n = holds.place(numbers, reason, _actor())
            out.print(f"{n} letter(s) put on hold ({len(numbers) - n} already were).")
        else:
            for h in holds.active():
                row = {"registry_number": h.entry.number, "reason": h.reason, "by": h.placed_by,
                       "at": h.placed_at.isoformat(timespec="seconds")}  # fmt: skip
                if as_json:
                    _jsonl(row)
                else:
                    out.print(f"{row['registry_number']}  {row['at'][:10]}  {row['by']}  {row['reason']}")
    except SijillError as exc:
        err.print(f"[red]Not done:[/red] {exc.message}")
        raise typer.Exit(EXIT_USAGE) from None
