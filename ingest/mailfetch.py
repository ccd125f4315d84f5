"""The registry's e-mail inbox: each PDF or image attachment becomes a letter, a message with
none becomes one letter (its body as a PDF), and the .eml is kept as the message's original.

Messages are read over IMAP (imap-tools) and handed to the task queue like any upload; the
sender and the subject are proposed as the letters' fields. A message is handled once (its
Message-ID and SHA-256): a fetch interrupted before the message was moved or flagged does not
hand it over twice. Zip attachments are opened with limits; nothing else is unpacked.
"""

from __future__ import annotations

import hashlib
import io
import logging
import re
import unicodedata
import uuid
import zipfile
from dataclasses import dataclass, field
from urllib.parse import unquote, urlsplit

from archive.locks import catalogue_wide
from archive.objectstore import object_key, open_store
from archive.textpdf import text_pdf
from config.errors import ConfigError, InputFileError, StorageUnavailable
from config.sijill import SijillSettings
from ingest.intake import detect_kind
from ingest.models import IncomingMessage

log = logging.getLogger("sijill.mail")
MAX_MESSAGES = 200  # per fetch; the next fetch takes the rest
MAX_ZIP_MEMBERS = 50
MAX_MEMBER_BYTES = 100 * 1024 * 1024
MAX_RATIO = 200  # a member inflating more than this is a zip bomb, not a scan
MAX_FILE_BYTES = 200 * 1024 * 1024
ACTOR = "mailbox"


@dataclass
class Fetched:
    messages: int = 0
    letters: int = 0
    already: int = 0
    skipped: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Mailbox:
    scheme: str
    host: str
    port: int
    user: str
    password: str = field(repr=False)
    folder: str


def parse_url(url: str) -> Mailbox:
    parts = urlsplit(url)
    if parts.scheme not in ("imap", "imaps") or not parts.hostname or not parts.username:
        raise ConfigError("SIJILL_IMAP_URL must look like imaps://user:password@host/INBOX.")
    port = parts.port or (993 if parts.scheme == "imaps" else 143)
    folder = unquote(parts.path.lstrip("/")) or "INBOX"
    return Mailbox(parts.scheme, parts.hostname, port, unquote(parts.username), unquote(parts.password or ""), folder)


