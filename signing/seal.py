"""The office's seal (cachet électronique / الخاتم الإلكتروني): a PAdES signature on what the
server issues by itself, such as a deposit receipt. Unlike a personal signature, nobody types a
PIN: the seal's key and its secret are in the server's configuration (SIJILL_SEAL_P12 or
SIJILL_SEAL_TOKEN, with SIJILL_SEAL_SECRET).

With neither, a self-signed seal is made on first use under SIJILL_HOME/seal/ (key readable by
the server only). It proves that a receipt was not altered since it was issued, not who issued
it: an administration configures a seal certificate from a recognised authority for that.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import secrets
from pathlib import Path

from config.errors import SigningError
from config.sijill import SijillSettings
from signing.sign import Key, load_pkcs11, load_pkcs12

SELF_SIGNED_NAME = "Sijill office seal (self-signed)"


def seal_key(settings: SijillSettings) -> Key:
    s = settings.signing
    if s.seal_p12 is not None:
        return load_pkcs12(s.seal_p12, s.seal_secret or "")
    if s.seal_token:
        if not s.seal_secret:
            raise SigningError("SIJILL_SEAL_TOKEN needs the token's PIN in SIJILL_SEAL_SECRET.")
        return load_pkcs11(s.pkcs11_lib, s.seal_token, s.seal_key_label, s.seal_secret)
    path, password = _self_signed(settings.home / "seal")
    return load_pkcs12(path, password)


def _self_signed(folder: Path) -> tuple[Path, str]:
    p12, secret = folder / "seal.p12", folder / "seal.secret"
    if p12.is_file() and secret.is_file():
        return p12, secret.read_text().strip()
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.hazmat.primitives.serialization import pkcs12
    from cryptography.x509.oid import NameOID

    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    key = rsa.generate_private_key(public_exponent=65537, key_size=3072)
    name = x509.Name([x509.NameAttribute(NameOID.COUNTRY_NAME, "MA"),
                      x509.NameAttribute(NameOID.COMMON_NAME, SELF_SIGNED_NAME)])  # fmt: skip
    now = dt.datetime.now(dt.UTC) - dt.timedelta(minutes=5)
    cert = (
        x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
        .serial_number(x509.random_serial_number()).not_valid_before(now)
        .not_valid_after(now + dt.timedelta(days=3650))
        .add_extension(x509.KeyUsage(True, True, False, False, False, False, False, False, False), critical=True)
        .sign(key, hashes.SHA256())
    )  # fmt: skip
    password = secrets.token_urlsafe(24)
    data = pkcs12.serialize_key_and_certificates(
        b"seal", key, cert, None, serialization.BestAvailableEncryption(password.encode())
    )
    # Written aside then renamed: two processes making the seal at once keep one whole pair.
    tmp = folder / f".seal-{os.getpid()}"
    tmp.mkdir(mode=0o700)
    (tmp / "seal.p12").write_bytes(data)
    (tmp / "seal.secret").write_text(password)
    for f in (tmp / "seal.p12", tmp / "seal.secret"):
        f.chmod(0o600)
    if not p12.exists():
        os.replace(tmp / "seal.secret", secret)
        os.replace(tmp / "seal.p12", p12)
    for f in tmp.iterdir():
        f.unlink()
    tmp.rmdir()
    return p12, secret.read_text().strip()


def seal_pdf(data: bytes, key: Key, reason: str, tsa_url: str | None = None, tsa_timeout_s: float = 10) -> bytes:
    """An invisible PAdES signature (B-T with a timestamp server, else B-B)."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers, timestamps

    meta = signers.PdfSignatureMetadata(
        field_name="SijillSeal", md_algorithm="sha256", subfilter=fields.SigSeedSubFilter.PADES, reason=reason[:200],
        name=key.subject,
    )  # fmt: skip
    stamper = timestamps.HTTPTimeStamper(tsa_url, timeout=tsa_timeout_s) if tsa_url else None
    try:
        writer = IncrementalPdfFileWriter(io.BytesIO(data))
        return signers.PdfSigner(meta, key.signer, timestamper=stamper).sign_pdf(writer).getvalue()
    except Exception as exc:
        raise SigningError(f"The seal could not be applied ({type(exc).__name__}: {exc}).") from exc
