"""Signing and verifying, checked by independent tools (pdfsig, openssl, the pyhanko CLI) too."""

from __future__ import annotations

import datetime as dt
import io
import subprocess
import sys
from pathlib import Path

import pikepdf
import pytest
from PIL import Image

from archive.signatures import verify_pdf
from config.errors import SigningError
from signing import pki
from signing.sign import load_pkcs12, parse_qr, qr_payload, sign_pdf
from signing.stamp import StampInfo, font_path, rtl_line
from signing.tsa import LocalTsa
from tests.fixtures import letters

INFO = StampInfo(
    "D-2026-000045",
    dt.datetime(2026, 11, 21, 10, 30),
    "Signataire de test",
    function_ar="رئيس المجلس الجماعي",
    function_fr="Président du conseil",
    signer_ar="رشيد العمراني",
)


@pytest.fixture(scope="module")
def dev(tmp_path_factory: pytest.TempPathFactory) -> pki.DevPki:
    return pki.create(tmp_path_factory.mktemp("pki"), "s3cret")


@pytest.fixture(scope="module")
def letter() -> bytes:
    return letters.born_digital_pdf(letters.FRENCH_LETTERS[0])


@pytest.fixture(scope="module")
def signed(dev: pki.DevPki, letter: bytes) -> bytes:
    return sign_pdf(letter, load_pkcs12(dev.signer_p12, dev.password), INFO, font_path())


@pytest.fixture(scope="module")
def signed_bt(dev: pki.DevPki, letter: bytes) -> bytes:
    with LocalTsa(dev.tsa_cert_pem, dev.tsa_key_pem) as tsa:
        return sign_pdf(letter, load_pkcs12(dev.signer_p12, dev.password), INFO, font_path(), tsa_url=tsa.url)


def pdfsig(data: bytes, tmp_path: Path) -> str:
    f = tmp_path / "x.pdf"
    f.write_bytes(data)
    return subprocess.run(["pdfsig", str(f)], capture_output=True, text=True).stdout  # always exits 0


def test_pdfsig_says_valid_and_whole_document(signed: bytes, tmp_path: Path) -> None:
    out = pdfsig(signed, tmp_path)
    assert "Signature is Valid." in out and "Total document signed" in out
    assert "Signer Certificate Common Name: Signataire de test" in out


def test_a_flipped_byte_is_a_digest_mismatch(signed: bytes, tmp_path: Path, dev: pki.DevPki) -> None:
    data = bytearray(signed)
    i = data.index(b"stream", 200) + 40  # inside a content stream, inside the signed range
    data[i] ^= 0x01
    assert "Digest Mismatch." in pdfsig(bytes(data), tmp_path)
    report = verify_pdf(bytes(data), [dev.ca_pem])
    assert not report.ok and not report.signatures[0].intact
    assert "changed after signing" in report.signatures[0].problems[0]


def test_openssl_verifies_the_cms_over_the_byte_ranges(signed: bytes, tmp_path: Path, dev: pki.DevPki) -> None:
    with pikepdf.open(io.BytesIO(signed)) as pdf:
        sig = next(f.V for f in pdf.Root.AcroForm.Fields if f.get("/FT") == "/Sig")
        ranges = [int(x) for x in sig.ByteRange]
        contents = bytes(sig.Contents)
    (tmp_path / "sig.der").write_bytes(contents.rstrip(b"\0"))
    (tmp_path / "data.bin").write_bytes(
        signed[ranges[0] : ranges[0] + ranges[1]] + signed[ranges[2] : ranges[2] + ranges[3]]
    )
    cmd = ["openssl", "cms", "-verify", "-binary", "-inform", "DER", "-in", str(tmp_path / "sig.der")]
    cmd += ["-content", str(tmp_path / "data.bin"), "-CAfile", str(dev.ca_pem), "-purpose", "any", "-out", "/dev/null"]
    res = subprocess.run(cmd, capture_output=True, text=True)
    assert res.returncode == 0 and "Verification successful" in res.stderr


