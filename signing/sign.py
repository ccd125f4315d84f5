"""Signing a letter with PAdES (pyHanko): B-B, or B-T with a timestamp from a TSA."""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass
from pathlib import Path

from config.errors import SigningError
from signing.stamp import StampInfo, stamp_lines, stamp_style

STAMP_BOX = (36, 24, 336, 114)  # bottom left of the last page, in points
QR_PREFIX = "SIJILL"


@dataclass(frozen=True)
class Key:
    signer: object  # a pyHanko Signer
    subject: str  # the certificate's common name
    session: object | None = None  # an open PKCS#11 session, closed by close()

    def close(self) -> None:
        if self.session is not None:
            self.session.close()


def visa_box(index: int) -> tuple[int, int, int, int]:
    """Visas (paraphes) stack up the right-hand margin of the last page, clear of the stamp."""
    bottom = 24 + 46 * index
    return (350, bottom, 560, bottom + 40)


def load_pkcs12(path: Path, password: str) -> Key:
    from pyhanko.sign import signers

    if not path.is_file():
        raise SigningError(f"Key file {path} not found.")
    signer = signers.SimpleSigner.load_pkcs12(str(path), passphrase=password.encode())
    if signer is None:
        raise SigningError(f"Cannot open {path.name}: wrong password or not a PKCS#12 file.")
    return Key(signer, signer.signing_cert.subject.native.get("common_name", ""))


def load_pkcs11(lib: str, token: str, key_label: str, pin: str, cert: Path | None = None) -> Key:
    """A key on a PKCS#11 token (HSM, smart card; SoftHSM in tests). The certificate is read from
    the token under the key's label, or from ``cert`` when the token holds only the key."""
    from pyhanko.config.pkcs11 import TokenCriteria
    from pyhanko.keys import load_cert_from_pemder
    from pyhanko.sign.pkcs11 import PKCS11Signer, open_pkcs11_session

    if not Path(lib).is_file():
        raise SigningError(f"PKCS#11 library {lib} not found (for SoftHSM: apt install softhsm2).")
    try:
        session = open_pkcs11_session(lib, token_criteria=TokenCriteria(label=token), user_pin=pin)
    except Exception as exc:
        raise SigningError(f"Cannot open token {token!r}: {type(exc).__name__} {exc} (wrong PIN or label?)") from None
    signing_cert = load_cert_from_pemder(str(cert)) if cert else None
    try:
        signer = PKCS11Signer(
            session,
            key_label=key_label,
            cert_label=None if signing_cert else key_label,
            signing_cert=signing_cert,
        )
        if signer.signing_cert.public_key.algorithm == "ec":
            # Many tokens (SoftHSM among them) only offer raw ECDSA: hash here, sign there.
            signer = PKCS11Signer(
                session, key_label=key_label, signing_cert=signer.signing_cert, use_raw_mechanism=True
            )
        subject = signer.signing_cert.subject.native.get("common_name", "")
    except Exception as exc:
        session.close()
        raise SigningError(f"No usable key {key_label!r} on token {token!r}: {exc}") from None
    return Key(signer, subject, session)


def validation_context(trust_roots: list[Path], crls: list[Path] = (), allow_fetching: bool = True):
    """Trust anchors (e.g. Barid eSign's root) and revocation data, fetched or given as files."""
    from pyhanko.keys import load_certs_from_pemder
    from pyhanko_certvalidator import ValidationContext

    for p in [*trust_roots, *crls]:
        if not Path(p).is_file():
            raise SigningError(f"{p} not found.")
    roots = list(load_certs_from_pemder([str(p) for p in trust_roots])) if trust_roots else []
    return ValidationContext(
        trust_roots=roots,
        crls=[Path(c).read_bytes() for c in crls],
        allow_fetching=allow_fetching,
        revocation_mode="hard-fail",
    )


