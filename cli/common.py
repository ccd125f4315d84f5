"""What every command shares: consoles, exit codes, start-up, the acting user."""

from __future__ import annotations

import getpass
import json
import sys

import typer
from rich.console import Console

from cli import bootstrap

out = Console()
err = Console(stderr=True)

EXIT_OK, EXIT_NOT_ALL_REGISTERED, EXIT_USAGE = 0, 1, 2


def _start(migrate: bool = True) -> None:
    from config.errors import ConfigError, SijillError

    try:
        bootstrap.setup(migrate=migrate)
    except ConfigError as exc:
        err.print(f"[red]Configuration error:[/red] {exc.message}")
        raise typer.Exit(EXIT_USAGE) from None
    except SijillError as exc:
        err.print(f"[red]Cannot start:[/red] {exc.message}")
        raise typer.Exit(EXIT_NOT_ALL_REGISTERED) from None


def _actor() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no login name in some containers
        return "sijill"


def _jsonl(obj: dict) -> None:
    sys.stdout.write(json.dumps(obj, ensure_ascii=False) + "\n")
    sys.stdout.flush()
