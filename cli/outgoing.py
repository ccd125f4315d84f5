"""Outgoing mail: the test PKI, signing with a departure number, verifying signatures."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from cli import bootstrap
from cli.app import app, signing_app
from cli.common import EXIT_NOT_ALL_REGISTERED, EXIT_OK, EXIT_USAGE, _actor, _jsonl, _start, err, out


def _password(what: str) -> str:
    """From SIJILL_SIGNING_PASSWORD or a prompt: never from the command line (shell history)."""
    import os

    return os.environ.get("SIJILL_SIGNING_PASSWORD") or typer.prompt(what, hide_input=True)


@signing_app.command("dev-pki")
def dev_pki(
    folder: Annotated[Path, typer.Argument(help="Where to write ca.pem, signer.p12, tsa.pem, tsa.key.pem.")],
    name: Annotated[str, typer.Option(help="The test signer's name.")] = "Signataire de test",
    algorithm: Annotated[str, typer.Option(help="rsa (2048) or ec (P-256).")] = "rsa",
) -> None:
    """Create a TEST-ONLY CA, signer and TSA key for development (never for real letters)."""
    from signing import pki

    if algorithm not in ("rsa", "ec"):
        err.print("[red]--algorithm must be rsa or ec.[/red]")
        raise typer.Exit(EXIT_USAGE)
    p = pki.create(folder, _password("Password for signer.p12"), name, algorithm)
    out.print(f"{pki.TEST_MARK}: CA {p.ca_pem}, signer {p.signer_p12}, TSA {p.tsa_cert_pem} + {p.tsa_key_pem}")


@app.command()
def sign(
    files: Annotated[list[Path], typer.Argument(help="Outgoing letters (PDF) to register and sign.")],
    key: Annotated[Optional[Path], typer.Option("--key", help="PKCS#12 file (.p12) of the signer.")] = None,
    token: Annotated[Optional[str], typer.Option(help="PKCS#11 token label (HSM, smart card).")] = None,
    key_label: Annotated[str, typer.Option(help="Label of the key on the token.")] = "signer",
    pkcs11_lib: Annotated[str, typer.Option(help="PKCS#11 module.")] = "/usr/lib/softhsm/libsofthsm2.so",
    cert: Annotated[Optional[Path], typer.Option(help="Signer certificate (PEM) if not on the token.")] = None,
    reply_to: Annotated[Optional[str], typer.Option(help="Arrival number this letter answers.")] = None,
    out_dir: Annotated[Optional[Path], typer.Option("--out", help="Write NAME.signed.pdf here.")] = None,
    function_ar: Annotated[str, typer.Option(help="Signer's function in Arabic (stamp).")] = "",
    function_fr: Annotated[str, typer.Option(help="Signer's function in French (stamp).")] = "",
    name_ar: Annotated[str, typer.Option(help="Signer's name in Arabic (stamp).")] = "",
    long_term: Annotated[
        bool, typer.Option("--long-term", help="PAdES B-LTA: embed revocation data and a document timestamp.")
    ] = False,
    visa: Annotated[
        bool, typer.Option("--visa", help="A visa (paraphe) before the final signature: writes NAME.visa.pdf.")
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object per file.")] = False,
) -> None:
    """Register outgoing letters (départ), stamp and sign them with PAdES, archive them."""
    missing = [str(p) for p in files if not p.is_file()]
    if missing:
        err.print(f"[red]Not found:[/red] {', '.join(missing)}")
        raise typer.Exit(EXIT_USAGE)
    if (key is None) == (token is None):
        err.print("[red]Give either --key FILE.p12 or --token LABEL (PKCS#11).[/red]")
        raise typer.Exit(EXIT_USAGE)
    _start()
    from archive.objectstore import open_store
    from config.errors import SijillError
    from signing.outgoing import Signatory, sign_files, visa_files
    from signing.sign import load_pkcs11, load_pkcs12

    settings = bootstrap.sijill_settings()
    signing_key = None
    try:
        if key is not None:
            signing_key = load_pkcs12(key, _password(f"Password for {key.name}"))
        else:
            assert token is not None
            signing_key = load_pkcs11(pkcs11_lib, token, key_label, _password(f"PIN of token {token}"), cert)
        who = Signatory(signing_key, function_ar, function_fr, name_ar)
        if visa:
            outcomes = list(visa_files(files, who, settings, out_dir))
        else:
            store = open_store(settings)
            outcomes = list(sign_files(files, who, settings, store, _actor(), reply_to, out_dir, long_term))
    except SijillError as exc:
        err.print(f"[red]Not signed:[/red] {exc.message}")
        raise typer.Exit(EXIT_USAGE) from None
    finally:
        if signing_key is not None:
            signing_key.close()
    for o in outcomes:
        if as_json:
            _jsonl(o.as_json())
        elif o.status == "failed":
            out.print(f"[red]failed[/red]  {o.path}: {o.reason}")
        else:
            out.print(f"{o.number or '—'}  {o.status}  {o.output}", highlight=False)
    if any(o.status == "failed" for o in outcomes):
        raise typer.Exit(EXIT_NOT_ALL_REGISTERED)


@app.command()
def verify(
    file: Annotated[Optional[Path], typer.Argument(help="A signed PDF.")] = None,
    trust: Annotated[Optional[list[Path]], typer.Option(help="Trusted root certificate (PEM), repeatable.")] = None,
    crl: Annotated[Optional[list[Path]], typer.Option(help="Revocation list (DER/PEM) to check, repeatable.")] = None,
    qr: Annotated[Optional[str], typer.Option(help="Text of a stamp's QR code, to check a printed copy.")] = None,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Check every signature of a PDF (exit 0 only if all are valid and trusted)."""
    from config.errors import SijillError

    if (file is None) == (qr is None):
        err.print("[red]Give either a PDF file or --qr TEXT.[/red]")
        raise typer.Exit(EXIT_USAGE)
    if qr is not None:
        _start()
        from archive.objectstore import open_store
        from signing.qr import check_qr

        try:
            result = check_qr(qr, open_store(bootstrap.sijill_settings()))
        except SijillError as exc:
            err.print(f"[red]{exc.message}[/red]")
            raise typer.Exit(EXIT_NOT_ALL_REGISTERED) from None
        _jsonl(result) if as_json else out.print(result["verdict"], highlight=False)
        raise typer.Exit(EXIT_OK if result["ok"] else EXIT_NOT_ALL_REGISTERED)
    from archive.signatures import verify_pdf

    assert file is not None
    if not file.is_file():
        err.print(f"[red]Not found:[/red] {file}")
        raise typer.Exit(EXIT_USAGE)
    configured = _configured_signing()
    roots = list(trust or []) or list(configured.trust_roots)
    try:
        report = verify_pdf(file.read_bytes(), roots, list(crl or []) or list(configured.crls))
    except SijillError as exc:
        err.print(f"[red]Cannot verify:[/red] {exc.message}")
        raise typer.Exit(EXIT_NOT_ALL_REGISTERED) from None
    if as_json:
        _jsonl(report.as_json())
    else:
        if not report.signatures:
            out.print("No signature in this PDF.")
        for s in report.signatures:
            mark = "[green]VALID[/green]" if s.ok else "[red]NOT VALID[/red]"
            out.print(f"{mark}  {s.field}: {s.signer}")
            out.print(f"    signed {s.signing_time}; timestamp {s.timestamp or '—'}; covers {s.coverage}; "
                      f"changed after: {s.modified_after}", highlight=False)  # fmt: skip
            out.print(f"    revocation: {s.revocation}", highlight=False)
            for p in s.problems:
                out.print(f"    - {p}", highlight=False)
    raise typer.Exit(EXIT_OK if report.ok else EXIT_NOT_ALL_REGISTERED)


def _configured_signing():
    from config import sijill

    return sijill.load().signing
