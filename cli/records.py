"""Records management: the retention calendar and legal holds."""

from __future__ import annotations

from pathlib import Path
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
    query: Annotated[Optional[str], typer.Option(help="Hold every letter this search finds.")] = None,
    reason: Annotated[str, typer.Option(help="Why (the dispute, the inquiry).")] = "",
    release: Annotated[Optional[str], typer.Option(help="Release the hold on this number instead.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="List the holds as JSON lines.")] = False,
) -> None:
    """Put letters on legal hold (nothing destroys or transfers them), release one, or list them."""
    _start()
    from archive import holds
    from config.errors import SijillError

    if query:
        numbers = [*(numbers or []), *_search_numbers(bootstrap.sijill_settings(), query)]
        if not numbers:
            err.print(f"[red]The search {query!r} found no letter: nothing was put on hold.[/red]")
            raise typer.Exit(EXIT_USAGE)
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


@app.command()
def transfer(
    words: Annotated[Optional[list[str]], typer.Argument(help="confirm BAG_DIR (after the archives' receipt)")] = None,
    to: Annotated[Optional[Path], typer.Option("--to", help="Folder the bag is written in.")] = None,
    query: Annotated[Optional[str], typer.Option(help="Letters found by this search.")] = None,
    mail_type: Annotated[Optional[str], typer.Option("--type", help="Letters of this type.")] = None,
    year: Annotated[Optional[int], typer.Option(help="Letters registered this year.")] = None,
) -> None:
    """Write a BagIt bag of letters for Archives du Maroc; `transfer confirm BAG_DIR` records their receipt."""
    _start()
    from archive import transfer as tr
    from archive.models import RegistryEntry
    from archive.objectstore import open_store
    from config.errors import SijillError

    settings = bootstrap.sijill_settings()
    try:
        if words:
            if len(words) != 2 or words[0] != "confirm":
                err.print("[red]Usage: sijill transfer --to DIR [--query Q | --type T --year Y]  |  "
                          "sijill transfer confirm BAG_DIR[/red]")  # fmt: skip
                raise typer.Exit(EXIT_USAGE)
            numbers = tr.confirm(Path(words[1]), _actor())
            out.print(f"Receipt recorded for {len(numbers)} letter(s).")
            return
        if to is None or not (query or mail_type or year):
            err.print("[red]Give --to DIR and the letters: --query, or --type and/or --year.[/red]")
            raise typer.Exit(EXIT_USAGE)
        qs = RegistryEntry.objects.filter(voided_at__isnull=True)
        if mail_type:
            qs = qs.filter(mail_type=mail_type)
        if year:
            qs = qs.filter(year=year)
        if query:
            qs = qs.filter(number__in=_search_numbers(settings, query))
        bag = tr.make_bag(qs, open_store(settings), to, _actor(), settings.web.office_name)
    except SijillError as exc:
        err.print(f"[red]Not done:[/red] {exc.message}")
        raise typer.Exit(EXIT_USAGE) from None
    out.print(f"{bag.path}: {len(bag.letters)} letter(s), checksums SHA-256 and SHA-512.")
    if bag.held:
        err.print(f"Left out, on legal hold: {', '.join(bag.held[:20])}" + (" …" if len(bag.held) > 20 else ""))


def _search_numbers(settings, query: str) -> list[str]:
    from search.query import MAX_WINDOW, SearchRequest
    from search.service import search_as_is

    res = search_as_is(settings, SearchRequest(text=query, limit=500, offset=0))
    numbers, offset = [h.registry_number for h in res.hits], 500
    while offset < min(res.total, MAX_WINDOW):
        more = search_as_is(settings, SearchRequest(text=query, limit=500, offset=offset))
        numbers += [h.registry_number for h in more.hits]
        offset += 500
    return numbers


@app.command()
def disposal(
    words: Annotated[
        list[str], typer.Argument(help="propose | list | review ID | approve ID | reject ID | execute ID")
    ],
    by: Annotated[
        Optional[str], typer.Option(help="review: the archivist; approve: the admin (a Sijill user).")
    ] = None,
    reason: Annotated[str, typer.Option(help="reject: why.")] = "",
) -> None:
    """Destroy what the retention calendar says is due: proposed, reviewed by an archivist, approved
    by an admin (two people), then executed with a sealed certificate."""
    _start()
    from archive import disposal as dp
    from archive import retention as rt
    from archive.models import DisposalList
    from archive.objectstore import open_store
    from config.errors import SijillError

    settings = bootstrap.sijill_settings()
    verb, *rest = words
    list_id = int(rest[0]) if rest and rest[0].isdigit() else None
    try:
        if verb == "propose":
            lst = dp.propose(rt.calendar(settings, checked=True), _actor())
            out.print(
                f"List {lst.pk}: {lst.items.count()} letter(s) due for destruction." if lst else "Nothing is due."
            )
        elif verb == "list":
            for lst in DisposalList.objects.all()[:100]:
                n = lst.items.count()
                out.print(
                    f"{lst.pk:5d}  {lst.state:9s}  {n:5d} letter(s)  {lst.proposed_at:%Y-%m-%d}  {lst.certificate_key}"
                )
        elif verb in ("review", "approve") and list_id is not None:
            who = _staff(by, "archivist" if verb == "review" else "admin")
            lst = dp.review(list_id, who) if verb == "review" else dp.approve(list_id, who)
            out.print(f"List {lst.pk}: {lst.state} by {who}.")
        elif verb == "reject" and list_id is not None:
            dp.reject(list_id, _actor(), reason)
            out.print(f"List {list_id}: rejected.")
        elif verb == "execute" and list_id is not None:
            from signing.certificate import certify

            store = open_store(settings)
            lst, items = dp.execute(list_id, store, _actor())
            if not lst.certificate_key:
                dp.set_certificate(lst.pk, certify(lst, items, settings, store))
                lst.refresh_from_db()
            gone = sum(i.outcome == "destroyed" for i in items)
            out.print(f"List {lst.pk}: {gone} letter(s) destroyed, {len(items) - gone} kept (on hold); "
                      f"certificate {lst.certificate_key}.")  # fmt: skip
        else:
            err.print("[red]Usage: sijill disposal propose | list | review ID --by ARCHIVIST | approve ID --by ADMIN | "
                      "reject ID --reason … | execute ID[/red]")  # fmt: skip
            raise typer.Exit(EXIT_USAGE)
    except SijillError as exc:
        err.print(f"[red]Not done:[/red] {exc.message}")
        raise typer.Exit(EXIT_USAGE) from None


def _staff(name: str | None, role: str) -> str:
    """A Sijill user whose role may do this step (the admin may do both, never both on one list)."""
    from django.contrib.auth.models import User

    from archive.permissions import viewer_for
    from config.errors import ConfigError

    user = User.objects.filter(username=name or "").first()
    if user is None:
        raise ConfigError(f"Name the {role} with --by (a Sijill user).")
    v = viewer_for(user)
    if v.role not in (role, "admin"):
        raise ConfigError(f"{name} is {v.role or 'without a role'}: this step needs an {role}.")
    return v.username