def test_b_t_carries_a_trusted_timestamp(signed_bt: bytes, dev: pki.DevPki, tmp_path: Path) -> None:
    report = verify_pdf(signed_bt, [dev.ca_pem])
    s = report.signatures[0]
    assert report.ok and s.timestamp and s.timestamp_valid
    f = tmp_path / "bt.pdf"
    f.write_bytes(signed_bt)
    res = subprocess.run(
        [
            str(Path(sys.executable).parent / "pyhanko"),
            "sign",
            "validate",
            "--trust",
            str(dev.ca_pem),
            "--soft-revocation-check",
            "--pretty-print",
            str(f),
        ],
        capture_output=True,
        text=True,
    )
    assert res.returncode == 0, res.stderr
    assert "The signature is judged VALID." in res.stdout and "covers the entire file" in res.stdout
    assert "timestamp" in res.stdout.lower()


def test_an_overlay_added_after_signing_is_reported(signed: bytes, dev: pki.DevPki) -> None:
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.stamp import TextStamp, TextStampStyle

    w = IncrementalPdfFileWriter(io.BytesIO(signed))
    TextStamp(w, TextStampStyle(stamp_text="ANNULÉ")).apply(dest_page=0, x=200, y=500)
    out = io.BytesIO()
    w.write(out)
    report = verify_pdf(out.getvalue(), [dev.ca_pem])
    s = report.signatures[0]
    assert s.intact and s.valid and not report.ok
    assert s.coverage == "earlier revision" and any("modified after signing" in p for p in s.problems)


def test_untrusted_root_and_expired_certificate(tmp_path: Path, letter: bytes, signed: bytes) -> None:
    other = pki.create(tmp_path / "other", "x")
    report = verify_pdf(signed, [other.ca_pem])
    assert not report.ok and "does not chain to a trusted root" in report.signatures[0].problems[0]
    old = pki.create(
        tmp_path / "old", "x", signer_days=30, signer_not_before=dt.datetime.now(dt.UTC) - dt.timedelta(days=60)
    )
    stale = sign_pdf(letter, load_pkcs12(old.signer_p12, "x"), INFO, font_path())
    problems = verify_pdf(stale, [old.ca_pem]).signatures[0].problems
    assert problems == ["the signer's certificate had expired when the letter was signed"]


def test_a_second_signature_keeps_the_first_valid(signed: bytes, dev: pki.DevPki) -> None:
    again = sign_pdf(signed, load_pkcs12(dev.signer_p12, dev.password), INFO, font_path())
    report = verify_pdf(again, [dev.ca_pem])
    assert [s.field for s in report.signatures] == ["Sijill1", "Sijill2"]
    # The second signature's field is "form filling" for the first: allowed, so both stay valid.
    assert report.ok and report.signatures[0].modified_after == "form filling"


def test_the_stamp_is_drawn(signed: bytes, tmp_path: Path) -> None:
    f = tmp_path / "s.pdf"
    f.write_bytes(signed)
    subprocess.run(["pdftoppm", "-r", "72", "-png", "-f", "1", "-l", "1", str(f), str(tmp_path / "p")], check=True)
    page = Image.open(next(tmp_path.glob("p*.png"))).convert("L")
    h = page.height
    stamp = page.crop((40, h - 110, 330, h - 28))  # the stamp box, 72 dpi = points
    dark = sum(1 for v in stamp.get_flattened_data() if v < 128)
    assert dark > 0.03 * stamp.width * stamp.height  # text and QR, not a blank box
    qr = stamp.crop((0, 0, 90, stamp.height))
    assert sum(1 for v in qr.get_flattened_data() if v < 128) > 0.2 * qr.width * qr.height


def test_arabic_stamp_lines_keep_numbers_in_reading_order() -> None:
    # HarfBuzz lays an Arabic line out right to left; LTR runs are pre-reversed to come out right.
    assert rtl_line("رقم D-2026-000045 بتاريخ 21") == "رقم 540000-6202-D بتاريخ 12"
    assert rtl_line("Président") == "Président"


def test_wrong_password_and_not_a_pdf(dev: pki.DevPki) -> None:
    with pytest.raises(SigningError, match="wrong password"):
        load_pkcs12(dev.signer_p12, "wrong")
    with pytest.raises(SigningError, match="not found"):
        load_pkcs12(Path("/nonexistent.p12"), "x")
    with pytest.raises(SigningError, match="Not a PDF"):
        sign_pdf(b"hello", load_pkcs12(dev.signer_p12, dev.password), INFO, font_path())


