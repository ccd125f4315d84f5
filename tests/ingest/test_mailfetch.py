"""The registry's e-mail inbox against a real Dovecot: attachments (a hostile name, a zip, 30 MB,
an S/MIME-signed message) become letters, a bare message becomes one, each .eml is kept, and
nothing is read twice."""

from __future__ import annotations

import hashlib
import io
import json
import os
import signal
import subprocess
import sys
import time
import zipfile
from email.message import EmailMessage
from email.utils import make_msgid
from pathlib import Path

import pikepdf
import pytest

from tests.conftest import REPO, catalogue_rows, run_sijill, sijill_env
from tests.fixtures import imapserver, letters

pytestmark = pytest.mark.skipif(not imapserver.available(), reason="dovecot-imapd is not installed (make test does)")


def _letter(words: str) -> bytes:
    return letters.born_digital_pdf(letters.Letter("fr", [*letters.FRENCH_LETTERS[0].lines[:4], words]))


def _big_letter(words: str, size: int) -> bytes:
    pdf = pikepdf.open(io.BytesIO(_letter(words)))
    pdf.attachments["annexe.bin"] = pikepdf.AttachedFileSpec(pdf, os.urandom(size), filename="annexe.bin")
    buf = io.BytesIO()
    pdf.save(buf)
    return buf.getvalue()


def _message(subject: str, sender: str, body: str, attachments: list[tuple[str, bytes, str]]) -> EmailMessage:
    m = EmailMessage()
    m["From"], m["To"], m["Subject"], m["Message-ID"] = sender, "bo@commune.ma", subject, make_msgid()
    m.set_content(body)
    for name, data, mime in attachments:
        main, sub = mime.split("/")
        m.add_attachment(data, maintype=main, subtype=sub, filename=name)
    return m


def _smime_signed(tmp: Path, inner: EmailMessage) -> bytes:
    """A clear-signed (multipart/signed) message, signed by openssl with a throw-away key."""
    key, cert = tmp / "k.pem", tmp / "c.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", cert,
                    "-subj", "/CN=Société Signataire/emailAddress=sign@example.ma", "-days", "2"],
                   check=True, capture_output=True)  # fmt: skip
    entity = EmailMessage()
    entity.set_content("Courrier signé, pièce jointe.")
    for part in inner.iter_attachments():
        entity.add_attachment(part.get_content(), maintype="application", subtype="pdf", filename=part.get_filename())
    body = tmp / "entity.eml"
    body.write_bytes(entity.as_bytes())
    signed = subprocess.run(["openssl", "smime", "-sign", "-in", body, "-signer", cert, "-inkey", key],
                            check=True, capture_output=True).stdout  # fmt: skip
    headers = (f"From: {inner['From']}\r\nTo: bo@commune.ma\r\nSubject: {inner['Subject']}\r\n"
               f"Message-ID: {inner['Message-ID']}\r\n")  # fmt: skip
    return headers.encode() + signed


def _append(url: str, raw: bytes) -> None:
    from imap_tools import MailBoxUnencrypted

    from ingest.mailfetch import parse_url

    box = parse_url(url)
    with MailBoxUnencrypted(box.host, box.port).login(box.user, box.password) as mb:
        mb.append(raw, "INBOX", dt=None, flag_set=())


def _zip(files: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in files.items():
            z.writestr(name, data)
    return buf.getvalue()


def test_mailbox_messages_become_letters_once(home: Path, tmp_path: Path) -> None:
    hostile = _message("Demande d'autorisation", "Ali <ali@example.ma>", "Veuillez trouver ci-joint.",
                       [("../../\u202efdp.exe\x00.pdf", _letter("Autorisation Anfa"), "application/pdf"),
                        ("pieces.zip", _zip({"scan/Annexe Oujda.pdf": _letter("Annexe Oujda"), "lisez.txt": b"hi"}),
                         "application/zip")])  # fmt: skip
    bare = _message("طلب شهادة السكنى", "Fatima <fatima@example.ma>",
                    "السلام عليكم، أطلب شهادة السكنى بحي النخيل.\nMerci.", [])  # fmt: skip
    big = _message("Dossier complet", "Bureau <b@example.ma>", "Dossier lourd.",
                   [("dossier.pdf", _big_letter("Dossier Agadir", 30 * 2**20), "application/pdf")])  # fmt: skip
    signed_inner = _message("Courrier signé", "Signataire <sign@example.ma>", "",
                            [("signe.pdf", _letter("Signature Meknès"), "application/pdf")])  # fmt: skip
    raws = [hostile.as_bytes(), bare.as_bytes(), big.as_bytes(), _smime_signed(tmp_path, signed_inner)]
    with imapserver.running() as url:
        for raw in raws:
            _append(url, raw)
        env = {"SIJILL_IMAP_URL": url, "SIJILL_IMAP_DONE_FOLDER": "Traité"}
        # The worker is not given the mailbox: its periodic fetch would race the commands below.
        worker = subprocess.Popen([sys.executable, "-m", "cli.main", "worker"], cwd=REPO, env=sijill_env(home),
                                  stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                                  start_new_session=True)  # fmt: skip
        try:
            first = run_sijill(home, "mail-fetch", env=env)
            assert first.returncode == 0, first.stderr
            assert "4 message(s) read, 5 letter(s) queued" in first.stderr, first.stderr
            assert "lisez.txt: not a PDF or image" in first.stderr and "smime.p7s" in first.stderr
            again = run_sijill(home, "mail-fetch", env=env)
            assert "0 message(s) read, 0 letter(s) queued" in again.stderr  # moved to Traité
            _append(url, raws[1])  # the same message delivered again
            assert "1 already read" in run_sijill(home, "mail-fetch", env=env).stderr
            deadline = time.monotonic() + 180
            final = "('registered', 'duplicate', 'quarantined', 'failed')"
            while catalogue_rows(home, f"SELECT count(*) FROM ingest_queuedtask WHERE status NOT IN {final}")[0][0]:
                assert time.monotonic() < deadline
                time.sleep(0.5)
        finally:
            os.killpg(worker.pid, signal.SIGINT)
            errors = worker.communicate(timeout=60)[1]
    rows = [json.loads(line) for line in run_sijill(home, "list", "--json").stdout.splitlines()]
    assert len(rows) == 5, errors
    files = sorted(r["file"] for r in rows)
    assert "fdp.exe.pdf" in files and "Annexe Oujda.pdf" in files and "dossier.pdf" in files  # names made safe
    senders = {r["sender"]["value"] for r in rows}
    assert {"Ali <ali@example.ma>", "Fatima <fatima@example.ma>", "Signataire <sign@example.ma>"} <= senders
    bare_letter = next(r for r in rows if r["sender"]["value"].startswith("Fatima"))
    text = json.loads(run_sijill(home, "show", bare_letter["registry_number"], "--json").stdout)["text"]
    assert "النخيل" in text  # the body, as a PDF letter
    kept = catalogue_rows(home, "SELECT sha256, storage_key FROM ingest_incomingmessage ORDER BY id")
    on_the_wire = [r.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n") for r in raws]  # IMAP speaks CRLF
    assert [sha for sha, _ in kept] == [hashlib.sha256(r).hexdigest() for r in on_the_wire]
    stored = home / "objects" / kept[0][1]
    assert hashlib.sha256(stored.read_bytes()).hexdigest() == kept[0][0]  # the .eml, byte for byte
