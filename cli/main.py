"""`sijill`: the registry clerk's and the operator's command line.

Each module of ``cli`` holds the commands of one job and registers them on ``cli.app.app``
when imported; importing them here assembles the whole command line."""

from __future__ import annotations

from cli import channels, intake, migration, operations, outgoing, records, register, searching  # noqa: F401  (registers them)
from cli.app import app

__all__ = ["app", "main"]


def main() -> None:
    app()


if __name__ == "__main__":
    main()
