from __future__ import annotations

from archive.objectstore.base import ObjectStore
from config.sijill import SijillSettings


def open_store(settings: SijillSettings) -> ObjectStore:
    """The one place where the storage backend is chosen."""
    if settings.storage == "s3":
        from archive.objectstore.s3 import S3Store

        assert settings.s3 is not None  # guaranteed by config.sijill.load
        return S3Store(settings.s3)
    from archive.objectstore.filesystem import FilesystemStore

    return FilesystemStore(settings.store_dir)