def safe_name(name: str, fallback: str) -> str:
    """An attachment's name as a plain file name: no folders, no control or direction characters."""
    name = (name or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(c for c in name if unicodedata.category(c)[0] != "C")  # Cc, Cf (U+202E…), Cs…
    name = re.sub(r"\s+", " ", name).strip(" .")
    return name[-120:] or fallback


def letters_of(message) -> tuple[list[tuple[str, bytes]], list[str]]:
    """The message's letters as (name, bytes), and what was not taken, with why."""
    out: list[tuple[str, bytes]] = []
    skipped: list[str] = []
    for k, att in enumerate(message.attachments, 1):
        name, data = safe_name(att.filename, f"piece-{k}"), att.payload
        if len(data) > MAX_FILE_BYTES:
            skipped.append(f"{name}: larger than {MAX_FILE_BYTES // 2**20} MB")
        elif data[:4] == b"PK\x03\x04":
            found, why = _zip_members(name, data)
            out += found
            skipped += why
        elif _is_scan(data):
            out.append((name, data))
        else:
            skipped.append(f"{name}: not a PDF or image ({att.content_type})")
    return out, skipped


def _is_scan(data: bytes) -> bool:
    try:
        detect_kind(data)
        return True
    except InputFileError:
        return False


def _zip_members(name: str, data: bytes) -> tuple[list[tuple[str, bytes]], list[str]]:
    found, skipped = [], []
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            members = [m for m in z.infolist() if not m.is_dir()]
            for m in members[:MAX_ZIP_MEMBERS]:
                label = f"{name}/{safe_name(m.filename, 'member')}"
                if m.file_size > MAX_MEMBER_BYTES or m.file_size > MAX_RATIO * max(1, m.compress_size):
                    skipped.append(f"{label}: too large once unpacked")
                    continue
                member = z.read(m)
                if _is_scan(member):
                    found.append((safe_name(m.filename, "member"), member))
                else:
                    skipped.append(f"{label}: not a PDF or image")
            if len(members) > MAX_ZIP_MEMBERS:
                skipped.append(f"{name}: only its first {MAX_ZIP_MEMBERS} files were read")
    except (zipfile.BadZipFile, RuntimeError, NotImplementedError, OSError) as exc:
        skipped.append(f"{name}: unreadable zip ({exc})")
    return found, skipped


def body_letter(message) -> bytes:
    text = message.text or _strip_html(message.html or "")
    sender = message.from_values.full if message.from_values else message.from_
    lines = [f"De / من : {sender}", f"Date : {message.date_str}", f"Objet / الموضوع : {message.subject}", ""]
    return text_pdf(message.subject or "message", lines + text.splitlines())


def _strip_html(html: str) -> str:
    return re.sub(r"<[^>]+>", " ", re.sub(r"(?is)<(script|style).*?</\1>", " ", html))


def fetch(settings: SijillSettings, queue, limit: int = MAX_MESSAGES) -> Fetched:
    """Read the unseen messages once each; hand their letters to ``queue`` (a TaskQueue)."""
    from imap_tools import AND, MailBox, MailBoxUnencrypted, MailMessage, MailMessageFlags

    if not settings.intake.imap_url:
        raise ConfigError("Set SIJILL_IMAP_URL (imaps://user:password@host/INBOX) to read an e-mail inbox.")
    box = parse_url(settings.intake.imap_url)

    class RawMessage(MailMessage):
        def __init__(self, fetch_data: list) -> None:
            super().__init__(fetch_data)
            self.raw = self._get_message_data_parts(fetch_data)[0]

    client = MailBox(box.host, box.port) if box.scheme == "imaps" else MailBoxUnencrypted(box.host, box.port)
    client.email_message_class = RawMessage
    result = Fetched()
    store = open_store(settings)
    # One reader at a time, on any machine: the workers' periodic fetch and a clerk's command
    # would otherwise both take the same unseen message.
    with catalogue_wide("mail-fetch", settings.home), client.login(box.user, box.password,
                                                                     initial_folder=box.folder) as mb:  # fmt: skip
        handled = []
        for message in mb.fetch(AND(seen=False), mark_seen=False, bulk=False, limit=limit):
            try:
                if _handle(message, store, queue, result):
                    result.messages += 1
                else:
                    result.already += 1
            except StorageUnavailable as err:
                log.warning("message %s left in the inbox: %s", message.uid, err.message)
                break  # the store is away: the next fetch takes it and the rest
            handled.append(message.uid)
        if handled:
            if settings.intake.imap_done_folder:
                mb.move(handled, settings.intake.imap_done_folder)
            else:
                mb.flag(handled, MailMessageFlags.SEEN, True)
    return result


def _handle(message, store, queue, result: Fetched) -> bool:
    raw: bytes = message.raw
    sha = hashlib.sha256(raw).hexdigest()
    mid = (message.headers.get("message-id") or ("",))[0].strip()[:500]
    if IncomingMessage.objects.filter(sha256=sha).exists():
        return False
    if mid and IncomingMessage.objects.filter(message_id=mid).exists():
        return False  # the same message delivered again (its Received: headers differ)
    key = object_key("messages", sha, ".eml")
    store.put(key, raw, "message/rfc822", {"message-id": mid[:200]})
    found, skipped = letters_of(message)
    if not found:
        found = [(safe_name(message.subject, "message")[:80] + ".pdf", body_letter(message))]
    sender = (message.from_values.full if message.from_values else message.from_)[:512]
    options = {"via": "email", "message_sha256": sha, "sender": sender, "subject": (message.subject or "")[:2000]}
    batch = str(uuid.uuid4())
    tasks = [queue.submit_bytes(name, data, ACTOR, batch, options).pk for name, data in found]
    IncomingMessage.objects.create(message_id=mid, sha256=sha, storage_key=key, sender=sender,
                                   subject=message.subject or "", tasks=tasks, skipped=skipped)  # fmt: skip
    result.letters += len(tasks)
    result.skipped += skipped
    log.info("message %s from %s: %d letter(s), %d skipped", mid or sha[:12], sender, len(tasks), len(skipped))
    return True
