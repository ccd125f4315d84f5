"""One incoming file through every stage: intake → pages → OCR → searchable copy → reading
(fields, type, service) → archive."""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
from concurrent.futures import Future
from concurrent.futures.process import BrokenProcessPool
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from django.utils import timezone

from archive import catalogue, quarantine
from archive.catalogue import DocumentRecord, PageRecord
from archive.objectstore import ObjectStore, object_key
from archive.signatures import verify_pdf
from config import failpoints
from config.errors import InputFileError, OcrFailed, SijillError, TransientError, WorkerLost
from config.failures import with_retries
from config.sijill import SijillSettings
from ingest import searchable, worker
from ingest.intake import FileKind, Original, detect_kind, read_original
from ingest.ocr import page_languages
from ingest.pagepool import PagePool
from ingest.pages import PagePlan, plan_pages
from ingest.textlayer import MIN_USABLE_CHARS
from ingest.understand import Reader, proposal

if TYPE_CHECKING:
    from ingest.migrate.manifest import LegacyLine

log = logging.getLogger("sijill.ingest")


@dataclass
class FileOutcome:
    path: str
    status: str  # registered | duplicate | quarantined | failed
    registry_number: str | None = None
    reason: str | None = None
    reason_code: str | None = None
    sha256: str | None = None
    pages: int = 0
    languages: list[str] = field(default_factory=list)
    text: str = ""
    confidence: float | None = None

    def as_json(self) -> dict[str, Any]:
        return asdict(self)


def _with_legacy(p: catalogue.Proposal, line: LegacyLine) -> tuple[catalogue.Proposal, dt.datetime | None, str]:
    """The old register's own values win over what Sijill reads: they were written by clerks."""
    p = dataclasses.replace(
        p,
        sender=line.sender or p.sender,
        subject=line.subject or p.subject,
        addressee_service=line.service or p.addressee_service,
        legacy_number=line.legacy_number,
        legacy={k: v for k, v in {"notes": line.notes, "file": line.file, **line.extra}.items() if v},
    )
    received = None
    if line.received is not None:
        # Morning of the day it arrived: the archive reads in the order the mail came in.
        received = timezone.make_aware(dt.datetime.combine(line.received, dt.time(9, 0)))
    return p, received, line.direction


class PageSplitter(Protocol):
    """Reads a long file's pages on several machines (the task queue's workers)."""

    def wants(self, n_pages: int) -> bool: ...

    def read(self, path: Path, kind: FileKind, indexes: list[int]) -> dict[int, worker.PageResult]: ...


