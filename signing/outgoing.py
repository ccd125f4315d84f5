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
from config import failpoints
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


def _write_new(target: Path, data: bytes, number: str | None) -> Path:
    """Write ``data`` without overwriting anything: a different file already there (another
    letter of the same name, an earlier signature) is kept, and the number goes in the name."""
    target.parent.mkdir(parents=True, exist_ok=True)
    candidates = [target]
    if number:
        candidates.append(target.with_name(f"{target.name.split('.', 1)[0]}.{number}.{target.name.split('.', 1)[1]}"))
    for candidate in candidates:
        if candidate.exists():
            if candidate.read_bytes() == data:
                return candidate
            continue
        tmp = candidate.with_name(f".{candidate.name}.tmp")
        tmp.write_bytes(data)
        try:
            os.link(tmp, candidate)  # fails if another process wrote the name meanwhile: never overwrite
        except FileExistsError:
            continue
        finally:
            tmp.unlink(missing_ok=True)
        return candidate
    raise SigningError(f"{target} already exists with other content; nothing was overwritten. Use --out DIR.")


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
    """Reserve the number, sign, store, then confirm: the numbering lock is never held while
    signing (a TSA may take seconds), and a failure voids the reserved number, never reuses it."""
    original = read_original(path)
    if original.kind is not FileKind.PDF:
        raise SigningError(f"{path.name} is not a PDF: only PDF letters can be signed.")
    target = output_path(path, out_dir)
    existing = catalogue.find_by_sha(original.sha256)
    if existing is not None and existing.direction != "D":
        raise SigningError(f"{path.name} is already registered as {existing.number} (an arrival), not signed.")
    if existing is not None and existing.signed_key and existing.voided_at is None:
        written = _write_new(target, store.get(existing.signed_key), existing.number)
        return SignOutcome(str(path), "already signed", existing.number, str(written))
    pages = _pages(path)
    original_key = object_key("originals", original.sha256)
    stored = store.put(original_key, original.data, "application/pdf", {"filename": path.name})
    rec = DocumentRecord(original.sha256, "pdf", "application/pdf", original.size, path.name, original_key, "",
                         pages, original_version=stored.version_id or "")  # fmt: skip
    entry = catalogue.reserve_outgoing(rec, actor, reply_to=reply_to)
    try:
        data = _signed_bytes(original.data, entry.number, entry.received_at, who, settings, font, long_term)
        key = object_key("signed", sha256_hex(data), ".pdf")
        store.put(key, data, "application/pdf", {"original": original.sha256, "number": entry.number})
        failpoints.hit("after_signed_put")
    except SijillError as exc:
        catalogue.void_entry(entry.number, actor, f"signing failed: {exc.message}")
        raise SigningError(
            f"{path.name} was not signed ({exc.message}). Departure number {entry.number} is marked void "
            "in the register; signing again gives the letter a new number."
        ) from exc
    entry = catalogue.confirm_outgoing(entry, actor, key)
    written = _write_new(target, data, entry.number)
    return SignOutcome(str(path), "signed", entry.number, str(written))


def _signed_bytes(
    data: bytes, number: str, when: dt.datetime, who: Signatory, settings: SijillSettings, font: Path,
    long_term: bool,
) -> bytes:  # fmt: skip
    info = StampInfo(
        number=number,
        signed_at=timezone.localtime(when),
        signer=who.key.subject,
        function_ar=who.function_ar,
        function_fr=who.function_fr,
        signer_ar=who.name_ar,
    )
    sig = settings.signing
    return sign_pdf(
        data,
        who.key,
        info,
        font,
        tsa_url=sig.tsa_url,
        tsa_timeout_s=sig.tsa_timeout_s,
        long_term=long_term,
        trust_roots=list(sig.trust_roots),
        crls=list(sig.crls),
        allow_fetching=not sig.crls,  # revocation lists given on disk: work offline
    )


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
            written = _write_new(target, data, None)
            yield SignOutcome(str(path), "visa", None, str(written))
        except SijillError as exc:
            yield SignOutcome(str(path), "failed", reason=exc.message)
