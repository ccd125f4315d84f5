"""A local test PKI for development and tests: a CA, a signer (PKCS#12) and a TSA key.

Everything it makes is marked TEST ONLY in the certificates themselves; production keys come
from a real CA (e.g. Barid eSign) on a token or in a PKCS#12 file.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

TEST_MARK = "TEST ONLY - NOT FOR PRODUCTION"
# Certificates name where their CRL lives; tests hand the CRL over directly (no fetching).
CRL_URL = "http://127.0.0.1:1/sijill-test-ca.crl"


@dataclass(frozen=True)
class DevPki:
    folder: Path
    ca_pem: Path
    signer_p12: Path
    tsa_cert_pem: Path
    tsa_key_pem: Path
    password: str


def _key(algorithm: str):
    if algorithm == "ec":
        return ec.generate_private_key(ec.SECP256R1())
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def _name(common: str, org: str = "Sijill") -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "MA"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, org),
            x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, TEST_MARK),
            x509.NameAttribute(NameOID.COMMON_NAME, common),
        ]
    )


def _cert(subject, issuer, public_key, issuer_key, days: int, extensions, not_before=None) -> x509.Certificate:
    start = not_before or dt.datetime.now(dt.UTC) - dt.timedelta(minutes=5)
    b = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer)
        .public_key(public_key)
        .serial_number(x509.random_serial_number())
        .not_valid_before(start)
        .not_valid_after(start + dt.timedelta(days=days))
    )
    for ext, critical in extensions:
        b = b.add_extension(ext, critical=critical)
    return b.sign(issuer_key, hashes.SHA256())


def _crl_point() -> x509.CRLDistributionPoints:
    return x509.CRLDistributionPoints(
        [x509.DistributionPoint([x509.UniformResourceIdentifier(CRL_URL)], None, None, None)]
    )


def write_crl(folder: Path, revoked_serials: list[int] = ()) -> Path:
    """(Re)issue the test CA's CRL, listing ``revoked_serials``."""
    from cryptography.hazmat.primitives.serialization import load_pem_private_key

    ca = x509.load_pem_x509_certificate((folder / "ca.pem").read_bytes())
    ca_key = load_pem_private_key((folder / "ca.key.pem").read_bytes(), None)
    now = dt.datetime.now(dt.UTC)
    b = (
        x509.CertificateRevocationListBuilder()
        .issuer_name(ca.subject)
        .last_update(now - dt.timedelta(minutes=5))
        .next_update(now + dt.timedelta(days=7))
        .add_extension(x509.CRLNumber(int(now.timestamp())), critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False)
    )
    for serial in revoked_serials:
        entry = x509.RevokedCertificateBuilder().serial_number(serial).revocation_date(now - dt.timedelta(minutes=1))
        b = b.add_revoked_certificate(entry.build())
    path = folder / "ca.crl"
    path.write_bytes(b.sign(ca_key, hashes.SHA256()).public_bytes(serialization.Encoding.DER))
    return path


def create(
    folder: Path,
    password: str,
    signer_name: str = "Signataire de test",
    algorithm: str = "rsa",
    signer_days: int = 730,
    signer_not_before: dt.datetime | None = None,
) -> DevPki:
    """Write ca.pem, ca.key.pem, signer.p12, tsa.pem and tsa.key.pem into ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    ca_key = _key(algorithm)
    ca_name = _name("Sijill Test CA")
    ca = _cert(
        ca_name,
        ca_name,
        ca_key.public_key(),
        ca_key,
        3650,
        [
            (x509.BasicConstraints(ca=True, path_length=0), True),
            (
                x509.KeyUsage(False, False, False, False, False, True, True, False, False),
                True,
            ),
            (x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), False),
        ],
    )
    aki = x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key())
    signer_key = _key(algorithm)
    signer = _cert(
        _name(signer_name, "Commune de test"),
        ca_name,
        signer_key.public_key(),
        ca_key,
        signer_days,
        [
            (x509.BasicConstraints(ca=False, path_length=None), True),
            (x509.KeyUsage(True, True, False, False, False, False, False, False, False), True),
            (aki, False),
            (_crl_point(), False),
        ],
        not_before=signer_not_before,
    )
    tsa_key = _key("rsa")  # pyHanko's test time stamper signs with RSA
    tsa = _cert(
        _name("Sijill Test TSA"),
        ca_name,
        tsa_key.public_key(),
        ca_key,
        3650,
        [
            (x509.BasicConstraints(ca=False, path_length=None), True),
            (x509.KeyUsage(True, False, False, False, False, False, False, False, False), True),
            (x509.ExtendedKeyUsage([ExtendedKeyUsageOID.TIME_STAMPING]), True),
            (aki, False),
        ],
    )
    pem = serialization.Encoding.PEM
    p = DevPki(folder, folder / "ca.pem", folder / "signer.p12", folder / "tsa.pem", folder / "tsa.key.pem", password)
    p.ca_pem.write_bytes(ca.public_bytes(pem))
    (folder / "ca.key.pem").write_bytes(
        ca_key.private_bytes(pem, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    p.signer_p12.write_bytes(
        pkcs12.serialize_key_and_certificates(
            b"signer", signer_key, signer, [ca], serialization.BestAvailableEncryption(password.encode())
        )
    )
    p.tsa_cert_pem.write_bytes(tsa.public_bytes(pem))
    p.tsa_key_pem.write_bytes(
        tsa_key.private_bytes(pem, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    write_crl(folder)
    (folder / "README.txt").write_text(
        f"{TEST_MARK}\nKeys made by `sijill signing dev-pki` for development and tests.\n"
        "Signatures made with them prove nothing to anyone else.\n",
        encoding="utf-8",
    )
    return p