class Pipeline:
    """Holds what every file needs (settings, store, worker pool) and runs one file."""

    def __init__(
        self,
        settings: SijillSettings,
        store: ObjectStore,
        pool: PagePool,
        actor: str,
        reader: Reader | Future[Reader | None] | None = None,
        splitter: PageSplitter | None = None,
        intake: str = "",
    ) -> None:
        """``reader``: or one still being built (batch.py loads it while the first pages are
        read), waited for when the first file reaches the reading stage; ``intake``: what
        handed the file in (``task:12``), so that its re-run knows its own registration."""
        self.settings = settings
        self.store = store
        self.pool = pool
        self.actor = actor
        self.reader = reader
        self.splitter = splitter
        self.intake = intake

    def run(
        self,
        path: Path,
        legacy: LegacyLine | None = None,
        confidential: bool = False,
        direction: str = "A",
        attach_to: str | None = None,
    ) -> FileOutcome:
        """Ingest one file; ``legacy``: its line in a migrated register (number, date, fields);
        ``confidential``: registered as confidential (never visible to all, not even briefly);
        ``direction``: ``A`` (arrivée) or ``D`` (départ: an outgoing letter handed in as a file);
        ``attach_to``: the number a deposit already has; the file becomes its document.

        Transient failures (database, storage, a dead worker) are retried with backoff; the
        file is ``failed`` only when the retries are used up, and the next run tries it again.
        Every step can be repeated after a crash: derived copies are byte-stable and the
        registration is one transaction keyed by the file's SHA-256.
        """
        try:
            original = read_original(path)
        except OSError as exc:
            return FileOutcome(
                str(path), "failed", reason=f"Cannot read the file: {exc.strerror}.", reason_code="unreadable"
            )
        retry = self.settings.retry

        def on_retry(attempt: int, err: TransientError) -> None:
            log.warning("%s: attempt %d failed (%s); retrying", original.path.name, attempt, err.message)

        try:
            done: dict[str, DocumentRecord] = {}  # what an earlier attempt finished (OCR, store writes)
            if attach_to:
                attempt = lambda: self._attach(original, attach_to, done)  # noqa: E731
            else:
                attempt = lambda: self._attempt(original, legacy, done, confidential, direction)  # noqa: E731
            return with_retries(attempt, retry.attempts, retry.delay_s, on_retry)
        except TransientError as err:
            return self._failed(original, err)
        except SijillError as err:
            return self._failed(original, err)
        except Exception as exc:
            # A bug of ours must not stop the batch or lose the file: it stays where it
            # is, the reason is reported, and the run can be repeated once fixed.
            log.exception("internal error on %s", original.path)
            return self._failed(
                original, SijillError(f"Internal error while processing ({type(exc).__name__}: {exc}).")
            )

    def _attempt(
        self,
        original: Original,
        legacy: LegacyLine | None,
        done: dict[str, DocumentRecord],
        confidential: bool,
        direction: str = "A",
    ) -> FileOutcome:
        path = original.path
        existing = catalogue.find_by_sha(original.sha256)
        if existing is not None and self._original_present(existing):
            return self._outcome(path, self._seen(existing), existing)
        try:
            record = done.get("record") or self._process(original)
        except InputFileError as err:
            return self._quarantine(original, err)
        done["record"] = record
        if existing is not None:  # its original had gone missing from the store: now restored
            catalogue.restored_original(existing.document, record.original_version, self.actor)
            log.warning("%s: the archived original of %s was missing and has been restored", path, existing.number)
            return self._outcome(path, "duplicate", existing)
        proposal = self._read(record)
        received_at = None
        if legacy is not None:
            proposal, received_at, direction = _with_legacy(proposal or catalogue.Proposal(), legacy)
        if confidential:
            proposal = dataclasses.replace(proposal or catalogue.Proposal(), confidential=True)
        entry, created = catalogue.register_incoming(
            record, self.actor, received_at=received_at, proposal=proposal, direction=direction, intake=self.intake
        )
        failpoints.hit("after_commit")
        return self._outcome(path, "registered" if created else self._seen(entry), entry)

    def _attach(self, original: Original, number: str, done: dict[str, DocumentRecord]) -> FileOutcome:
        from archive.deposits import attach_document

        try:
            record = done.get("record") or self._process(original)
        except InputFileError as err:
            return self._quarantine(original, err)
        done["record"] = record
        entry = attach_document(number, record, self.actor, self._read(record))
        return self._outcome(original.path, "registered", entry)

    def _seen(self, entry) -> str:
        """Bytes already registered: by this very intake in an earlier, interrupted run, or not."""
        return "registered" if catalogue.registered_through(entry, self.intake) else "duplicate"

    def _original_present(self, entry) -> bool:
        """Is the registered original still in the store? (A re-ingest restores a lost one.)"""
        doc = entry.document
        try:
            return self.store.stat(doc.original_key, doc.original_version or None) is not None
        except TransientError:
            raise
        except SijillError:
            return True  # damaged, not missing: `sijill fsck` reports it; never overwrite it

    # --- stages ---

    def _read(self, record: DocumentRecord) -> catalogue.Proposal | None:
        """Propose the register fields; a failure here never stops the registration."""
        try:
            reader = self.reader.result() if isinstance(self.reader, Future) else self.reader
            if reader is None:
                return None
            return proposal(reader.understand(record.text, timezone.localdate()))
        except Exception:
            log.exception("could not read the fields of %s; the clerk fills them in", record.original_name)
            return None

    def _process(self, original: Original) -> DocumentRecord:
        kind = original.kind or detect_kind(original.data)  # raises the specific reason
        ocr = self.settings.ocr
        plans = plan_pages(original.data, kind, ocr.max_pages, ocr.max_pixels, ocr.dpi)
        ocr_results = self._ocr(original.path, kind, plans)
        failpoints.hit("after_ocr")
        pages, parts = self._pages(plans, ocr_results)
        original_key = object_key("originals", original.sha256)
        stored = self.store.put(original_key, original.data, kind.mime, {"filename": original.path.name})
        failpoints.hit("after_original_put")
        searchable_key = original_key
        if ocr_results:
            copy = searchable.build(original.data if kind is FileKind.PDF else None, parts)
            searchable_key = object_key("searchable", original.sha256, ".pdf")
            self.store.put(searchable_key, copy, "application/pdf", {"original": original.sha256})
            failpoints.hit("after_searchable_put")
        return DocumentRecord(
            sha256=original.sha256,
            kind=kind.value,
            mime_type=kind.mime,
            size=original.size,
            original_name=original.path.name,
            original_key=original_key,
            original_version=stored.version_id or "",
            searchable_key=searchable_key,
            pages=pages,
            signatures=self._signatures(original.data) if kind is FileKind.PDF else [],
        )

    def _signatures(self, data: bytes) -> list[dict]:
        """A signed letter's signatures, checked as received (the original stays untouched)."""
        if b"/ByteRange" not in data:
            return []
        sig = self.settings.signing
        try:
            return verify_pdf(data, list(sig.trust_roots), list(sig.crls)).as_json()["signatures"]
        except SijillError as exc:
            return [{"ok": False, "problems": [exc.message]}]

    def _ocr(self, path: Path, kind: FileKind, plans: list[PagePlan]) -> dict[int, worker.PageResult]:
        wanted = [p.index for p in plans if p.needs_ocr]
        for p in plans:
            if p.text_layer is not None and p.needs_ocr and p.text_layer.char_count >= MIN_USABLE_CHARS:
                log.info(
                    "%s page %d: text layer not used (%s); read by OCR", path.name, p.index + 1, p.text_layer.reason
                )
        if self.splitter is not None and self.splitter.wants(len(wanted)):
            return self.splitter.read(path, kind, wanted)
        ocr = self.settings.ocr
        futures = {
            p.index: self.pool.submit(
                worker.ocr_page, str(path), kind.value, p.index, ocr.dpi, ocr.languages, ocr.timeout_s
            )
            for p in plans
            if p.needs_ocr
        }
        try:
            return {i: f.result() for i, (_, f) in futures.items()}
        except SijillError:
            raise
        except BrokenProcessPool as exc:  # a worker died: the machinery's failure, not the page's
            for generation, f in futures.values():
                f.cancel()
                self.pool.renew(generation)
            raise WorkerLost(
                f"An OCR worker died while reading {path.name} (out of memory or killed); it is read again."
            ) from exc
        except Exception as exc:  # a page that crashes the image libraries is the file's fault
            for _, f in futures.values():
                f.cancel()
            raise OcrFailed(f"A page could not be read for OCR ({type(exc).__name__}: {exc}).") from exc

    @staticmethod
    def _pages(
        plans: list[PagePlan], ocr_results: dict[int, worker.PageResult]
    ) -> tuple[list[PageRecord], list[tuple[int, bytes | None]]]:
        pages: list[PageRecord] = []
        parts: list[tuple[int, bytes | None]] = []
        for p in plans:
            r = ocr_results.get(p.index)
            if r is None:
                assert p.text_layer is not None
                text = p.text_layer.text
                pages.append(PageRecord(p.index + 1, "text_layer", text, page_languages(text)))
                parts.append((p.index, None))
            else:
                pages.append(
                    PageRecord(
                        p.index + 1,
                        "ocr",
                        r.text,
                        r.languages,
                        r.confidence,
                        r.rotation,
                        r.skew,
                        r.low_confidence_words,
                    )
                )
                parts.append((p.index, r.pdf))
        return pages, parts

    # --- outcomes ---

    def _outcome(self, path: Path, status: str, entry) -> FileOutcome:
        doc = entry.document
        return FileOutcome(
            str(path),
            status,
            registry_number=entry.number,
            sha256=doc.sha256,
            pages=doc.page_count,
            languages=list(doc.languages),
            text=doc.text,
            confidence=doc.ocr_confidence,
        )

    def _quarantine(self, original: Original, err: InputFileError) -> FileOutcome:
        log.warning("quarantined %s: %s", original.path, err.message)
        quarantine.quarantine(self.store, original.data, original.sha256, str(original.path), err, self.actor)
        return FileOutcome(
            str(original.path), "quarantined", reason=err.message, reason_code=err.code, sha256=original.sha256
        )

    def _failed(self, original: Original, err: SijillError) -> FileOutcome:
        log.error("could not archive %s: %s", original.path, err.message)
        return FileOutcome(
            str(original.path), "failed", reason=err.message, reason_code=err.code, sha256=original.sha256
        )
