"""`sijill user`: staff accounts for the web application."""

from __future__ import annotations

import getpass
import os
from typing import Annotated

import typer

from cli import bootstrap
from cli.common import EXIT_USAGE, _start, err, out

app = typer.Typer(no_args_is_help=True, help="Staff accounts: roles and services.")


@app.command("add")
def add(
    name: Annotated[str, typer.Argument(help="Login name.")],
    role: Annotated[str, typer.Option(help="clerk, agent, head, signatory, archivist or admin.")],
    service: Annotated[list[str], typer.Option("--service", help="A service id of the taxonomy (repeat).")] = [],  # noqa: B006
    email: Annotated[str, typer.Option(help="For password resets and notifications.")] = "",
) -> None:
    """Create or update a user. The password comes from SIJILL_USER_PASSWORD or a prompt."""
    _start()
    from archive import taxonomy_store
    from archive.people import add_user
    from config.errors import SijillError

    password = os.environ.get("SIJILL_USER_PASSWORD") or ""
    if not password:
        password = getpass.getpass(f"Password for {name}: ")
        if password != getpass.getpass("Again: "):
            err.print("[red]The two passwords differ.[/red]")
            raise typer.Exit(EXIT_USAGE)
    try:
        user = add_user(name, role, service, password, taxonomy_store.current(bootstrap.sijill_settings()), email)
    except SijillError as exc:
        err.print(f"[red]Not created:[/red] {exc.message}")
        raise typer.Exit(EXIT_USAGE) from None
    out.print(f"{user.username}: {role}" + (f" ({', '.join(service)})" if service else ""))


@app.command("revoke-tokens")
def revoke_tokens(name: Annotated[str, typer.Argument(help="Login name.")]) -> None:
    """Revoke every REST API token of a user (a lost laptop, a script retired)."""
    _start()
    from archive import tokens

    n = tokens.revoke_all(name, "sijill")
    out.print(f"{name}: {n} token(s) revoked.")
