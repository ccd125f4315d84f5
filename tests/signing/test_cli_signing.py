"""`sijill signing dev-pki`, `sijill sign` and `sijill verify` as a clerk runs them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import run_sijill
from tests.fixtures import letters

ENV = {"SIJILL_SIGNING_PASSWORD": "s3cret"}


@pytest.fixture(scope="module")
def signed_home(tmp_path_factory: pytest.TempPathFactory, french_born_pdf: bytes):
    home = tmp_path_factory.mktemp("home")
    work = tmp_path_factory.mktemp("work")
    res = run_sijill(home, "signing", "dev-pki", str(work / "pki"), env=ENV)
    assert res.returncode == 0, res.stderr
    inbox = work / "in"
    inbox.mkdir()
    (inbox / "demande.pdf").write_bytes(french_born_pdf)
    ingested = json.loads(run_sijill(home, "ingest", "--json", str(inbox)).stdout.splitlines()[0])
    reply = work / "reponse.pdf"
    reply.write_bytes(letters.born_digital_pdf(letters.ARABIC_LETTERS[1], visual_order=True))
    res = run_sijill(
        home, "sign", str(reply), "--key", str(work / "pki" / "signer.p12"), "--reply-to", ingested["registry_number"],
        "--function-ar", "رئيس الجماعة", "--function-fr", "Président", "--json", env=ENV,
    )  # fmt: skip
    return home, work, ingested["registry_number"], res


def test_sign_registers_a_departure_and_answers_the_arrival(signed_home) -> None:
    home, work, arrival, res = signed_home
    assert res.returncode == 0, res.stderr
    out = json.loads(res.stdout)
    assert out["status"] == "signed" and out["number"].startswith("D-") and out["output"].endswith("reponse.signed.pdf")
    assert Path(out["output"]).is_file()
    shown = json.loads(run_sijill(home, "show", arrival, "--json").stdout)
    assert shown["status"] == "answered" and shown["history"][-1]["action"] == "answered"


def test_verify_exit_codes_and_json(signed_home) -> None:
    home, work, _, res = signed_home
    out = json.loads(res.stdout)["output"]
    ok = run_sijill(home, "verify", out, "--trust", str(work / "pki" / "ca.pem"), "--json")
    assert ok.returncode == 0, ok.stdout
    report = json.loads(ok.stdout)
    assert report["ok"] and report["signatures"][0]["signer"] == "Signataire de test"
    # No CRL given or embedded: the report says revocation was not checked (soft-fail).
    assert report["signatures"][0]["revocation"].startswith("not checked")
    crl = sorted((work / "pki").glob("*.crl"))
    if crl:
        checked = json.loads(run_sijill(home, "verify", out, "--trust", str(work / "pki" / "ca.pem"),
                                        "--crl", str(crl[0]), "--json").stdout)  # fmt: skip
        assert checked["signatures"][0]["revocation"].startswith("checked against the CRLs given")
    untrusted = run_sijill(home, "verify", out)
    assert untrusted.returncode == 1 and "does not chain to a trusted root" in untrusted.stdout
    plain = run_sijill(home, "verify", str(work / "in" / "demande.pdf"))
    assert plain.returncode == 1 and "No signature" in plain.stdout


def test_qr_ties_a_printed_copy_to_the_archive(signed_home) -> None:
    home, work, _, res = signed_home
    number = json.loads(res.stdout)["number"]
    from signing.sign import qr_payload

    good = qr_payload(number, (work / "reponse.pdf").read_bytes())
    ok = run_sijill(home, "verify", "--qr", good)
    assert ok.returncode == 0 and "matches the archived letter" in ok.stdout
    forged = run_sijill(home, "verify", "--qr", good[:-4] + "0000")
    assert forged.returncode == 1 and "does not match" in forged.stdout


def test_signing_the_same_letter_again_gives_the_same_number(signed_home) -> None:
    home, work, _, res = signed_home
    first = json.loads(res.stdout)["number"]
    again = run_sijill(
        home, "sign", str(work / "reponse.pdf"), "--key", str(work / "pki" / "signer.p12"), "--json", env=ENV
    )
    assert json.loads(again.stdout) | {"output": None} == {
        "path": str(work / "reponse.pdf"), "status": "already signed", "number": first, "output": None, "reason": None,
    }  # fmt: skip


def test_bad_input_is_not_registered(signed_home, tmp_path: Path) -> None:
    home, work, _, _ = signed_home
    (tmp_path / "note.txt").write_text("pas un PDF")
    res = run_sijill(home, "sign", str(tmp_path / "note.txt"), "--key", str(work / "pki" / "signer.p12"), env=ENV)
    assert res.returncode == 1 and "not a PDF" in res.stdout
    res = run_sijill(home, "sign", str(work / "reponse.pdf"), "--key", str(work / "pki" / "signer.p12"),
                     env={"SIJILL_SIGNING_PASSWORD": "wrong"})  # fmt: skip
    assert res.returncode == 2 and "wrong password" in res.stderr
    listed = run_sijill(home, "list", "--json").stdout.splitlines()
    assert sum(json.loads(x)["registry_number"].startswith("D-") for x in listed) == 1  # no number used up


def test_sign_with_a_pkcs11_token(signed_home, tmp_path: Path) -> None:
    from tests.fixtures import softhsm

    home, work, _, _ = signed_home
    env, cert = softhsm.make_token(tmp_path / "hsm", work / "pki" / "signer.p12", ENV["SIJILL_SIGNING_PASSWORD"])
    letter = tmp_path / "convocation.pdf"
    letter.write_bytes(letters.born_digital_pdf(letters.FRENCH_LETTERS[0], visual_order=False) + b"\n% v2\n")
    res = run_sijill(
        home, "sign", str(letter), "--token", softhsm.TOKEN, "--key-label", softhsm.LABEL, "--cert", str(cert), "--json",
        env={"SOFTHSM2_CONF": env["SOFTHSM2_CONF"], "SIJILL_SIGNING_PASSWORD": softhsm.PIN},
    )  # fmt: skip
    assert res.returncode == 0, res.stderr
    out = json.loads(res.stdout)
    assert out["status"] == "signed"
    assert run_sijill(home, "verify", out["output"], "--trust", str(work / "pki" / "ca.pem")).returncode == 0


def test_ingest_reports_signatures_of_a_received_pdf_and_keeps_it_unchanged(signed_home, tmp_path: Path) -> None:
    import hashlib

    home, work, _, res = signed_home
    signed_pdf = Path(json.loads(res.stdout)["output"])
    inbox = tmp_path / "in"
    inbox.mkdir()
    (inbox / "recu.pdf").write_bytes(signed_pdf.read_bytes())
    got = json.loads(run_sijill(home, "ingest", "--json", str(inbox),
                                env={"SIJILL_TRUST_ROOTS": str(work / "pki" / "ca.pem")}).stdout)  # fmt: skip
    assert got["status"] == "registered"
    shown = json.loads(run_sijill(home, "show", got["registry_number"], "--json").stdout)
    sig = shown["signatures"][0]
    assert sig["ok"] and sig["signer"] == "Signataire de test" and sig["coverage"] == "entire file"
    stored = home / "objects" / shown["original_key"]
    assert hashlib.sha256(stored.read_bytes()).hexdigest() == hashlib.sha256(signed_pdf.read_bytes()).hexdigest()
    assert shown["searchable_key"] == shown["original_key"]  # no copy needed, nothing rewritten


def test_visa_then_final_signature_keeps_both_valid(signed_home, tmp_path: Path) -> None:
    home, work, _, _ = signed_home
    letter = tmp_path / "arrete.pdf"
    letter.write_bytes(letters.born_digital_pdf(letters.FRENCH_LETTERS[0]) + b"\n% arrete\n")
    key = ["--key", str(work / "pki" / "signer.p12")]
    visa = run_sijill(home, "sign", str(letter), *key, "--visa", "--json", env=ENV)
    assert visa.returncode == 0, visa.stderr
    visa_out = json.loads(visa.stdout)
    assert visa_out["status"] == "visa" and visa_out["number"] is None
    final = json.loads(run_sijill(home, "sign", visa_out["output"], *key, "--json", env=ENV).stdout)
    assert final["status"] == "signed" and final["number"].startswith("D-")
    report = json.loads(
        run_sijill(home, "verify", final["output"], "--trust", str(work / "pki" / "ca.pem"), "--json").stdout
    )
    assert report["ok"] and [s["field"] for s in report["signatures"]] == ["Visa1", "Sijill2"]


def test_ecdsa_key_on_a_token(tmp_path: Path) -> None:
    from tests.fixtures import softhsm

    home = tmp_path / "home"
    assert run_sijill(home, "signing", "dev-pki", str(tmp_path / "pki"), "--algorithm", "ec", env=ENV).returncode == 0
    env, cert = softhsm.make_token(tmp_path / "hsm", tmp_path / "pki" / "signer.p12", ENV["SIJILL_SIGNING_PASSWORD"])
    letter = tmp_path / "note.pdf"
    letter.write_bytes(letters.born_digital_pdf(letters.FRENCH_LETTERS[0]))
    res = run_sijill(
        home, "sign", str(letter), "--token", softhsm.TOKEN, "--cert", str(cert), "--json",
        env={"SOFTHSM2_CONF": env["SOFTHSM2_CONF"], "SIJILL_SIGNING_PASSWORD": softhsm.PIN},
    )  # fmt: skip
    assert res.returncode == 0, res.stderr
    out = json.loads(res.stdout)["output"]
    assert run_sijill(home, "verify", out, "--trust", str(tmp_path / "pki" / "ca.pem")).returncode == 0
