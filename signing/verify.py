"""Checking every signature of a PDF: intact, trusted, when, by whom, and changed since or not."""

from __future__ import annotations

import contextlib
import io
import logging
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from config.errors import SigningError


@dataclass
class SignatureReport:
    field: str
    signer: str
    intact: bool  # the signed bytes are unchanged (digest matches)
    valid: bool  # the cryptographic signature checks out
    trusted: bool  # the signer's certificate chains to a configured root
    signing_time: str | None
    timestamp: str | None  # from a TSA (B-T and above), if any
    timestamp_valid: bool | None
    coverage: str  # "entire file" or "earlier revision"
    modified_after: str  # "none", "signatures/timestamps only", "form filling", "annotations", "other"
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.intact and self.valid and self.trusted and not self.problems

    def as_json(self) -> dict[str, Any]:
        return {**asdict(self), "ok": self.ok}


@dataclass
class VerifyReport:
    signatures: list[SignatureReport]

    @property
    def ok(self) -> bool:
        return bool(self.signatures) and all(s.ok for s in self.signatures)

    def as_json(self) -> dict[str, Any]:
        return {"ok": self.ok, "signatures": [s.as_json() for s in self.signatures]}


_MODIFICATION = {
    "NONE": "none",
    "LTA_UPDATES": "signatures/timestamps only",
    "FORM_FILLING": "form filling",
    "ANNOTATIONS": "annotations",
    "OTHER": "other",
}


def _roots(paths: list[Path]) -> list:
    from pyhanko.keys import load_certs_from_pemder

    certs = []
    for p in paths:
        if not p.is_file():
            raise SigningError(f"Trust root {p} not found.")
        certs.extend(load_certs_from_pemder([str(p)]))
    return certs


def _trust_problem(st) -> str:
    cert, when = st.signing_cert, st.signer_reported_dt
    if getattr(st, "revoked", False):
        return "the signer's certificate has been revoked"
    if cert is not None and when is not None:
        validity = cert["tbs_certificate"]["validity"]
        if when > validity["not_after"].native:
            return "the signer's certificate had expired when the letter was signed"
        if when < validity["not_before"].native:
            return "the signer's certificate was not yet valid when the letter was signed"
    return "the signer's certificate does not chain to a trusted root"


@contextlib.contextmanager
def _quiet_pyhanko():
    """pyHanko logs every untrusted path with a traceback; the report already says it."""
    log = logging.getLogger("pyhanko")
    before = log.level
    log.setLevel(logging.CRITICAL)
    try:
        yield
    finally:
        log.setLevel(before)


def verify_pdf(data: bytes, trust_roots: list[Path]) -> VerifyReport:
    with _quiet_pyhanko():
        return _verify(data, trust_roots)


def _verify(data: bytes, trust_roots: list[Path]) -> VerifyReport:
    from pyhanko.pdf_utils.misc import PdfReadError
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    try:
        reader = PdfFileReader(io.BytesIO(data), strict=False)
    except (PdfReadError, ValueError) as exc:
        raise SigningError(f"Not a readable PDF: {exc}") from None
    roots = _roots(trust_roots)
    reports = []
    for sig in reader.embedded_signatures:
        vc = ValidationContext(trust_roots=roots, allow_fetching=False, revocation_mode="soft-fail")
        try:
            st = validate_pdf_signature(sig, vc, ts_validation_context=vc)
        except Exception as exc:  # a signature so broken pyHanko cannot even read it
            reports.append(
                SignatureReport(sig.field_name, "?", False, False, False, None, None, None, "?", "?", [str(exc)])
            )
            continue
        problems = []
        if not st.intact:
            problems.append("the signed content was changed after signing (digest mismatch)")
        elif not st.valid:
            problems.append("the signature value does not match the signer's key")
        if not st.trusted:
            problems.append(_trust_problem(st))
        level = getattr(st.modification_level, "name", "OTHER")
        if level in ("ANNOTATIONS", "OTHER"):
            problems.append(f"the document was modified after signing ({_MODIFICATION[level]})")
        ts = st.timestamp_validity
        reports.append(
            SignatureReport(
                field=sig.field_name,
                signer=st.signing_cert.subject.native.get("common_name", "?") if st.signing_cert else "?",
                intact=bool(st.intact),
                valid=bool(st.valid),
                trusted=bool(st.trusted),
                signing_time=st.signer_reported_dt.isoformat() if st.signer_reported_dt else None,
                timestamp=ts.timestamp.isoformat() if ts else None,
                timestamp_valid=(bool(ts.intact and ts.valid and ts.trusted) if ts else None),
                coverage="entire file" if st.coverage.name == "ENTIRE_FILE" else "earlier revision",
                modified_after=_MODIFICATION.get(level, level.lower()),
                problems=problems,
            )
        )
    return VerifyReport(reports)
