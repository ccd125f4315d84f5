"""Checking the PAdES signatures of a PDF (pyHanko): for letters received signed, for the
signatures Sijill makes, and for `sijill verify`. Below ingest and signing, which both use it."""

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
    signer: str  # for a document timestamp: the TSA
    intact: bool  # the signed bytes are unchanged (digest matches)
    valid: bool  # the cryptographic signature checks out
    trusted: bool  # the signer's certificate chains to a configured root
    signing_time: str | None
    timestamp: str | None  # from a TSA (B-T and above), if any
    timestamp_valid: bool | None
    coverage: str  # "entire file" or "earlier revision"
    modified_after: str  # "none", "signatures/timestamps only", "form filling", "annotations", "other"
    problems: list[str] = field(default_factory=list)
    kind: str = "signature"  # or "document timestamp" (PAdES B-LTA)
    # How revocation was checked. Soft-fail: a certificate whose revocation status cannot be
    # learnt (no CRL given, none embedded, no fetching) is not refused for that alone; the
    # report says so instead of implying a check that did not happen.
    revocation: str = ""

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


def _doc_timestamp(sig, vc) -> SignatureReport:
    from pyhanko.sign.validation import validate_pdf_timestamp

    try:
        st = validate_pdf_timestamp(sig, validation_context=vc)
    except Exception as exc:
        return SignatureReport(sig.field_name, "?", False, False, False, None, None, None, "?", "?", [str(exc)],
                               kind="document timestamp")  # fmt: skip
    problems = [] if st.intact and st.valid else ["the document timestamp does not match the document"]
    if not st.trusted:
        problems.append("the timestamp authority does not chain to a trusted root")
    level = getattr(st.modification_level, "name", "NONE") if hasattr(st, "modification_level") else "NONE"
    return SignatureReport(
        field=sig.field_name,
        signer=st.signing_cert.subject.native.get("common_name", "?") if st.signing_cert else "?",
        intact=bool(st.intact),
        valid=bool(st.valid),
        trusted=bool(st.trusted),
        signing_time=None,
        timestamp=st.timestamp.isoformat() if st.timestamp else None,
        timestamp_valid=bool(st.intact and st.valid and st.trusted),
        coverage="entire file" if st.coverage.name == "ENTIRE_FILE" else "earlier revision",
        modified_after=_MODIFICATION.get(level, level.lower()),
        problems=problems,
        kind="document timestamp",
    )


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


def verify_pdf(data: bytes, trust_roots: list[Path], crls: list[Path] = ()) -> VerifyReport:
    with _quiet_pyhanko():
        return _verify(data, trust_roots, list(crls))


def _verify(data: bytes, trust_roots: list[Path], crls: list[Path]) -> VerifyReport:
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
    dss, dss_problem = _read_dss(reader)
    revocation = _revocation_note(bool(crls), dss)
    for sig in reader.embedded_signatures:
        vc = ValidationContext(
            trust_roots=roots,
            crls=[p.read_bytes() for p in crls],
            allow_fetching=False,
            revocation_mode="soft-fail",
            other_certs=[],
        )
        if dss is not None:  # revocation data embedded by a B-LT/B-LTA signer counts too
            vc = dss.as_validation_context(
                {"trust_roots": roots, "crls": [p.read_bytes() for p in crls], "allow_fetching": False}
            )
        if sig.sig_object_type == "/DocTimeStamp":
            report = _doc_timestamp(sig, vc)
            report.revocation = revocation
            if dss_problem:
                report.problems.append(dss_problem)
            reports.append(report)
            continue
        try:
            st = validate_pdf_signature(sig, vc, ts_validation_context=vc)
        except Exception as exc:  # a signature so broken pyHanko cannot even read it
            reports.append(
                SignatureReport(sig.field_name, "?", False, False, False, None, None, None, "?", "?", [str(exc)])
            )
            continue
        problems = [dss_problem] if dss_problem else []
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
                revocation=revocation,
            )
        )
    return VerifyReport(reports)


def _read_dss(reader):
    """The file's embedded validation data (DSS), or None; a DSS that is there but cannot be
    read is a problem to report, never silently ignored."""
    from pyhanko.sign.validation.dss import DocumentSecurityStore
    from pyhanko.sign.validation.errors import NoDSSFoundError

    try:
        return DocumentSecurityStore.read_dss(reader), None
    except NoDSSFoundError:
        return None, None
    except Exception as exc:
        return None, f"the embedded revocation data (DSS) cannot be read ({type(exc).__name__}: {exc})"


def _revocation_note(crls_given: bool, dss) -> str:
    sources = []
    if crls_given:
        sources.append("the CRLs given")
    if dss is not None and (dss.crls or dss.ocsps):
        sources.append(f"the file's embedded data ({len(dss.crls)} CRL, {len(dss.ocsps)} OCSP)")
    if not sources:
        return "not checked: no revocation data given or embedded, and fetching is off (soft-fail)"
    return "checked against " + " and ".join(sources) + " (soft-fail where a certificate has none)"
