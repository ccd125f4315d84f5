"""The outgoing path as the web application drives it: a service's reply, heads' visas, and
the signatory's signature with the office's key (its password or PIN typed at signing, never
kept). Signing itself is `signing.outgoing.sign_files`, as for `sijill sign`."""

from __future__ import annotations

import tempfile
from pathlib import Path

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from archive import audit
from archive.models import RegistryEntry
from archive.objectstore import ObjectStore, object_key
from config.errors import ConfigError, SigningError
from config.sijill import SijillSettings
from ingest.intake import FileKind, detect_kind, sha256_hex
from signing.models import OutgoingDraft
from signing.outgoing import Signatory, SignOutcome, sign_files
from signing.sign import load_pkcs11, load_pkcs12

MAX_DRAFT_BYTES = 50 * 1024 * 1024


def create_draft(store: ObjectStore, data: bytes, filename: str, service: str, actor: str,
                 reply_to: RegistryEntry | None = None, subject: str = "") -> OutgoingDraft:  # fmt: skip
    if len(data) > MAX_DRAFT_BYTES:
        raise ConfigError(f"{filename} is larger than {MAX_DRAFT_BYTES // 2**20} MB.")
    if detect_kind(data) is not FileKind.PDF:
        raise SigningError(f"{filename} is not a PDF: only PDF letters can be signed.")
    sha = sha256_hex(data)
    key = object_key("incoming", sha)
    store.put(key, data, "application/pdf", {"filename": filename[-200:]})
    with transaction.atomic():
        draft = OutgoingDraft.objects.create(
            reply_to=reply_to, service=service, subject=subject[:2000], filename=filename[-200:], pdf_key=key,
            sha256=sha, created_by=actor,
        )  # fmt: skip
        audit.record(actor, "reply_drafted", reply_to.number if reply_to else f"draft:{draft.pk}",
                     draft=draft.pk, file=draft.filename, sha256=sha)  # fmt: skip
    return draft


def give_visa(draft_id: int, actor: str) -> OutgoingDraft:
    """A head's visa (paraphe): recorded on the draft and in the audit log, once per head."""
    with transaction.atomic():
        draft = OutgoingDraft.objects.select_for_update().get(pk=draft_id)
        if draft.state != OutgoingDraft.State.DRAFT:
            raise SigningError("This letter is already signed or withdrawn.")
        if not any(v["by"] == actor for v in draft.visas):
            draft.visas = [*draft.visas, {"by": actor, "at": timezone.now().isoformat(timespec="seconds")}]
            draft.save(update_fields=["visas"])
            audit.record(actor, "visa", draft.reply_to.number if draft.reply_to else f"draft:{draft.pk}",
                         draft=draft.pk)  # fmt: skip
    return draft


def office_key(settings: SijillSettings, secret: str):
    """The office's signing key, opened with the password or PIN the signatory just typed."""
    s = settings.signing
    if s.office_p12 is not None:
        return load_pkcs12(s.office_p12, secret)
    if s.office_token:
        return load_pkcs11(s.pkcs11_lib, s.office_token, s.office_key_label, secret, s.office_cert)
    raise ConfigError("No office key is configured: set SIJILL_SIGN_P12, or SIJILL_SIGN_TOKEN for a PKCS#11 token.")


def sign_draft(draft_id: int, secret: str, settings: SijillSettings, store: ObjectStore, actor: str,
               name_ar: str = "") -> SignOutcome:  # fmt: skip
    """Sign a draft with the office's key: it gets its departure number and is archived signed;
    the arrival it answers becomes answered."""
    draft = OutgoingDraft.objects.select_related("reply_to").get(pk=draft_id)
    if draft.state != OutgoingDraft.State.DRAFT:
        raise SigningError("This letter is already signed or withdrawn.")
    who = Signatory(office_key(settings, secret), settings.signing.function_ar, settings.signing.function_fr,
                    name_ar)  # fmt: skip
    data = store.get(draft.pdf_key, sha256=draft.sha256)
    with tempfile.TemporaryDirectory(prefix="sijill-sign-") as tmp:
        path = Path(tmp) / "letter.pdf"
        path.write_bytes(data)
        (outcome,) = list(sign_files([path], who, settings, store, actor,
                                     reply_to=draft.reply_to.number if draft.reply_to else None,
                                     out_dir=Path(tmp) / "out"))  # fmt: skip
    if outcome.status == "failed":
        raise SigningError(outcome.reason or "The letter was not signed.")
    OutgoingDraft.objects.filter(pk=draft.pk).update(state=OutgoingDraft.State.SIGNED, departure=outcome.number or "")
    return outcome


def drafts_for(viewer) -> QuerySet[OutgoingDraft]:
    """The drafts a user may see: those of his services (signatories and admins: all), and
    never one that answers a letter he may not see."""
    from archive.permissions import visible_entries

    qs = OutgoingDraft.objects.select_related("reply_to")
    if viewer.is_admin:
        return qs
    if viewer.role is None:
        return qs.none()
    if viewer.role != "signatory":
        qs = qs.filter(service__in=sorted(viewer.services))
    return qs.filter(Q(reply_to__isnull=True) | Q(reply_to__in=visible_entries(viewer)))
