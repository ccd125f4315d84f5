"""Commands on the search index: search, reindex."""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from cli import bootstrap
from cli.app import app
from cli.common import EXIT_NOT_ALL_REGISTERED, EXIT_USAGE, _jsonl, _start, err, out


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
    facets: Annotated[
        bool, typer.Option("--facets", help="Count results by type, service, status, tag, year.")
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object: total, hits, facets.")] = False,
) -> None:
    """Search the archive (Arabic and French, any spelling variant)."""
    from config.errors import QueryError, SearchError

    _start()
    from lang.dates import parse_day
    from search.query import SearchRequest
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