def visa_pdf(
    data: bytes, key: Key, when, font: Path, name_ar: str = "", tsa_url: str | None = None, tsa_timeout_s: float = 10
) -> bytes:
    """A visa (paraphe) signature before the final one: no number, a small stamp, and the
    letter otherwise untouched; the final signature keeps it valid (incremental update)."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.pdf_utils.misc import PdfReadError
    from pyhanko.sign import fields, signers, timestamps

    from signing.stamp import visa_lines, visa_style

    try:
        writer = IncrementalPdfFileWriter(io.BytesIO(data), strict=False)
    except (PdfReadError, ValueError) as exc:
        raise SigningError(f"Not a PDF that can be signed: {exc}") from None
    pages = int(writer.root["/Pages"]["/Count"])
    existing = len(list(fields.enumerate_sig_fields(writer.prev)))
    name = f"Visa{existing + 1}"
    meta = signers.PdfSignatureMetadata(
        field_name=name, md_algorithm="sha256", subfilter=fields.SigSeedSubFilter.PADES, reason="Visa", name=key.subject
    )
    pdf_signer = signers.PdfSigner(
        meta,
        key.signer,
        timestamper=timestamps.HTTPTimeStamper(tsa_url, timeout=tsa_timeout_s) if tsa_url else None,
        stamp_style=visa_style(font),
        new_field_spec=fields.SigFieldSpec(name, on_page=pages - 1, box=visa_box(existing)),
    )
    try:
        out = pdf_signer.sign_pdf(
            writer, appearance_text_params={"lines": "\n".join(visa_lines(key.subject, when, name_ar))}
        )
    except Exception as exc:
        raise SigningError(f"Visa failed: {type(exc).__name__}: {exc}") from exc
    return out.getvalue()


def fingerprint(data: bytes) -> str:
    """What the QR carries to tie a printed copy to the archived letter (before stamping)."""
    return hashlib.sha256(data).hexdigest()[:20]


def qr_payload(number: str, unsigned: bytes) -> str:
    return f"{QR_PREFIX}|{number}|{fingerprint(unsigned)}"


def parse_qr(text: str) -> tuple[str, str]:
    parts = text.strip().split("|")
    if len(parts) != 3 or parts[0] != QR_PREFIX:
        raise SigningError("This QR code was not made by Sijill (expected SIJILL|number|fingerprint).")
    return parts[1], parts[2]


def sign_pdf(
    unsigned: bytes,
    key: Key,
    info: StampInfo,
    font: Path,
    tsa_url: str | None = None,
    tsa_timeout_s: float = 10,
    field_name: str | None = None,
    long_term: bool = False,
    trust_roots: list[Path] = (),
    crls: list[Path] = (),
    allow_fetching: bool = True,
) -> bytes:
    """The letter with its stamp and a PAdES signature: B-T when a TSA is given, else B-B;
    B-LTA (revocation data and a document timestamp embedded) when ``long_term``."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.pdf_utils.misc import PdfReadError
    from pyhanko.sign import fields, signers, timestamps

    try:
        writer = IncrementalPdfFileWriter(io.BytesIO(unsigned), strict=False)
    except (PdfReadError, ValueError) as exc:
        raise SigningError(f"Not a PDF that can be signed: {exc}") from None
    if writer.prev.encrypted:
        raise SigningError("The PDF is encrypted: remove the password before signing.")
    pages = int(writer.root["/Pages"]["/Count"])
    existing = len(list(fields.enumerate_sig_fields(writer.prev)))
    name = field_name or f"Sijill{existing + 1}"
    if long_term and not tsa_url:
        raise SigningError("Long-term signatures (B-LTA) need a timestamp server: set SIJILL_TSA_URL.")
    meta = signers.PdfSignatureMetadata(
        field_name=name,
        md_algorithm="sha256",
        subfilter=fields.SigSeedSubFilter.PADES,
        reason=f"Courrier départ {info.number}",
        name=info.signer,
        embed_validation_info=long_term,
        use_pades_lta=long_term,
        validation_context=validation_context(trust_roots, crls, allow_fetching) if long_term else None,
    )
    pdf_signer = signers.PdfSigner(
        meta,
        key.signer,
        timestamper=timestamps.HTTPTimeStamper(tsa_url, timeout=tsa_timeout_s) if tsa_url else None,
        stamp_style=stamp_style(font),
        new_field_spec=fields.SigFieldSpec(name, on_page=pages - 1, box=STAMP_BOX),
    )
    try:
        out = pdf_signer.sign_pdf(
            writer,
            appearance_text_params={"url": qr_payload(info.number, unsigned), "lines": "\n".join(stamp_lines(info))},
        )
    except Exception as exc:  # pyHanko/TSA errors: the letter stays unsigned and unregistered
        raise SigningError(f"Signing failed: {type(exc).__name__}: {exc}") from exc
    return out.getvalue()
