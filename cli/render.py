"""Printing search results in a terminal."""

from __future__ import annotations

from rich.console import Console
from rich.text import Text

from search.api import SearchResults


def print_results(out: Console, err: Console, results: SearchResults) -> None:
    for note in results.notes:
        err.print(f"[yellow]Note:[/yellow] {note}")
    if results.relaxed:
        err.print("[yellow]No letter has every word; these have most of them.[/yellow]")
    shown = len(results.hits)
    err.print(f"{results.total} result(s), {shown} shown, {results.took_ms:.1f} ms")
    for i, hit in enumerate(results.hits, 1):
        f = hit.fields
        head = Text(f"{i:>3}. {hit.registry_number}", style="bold")
        head.append(f"  {f.get('received_at', '')[:10]}  {f.get('mail_type') or ''}  ", style="dim")
        head.append(" — ".join(v for v in (f.get("sender"), f.get("subject")) if v) or f.get("original_name", ""))
        out.print(head)
        for frag in hit.snippet.fragments:
            line = Text("      ")
            body = Text(frag.text)
            for s, e in frag.highlights:
                body.stylize("bold yellow", s, e)
            line.append_text(body)
            out.print(line)
    if results.facets:
        for name, values in results.facets.items():
            if values:
                out.print(f"[bold]{name}[/bold]: " + ", ".join(f"{v} ({n})" for v, n in values), highlight=False)
