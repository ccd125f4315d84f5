"""Signing benchmark: signatures per second on a 2-page letter.

    .venv/bin/python bench/sign.py [--n 30]

PAdES B-B and B-T (timestamps from a local TSA on 127.0.0.1), RSA-2048 and ECDSA P-256 keys,
from a PKCS#12 file and from a SoftHSM token (PKCS#11), each with the stamp (Arabic and French
text, QR code). The baseline in the same run is the bare CMS signature of the same bytes with
`cryptography` (no PDF work, PKCS#12 opened each time), to show what PDF handling and the
stamp cost.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path[0] = str(REPO)

from config.errors import SigningError  # noqa: E402
from signing import pki  # noqa: E402
from signing.sign import Key, load_pkcs11, load_pkcs12, sign_pdf  # noqa: E402
from signing.stamp import StampInfo, font_path  # noqa: E402
from signing.tsa import LocalTsa  # noqa: E402
from tests.fixtures import letters, softhsm  # noqa: E402


def two_page_letter() -> bytes:
    import pikepdf

    one = letters.born_digital_pdf(letters.FRENCH_LETTERS[0])
    with pikepdf.open(__import__("io").BytesIO(one)) as a, pikepdf.open(__import__("io").BytesIO(one)) as b:
        a.pages.extend(b.pages)
        out = __import__("io").BytesIO()
        a.save(out)
        return out.getvalue()


def rate(fn, n: int) -> tuple[float, float]:
    fn()  # warm-up (font subsetting caches, TLS-free HTTP keep-alive…)
    times = []
    for _ in range(n):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return 1 / statistics.mean(times), statistics.median(times) * 1000


def bare_cms(p12: Path, password: str, data: bytes) -> None:
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.serialization import pkcs7, pkcs12

    key, cert, _ = pkcs12.load_key_and_certificates(p12.read_bytes(), password.encode())
    (
        pkcs7.PKCS7SignatureBuilder()
        .set_data(data)
        .add_signer(cert, key, hashes.SHA256())
        .sign(serialization.Encoding.DER, [pkcs7.PKCS7Options.DetachedSignature, pkcs7.PKCS7Options.Binary])
    )


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=30, help="signatures per configuration")
    args = ap.parse_args(argv)
    letter = two_page_letter()
    font = font_path()
    info = StampInfo("D-2026-000045", dt.datetime(2026, 11, 21, 10, 30), "Signataire de test",
                     function_ar="رئيس المجلس الجماعي", function_fr="Président du conseil")  # fmt: skip
    print(f"2-page letter ({len(letter):,} bytes), {args.n} signatures per line, stamp with QR\n")
    print(f"{'key':<8} {'store':<9} {'level':<5} {'sig/s':>7} {'median ms':>10}")
    with tempfile.TemporaryDirectory(prefix="sijill-bench-sign-") as tmp:
        # Every token exists before SoftHSM is first loaded: it lists its slots once per process.
        setups = {}
        for algo in ("rsa", "ec"):
            dev = pki.create(Path(tmp) / algo, "pw", algorithm=algo)
            env, cert = softhsm.make_token(Path(tmp) / "hsm", dev.signer_p12, "pw", f"sijill-{algo}")
            setups[algo] = (dev, cert)
        os.environ["SOFTHSM2_CONF"] = env["SOFTHSM2_CONF"]
        for algo, label in (("rsa", "RSA-2048"), ("ec", "P-256")):
            dev, cert = setups[algo]
            keys: list[tuple[str, Key]] = [
                ("PKCS#12", load_pkcs12(dev.signer_p12, "pw")),
                ("SoftHSM", load_pkcs11(softhsm.LIB, f"sijill-{algo}", softhsm.LABEL, softhsm.PIN, cert)),
            ]
            with LocalTsa(dev.tsa_cert_pem, dev.tsa_key_pem) as tsa:
                for store, key in keys:
                    for level, url in (("B-B", None), ("B-T", tsa.url)):
                        try:
                            per_s, med = rate(lambda k=key, u=url: sign_pdf(letter, k, info, font, tsa_url=u), args.n)
                        except SigningError as exc:
                            print(f"{label:<8} {store:<9} {level:<5} {'n/a':>7} {'':>10}   {exc.message[:60]}")
                            continue
                        print(f"{label:<8} {store:<9} {level:<5} {per_s:>7.1f} {med:>10.1f}")
                    key.close()
            per_s, med = rate(lambda d=dev: bare_cms(d.signer_p12, "pw", letter), args.n)
            print(f"{label:<8} {'baseline':<9} {'CMS':<5} {per_s:>7.1f} {med:>10.1f}   (bare CMS of the same bytes)")


if __name__ == "__main__":
    main()
