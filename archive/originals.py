"""Reading an original back: by the version it was written as, checked against the catalogue.

Every read path (downloads, signature QR checks, migration checks, fixity) goes through here,
so a tampered or overwritten object is an integrity error, never content.
"""

from __future__ import annotations

from archive.models import Document
from archive.objectstore import ObjectStore


def read_original(store: ObjectStore, doc: Document) -> bytes:
    return store.get(doc.original_key, sha256=doc.sha256, version_id=doc.original_version or None)
