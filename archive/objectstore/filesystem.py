"""Object store on a local (or mounted) filesystem: the embedded default."""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

from archive.objectstore.base import StoredObject, check_sha, write_once
from config.errors import IntegrityFailure, ObjectMissing, StorageError, StorageUnavailable


def _write_atomic(path: Path, data: bytes) -> None:
    """Temp file in the same folder, fsync, rename, fsync the folder: all or nothing."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    dir_fd = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)


class FilesystemStore:
    def __init__(self, root: Path) -> None:
        self.root = root

    def _paths(self, key: str) -> tuple[Path, Path]:
        if key.startswith("/") or ".." in key.split("/"):
            raise StorageError(f"Invalid object key {key!r}.")
        p = self.root / key
        return p, p.with_name(p.name + ".meta.json")

    def put(self, key: str, data: bytes, content_type: str, metadata: dict[str, str] | None = None) -> StoredObject:
        sha, existing = write_once(self, key, data)
        if existing is not None:
            return existing
        obj = StoredObject(key, len(data), sha, content_type, dict(metadata or {}))
        path, meta = self._paths(key)
        try:
            # Bytes first, then the sidecar: an object is visible only once both are whole.
            _write_atomic(path, data)
            _write_atomic(meta, json.dumps(obj.__dict__, ensure_ascii=False).encode())
        except OSError as exc:
            raise StorageUnavailable(f"Cannot write to the archive folder {self.root}: {exc.strerror}.") from exc
        return obj

    def stat(self, key: str, version_id: str | None = None) -> StoredObject | None:
        path, meta = self._paths(key)
        if not meta.exists() or not path.exists():
            return None
        try:
            d = json.loads(meta.read_text(encoding="utf-8"))
            return StoredObject(**d)
        except (ValueError, TypeError) as exc:
            raise IntegrityFailure(f"The record of {key} in the archive folder is damaged ({exc}).") from None

    def get(self, key: str, sha256: str | None = None, version_id: str | None = None) -> bytes:
        obj = self.stat(key)
        if obj is None:
            raise ObjectMissing(f"{key} is not in the archive folder {self.root}.")
        data = self._paths(key)[0].read_bytes()
        check_sha(key, data, sha256 or obj.sha256)
        return data

    def keys(self, prefix: str) -> Iterator[str]:
        top = self.root / prefix
        if not top.exists():
            return
        for path in sorted(top.rglob("*")):
            if path.is_file() and not path.name.endswith(".meta.json") and not path.name.startswith(".tmp-"):
                yield path.relative_to(self.root).as_posix()

    def destroy(self, key: str, versions: tuple[str, ...] = ()) -> None:
        """Remove an object for good: only an approved disposal calls this."""
        for path in self._paths(key):
            try:
                path.unlink()
            except FileNotFoundError:
                pass
            except OSError as exc:
                raise StorageUnavailable(f"Cannot remove {key} from {self.root}: {exc.strerror}.") from exc

    def describe(self) -> str:
        return f"filesystem at {self.root}"
