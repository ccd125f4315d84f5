"""One error hierarchy for Sijill.

Every message is written for the person who has to act on it (a clerk or an operator):
what happened, to which file, and what to do next.
"""

from __future__ import annotations


class SijillError(Exception):
    """Base class. ``code`` is a short stable identifier for scripts and the catalogue."""

    code = "error"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class ConfigError(SijillError):
    code = "config"


class SchemaOutdated(ConfigError):
    """The catalogue's schema is not the one this version of Sijill expects."""

    code = "schema_outdated"


class NotFoundError(SijillError):
    code = "not_found"


# --- Problems with an input file: the file is quarantined and the batch goes on. ---


class InputFileError(SijillError):
    """The file itself cannot be processed; it is kept in quarantine with this reason."""

    code = "input"


class EmptyFile(InputFileError):
    code = "empty_file"


class UnsupportedFileType(InputFileError):
    code = "unsupported_type"


class CorruptFile(InputFileError):
    code = "corrupt_file"


class EncryptedPDF(InputFileError):
    code = "encrypted_pdf"


class DecompressionBomb(InputFileError):
    code = "decompression_bomb"


class TooManyPages(InputFileError):
    code = "too_many_pages"


class OcrFailed(InputFileError):
    code = "ocr_failed"


# --- Problems with our own infrastructure: nothing is quarantined, the run can be repeated. ---


class TransientError(SijillError):
    """The machinery failed, not the file (database, storage, a worker killed): retried with
    backoff, and reported as ``failed`` only when the retries are used up."""

    code = "transient"


class DatabaseUnavailable(TransientError):
    code = "database_unavailable"


class WorkerLost(TransientError):
    """An OCR worker process died (out of memory, killed) while reading a page."""

    code = "worker_lost"


class StorageError(SijillError):
    code = "storage"


class StorageUnavailable(StorageError, TransientError):
    code = "storage_unavailable"


class IntegrityFailure(StorageError):
    """Stored bytes no longer match their SHA-256: the copy is damaged."""

    code = "integrity"


class ObjectMissing(StorageError):
    code = "object_missing"


class ToolMissing(SijillError):
    """A system program (Tesseract, its language data, poppler) is not installed."""

    code = "tool_missing"


# --- Search: the index is rebuilt from the catalogue, so none of these loses data. ---


class QueryError(SijillError):
    """The search text cannot be used as it is; the message says how to fix it."""

    code = "bad_query"


class SearchError(SijillError):
    code = "search"


class SearchUnavailable(SearchError, TransientError):
    """The search index cannot be reached or opened right now."""

    code = "search_unavailable"


class IndexingFailed(SearchError, TransientError):
    """Some documents were not indexed; they are retried on the next catch-up."""

    code = "indexing_failed"

    def __init__(self, message: str, failed: dict[int, str] | None = None) -> None:
        super().__init__(message)
        self.failed = failed or {}


class CorrectionError(SijillError):
    """A clerk's correction cannot be applied as given (unknown type, bad date…)."""

    code = "bad_correction"


class SigningError(SijillError):
    """A letter could not be signed; it was not registered as sent."""

    code = "signing"


def error_class(code: str) -> type[SijillError]:
    """The class behind a stored ``code`` (an error recorded by another process or machine)."""
    stack: list[type[SijillError]] = [SijillError]
    while stack:
        cls = stack.pop()
        if cls.code == code:
            return cls
        stack.extend(cls.__subclasses__())
    return SijillError
