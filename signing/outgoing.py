"""Outgoing letters: departure number, stamp, signature, archive — one letter at a time."""

from __future__ import annotations

import datetime as dt
import logging
import os
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from django.utils import timezone

from archive import catalogue
from archive.catalogue import DocumentRecord, PageRecord
from archive.objectstore import ObjectStore, object_key
from config.errors import SigningError, SijillError
from config.sijill import SijillSettings
from ingest.extract.language import languages
from ingest.intake import FileKind, read_original, sha256_hex
from signing.sign import Key, sign_pdf, visa_pdf
from signing.stamp import StampInfo, font_path

log = logging.getLogger("sijill.signing")


@dataclass
class SignOutcome:
    path: str
    status: str  # "signed", "already signed" or "failed"
    number: str | None = None
    output: str | None = None
    reason: str | None = None

    def as_json(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class Signatory:
    key: Key
    function_ar: str = ""
    function_fr: str = ""
    name_ar: str = ""


def _pages(path: Path) -> list[PageRecord]:
    import pypdfium2 as pdfium

    from ingest.pages import PDFIUM_LOCK
    from ingest.textlayer import read_pdfium_page

    with PDFIUM_LOCK:
        doc = pdfium.PdfDocument(path)
        try:
            out = []
            for i in range(len(doc)):
                layer = read_pdfium_page(doc[i])
                out.append(PageRecord(i + 1, "text_layer", layer.text, list(languages(layer.text))))
            return out
        finally:
            doc.close()


def output_path(path: Path, out_dir: Path | None) -> Path:
    name = f"{path.stem}.signed.pdf"
    return (out_dir / name) if out_dir else path.with_name(name)


def _write(target: Path, data: bytes) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_suffix(".tmp")
    tmp.write_bytes(data)
    os.replace(tmp, target)


def sign_files(
    paths: Iterable[Path],
    who: Signatory,
    settings: SijillSettings,
    store: ObjectStore,
    actor: str,
    reply_to: str | None = None,
    out_dir: Path | None = None,
    long_term: bool = False,
) -> Iterator[SignOutcome]:
    font = font_path(settings.signing.stamp_font)
    for path in paths:
        try:
            yield _sign_one(path, who, settings, store, actor, font, reply_to, out_dir, long_term)
        except SijillError as exc:
            log.warning("not signed %s: %s", path, exc.message)
            yield SignOutcome(str(path), "failed", reason=exc.message)


def _sign_one(
    path: Path,
    who: Signatory,
    settings: SijillSettings,
    store: ObjectStore,
    actor: str,
    font: Path,
    reply_to: str | None,
    out_dir: Path | None,
    long_term: bool,
) -> SignOutcome:
    original = read_original(path)
    if original.kind is not FileKind.PDF:
        raise SigningError(f"{path.name} is not a PDF: only PDF letters can be signed.")
    target = output_path(path, out_dir)
    existing = catalogue.find_by_sha(original.sha256)
    if existing is not None:
        if existing.direction != "D" or not existing.signed_key:
            raise SigningError(f"{path.name} is already registered as {existing.number} (an arrival), not signed.")
        _write(target, store.get(existing.signed_key))
        return SignOutcome(str(path), "already signed", existing.number, str(target))
    pages = _pages(path)
    original_key = object_key("originals", original.sha256)
    store.put(original_key, original.data, "application/pdf", {"filename": path.name})
    rec = DocumentRecord(original.sha256, "pdf", "application/pdf", original.size, path.name, original_key, "", pages)
    signed: dict[str, bytes] = {}

    def finish(number: str, when: dt.datetime) -> str:
        info = StampInfo(
            number=number,
            signed_at=timezone.localtime(when),
            signer=who.key.subject,
            function_ar=who.function_ar,
            function_fr=who.function_fr,
            signer_ar=who.name_ar,
        )
        sig = settings.signing
        data = sign_pdf(
            original.data,
            who.key,
            info,
            font,
            tsa_url=sig.tsa_url,
            long_term=long_term,
            trust_roots=list(sig.trust_roots),
            crls=list(sig.crls),
            allow_fetching=not sig.crls,  # revocation lists given on disk: work offline
        )
        key = object_key("signed", sha256_hex(data), ".pdf")
        store.put(key, data, "application/pdf", {"original": original.sha256, "number": number})
        signed["data"] = data
        return key

    entry = catalogue.register_outgoing(rec, actor, finish, reply_to=reply_to)
    _write(target, signed["data"])
    return SignOutcome(str(path), "signed", entry.number, str(target))


def visa_files(
    paths: Iterable[Path], who: Signatory, settings: SijillSettings, out_dir: Path | None = None
) -> Iterator[SignOutcome]:
    """Visas before the final signature: nothing is registered until `sijill sign` without --visa."""
    font = font_path(settings.signing.stamp_font)
    for path in paths:
        try:
            original = read_original(path)
            if original.kind is not FileKind.PDF:
                raise SigningError(f"{path.name} is not a PDF: only PDF letters can be signed.")
            data = visa_pdf(original.data, who.key, timezone.localtime(), font, who.name_ar, settings.signing.tsa_url)
            target = (out_dir / f"{path.stem}.visa.pdf") if out_dir else path.with_name(f"{path.stem}.visa.pdf")
            _write(target, data)
            yield SignOutcome(str(path), "visa", None, str(target))
        except SijillError as exc:
            yield SignOutcome(str(path), "failed", reason=exc.message)
