"""Where original bytes live. Chosen once, from settings, by ``open_store``."""

from archive.objectstore.base import ObjectStore, StoredObject, object_key
from archive.objectstore.factory import open_store

__all__ = ["ObjectStore", "StoredObject", "object_key", "open_store"]
