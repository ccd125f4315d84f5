"""The `sijill` command and its groups; the commands register themselves in their modules."""

from __future__ import annotations

import typer

from cli import users

app = typer.Typer(no_args_is_help=True, add_completion=False, help="Sijill — سجل: the digital bureau d'ordre.")
registry_app = typer.Typer(no_args_is_help=True, help="The register itself.")
app.add_typer(registry_app, name="registry")
signing_app = typer.Typer(no_args_is_help=True, help="Signing keys and a test PKI.")
app.add_typer(signing_app, name="signing")
audit_app = typer.Typer(no_args_is_help=True, help="The tamper-evident audit and access logs.")
app.add_typer(audit_app, name="audit")
app.add_typer(users.app, name="user")