def test_qr_payload_round_trip(letter: bytes) -> None:
    number, fp = parse_qr(qr_payload("D-2026-000045", letter))
    assert number == "D-2026-000045" and len(fp) == 20
    with pytest.raises(SigningError, match="not made by Sijill"):
        parse_qr("https://example.org")


def test_pkcs11_token_signature_is_valid(tmp_path: Path, dev: pki.DevPki, letter: bytes, monkeypatch) -> None:
    from signing.sign import load_pkcs11
    from tests.fixtures import softhsm

    env, cert = softhsm.make_token(tmp_path, dev.signer_p12, dev.password)
    monkeypatch.setenv("SOFTHSM2_CONF", env["SOFTHSM2_CONF"])
    key = load_pkcs11(softhsm.LIB, softhsm.TOKEN, softhsm.LABEL, softhsm.PIN, cert)
    try:
        signed = sign_pdf(letter, key, INFO, font_path())
    finally:
        key.close()
    assert verify_pdf(signed, [dev.ca_pem]).ok
    assert "Signature is Valid." in pdfsig(signed, tmp_path)
    with pytest.raises(SigningError, match="wrong PIN"):
        load_pkcs11(softhsm.LIB, softhsm.TOKEN, softhsm.LABEL, "0000", cert)


@pytest.fixture(scope="module")
def signed_lta(dev: pki.DevPki, letter: bytes) -> bytes:
    with LocalTsa(dev.tsa_cert_pem, dev.tsa_key_pem) as tsa:
        return sign_pdf(
            letter,
            load_pkcs12(dev.signer_p12, dev.password),
            INFO,
            font_path(),
            tsa_url=tsa.url,
            long_term=True,
            trust_roots=[dev.ca_pem],
            crls=[dev.folder / "ca.crl"],
            allow_fetching=False,
        )


def test_b_lta_embeds_revocation_data_and_a_document_timestamp(
    signed_lta: bytes, dev: pki.DevPki, tmp_path: Path
) -> None:
    with pikepdf.open(io.BytesIO(signed_lta)) as pdf:
        assert "/DSS" in pdf.Root and len(pdf.Root.DSS.CRLs) >= 1
    report = verify_pdf(signed_lta, [dev.ca_pem])  # no CRL given: the embedded one is used
    assert report.ok and [s.kind for s in report.signatures] == ["signature", "document timestamp"]
    f = tmp_path / "lta.pdf"
    f.write_bytes(signed_lta)
    res = subprocess.run(
        [str(Path(sys.executable).parent / "pyhanko"), "sign", "validate", "--trust", str(dev.ca_pem),
         "--trust-replace", "--soft-revocation-check", "--pretty-print", str(f)],
        capture_output=True, text=True,
    )  # fmt: skip
    assert "Signature is Valid." in pdfsig(signed_lta, tmp_path)
    assert res.returncode == 0, res.stdout + res.stderr
    assert "The signature is judged VALID." in res.stdout


def test_a_revoked_signer_is_reported(tmp_path: Path, letter: bytes) -> None:
    from cryptography.hazmat.primitives.serialization import pkcs12

    p = pki.create(tmp_path / "rev", "x")
    signed = sign_pdf(letter, load_pkcs12(p.signer_p12, "x"), INFO, font_path())
    assert verify_pdf(signed, [p.ca_pem], [p.folder / "ca.crl"]).ok
    _, cert, _ = pkcs12.load_key_and_certificates(p.signer_p12.read_bytes(), b"x")
    pki.write_crl(p.folder, [cert.serial_number])
    report = verify_pdf(signed, [p.ca_pem], [p.folder / "ca.crl"])
    assert not report.ok and report.signatures[0].problems == ["the signer's certificate has been revoked"]


def test_an_unreadable_dss_is_reported_not_ignored(signed: bytes, dev: pki.DevPki) -> None:
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    w = IncrementalPdfFileWriter(io.BytesIO(signed))
    w.root["/DSS"] = generic.NumberObject(5)  # revocation data that is there, but not a DSS
    w.update_root()
    out = io.BytesIO()
    w.write(out)
    report = verify_pdf(out.getvalue(), [dev.ca_pem])
    assert not report.ok
    assert any("embedded revocation data (DSS) cannot be read" in p for p in report.signatures[0].problems)
    plain = verify_pdf(signed, [dev.ca_pem]).signatures[0]
    assert plain.ok and plain.revocation.startswith("not checked")
