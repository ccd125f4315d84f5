"""The object-store contract shared by every backend."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Protocol

from config.errors import IntegrityFailure, StorageError


@dataclass(frozen=True)
class StoredObject:
    key: str
    size: int
    sha256: str
    content_type: str
    metadata: dict[str, str] = field(default_factory=dict)
    version_id: str | None = None  # S3 with versioning: the version that holds these bytes


class ObjectStore(Protocol):
    """Write-once storage of bytes. An original, once written, is never overwritten or deleted
    by Sijill; on S3 the server enforces it (object lock)."""

    def put(self, key: str, data: bytes, content_type: str, metadata: dict[str, str] | None = None) -> StoredObject:
        """Store ``data``; storing identical bytes again under the same key is a no-op."""
        ...

    def get(self, key: str, sha256: str | None = None, version_id: str | None = None) -> bytes:
        """The bytes under ``key`` (that version of it, where versions exist), checked against
        ``sha256`` — the catalogue's — or else the object's own recorded SHA-256."""
        ...

    def stat(self, key: str, version_id: str | None = None) -> StoredObject | None:
        """What is stored under ``key`` (its current version, or the one named), or None."""
        ...

    def keys(self, prefix: str) -> Iterator[str]:
        """Every key under ``prefix`` (for `sijill fsck`'s search for orphaned objects)."""
        ...

    def destroy(self, key: str, versions: tuple[str, ...] = ()) -> None:
        """Remove every version of ``key`` (``versions``: those the catalogue knows), through the
        object lock's governance bypass. Only an approved disposal (``archive.disposal``) calls it."""
        ...

    def describe(self) -> str:
        """Where the objects are, for humans (`sijill doctor`)."""
        ...


def object_key(area: str, sha256: str, suffix: str = "") -> str:
    """Content-addressed key: ``originals/ab/abcdef….pdf``."""
    return f"{area}/{sha256[:2]}/{sha256}{suffix}"


def check_sha(key: str, data: bytes, expected: str) -> None:
    actual = hashlib.sha256(data).hexdigest()
    if actual != expected:
        raise IntegrityFailure(
            f"The stored copy of {key} is damaged: its SHA-256 is {actual[:16]}…, expected "
            f"{expected[:16]}…. Restore it from backup; do not re-ingest over it."
        )


# Copies Sijill makes from an original (searchable PDF, split parts, page images) can be made
# again from it, so a re-run after a crash may replace them. Everything else — originals,
# quarantined files, signed letters — is write-once.
DERIVED_AREAS = frozenset({"searchable", "parts", "pages", "incoming", "models"})


def is_derived(key: str) -> bool:
    return key.split("/", 1)[0] in DERIVED_AREAS


def write_once(store: ObjectStore, key: str, data: bytes) -> tuple[str, StoredObject | None]:
    """SHA-256 of ``data`` and what ``key`` already holds with these very bytes (a no-op for
    the caller). Different bytes are refused for originals and replace a derived copy."""
    sha = hashlib.sha256(data).hexdigest()
    existing = store.stat(key)
    if existing is None or (existing.sha256 != sha and is_derived(key)):
        return sha, None
    refuse_overwrite(key, existing, sha)
    return sha, existing


def refuse_overwrite(key: str, existing: StoredObject, sha256: str) -> None:
    if existing.sha256 != sha256:
        raise StorageError(
            f"{key} already holds different bytes (SHA-256 {existing.sha256[:16]}…); originals are never overwritten."
        )
